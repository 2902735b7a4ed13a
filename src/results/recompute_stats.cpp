// Statistics are derived data: the raw samples in the results file are the truth, so any
// later comparison or report can recompute them instead of trusting stored figures.
#include <cstdint>
#include <vector>

#include "sqlmeasure/results.h"
#include "sqlmeasure/stats.h"

namespace sqlmeasure {
namespace {

Summary summarize_ms(const std::vector<std::int64_t>& samples_ns) {
  std::vector<double> samples_ms = to_ms(samples_ns);
  return summarize_in_place(samples_ms);  // one working copy per sample, not three
}

}  // namespace

void recompute_stats(RunResult& run) {
  for (ScreenResult& screen : run.screens) {
    // From the screen's own per-view samples, not from its queries' figures: the sum of
    // the query medians is not the median of the per-view sums.
    for (QueryResult& query : screen.queries) query.stats_ms = summarize_ms(query.samples_ns);
    screen.stats_ms = screen.samples_are_its_query() ? screen.queries.front().stats_ms
                                                     : summarize_ms(screen.samples_ns);
  }
}

}  // namespace sqlmeasure
