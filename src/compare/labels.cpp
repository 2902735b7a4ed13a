// What a comparison's header says about each side: where the run came from, its server,
// when it ran, and whether it finished.
#include <fmt/format.h>

#include "sqlmeasure/compare.h"

namespace sqlmeasure {

Comparison compare_labelled(const RunResult& before, const std::string& before_source,
                            const RunResult& after, const std::string& after_source,
                            const VerdictRule& rule) {
  Comparison comparison = compare_runs(before, after, rule);
  comparison.before_label = describe_run(before, before_source);
  comparison.after_label = describe_run(after, after_source);
  return comparison;
}

Comparison judge_runs(const RunResult& before, const std::string& before_source,
                      const RunResult& after, const std::string& after_source,
                      const VerdictRule& rule, const GatePolicy& policy,
                      std::chrono::year_month_day today) {
  Comparison comparison = compare_labelled(before, before_source, after, after_source, rule);
  finish_comparison(comparison, policy, today);
  return comparison;
}

std::string describe_run(const RunResult& run, const std::string& source) {
  const bool same = run.label.empty() || run.label == source;
  return fmt::format("{}{} · {} {} · {} · {}{}", source, same ? "" : " (" + run.label + ")",
                     flavor_name(run.server.flavor), run.server.version, run.server.endpoint,
                     run.started_at, run.complete ? "" : " · INCOMPLETE");
}

}  // namespace sqlmeasure
