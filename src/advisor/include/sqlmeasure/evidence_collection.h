#pragma once
// Collecting what the scenarios do with the indexes (scenario_evidence.h), and timing an index
// hint with and without it. Both only read; the rules (advisor.h) never talk to the server.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sqlmeasure/advisor.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/index_model.h"
#include "sqlmeasure/progress.h"
#include "sqlmeasure/results.h"
#include "sqlmeasure/scenario.h"
#include "sqlmeasure/scenario_evidence.h"

namespace sqlmeasure {

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
// Read-only; a few GROUP BY counts of the tables the plans name. With `compared_with`, only
// the plan rows of its queries that are not in their plan there (the rows estimates aside):
// the plan changes a compare of the two explains, and no count for what it does not.
[[nodiscard]] std::vector<IndexStatistics> plan_index_statistics(
    Connection& connection, const RunResult& run, const AdvisorThresholds& thresholds = {},
    const RunResult* compared_with = nullptr);

}  // namespace sqlmeasure
