// The verdict of a screen and the gates that fail a build (PRODUCT.md §6, docs/verdicts.md).
#include <algorithm>
#include <string>

#include "sqlmeasure/compare.h"
#include "sqlmeasure/error.h"

namespace sqlmeasure {
namespace {

struct GateName {
  Gate gate;
  const char* name;
};
constexpr GateName kGates[] = {{Gate::kTime, "time"},
                               {Gate::kRows, "rows"},
                               {Gate::kPlan, "plan"},
                               {Gate::kResults, "results"}};

// A screen changed when its own figure or any of its queries' did: a regressed query can
// hide inside an unchanged screen total when another query got faster.
bool time_is(const ScreenComparison& screen, Change change) {
  return screen.time.change == change ||
         std::any_of(screen.queries.begin(), screen.queries.end(),
                     [change](const QueryComparison& q) { return q.time.change == change; });
}

bool rows_are(const ScreenComparison& screen, Change change) {
  return screen.rows.change == change ||
         std::any_of(screen.queries.begin(), screen.queries.end(),
                     [change](const QueryComparison& q) { return q.rows.change == change; });
}

bool gate_fires(const ScreenComparison& screen, Gate gate) {
  switch (gate) {
    case Gate::kTime:
      return time_is(screen, Change::kRegressed);
    case Gate::kRows:
      return rows_are(screen, Change::kRegressed);
    case Gate::kPlan:
      return screen.plan_changed();
    case Gate::kResults:
      return screen.results_differ();
  }
  return false;
}

}  // namespace

bool ScreenComparison::plan_changed() const {
  return std::any_of(queries.begin(), queries.end(),
                     [](const QueryComparison& q) { return !q.plan_changes.empty(); });
}

bool ScreenComparison::results_differ() const {
  return std::any_of(queries.begin(), queries.end(),
                     [](const QueryComparison& q) { return q.results_differ; });
}

bool ScreenComparison::regressed(const VerdictRule& rule) const {
  // An added or removed screen has nothing to compare against; it is reported, not gated.
  if (presence != Presence::kBoth) return false;
  return std::any_of(rule.fail_on.begin(), rule.fail_on.end(),
                     [this](Gate gate) { return gate_fires(*this, gate); });
}

std::string ScreenComparison::verdict() const {
  if (presence == Presence::kOnlyBefore) return "removed";
  if (presence == Presence::kOnlyAfter) return "added";
  if (time_is(*this, Change::kRegressed) || rows_are(*this, Change::kRegressed)) {
    return "regressed";
  }
  if (time_is(*this, Change::kImproved) || rows_are(*this, Change::kImproved)) return "improved";
  if (plan_changed()) return "plan changed";
  if (results_differ()) return "results differ";
  return "~";
}

std::size_t Comparison::regressed_count() const {
  return static_cast<std::size_t>(
      std::count_if(screens.begin(), screens.end(),
                    [this](const ScreenComparison& screen) { return screen.regressed(rule); }));
}

Gate parse_gate(const std::string& name) {
  for (const GateName& known : kGates) {
    if (name == known.name) return known.gate;
  }
  throw Error(ExitCode::kUsage,
              "--fail-on: unknown gate '" + name + "' (expected time, rows, plan, results)");
}

const char* gate_name(Gate gate) {
  for (const GateName& known : kGates) {
    if (gate == known.gate) return known.name;
  }
  return "unknown";
}

}  // namespace sqlmeasure
