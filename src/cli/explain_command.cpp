// sqlmeasure explain: the plan of every query of the selected screens (with the rows each
// examines), using the runner's inspection step and no timed samples.
#include "cli/command.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/runner.h"

namespace sqlmeasure {
namespace {

class ExplainCommand final : public Command {
 public:
  explicit ExplainCommand(const GlobalFlags& global) : global_(global) {}

  void add_flags(CLI::App& app) override {
    connection_.add_to(app);
    scenarios_.add_to(app);
    app.add_option("--seed", seed_, "Seed for parameters drawn with `from` (default 1)");
    output_.add_to(app, "table, json, markdown, csv");
  }

  int execute(const Context& context) override {
    Format format = parse_format(output_.format, {Format::kTable, Format::kJson, Format::kMarkdown,
                                                  Format::kCsv});
    ProjectConfig config = load_project_config(global_.config);
    std::vector<Screen> screens = scenarios_.load(config);
    auto connection = open_connection(connection_.resolve(config, context), context);
    RunOptions options;
    options.settings.seed = seed_.value_or(config.seed.value_or(1));
    options.settings.warmup = 0;
    options.settings.iterations = 0;
    options.max_inspected_variants = 1;
    options.interrupted = context.interrupted;
    resolve_params(*connection, screens, options.settings.seed);
    RunResult run = std::move(measure({{connection.get(), ""}}, screens, options).front());
    render_plans(run, format, context.out);
    return run.complete ? 0 : static_cast<int>(ExitCode::kRuntime);
  }

 private:
  const GlobalFlags& global_;
  ConnectionFlags connection_;
  ScenarioFlags scenarios_;
  OutputFlags output_;
  std::optional<std::uint64_t> seed_;
};

}  // namespace

std::unique_ptr<Command> make_explain_command(const GlobalFlags& global) {
  return std::make_unique<ExplainCommand>(global);
}

}  // namespace sqlmeasure
