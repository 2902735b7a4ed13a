// sqlmeasure list: screens and their queries, offline.
#include "cli/command.h"

namespace sqlmeasure {
namespace {

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
    render_screen_list(scenarios_.load(config), format, context.out);
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
