// `list`: the screens and their queries, as a table or as JSON for scripts.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "sqlmeasure/render.h"

namespace sqlmeasure {
namespace {

std::string describe_params(const Query& query) {
  std::string text;
  for (const auto& [name, spec] : query.params) {
    if (!text.empty()) text += ", ";
    text += spec.from_sql ? fmt::format("{} (sample {} from SQL)", name, spec.sample)
                          : fmt::format("{} ({} value{})", name, spec.values.size(),
                                        spec.values.size() == 1 ? "" : "s");
  }
  return text;
}

void render_json(const std::vector<Screen>& screens, std::ostream& out) {
  nlohmann::json list = nlohmann::json::array();
  for (const Screen& screen : screens) {
    nlohmann::json queries = nlohmann::json::array();
    for (const Query& query : screen.queries) {
      queries.push_back({{"name", query.name}, {"times", query.times}, {"sql", query.sql}});
    }
    list.push_back({{"screen", screen.name},
                    {"description", screen.description},
                    {"file", screen.file},
                    {"queries", queries}});
  }
  out << list.dump(2) << '\n';
}

Table screen_table(const std::vector<Screen>& screens) {
  Table table{
      {"screen", "query", "times", "params", "file"}, {false, false, true, false, false}, {}};
  for (const Screen& screen : screens) {
    for (std::size_t i = 0; i < screen.queries.size(); ++i) {
      const Query& query = screen.queries[i];
      table.rows.push_back({i == 0 ? screen.name : "", query.name, fmt::format("×{}", query.times),
                            describe_params(query), i == 0 ? screen.file : ""});
    }
  }
  return table;
}

}  // namespace

void render_screen_list(const std::vector<Screen>& screens, Format format, std::ostream& out) {
  if (format == Format::kJson) return render_json(screens, out);
  write_table(screen_table(screens), format, out);
}

}  // namespace sqlmeasure
