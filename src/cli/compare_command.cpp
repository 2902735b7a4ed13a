// sqlmeasure compare: two results files; live, before/after a migration or with indexes ignored;
// two endpoints. It parses, validates and prints: the work is live/'s, the verdicts compare/'s.
#include <fmt/format.h>

#include "command.h"
#include "compare_mode.h"
#include "plans_from_flag.h"
#include "sqlmeasure/compare_files.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/two_endpoints.h"
#include "stats_flag.h"

namespace sqlmeasure {
namespace {

constexpr const char* kLiveGroup = "Live comparison";

class CompareCommand final : public Command {
 public:
  void add_flags(CLI::App& app) override {
    app_ = &app;
    app.add_option("files", mode_.files,
                   "BEFORE.json AFTER.json, or a live compare's out-dir (offline comparison)");
    add_live_flags(app);
    verdict_.add_to(app);
    connection_.add_to(app);
    scenarios_.add_to(app);
    run_.add_to(app);
    output_.add_to(app);
    report_.add_to(app);
    plans_from_.add_to(app);
    app.add_option("--report-url", report_url_,
                   "Where the full report will be (a CI artifact's URL): named when Markdown "
                   "is cut to fit a PR comment");
  }

  int execute(const Context& context) override {
    mode_.alternations = change_.alternations;
    const CompareMode mode = choose_compare_mode(mode_, context.config());
    refuse_unused_flags(*app_, compare_flags_used_by(mode, *app_), compare_mode_name(mode));
    format_ = output_.format();
    report_.check();
    plans_from_.read();
    rule_ = verdict_.rule(context.config());
    switch (mode) {
      case CompareMode::kOffline:
        return offline(context);
      case CompareMode::kTwoEndpoints:
        return two_endpoints(context);
      case CompareMode::kMigration:
      case CompareMode::kIgnoreIndex:
        return live(context);
    }
    return 0;
  }

 private:
  void add_live_flags(CLI::App& app) {
    app.add_option("--migration", mode_.migration, "UP.sql: measure before, apply, measure after")
        ->group(kLiveGroup);
    app.add_option("--rollback", mode_.rollback, "DOWN.sql: applied afterwards, and on any failure")
        ->group(kLiveGroup);
    app.add_flag("--keep", mode_.keep, "Leave the migration applied at the end")->group(kLiveGroup);
    app.add_flag("--apply-ddl", apply_ddl_,
                 "Run a drop-only migration's DDL (default: its indexes are ignored instead)")
        ->group(kLiveGroup);
    app.add_option("--ignore-index", mode_.ignore_index,
                   "TABLE.INDEX[,...]: measure as if dropped (IGNORED/INVISIBLE), then restore")
        ->group(kLiveGroup);
    app.add_option("--before-dsn", mode_.before_dsn, "Two endpoints: the before one")
        ->group(kLiveGroup);
    app.add_option("--after-dsn", mode_.after_dsn, "Two endpoints: the after one")
        ->group(kLiveGroup);
    change_.add_alternations(app);
    app.add_flag("--no-before-again", mode_.no_before_again,
                 "Skip measuring before again after the last rollback")
        ->group(kLiveGroup);
    app.add_option("--reconnect-timeout", reconnect_timeout_s_,
                   "Seconds to keep reconnecting to undo the change after a lost connection")
        ->group(kLiveGroup)
        ->default_str(fmt::format("{:g}", LiveCompareOptions{}.reconnect_timeout_s))
        ->check(CLI::Range(0.0, 3600.0));
    change_.add_replication(app);
    app.add_option("--lock-wait-timeout", lock_wait_timeout_s_,
                   "Seconds a DDL may wait for a metadata lock before the change is given up")
        ->group(kLiveGroup)
        ->default_str(fmt::format("{:g}", LiveCompareOptions{}.lock_wait_timeout_s))
        ->check(CLI::Range(1.0, 31536000.0));
    stats_.add_to(app, kLiveGroup);
    change_.add_out_dir(app);
  }

  // As --format says, and the HTML report (--report); returns the exit code its gate gives.
  int print(const Comparison& judged, const ComparedRuns& runs, const Context& context) const {
    const Comparison comparison = plans_from_.noted(judged, runs.before);
    report_.emit(format_, context, [&](Format format, std::ostream& out) {
      render_comparison(comparison, runs, format, style(context), out);
    });
    return comparison.gate_failed() ? static_cast<int>(ExitCode::kFindings) : 0;
  }

  // Each side's runs, for the charts.
  static ComparedRuns runs_of(const std::vector<RunResult>& before,
                              const std::vector<RunResult>& after) {
    ComparedRuns runs;
    for (const RunResult& run : before) runs.before.push_back(&run);
    for (const RunResult& run : after) runs.after.push_back(&run);
    return runs;
  }

  int offline(const Context& context) const {
    const std::vector<std::string>& files = mode_.files;
    const GatePolicy& policy = context.config().policy;
    const JudgedFiles judged = files.size() == 1 ? judge_directory(files[0], rule_, policy)
                                                 : judge_files(files[0], files[1], rule_, policy);
    return print(judged.comparison, runs_of(judged.before_runs, judged.after_runs), context);
  }

  int two_endpoints(const Context& context) const {
    const ProjectConfig& config = context.config();
    const std::optional<std::string> before =
        mode_.before_dsn ? mode_.before_dsn : config.before_dsn;
    const std::optional<std::string> after = mode_.after_dsn ? mode_.after_dsn : config.after_dsn;
    if (!before || !after) {
      fail(ExitCode::kUsage, "two endpoints need both --before-dsn and --after-dsn");
    }
    TwoEndpointOptions options;
    options.run = run_.options(context, scenarios_, "compare");
    options.rule = rule_;
    options.policy = config.policy;
    options.out_dir = change_.out_directory();
    const EmptyDirectoryGuard unused_out_dir(change_.claimed(options.out_dir));
    std::vector<Screen> screens = scenarios_.load(config);
    options.before = measuring_session(connection_.resolve(config, context, before, "--before-dsn"),
                                       options.run);
    options.after =
        measuring_session(connection_.resolve(config, context, after, "--after-dsn"), options.run);
    const TwoEndpointOutcome outcome =
        run_two_endpoint_compare(std::move(screens), options, verbose_connector(context));
    if (!context.flags().quiet) context.err() << "results: " << join(outcome.files) << '\n';
    const int code = print(outcome.comparison, {{&outcome.before}, {&outcome.after}}, context);
    if (outcome.failure) fail(ExitCode::kRuntime, *outcome.failure);
    return code;
  }

  int live(const Context& context) {
    LiveCompareOptions options;
    options.run = run_.options(context, scenarios_, "compare");
    options.rule = rule_;
    options.policy = context.config().policy;
    change_.apply_to(options, context);
    stats_.apply_to(options);
    options.out_dir = change_.out_directory();
    const EmptyDirectoryGuard unused_out_dir(change_.claimed(options.out_dir));
    options.before_again = !mode_.no_before_again;
    if (reconnect_timeout_s_) options.reconnect_timeout_s = *reconnect_timeout_s_;
    if (lock_wait_timeout_s_) options.lock_wait_timeout_s = *lock_wait_timeout_s_;
    std::vector<Screen> screens = scenarios_.load(context.config());
    if (mode_.migration) {
      // Read and classified now: a bad or destructive migration stops before we connect.
      options.migration = migration_change(*mode_.migration, mode_.rollback, mode_.keep);
      options.apply_ddl = apply_ddl_;
      if (!mode_.rollback) {
        context.warn("--keep without --rollback: the migration will stay applied");
      }
    } else {
      options.ignore_indexes = split_list(*mode_.ignore_index);
    }
    options.connection =
        measuring_session(connection_.resolve(context.config(), context), options.run);
    const LiveCompareOutcome outcome =
        run_live_compare(std::move(screens), options, verbose_connector(context));
    if (!outcome.files.empty() && !context.flags().quiet)
      context.err() << "results: " << join(outcome.files) << '\n';
    const ComparedRuns runs = runs_of(outcome.before_phases, outcome.after_phases);
    if (outcome.failure) {
      // The partial comparison first, if both sides have results: they are kept.
      if (outcome.comparison) (void)print(*outcome.comparison, runs, context);
      fail(ExitCode::kRuntime, outcome.failure_message());
    }
    if (!outcome.comparison) fail(ExitCode::kRuntime, "no after run; " + describe(outcome.server));
    return print(*outcome.comparison, runs, context);
  }

  // The terminal's style, and where the full report is for a Markdown comment cut short.
  Style style(const Context& context) const {
    Style style = context.style();
    // A CI artifact's URL; else the HTML file written beside the Markdown.
    style.full_report = report_url_.value_or(report_.path().value_or(""));
    return style;
  }

  CLI::App* app_ = nullptr;
  CompareModeFlags mode_;
  LiveChangeFlags change_{kLiveGroup,
                          {"Apply and undo the change K times, measuring between (1 = A-B-A)",
                           "Apply the change", "Where results files go", "compare"}};
  VerdictFlags verdict_;
  ConnectionFlags connection_;
  ScenarioFlags scenarios_;
  RunFlags run_;
  OutputFlags output_{{Format::kTable, Format::kJson, Format::kMarkdown, Format::kCsv,
                       Format::kJunit, Format::kHtml}};
  ReportFlag report_;
  PlansFromFlag plans_from_{"--plans-from"};
  StatsFlag stats_;
  std::optional<std::string> report_url_;
  bool apply_ddl_ = false;
  Format format_ = Format::kTable;
  std::optional<double> reconnect_timeout_s_, lock_wait_timeout_s_;
  VerdictRule rule_;
};

}  // namespace

std::unique_ptr<Command> make_compare_command() { return std::make_unique<CompareCommand>(); }

}  // namespace sqlmeasure
