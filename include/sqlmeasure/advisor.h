#pragma once
// `sqlmeasure indexes` (docs/indexes.md): what the server knows about each index (SHOW INDEX,
// sizes, rows), what the scenarios do with the indexes (plans, hints, ORDER BY), and the
// rules that turn both into findings with evidence and the SQL to act on them.
//
// Collecting talks to the server; the rules are pure functions of what was collected, so
// they are tested on synthetic metadata without a server.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/results.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/scenario.h"

namespace sqlmeasure {

// Ordered: a finding "at or above" a level compares with >=.
enum class Severity { kInfo, kWarning, kError };
[[nodiscard]] const char* severity_name(Severity severity);
// "info", "warning" or "error"; anything else is a usage error naming `flag`.
[[nodiscard]] Severity parse_severity(const std::string& text, const std::string& flag);

// ---------------------------------------------------------------- what the server knows

struct IndexColumn {
  std::string column;      // empty for a functional key part (MySQL 8)
  std::string expression;  // the functional key part's expression
  int seq = 1;
  // SHOW INDEX Cardinality: an estimate of the distinct values of the *prefix* 1..seq,
  // not of this column alone. Missing when the server reports NULL.
  std::optional<std::uint64_t> cardinality;
  std::optional<std::uint64_t> sub_part;  // prefix length: KEY (name(10))
  bool descending = false;
  bool nullable = false;
};

struct IndexInfo {
  std::string name;
  bool unique = false;
  std::string type = "BTREE";  // BTREE, FULLTEXT, SPATIAL, HASH, RTREE
  bool visible = true;         // false: MariaDB IGNORED, MySQL INVISIBLE
  std::optional<std::uint64_t> size_bytes;
  std::vector<IndexColumn> columns;

  [[nodiscard]] bool primary() const { return name == "PRIMARY"; }
  [[nodiscard]] bool btree() const { return type != "FULLTEXT" && type != "SPATIAL"; }
  [[nodiscard]] std::vector<std::string> column_names() const;
  // `(a, b(10), c DESC)`, as in CREATE TABLE.
  [[nodiscard]] std::string column_list() const;
};

struct ColumnInfo {
  std::string name;
  std::string data_type;    // int, datetime, varchar, ...
  std::string column_type;  // int(10) unsigned, ...
  std::string extra;        // auto_increment, on update current_timestamp(), ...
  std::optional<std::string> default_value;
  bool nullable = false;
};

struct ForeignKeyInfo {
  std::string name;
  std::string table;  // the child (declaring) table
  std::vector<std::string> columns;
  std::string referenced_table;
  std::vector<std::string> referenced_columns;
};

struct ValueCount {
  std::optional<std::string> value;  // nullopt: NULL
  std::uint64_t count = 0;
};

// One column's values, counted beyond what SHOW INDEX estimates: exactly, or in a sample.
struct ColumnProfile {
  std::uint64_t distinct = 0;    // exact, or the estimate when sampled
  bool distinct_capped = false;  // more distinct values than were grouped: a lower bound
  bool sampled = false;
  std::uint64_t rows_read = 0;  // rows counted: the table, or the sample
  std::vector<ValueCount> top;  // most frequent first (only for few distinct values)
  std::string method;           // how it was counted, for the evidence
};

struct TableInfo {
  std::string name;
  std::string engine;
  std::uint64_t rows_estimate = 0;            // information_schema.TABLES.TABLE_ROWS
  std::optional<std::uint64_t> rows_counted;  // COUNT(*), when we counted
  bool rows_counted_is_lower_bound = false;   // counted up to a limit
  std::optional<std::uint64_t> data_bytes, index_bytes;
  // InnoDB persistent statistics (mysql.innodb_table_stats): the rows they were computed on.
  std::optional<std::uint64_t> stats_rows;
  std::string stats_updated;
  std::vector<ColumnInfo> columns;
  std::vector<IndexInfo> indexes;                 // in the server's key order: PRIMARY first
  std::vector<ForeignKeyInfo> foreign_keys;       // declared on this table
  std::vector<ForeignKeyInfo> referenced_by;      // other tables' foreign keys to this one
  std::map<std::string, ColumnProfile> profiles;  // by column name

  // Counted rows when we have them, else the server's estimate.
  [[nodiscard]] std::uint64_t rows() const { return rows_counted.value_or(rows_estimate); }
  [[nodiscard]] const IndexInfo* index(const std::string& name) const;  // case-insensitive
  [[nodiscard]] const ColumnInfo* column(const std::string& name) const;
  [[nodiscard]] const ColumnProfile* profile(const std::string& column) const;
  // The clustered index of an InnoDB table: PRIMARY, else the first UNIQUE index on NOT NULL
  // columns; null for other engines or when InnoDB uses its hidden row id.
  [[nodiscard]] const IndexInfo* clustered_index() const;
  // The column of a single-column AUTO_INCREMENT primary key, or empty.
  [[nodiscard]] std::string auto_increment_key() const;
  // Best known distinct count of one column: a profile, else SHOW INDEX when the column
  // leads an index. Missing when nothing says.
  [[nodiscard]] std::optional<std::uint64_t> distinct(const std::string& column) const;
  // Why the index statistics of this non-empty table look stale, or nothing: TABLE_ROWS 0; a
  // B-tree index with cardinality NULL or 0; a UNIQUE index (NOT NULL, whole columns) whose
  // cardinality is under half the rows; persistent statistics computed on under half the rows.
  [[nodiscard]] std::vector<std::string> stale_statistics_evidence() const;
  [[nodiscard]] bool statistics_look_stale() const { return !stale_statistics_evidence().empty(); }
};

struct SchemaInfo {
  std::string database;
  ServerInfo server;
  bool exact = false;  // --exact: columns counted
  std::vector<TableInfo> tables;
  std::vector<std::string> notes;  // what could not be read, and why

  [[nodiscard]] const TableInfo* table(const std::string& name) const;
};

// ---------------------------------------------------------------- what the scenarios do

// One plan row whose `key` names an index, resolved to the real table.
struct IndexUse {
  std::string table, index;
  std::string access_type, ref, rows;
};

struct QueryEvidence {
  std::string screen, query;
  std::string sql;  // rendered with the first value of each parameter
  std::vector<PlanRow> plan;
  std::vector<std::string> tables;                            // real tables the query reads
  std::vector<IndexUse> uses;                                 // from the plan's `key` column
  std::vector<std::pair<std::string, std::string>> possible;  // (table, index) of possible_keys
  std::optional<std::string> error;                           // EXPLAIN failed

  [[nodiscard]] std::string label() const { return screen + "/" + query; }
};

// The hint timed with and without it, interleaved (with, without, with, ...).
struct HintMeasurement {
  int samples = 0;        // per side
  int variants = 1;       // parameter variants cycled through
  double with_ms = 0;     // median
  double without_ms = 0;  // median
  std::uint64_t rows_examined_with = 0, rows_examined_without = 0;
  std::vector<PlanRow> plan_with, plan_without;
};

struct HintEvidence {
  std::string screen, query;
  std::string table;  // real table the hint is attached to
  std::string kind;   // FORCE, USE or IGNORE
  std::string hint;   // the hint as written: FORCE INDEX (created)
  std::vector<std::string> indexes;
  std::string sql_with, sql_without;
  std::optional<HintMeasurement> measured;
  std::optional<std::string> error;  // the query could not be run (with or without)

  [[nodiscard]] std::string label() const { return screen + "/" + query; }
};

// `ORDER BY <creation time>` on a table with an AUTO_INCREMENT key, and the same query by id.
struct OrderByEvidence {
  std::string screen, query;
  std::string table, column, key_column, direction;
  std::string sql, sql_by_key;
  std::vector<PlanRow> plan, plan_by_key;
  std::optional<std::uint64_t> rows_examined, rows_examined_by_key;
  std::optional<bool> same_rows;          // both return the same rows (checksum)
  std::optional<double> order_agreement;  // share of the latest rows where both orders agree
  std::uint64_t agreement_rows = 0;
  std::optional<std::string> error;

  [[nodiscard]] std::string label() const { return screen + "/" + query; }
};

struct ScenarioEvidence {
  bool loaded = false;  // false: no --scenarios, scenario rules skipped
  std::string directory;
  std::size_t screens = 0;
  std::vector<QueryEvidence> queries;
  std::vector<HintEvidence> hints;
  std::vector<OrderByEvidence> order_bys;
  std::vector<std::string> notes;
};

// ---------------------------------------------------------------- rules and findings

struct Finding {
  std::string rule;
  Severity severity = Severity::kWarning;
  std::string table, index;  // index may be empty (e.g. order-by-created)
  std::string summary;       // one line
  std::vector<std::string> evidence;
  std::vector<std::string> fix;     // SQL, each a complete statement
  std::vector<std::string> verify;  // how to check before acting
};

struct RuleInfo {
  std::string id;
  std::string description;
  Severity default_severity = Severity::kWarning;
  bool needs_scenarios = false;
};

// Every rule, in report order.
[[nodiscard]] std::vector<RuleInfo> advisor_rules();

// The limits the rules judge by (docs/indexes.md explains each).
struct AdvisorThresholds {
  std::uint64_t min_rows = 1000;  // smaller tables are never judged on selectivity
  // A column has "low cardinality" when it has at most this many values and either one value
  // covers dominant_value_share of the rows, or there are so few values
  // (<= few_values_max_distinct) that any lookup reads a large share of the table.
  std::uint64_t low_cardinality_max_distinct = 16;
  double dominant_value_share = 0.5;
  std::uint64_t few_values_max_distinct = 5;
  double composite_selectivity_ratio = 10.0;  // later column this many times more distinct
  double hint_effect_ratio = 1.2;             // "helps"/"hurts" from this factor on
  double order_agreement_min = 0.99;          // created order must match id order this often
};

struct AdvisorResult {
  std::vector<Finding> findings;     // most severe first, then by table and index
  std::vector<std::string> skipped;  // rules not run, and why
};

// Runs every rule. Pure: reads only its arguments.
[[nodiscard]] AdvisorResult run_advisor(const SchemaInfo& schema, const ScenarioEvidence& scenarios,
                                        const AdvisorThresholds& thresholds = {});

// Duplicate and redundant keys of one table, found the way pt-duplicate-key-checker finds
// them (unique vs non-unique, FULLTEXT compared only with FULLTEXT and in any column order,
// prefix lengths, InnoDB clustered-key suffixes). Two deliberate differences, both cases where
// the tool reports an index that is not redundant: a full-column index is never "a left prefix"
// of a prefix-length index on that column, and a DESC key part differs from an ASC one.
enum class DuplicateKind { kExact, kLeftPrefix, kClusteredSuffix };
struct DuplicateKey {
  std::string index;         // the one to drop (or shorten)
  std::string duplicate_of;  // the one that makes it redundant
  DuplicateKind kind = DuplicateKind::kExact;
  std::string uniqueness_ignored_because;  // "ub2 is a duplicate constraint", when relevant
  std::vector<std::string> shortened;      // kClusteredSuffix: the columns without the suffix
};
[[nodiscard]] std::vector<DuplicateKey> find_duplicate_keys(const TableInfo& table);

// The GEE estimator (Charikar, Chaudhuri, Motwani, Narasayya 2000) of a column's distinct
// values from a uniform sample: sqrt(N/n) * f1 + (d - f1), where f1 is the number of values
// seen exactly once. Its ratio error is at most about sqrt(N/n) (docs/indexes.md).
[[nodiscard]] std::uint64_t estimate_distinct(std::uint64_t table_rows, std::uint64_t sample_rows,
                                              std::uint64_t sample_distinct,
                                              std::uint64_t sample_singletons);

// ---------------------------------------------------------------- collecting

struct CollectOptions {
  std::vector<std::string> tables;  // names or globs; empty = every base table
  bool exact = false;               // --exact: count distinct values of every indexed column
  std::uint64_t exact_row_limit = 1000000;  // larger tables are sampled
  std::uint64_t sample_rows = 100000;
  AdvisorThresholds thresholds;
  std::function<void(const Progress&)> on_progress;
  const std::atomic<bool>* interrupted = nullptr;
};

// Reads information_schema (TABLES, COLUMNS, STATISTICS, KEY_COLUMN_USAGE) and
// mysql.innodb_index_stats; profiles the columns the rules need. Read-only. An unknown name
// in `tables` is a usage error with a "did you mean".
[[nodiscard]] SchemaInfo collect_schema(Connection& connection, const std::string& database,
                                        const CollectOptions& options);

struct EvidenceOptions {
  int hint_warmup = 2;
  int hint_samples = 15;  // per side, interleaved
  std::uint64_t order_agreement_rows = 10000;
  std::function<void(const Progress&)> on_progress;
  const std::atomic<bool>* interrupted = nullptr;
};

// EXPLAINs every query of `screens` (parameters already resolved; first values), reads the
// index hints and ORDER BY clauses, and measures each hint with and without it.
[[nodiscard]] ScenarioEvidence collect_scenario_evidence(Connection& connection,
                                                         const SchemaInfo& schema,
                                                         const std::vector<Screen>& screens,
                                                         const EvidenceOptions& options);

// ---------------------------------------------------------------- the report

struct IndexReport {
  SchemaInfo schema;
  ScenarioEvidence scenarios;
  AdvisorResult result;
  AdvisorThresholds thresholds;
};

// table (terminal), json (a public contract, docs/indexes.md) or markdown.
void render_index_report(const IndexReport& report, Format format, const Style& style,
                         std::ostream& out);

}  // namespace sqlmeasure
