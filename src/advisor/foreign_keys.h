#pragma once
// Which foreign keys an index serves, and the one it alone serves (so it cannot simply go).
#include <vector>

#include "sqlmeasure/index_model.h"

namespace sqlmeasure::advisor {

// Foreign keys (declared here or pointing here) whose columns are a left prefix of `index`.
[[nodiscard]] std::vector<const ForeignKeyInfo*> foreign_keys_served(const TableInfo& table,
                                                                     const IndexInfo& index);
// The foreign key that needs `index`: it is the only index whose left prefix covers the
// foreign key's columns. Null when there is none.
[[nodiscard]] const ForeignKeyInfo* foreign_key_needing(const TableInfo& table,
                                                        const IndexInfo& index);

}  // namespace sqlmeasure::advisor
