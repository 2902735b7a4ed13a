// A plan-fidelity check as `explain --against` and `run --plans-from` print it: the summary
// line, then each query not planned as production, production → here, and why.
#include <nlohmann/json.hpp>

#include "fidelity_json.h"
#include "markdown_text.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {

nlohmann::json fidelity_json(const PlanFidelity& fidelity) {
  nlohmann::json queries = nlohmann::json::array();
  for (const QueryFidelity& query : fidelity.queries) {
    nlohmann::json causes = nlohmann::json::array();
    for (const FidelityCause& cause : query.causes) {
      causes.push_back({{"reason", fidelity_reason_id(cause.reason)}, {"text", cause.text}});
    }
    queries.push_back({{"screen", query.screen},
                       {"query", query.query},
                       {"status", fidelity_status_id(query.status)},
                       {"differences", query.differences},
                       {"causes", causes},
                       {"description", query.describe()}});
  }
  return {{"source", fidelity.source},
          {"compared", fidelity.compared()},
          {"differ", fidelity.differing()},
          {"summary", fidelity.summary()},
          {"queries", queries}};
}

void render_plan_fidelity(const PlanFidelity& fidelity, Format format, std::ostream& out) {
  switch (format) {
    case Format::kJson:
      out << fidelity_json(fidelity).dump(2) << '\n';
      return;
    case Format::kMarkdown:
      out << inert_markdown(fidelity.summary()) << " (against " << markdown_code(fidelity.source)
          << ")\n\n";
      for (const std::string& line : fidelity.lines()) out << "- " << inert_markdown(line) << '\n';
      return;
    case Format::kCsv:  // comment lines, as explain's CSV titles its tables
      out << "# " << without_control_bytes(fidelity.summary()) << '\n';
      for (const std::string& line : fidelity.lines()) {
        out << "#   " << without_control_bytes(line) << '\n';
      }
      return;
    case Format::kTable:
    case Format::kJunit:
    case Format::kHtml:
      break;
  }
  out << without_control_bytes(fidelity.summary()) << " (against "
      << without_control_bytes(fidelity.source) << ")\n";
  for (const std::string& line : fidelity.lines()) {
    out << "  " << without_control_bytes(line) << '\n';
  }
}

}  // namespace sqlmeasure
