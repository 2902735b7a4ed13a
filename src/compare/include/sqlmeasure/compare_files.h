#pragma once
// `sqlmeasure compare BEFORE.json AFTER.json` and `compare DIR`: comparing results files
// made earlier. Pooled files of a live compare (before.json, after.json) name the phase
// files they pool; when those are beside them, the files are judged as the live compare
// judged them — drift warning and all-pairs rule included (judge_phases) — so an offline
// compare of a live compare's out-dir prints the same verdicts.
#include <string>
#include <vector>

#include "sqlmeasure/compare.h"

namespace sqlmeasure {

// Errors: kBadInput for unreadable or invalid files, naming them.
[[nodiscard]] Comparison compare_files(const std::string& before_path,
                                       const std::string& after_path, const VerdictRule& rule,
                                       const GatePolicy& policy = {});

// DIR/before.json against DIR/after.json, as compare_files; kBadInput when DIR has neither.
[[nodiscard]] Comparison compare_directory(const std::string& directory, const VerdictRule& rule,
                                           const GatePolicy& policy = {});

// The comparison with the runs it was judged from, for a report that draws their samples
// (html_report.h): each side's phases in order when they were judged phase by phase, else the
// two files as read. Finished (finish_comparison) with `policy` as of `today`.
struct JudgedFiles {
  Comparison comparison;
  std::vector<RunResult> before_runs, after_runs;
};
[[nodiscard]] JudgedFiles judge_files(const std::string& before_path, const std::string& after_path,
                                      const VerdictRule& rule, const GatePolicy& policy,
                                      std::chrono::year_month_day today = utc_today());
[[nodiscard]] JudgedFiles judge_directory(const std::string& directory, const VerdictRule& rule,
                                          const GatePolicy& policy,
                                          std::chrono::year_month_day today = utc_today());

}  // namespace sqlmeasure
