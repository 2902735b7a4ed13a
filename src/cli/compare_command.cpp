// sqlmeasure compare: two results files; or live, before/after a migration or with indexes
// ignored; or two endpoints side by side. This file parses, validates and prints: the live
// work is live/'s, the verdicts compare/'s.
#include <fmt/format.h>

#include <filesystem>

#include "cli/command.h"
#include "sqlmeasure/compare.h"
#include "sqlmeasure/compare_files.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/html_report.h"
#include "sqlmeasure/live_compare.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/timestamp.h"
#include "sqlmeasure/two_endpoints.h"

namespace sqlmeasure {
namespace {

constexpr const char* kLiveGroup = "Live comparison";
constexpr const char* kVerdictGroup = "Verdicts (docs/verdicts.md)";

enum class Mode { kOffline, kMigration, kIgnoreIndex, kTwoEndpoints };

class CompareCommand final : public Command {
 public:
  void add_flags(CLI::App& app) override {
    app_ = &app;
    app.add_option("files", files_,
                   "BEFORE.json AFTER.json, or a live compare's out-dir (offline comparison)");
    add_live_flags(app);
    add_verdict_flags(app);
    connection_.add_to(app);
    scenarios_.add_to(app);
    run_.add_to(app);
    output_.add_to(app);
    report_.add_to(app);
    app.add_option("--report-url", report_url_,
                   "Where the full report will be (a CI artifact's URL): named when Markdown "
                   "is cut to fit a PR comment");
  }

  int execute(const Context& context) override {
    const Mode mode = chosen_mode(context.config());
    refuse_unused_flags(*app_, flags_used_by(mode), mode_name(mode));
    format_ = output_.format();
    report_.check();
    rule_ = verdict_rule(context.config());
    switch (mode) {
      case Mode::kOffline:
        return offline(context);
      case Mode::kTwoEndpoints:
        return two_endpoints(context);
      case Mode::kMigration:
      case Mode::kIgnoreIndex:
        return live(context);
    }
    return 0;
  }

 private:
  void add_live_flags(CLI::App& app) {
    app.add_option("--migration", migration_, "UP.sql: measure before, apply, measure after")
        ->group(kLiveGroup);
    app.add_option("--rollback", rollback_, "DOWN.sql: applied afterwards, and on any failure")
        ->group(kLiveGroup);
    app.add_flag("--keep", keep_, "Leave the migration applied at the end")->group(kLiveGroup);
    app.add_flag("--apply-ddl", apply_ddl_,
                 "Run a drop-only migration's DDL (default: its indexes are ignored instead)")
        ->group(kLiveGroup);
    app.add_option("--ignore-index", ignore_index_,
                   "TABLE.INDEX[,...]: measure as if dropped (IGNORED/INVISIBLE), then restore")
        ->group(kLiveGroup);
    app.add_option("--before-dsn", before_dsn_, "Two endpoints: the before one")->group(kLiveGroup);
    app.add_option("--after-dsn", after_dsn_, "Two endpoints: the after one")->group(kLiveGroup);
    app.add_option("--alternations", alternations_,
                   "Apply and undo the change K times, measuring between (default 3; 1 = A-B-A)")
        ->group(kLiveGroup)
        ->check(CLI::Range(1, 100));
    app.add_flag("--no-before-again", no_before_again_,
                 "Skip measuring before again after the last rollback")
        ->group(kLiveGroup);
    app.add_option("--reconnect-timeout", reconnect_timeout_s_,
                   "Seconds to keep reconnecting to undo the change after a lost connection "
                   "(default 30)")
        ->group(kLiveGroup)
        ->check(CLI::Range(0.0, 3600.0));
    app.add_flag("--allow-replicated-ddl", allow_replicated_ddl_,
                 "Apply the change even though a binary log or replicas would replay it")
        ->group(kLiveGroup);
    app.add_flag("--no-binlog", no_binlog_,
                 "Apply the change with SET SESSION sql_log_bin = 0 (needs SUPER/BINLOG ADMIN)")
        ->group(kLiveGroup);
    app.add_option("--lock-wait-timeout", lock_wait_timeout_s_,
                   "Seconds a DDL may wait for a metadata lock before the change is given up "
                   "(default 5)")
        ->group(kLiveGroup)
        ->check(CLI::Range(1.0, 31536000.0));
    app.add_option("--out-dir", out_dir_,
                   "Where results files go (default sqlmeasure-results/compare-TIMESTAMP)")
        ->group(kLiveGroup);
  }

  void add_verdict_flags(CLI::App& app) {
    app.add_option("--threshold", threshold_, "Relative effect to flag, e.g. 0.10 = +10%")
        ->group(kVerdictGroup)
        ->check(CLI::Range(0.0, 100.0));
    app.add_option("--alpha", alpha_, "Significance level of the Mann-Whitney test (default 0.01)")
        ->group(kVerdictGroup)
        ->check(CLI::Range(1e-12, 0.5));
    app.add_option("--min-delta", min_delta_ms_, "Noise floor on a median, in ms (default 0.05)")
        ->group(kVerdictGroup)
        ->check(CLI::Range(0.0, 1e9));
    app.add_option("--min-rows-delta", min_rows_delta_,
                   "Floor on rows examined per view (default 100)")
        ->group(kVerdictGroup);
    app.add_option("--fail-on", fail_on_,
                   "Gates for exit code 1: errors,time,rows,plan,results,warnings (default "
                   "errors,time,rows)")
        ->group(kVerdictGroup);
  }

  // The one mode the flags ask for; the config's before_dsn alone selects two endpoints.
  Mode chosen_mode(const ProjectConfig& config) const {
    const int modes = !files_.empty() + migration_.has_value() + ignore_index_.has_value() +
                      (before_dsn_ || after_dsn_ ? 1 : 0);
    if (modes > 1) {
      fail(ExitCode::kUsage,
           "compare takes one of: two results files, --migration, --ignore-index, or "
           "--before-dsn/--after-dsn");
    }
    const bool directory = files_.size() == 1 && std::filesystem::is_directory(files_[0]);
    if (!files_.empty() && files_.size() != 2 && !directory) {
      fail(ExitCode::kUsage, fmt::format("compare needs two results files (BEFORE.json "
                                         "AFTER.json) or a live compare's out-dir; got {} {}",
                                         files_.size(), files_.size() == 1 ? "file" : "files"));
    }
    if ((rollback_ || keep_) && !migration_) {
      fail(ExitCode::kUsage, "--rollback and --keep go with --migration");
    }
    if ((alternations_ || no_before_again_) && !migration_ && !ignore_index_) {
      fail(ExitCode::kUsage,
           "--alternations and --no-before-again go with --migration or --ignore-index");
    }
    if (alternations_ && *alternations_ > 1 && (keep_ || (migration_ && !rollback_))) {
      fail(ExitCode::kUsage,
           "--alternations needs a --rollback, and cannot go with --keep: the change is applied "
           "and undone between phases");
    }
    if (!files_.empty()) return Mode::kOffline;
    if (migration_) return Mode::kMigration;
    if (ignore_index_) return Mode::kIgnoreIndex;
    if (before_dsn_ || after_dsn_ || config.before_dsn) return Mode::kTwoEndpoints;
    fail(ExitCode::kUsage,
         "compare needs two results files, --migration UP.sql, --ignore-index TABLE.INDEX, or "
         "--before-dsn/--after-dsn");
  }

  static const char* mode_name(Mode mode) {
    switch (mode) {
      case Mode::kOffline:
        return "an offline compare of two results files";
      case Mode::kMigration:
        return "a live compare with --migration";
      case Mode::kIgnoreIndex:
        return "a live compare with --ignore-index";
      case Mode::kTwoEndpoints:
        return "a compare of two endpoints";
    }
    return "compare";
  }

  // Every flag the mode reads; any other given on the command line is refused.
  std::set<std::string> flags_used_by(Mode mode) const {
    std::set<std::string> used = flag_names(*app_, kVerdictGroup);
    used.insert({"--format", "--report-url", "--report"});
    if (mode == Mode::kOffline) {
      used.insert("files");
      return used;
    }
    for (const char* group : {"Connection (as the mysql client)", "Scenarios", "Measurement"}) {
      used.merge(flag_names(*app_, group));
    }
    used.erase("--concurrency");  // only `run` replays screens on several connections
    used.insert("--out-dir");
    switch (mode) {
      case Mode::kMigration:
        used.insert({"--migration", "--rollback", "--keep", "--apply-ddl", "--alternations",
                     "--no-before-again", "--reconnect-timeout", "--allow-replicated-ddl",
                     "--no-binlog", "--lock-wait-timeout"});
        break;
      case Mode::kIgnoreIndex:
        used.insert({"--ignore-index", "--alternations", "--no-before-again", "--reconnect-timeout",
                     "--allow-replicated-ddl", "--no-binlog", "--lock-wait-timeout"});
        break;
      case Mode::kTwoEndpoints:
        used.insert({"--before-dsn", "--after-dsn"});
        used.erase("--dsn");  // each endpoint has its own
        break;
      case Mode::kOffline:
        break;
    }
    return used;
  }

  VerdictRule verdict_rule(const ProjectConfig& config) const {
    VerdictRule rule;
    rule.threshold = threshold_.value_or(config.threshold.value_or(rule.threshold));
    rule.alpha = alpha_.value_or(config.alpha.value_or(rule.alpha));
    rule.min_delta_ms = min_delta_ms_.value_or(config.min_delta_ms.value_or(rule.min_delta_ms));
    rule.min_rows_delta =
        min_rows_delta_.value_or(config.min_rows_delta.value_or(rule.min_rows_delta));
    if (fail_on_) {
      rule.fail_on = parse_gates(split_list(*fail_on_), "--fail-on", ExitCode::kUsage);
    } else if (config.fail_on) {
      rule.fail_on = *config.fail_on;
    }
    return rule;
  }

  // The comparison as --format says, and the HTML report (--report), which draws the runs'
  // samples; budgets and accepted regressions (sqlmeasure.toml, screen files) applied first.
  // Returns whether the gate failed.
  bool print(const Comparison& judged, const ComparedRuns& runs, const Context& context) const {
    Comparison comparison = judged;
    apply_gate_policy(comparison, context.config().policy, utc_today());
    report_.emit(
        format_, context,
        [&](std::ostream& out) { render_comparison(comparison, format_, style(context), out); },
        [&](std::ostream& out) { render_comparison_html(comparison, runs, out); });
    return comparison.gate_failed();
  }

  // Each side's runs, for the charts.
  static ComparedRuns runs_of(const std::vector<RunResult>& before,
                              const std::vector<RunResult>& after) {
    ComparedRuns runs;
    for (const RunResult& run : before) runs.before.push_back(&run);
    for (const RunResult& run : after) runs.after.push_back(&run);
    return runs;
  }

  int finish(const Comparison& comparison, const ComparedRuns& runs, const Context& context) const {
    return print(comparison, runs, context) ? static_cast<int>(ExitCode::kFindings) : 0;
  }

  int offline(const Context& context) const {
    const JudgedFiles judged = files_.size() == 1 ? judge_directory(files_[0], rule_)
                                                  : judge_files(files_[0], files_[1], rule_);
    return finish(judged.comparison, runs_of(judged.before_runs, judged.after_runs), context);
  }

  int two_endpoints(const Context& context) const {
    const ProjectConfig& config = context.config();
    const std::optional<std::string> before = before_dsn_ ? before_dsn_ : config.before_dsn;
    const std::optional<std::string> after = after_dsn_ ? after_dsn_ : config.after_dsn;
    if (!before || !after) {
      fail(ExitCode::kUsage, "two endpoints need both --before-dsn and --after-dsn");
    }
    TwoEndpointOptions options;
    options.run = run_.options(context, scenarios_, "compare");
    options.rule = rule_;
    options.out_dir = out_dir();
    check_output_directory(options.out_dir, "--out-dir");
    std::vector<Screen> screens = scenarios_.load(config);
    options.before = measuring_session(connection_.resolve(config, context, before, "--before-dsn"),
                                       options.run);
    options.after =
        measuring_session(connection_.resolve(config, context, after, "--after-dsn"), options.run);
    const TwoEndpointOutcome outcome =
        run_two_endpoint_compare(std::move(screens), options, verbose_connector(context));
    context.err() << "results: " << join(outcome.files) << '\n';
    const ComparedRuns runs{{&outcome.before}, {&outcome.after}};
    if (outcome.failure) {
      (void)print(outcome.comparison, runs, context);
      fail(ExitCode::kRuntime, *outcome.failure);
    }
    return finish(outcome.comparison, runs, context);
  }

  std::string out_dir() const {
    return out_dir_.value_or("sqlmeasure-results/compare-" + utc_now(TimestampFormat::kFileName));
  }

  int live(const Context& context) const {
    LiveCompareOptions options;
    options.run = run_.options(context, scenarios_, "compare");
    options.rule = rule_;
    options.alternations =
        alternations_.value_or(context.config().alternations.value_or(options.alternations));
    options.before_again = !no_before_again_;
    options.out_dir = out_dir();
    check_output_directory(options.out_dir, "--out-dir");
    if (reconnect_timeout_s_) options.reconnect_timeout_s = *reconnect_timeout_s_;
    if (lock_wait_timeout_s_) options.lock_wait_timeout_s = *lock_wait_timeout_s_;
    options.allow_replicated_ddl = allow_replicated_ddl_;
    options.no_binlog = no_binlog_;
    options.on_event = [&context](const std::string& event) {
      context.err() << "sqlmeasure: " << event << '\n';
      context.err().flush();
    };
    std::vector<Screen> screens = scenarios_.load(context.config());
    if (migration_) {
      // Read and classified now: a bad or destructive migration stops before we connect.
      options.migration = migration_change(*migration_, rollback_, keep_);
      options.apply_ddl = apply_ddl_;
      if (!rollback_) {
        context.warn(options.migration->keep && !keep_
                         ? "no --rollback: this additive migration will stay applied"
                         : "--keep without --rollback: the migration will stay applied");
      }
    } else {
      options.ignore_indexes = split_list(*ignore_index_);
    }
    options.connection =
        measuring_session(connection_.resolve(context.config(), context), options.run);
    const LiveCompareOutcome outcome =
        run_live_compare(std::move(screens), options, verbose_connector(context));
    if (!outcome.files.empty()) context.err() << "results: " << join(outcome.files) << '\n';
    const ComparedRuns runs = runs_of(outcome.before_phases, outcome.after_phases);
    if (outcome.failure) {
      // The partial comparison first, if both sides have results: they are kept.
      if (outcome.comparison) (void)print(*outcome.comparison, runs, context);
      fail(ExitCode::kRuntime, outcome.failure_message());
    }
    if (!outcome.comparison) fail(ExitCode::kRuntime, "no after run; " + describe(outcome.server));
    return finish(*outcome.comparison, runs, context);
  }

  // The terminal's style, and where the full report is for a Markdown comment cut short.
  Style style(const Context& context) const {
    Style style = context.style();
    // A CI artifact's URL; else the HTML file written beside the Markdown.
    style.full_report = report_url_.value_or(report_.path().value_or(""));
    return style;
  }

  CLI::App* app_ = nullptr;
  ConnectionFlags connection_;
  ScenarioFlags scenarios_;
  RunFlags run_;
  OutputFlags output_{{Format::kTable, Format::kJson, Format::kMarkdown, Format::kCsv,
                       Format::kJunit, Format::kHtml}};
  ReportFlag report_;
  std::vector<std::string> files_;
  std::optional<std::string> migration_, rollback_, ignore_index_, before_dsn_, after_dsn_,
      out_dir_, fail_on_, report_url_;
  bool keep_ = false, apply_ddl_ = false, no_before_again_ = false, allow_replicated_ddl_ = false,
       no_binlog_ = false;
  std::optional<int> alternations_;
  std::optional<double> threshold_, alpha_, min_delta_ms_, reconnect_timeout_s_,
      lock_wait_timeout_s_;
  std::optional<std::uint64_t> min_rows_delta_;
  Format format_ = Format::kTable;
  VerdictRule rule_;
};

}  // namespace

std::unique_ptr<Command> make_compare_command() { return std::make_unique<CompareCommand>(); }

}  // namespace sqlmeasure
