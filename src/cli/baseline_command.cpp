// sqlmeasure baseline accept | check RESULTS.json: every query's plan accepted into
// SCENARIOS/plan-baseline.json (or one query's change, with its reason), and a run's plans
// checked against it offline (docs/history.md, "Plan baselines"). `run` checks it live.
#include <fmt/format.h>

#include <filesystem>

#include "command.h"
#include "compare_flags.h"
#include "output_flags.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/plan_baseline.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/timestamp.h"

namespace sqlmeasure {
namespace {

class BaselineCommand final : public ScreenCommand {
 public:
  void add_flags(CLI::App& app) override {
    app.add_option("action", action_,
                   "accept: explain every query of the screens (or read --from) and accept "
                   "their plans; check RESULTS.json: which queries of a run left their accepted "
                   "plans")
        ->required()
        ->check(CLI::IsMember({"accept", "check"}));
    app.add_option("results", results_, "check: the results file of a run");
    add_screen_flags(app);
    app.add_option("--baseline", baseline_,
                   "The baseline file (default SCENARIOS/plan-baseline.json, beside the screens)");
    app.add_option("--from", from_, "accept: the plans of this results file, not of a new explain");
    app.add_option("--query", query_,
                   "accept: only SCREEN/QUERY's plan, the others kept as accepted (with --reason)");
    app.add_option("--reason", reason_,
                   "accept --query: why this change is accepted (kept in the "
                   "file for the pull request's reviewers)");
    app.add_option("--fail-on", fail_on_, "check: plan (the default) or none")
        ->check(CLI::IsMember({"plan", "none"}));
  }

  int execute(const Context& context) override {
    const std::string path =
        baseline_ ? *baseline_ : scenarios_.directory(context.config()) + "/" + kPlanBaselineFile;
    if (action_ == "check") return check(context, path);
    if (results_) fail(ExitCode::kUsage, "baseline accept takes no results file (--from FILE)");
    if (query_.has_value() != reason_.has_value()) {
      fail(ExitCode::kUsage,
           "--query SCREEN/QUERY and --reason TEXT go together: a change "
           "accepted on its own says why");
    }
    const RunResult run = from_ ? read_results_file(*from_) : explain(context);
    if (!run.complete) {
      fail(ExitCode::kBadInput, fmt::format("{}: an incomplete run ({}): its plans are not all "
                                            "there to accept",
                                            from_.value_or("the explain"), run.incomplete_reason));
    }
    const std::string now = utc_now(TimestampFormat::kIso8601);
    PlanBaseline baseline;
    if (query_) {
      const std::size_t slash = query_->find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == query_->size()) {
        fail(ExitCode::kUsage, fmt::format("--query {}: expected SCREEN/QUERY", *query_));
      }
      baseline = accept_one(read_plan_baseline(path), run, query_->substr(0, slash),
                            query_->substr(slash + 1), *reason_, now);
    } else {
      // The queries this run planned replace theirs; the others (screens not selected, queries
      // that failed) keep what was accepted, reasons and all.
      baseline = baseline_of(run, now);
      std::error_code error;
      if (std::filesystem::exists(path, error)) {
        const PlanBaseline before = read_plan_baseline(path);
        for (const AcceptedPlan& kept : before.queries) {
          if (baseline.find(kept.screen, kept.query) == nullptr) baseline.queries.push_back(kept);
        }
      }
    }
    write_plan_baseline(baseline, path);
    context.out() << fmt::format("baseline: {} {} accepted in {}\n",
                                 query_ ? *query_ : std::to_string(baseline.queries.size()),
                                 query_ ? "is" : "query plans", path);
    return 0;
  }

 private:
  int check(const Context& context, const std::string& path) const {
    if (!results_) fail(ExitCode::kUsage, "baseline check takes the results file of a run");
    const PlanBaseline baseline = read_plan_baseline(path);
    const RunResult run = read_results_file(*results_);
    const BaselineCheck checked =
        check_baseline(baseline, run, VerdictFlags{}.rule(context.config()));
    context.out() << checked.summary() << '\n';
    for (const BaselineDeparture& departure : checked.departures) {
      context.out() << "  " << departure.describe() << '\n';
    }
    const bool gate = fail_on_.value_or("plan") == "plan";
    return gate && !checked.departures.empty() ? static_cast<int>(ExitCode::kFindings) : 0;
  }

  // The plans of every query, as `explain` reads them: no timed sample.
  RunResult explain(const Context& context) {
    std::vector<Screen> screens = scenarios_.load(context.config());
    RunOptions options;
    options.settings.warmup = 0;
    options.settings.iterations = 0;
    options.max_inspected_variants = 1;
    options.settings.scenarios = scenarios_.directory(context.config());
    options.interrupted = context.interrupted();
    const ConnectionOptions session =
        measuring_session(connection_.resolve(context.config(), context), options);
    const Connector connect = verbose_connector(context);
    auto connection = connect(session);
    check_session(*connection, connection->server().database, screens, false);
    options.cancel = cancel_with(connect, {session});
    resolve_params(*connection, screens, options.settings.seed);
    RunResult run = std::move(measure({{connection.get(), ""}}, screens, options).front());
    if (!run.complete) fail(ExitCode::kRuntime, "explain did not finish: " + run.incomplete_reason);
    fail_on_query_errors(run, "see the errors above; a failed query has no plan to accept");
    return run;
  }

  std::string action_;
  std::optional<std::string> results_, baseline_, from_, query_, reason_, fail_on_;
};

}  // namespace

std::unique_ptr<Command> make_baseline_command() { return std::make_unique<BaselineCommand>(); }

}  // namespace sqlmeasure
