// --iterations auto in a live compare: whether another alternation could change a verdict
// (docs/verdicts.md, "Drift and alternation"). Alternating protects time verdicts from load
// that comes and goes; a verdict that rests on deterministic evidence, or a time that is
// shown to be unchanged, has nothing to gain from it.
#include <cmath>

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

}  // namespace

bool verdicts_settled(const RunResult& before, const RunResult& after, const VerdictRule& rule) {
  const Comparison comparison = compare_runs(before, after, rule);
  for (const ScreenComparison& screen : comparison.screens) {
    if (screen.presence != Presence::kBoth) continue;
    const bool decided = (rule.fail_on.contains(Gate::kRows) && screen.rows.change != Change::kUnchanged) ||
                         (rule.fail_on.contains(Gate::kPlan) && screen.plan_changed()) ||
                         (rule.fail_on.contains(Gate::kResults) && screen.results_differ());
    if (decided) continue;
    const ScreenResult* a = find(before, screen.name);
    const ScreenResult* b = find(after, screen.name);
    if (!time_settled(a->view_samples(), b->view_samples(), rule)) return false;
    for (const QueryResult& query : a->queries) {
      for (const QueryResult& other : b->queries) {
        if (other.name == query.name && !time_settled(query.samples_ns, other.samples_ns, rule)) {
          return false;
        }
      }
    }
  }
  return true;
}

}  // namespace sqlmeasure
