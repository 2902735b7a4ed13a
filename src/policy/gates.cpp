// The gates a comparison can fail a build on, by name (--fail-on, [compare] fail_on).
#include <fmt/format.h>

#include "sqlmeasure/verdict_rule.h"

namespace sqlmeasure {
namespace {

struct GateName {
  Gate gate;
  const char* name;
};
constexpr GateName kGates[] = {{Gate::kErrors, "errors"},   {Gate::kTime, "time"},
                               {Gate::kRows, "rows"},       {Gate::kPlan, "plan"},
                               {Gate::kResults, "results"}, {Gate::kWarnings, "warnings"},
                               {Gate::kBudget, "budget"},   {Gate::kDrift, "drift"}};

}  // namespace

Gate parse_gate(const std::string& name, const std::string& where, ExitCode code) {
  for (const GateName& known : kGates) {
    if (name == known.name) return known.gate;
  }
  fail(code,
       fmt::format(
           "{}: unknown gate '{}' (expected errors, time, rows, plan, results, warnings, budget, "
           "drift, or none)",
           where, name));
}

std::set<Gate> parse_gates(const std::vector<std::string>& names, const std::string& where,
                           ExitCode code) {
  std::set<Gate> gates;
  for (const std::string& name : names) {
    if (name != "none") gates.insert(parse_gate(name, where, code));
  }
  return gates;
}

const char* gate_name(Gate gate) {
  for (const GateName& known : kGates) {
    if (gate == known.gate) return known.name;
  }
  return "unknown";
}

}  // namespace sqlmeasure
