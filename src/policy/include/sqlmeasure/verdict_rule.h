#pragma once
// The verdict rule of PRODUCT.md §6 (docs/verdicts.md) as a team sets it — its thresholds and
// the gates that fail a build — read from flags and sqlmeasure.toml. The judging is compare's
// (verdict.h): time needs significance AND effect AND an absolute delta; rows examined
// (deterministic) needs the ratio AND an absolute floor.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sqlmeasure/error.h"

namespace sqlmeasure {

// What fails a build (exit 1): --fail-on, [compare] fail_on.
// `budget`: a screen over its budget (gate_policy.h), whatever it was before.
// kDrift is `run --history`'s (docs/history.md), never a comparison's.
enum class Gate { kErrors, kTime, kRows, kPlan, kResults, kWarnings, kBudget, kDrift };

struct VerdictRule {
  double threshold = 0.10;             // relative effect, +10 %
  double alpha = 0.01;                 // significance level of the two-sided Mann-Whitney test
  double min_delta_ms = 0.05;          // absolute noise floor on the median, per query / screen
  std::uint64_t min_rows_delta = 100;  // absolute floor on rows examined per view
  // A query the change breaks fails by default; a fail_on that leaves `errors` out opts out.
  std::set<Gate> fail_on = {Gate::kErrors, Gate::kTime, Gate::kRows, Gate::kBudget};
};

// "errors", "time", "rows", "plan", "results", "warnings"; `where` names the flag or TOML key in
// the error, which exits with `code`.
[[nodiscard]] Gate parse_gate(const std::string& name, const std::string& where, ExitCode code);
[[nodiscard]] const char* gate_name(Gate gate);
// A list of gate names; "none" alone (or among them) adds nothing: fail on nothing.
[[nodiscard]] std::set<Gate> parse_gates(const std::vector<std::string>& names,
                                         const std::string& where, ExitCode code);

}  // namespace sqlmeasure
