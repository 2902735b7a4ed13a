#pragma once
// The live comparison on one endpoint, from connecting to the verdict: measure before, apply
// the change, measure after, undo it — alternating so that load coming and going cannot pass
// for a change (docs/verdicts.md) — then pool each side's phases and compare them.
// The change is undone on every exit path — failure, interruption, lost connection — and the
// schema is checked against its snapshot after every undo (docs/safety.md). Results files are
// written as each phase ends, then the pooled before.json and after.json.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/compare.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/optimizer_statistics.h"
#include "sqlmeasure/results.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/schema_change.h"
#include "sqlmeasure/server_state.h"

namespace sqlmeasure {

// How much an event of a live compare matters to the user watching it.
enum class EventLevel {
  kWarning,  // something went wrong, or the server is not as it should be: always said
  kPhase,    // one line per alternation, and what decides the run (a journal, a drop ignored)
  kDetail,   // each statement's algorithm, each apply and undo, the schema checks
};

struct LiveCompareOptions {
  // The measuring session, read-only unless --allow-writes; the change gets a read-write
  // session with the same endpoint and credentials.
  ConnectionOptions connection;
  // One of the two: a migration (loaded and classified by migration_change), or indexes made
  // IGNORED/INVISIBLE ("TABLE.INDEX"), which can only be checked once connected.
  std::optional<SchemaChange> migration;
  std::vector<std::string> ignore_indexes;
  // A migration that only drops indexes is measured with them ignored/invisible instead
  // (docs/measurement.md); this runs its DDL as written.
  bool apply_ddl = false;
  RunOptions run;
  VerdictRule rule;
  GatePolicy policy;  // budgets and accepted regressions the comparison is finished with
  // How many times the change is applied and undone; the iterations (and the --iterations
  // auto budget) are split across the phases. 1 is the classic A-B-A. A change that stays
  // applied (--keep, or an additive migration without a rollback) has one of each phase.
  int alternations = 3;
  bool before_again = true;  // measure before after the last undo too
  std::string out_dir;       // before-1.json, after-1.json, ..., before.json, after.json
  // When the change's connection is lost (a restart, a failover), how long to keep trying to
  // reconnect — with growing pauses, each said — before the undo is given up.
  double reconnect_timeout_s = 30;
  // A server that writes a binary log (or an Aurora cluster) would replay every apply and
  // undo elsewhere: refused unless one of these says what to do (docs/safety.md §3).
  bool allow_replicated_ddl = false;  // let it replicate, knowingly
  bool no_binlog = false;             // SET SESSION sql_log_bin = 0 on the change's session
  // How long a DDL may wait for a metadata lock before the change is given up (a DDL queued
  // behind a long query blocks every later query on the table).
  double lock_wait_timeout_s = 5;
  // --stats: production's optimizer statistics in place while measuring (imported before
  // before-1, written again after each apply and undo for the tables the change alters, the
  // copy's own put back at the end); `statistics_source` names the file.
  std::optional<StatisticsFile> statistics;
  std::string statistics_source;
  // Called with each event as it happens (the outcome keeps them all too), with how much it
  // matters: the command line says warnings even with -q, phases by default, details with -v.
  std::function<void(EventLevel, const std::string&)> on_event;
};

struct LiveCompareOutcome {
  // Every phase of each side pooled, labelled; partial when `failure` is set (when both
  // sides have results), absent when the after side has none.
  std::optional<Comparison> comparison;
  ServerState server = ServerState::kUnchanged;
  bool kept = false;  // the change was meant to stay applied
  // When the change may still be applied against the user's wish: the command that puts it
  // back (its journal stays open until then).
  std::string recover_with;
  std::optional<std::string> failure;  // why it did not finish, or could not be undone
  std::vector<std::string> events;     // what happened to the server, in order
  std::vector<std::string> files;      // results files written
  std::vector<RunResult> before_phases, after_phases;  // in order; a cut-short one last
  std::optional<RunResult> before, after;              // pooled over the phases

  // The failure with the server's state: "...; the schema is as it was". Empty when none.
  [[nodiscard]] std::string failure_message() const;
};

// `screens` have their parameters unresolved: they are drawn on the measuring connection.
// Throws Error for what stops it before anything was changed (cannot connect, no database,
// an unknown --ignore-index); everything after that ends in the outcome.
[[nodiscard]] LiveCompareOutcome run_live_compare(std::vector<Screen> screens,
                                                  const LiveCompareOptions& options,
                                                  const Connector& connect);

}  // namespace sqlmeasure
