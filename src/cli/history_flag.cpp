// --history DIR and --fail-on of `run` (history_flag.h).
#include "history_flag.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "compare_flags.h"
#include "sqlmeasure/drift.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/hint_recheck.h"
#include "sqlmeasure/history.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/timestamp.h"

namespace sqlmeasure {
namespace {

// The runs a drift check reads: each screen is judged against its last 20 (DriftRule::window);
// a screen measured in one run of five still finds them.
constexpr std::size_t kDriftReadRuns = 100;

}  // namespace

void HistoryFlag::add_to(CLI::App& app) {
  app.add_option("--history", directory_,
                 "DIR: keep this run in a history directory too, judged against the earlier "
                 "runs of its database and endpoint (drift); default [history] dir of "
                 "sqlmeasure.toml. `sqlmeasure history` shows each screen over the runs kept");
  app.add_option("--baseline", baseline_path_,
                 "FILE: the accepted plans to check each query's against (default "
                 "SCENARIOS/plan-baseline.json when it exists; `sqlmeasure baseline accept` "
                 "writes it)");
  app.add_flag("--check-hints", check_hints_,
               "Time every FORCE/USE/IGNORE INDEX query with and without its hint as well (as "
               "`indexes` does), kept with --history so that `history` shows when a hint "
               "stopped paying");
  app.add_option("--fail-on", fail_on_,
                 "Findings that make the run exit 1, comma-separated: budget, drift (with "
                 "--history), plan (a query left its accepted plan), or none")
      ->type_name("GATES")
      ->default_str("budget");
}

void HistoryFlag::check(const Context& context, const std::string& scenarios) {
  if (!directory_) directory_ = context.config().history_dir;
  if (baseline_path_) {
    baseline_ = read_plan_baseline(*baseline_path_);
  } else if (const std::string beside = scenarios + "/" + kPlanBaselineFile;
             std::filesystem::exists(beside)) {
    baseline_path_ = beside;
    baseline_ = read_plan_baseline(beside);
  }
  if (fail_on_) {
    gates_ = parse_gates(split_list(*fail_on_), "--fail-on", ExitCode::kUsage);
    for (const Gate gate : gates_) {
      if (gate != Gate::kBudget && gate != Gate::kDrift && gate != Gate::kPlan) {
        fail(ExitCode::kUsage,
             fmt::format("--fail-on {}: run's gates are budget, drift and plan (the others are "
                         "compare's)",
                         gate_name(gate)));
      }
    }
    if (gates_.contains(Gate::kPlan) && !baseline_) {
      fail(ExitCode::kUsage,
           "--fail-on plan checks each query's plan against its accepted one: no baseline (accept "
           "one with `sqlmeasure baseline accept`, or name it with --baseline FILE)");
    }
    if (gates_.contains(Gate::kDrift) && !directory_) {
      fail(ExitCode::kUsage,
           "--fail-on drift judges the run against its history: name one with --history DIR "
           "(or [history] dir)");
    }
  }
  if (directory_) check_history_directory(*directory_);
}

std::vector<HintPoint> HistoryFlag::check_hints(Connection& connection,
                                                const std::vector<Screen>& screens,
                                                const Context& context, std::ostream& out) const {
  if (!check_hints_) return {};
  HintTiming timing;
  timing.interrupted = context.interrupted();
  std::vector<HintRecheck> checked;
  try {
    checked = recheck_hints(connection, screens, timing);
  } catch (const std::exception& error) {
    // The run is measured and written already: a hint check cut short (Ctrl-C, a lost
    // connection) is said, and the run kept without it.
    out << "hints: not checked: " << error.what() << '\n';
    return {};
  }
  std::vector<HintPoint> points;
  out << fmt::format("hints: {} checked with and without\n", checked.size());
  for (const HintRecheck& hint : checked) {
    out << "  " << hint.describe(timing.effect_ratio) << '\n';
    HintPoint point{hint.screen, hint.query, hint.hint, hint.sql_without, false, 0, 0, 0, 0};
    if (hint.measured) {
      point.measured = true;
      point.with_ms = hint.measured->with_ms;
      point.without_ms = hint.measured->without_ms;
      point.rows_with = hint.measured->rows_examined_with;
      point.rows_without = hint.measured->rows_examined_without;
    }
    points.push_back(std::move(point));
  }
  return points;
}

bool HistoryFlag::keep(const RunResult& run, const Context& context, std::ostream& out,
                       std::vector<HintPoint> hints) const {
  if (!directory_) return false;
  // The history as it was before this run: what it is judged against.
  std::error_code error;
  // Its own database and endpoint's newest runs only: a long history of other databases does
  // not make the run slower.
  HistoryFilter mine;
  mine.endpoint = run.server.endpoint;
  mine.database = run.server.database;
  mine.last_runs = kDriftReadRuns;
  const HistoryRead before = std::filesystem::exists(*directory_ + "/index.jsonl", error)
                                 ? read_history(*directory_, mine)
                                 : HistoryRead{};
  for (const std::string& warning : before.warnings) {
    context.err() << "sqlmeasure: warning: " << warning << '\n';
  }
  // Two runs kept in one second with one label (parallel jobs of a commit) stay two.
  const std::string salt =
      fmt::format("{}-{}", ::getpid(), std::chrono::system_clock::now().time_since_epoch().count());
  const HistoryEntry kept =
      record_run(*directory_, run, utc_now(TimestampFormat::kIso8601), std::move(hints), salt);
  context.err() << fmt::format("history: kept as {} in {}\n", kept.id, *directory_);
  if (!run.complete) return false;  // an incomplete run is kept, not judged
  DriftRule rule;
  rule.verdict = VerdictFlags{}.rule(context.config());  // [compare]'s threshold and floors
  const DriftReport drift = judge_drift(run, kept, before, *directory_, rule);
  out << drift.summary() << '\n';
  for (const ScreenDrift& screen : drift.screens) {
    if (screen.drifted())
      out << "  " << screen.screen << ": drifted: " << screen.describe() << '\n';
  }
  return drift.drifted() > 0 && gates_.contains(Gate::kDrift);
}

bool HistoryFlag::check_baseline(const RunResult& run, const Context& context,
                                 std::ostream& out) const {
  if (!baseline_) return false;
  const BaselineCheck checked =
      sqlmeasure::check_baseline(*baseline_, run, VerdictFlags{}.rule(context.config()));
  out << checked.summary() << " (" << *baseline_path_ << ")\n";
  for (const BaselineDeparture& departure : checked.departures) {
    out << "  " << departure.describe() << '\n';
  }
  return !checked.departures.empty() && gates_.contains(Gate::kPlan);
}

}  // namespace sqlmeasure
