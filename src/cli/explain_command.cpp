// sqlmeasure explain: the plan of every query of the selected screens (with the rows each
// examines), using the runner's inspection step and no timed samples; with --against, each
// plan beside production's (compare/'s plan fidelity).
#include "command.h"
#include "plans_from_flag.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/evidence_collection.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/scenario_loader.h"
#include "stats_flag.h"

namespace sqlmeasure {
namespace {

class ExplainCommand final : public ScreenCommand {
 public:
  void add_flags(CLI::App& app) override {
    add_screen_flags(app);
    app.add_option("--seed", seed_, "Seed for parameters drawn with `from`")
        ->default_str(std::to_string(RunSettings{}.seed));
    against_.add_to(app);
    stats_.add_to(app);
    output_.add_to(app);
  }

  int execute(const Context& context) override {
    const Format format = output_.format();
    std::vector<Screen> screens = scenarios_.load(context.config());
    against_.read();  // now: a bad file stops before anything connects
    stats_.read();
    RunOptions options;
    options.settings.seed = seed_.value_or(context.config().seed.value_or(RunSettings{}.seed));
    options.settings.warmup = 0;
    options.settings.iterations = 0;
    options.max_inspected_variants = 1;
    // --against compares the tables' rows with production's; explain's JSON records them (and
    // the plans' indexes' statistics) for a later --against to compare with.
    const bool statistics_wanted = against_.given() || format == Format::kJson;
    options.record_conditions = statistics_wanted;
    // Each query runs once to count the rows it examines: a write scenario (--allow-writes)
    // runs in a transaction that is rolled back, as in `run`.
    options.allow_writes = scenarios_.allow_writes;
    options.interrupted = context.interrupted();
    const ConnectionOptions session =
        measuring_session(connection_.resolve(context.config(), context), options);
    const Connector connect = verbose_connector(context);
    auto connection = connect(session);
    check_session(*connection, connection->server().database, screens, options.allow_writes);
    options.cancel = cancel_with(connect, {session});
    resolve_params(*connection, screens, options.settings.seed);
    const std::unique_ptr<StatisticsInPlace> statistics =
        stats_.put_in_place(context, session, connect);
    RunResult run = std::move(measure({{connection.get(), ""}}, screens, options).front());
    // What the statistics reason compares with production's (a results file records them).
    if (statistics_wanted && run.complete) {
      run.index_statistics = plan_index_statistics(*connection, run);
    }
    if (statistics) StatsFlag::restore(*statistics, context);
    const std::optional<PlanFidelity> fidelity = against_.check(run);
    render_plans(run, format, context.out(), fidelity ? &*fidelity : nullptr);
    if (!run.complete) fail(ExitCode::kRuntime, "explain did not finish: " + run.incomplete_reason);
    fail_on_query_errors(run, "see the errors above");
    return 0;
  }

 private:
  OutputFlags output_{kTableFormats};
  std::optional<std::uint64_t> seed_;
  PlansFromFlag against_{"--against"};
  StatsFlag stats_;
};

}  // namespace

std::unique_ptr<Command> make_explain_command() { return std::make_unique<ExplainCommand>(); }

}  // namespace sqlmeasure
