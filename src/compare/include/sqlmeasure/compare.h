#pragma once
// Before/after comparison of two runs of the same screens (PRODUCT.md §6, docs/verdicts.md):
// per query and per screen, time and rows-examined evidence, plan changes, result
// differences, and the warnings that say when a comparison means less than it seems.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/budget.h"
#include "sqlmeasure/gate_policy.h"
#include "sqlmeasure/plan_fidelity.h"
#include "sqlmeasure/results.h"
#include "sqlmeasure/verdict.h"
#include "sqlmeasure/verdict_rule.h"

namespace sqlmeasure {

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

// What kind of plan change it is (docs/verdicts.md, "Plan changes"), most telling first. Where
// `sqlmeasure indexes` has a rule for the cause, the class uses its words and names the rule.
enum class PlanClass {
  kHintResolved,    // an index hint now resolves to another index (a prefix match)
  kLowCardinality,  // now an index whose leading column has few values
  kFullScan,        // now reads every row (type ALL)
  kFullIndexScan,   // now reads a whole index (type index)
  kIndexMerge,      // now combines several indexes
  kIndexChanged,    // another index, none of the above
  kRangeRef,        // range ↔ ref on the same or another index
  kJoinOrder,       // the tables are joined in another order
  kFilesortAdded,   // the rows are sorted after reading
  kTemporaryAdded,  // a temporary table
  kIndexUsed,       // no longer a full scan
  kFilesortRemoved,
  kTemporaryRemoved,
  kTableAdded,  // a table (or derived table) on the after side only
  kTableRemoved,
};
[[nodiscard]] const char* plan_class_id(PlanClass kind);    // "low-cardinality"
[[nodiscard]] const char* plan_class_name(PlanClass kind);  // "low cardinality"

struct PlanCause {
  PlanClass kind = PlanClass::kIndexChanged;
  std::string evidence;  // "2 distinct values in 300k rows; deleted = 0 matches 98.5 %"
  std::string rule;      // the `sqlmeasure indexes` rule that flags it, or empty
};

struct PlanChange {
  std::string table;
  std::optional<PlanRow> before, after;  // absent: the table appears on one side only
  // A change of join order: the tables in order on each side (before and after then absent).
  std::vector<std::string> order_before, order_after;
  std::vector<PlanCause> causes;               // most telling first; never empty once classified
  [[nodiscard]] std::string describe() const;  // "works key category_started → (none), ref → ALL"
  // "full scan: all 300k rows of works · filesort added", as every format shows the causes.
  [[nodiscard]] std::string causes_text() const;
};

// One side's failures of a query: its first error, and in how many of the phases that ran it
// it failed (a run of one phase: 1 of 1).
struct SideFailures {
  std::optional<std::string> error;
  int failed = 0, phases = 1;
  [[nodiscard]] bool always() const { return failed > 0 && failed >= phases; }
  [[nodiscard]] bool sometimes() const { return failed > 0 && failed < phases; }
};

// What a query's failures make of it (docs/verdicts.md, "Errors"). A failed execution is not
// a figure: a side that always failed has no time or rows to compare.
enum class QueryOutcome {
  kCompared,   // it ran on both sides (in some phase of each): judged on what ran
  kBreaks,     // ran before, fails in every after phase: verdict `error`, the worst regression
  kFixed,      // failed in every before phase, runs after
  kFailsBoth,  // failed in every phase of both sides: said, not compared
};
[[nodiscard]] const char* outcome_name(
    QueryOutcome outcome);  // "compared", "error", "fixed", "fails both"

struct QueryComparison {
  std::string name;
  TimeEvidence time;
  RowsEvidence rows;
  std::vector<PlanChange> plan_changes;
  bool results_differ = false;
  // Warnings the server raises for it after the change and did not before, and the reverse
  // (matched by level, code, message and whether EXPLAIN or the execution raised them).
  std::vector<ServerWarning> warnings_added, warnings_gone;
  SideFailures failed_before, failed_after;
  QueryOutcome outcome = QueryOutcome::kCompared;
  [[nodiscard]] bool failed() const { return failed_before.failed > 0 || failed_after.failed > 0; }
  // False when the after side records the change (a live compare) and the query reads none
  // of the tables it alters: its time alone then flags nothing (docs/verdicts.md).
  bool touched = true;
  // With --plans-from, on a flagged screen: how its before plan differs from production's
  // (QueryFidelity::describe), the verdict may not hold there; empty otherwise.
  std::string unlike_production;
  // Its time changed while its plan, rows examined and results did not: slower or faster
  // beside heavier neighbours, not by a plan of its own.
  [[nodiscard]] bool time_only() const;
  // One of its own figures fires a gate in fail_on (an [[accept]] entry naming it covers that).
  [[nodiscard]] bool gated(const VerdictRule& rule) const;
};

enum class Presence { kBoth, kOnlyBefore, kOnlyAfter };

struct ScreenComparison {
  std::string name;
  Presence presence = Presence::kBoth;
  TimeEvidence time;
  RowsEvidence rows;
  std::vector<QueryComparison> queries;  // matched by name
  std::vector<std::string> queries_only_before, queries_only_after;
  double after_p95_ms = 0;                // per view, for its budget; 0 without after samples
  std::optional<Budget> declared_budget;  // its screen file's, as the after run recorded it
  // How each side's sampling of it ended, as the runs recorded it (none before version 6).
  std::optional<SamplingStop> sampling_before, sampling_after;
  // Set by finish_comparison (gate_policy.h): its budget checked, and the entry accepting it.
  std::optional<BudgetCheck> budget;
  std::optional<Acceptance> accepted;
  [[nodiscard]] bool breaks()
      const;                         // a query of it fails after the change (QueryOutcome::kBreaks)
  [[nodiscard]] bool fixed() const;  // a query of it failed before and runs after
  [[nodiscard]] bool plan_changed() const;
  [[nodiscard]] bool results_differ() const;
  [[nodiscard]] bool new_warning() const;  // a query of it raises a warning it did not before
  [[nodiscard]] bool touched() const;      // some query of it is (or no change is recorded)
  [[nodiscard]] bool regressed(const VerdictRule& rule) const;  // by the gates in fail_on
  [[nodiscard]] bool over_budget() const { return budget && budget->over(); }
  // A gate in fail_on fires: a before/after gate, or `budget` for a screen over its budget.
  [[nodiscard]] bool gated(const VerdictRule& rule) const;
  // Gated and not accepted: what makes compare exit 1.
  [[nodiscard]] bool fails_gate(const VerdictRule& rule) const { return gated(rule) && !accepted; }
  [[nodiscard]] Verdict verdict() const;
};

// Why a comparison may not mean what it seems (hyperfine's model: warnings are data, with a
// concrete hint).
enum class WarningKind {
  kIncompleteRun,           // a side stopped early
  kSettingsDiffer,          // iterations, warm-up, seed or order
  kServerDiffers,           // flavor or version
  kRowsCountedDifferently,  // Rows_read on one side, Handler_read_* on the other
  kParamsDiffer,            // a query's parameter values
  kSqlDiffers,              // a query's text
  kTimesDiffer,             // a query's times per view
  kDrift,                   // the first and last before phases disagree (the machine drifted)
  kUnconfirmed,             // a time change not every pair of alternating phases shows
  kUntouched,               // a time change of screens that read nothing the change alters
  kOneRunASide,             // two runs made apart: drift cannot be told from the change
  kConditionsDiffer,        // server settings or the tables' rows differ between the sides
  kAcceptExpired,           // an [[accept]] entry past its date: its regression fails again
  kAcceptUnused,            // an [[accept]] entry that accepts nothing in this comparison
};

struct Warning {
  WarningKind kind;
  std::string text;  // what was seen
  std::string hint;  // what to make of it, or do; may be empty
  // "text; hint", as every renderer prints it.
  [[nodiscard]] std::string message() const { return hint.empty() ? text : text + "; " + hint; }
};

struct Comparison {
  std::string before_label, after_label;
  VerdictRule rule;
  std::vector<ScreenComparison> screens;  // failing the gate, then accepted, then other
                                          // regressions, then improvements, then the rest;
                                          // ties by name
  std::vector<Warning> warnings;
  // Judged from alternating phases (judge_phases): how many of each side; 0 when two runs
  // were compared as they are.
  std::size_t before_phases = 0, after_phases = 0;
  std::optional<ChangeRecord> change;  // what a live compare changed (its after run says)
  // With --plans-from: the before side's plans against production's (note_plan_fidelity).
  std::optional<PlanFidelity> fidelity;
  [[nodiscard]] std::size_t failing_count() const;   // screens that fail the gate
  [[nodiscard]] std::size_t accepted_count() const;  // gated screens an entry accepts
  [[nodiscard]] bool gate_failed() const { return failing_count() > 0; }
  void resort();  // after verdicts change (confirm_across_phases)
};

[[nodiscard]] Comparison compare_runs(const RunResult& before, const RunResult& after,
                                      const VerdictRule& rule);

// compare_runs, with each side labelled by describe_run.
[[nodiscard]] Comparison compare_labelled(const RunResult& before, const std::string& before_source,
                                          const RunResult& after, const std::string& after_source,
                                          const VerdictRule& rule);

// A comparison of two runs, judged: compare_labelled, then budgets and accepted regressions
// (finish_comparison). For two sides of one run each (two endpoints, a live compare cut short,
// two results files); judge_phases (alternation.h) judges alternating phases.
[[nodiscard]] Comparison judge_runs(const RunResult& before, const std::string& before_source,
                                    const RunResult& after, const std::string& after_source,
                                    const VerdictRule& rule, const GatePolicy& policy,
                                    std::chrono::year_month_day today = utc_today());

// "before.json (label) · MariaDB 10.11.6 · 127.0.0.1:3306 · 2024-05-01T10:00:00Z": where a
// run came from (`source`: its file, or "before"/"after"), as a comparison's header shows it.
[[nodiscard]] std::string describe_run(const RunResult& run, const std::string& source);

// A live compare measures the unchanged schema before and after the change: when its first
// and last before phases disagree on a screen's time, the machine drifted during the run and
// a warning (kDrift) names the screens.
void add_drift_warning(Comparison& comparison, const RunResult& first_before,
                       const RunResult& last_before);

// The last step of every judge_* function, and so of every comparison printed: resolves each
// screen's budget (its own file's, else the first matching rule's) and checks the after side
// against it; marks the screens an unexpired entry accepts (as of `today`); adds a warning for
// an expired entry and for one that accepts nothing; re-sorts the screens.
void finish_comparison(Comparison& comparison, const GatePolicy& policy,
                       std::chrono::year_month_day today);

// --plans-from: keeps `fidelity` (the before side's plans against production's) on the
// comparison, and marks each query of a flagged screen (any verdict but unchanged, added or
// removed) whose before plan is unlike production's (QueryComparison::unlike_production). It
// changes no verdict: it says where one may not hold on production.
void note_plan_fidelity(Comparison& comparison, PlanFidelity fidelity);

}  // namespace sqlmeasure
