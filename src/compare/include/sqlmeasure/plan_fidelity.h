#pragma once
// Plan fidelity (docs/verdicts.md, "Plans unlike production's"): does each query plan here as
// it did on production? Production's plans come from a results file or `explain --format json`
// recorded there; each query's plan here is compared with its own (matched by screen and query
// name) on what diff_plans compares — table order, access type, key, filesort, temporary — and
// its key parts (key_len) and rows estimate (off by more than 10×), with the reason where the
// two files tell it.
#include <cstddef>
#include <string>
#include <vector>

#include "sqlmeasure/results.h"

namespace sqlmeasure {

// A rows estimate or a table's rows further apart than this, either way, is "off".
inline constexpr double kFidelityRowsFactor = 10;

enum class FidelityStatus {
  kSame,            // planned as production planned it
  kDiffers,         // another plan: `differences` says how, `reasons` why where known
  kNotHere,         // in production's file only
  kNotInProduction  // here only
};
[[nodiscard]] const char* fidelity_status_id(FidelityStatus status);  // "same", "differs", ...

// Why a plan differs, as far as the two sides' plans and recorded conditions tell; most
// telling first, the order they are listed in.
enum class FidelityReason {
  kNoMatchingRow,    // the literal matches no row on one side (Impossible WHERE ...)
  kIndexMissing,     // an index production's plan uses is not among the possible keys here
  kIndexExtra,       // an index the plan here uses is not among production's possible keys
  kTableRows,        // a table holds far fewer (or more) rows on one side
  kStatistics,       // an index's rows per value (table rows / leading distinct) differ
  kRangeIndexDives,  // a range, or a lookup of constants, whose rows the optimizer estimated by
                     // index dives on this data
};
[[nodiscard]] const char* fidelity_reason_id(FidelityReason reason);  // "no-matching-row", ...

struct FidelityCause {
  FidelityReason reason = FidelityReason::kTableRows;
  std::string text;  // "works holds 1.8k rows here, 1.8M in production"
};

struct QueryFidelity {
  std::string screen, query;
  FidelityStatus status = FidelityStatus::kSame;
  // production → here: "works key created → (none), index → ALL, +filesort",
  // "works rows estimate 20 → 1.8k"; empty unless kDiffers.
  std::vector<std::string> differences;
  std::vector<FidelityCause> causes;
  // "works key created → (none); why: works holds 1.8k rows here, 1.8M in production", or
  // "not in production's plans" / "not measured here".
  [[nodiscard]] std::string describe() const;
};

struct PlanFidelity {
  std::string source;  // production's file, as named
  // Every query of this side in its order, then those of production's file only.
  std::vector<QueryFidelity> queries;
  [[nodiscard]] std::size_t compared() const;  // on both sides
  [[nodiscard]] std::size_t differing() const;
  // "plans: 13 of 15 queries plan as production (2 differ)", and "; 1 query not in
  // production's plans, 1 not measured here" when some are on one side only.
  [[nodiscard]] std::string summary() const;
  // The queries not planned alike, or on one side only: "home/recent (production → here):
  // works key created → (none); why: ...".
  [[nodiscard]] std::vector<std::string> lines() const;
  // The query's entry, or null.
  [[nodiscard]] const QueryFidelity* find(const std::string& screen,
                                          const std::string& query) const;
};

// `here` against `production` (read from `source`): each query's plan and, from results files,
// their tables' rows and index statistics.
[[nodiscard]] PlanFidelity check_plan_fidelity(const RunResult& here, const RunResult& production,
                                               const std::string& source);

}  // namespace sqlmeasure
