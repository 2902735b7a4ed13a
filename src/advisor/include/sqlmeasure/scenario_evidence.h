#pragma once
// What the scenarios do with the indexes (docs/indexes.md): the plans of their queries, their
// index hints timed with and without, ORDER BY on a creation time. Plain data, collected by
// evidence_collection.h and judged by the rules (advisor.h).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sqlmeasure/results.h"

namespace sqlmeasure {

// One plan row whose `key` names an index, resolved to the real table.
struct IndexUse {
  std::string table, index;
  std::string access_type, ref, rows;
};

// Which scenario query a piece of evidence is about.
struct ScenarioQueryRef {
  std::string screen, query;

  // "screen/query", as findings and reports name it.
  [[nodiscard]] std::string label() const { return screen + "/" + query; }
};

struct QueryEvidence : ScenarioQueryRef {
  std::string sql;  // rendered with the first value of each parameter
  std::vector<PlanRow> plan;
  std::vector<std::string> tables;                            // real tables the query reads
  std::vector<IndexUse> uses;                                 // from the plan's `key` column
  std::vector<std::pair<std::string, std::string>> possible;  // (table, index) of possible_keys
  std::optional<std::string> error;                           // EXPLAIN failed
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

struct HintEvidence : ScenarioQueryRef {
  std::string table;  // real table the hint is attached to
  std::string kind;   // FORCE, USE or IGNORE
  std::string hint;   // the hint as written: FORCE INDEX (created)
  std::vector<std::string> indexes;
  std::string sql_with, sql_without;
  std::optional<HintMeasurement> measured;
  std::optional<std::string> error;  // the query could not be run (with or without)
};

// `ORDER BY <creation time>` on a table with an AUTO_INCREMENT key, and the same query by id.
struct OrderByEvidence : ScenarioQueryRef {
  std::string table, column, key_column, direction;
  std::string sql, sql_by_key;
  std::vector<PlanRow> plan, plan_by_key;
  std::optional<std::uint64_t> rows_examined, rows_examined_by_key;
  std::optional<bool> same_rows;          // both return the same rows (checksum)
  std::optional<double> order_agreement;  // share of the latest rows where both orders agree
  std::uint64_t agreement_rows = 0;
  std::optional<std::string> error;
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

}  // namespace sqlmeasure
