#include "sqlmeasure/two_endpoints.h"

#include <filesystem>

#include "auto_stop.h"
#include "sqlmeasure/evidence_collection.h"
#include "sqlmeasure/journal.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/scenario_loader.h"

namespace sqlmeasure {

TwoEndpointOutcome run_two_endpoint_compare(std::vector<Screen> screens,
                                            const TwoEndpointOptions& options,
                                            const Connector& connect) {
  RunOptions run = options.run;
  if (run.settings.auto_iterations.enabled) {
    // A screen is done once a deterministic gate fails it and the two endpoints' times are
    // decidedly apart (docs/measurement.md).
    precise_enough_for(options.rule, run.settings.auto_iterations);
    run.decided = decided_between_endpoints(options.rule);
  }
  auto before = connect(options.before);
  auto after = connect(options.after);
  refuse_if_unrecovered(*before, before->server().database);
  refuse_if_unrecovered(*after, after->server().database);
  check_screens_for_session(screens, before->server().sql_mode, run.allow_writes);
  check_screens_for_session(screens, after->server().sql_mode, run.allow_writes);
  run.cancel = cancel_with(connect, {options.before, options.after});
  // Drawn once, on the before endpoint, and used on both: the same values everywhere.
  resolve_params(*before, screens, run.settings.seed);
  std::vector<RunResult> runs =
      measure({{before.get(), "before"}, {after.get(), "after"}}, screens, run);
  if (runs[0].complete) {
    // Only for the plans the two endpoints differ on: the changes a compare explains.
    runs[0].index_statistics = plan_index_statistics(*before, runs[0], {}, &runs[1]);
    runs[1].index_statistics = plan_index_statistics(*after, runs[1], {}, &runs[0]);
  }
  std::filesystem::create_directories(options.out_dir);
  TwoEndpointOutcome outcome;
  for (const auto& [result, file] :
       {std::pair{&runs[0], "before.json"}, {&runs[1], "after.json"}}) {
    const std::string path = (std::filesystem::path(options.out_dir) / file).string();
    write_results_file(*result, path);
    outcome.files.push_back(path);
  }
  outcome.comparison =
      judge_runs(runs[0], "before", runs[1], "after", options.rule, options.policy);
  if (!runs[0].complete) {
    outcome.failure = "the comparison did not finish: " + runs[0].incomplete_reason;
  }
  outcome.before = std::move(runs[0]);
  outcome.after = std::move(runs[1]);
  return outcome;
}

}  // namespace sqlmeasure
