// --iterations auto: which verdicts more sampling could still change (docs/verdicts.md,
// "Drift and alternation"). Alternating protects time verdicts from load that comes and
// goes; a verdict that rests on deterministic evidence, or a time that is shown to be
// unchanged, has nothing to gain from it.
#include <cmath>

#include "evidence.h"
#include "sqlmeasure/alternation.h"
#include "sqlmeasure/stats.h"

namespace sqlmeasure {
namespace {

// Unchanged with confidence: neither end of the 95 % bootstrap interval of the median ratio
// shows an effect, so no amount of further sampling would let the rule flag it.
bool time_settled(const std::vector<std::int64_t>& before_ns,
                  const std::vector<std::int64_t>& after_ns, const VerdictRule& rule) {
  if (before_ns.size() < 2 || after_ns.size() < 2) return true;  // an error: nothing to add
  const std::vector<double> before = to_ms(before_ns), after = to_ms(after_ns);
  const Interval ratio = bootstrap_median_ratio(before, after, 0.95, 1000, 1);
  const double median_before = quantile(before, 0.5);
  auto shows_effect = [&](double end) {
    return effect(end, (end - 1) * median_before, rule) != Change::kUnchanged;
  };
  return !shows_effect(ratio.low) && !shows_effect(ratio.high);
}

const ScreenResult* find(const RunResult& run, const std::string& name) {
  for (const ScreenResult& screen : run.screens) {
    if (screen.name == name) return &screen;
  }
  return nullptr;
}

// A deterministic gate in fail_on fails it: a verdict no timing can change.
bool gated_deterministically(const ScreenComparison& screen, const VerdictRule& rule) {
  for (Gate gate : {Gate::kErrors, Gate::kRows, Gate::kPlan, Gate::kResults, Gate::kWarnings}) {
    if (rule.fail_on.contains(gate) && gate_fires(screen, gate)) return true;
  }
  return false;
}

bool settled(const ScreenComparison& screen, const RunResult& before, const RunResult& after,
             const std::vector<PhasePair>& pairs, const VerdictRule& rule) {
  if (gated_deterministically(screen, rule)) return true;
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

// gate_decides on two screens inspected to the same depth. `after` may be part-way through
// sampling: its rows per view are summed from its queries' inspection, which comes before any
// sample.
bool gate_decides_aligned(const ScreenResult& before, const ScreenResult& after,
                          const VerdictRule& rule) {
  ScreenComparison screen;
  screen.rows = rows_evidence(rows_examined_per_view(before.queries),
                              rows_examined_per_view(after.queries), rule);
  for (const QueryResult& query : before.queries) {
    for (const QueryResult& other : after.queries) {
      if (other.name == query.name) {
        screen.queries.push_back(compare_deterministic(query, other, rule));
      }
    }
  }
  return gated_deterministically(screen, rule);
}

}  // namespace

bool gate_decides(const ScreenResult& before, const ScreenResult& after, const VerdictRule& rule) {
  // Rows and checksums on the variants both inspected: copies, only when their depths differ.
  if (inspected_alike(before, after)) return gate_decides_aligned(before, after, rule);
  ScreenResult aligned_before = before, aligned_after = after;
  align_inspections(aligned_before, aligned_after);
  return gate_decides_aligned(aligned_before, aligned_after, rule);
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

bool time_decided(std::span<const std::int64_t> side, std::span<const std::int64_t> other,
                  const VerdictRule& rule) {
  if (side.empty() || other.empty()) return false;
  const MedianInterval a = median_interval({side.begin(), side.end()});
  const MedianInterval b = median_interval({other.begin(), other.end()});
  // The intervals' near ends, as if they were the medians: past the effect either way.
  auto apart = [&](const MedianInterval& slow, const MedianInterval& fast) {
    if (fast.high <= 0) return false;
    const double ratio = static_cast<double>(slow.low) / static_cast<double>(fast.high);
    const double delta_ms = static_cast<double>(slow.low - fast.high) / 1e6;
    return effect(ratio, delta_ms, rule) == Change::kRegressed;
  };
  return apart(a, b) || apart(b, a);
}

bool screen_decided(const ScreenResult& before, std::span<const std::int64_t> before_views,
                    const ScreenResult& after, std::span<const std::int64_t> after_views,
                    const VerdictRule& rule) {
  return time_decided(before_views, after_views, rule) && gate_decides(before, after, rule);
}

}  // namespace sqlmeasure
