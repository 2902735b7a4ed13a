// Drift: the machine changing under a live compare. Its first and last before phases measure
// the same schema; when they disagree, deltas of that size deserve less trust.
#include <fmt/format.h>

#include "sqlmeasure/compare.h"
#include "sqlmeasure/number_text.h"

namespace sqlmeasure {

void add_drift_warning(Comparison& comparison, const RunResult& first_before,
                       const RunResult& last_before) {
  const Comparison drift = compare_runs(first_before, last_before, comparison.rule);
  std::string drifted;
  for (const ScreenComparison& screen : drift.screens) {
    // A screen --iterations auto stopped measuring early is in one phase only.
    if (screen.presence == Presence::kBoth && screen.time.change != Change::kUnchanged) {
      drifted += fmt::format("{}{} {}", drifted.empty() ? "" : ", ", screen.name,
                             format_percent(screen.time.ratio));
    }
  }
  if (drifted.empty()) return;
  comparison.warnings.push_back({WarningKind::kDrift,
                                 "drift: the first and last before phases disagree on " + drifted,
                                 "treat deltas of that size on those screens with caution"});
}

}  // namespace sqlmeasure
