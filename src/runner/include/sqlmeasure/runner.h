#pragma once
// Measures screens: parameters resolved once, one inspection per query (rows examined,
// EXPLAIN, checksum) and the warm-up outside the timed samples, then the timed iterations
// visited interleaved across screens, queries and endpoints.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/progress.h"
#include "sqlmeasure/results.h"
#include "sqlmeasure/scenario.h"
#include "sqlmeasure/stats.h"

namespace sqlmeasure {

// Draws the values of every `from` parameter once (fixed seed), in place.
void resolve_params(Connection& connection, std::vector<Screen>& screens, std::uint64_t seed);

// Replaces each `:name` with its value for the given variant (value index = variant mod count).
// Strings are quoted by `quote`. Throws kBadInput naming the query when a value is missing.
[[nodiscard]] std::string render_sql(const Query& query, std::size_t variant,
                                     const std::function<std::string(std::string_view)>& quote);

// A screen part-way through its sampling on one target: its inspection (rows examined,
// plans, checksums) and its per-view samples so far.
struct ScreenSoFar {
  const ScreenResult* result = nullptr;
  std::vector<std::int64_t> views;
};

struct RunOptions {
  RunSettings settings;
  std::string label;
  int max_inspected_variants = 8;
  // --allow-writes: every execution runs in a transaction that is always rolled back.
  bool allow_writes = false;
  // --retries: reconnect this many times on a lost connection, retrying the sample.
  int retries = 0;
  // Read RunResult::conditions (settings, table rows) before the inspection. A live compare
  // reads them in its first phase of each side only: the server is the same throughout.
  bool record_conditions = true;
  // The first phase of the same side of a live compare, or null: a query whose EXPLAIN here
  // is that phase's plan, row for row (the rows estimates aside), takes its inspection (rows
  // examined and sent, the checksum, the execution warnings) instead of executing its variants
  // again — the pooled side keeps the first phase's anyway (docs/measurement.md, "--iterations
  // auto").
  const RunResult* inspected = nullptr;
  const std::atomic<bool>* interrupted = nullptr;  // set by SIGINT/SIGTERM handlers
  std::function<void(const Progress&)> on_progress;
  // --iterations auto: true once screen `screen`'s verdict can no longer change whatever
  // more rounds show, given what each target measured of it so far (in target order); the
  // screen then leaves the rotation like a precise one.
  using Decided =
      std::function<bool(std::size_t screen, const std::vector<ScreenSoFar>& by_target)>;
  Decided decided;
  // Called once, from a watchdog thread, as soon as `interrupted` is raised, with the target
  // and session id of each connection measuring: stops the statement it runs (KILL QUERY, on
  // a connection of its own), so that an interrupt acts at once, not after a 20 s query.
  using Cancel = std::function<void(std::size_t target, std::uint64_t session)>;
  Cancel cancel;
  // With settings.concurrency N > 1: opens one more connection to target `target`, set up
  // like the first (N - 1 per target are opened for the sampling phase).
  std::function<std::unique_ptr<Connection>(std::size_t target)> open_connection;
};

// One endpoint to measure. With several, each sample is taken on every endpoint in turn
// (A B A B ...), so drift hits them alike.
struct Target {
  Connection* connection = nullptr;
  std::string label;
};

// RunOptions::cancel for targets whose sessions were opened with `sessions` (one per target):
// KILL QUERY from a new connection. Failures are ignored: the interrupt is honoured anyway
// once the statement ends.
[[nodiscard]] RunOptions::Cancel cancel_with(const Connector& connect,
                                             std::vector<ConnectionOptions> sessions);

// Returns one RunResult per target. If interrupted or the connection is lost, the
// results so far are returned with complete = false and the reason; the caller decides
// the exit code. Screens must already have their parameters resolved.
[[nodiscard]] std::vector<RunResult> measure(const std::vector<Target>& targets,
                                             const std::vector<Screen>& screens,
                                             const RunOptions& options);

// The --iterations auto rule for one screen's per-view samples: at least `min_rounds`, and
// the median's 95 % interval has a half-width within the relative or the absolute bound.
[[nodiscard]] bool median_is_precise(const std::vector<std::int64_t>& samples,
                                     const RunSettings::AutoIterations& rule);

// Samples taken by several connections at once, stored by round (-1: round not taken, e.g.
// after an error): kept in round order, the holes dropped.
void compact_round_samples(std::vector<std::int64_t>& samples_by_round);

// Runs the statement once (with a checksum) and reads the rows it examined from the
// server's handler counters (docs/measurement.md).
struct Inspection {
  Execution execution;
  std::uint64_t rows_examined = 0;
  std::vector<ServerWarning> warnings;  // what SHOW WARNINGS said of it, when it raised any
};
[[nodiscard]] Inspection inspect_execution(Connection& connection, std::string_view sql);

// The server settings that change plans and times, and the rows of every table the screens'
// SQL names in the current database (exact up to 1M estimated rows). The statements it runs
// are listed in docs/measurement.md; none writes.
[[nodiscard]] RunConditions read_conditions(Connection& connection,
                                            const std::vector<Screen>& screens);
[[nodiscard]] std::uint64_t rows_examined(Connection& connection, std::string_view sql);
// The EXPLAIN plan; `notes`, when given, receives the warnings EXPLAIN raised (MySQL's
// rewritten-query note 1003 aside: every EXPLAIN has one).
[[nodiscard]] std::vector<PlanRow> explain(Connection& connection, std::string_view sql,
                                           std::vector<ServerWarning>* notes = nullptr);
// Adds what SHOW WARNINGS lists to `into`, each once, up to kMaxWarningsPerQuery.
void read_warnings(Connection& connection, bool from_explain, std::vector<ServerWarning>& into);

}  // namespace sqlmeasure
