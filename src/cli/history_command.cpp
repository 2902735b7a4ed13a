// sqlmeasure history [diff A B | prune --keep K]: each screen over the runs a history directory
// keeps (run --history), two kept runs compared as offline compare does, and retention
// (docs/history.md).
#include <fmt/format.h>

#include "command.h"
#include "compare_flags.h"
#include "output_flags.h"
#include "sqlmeasure/compare_files.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/history.h"
#include "sqlmeasure/history_report.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/timestamp.h"

namespace sqlmeasure {
namespace {

class HistoryCommand final : public Command {
 public:
  void add_flags(CLI::App& app) override {
    app.add_option(
           "action", action_,
           "show (the default): each screen over the runs kept; diff A B: two kept "
           "runs compared as `compare A.json B.json` does (A, B: a run's id or a unique "
           "prefix, its label, latest, latest~N); prune: drop old runs (--keep); add FILE...: keep "
           "results files `run` wrote earlier")
        ->check(CLI::IsMember({"show", "diff", "prune", "add"}));
    app.add_option("runs", runs_,
                   "diff: the two runs, before and after; add: results files made earlier, "
                   "kept as of their end");
    app.add_option("--dir", dir_,
                   "The history directory (default [history] dir of sqlmeasure.toml)");
    app.add_option("--screens", screens_, "Only these screens (names or globs, comma-separated)")
        ->delimiter(',');
    app.add_option("--since", since_,
                   "Only runs kept from this date or time on (2026-11-01, 2026-11-01T08:00:00Z)");
    app.add_option("--endpoint", endpoint_,
                   "Only the runs of this endpoint, as `history` heads them (127.0.0.1:3306)");
    app.add_option("--database", database_, "Only the runs of this database");
    app.add_flag("--runs", list_runs_, "List the runs kept, a line each, instead");
    app.add_option("--keep", keep_,
                   "prune: keep the runs of the last 90d (or 12w, 6m), or the newest N of each "
                   "database and endpoint");
    verdict_.add_to(app);
    output_.add_to(app);
    report_.add_to(app);
  }

  int execute(const Context& context) override {
    const std::string dir = directory(context);
    const std::string action = action_.value_or("show");
    if (action != "diff" && action != "add" && !runs_.empty()) {
      fail(ExitCode::kUsage, fmt::format("{}: unexpected argument {} (runs are named only by "
                                         "`history diff A B`)",
                                         action, runs_.front()));
    }
    if (action != "prune" && keep_) fail(ExitCode::kUsage, "--keep is for `history prune`");
    const Format format = output_.format();
    report_.check();
    if (action == "diff") return diff(context, dir, format);
    if (format == Format::kJunit) {
      fail(ExitCode::kUsage, "--format junit is for `history diff` (a comparison's verdicts)");
    }
    if (action == "prune") return prune(context, dir);
    if (action == "add") return add(context, dir);
    if (!since_.empty() && !valid_since(since_)) {
      fail(ExitCode::kUsage, fmt::format("--since {}: expected a date (2026-11-01) or a UTC time "
                                         "(2026-11-01T08:00:00Z)",
                                         since_));
    }
    const HistoryRead read = read_history(dir, {screens_, since_, endpoint_, database_});
    for (const std::string& warning : read.warnings) {
      context.err() << "sqlmeasure: warning: " << warning << '\n';
    }
    if (list_runs_) {
      render_history_runs(read, format == Format::kJson ? format : Format::kTable, context.out());
      return 0;
    }
    report_.emit(format, context, [&](Format chosen, std::ostream& out) {
      render_history(read, dir, chosen, context.style(), out);
    });
    return 0;
  }

 private:
  std::string directory(const Context& context) const {
    if (dir_) return *dir_;
    if (context.config().history_dir) return *context.config().history_dir;
    fail(ExitCode::kUsage,
         "no history directory: name one with --dir, or [history] dir in sqlmeasure.toml (where "
         "`run --history DIR` keeps runs)");
  }

  // A date (a day's midnight, UTC) or a UTC time, as the index keeps its times.
  static bool valid_since(const std::string& text) {
    return is_utc_second(text.size() == 10 ? text + "T00:00:00Z" : text);
  }

  int diff(const Context& context, const std::string& dir, Format format) const {
    if (runs_.size() != 2) {
      fail(ExitCode::kUsage,
           fmt::format("history diff takes two runs, before and after ({} given): e.g. "
                       "`history diff latest~1 latest`",
                       runs_.size()));
    }
    const std::string before = recorded_run_path(dir, runs_[0]);
    const std::string after = recorded_run_path(dir, runs_[1]);
    context.err() << fmt::format("history diff: {} → {}\n", before, after);
    const JudgedFiles judged =
        judge_files(before, after, verdict_.rule(context.config()), context.config().policy);
    ComparedRuns runs;
    for (const RunResult& run : judged.before_runs) runs.before.push_back(&run);
    for (const RunResult& run : judged.after_runs) runs.after.push_back(&run);
    report_.emit(format, context, [&](Format chosen, std::ostream& out) {
      render_comparison(judged.comparison, runs, chosen, context.style(), out);
    });
    return judged.comparison.gate_failed() ? static_cast<int>(ExitCode::kFindings) : 0;
  }

  // Every file is read before any is kept: a bad one keeps none.
  int add(const Context& context, const std::string& dir) const {
    if (runs_.empty()) fail(ExitCode::kUsage, "history add takes results files to keep");
    check_history_directory(dir);
    std::vector<RunResult> runs;
    for (const std::string& file : runs_) runs.push_back(read_results_file(file));
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const RunResult& run = runs[i];
      const std::string at = run.finished_at.empty() ? run.started_at : run.finished_at;
      const HistoryEntry kept = record_run(dir, run, at);
      context.err() << fmt::format("history: {} kept as {} in {}\n", runs_[i], kept.id, dir);
    }
    return 0;
  }

  int prune(const Context& context, const std::string& dir) const {
    if (!keep_) fail(ExitCode::kUsage, "history prune needs --keep (90d, 12w, 6m, or a count)");
    const Retention keep = parse_retention(*keep_);
    const PruneResult result = prune_history(dir, keep, utc_now(TimestampFormat::kIso8601));
    for (const std::string& warning : result.warnings) {
      context.err() << "sqlmeasure: warning: " << warning << '\n';
    }
    context.out() << fmt::format("history prune: kept {} run{}, removed {} (--keep {}) in {}\n",
                                 result.kept, result.kept == 1 ? "" : "s", result.removed, *keep_,
                                 dir);
    return 0;
  }

  std::optional<std::string> action_;
  std::vector<std::string> runs_;
  std::optional<std::string> dir_, keep_;
  std::vector<std::string> screens_;
  std::string since_, endpoint_, database_;
  bool list_runs_ = false;
  VerdictFlags verdict_;
  OutputFlags output_{{Format::kTable, Format::kJson, Format::kMarkdown, Format::kCsv,
                       Format::kJunit, Format::kHtml}};
  ReportFlag report_;
};

}  // namespace

std::unique_ptr<Command> make_history_command() { return std::make_unique<HistoryCommand>(); }

}  // namespace sqlmeasure
