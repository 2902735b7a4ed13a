#pragma once
// An alternating live compare (docs/verdicts.md, "Drift and alternation"): the change is
// applied and undone K times, each side's phases are pooled for the verdict, and a time
// verdict must show in every pair of a before and an after phase. With --iterations auto,
// what no further sampling can change is settled and not measured again.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sqlmeasure/compare.h"

namespace sqlmeasure {

// One before phase against one after phase, e.g. "before-2 → after-2".
struct PhasePair {
  std::string label;
  Comparison comparison;
};

// Every after phase against every before phase, labelled "before-B → after-A".
[[nodiscard]] std::vector<PhasePair> phase_pairs(const std::vector<RunResult>& before_phases,
                                                 const std::vector<RunResult>& after_phases,
                                                 const VerdictRule& rule);

// `comparison` pools every phase of each side. A time verdict stands only when every pair
// of a before and an after phase shows the same effect() (no test: a pair holds too few
// samples); otherwise it was load coming and going with the phases, becomes `~`, and a
// warning (kUnconfirmed) names it. Rows examined, plans and checksums are deterministic and
// left as they are.
void confirm_across_phases(Comparison& comparison, const std::vector<PhasePair>& pairs);

// The verdict of an alternating live compare, from its phases in order: `before` and `after`
// pool them (labelled by their sources), the drift warning compares the first and last
// before phases, and confirm_across_phases keeps only the time verdicts every pair shows.
// The live compare and any later `compare DIR` of its out-dir judge by this one function,
// so they print the same verdicts. The comparison records how many phases it judged, and is
// finished (finish_comparison) with the budgets and accepted regressions of `policy`.
[[nodiscard]] Comparison judge_phases(const RunResult& before, const std::string& before_source,
                                      const RunResult& after, const std::string& after_source,
                                      const std::vector<RunResult>& before_phases,
                                      const std::vector<RunResult>& after_phases,
                                      const VerdictRule& rule, const GatePolicy& policy,
                                      std::chrono::year_month_day today = utc_today());

// A time verdict that the pairs measured so far already rule out: some pair does not show
// a regression and some pair does not show an improvement (`query` null: the screen's own
// time). confirm_across_phases demands every pair, so no later phase can get it flagged.
[[nodiscard]] bool pairs_rule_out_flag(const std::vector<PhasePair>& pairs,
                                       const std::string& screen, const std::string* query,
                                       const VerdictRule& rule);

// --iterations auto, between phases: the screens more phases cannot change the verdict of
// (`before` and `after` pool the phases so far, `pairs` are theirs) — decided by a
// deterministic gate in fail_on, or, for their time and each of their queries', a flag
// already ruled out by the pairs or unchanged with confidence (neither end of the 95 %
// bootstrap interval of the median ratio shows an effect()). A time change every pair shows
// is never settled: it needs every alternation (docs/verdicts.md).
[[nodiscard]] std::vector<std::string> settled_screens(const RunResult& before,
                                                       const RunResult& after,
                                                       const std::vector<PhasePair>& pairs,
                                                       const VerdictRule& rule);

// --iterations auto, within a phase or between two endpoints: the one predicate that says a
// screen needs no more rounds. Either side may be part-way through sampling (its inspection
// is done first; the views are its per-view samples so far). True when a deterministic gate
// in fail_on fails the screen from before to after AND its time is decided: the 95 % median
// intervals lie further apart than the threshold and the floor. Five rounds suffice for a
// 100× change a gate confirms, but a time-only change that short could be a transient at the
// start of a phase, hence both.
[[nodiscard]] bool screen_decided(const ScreenResult& before,
                                  std::span<const std::int64_t> before_views,
                                  const ScreenResult& after,
                                  std::span<const std::int64_t> after_views,
                                  const VerdictRule& rule);

// The two halves of screen_decided, for tests.
[[nodiscard]] bool gate_decides(const ScreenResult& before, const ScreenResult& after,
                                const VerdictRule& rule);
[[nodiscard]] bool time_decided(std::span<const std::int64_t> side,
                                std::span<const std::int64_t> other, const VerdictRule& rule);

}  // namespace sqlmeasure
