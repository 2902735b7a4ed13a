#pragma once
// Shared by the duplicate-index and redundant-index rules: find_duplicate_keys() results,
// with the one case the two tool-style findings must read together.
#include <string>
#include <vector>

#include "sqlmeasure/advisor.h"

namespace sqlmeasure::advisor {

// A key ending with the clustered key whose remaining columns equal another plain key: InnoDB
// stores the two identically, so it is a duplicate, not a cosmetic suffix. Returns that
// other key, or null.
[[nodiscard]] const IndexInfo* physical_twin(const TableInfo& table, const DuplicateKey& dupe);

// The sentences every duplicate finding carries: sizes and the foreign keys the kept index
// goes on serving.
void add_drop_evidence(const TableInfo& table, const IndexInfo& dropped, const IndexInfo& kept,
                       Finding& finding);

}  // namespace sqlmeasure::advisor
