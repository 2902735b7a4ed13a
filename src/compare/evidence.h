#pragma once
// The evidence for one query or screen, judged by the verdict rule of PRODUCT.md §6, and
// which gates it fails. Private to src/compare/.
#include <cstdint>
#include <span>

#include "sqlmeasure/compare.h"

namespace sqlmeasure {

// Medians, ratio, delta and Mann-Whitney p of two sample sets; either may be empty (a
// screen or query present on one side only), which gives no evidence of a change.
[[nodiscard]] TimeEvidence time_evidence(std::span<const std::int64_t> before_ns,
                                         std::span<const std::int64_t> after_ns,
                                         const VerdictRule& rule);

// Rows examined are deterministic: no test, only the relative threshold and absolute floor.
[[nodiscard]] RowsEvidence rows_evidence(std::uint64_t before, std::uint64_t after,
                                         const VerdictRule& rule);

// One side's failures of a query, from its (pooled) result.
[[nodiscard]] SideFailures failures_of(const QueryResult& query);

// Everything about one query but its time: failures (its outcome), rows examined, plan changes,
// results. No sampling changes any of it.
[[nodiscard]] QueryComparison compare_deterministic(const QueryResult& before,
                                                    const QueryResult& after,
                                                    const VerdictRule& rule);

// Whether `gate` fails the screen: its own figure or any of its queries'.
[[nodiscard]] bool gate_fires(const ScreenComparison& screen, Gate gate);

// Whether a query reads a table `change` alters: named in its SQL (either side), or in a
// plan (where a view shows its base tables). Compared in lower case.
[[nodiscard]] bool reads_a_table_of(const QueryResult& before, const QueryResult& after,
                                    const ChangeRecord& change);

// A time change flags a screen only when the change can have caused it: a screen none of
// whose queries reads a table the change alters keeps `~`, and so does a screen total that
// no touched query's own time (nor a plan or rows change) bears out. What is set aside this
// way is said in one kUntouched warning.
void attribute_time_changes(Comparison& comparison);

}  // namespace sqlmeasure
