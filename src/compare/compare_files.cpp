#include "sqlmeasure/compare_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <vector>

#include "sqlmeasure/alternation.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

namespace fs = std::filesystem;

// The phases a pooled file names, read from beside it; nullopt when one is missing (the
// pooled files were copied without them).
std::optional<std::vector<RunResult>> phases_beside(const RunResult& pooled,
                                                    const std::string& path, std::string& missing) {
  std::vector<RunResult> phases;
  for (const std::string& name : pooled.pooled_from) {
    const fs::path phase = fs::path(path).parent_path() / name;
    if (!fs::exists(phase)) {
      missing = phase.string();
      return std::nullopt;
    }
    phases.push_back(read_results_file(phase.string()));
  }
  return phases;
}

// Two runs made apart (a run, a DROP INDEX by hand, a run): whatever drifted between them
// reads as the change. A time flag the plans and rows bear out is the change's; one on time
// alone may be either, and is said so, with what would tell them apart.
void warn_one_run_a_side(Comparison& comparison) {
  std::string time_alone;
  for (const ScreenComparison& screen : comparison.screens) {
    if (screen.presence != Presence::kBoth || screen.time.change == Change::kUnchanged) continue;
    const bool borne_out =
        std::any_of(screen.queries.begin(), screen.queries.end(), [](const QueryComparison& q) {
          return !q.plan_changes.empty() || q.rows.change != Change::kUnchanged ||
                 q.outcome != QueryOutcome::kCompared;
        });
    if (borne_out) continue;
    time_alone += fmt::format("{}{} {}", time_alone.empty() ? "" : ", ", screen.name,
                              format_percent(screen.time.ratio));
  }
  if (time_alone.empty()) return;
  comparison.warnings.push_back(
      {WarningKind::kOneRunASide,
       "one run a side: flagged on time alone, with the same plans and rows examined, so what "
       "drifted between the two runs cannot be told from the change: " +
           time_alone,
       "a live compare (compare --migration UP.sql --rollback DOWN.sql, or --ignore-index) "
       "alternates the change and tells them apart; or measure each side again and compare "
       "those"});
}

}  // namespace

JudgedFiles judge_files(const std::string& before_path, const std::string& after_path,
                        const VerdictRule& rule, const GatePolicy& policy,
                        std::chrono::year_month_day today) {
  RunResult before = read_results_file(before_path);
  RunResult after = read_results_file(after_path);
  JudgedFiles judged;
  if (before.pooled_from.empty() || after.pooled_from.empty()) {
    judged.comparison = compare_labelled(before, before_path, after, after_path, rule);
    warn_one_run_a_side(judged.comparison);
    finish_comparison(judged.comparison, policy, today);
    judged.before_runs.push_back(std::move(before));
    judged.after_runs.push_back(std::move(after));
    return judged;
  }
  std::string missing;
  std::optional<std::vector<RunResult>> before_phases = phases_beside(before, before_path, missing);
  std::optional<std::vector<RunResult>> after_phases;
  if (before_phases) after_phases = phases_beside(after, after_path, missing);
  if (!before_phases || !after_phases) {
    judged.comparison = compare_labelled(before, before_path, after, after_path, rule);
    judged.comparison.warnings.push_back(
        {WarningKind::kUnconfirmed,
         fmt::format("judged without the phase rule: these files pool {} before and {} after "
                     "phases, and {} is not beside them",
                     before.pooled_from.size(), after.pooled_from.size(), missing),
         "the live compare kept a time verdict only if every pair of phases showed it: compare "
         "its whole out-dir (sqlmeasure compare DIR) to judge the same way"});
    finish_comparison(judged.comparison, policy, today);
    judged.before_runs.push_back(std::move(before));
    judged.after_runs.push_back(std::move(after));
    return judged;
  }
  judged.comparison = judge_phases(before, before_path, after, after_path, *before_phases,
                                   *after_phases, rule, policy, today);
  if (after.change) judged.comparison.after_label += " · " + after.change->description;
  judged.before_runs = std::move(*before_phases);
  judged.after_runs = std::move(*after_phases);
  return judged;
}

JudgedFiles judge_directory(const std::string& directory, const VerdictRule& rule,
                            const GatePolicy& policy, std::chrono::year_month_day today) {
  const fs::path before = fs::path(directory) / "before.json";
  const fs::path after = fs::path(directory) / "after.json";
  if (!fs::exists(before) || !fs::exists(after)) {
    fail(ExitCode::kBadInput,
         fmt::format("{}: not the out-dir of a live compare: it needs before.json and after.json",
                     printable(directory)));
  }
  return judge_files(before.string(), after.string(), rule, policy, today);
}

Comparison compare_files(const std::string& before_path, const std::string& after_path,
                         const VerdictRule& rule, const GatePolicy& policy) {
  return judge_files(before_path, after_path, rule, policy).comparison;
}

Comparison compare_directory(const std::string& directory, const VerdictRule& rule,
                             const GatePolicy& policy) {
  return judge_directory(directory, rule, policy).comparison;
}

}  // namespace sqlmeasure
