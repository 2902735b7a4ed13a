// Parts of a run that read the same in the results file and in every JSON report.
#include "sqlmeasure/results_json.h"

namespace sqlmeasure {

nlohmann::json warnings_to_json(const std::vector<ServerWarning>& warnings) {
  nlohmann::json list = nlohmann::json::array();
  for (const ServerWarning& w : warnings) {
    list.push_back({{"level", w.level},
                    {"code", w.code},
                    {"message", w.message},
                    {"source", w.from_explain ? "explain" : "execute"}});
  }
  return list;
}

nlohmann::json hint_problems_to_json(const std::vector<HintProblem>& problems) {
  nlohmann::json list = nlohmann::json::array();
  for (const HintProblem& p : problems) {
    list.push_back({{"kind", hint_problem_name(p.kind)},
                    {"screen", p.screen},
                    {"query", p.query},
                    {"where", p.where.str()},
                    {"table", p.table},
                    {"hint", p.hint},
                    {"index", p.index},
                    {"before", p.before},
                    {"after", p.after},
                    {"error", p.error},
                    {"cause", p.cause},
                    {"with_ms", p.with_ms},
                    {"without_ms", p.without_ms},
                    {"samples", p.samples},
                    {"rows_examined_with", p.rows_examined_with},
                    {"rows_examined_without", p.rows_examined_without},
                    {"description", p.describe()}});
  }
  return list;
}

nlohmann::json change_to_json(const std::optional<ChangeRecord>& change) {
  if (!change) return nullptr;
  nlohmann::json alternations = nullptr;
  if (change->alternations_planned > 0) {
    alternations = {{"planned", change->alternations_planned},
                    {"ran", change->alternations_run},
                    {"stopped", change->alternations_stopped}};
  }
  return {{"description", change->description},
          {"alternations", std::move(alternations)},
          {"tables", change->tables},
          {"tables_known", change->tables_known},
          {"ddl_measured", change->ddl_measured},
          {"apply_s", change->apply_s},
          {"undo_s", change->undo_s},
          {"hint_problems", hint_problems_to_json(change->hint_problems)}};
}

}  // namespace sqlmeasure
