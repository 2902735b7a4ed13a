// Statistics against known values: hand-computed, numpy/scipy reference values, and brute
// force enumeration; plus the A/A property the verdict rule relies on (no false flags).
#include "sqlmeasure/stats.h"

#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

#include "sqlmeasure/results.h"

namespace sqlmeasure {
namespace {

// Standard normal deviates from a seed, the same on every platform: Box-Muller over our
// own mapping of mt19937_64 output (std:: distributions differ between libraries).
class NormalGenerator {
 public:
  explicit NormalGenerator(std::uint64_t seed) : rng_(seed) {}
  double operator()() {
    const double u1 = 1.0 - uniform();  // (0, 1]: log(0) is never taken
    const double u2 = uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
  }

 private:
  double uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::mt19937_64 rng_;
};

std::vector<double> normal_samples(NormalGenerator& normal, std::size_t n, double mean, double sd) {
  std::vector<double> samples(n);
  for (double& x : samples) x = mean + sd * normal();
  return samples;
}

// Timing-like: right-skewed, median = `median`.
std::vector<double> lognormal_samples(NormalGenerator& normal, std::size_t n, double median,
                                      double sigma) {
  std::vector<double> samples(n);
  for (double& x : samples) x = median * std::exp(sigma * normal());
  return samples;
}

// Two-sided permutation p-value of U by enumerating every way to place n1 of the n1 + n2
// distinct ranks in `a`: the definition the exact test must match.
double brute_force_p(double u, int n1, int n2) {
  const double mean = n1 * n2 / 2.0;
  int extreme = 0, total = 0;
  for (unsigned mask = 0; mask < (1u << (n1 + n2)); ++mask) {
    if (std::popcount(mask) != n1) continue;
    // U of a = pairs (x in a, y in b) with x > y; rank r is in a when bit r is set.
    int u_mask = 0, b_below = 0;
    for (int r = 0; r < n1 + n2; ++r) {
      if (mask & (1u << r)) {
        u_mask += b_below;
      } else {
        ++b_below;
      }
    }
    ++total;
    if (std::fabs(u_mask - mean) >= std::fabs(u - mean) - 1e-9) ++extreme;
  }
  return static_cast<double>(extreme) / total;
}

}  // namespace

TEST_CASE("summarize gives known values for a small array", "[unit][stats]") {
  const std::vector<double> x = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
  const Summary s = summarize(x);
  CHECK(s.n == 10);
  CHECK(s.min == 1);
  CHECK(s.max == 9);
  CHECK(s.median == Approx(3.5));
  CHECK(s.p95 == Approx(7.65));  // numpy.quantile(x, 0.95)
  CHECK(s.mean == Approx(3.9));
  CHECK(s.stddev == Approx(2.4698178070456938));  // numpy std(ddof=1)
  CHECK(s.mad == Approx(1.5));                    // scipy median_abs_deviation, unscaled
}

TEST_CASE("summarize handles empty and single-sample input", "[unit][stats]") {
  const Summary empty = summarize(std::vector<double>{});
  CHECK(empty.n == 0);
  CHECK(empty.median == 0);
  CHECK(empty.stddev == 0);

  const Summary one = summarize(std::vector<double>{4.25});
  CHECK(one.n == 1);
  CHECK(one.min == 4.25);
  CHECK(one.median == 4.25);
  CHECK(one.p95 == 4.25);
  CHECK(one.max == 4.25);
  CHECK(one.stddev == 0);
  CHECK(one.mad == 0);
}

TEST_CASE("quantile interpolates linearly between closest ranks (type 7)", "[unit][stats]") {
  const std::vector<double> y = {50, 10, 12, 11};  // unsorted on purpose
  CHECK(quantile(y, 0) == 10);
  CHECK(quantile(y, 0.25) == Approx(10.75));
  CHECK(quantile(y, 0.5) == Approx(11.5));
  CHECK(quantile(y, 0.95) == Approx(44.3));
  CHECK(quantile(y, 1) == 50);
  CHECK(quantile(y, 1.5) == 50);  // clamped
  CHECK(quantile(std::vector<double>{}, 0.5) == 0);

  const Summary s = summarize(y);
  CHECK(s.mad == Approx(1.0));
  CHECK(s.stddev == Approx(19.517086531208154));
}

TEST_CASE("Mann-Whitney matches scipy.stats.mannwhitneyu", "[unit][stats]") {
  SECTION("exact, scipy's documentation example") {
    const MannWhitney r =
        mann_whitney(std::vector<double>{19, 22, 16, 29, 24}, std::vector<double>{20, 11, 17, 12});
    CHECK(r.u == 17);
    CHECK(r.p == Approx(0.1111111111111111));
  }
  SECTION("exact at the size limit, 20 against 20") {
    std::vector<double> a, b;
    for (int i = 0; i < 20; ++i) {
      a.push_back(i);
      b.push_back(i + 5.5);
    }
    const MannWhitney r = mann_whitney(a, b);
    CHECK(r.u == 105);
    CHECK(r.p == Approx(0.009483607191205003));
  }
  SECTION("exact, complete separation: the smallest p there is") {
    std::vector<double> a, b;
    for (int i = 0; i < 20; ++i) {
      a.push_back(i);
      b.push_back(i + 100.5);
    }
    const MannWhitney r = mann_whitney(a, b);
    CHECK(r.u == 0);
    CHECK(r.p == Approx(1.4508889103849684e-11));
  }
  SECTION("exact, unequal sizes") {
    std::vector<double> a, b;
    for (int i = 0; i < 12; ++i) a.push_back(i);
    for (int i = 0; i < 15; ++i) b.push_back(i + 2.5);
    const MannWhitney r = mann_whitney(a, b);
    CHECK(r.u == 45);
    CHECK(r.p == Approx(0.0281412758731375));
  }
  SECTION("normal approximation with ties (tie and continuity correction)") {
    const MannWhitney r =
        mann_whitney(std::vector<double>{1, 2, 2, 3, 4}, std::vector<double>{2, 3, 3, 5, 6, 7});
    CHECK(r.u == 6);
    CHECK(r.p == Approx(0.11390314458853068));
  }
  SECTION("normal approximation above the exact size limit") {
    std::vector<double> a, b;
    for (int i = 0; i < 25; ++i) {
      a.push_back(i);
      b.push_back(i + 7.5);
    }
    const MannWhitney r = mann_whitney(a, b);
    CHECK(r.u == 153);
    CHECK(r.p == Approx(0.002035157807278379));
  }
}

TEST_CASE("Mann-Whitney exact p equals brute-force enumeration for every U", "[unit][stats]") {
  const int n1 = 4, n2 = 5;
  // Every placement of a's values among b's: covers every U from 0 to n1 * n2.
  for (unsigned mask = 0; mask < (1u << (n1 + n2)); ++mask) {
    if (std::popcount(mask) != n1) continue;
    std::vector<double> a, b;
    for (int r = 0; r < n1 + n2; ++r) ((mask & (1u << r)) ? a : b).push_back(r * 1.5);
    const MannWhitney result = mann_whitney(a, b);
    INFO("mask " << mask << " U " << result.u);
    CHECK(result.p == Approx(brute_force_p(result.u, n1, n2)));
  }
}

TEST_CASE("Mann-Whitney is symmetric in its arguments", "[unit][stats]") {
  const std::vector<double> a = {1.5, 2.25, 7, 3.5, 0.5};
  const std::vector<double> b = {4, 6.5, 8, 9.25, 2.5, 10};
  const MannWhitney ab = mann_whitney(a, b);
  const MannWhitney ba = mann_whitney(b, a);
  CHECK(ab.u + ba.u == Approx(30));
  CHECK(ab.p == Approx(ba.p));
}

TEST_CASE("Mann-Whitney gives p = 1 when there is nothing to tell apart", "[unit][stats]") {
  const std::vector<double> same = {2, 2, 2, 2, 2};
  CHECK(mann_whitney(same, same).p == 1);
  const std::vector<double> a = {1, 2, 3, 4, 5, 6};
  CHECK(mann_whitney(a, a).p == 1);
  CHECK(mann_whitney(std::vector<double>{}, a).p == 1);
  CHECK(mann_whitney(a, std::vector<double>{}).p == 1);
  CHECK(mann_whitney(std::vector<double>{}, std::vector<double>{}).p == 1);
}

TEST_CASE("Mann-Whitney finds a shifted distribution", "[unit][stats]") {
  NormalGenerator normal(42);
  SECTION("exact path") {
    const auto a = normal_samples(normal, 20, 10, 1);
    const auto b = normal_samples(normal, 20, 13, 1);
    CHECK(mann_whitney(a, b).p < 1e-6);
  }
  SECTION("normal path, far into the tail (erfc, not 1 - erf)") {
    const auto a = normal_samples(normal, 200, 10, 1);
    const auto b = normal_samples(normal, 200, 14, 1);
    const double p = mann_whitney(a, b).p;
    CHECK(p > 0);
    CHECK(p < 1e-30);
  }
}

// The rule's promise (PRODUCT.md §6): A/A runs raise no more false flags than alpha says.
TEST_CASE("Mann-Whitney A/A false positive rate stays near alpha", "[unit][stats]") {
  const double alpha = 0.01;
  const int pairs = 1000;
  NormalGenerator normal(20240611);
  SECTION("exact path, 20 against 20") {
    int flagged = 0;
    for (int i = 0; i < pairs; ++i) {
      const auto a = lognormal_samples(normal, 20, 1.0, 0.3);
      const auto b = lognormal_samples(normal, 20, 1.0, 0.3);
      if (mann_whitney(a, b).p < alpha) ++flagged;
    }
    INFO(flagged << " of " << pairs << " A/A pairs flagged");
    CHECK(flagged <= 20);
  }
  SECTION("normal path with ties: 30 against 30, microsecond resolution") {
    int flagged = 0;
    for (int i = 0; i < pairs; ++i) {
      auto a = lognormal_samples(normal, 30, 0.02, 0.3);
      auto b = lognormal_samples(normal, 30, 0.02, 0.3);
      for (double& x : a) x = std::round(x * 1000) / 1000;  // ms rounded to whole µs
      for (double& x : b) x = std::round(x * 1000) / 1000;
      if (mann_whitney(a, b).p < alpha) ++flagged;
    }
    INFO(flagged << " of " << pairs << " A/A pairs flagged");
    CHECK(flagged <= 20);
  }
}

TEST_CASE("bootstrap interval of the median ratio covers the true ratio", "[unit][stats]") {
  NormalGenerator normal(7);
  const auto a = lognormal_samples(normal, 200, 2.0, 0.25);
  const auto b = lognormal_samples(normal, 200, 2.6, 0.25);  // true median ratio 1.3
  const Interval ci = bootstrap_median_ratio(a, b, 0.95, 2000, 1);
  CHECK(ci.low < 1.3);
  CHECK(ci.high > 1.3);
  CHECK(ci.low > 1.0);  // and the change is clearly there
  CHECK(ci.high - ci.low < 0.3);
}

TEST_CASE("bootstrap is deterministic for a seed", "[unit][stats]") {
  NormalGenerator normal(11);
  const auto a = lognormal_samples(normal, 30, 1.0, 0.2);
  const auto b = lognormal_samples(normal, 30, 1.0, 0.2);
  const Interval first = bootstrap_median_ratio(a, b, 0.95, 500, 99);
  const Interval again = bootstrap_median_ratio(a, b, 0.95, 500, 99);
  CHECK(first.low == again.low);
  CHECK(first.high == again.high);
  CHECK(first.low < 1.0);  // A/A: no change is inside the interval
  CHECK(first.high > 1.0);
  const Interval other = bootstrap_median_ratio(a, b, 0.95, 500, 100);
  CHECK((other.low != first.low || other.high != first.high));
}

TEST_CASE("bootstrap degenerate inputs", "[unit][stats]") {
  const std::vector<double> a = {1, 2, 3};
  const std::vector<double> b = {2, 4, 6};
  const Interval empty = bootstrap_median_ratio(std::vector<double>{}, b, 0.95, 100, 1);
  CHECK(empty.low == 0);
  CHECK(empty.high == 0);
  const Interval point = bootstrap_median_ratio(a, b, 0.95, 0, 1);
  CHECK(point.low == 2);
  CHECK(point.high == 2);
  const std::vector<double> constant = {5, 5, 5, 5};
  const Interval same = bootstrap_median_ratio(constant, constant, 0.95, 100, 1);
  CHECK(same.low == 1);
  CHECK(same.high == 1);
}

TEST_CASE("recompute_stats summarizes queries and screens from their own samples",
          "[unit][stats]") {
  RunResult run;
  ScreenResult screen;
  screen.name = "top";
  screen.samples_ns = {5'000'000, 3'000'000, 4'000'000};  // stored, not summed from queries
  QueryResult query;
  query.name = "list";
  query.samples_ns = {1'500'000, 1'000'000, 2'000'000, 2'500'000};
  screen.queries.push_back(query);
  run.screens.push_back(screen);

  recompute_stats(run);
  const Summary& screen_stats = run.screens[0].stats_ms;
  CHECK(screen_stats.n == 3);
  CHECK(screen_stats.median == Approx(4.0));
  CHECK(screen_stats.min == Approx(3.0));
  CHECK(screen_stats.max == Approx(5.0));
  const Summary& query_stats = run.screens[0].queries[0].stats_ms;
  CHECK(query_stats.n == 4);
  CHECK(query_stats.median == Approx(1.75));
  CHECK(query_stats.mean == Approx(1.75));
}

}  // namespace sqlmeasure
