#pragma once
// Shared by the duplicate-index and redundant-index rules: find_duplicate_keys() results,
// with the one case the two tool-style findings must read together, and how both end.
#include <string>

#include "sqlmeasure/advisor.h"

namespace sqlmeasure::advisor {

// A key ending with the clustered key whose remaining columns equal another plain key: InnoDB
// stores the two identically, so it is a duplicate, not a cosmetic suffix. Returns that
// other key, or null.
[[nodiscard]] const IndexInfo* physical_twin(const TableInfo& table, const DuplicateKey& dupe);

// "definitions: KEY a (a); KEY a_b (a, b)": the two keys as CREATE TABLE writes them.
[[nodiscard]] std::string definitions_text(const IndexInfo& dropped, const IndexInfo& kept);

// How every finding that drops a duplicate ends: what dropping it frees, the foreign keys
// `kept` goes on serving, the DROP INDEX and the what-if to try first.
void propose_drop_duplicate(const TableInfo& table, const IndexInfo& dropped, const IndexInfo& kept,
                            Finding& finding);

}  // namespace sqlmeasure::advisor
