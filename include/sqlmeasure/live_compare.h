#pragma once
// Live comparison on one endpoint, alternating so that load coming and going cannot pass
// for a change (docs/verdicts.md): before, [apply, after, undo, before] × alternations.
// The change is undone on every exit path — failure, interruption, lost connection — and
// the schema is checked against its snapshot after every undo. Results files are written
// as each phase ends, then the pooled before.json and after.json.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/compare.h"
#include "sqlmeasure/results.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/schema_change.h"

namespace sqlmeasure {

struct LiveCompareOptions {
  RunOptions run;
  // How many times the change is applied and undone; the iterations (and the --iterations
  // auto budget) are split across the phases. 1 is the classic A-B-A. With a change that
  // stays applied (--keep) there is one before and one after phase.
  int alternations = 3;
  bool before_again = true;  // measure before after the last undo too
  // --iterations auto: the verdict rule, so that sampling stops where no verdict can change
  // (docs/verdicts.md): a screen leaves a phase once its time is decided against the other
  // side's samples (time_decided), and after each complete alternation the screens whose
  // verdict is settled (settled_screens) are not measured again; none left ends it.
  std::optional<VerdictRule> settle_by;
  std::string out_dir;       // before-1.json, after-1.json, ..., before.json, after.json
};

struct LiveCompareOutcome {
  std::vector<RunResult> before_phases, after_phases;  // in order; a cut-short one last
  std::optional<RunResult> before, after;  // pooled over the phases (merge_runs)
  std::vector<std::string> events;        // what happened to the server, in order
  std::vector<std::string> files;         // results files written
  bool change_applied = false;            // at least one statement succeeded
  bool change_left_applied = false;       // by --keep, or because the undo failed
  std::optional<bool> schema_restored;    // set when an undo ran and the schema was checked
  std::optional<std::string> failure;     // why it ended early; exit code 2
};

// `target` is the read-only measuring connection; `admin` opens a read-write connection
// for the change (called again to reconnect when the first one is lost).
[[nodiscard]] LiveCompareOutcome run_live_compare(
    Connection& target, const std::function<std::unique_ptr<Connection>()>& admin,
    std::vector<Screen>& screens, const SchemaChange& change, const LiveCompareOptions& options);

}  // namespace sqlmeasure
