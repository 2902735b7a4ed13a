// `compare --format json`: the comparison document (docs/verdicts.md), schema 6.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "comparison_formats.h"
#include "comparison_text.h"
#include "fidelity_json.h"
#include "sqlmeasure/results_json.h"

namespace sqlmeasure {
namespace {

nlohmann::json time_json(const TimeEvidence& t, Sides sides) {
  auto finite = [](double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
  };
  const bool before = sides.before, after = sides.after;
  auto side = [](bool present, nlohmann::json value) {
    return present ? value : nlohmann::json(nullptr);
  };
  return {{"before_median_ms", side(before, t.before_ms)},
          {"after_median_ms", side(after, t.after_ms)},
          {"ratio", side(before && after, finite(t.ratio))},
          {"delta_ms", side(before && after, t.delta_ms)},
          {"p", side(before && after, t.p)},
          {"n_before", t.n_before},
          {"n_after", t.n_after},
          {"change", change_name(t.change)}};
}

nlohmann::json rows_json(const RowsEvidence& rows, Sides sides) {
  auto side = [](bool present, std::uint64_t value) {
    return present ? nlohmann::json(value) : nlohmann::json(nullptr);
  };
  return {{"before", side(sides.before, rows.before)},
          {"after", side(sides.after, rows.after)},
          {"change", change_name(rows.change)}};
}

nlohmann::json plan_row_json(const std::optional<PlanRow>& row) {
  if (!row) return nullptr;
  return {
      {"type", row->access_type}, {"key", row->key}, {"rows", row->rows}, {"extra", row->extra}};
}

std::vector<std::string> warning_messages(const std::vector<Warning>& warnings) {
  std::vector<std::string> messages;
  for (const Warning& warning : warnings) messages.push_back(warning.message());
  return messages;
}

// A side's failures, or null when it never failed.
nlohmann::json failures_json(const SideFailures& side) {
  if (side.failed == 0) return nullptr;
  return {
      {"error", side.error.value_or("")}, {"failed_phases", side.failed}, {"phases", side.phases}};
}

// A screen's budget and the after side's figures against it, or null.
// How a side's sampling of the screen ended (results files of version 6 on), or null.
nlohmann::json sampling_json(const std::optional<SamplingStop>& stop) {
  if (!stop) return nullptr;
  return {{"views", stop->views}, {"stopped", stop->reason}};
}

nlohmann::json budget_json(const std::optional<BudgetCheck>& check) {
  if (!check) return nullptr;
  auto figure = [](const std::optional<double>& ms) {
    return ms ? nlohmann::json(*ms) : nlohmann::json(nullptr);
  };
  return {{"median_ms", figure(check->budget.median_ms)},
          {"p95_ms", figure(check->budget.p95_ms)},
          {"source", check->budget.source},
          {"after_median_ms", check->median_ms},
          {"after_p95_ms", check->p95_ms},
          {"over", check->over()}};
}

nlohmann::json acceptance_json(const std::optional<Acceptance>& entry) {
  if (!entry) return nullptr;
  return {{"screen", entry->screen},
          {"query", entry->query ? nlohmann::json(*entry->query) : nlohmann::json(nullptr)},
          {"reason", entry->reason},
          {"expires", date_text(entry->expires)},
          {"source", entry->source}};
}

}  // namespace

void render_comparison_json(const Comparison& comparison, std::ostream& out) {
  nlohmann::json screens = nlohmann::json::array();
  for (const ScreenComparison& screen : comparison.screens) {
    nlohmann::json queries = nlohmann::json::array();
    for (const QueryComparison& q : screen.queries) {
      nlohmann::json plans = nlohmann::json::array();
      for (const PlanChange& change : q.plan_changes) {
        nlohmann::json causes = nlohmann::json::array();
        for (const PlanCause& cause : change.causes) {
          causes.push_back({{"class", plan_class_id(cause.kind)},
                            {"name", plan_class_name(cause.kind)},
                            {"evidence", cause.evidence},
                            {"rule", cause.rule.empty() ? nlohmann::json(nullptr)
                                                        : nlohmann::json(cause.rule)}});
        }
        plans.push_back({{"table", change.table},
                         {"description", change.describe()},
                         {"class", change.causes.empty()
                                       ? nlohmann::json(nullptr)
                                       : nlohmann::json(plan_class_id(change.causes.front().kind))},
                         {"causes", causes},
                         {"before", plan_row_json(change.before)},
                         {"after", plan_row_json(change.after)}});
        if (!change.order_before.empty()) {
          plans.back()["order_before"] = change.order_before;
          plans.back()["order_after"] = change.order_after;
        }
      }
      queries.push_back({{"name", q.name},
                         {"time", time_json(q.time, sides_of(q))},
                         {"rows_examined", rows_json(q.rows, sides_of(q))},
                         {"plan_changes", plans},
                         {"results_differ", q.results_differ},
                         {"warnings_added", warnings_to_json(q.warnings_added)},
                         {"warnings_gone", warnings_to_json(q.warnings_gone)},
                         {"time_only", q.time_only()},
                         {"touched", q.touched},
                         {"outcome", outcome_name(q.outcome)},
                         {"failed_before", failures_json(q.failed_before)},
                         {"failed_after", failures_json(q.failed_after)},
                         {"unlike_production", q.unlike_production.empty()
                                                   ? nlohmann::json(nullptr)
                                                   : nlohmann::json(q.unlike_production)}});
    }
    const char* presence = screen.presence == Presence::kBoth         ? "both"
                           : screen.presence == Presence::kOnlyBefore ? "before_only"
                                                                      : "after_only";
    screens.push_back({{"name", screen.name},
                       {"presence", presence},
                       {"verdict", verdict_name(screen.verdict())},
                       {"gated", screen.fails_gate(comparison.rule)},
                       {"budget", budget_json(screen.budget)},
                       {"accepted", acceptance_json(screen.accepted)},
                       {"sampling",
                        {{"before", sampling_json(screen.sampling_before)},
                         {"after", sampling_json(screen.sampling_after)}}},
                       {"time", time_json(screen.time, sides_of(screen.presence))},
                       {"rows_examined", rows_json(screen.rows, sides_of(screen.presence))},
                       {"queries", queries},
                       {"queries_only_before", screen.queries_only_before},
                       {"queries_only_after", screen.queries_only_after}});
  }
  nlohmann::json gates = nlohmann::json::array();
  for (Gate gate : comparison.rule.fail_on) gates.push_back(gate_name(gate));
  nlohmann::json document = {
      {"format", "sqlmeasure-comparison"},
      {"schema_version", 6},
      {"before", comparison.before_label},
      {"after", comparison.after_label},
      {"rule",
       {{"threshold", comparison.rule.threshold},
        {"alpha", comparison.rule.alpha},
        {"min_delta_ms", comparison.rule.min_delta_ms},
        {"min_rows_delta", comparison.rule.min_rows_delta},
        {"fail_on", gates}}},
      {"phases", comparison.before_phases == 0
                     ? nlohmann::json(nullptr)
                     : nlohmann::json{{"before", comparison.before_phases},
                                      {"after", comparison.after_phases},
                                      {"rule", "every before/after pair"}}},
      {"change", change_to_json(comparison.change)},
      {"plan_fidelity",
       comparison.fidelity ? fidelity_json(*comparison.fidelity) : nlohmann::json(nullptr)},
      {"regressed", comparison.failing_count()},
      {"accepted_screens", comparison.accepted_count()},
      {"gate_failed", comparison.gate_failed()},
      {"warnings", warning_messages(comparison.warnings)},
      {"screens", screens}};
  out << document.dump(2) << '\n';
}

}  // namespace sqlmeasure
