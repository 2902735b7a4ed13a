// Significance AND effect AND an absolute delta: any one alone flags noise (PRODUCT.md §6).
#include "evidence.h"

#include <limits>

#include "sqlmeasure/stats.h"

namespace sqlmeasure {
namespace {

double ratio_of(double before, double after) {
  if (before > 0) return after / before;
  return after > 0 ? std::numeric_limits<double>::infinity() : 1.0;
}

Change judge_time(const TimeEvidence& time, const VerdictRule& rule) {
  const bool significant = time.p < rule.alpha;
  const double factor = 1 + rule.threshold;
  if (significant && time.ratio > factor && time.delta_ms > rule.min_delta_ms) {
    return Change::kRegressed;
  }
  if (significant && time.ratio < 1 / factor && -time.delta_ms > rule.min_delta_ms) {
    return Change::kImproved;
  }
  return Change::kUnchanged;
}

// `from` -> `to` grew past the threshold and by at least the floor.
bool grew(std::uint64_t from, std::uint64_t to, const VerdictRule& rule) {
  return to > from && static_cast<double>(to) > static_cast<double>(from) * (1 + rule.threshold) &&
         to - from >= rule.min_rows_delta;
}

}  // namespace

TimeEvidence time_evidence(const std::vector<std::int64_t>& before_ns,
                           const std::vector<std::int64_t>& after_ns, const VerdictRule& rule) {
  const std::vector<double> before = to_ms(before_ns);
  const std::vector<double> after = to_ms(after_ns);
  TimeEvidence time;
  time.n_before = before.size();
  time.n_after = after.size();
  time.before_ms = quantile(before, 0.5);
  time.after_ms = quantile(after, 0.5);
  if (before.empty() || after.empty()) return time;
  time.ratio = ratio_of(time.before_ms, time.after_ms);
  time.delta_ms = time.after_ms - time.before_ms;
  time.p = mann_whitney(before, after).p;
  time.change = judge_time(time, rule);
  return time;
}

RowsEvidence rows_evidence(std::uint64_t before, std::uint64_t after, const VerdictRule& rule) {
  RowsEvidence rows{before, after, Change::kUnchanged};
  if (grew(before, after, rule)) rows.change = Change::kRegressed;
  if (grew(after, before, rule)) rows.change = Change::kImproved;
  return rows;
}

}  // namespace sqlmeasure
