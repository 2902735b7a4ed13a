// sqlmeasure run: measure screens against one endpoint; print a per-screen table; write
// the results file.
#include <fmt/format.h>

#include <filesystem>

#include "cli/command.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/timestamp.h"

namespace sqlmeasure {
namespace {

std::string default_results_path() {
  std::filesystem::create_directories("sqlmeasure-results");
  return fmt::format("sqlmeasure-results/run-{}.json", utc_now(TimestampFormat::kFileName));
}

class RunCommand final : public Command {
 public:
  explicit RunCommand(const GlobalFlags& global) : global_(global) {}

  void add_flags(CLI::App& app) override {
    connection_.add_to(app);
    scenarios_.add_to(app);
    run_.add_to(app);
    output_.add_to(app, "table, json, markdown, csv");
    app.add_option("-o,--out", out_,
                   "Results file to write (default: sqlmeasure-results/run-TIMESTAMP.json)");
  }

  int execute(const Context& context) override {
    Format format = parse_format(output_.format, {Format::kTable, Format::kJson, Format::kMarkdown,
                                                  Format::kCsv});
    ProjectConfig config = load_project_config(global_.config);
    RunOptions options = run_.options(config, scenarios_, context, "run");
    std::vector<Screen> screens = scenarios_.load(config);
    ConnectionOptions connection_options = connection_.resolve(config, context);
    configure_measuring_session(connection_options, options);
    auto connection = open_connection(connection_options, context);
    resolve_params(*connection, screens, options.settings.seed);
    // --concurrency: the extra connections are set up exactly like the first.
    options.open_connection = [&connection_options, &context](std::size_t) {
      return open_connection(connection_options, context);
    };
    RunResult run =
        std::move(measure({{connection.get(), options.label}}, screens, options).front());
    std::string path = out_ ? *out_ : default_results_path();
    write_results_file(run, path);
    render_run(run, format, context.style(), context.out);
    context.err << "results: " << path << (run.complete ? "" : " (incomplete)") << '\n';
    if (!run.complete) {
      fail(ExitCode::kRuntime, fmt::format("the run did not finish: {}; the partial results are "
                                           "in {}",
                                           run.incomplete_reason, path));
    }
    size_t failed = 0;
    for (const ScreenResult& screen : run.screens) {
      for (const QueryResult& query : screen.queries) failed += query.error ? 1 : 0;
    }
    if (failed > 0) {
      fail(ExitCode::kRuntime,
           fmt::format("{} quer{} failed (see the note column and {})", failed,
                       failed == 1 ? "y" : "ies", path));
    }
    return 0;
  }

 private:
  const GlobalFlags& global_;
  ConnectionFlags connection_;
  ScenarioFlags scenarios_;
  RunFlags run_;
  OutputFlags output_;
  std::optional<std::string> out_;
};

}  // namespace

std::unique_ptr<Command> make_run_command(const GlobalFlags& global) {
  return std::make_unique<RunCommand>(global);
}

}  // namespace sqlmeasure
