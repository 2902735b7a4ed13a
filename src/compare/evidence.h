#pragma once
// The time and rows-examined evidence for one query or screen, judged by the verdict rule
// of PRODUCT.md §6. Private to src/compare/.
#include <cstdint>
#include <vector>

#include "sqlmeasure/compare.h"

namespace sqlmeasure {

// Medians, ratio, delta and Mann-Whitney p of two sample sets; either may be empty (a
// screen or query present on one side only), which gives no evidence of a change.
[[nodiscard]] TimeEvidence time_evidence(const std::vector<std::int64_t>& before_ns,
                                         const std::vector<std::int64_t>& after_ns,
                                         const VerdictRule& rule);

// Rows examined are deterministic: no test, only the relative threshold and absolute floor.
[[nodiscard]] RowsEvidence rows_evidence(std::uint64_t before, std::uint64_t after,
                                         const VerdictRule& rule);

}  // namespace sqlmeasure
