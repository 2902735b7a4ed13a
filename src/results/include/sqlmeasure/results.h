#pragma once
// A run: the measurements of a set of screens against one endpoint. It is the single
// source for every renderer and for the results file (docs/results-format.md).
#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/scenario.h"
#include "sqlmeasure/stats.h"

namespace sqlmeasure {

// The version this binary writes, and the oldest it still reads (docs/results-format.md):
// raise the first when a field is added, never the second without a reason, so that a
// baseline made by an older sqlmeasure keeps comparing.
inline constexpr int kResultsSchemaVersion = 7;
inline constexpr int kOldestResultsSchemaVersion = 1;

// One row of the traditional EXPLAIN output, as both MariaDB and MySQL print it.
struct PlanRow {
  std::string id, select_type, table, access_type, possible_keys, key, key_len, ref, rows, extra;
  bool operator==(const PlanRow&) const = default;
  // The same row but for the optimizer's estimate of its rows, which moves with index dives
  // and statistics while the access path, and so the rows examined and the result, do not.
  [[nodiscard]] bool same_access_path(const PlanRow& other) const {
    return id == other.id && select_type == other.select_type && table == other.table &&
           access_type == other.access_type && possible_keys == other.possible_keys &&
           key == other.key && key_len == other.key_len && ref == other.ref && extra == other.extra;
  }
};

// A warning or note the server raised for a query (SHOW WARNINGS): running it (truncation,
// 1292) or explaining it (a key it cannot use for a lookup: MariaDB's 1105, MySQL's 1739).
// Read once per inspected execution, only when the statement's warning count is not zero.
struct ServerWarning {
  std::string level;  // Note, Warning, Error
  unsigned code = 0;
  std::string message;
  bool from_explain = false;
  auto operator<=>(const ServerWarning&) const = default;
};

// At most this many distinct warnings are kept per query: a truncation warning per row must
// not fill the results file.
inline constexpr std::size_t kMaxWarningsPerQuery = 10;

// Adds `warning` to a query's list unless it is there already or the list is full.
inline void add_warning(std::vector<ServerWarning>& warnings, const ServerWarning& warning) {
  if (warnings.size() >= kMaxWarningsPerQuery) return;
  for (const ServerWarning& known : warnings) {
    if (known == warning) return;
  }
  warnings.push_back(warning);
}

// What the inspection of one parameter variant found (version 7): kept per variant so that
// two sides inspected to different depths compare on the variants both ran (align_inspections).
struct VariantInspection {
  std::uint64_t rows_examined = 0;
  std::uint64_t rows_sent = 0;
  std::uint64_t checksum = 0;  // of its result rows (Execution::checksum)
  bool operator==(const VariantInspection&) const = default;
};

struct QueryResult {
  std::string name;
  std::string sql;
  int times = 1;
  std::map<std::string, std::vector<ParamValue>> params;  // the values actually used
  // Timed executions per view, in order: `executions_per_view` per view. Since version 2
  // every execution of a view is timed (= times); version-1 files timed one per view (1),
  // which stood for all `times` of them.
  std::vector<std::int64_t> samples_ns;
  int executions_per_view = 1;
  Summary stats_ms;
  // Recorded once per parameter variant, outside the timed samples.
  std::uint64_t rows_sent = 0;      // per execution, averaged over the inspected variants
  std::uint64_t rows_examined = 0;  // idem, from the server's handler counters
  std::string checksum;             // hex; combines the inspected variants
  std::vector<PlanRow> plan;        // of the first variant
  int variants_inspected = 0;
  std::vector<VariantInspection> variants;  // the same, variant by variant (version 7 on)
  std::vector<ServerWarning> warnings;      // distinct, in the order first seen (inspection)
  std::optional<std::string> error;         // e.g. "timed out after 2000 ms"; samples stop there
  // Pooled phases (merge_runs): how many phases ran it, and in how many it failed (`error` is
  // the first failure). A run of one phase leaves them 1 and 0: failed_phases() reads its error.
  int phases = 1;
  int phases_failed = 0;
  [[nodiscard]] int failed_phases() const { return phases > 1 ? phases_failed : error ? 1 : 0; }
};

// How the sampling of a screen ended (version 6): after how many timed views, and why —
// "iterations" (the fixed count), or with --iterations auto "precise" (its median known as
// precisely as the rule asks), "decided" (a deterministic gate fails it and its time is
// decided against the other side's samples), "budget" (its sampling time spent), "rounds"
// (the most rounds), "error" (a query failed).
struct SamplingStop {
  int views = 0;
  std::string reason;
};

struct ScreenResult {
  std::string name;
  std::string description;
  std::string file;
  // Per view: the sum over its queries of their executions in that view. Left empty by the runner
  // for a screen of one query issued once per view, whose per-view samples are that query's: the
  // same numbers are not kept twice (docs/performance.md, memory). Read through view_samples().
  std::vector<std::int64_t> samples_ns;
  Summary stats_ms;
  std::uint64_t rows_examined = 0;  // per view: sum of rows_examined * times
  std::vector<QueryResult> queries;
  std::optional<Budget> budget;          // its screen file's, recorded for a later compare
  std::optional<SamplingStop> sampling;  // none in files before version 6, or when interrupted

  [[nodiscard]] bool samples_are_its_query() const {
    return samples_ns.empty() && queries.size() == 1 && queries.front().times == 1;
  }
  [[nodiscard]] const std::vector<std::int64_t>& view_samples() const {
    return samples_are_its_query() ? queries.front().samples_ns : samples_ns;
  }
};

// A screen's figures per view, from its queries' (the one place they are summed): each
// query's executions of the view (a version-1 sample × times), over the views every query
// completed; and its rows examined, Σ rows_examined × times.
[[nodiscard]] std::vector<std::int64_t> per_view_samples(const std::vector<QueryResult>& queries);
[[nodiscard]] std::uint64_t rows_examined_per_view(const std::vector<QueryResult>& queries);

// A query's inspection figures (rows sent and examined, averaged; the checksum, combined;
// variants_inspected) from its per-variant records.
void total_inspection(QueryResult& query);

// The same queries inspected to different depths on two sides (an inspection cut short by
// its time budget, docs/measurement.md): both cut to the variants both ran and their figures
// recomputed, the screens' rows per view too, so rows and checksums compare like for like.
// Queries recorded without per-variant figures (files before version 7) are left as they
// are. True when anything changed.
bool align_inspections(ScreenResult& before, ScreenResult& after);
// Whether align_inspections would leave the two as they are (no copy needed to compare them).
[[nodiscard]] bool inspected_alike(const ScreenResult& before, const ScreenResult& after);

// The order a round visits the screens in (a screen's queries keep their file order).
enum class Order { kRoundRobin, kShuffled };
[[nodiscard]] const char* order_name(Order order);  // "round-robin", "shuffled"
[[nodiscard]] std::optional<Order> order_named(std::string_view name);

// --iterations auto samples at most this many rounds per screen.
inline constexpr int kAutoIterationsMax = 200;

struct RunSettings {
  int warmup = 2;
  int iterations = 20;
  std::uint64_t seed = 1;
  Order order = Order::kRoundRobin;
  std::string scenarios;  // directory
  std::vector<std::string> screen_globs;
  unsigned query_timeout_ms = 0;
  // --concurrency: connections replaying the screens at once during sampling (1 = one
  // connection, the interleaved loop exactly as documented in docs/measurement.md).
  int concurrency = 1;
  // --iterations auto: sample rounds until each query's median is known precisely enough
  // (docs/measurement.md, "--iterations auto"); `iterations` is then the maximum.
  struct AutoIterations {
    bool enabled = false;
    int min_rounds = 10;
    // Half the default verdict rule's threshold (+10 %) and noise floor (0.05 ms); compare
    // derives both from its rule (docs/measurement.md).
    double max_relative_half_width = 0.05;             // of the median's 95 % confidence interval
    std::int64_t max_absolute_half_width_ns = 25'000;  // or at most 0.025 ms
    // The sampling time of a whole run (of one side of a live compare, all its phases; all
    // endpoints together), shared equally by its screens (share_budget), so that a heavy
    // screen cannot take what the others need; and the most one screen gets.
    double total_budget_s = 30;
    double budget_s = 10;  // per screen (in a phase): sampling time after which it stops regardless
  } auto_iterations;
};

// Sets the rule's per-screen budget to its share of the whole for `screens` screens: the
// total over the screens, at most the rule's budget_s (docs/measurement.md).
inline void share_budget(RunSettings::AutoIterations& rule, std::size_t screens) {
  if (screens > 0) {
    rule.budget_s = std::min(rule.budget_s, rule.total_budget_s / static_cast<double>(screens));
  }
}

// What the sampling phase achieved: every timed execution, over its wall time.
struct Throughput {
  std::uint64_t queries = 0;
  double wall_s = 0;
  // (Version 6) seconds before sampling: run conditions, inspection, warm-up — the fixed
  // cost of a run or of each phase (summed in a pooled file).
  double setup_s = 0;
  [[nodiscard]] double queries_per_s() const {
    return wall_s > 0 ? static_cast<double>(queries) / wall_s : 0;
  }
};

// An index hint of a scenario query that a change breaks or redirects (hint_check.h finds
// them; docs/verdicts.md, "Index hints").
struct HintProblem {
  enum class Kind {
    kBreaks,      // resolved before, fails after: the application gets an error
    kRedirected,  // resolves to another index than before (a prefix match)
    kIgnored,     // an optimizer hint that no longer resolves: ignored with a warning
    kKeepsOff,    // a FORCE/USE INDEX keeps the query off an index the change adds
  };
  Kind kind = Kind::kBreaks;
  std::string screen, query;
  SourceLocation where;  // the query
  std::string table;     // the real table the hint is on
  std::string hint;      // as written: FORCE INDEX (category_id_status_started)
  std::string index;     // the name as the hint writes it
  std::string before;    // what it resolved to before the change
  std::string after;     // what it resolves to after (kRedirected); the new index (kKeepsOff)
  std::string error;     // what the server answers (kBreaks): [1176] Key 'x' doesn't exist ...
  std::string cause;     // "the migration drops it (up.sql:3:1)", "x is gone", ...
  // kKeepsOff: the query timed after the change with and without its hint, interleaved.
  double with_ms = 0, without_ms = 0;
  int samples = 0;  // per side
  std::uint64_t rows_examined_with = 0, rows_examined_without = 0;
  bool operator==(const HintProblem&) const = default;
  // "work_forced/list (screens/work_forced.toml:4:1): FORCE INDEX (x) on works: ..."
  [[nodiscard]] std::string describe() const;
};
[[nodiscard]] const char* hint_problem_name(HintProblem::Kind kind);  // "breaks", ...
[[nodiscard]] std::optional<HintProblem::Kind> hint_problem_named(std::string_view name);

// What a live compare changed on the server, recorded in its after runs, so that every later
// compare of them — offline, or of its out-dir — knows which tables the change touched: a
// time change of a query that reads none of them is not the change's doing
// (docs/verdicts.md, "Touched by the change").
struct ChangeRecord {
  std::string description;          // "migration scenarios/demo/migrations/x.up.sql"
  std::vector<std::string> tables;  // the tables of the database it alters, in lower case
  bool tables_known = true;         // false: a statement whose table is not known
  // What the DDL itself cost, each apply and each undo in order (the pooled after run holds
  // them all): a DBA planning the migration wants to know. Not measured when the change is
  // not the real DDL (indexes made IGNORED/INVISIBLE instead of dropped).
  bool ddl_measured = true;
  std::vector<double> apply_s, undo_s;
  // The hints the change breaks or redirects, found after it was applied, before measuring.
  std::vector<HintProblem> hint_problems;
  // (Version 6, in a pooled after.json) the alternations asked for, those that ran, and why
  // it stopped there ("all ran", "every verdict settled after after-1", ...); 0 elsewhere.
  int alternations_planned = 0, alternations_run = 0;
  std::string alternations_stopped;
  bool operator==(const ChangeRecord&) const = default;
};

// How often a column holds a value (a column with few values: how much of the table a lookup
// on it reads).
struct ValueCount {
  std::optional<std::string> value;  // nullopt: NULL
  std::uint64_t count = 0;
  bool operator==(const ValueCount&) const = default;
};

// An index a run's plans use, with what `sqlmeasure indexes` says of it: the evidence a compare
// names the cause of a plan change with ("now a low-cardinality index: 2 distinct values in
// 300k rows"), recorded in the run so that an offline compare names it too.
struct IndexStatistics {
  std::string table, index;  // as the server names them
  std::vector<std::string> columns;
  bool unique = false;
  std::uint64_t table_rows = 0;
  bool rows_exact = false;
  // The leading column's distinct values (counted, estimated from a sample, or SHOW INDEX's
  // cardinality) and, for a column of few values, its most frequent values out of values_rows.
  std::optional<std::uint64_t> leading_distinct;
  std::string distinct_method;
  std::vector<ValueCount> leading_values;
  std::uint64_t values_rows = 0;
  // The `sqlmeasure indexes` rule that flags this index for its leading column
  // (low-cardinality, composite-order), with its summary; empty when none does.
  std::string rule, finding;
  bool operator==(const IndexStatistics&) const = default;
};

// What a run measured under that changes plans and times besides the schema: the server's
// settings, and the rows of the tables its screens read. A compare warns when the two sides
// differ (kConditionsDiffer): different data or configuration is not a regression.
struct TableRows {
  std::uint64_t rows = 0;
  bool exact = true;  // COUNT(*); false: information_schema's estimate (a table over 1M rows)
  bool operator==(const TableRows&) const = default;
};
struct RunConditions {
  std::map<std::string, std::string> settings;  // optimizer_switch, sql_mode, buffer pool, ...
  std::map<std::string, TableRows> table_rows;  // lower-case table name → its rows
  bool operator==(const RunConditions&) const = default;
};

struct RunResult {
  int schema_version = kResultsSchemaVersion;
  std::string tool_version;
  std::string label;
  std::string started_at, finished_at;  // ISO 8601 UTC
  bool complete = true;
  std::string incomplete_reason;
  ServerInfo server;
  std::string rows_examined_method;
  int reconnects = 0;  // transient connection losses survived (--retries)
  RunSettings settings;
  Throughput throughput;  // of the sampling phase
  std::vector<ScreenResult> screens;
  std::optional<RunConditions> conditions;        // read before the inspection
  std::vector<IndexStatistics> index_statistics;  // of the indexes its plans use
  std::optional<ChangeRecord> change;             // the after side of a live compare
  std::vector<std::string> pooled_from;           // a pooled run: the phase files, in order
};

// Recomputes stats_ms of every query and screen from the raw samples.
void recompute_stats(RunResult& run);

// align_inspections for every screen the two runs share (matched by name).
bool align_inspections(RunResult& before, RunResult& after);
[[nodiscard]] bool inspected_alike(const RunResult& before, const RunResult& after);

// Pools runs of the same screens (the phases of one side of an alternating live compare):
// samples concatenated in order by screen name, throughput summed, settings (iterations per
// phase), rows examined, plans and checksums from the first run; incomplete if any run is.
// A later run may hold only some of the first run's screens (--iterations auto measures
// only the undecided ones); throws if it holds another screen or other queries.
[[nodiscard]] RunResult merge_runs(const std::vector<const RunResult*>& runs);

}  // namespace sqlmeasure
