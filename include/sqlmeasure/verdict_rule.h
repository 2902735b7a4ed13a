#pragma once
// The verdict rule of PRODUCT.md §6 (docs/verdicts.md), its gates, and the verdicts it gives.
// Time needs significance AND effect AND an absolute delta; rows examined (deterministic)
// needs the ratio AND an absolute floor.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sqlmeasure/error.h"

namespace sqlmeasure {

// What fails a build (exit 1): --fail-on, [compare] fail_on.
// `budget`: a screen over its budget (gate_policy.h), whatever it was before.
enum class Gate { kErrors, kTime, kRows, kPlan, kResults, kWarnings, kBudget };

struct VerdictRule {
  double threshold = 0.10;             // relative effect, +10 %
  double alpha = 0.01;                 // significance level of the two-sided Mann-Whitney test
  double min_delta_ms = 0.05;          // absolute noise floor on the median, per query / screen
  std::uint64_t min_rows_delta = 100;  // absolute floor on rows examined per view
  // A query the change breaks fails by default; a fail_on that leaves `errors` out opts out.
  std::set<Gate> fail_on = {Gate::kErrors, Gate::kTime, Gate::kRows, Gate::kBudget};
};

enum class Change { kUnchanged, kRegressed, kImproved };

// The effect half of the time rule, without the significance test: `ratio` (after / before)
// past the threshold AND `delta_ms` past the noise floor, in the same direction. Every time
// judgement — a verdict, a pair of alternating phases, whether more sampling could still
// matter — asks it here.
[[nodiscard]] Change effect(double ratio, double delta_ms, const VerdictRule& rule);

// A screen's verdict. Declared in the order a report lists them after the gated screens.
enum class Verdict {
  kError,  // a query that ran before fails after the change: the worst regression
  kRegressed,
  kOverBudget,  // after the change, slower than the budget it declares
  kImproved,
  kFixed,  // a query that failed before runs after
  kPlanChanged,
  kResultsDiffer,
  kNewWarning,  // the server raises a warning for a query it did not raise before
  kUnchanged,   // shown as ~
  kAdded,       // the screen is in the after run only
  kRemoved,     // in the before run only
};
[[nodiscard]] const char* verdict_name(Verdict verdict);  // "error", "regressed", ..., "~"

// "errors", "time", "rows", "plan", "results", "warnings"; `where` names the flag or TOML key in
// the error, which exits with `code`.
[[nodiscard]] Gate parse_gate(const std::string& name, const std::string& where, ExitCode code);
[[nodiscard]] const char* gate_name(Gate gate);
// A list of gate names; "none" alone (or among them) adds nothing: fail on nothing.
[[nodiscard]] std::set<Gate> parse_gates(const std::vector<std::string>& names,
                                         const std::string& where, ExitCode code);

}  // namespace sqlmeasure
