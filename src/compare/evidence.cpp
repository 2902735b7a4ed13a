// Significance AND effect AND an absolute delta: any one alone flags noise (PRODUCT.md §6).
#include "evidence.h"

#include <algorithm>
#include <limits>

#include "plan_diff.h"
#include "sqlmeasure/stats.h"

namespace sqlmeasure {
namespace {

double ratio_of(double before, double after) {
  if (before > 0) return after / before;
  return after > 0 ? std::numeric_limits<double>::infinity() : 1.0;
}

// `from` -> `to` grew past the threshold and by at least the floor.
bool grew(std::uint64_t from, std::uint64_t to, const VerdictRule& rule) {
  return to > from && static_cast<double>(to) > static_cast<double>(from) * (1 + rule.threshold) &&
         to - from >= rule.min_rows_delta;
}

// The warnings of `from` that `other` does not have.
std::vector<ServerWarning> missing_from(const std::vector<ServerWarning>& from,
                                        const std::vector<ServerWarning>& other) {
  std::vector<ServerWarning> missing;
  for (const ServerWarning& warning : from) {
    if (std::find(other.begin(), other.end(), warning) == other.end()) missing.push_back(warning);
  }
  return missing;
}

}  // namespace

Change effect(double ratio, double delta_ms, const VerdictRule& rule) {
  const double factor = 1 + rule.threshold;
  if (ratio > factor && delta_ms > rule.min_delta_ms) return Change::kRegressed;
  if (ratio < 1 / factor && -delta_ms > rule.min_delta_ms) return Change::kImproved;
  return Change::kUnchanged;
}

TimeEvidence time_evidence(std::span<const std::int64_t> before_ns,
                           std::span<const std::int64_t> after_ns, const VerdictRule& rule) {
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
  if (time.p < rule.alpha) time.change = effect(time.ratio, time.delta_ms, rule);
  return time;
}

RowsEvidence rows_evidence(std::uint64_t before, std::uint64_t after, const VerdictRule& rule) {
  RowsEvidence rows{before, after, Change::kUnchanged};
  if (grew(before, after, rule)) rows.change = Change::kRegressed;
  if (grew(after, before, rule)) rows.change = Change::kImproved;
  return rows;
}

SideFailures failures_of(const QueryResult& query) {
  return {query.error, query.failed_phases(), std::max(1, query.phases)};
}

QueryOutcome outcome_of(const SideFailures& before, const SideFailures& after) {
  if (before.always() && after.always()) return QueryOutcome::kFailsBoth;
  if (after.always()) return QueryOutcome::kBreaks;
  if (before.always()) return QueryOutcome::kFixed;
  return QueryOutcome::kCompared;
}

QueryComparison compare_deterministic(const QueryResult& before, const QueryResult& after,
                                      const VerdictRule& rule) {
  QueryComparison query;
  query.name = before.name;
  query.failed_before = failures_of(before);
  query.failed_after = failures_of(after);
  query.outcome = outcome_of(query.failed_before, query.failed_after);
  query.rows = rows_evidence(before.rows_examined, after.rows_examined, rule);
  // A side that always failed has no counters worth the name (a failure examines nothing):
  // the outcome is the finding, not the rows.
  if (query.outcome != QueryOutcome::kCompared) query.rows.change = Change::kUnchanged;
  // An empty plan means "not recorded" (error, or a statement EXPLAIN refuses), not
  // "no tables": diffing it would report every table as added or removed.
  if (!before.plan.empty() && !after.plan.empty()) {
    query.plan_changes = diff_plans(before.plan, after.plan);
  }
  query.results_differ =
      !before.checksum.empty() && !after.checksum.empty() && before.checksum != after.checksum;
  // Only sides that ran say what the server warns of: a failure is its own finding.
  if (query.outcome == QueryOutcome::kCompared) {
    query.warnings_added = missing_from(after.warnings, before.warnings);
    query.warnings_gone = missing_from(before.warnings, after.warnings);
  }
  return query;
}

}  // namespace sqlmeasure
