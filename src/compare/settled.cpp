// --iterations auto in a live compare: which verdicts more sampling could still change
// (docs/verdicts.md, "Drift and alternation"). Alternating protects time verdicts from load
// that comes and goes; a verdict that rests on deterministic evidence, or a time that is
// shown to be unchanged, has nothing to gain from it.
#include <cmath>

#include "evidence.h"
#include "plan_diff.h"
#include "sqlmeasure/compare.h"
#include "sqlmeasure/stats.h"

namespace sqlmeasure {
namespace {

// Unchanged with confidence: the 95 % bootstrap interval of the median ratio lies inside
// the threshold both ways, or the deltas it allows stay under the noise floor. Either way
// no amount of further sampling would let the rule flag it.
bool time_settled(const std::vector<std::int64_t>& before_ns,
                  const std::vector<std::int64_t>& after_ns, const VerdictRule& rule) {
  if (before_ns.size() < 2 || after_ns.size() < 2) return true;  // an error: nothing to add
  const std::vector<double> before = to_ms(before_ns), after = to_ms(after_ns);
  const Interval ratio = bootstrap_median_ratio(before, after, 0.95, 1000, 1);
  const double factor = 1 + rule.threshold;
  if (ratio.low >= 1 / factor && ratio.high <= factor) return true;
  const double median_before = quantile(before, 0.5);
  const double widest = std::max(std::abs(ratio.low - 1), std::abs(ratio.high - 1));
  return widest * median_before <= rule.min_delta_ms;
}

const ScreenResult* find(const RunResult& run, const std::string& name) {
  for (const ScreenResult& screen : run.screens) {
    if (screen.name == name) return &screen;
  }
  return nullptr;
}

bool settled(const ScreenComparison& screen, const RunResult& before, const RunResult& after,
             const std::vector<PhasePair>& pairs, const VerdictRule& rule) {
  const bool decided =
      (rule.fail_on.contains(Gate::kRows) && screen.rows.change != Change::kUnchanged) ||
      (rule.fail_on.contains(Gate::kPlan) && screen.plan_changed()) ||
      (rule.fail_on.contains(Gate::kResults) && screen.results_differ());
  if (decided) return true;
  const ScreenResult* a = find(before, screen.name);
  const ScreenResult* b = find(after, screen.name);
  if (!pairs_rule_out_flag(pairs, screen.name, nullptr, rule) &&
      !time_settled(a->view_samples(), b->view_samples(), rule)) {
    return false;
  }
  for (const QueryResult& query : a->queries) {
    for (const QueryResult& other : b->queries) {
      if (other.name == query.name && !pairs_rule_out_flag(pairs, screen.name, &query.name, rule) &&
          !time_settled(query.samples_ns, other.samples_ns, rule)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

bool gate_decides(const ScreenResult& before, const ScreenResult& after, const VerdictRule& rule) {
  if (rule.fail_on.contains(Gate::kRows) &&
      rows_evidence(rows_examined_per_view(before.queries), rows_examined_per_view(after.queries), rule).change !=
          Change::kUnchanged) {
    return true;
  }
  for (const QueryResult& query : before.queries) {
    for (const QueryResult& other : after.queries) {
      if (other.name != query.name || query.error || other.error) continue;
      if (rule.fail_on.contains(Gate::kPlan) && !query.plan.empty() && !other.plan.empty() &&
          !diff_plans(query.plan, other.plan).empty()) {
        return true;
      }
      if (rule.fail_on.contains(Gate::kResults) && !query.checksum.empty() &&
          !other.checksum.empty() && query.checksum != other.checksum) {
        return true;
      }
    }
  }
  return false;
}

std::vector<std::string> settled_screens(const RunResult& before, const RunResult& after,
                                         const std::vector<PhasePair>& pairs,
                                         const VerdictRule& rule) {
  std::vector<std::string> names;
  const Comparison comparison = compare_runs(before, after, rule);
  for (const ScreenComparison& screen : comparison.screens) {
    if (screen.presence == Presence::kBoth && settled(screen, before, after, pairs, rule)) {
      names.push_back(screen.name);
    }
  }
  return names;
}

bool time_decided(const std::vector<std::int64_t>& side, const std::vector<std::int64_t>& other,
                  const VerdictRule& rule) {
  if (side.empty() || other.empty()) return false;
  const MedianInterval a = median_interval(side), b = median_interval(other);
  const double factor = 1 + rule.threshold;
  const double floor_ns = rule.min_delta_ms * 1e6;
  auto apart = [&](const MedianInterval& slow, const MedianInterval& fast) {
    return static_cast<double>(slow.low) > factor * static_cast<double>(fast.high) &&
           static_cast<double>(slow.low - fast.high) > floor_ns;
  };
  return apart(a, b) || apart(b, a);
}

}  // namespace sqlmeasure
