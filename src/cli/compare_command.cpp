// sqlmeasure compare: two results files; or live, before/after a migration or with
// indexes ignored; or two endpoints side by side.
#include <fmt/format.h>

#include <cmath>

#include <ctime>
#include <filesystem>

#include "cli/command.h"
#include "sqlmeasure/compare.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/live_compare.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/timestamp.h"

namespace sqlmeasure {
namespace {

std::string describe_run(const RunResult& run, const std::string& source) {
  bool same = run.label.empty() || run.label == source;
  return fmt::format("{}{} · {} {} · {} · {}{}", source, same ? "" : " (" + run.label + ")",
                     flavor_name(run.server.flavor), run.server.version, run.server.endpoint,
                     run.started_at, run.complete ? "" : " · INCOMPLETE");
}


// --iterations auto stops once a median is known to half the smallest change the verdict
// rule can flag (its threshold, its noise floor): a change that size then moves the median
// out of the interval, and more precision changes no verdict.
void precise_enough_for(const VerdictRule& rule, RunSettings::AutoIterations& auto_rule) {
  auto_rule.max_relative_half_width = rule.threshold / 2;
  auto_rule.max_absolute_half_width_ns = std::llround(rule.min_delta_ms * 1e6 / 2);
}

class CompareCommand final : public Command {
 public:
  explicit CompareCommand(const GlobalFlags& global) : global_(global) {}

  void add_flags(CLI::App& app) override {
    app.add_option("files", files_, "BEFORE.json AFTER.json (offline comparison)");
    const char* live = "Live comparison";
    app.add_option("--migration", migration_, "UP.sql: measure before, apply, measure after")->group(live);
    app.add_option("--rollback", rollback_, "DOWN.sql: applied afterwards, and on any failure")->group(live);
    app.add_flag("--keep", keep_, "Leave the migration applied at the end")->group(live);
    app.add_option("--ignore-index", ignore_index_,
                   "TABLE.INDEX[,...]: measure as if dropped (IGNORED/INVISIBLE), then restore")
        ->group(live);
    app.add_option("--before-dsn", before_dsn_, "Two endpoints: the before one")->group(live);
    app.add_option("--after-dsn", after_dsn_, "Two endpoints: the after one")->group(live);
    app.add_option("--alternations", alternations_,
                   "Apply and undo the change K times, measuring between (default 3; 1 = A-B-A)")
        ->group(live)->check(CLI::Range(1, 100));
    app.add_flag("--no-before-again", no_before_again_,
                 "Skip measuring before again after the last rollback")
        ->group(live);
    app.add_option("--out-dir", out_dir_, "Where results files go (default sqlmeasure-results/compare-TIMESTAMP)")
        ->group(live);
    const char* verdict = "Verdicts (docs/verdicts.md)";
    app.add_option("--threshold", threshold_, "Relative effect to flag, e.g. 0.10 = +10%")
        ->group(verdict)->check(CLI::Range(0.0, 100.0));
    app.add_option("--alpha", alpha_, "Significance level of the Mann-Whitney test (default 0.01)")
        ->group(verdict)->check(CLI::Range(1e-12, 0.5));
    app.add_option("--min-delta", min_delta_ms_, "Noise floor on a median, in ms (default 0.05)")
        ->group(verdict)->check(CLI::Range(0.0, 1e9));
    app.add_option("--min-rows-delta", min_rows_delta_, "Floor on rows examined per view (default 100)")
        ->group(verdict);
    app.add_option("--fail-on", fail_on_, "Gates for exit code 1: time,rows,plan,results (default time,rows)")
        ->group(verdict);
    connection_.add_to(app);
    scenarios_.add_to(app);
    run_.add_to(app);
    output_.add_to(app, "table, json, markdown, csv, junit");
  }

  int execute(const Context& context) override {
    format_ = parse_format(output_.format, {Format::kTable, Format::kJson, Format::kMarkdown,
                                            Format::kCsv, Format::kJunit});
    config_ = load_project_config(global_.config);
    rule_ = verdict_rule();
    check_modes();
    if (!files_.empty()) return offline(context);
    if (before_dsn_ || after_dsn_ || (!migration_ && !ignore_index_ && config_.before_dsn)) {
      return two_endpoints(context);
    }
    return live(context);
  }

 private:
  VerdictRule verdict_rule() const {
    VerdictRule rule;
    rule.threshold = threshold_.value_or(config_.threshold.value_or(rule.threshold));
    rule.alpha = alpha_.value_or(config_.alpha.value_or(rule.alpha));
    rule.min_delta_ms = min_delta_ms_.value_or(config_.min_delta_ms.value_or(rule.min_delta_ms));
    rule.min_rows_delta = min_rows_delta_.value_or(config_.min_rows_delta.value_or(rule.min_rows_delta));
    std::optional<std::vector<std::string>> gates;
    if (fail_on_) gates = split_list(*fail_on_);
    else if (config_.fail_on) gates = config_.fail_on;
    if (gates) {
      rule.fail_on.clear();
      for (const std::string& gate : *gates) {
        if (gate != "none") rule.fail_on.insert(parse_gate(gate));
      }
    }
    return rule;
  }

  void check_modes() const {
    int modes = (!files_.empty()) + (migration_.has_value()) + (ignore_index_.has_value()) +
                (before_dsn_ || after_dsn_ ? 1 : 0);
    if (modes > 1) {
      fail(ExitCode::kUsage, "compare takes one of: two results files, --migration, "
                             "--ignore-index, or --before-dsn/--after-dsn");
    }
    if (!files_.empty() && files_.size() != 2) {
      fail(ExitCode::kUsage, fmt::format("compare needs exactly two results files (BEFORE.json "
                                         "AFTER.json); got {}",
                                         files_.size()));
    }
    if (modes == 0 && !config_.before_dsn) {
      fail(ExitCode::kUsage, "compare needs two results files, --migration UP.sql, "
                             "--ignore-index TABLE.INDEX, or --before-dsn/--after-dsn");
    }
    if ((rollback_ || keep_) && !migration_) {
      fail(ExitCode::kUsage, "--rollback and --keep go with --migration");
    }
    if ((alternations_ || no_before_again_) && !migration_ && !ignore_index_) {
      fail(ExitCode::kUsage, "--alternations and --no-before-again go with --migration or "
                             "--ignore-index");
    }
    if (alternations_ && *alternations_ > 1 && (keep_ || (migration_ && !rollback_))) {
      fail(ExitCode::kUsage, "--alternations needs a --rollback, and cannot go with --keep: the "
                             "change is applied and undone between phases");
    }
  }

  int finish(Comparison& comparison, const Context& context) const {
    render_comparison(comparison, format_, context.style(), context.out);
    return comparison.gate_failed() ? static_cast<int>(ExitCode::kFindings) : 0;
  }

  int offline(const Context& context) const {
    RunResult before = read_results_file(files_[0]);
    RunResult after = read_results_file(files_[1]);
    Comparison comparison = compare_runs(before, after, rule_);
    comparison.before_label = describe_run(before, files_[0]);
    comparison.after_label = describe_run(after, files_[1]);
    return finish(comparison, context);
  }


  int two_endpoints(const Context& context) const {
    std::optional<std::string> before = before_dsn_ ? before_dsn_ : config_.before_dsn;
    std::optional<std::string> after = after_dsn_ ? after_dsn_ : config_.after_dsn;
    if (!before || !after) fail(ExitCode::kUsage, "two endpoints need both --before-dsn and --after-dsn");
    RunOptions options = run_.options(config_, scenarios_, context, "compare");
    precise_enough_for(rule_, options.settings.auto_iterations);
    if (options.settings.auto_iterations.enabled) {
      // Interleaved A B A B: a screen is done once a deterministic gate fails it and the two
      // endpoints' times are decidedly apart (docs/measurement.md).
      options.decided = [this](std::size_t, const std::vector<ScreenSoFar>& endpoints) {
        return endpoints.size() == 2 &&
               time_decided(endpoints[0].views, endpoints[1].views, rule_) &&
               gate_decides(*endpoints[0].result, *endpoints[1].result, rule_);
      };
    }
    std::vector<Screen> screens = scenarios_.load(config_);
    ConnectionOptions a = connection_.resolve(config_, context, before, "--before-dsn");
    ConnectionOptions b = connection_.resolve(config_, context, after, "--after-dsn");
    configure_measuring_session(a, options);
    configure_measuring_session(b, options);
    auto before_connection = open_connection(a, context);
    auto after_connection = open_connection(b, context);
    // Drawn once, on the before endpoint, and used on both: the same values everywhere.
    resolve_params(*before_connection, screens, options.settings.seed);
    std::vector<RunResult> runs = measure(
        {{before_connection.get(), "before"}, {after_connection.get(), "after"}}, screens, options);
    std::string dir = out_dir();
    std::filesystem::create_directories(dir);
    write_results_file(runs[0], dir + "/before.json");
    write_results_file(runs[1], dir + "/after.json");
    context.err << "results: " << dir << "/before.json, " << dir << "/after.json\n";
    Comparison comparison = compare_runs(runs[0], runs[1], rule_);
    comparison.before_label = describe_run(runs[0], "before");
    comparison.after_label = describe_run(runs[1], "after");
    if (!runs[0].complete) {
      render_comparison(comparison, format_, context.style(), context.out);
      fail(ExitCode::kRuntime, "the comparison did not finish: " + runs[0].incomplete_reason);
    }
    return finish(comparison, context);
  }

  std::string out_dir() const {
    return out_dir_.value_or("sqlmeasure-results/compare-" + utc_now(TimestampFormat::kFileName));
  }

  int live(const Context& context) const {
    LiveCompareOptions options;
    options.run = run_.options(config_, scenarios_, context, "compare");
    precise_enough_for(rule_, options.run.settings.auto_iterations);
    options.before_again = !no_before_again_;
    options.alternations = alternations_.value_or(config_.alternations.value_or(options.alternations));
    options.out_dir = out_dir();
    if (options.run.settings.auto_iterations.enabled) options.settle_by = rule_;
    std::vector<Screen> screens = scenarios_.load(config_);
    SchemaChange change;
    if (migration_) change = migration_change(*migration_, rollback_, keep_);
    ConnectionOptions target_options = connection_.resolve(config_, context);
    configure_measuring_session(target_options, options.run);
    auto target = open_connection(target_options, context);
    if (ignore_index_) {
      change = ignore_index_change(*target, target->server().database, split_list(*ignore_index_));
    }
    if (migration_ && !rollback_) {
      context.warn(change.keep && !keep_
                       ? "no --rollback: this additive migration will stay applied"
                       : "--keep without --rollback: the migration will stay applied");
    }
    ConnectionOptions admin_options = target_options;
    admin_options.read_only = false;  // the change itself is the one write we make
    admin_options.query_timeout_ms = 0;
    std::function<std::unique_ptr<Connection>()> admin = [admin_options, &context] {
      return open_connection(admin_options, context);
    };
    resolve_params(*target, screens, options.run.settings.seed);
    LiveCompareOutcome outcome = run_live_compare(*target, admin, screens, change, options);
    for (const std::string& event : outcome.events) context.err << "sqlmeasure: " << event << '\n';
    if (!outcome.files.empty()) {
      std::string files;
      for (const std::string& file : outcome.files) files += (files.empty() ? "" : ", ") + file;
      context.err << "results: " << files << '\n';
    }
    if (outcome.failure || !outcome.after) {
      if (outcome.before && outcome.after) {
        Comparison partial = compare_runs(*outcome.before, *outcome.after, rule_);
        partial.before_label = describe_run(*outcome.before, "before");
        partial.after_label = describe_run(*outcome.after, "after") + " (partial)";
        render_comparison(partial, format_, context.style(), context.out);
      }
      std::string state = outcome.change_left_applied ? "the change is STILL APPLIED"
                          : outcome.schema_restored.value_or(false) ? "the schema is as it was"
                          : outcome.change_applied ? "the schema could not be checked"
                                                   : "nothing was changed";
      fail(ExitCode::kRuntime, fmt::format("{}; {}", outcome.failure.value_or("no after run"), state));
    }
    Comparison comparison = compare_runs(*outcome.before, *outcome.after, rule_);
    comparison.before_label = describe_run(*outcome.before, "before");
    comparison.after_label = describe_run(*outcome.after, "after") + " · " + change.description;
    if (outcome.before_phases.size() > 1) {
      add_drift_warning(comparison, outcome.before_phases.front(), outcome.before_phases.back());
    }
    // With one phase a side the pooled comparison is the only pair.
    if (outcome.before_phases.size() + outcome.after_phases.size() > 2) {
      confirm_across_phases(comparison,
                            phase_pairs(outcome.before_phases, outcome.after_phases, rule_));
    }
    if (outcome.change_left_applied && !change.keep) {
      render_comparison(comparison, format_, context.style(), context.out);
      fail(ExitCode::kRuntime, "the change could not be undone: the schema differs from before");
    }
    return finish(comparison, context);
  }

  // The first and last before phases measure the same schema; if they disagree, the
  // machine drifted during the run and small deltas deserve less trust.
  void add_drift_warning(Comparison& comparison, const RunResult& before,
                         const RunResult& before_again) const {
    Comparison drift = compare_runs(before, before_again, rule_);
    std::string drifted;
    for (const ScreenComparison& screen : drift.screens) {
      // A screen --iterations auto stopped measuring early is in one phase only.
      if (screen.presence == Presence::kBoth && screen.time.change != Change::kUnchanged) {
        drifted += fmt::format("{}{} {}", drifted.empty() ? "" : ", ", screen.name,
                               format_percent(screen.time.ratio));
      }
    }
    if (!drifted.empty()) {
      comparison.warnings.push_back(
          "drift: the first and last before phases disagree on " + drifted +
          "; treat deltas of that size on those screens with caution");
    }
  }

  const GlobalFlags& global_;
  ConnectionFlags connection_;
  ScenarioFlags scenarios_;
  RunFlags run_;
  OutputFlags output_;
  std::vector<std::string> files_;
  std::optional<std::string> migration_, rollback_, ignore_index_, before_dsn_, after_dsn_, out_dir_,
      fail_on_;
  bool keep_ = false, no_before_again_ = false;
  std::optional<int> alternations_;
  std::optional<double> threshold_, alpha_, min_delta_ms_;
  std::optional<std::uint64_t> min_rows_delta_;
  Format format_ = Format::kTable;
  ProjectConfig config_;
  VerdictRule rule_;
};

}  // namespace

std::unique_ptr<Command> make_compare_command(const GlobalFlags& global) {
  return std::make_unique<CompareCommand>(global);
}

}  // namespace sqlmeasure
