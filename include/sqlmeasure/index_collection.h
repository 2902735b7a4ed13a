#pragma once
// Collecting the index model: the schema from the server, the evidence from the scenarios.
// Both only read; the rules (advisor.h) never talk to the server.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sqlmeasure/advisor.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/index_model.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/scenario.h"

namespace sqlmeasure {

struct CollectOptions {
  std::vector<std::string> tables;  // names or globs; empty = every base table
  bool exact = false;               // --exact: count distinct values of every indexed column
  std::uint64_t exact_row_limit = 1000000;  // larger tables are sampled
  std::uint64_t sample_rows = 100000;
  // Only tables, columns, indexes and foreign keys: no sizes, counts or column profiles
  // (what a live compare needs to decide how to measure a drop).
  bool structure_only = false;
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

// How a hint is timed with and without it.
struct HintTiming {
  int warmup = 2;
  int samples = 15;  // per side, interleaved
  const std::atomic<bool>* interrupted = nullptr;
  double effect_ratio = AdvisorThresholds{}.hint_effect_ratio;  // "helps"/"hurts" from here
};

// `query` (parameters resolved) timed with its hint and as `sql_without` (the hint removed):
// plans, rows examined, then samples in pairs (with, without), the pair order alternating and
// the parameter values cycling, so both sides see the same conditions. Throws DatabaseError.
[[nodiscard]] HintMeasurement measure_hint(Connection& connection, const Query& query,
                                           const std::string& sql_without,
                                           const HintTiming& timing);

// EXPLAINs every query of `screens` (parameters already resolved; first values), reads the
// index hints and ORDER BY clauses, and measures each hint with and without it.
[[nodiscard]] ScenarioEvidence collect_scenario_evidence(Connection& connection,
                                                         const SchemaInfo& schema,
                                                         const std::vector<Screen>& screens,
                                                         const EvidenceOptions& options);

// The indexes the plans of `run` use (each plan table resolved through its query's aliases),
// with their leading column counted as `indexes` counts it and the finding of its
// low-cardinality and composite-order rules: what a compare names a plan change's cause with.
// Read-only; a few GROUP BY counts of the tables the plans name.
[[nodiscard]] std::vector<IndexStatistics> plan_index_statistics(
    Connection& connection, const RunResult& run, const AdvisorThresholds& thresholds = {});

}  // namespace sqlmeasure
