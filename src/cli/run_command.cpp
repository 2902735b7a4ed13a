// sqlmeasure run: measure screens against one endpoint; print a per-screen table; write
// the results file. With --plans-from, each query's plan beside production's after the table.
#include <fmt/format.h>

#include <filesystem>

#include "command.h"
#include "history_flag.h"
#include "plans_from_flag.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/evidence_collection.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/timestamp.h"
#include "stats_flag.h"

namespace sqlmeasure {
namespace {

std::string default_results_path() { return default_file("sqlmeasure-results", "run", ".json"); }

class RunCommand final : public ScreenCommand {
 public:
  void add_flags(CLI::App& app) override {
    add_screen_flags(app);
    run_.add_to(app);
    output_.add_to(app);
    report_.add_to(app);
    app.add_option("-o,--out", out_,
                   "Results file to write (default: sqlmeasure-results/run-TIMESTAMP.json)");
    plans_from_.add_to(app);
    stats_.add_to(app);
    history_.add_to(app);
  }

  // Screens over their budget (docs/verdicts.md, "Budgets") fail a run as they fail a compare:
  // a nightly run against growing data catches a page that slowly got too slow.
  static bool over_budget(const RunResult& run, const Context& context) {
    std::vector<std::string> over;
    for (const ScreenResult& screen : run.screens) {
      if (screen.budget && screen.stats_ms.n > 0 &&
          check_budget(*screen.budget, screen.stats_ms.median, screen.stats_ms.p95).over()) {
        over.push_back(screen.name);
      }
    }
    if (over.empty()) return false;
    context.err() << fmt::format("sqlmeasure: {} screen{} over budget: {} (see the note column)\n",
                                 over.size(), over.size() == 1 ? "" : "s", join(over));
    return true;
  }

  int execute(const Context& context) override {
    const Format format = output_.format();
    if (out_) check_output_file(*out_, "--out");
    report_.check();
    history_.check(context, scenarios_.directory(context.config()));
    RunOptions options = run_.options(context, scenarios_, "run");
    std::vector<Screen> screens = scenarios_.load(context.config());
    plans_from_.read();  // now: a bad file stops before anything connects
    stats_.read();
    const ConnectionOptions session =
        measuring_session(connection_.resolve(context.config(), context), options);
    const Connector connect = verbose_connector(context);
    auto connection = connect(session);
    check_session(*connection, connection->server().database, screens, options.allow_writes);
    resolve_params(*connection, screens, options.settings.seed);
    // --concurrency: the extra connections are set up exactly like the first.
    options.open_connection = [&session, &connect](std::size_t) { return connect(session); };
    options.cancel = cancel_with(connect, {session});
    const std::unique_ptr<StatisticsInPlace> statistics =
        stats_.put_in_place(context, session, connect);
    RunResult run =
        std::move(measure({{connection.get(), options.label}}, screens, options).front());
    // What a later compare of this file names plan changes with (docs/verdicts.md).
    if (run.complete) run.index_statistics = plan_index_statistics(*connection, run);
    // The table first: measured figures are shown even if the file cannot be written.
    report_.emit(format, context, [&](Format chosen, std::ostream& out) {
      render_run(run, chosen, context.style(), out);
    });
    if (const std::optional<PlanFidelity> fidelity = plans_from_.check(run)) {
      // After the table; JSON, CSV and HTML stay one document, so it goes to stderr there.
      const bool beside = format == Format::kTable || format == Format::kMarkdown;
      if (format == Format::kMarkdown) context.out() << '\n';
      render_plan_fidelity(*fidelity, beside ? format : Format::kTable,
                           beside ? context.out() : context.err());
    }
    const std::string path = out_ ? *out_ : default_results_path();
    try {
      write_results_file(run, path);
    } catch (...) {
      if (!out_) std::filesystem::remove(path);  // the empty file default_file claimed
      throw;
    }
    context.err() << "results: " << path << (run.complete ? "" : " (incomplete)") << '\n';
    const bool beside = format == Format::kTable || format == Format::kMarkdown;
    std::ostream& said = beside ? context.out() : context.err();
    // After the results are written: a hint check cut short loses nothing measured.
    const std::vector<HintPoint> hints =
        run.complete ? history_.check_hints(*connection, screens, context, said)
                     : std::vector<HintPoint>{};
    if (statistics) StatsFlag::restore(*statistics, context);  // hints timed with them too
    const bool departed = history_.check_baseline(run, context, said);
    const bool drifted = history_.keep(run, context, said, hints);
    if (!run.complete) {
      fail(ExitCode::kRuntime, fmt::format("the run did not finish: {}; the partial results are "
                                           "in {}",
                                           run.incomplete_reason, path));
    }
    fail_on_query_errors(run, fmt::format("see the note column and {}", path));
    const bool budget = over_budget(run, context) && history_.fails_on(Gate::kBudget);
    return budget || drifted || departed ? static_cast<int>(ExitCode::kFindings) : 0;
  }

 private:
  RunFlags run_;
  OutputFlags output_{
      {Format::kTable, Format::kJson, Format::kMarkdown, Format::kCsv, Format::kHtml}};
  ReportFlag report_;
  std::optional<std::string> out_;
  PlansFromFlag plans_from_{"--plans-from"};
  StatsFlag stats_;
  HistoryFlag history_;
};

}  // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }

}  // namespace sqlmeasure
