// The verdict of a screen and the gates that fail a build (PRODUCT.md §6, docs/verdicts.md).
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "evidence.h"
#include "sqlmeasure/compare.h"

namespace sqlmeasure {
namespace {

// A screen changed when its own figure or any of its touched queries' did: a regressed
// query can hide inside an unchanged screen total when another query got faster.
bool time_is(const ScreenComparison& screen, Change change) {
  return screen.time.change == change || std::any_of(screen.queries.begin(), screen.queries.end(),
                                                     [change](const QueryComparison& q) {
                                                       return q.touched && q.time.change == change;
                                                     });
}

bool rows_are(const ScreenComparison& screen, Change change) {
  return screen.rows.change == change ||
         std::any_of(screen.queries.begin(), screen.queries.end(),
                     [change](const QueryComparison& q) { return q.rows.change == change; });
}

}  // namespace

bool gate_fires(const ScreenComparison& screen, Gate gate) {
  switch (gate) {
    case Gate::kErrors:
      return screen.breaks();
    case Gate::kTime:
      return time_is(screen, Change::kRegressed);
    case Gate::kRows:
      return rows_are(screen, Change::kRegressed);
    case Gate::kPlan:
      return screen.plan_changed();
    case Gate::kResults:
      return screen.results_differ();
    case Gate::kWarnings:
      return screen.new_warning();
    case Gate::kBudget:
      return false;  // not a before/after gate: gated() asks over_budget()
    case Gate::kDrift:
      return false;  // run --history's, refused by compare's --fail-on
  }
  return false;
}

bool QueryComparison::time_only() const {
  return time.change != Change::kUnchanged && plan_changes.empty() && warnings_added.empty() &&
         rows.change == Change::kUnchanged && !results_differ && outcome == QueryOutcome::kCompared;
}

const char* outcome_name(QueryOutcome outcome) {
  switch (outcome) {
    case QueryOutcome::kCompared:
      return "compared";
    case QueryOutcome::kBreaks:
      return "error";
    case QueryOutcome::kFixed:
      return "fixed";
    case QueryOutcome::kFailsBoth:
      return "fails both";
  }
  return "compared";
}

bool ScreenComparison::breaks() const {
  return std::any_of(queries.begin(), queries.end(),
                     [](const QueryComparison& q) { return q.outcome == QueryOutcome::kBreaks; });
}

bool ScreenComparison::fixed() const {
  return std::any_of(queries.begin(), queries.end(),
                     [](const QueryComparison& q) { return q.outcome == QueryOutcome::kFixed; });
}

bool ScreenComparison::touched() const {
  return queries.empty() || std::any_of(queries.begin(), queries.end(),
                                        [](const QueryComparison& q) { return q.touched; });
}

bool ScreenComparison::plan_changed() const {
  return std::any_of(queries.begin(), queries.end(),
                     [](const QueryComparison& q) { return !q.plan_changes.empty(); });
}

bool ScreenComparison::results_differ() const {
  return std::any_of(queries.begin(), queries.end(),
                     [](const QueryComparison& q) { return q.results_differ; });
}

bool ScreenComparison::new_warning() const {
  return std::any_of(queries.begin(), queries.end(),
                     [](const QueryComparison& q) { return !q.warnings_added.empty(); });
}

bool ScreenComparison::regressed(const VerdictRule& rule) const {
  // An added or removed screen has nothing to compare against; it is reported, not gated.
  if (presence != Presence::kBoth) return false;
  return std::any_of(rule.fail_on.begin(), rule.fail_on.end(),
                     [this](Gate gate) { return gate_fires(*this, gate); });
}

bool QueryComparison::gated(const VerdictRule& rule) const {
  const auto on = [&rule](Gate gate) { return rule.fail_on.contains(gate); };
  return (on(Gate::kErrors) && outcome == QueryOutcome::kBreaks) ||
         (on(Gate::kTime) && touched && time.change == Change::kRegressed) ||
         (on(Gate::kRows) && rows.change == Change::kRegressed) ||
         (on(Gate::kPlan) && !plan_changes.empty()) || (on(Gate::kResults) && results_differ) ||
         (on(Gate::kWarnings) && !warnings_added.empty());
}

bool ScreenComparison::gated(const VerdictRule& rule) const {
  return regressed(rule) || (over_budget() && rule.fail_on.contains(Gate::kBudget));
}

Verdict ScreenComparison::verdict() const {
  if (presence == Presence::kOnlyBefore) return Verdict::kRemoved;
  // A new screen is judged by its budget alone: it has no before.
  if (presence == Presence::kOnlyAfter)
    return over_budget() ? Verdict::kOverBudget : Verdict::kAdded;
  if (breaks()) return Verdict::kError;
  if (time_is(*this, Change::kRegressed) || rows_are(*this, Change::kRegressed)) {
    return Verdict::kRegressed;
  }
  if (over_budget()) return Verdict::kOverBudget;
  if (time_is(*this, Change::kImproved) || rows_are(*this, Change::kImproved)) {
    return Verdict::kImproved;
  }
  if (fixed()) return Verdict::kFixed;
  if (plan_changed()) return Verdict::kPlanChanged;
  if (results_differ()) return Verdict::kResultsDiffer;
  if (new_warning()) return Verdict::kNewWarning;
  return Verdict::kUnchanged;
}

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kError:
      return "error";
    case Verdict::kRegressed:
      return "regressed";
    case Verdict::kOverBudget:
      return "over budget";
    case Verdict::kImproved:
      return "improved";
    case Verdict::kFixed:
      return "fixed";
    case Verdict::kPlanChanged:
      return "plan changed";
    case Verdict::kResultsDiffer:
      return "results differ";
    case Verdict::kNewWarning:
      return "new warning";
    case Verdict::kUnchanged:
      return "~";
    case Verdict::kAdded:
      return "added";
    case Verdict::kRemoved:
      return "removed";
  }
  return "~";
}

std::size_t Comparison::failing_count() const {
  return static_cast<std::size_t>(
      std::count_if(screens.begin(), screens.end(),
                    [this](const ScreenComparison& screen) { return screen.fails_gate(rule); }));
}

std::size_t Comparison::accepted_count() const {
  return static_cast<std::size_t>(std::count_if(
      screens.begin(), screens.end(),
      [this](const ScreenComparison& screen) { return screen.gated(rule) && screen.accepted; }));
}

}  // namespace sqlmeasure
