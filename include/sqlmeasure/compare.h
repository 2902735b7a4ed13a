#pragma once
// Before/after comparison of two runs of the same screens, and the verdict rule of
// PRODUCT.md §6 (docs/verdicts.md): time needs significance AND effect AND an absolute
// delta; rows examined (deterministic) needs the ratio AND an absolute floor.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sqlmeasure/results.h"

namespace sqlmeasure {

enum class Gate { kTime, kRows, kPlan, kResults };

struct VerdictRule {
  double threshold = 0.10;       // relative effect, +10 %
  double alpha = 0.01;           // significance level of the two-sided Mann-Whitney test
  double min_delta_ms = 0.05;    // absolute noise floor on the median, per query / screen
  std::uint64_t min_rows_delta = 100;  // absolute floor on rows examined per view
  std::set<Gate> fail_on = {Gate::kTime, Gate::kRows};
};

enum class Change { kUnchanged, kRegressed, kImproved };

struct TimeEvidence {
  double before_ms = 0, after_ms = 0;  // medians
  double ratio = 1;                    // after / before
  double delta_ms = 0;
  double p = 1;
  std::size_t n_before = 0, n_after = 0;
  Change change = Change::kUnchanged;
};

struct RowsEvidence {
  std::uint64_t before = 0, after = 0;
  Change change = Change::kUnchanged;
};

struct PlanChange {
  std::string table;
  std::optional<PlanRow> before, after;  // absent: the table appears on one side only
  [[nodiscard]] std::string describe() const;  // "works key category_started → (none), ref → ALL"
};

struct QueryComparison {
  std::string name;
  TimeEvidence time;
  RowsEvidence rows;
  std::vector<PlanChange> plan_changes;
  bool results_differ = false;
  std::optional<std::string> error;  // a side failed or timed out
};

enum class Presence { kBoth, kOnlyBefore, kOnlyAfter };

struct ScreenComparison {
  std::string name;
  Presence presence = Presence::kBoth;
  TimeEvidence time;
  RowsEvidence rows;
  std::vector<QueryComparison> queries;  // matched by name
  std::vector<std::string> queries_only_before, queries_only_after;
  [[nodiscard]] bool plan_changed() const;
  [[nodiscard]] bool results_differ() const;
  [[nodiscard]] bool regressed(const VerdictRule& rule) const;  // by the gates in fail_on
  [[nodiscard]] std::string verdict() const;  // "regressed", "improved", "plan changed", "results differ", "~"
};

struct Comparison {
  std::string before_label, after_label;
  VerdictRule rule;
  std::vector<ScreenComparison> screens;  // gated regressions, then other regressions, then
                                          // improvements, then the rest; ties by name
  std::vector<std::string> warnings;      // differing parameters, settings, servers, ...
  [[nodiscard]] std::size_t regressed_count() const;
  [[nodiscard]] bool gate_failed() const { return regressed_count() > 0; }
  void resort();  // after verdicts change (confirm_across_phases)
};

[[nodiscard]] Comparison compare_runs(const RunResult& before, const RunResult& after,
                                      const VerdictRule& rule);

// One before phase against one after phase of an alternating live compare, e.g.
// "before-2 → after-2" (docs/verdicts.md, "Drift and alternation").
struct PhasePair {
  std::string label;
  Comparison comparison;
};

// Every after phase against every before phase, labelled "before-B → after-A".
[[nodiscard]] std::vector<PhasePair> phase_pairs(const std::vector<RunResult>& before_phases,
                                                 const std::vector<RunResult>& after_phases,
                                                 const VerdictRule& rule);

// `comparison` pools every phase of each side. A time verdict stands only when every pair
// of a before and an after phase shows the same effect past the threshold and the floor (no test:
// a pair holds too few samples); otherwise it was load coming and going with the phases,
// becomes `~`, and a warning names it. Rows examined, plans and checksums are
// deterministic and left as they are.
void confirm_across_phases(Comparison& comparison, const std::vector<PhasePair>& pairs);

// A time verdict that the pairs measured so far already rule out: some pair does not show
// a regression and some pair does not show an improvement (`query` null: the screen's own
// time). confirm_across_phases demands every pair, so no later phase can get it flagged.
[[nodiscard]] bool pairs_rule_out_flag(const std::vector<PhasePair>& pairs,
                                       const std::string& screen, const std::string* query,
                                       const VerdictRule& rule);

// --iterations auto in a live compare: the screens more phases cannot change the verdict
// of (`before` and `after` pool the phases so far, `pairs` are theirs) — decided by a
// deterministic gate in fail_on (rows examined; plans and results when gated), or, for
// their time and each of their queries', a flag already ruled out by the pairs
// (pairs_rule_out_flag) or unchanged with confidence (the 95 % bootstrap interval of the
// median ratio within the threshold both ways, or the deltas it allows under the noise
// floor). A time change every pair shows is never settled: it needs every alternation
// (docs/verdicts.md).
[[nodiscard]] std::vector<std::string> settled_screens(const RunResult& before,
                                                       const RunResult& after,
                                                       const std::vector<PhasePair>& pairs,
                                                       const VerdictRule& rule);

// Whether a deterministic gate in fail_on fails this screen — rows examined (the screen's,
// Σ rows × times), a plan change or different results when gated: a verdict no timing can
// change. `after` may be part-way through sampling (its inspection is done first).
[[nodiscard]] bool gate_decides(const ScreenResult& before, const ScreenResult& after,
                                const VerdictRule& rule);

// --iterations auto within a phase: true when the 95 % median intervals of one side's
// per-view samples and the other side's lie further apart than the threshold and the
// floor — the change is beyond doubt in size and direction, and more rounds would only
// narrow intervals that already do not touch. Callers stop a screen on it only when
// gate_decides too: five rounds suffice for a 100× change a gate confirms, but a
// time-only change that short could be a transient at the start of a phase.
[[nodiscard]] bool time_decided(const std::vector<std::int64_t>& side,
                                const std::vector<std::int64_t>& other, const VerdictRule& rule);

[[nodiscard]] Gate parse_gate(const std::string& name);  // throws kUsage
[[nodiscard]] const char* gate_name(Gate gate);

}  // namespace sqlmeasure
