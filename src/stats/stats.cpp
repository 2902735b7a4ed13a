// Descriptive statistics and the significance tests behind every verdict (PRODUCT.md §6).
#include "sqlmeasure/stats.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace sqlmeasure {
namespace {

// Up to this many samples per side (and no ties) the exact null distribution of U is cheap
// (401 counts at most) and better than the normal approximation in the tail.
constexpr std::size_t kExactMaxSize = 20;

std::vector<double> sorted_copy(std::span<const double> samples) {
  std::vector<double> sorted(samples.begin(), samples.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

// Type 7 (R's default, numpy's "linear") on already sorted data.
double sorted_quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;  // same convention as an empty Summary
  const double h = static_cast<double>(sorted.size() - 1) * std::clamp(q, 0.0, 1.0);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = h - static_cast<double>(lo);
  // Equal neighbours short-cut: exact, and keeps infinities from turning into NaN.
  if (frac == 0 || sorted[lo] == sorted[hi]) return sorted[lo];
  return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

// Median that reorders its argument; the bootstrap calls it thousands of times.
double median_in_place(std::vector<double>& values) {
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return lower + (upper - lower) / 2;
}

double mean_of(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

// Two-pass sample standard deviation: no catastrophic cancellation for large timings.
double sample_stddev(const std::vector<double>& values, double mean) {
  if (values.size() < 2) return 0;
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

// The pooled sample, ranked with mid-ranks for ties.
struct Ranking {
  double rank_sum_a = 0;
  double tie_term = 0;  // sum over tie groups of t^3 - t
};

Ranking rank_pooled(std::span<const double> a, std::span<const double> b) {
  struct Item {
    double value;
    bool from_a;
  };
  std::vector<Item> pooled;
  pooled.reserve(a.size() + b.size());
  for (double v : a) pooled.push_back({v, true});
  for (double v : b) pooled.push_back({v, false});
  std::sort(pooled.begin(), pooled.end(),
            [](const Item& x, const Item& y) { return x.value < y.value; });

  Ranking ranking;
  for (std::size_t start = 0; start < pooled.size();) {
    std::size_t end = start;
    while (end < pooled.size() && pooled[end].value == pooled[start].value) ++end;
    const double mid_rank = static_cast<double>(start + 1 + end) / 2;  // 1-based ranks
    for (std::size_t i = start; i < end; ++i) {
      if (pooled[i].from_a) ranking.rank_sum_a += mid_rank;
    }
    const auto t = static_cast<double>(end - start);
    ranking.tie_term += t * t * t - t;
    start = end;
  }
  return ranking;
}

// How many of the C(n1 + n2, n1) orderings of distinct values give each U: the
// coefficients of the Gaussian binomial [n1 + n2 choose n1]_q, that is the product over
// k = 1..n1 of (1 - q^(n2 + k)) / (1 - q^k). Multiplying and dividing polynomials in place
// costs O(n1 * n1 * n2) and no allocation; the counts stay below C(40, 20) ~ 1.4e11.
std::vector<std::int64_t> exact_u_counts(std::size_t n1, std::size_t n2) {
  const std::size_t max_u = n1 * n2;
  std::vector<std::int64_t> counts(max_u + 1, 0);
  counts[0] = 1;
  for (std::size_t k = 1; k <= n1; ++k) {
    const std::size_t m = n2 + k;
    for (std::size_t u = max_u; u >= m; --u) counts[u] -= counts[u - m];  // * (1 - q^m)
    for (std::size_t u = k; u <= max_u; ++u) counts[u] += counts[u - k];  // / (1 - q^k)
  }
  return counts;
}

double exact_two_sided_p(double u, std::size_t n1, std::size_t n2) {
  const std::vector<std::int64_t> counts = exact_u_counts(n1, n2);
  const auto observed = static_cast<std::size_t>(std::llround(u));
  std::int64_t total = 0, at_most = 0, at_least = 0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    total += counts[k];
    if (k <= observed) at_most += counts[k];
    if (k >= observed) at_least += counts[k];
  }
  return std::min(
      1.0, 2 * static_cast<double>(std::min(at_most, at_least)) / static_cast<double>(total));
}

double normal_two_sided_p(double u, std::size_t n1, std::size_t n2, double tie_term) {
  const auto na = static_cast<double>(n1);
  const auto nb = static_cast<double>(n2);
  const double n = na + nb;
  const double mean = na * nb / 2;
  const double variance = na * nb / 12 * ((n + 1) - tie_term / (n * (n - 1)));
  if (variance <= 0) return 1;  // every value tied: no evidence of any difference
  // Continuity correction towards the mean; never past it.
  const double z = std::max(0.0, std::fabs(u - mean) - 0.5) / std::sqrt(variance);
  // erfc keeps precision far into the tail, where 1 - erf(...) would round to 0.
  return std::min(1.0, std::erfc(z / std::sqrt(2.0)));
}

}  // namespace

std::vector<double> to_ms(std::span<const std::int64_t> samples_ns) {
  std::vector<double> samples_ms;
  samples_ms.reserve(samples_ns.size());
  for (std::int64_t ns : samples_ns) samples_ms.push_back(static_cast<double>(ns) / 1e6);
  return samples_ms;
}

double quantile(std::span<const double> samples, double q) {
  return sorted_quantile(sorted_copy(samples), q);
}

Summary summarize(std::span<const double> samples) {
  std::vector<double> copy(samples.begin(), samples.end());
  return summarize_in_place(copy);
}

Summary summarize_in_place(std::vector<double>& samples) {
  Summary summary;
  if (samples.empty()) return summary;
  std::vector<double>& sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  summary.n = sorted.size();
  summary.min = sorted.front();
  summary.max = sorted.back();
  summary.median = sorted_quantile(sorted, 0.5);
  summary.p95 = sorted_quantile(sorted, 0.95);
  summary.mean = mean_of(sorted);
  summary.stddev = sample_stddev(sorted, summary.mean);
  // The deviations replace the samples: a million samples need no second copy.
  for (double& v : sorted) v = std::fabs(v - summary.median);
  std::sort(sorted.begin(), sorted.end());
  summary.mad = sorted_quantile(sorted, 0.5);
  return summary;
}

MannWhitney mann_whitney(std::span<const double> a, std::span<const double> b) {
  MannWhitney result;
  if (a.empty() || b.empty()) return result;  // nothing to compare: U = 0, p = 1
  const Ranking ranking = rank_pooled(a, b);
  const auto n1 = static_cast<double>(a.size());
  result.u = ranking.rank_sum_a - n1 * (n1 + 1) / 2;
  const bool exact =
      ranking.tie_term == 0 && a.size() <= kExactMaxSize && b.size() <= kExactMaxSize;
  result.p = exact ? exact_two_sided_p(result.u, a.size(), b.size())
                   : normal_two_sided_p(result.u, a.size(), b.size(), ranking.tie_term);
  return result;
}

Interval bootstrap_median_ratio(std::span<const double> a, std::span<const double> b,
                                double confidence, int resamples, std::uint64_t seed) {
  if (a.empty() || b.empty()) return {};
  const auto ratio = [](double median_a, double median_b) {
    if (median_a != 0) return median_b / median_a;
    return median_b == 0 ? 1.0 : std::numeric_limits<double>::infinity();
  };
  if (resamples < 1) {
    std::vector<double> ca(a.begin(), a.end()), cb(b.begin(), b.end());
    const double point = ratio(median_in_place(ca), median_in_place(cb));
    return {point, point};
  }

  std::mt19937_64 rng(seed);
  // rng() % n rather than std::uniform_int_distribution: the same sequence with every
  // standard library, so a seed reproduces a result file anywhere. The modulo bias is
  // below n / 2^64, far beneath the bootstrap's own noise.
  const auto resample_median = [&rng](std::span<const double> from, std::vector<double>& into) {
    for (double& slot : into) slot = from[rng() % from.size()];
    return median_in_place(into);
  };
  std::vector<double> resample_a(a.size()), resample_b(b.size());
  std::vector<double> ratios;
  ratios.reserve(static_cast<std::size_t>(resamples));
  for (int r = 0; r < resamples; ++r) {
    const double median_a = resample_median(a, resample_a);
    const double median_b = resample_median(b, resample_b);
    ratios.push_back(ratio(median_a, median_b));
  }
  std::sort(ratios.begin(), ratios.end());
  const double tail = (1 - std::clamp(confidence, 0.0, 1.0)) / 2;
  return {sorted_quantile(ratios, tail), sorted_quantile(ratios, 1 - tail)};
}

MedianInterval median_interval(std::vector<std::int64_t> samples) {
  MedianInterval interval;
  const size_t n = samples.size();
  if (n == 0) return interval;
  std::sort(samples.begin(), samples.end());
  interval.median =
      n % 2 == 1 ? samples[n / 2] : samples[n / 2 - 1] + (samples[n / 2] - samples[n / 2 - 1]) / 2;
  // 1-based ranks n/2 - 0.98 sqrt(n) and n/2 + 1 + 0.98 sqrt(n), rounded, within 1..n.
  const double half = static_cast<double>(n) / 2;
  const double spread = 1.959964 * std::sqrt(static_cast<double>(n)) / 2;
  const auto low_rank = static_cast<long>(std::lround(half - spread));
  const auto high_rank = static_cast<long>(std::lround(half + 1 + spread));
  const long last = static_cast<long>(n);
  interval.low = samples[static_cast<size_t>(std::clamp(low_rank, 1L, last) - 1)];
  interval.high = samples[static_cast<size_t>(std::clamp(high_rank, 1L, last) - 1)];
  return interval;
}

}  // namespace sqlmeasure
