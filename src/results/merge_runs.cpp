// Pooling the phases of an alternating live compare (docs/verdicts.md, "Alternation"):
// the before phases become one before run and the after phases one after run, so the
// verdict tests every sample of each side.
#include <fmt/format.h>

#include "sqlmeasure/error.h"
#include "sqlmeasure/results.h"

namespace sqlmeasure {
namespace {

void append(std::vector<std::int64_t>& to, const std::vector<std::int64_t>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

}  // namespace

RunResult merge_runs(const std::vector<const RunResult*>& runs) {
  if (runs.empty()) throw Error(ExitCode::kRuntime, "merge_runs: no runs to merge");
  RunResult merged = *runs.front();
  for (ScreenResult& screen : merged.screens) {
    for (QueryResult& query : screen.queries) query.phases_failed = query.failed_phases();
  }
  for (std::size_t i = 1; i < runs.size(); ++i) {
    const RunResult& run = *runs[i];
    merged.finished_at = run.finished_at;
    if (!run.complete && merged.complete) {
      merged.complete = false;
      merged.incomplete_reason = run.incomplete_reason;
    }
    merged.reconnects += run.reconnects;
    merged.throughput.queries += run.throughput.queries;
    merged.throughput.wall_s += run.throughput.wall_s;
    merged.throughput.setup_s += run.throughput.setup_s;
    // By name: with --iterations auto a later phase measures only the screens still
    // undecided (docs/verdicts.md), so a phase may hold fewer screens than the first.
    for (const ScreenResult& more : run.screens) {
      auto screen = std::find_if(merged.screens.begin(), merged.screens.end(),
                                 [&](const ScreenResult& s) { return s.name == more.name; });
      if (screen == merged.screens.end()) {
        throw Error(ExitCode::kRuntime, fmt::format("merge_runs: phase {} measured screen {}, "
                                                    "which phase 1 did not",
                                                    i + 1, more.name));
      }
      if (more.queries.size() != screen->queries.size()) {
        throw Error(ExitCode::kRuntime,
                    fmt::format("merge_runs: phase {} screen {} has {} queries, phase 1 {}", i + 1,
                                more.name, more.queries.size(), screen->queries.size()));
      }
      // Its views add up; why the last phase that measured it stopped is why it stopped.
      if (more.sampling) {
        screen->sampling =
            SamplingStop{(screen->sampling ? screen->sampling->views : 0) + more.sampling->views,
                         more.sampling->reason};
      }
      if (!screen->samples_are_its_query() || !more.samples_are_its_query()) {
        if (screen->samples_are_its_query()) screen->samples_ns = screen->view_samples();
        append(screen->samples_ns, more.view_samples());
      }
      for (std::size_t q = 0; q < more.queries.size(); ++q) {
        QueryResult& query = screen->queries[q];
        if (more.queries[q].name != query.name) {
          throw Error(ExitCode::kRuntime,
                      fmt::format("merge_runs: phase {} screen {} query {} does not match {}",
                                  i + 1, more.name, more.queries[q].name, query.name));
        }
        append(query.samples_ns, more.queries[q].samples_ns);
        // Rows, plan and checksum are deterministic: the first phase's stand. An error
        // in any phase is kept, so a timeout is not hidden by a later clean phase.
        if (!query.error && more.queries[q].error) query.error = more.queries[q].error;
        // Counted per phase, so a compare can tell a query the change breaks (failing in every
        // phase that ran it) from a lock wait or timeout in one of them.
        // A warning raised in any phase counts (a truncation may depend on the phase's data).
        for (const ServerWarning& warning : more.queries[q].warnings) {
          add_warning(query.warnings, warning);
        }
        query.phases_failed += more.queries[q].failed_phases();
        query.phases += more.queries[q].phases;
      }
    }
  }
  recompute_stats(merged);
  return merged;
}

}  // namespace sqlmeasure
