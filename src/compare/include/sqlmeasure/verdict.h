#pragma once
// What a comparison says of a time or a screen (PRODUCT.md §6, docs/verdicts.md): the effect
// half of the time rule, and the verdicts, in the order a report lists them.
#include "sqlmeasure/verdict_rule.h"

namespace sqlmeasure {

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

}  // namespace sqlmeasure
