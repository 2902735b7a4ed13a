#pragma once
// Live comparison on one endpoint: measure before, apply the change, measure after, undo
// the change, optionally measure before again (A-B-A) to expose drift. The change is
// undone on every exit path — failure, interruption, lost connection — and the schema is
// checked against its snapshot afterwards. Results files are written as each phase ends.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/results.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/schema_change.h"

namespace sqlmeasure {

struct LiveCompareOptions {
  RunOptions run;
  bool before_again = true;  // A-B-A drift check
  std::string out_dir;       // before.json, after.json, before-again.json
};

struct LiveCompareOutcome {
  std::optional<RunResult> before, after, before_again;
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
