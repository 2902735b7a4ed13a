#pragma once
// Descriptive statistics and the significance tests behind every verdict.
#include <cstdint>
#include <span>
#include <vector>

namespace sqlmeasure {

struct Summary {
  std::size_t n = 0;
  double min = 0, median = 0, p95 = 0, mean = 0, max = 0;
  double stddev = 0;  // sample standard deviation
  double mad = 0;     // median absolute deviation (unscaled)
};

// Nanosecond samples as milliseconds, the unit every figure and test works in.
[[nodiscard]] std::vector<double> to_ms(std::span<const std::int64_t> samples_ns);

[[nodiscard]] Summary summarize(std::span<const double> samples);
// The same figures, reusing `samples` as working space (left reordered and overwritten).
[[nodiscard]] Summary summarize_in_place(std::vector<double>& samples);
// Linear interpolation between closest ranks (type 7), q in [0,1]. Input need not be sorted.
[[nodiscard]] double quantile(std::span<const double> samples, double q);

struct MannWhitney {
  double u = 0;  // U statistic of `a`
  double p = 1;  // two-sided p-value (exact for small samples without ties, else normal
                 // approximation with tie and continuity correction)
};
[[nodiscard]] MannWhitney mann_whitney(std::span<const double> a, std::span<const double> b);

// The distribution-free 95 % confidence interval of the median of `samples` (order
// statistics of the binomial(n, 1/2), normal approximation): ranks n/2 -/+ 0.98 sqrt(n).
struct MedianInterval {
  std::int64_t low = 0, median = 0, high = 0;
  [[nodiscard]] std::int64_t half_width() const { return (high - low) / 2; }
};
[[nodiscard]] MedianInterval median_interval(std::vector<std::int64_t> samples);

struct Interval {
  double low = 0, high = 0;
};
// Percentile-bootstrap confidence interval of median(b) / median(a); deterministic for a seed.
[[nodiscard]] Interval bootstrap_median_ratio(std::span<const double> a, std::span<const double> b,
                                              double confidence, int resamples, std::uint64_t seed);

}  // namespace sqlmeasure
