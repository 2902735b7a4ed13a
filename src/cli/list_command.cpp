// sqlmeasure list: screens and their queries, offline.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/command.h"

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

class ListCommand final : public Command {
 public:
  explicit ListCommand(const GlobalFlags& global) : global_(global) {}

  void add_flags(CLI::App& app) override {
    scenarios_.add_to(app);
    output_.add_to(app, "table, json, markdown, csv");
  }

  int execute(const Context& context) override {
    Format format = parse_format(output_.format, {Format::kTable, Format::kJson, Format::kMarkdown,
                                                  Format::kCsv});
    ProjectConfig config = load_project_config(global_.config);
    std::vector<Screen> screens = scenarios_.load(config);
    if (format == Format::kJson) {
      nlohmann::json list = nlohmann::json::array();
      for (const Screen& screen : screens) {
        nlohmann::json queries = nlohmann::json::array();
        for (const Query& query : screen.queries) {
          queries.push_back({{"name", query.name}, {"times", query.times}, {"sql", query.sql}});
        }
        list.push_back({{"screen", screen.name}, {"description", screen.description},
                        {"file", screen.file}, {"queries", queries}});
      }
      context.out << list.dump(2) << '\n';
      return 0;
    }
    Table table{{"screen", "query", "times", "params", "file"}, {false, false, true, false, false}, {}};
    for (const Screen& screen : screens) {
      for (size_t i = 0; i < screen.queries.size(); ++i) {
        const Query& query = screen.queries[i];
        table.rows.push_back({i == 0 ? screen.name : "", query.name,
                              fmt::format("×{}", query.times), describe_params(query),
                              i == 0 ? screen.file : ""});
      }
    }
    if (format == Format::kMarkdown) {
      write_markdown_table(table, context.out);
    } else if (format == Format::kCsv) {
      write_csv_table(table, context.out);
    } else {
      write_text_table(table, context.out);
    }
    return 0;
  }

 private:
  const GlobalFlags& global_;
  ScenarioFlags scenarios_;
  OutputFlags output_;
};

}  // namespace

std::unique_ptr<Command> make_list_command(const GlobalFlags& global) {
  return std::make_unique<ListCommand>(global);
}

}  // namespace sqlmeasure
