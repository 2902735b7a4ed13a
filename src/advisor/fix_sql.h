#pragma once
// The SQL a finding proposes, and the commands to try it first: identifiers, keys, DROP INDEX.
#include <string>
#include <string_view>

#include "sqlmeasure/advisor.h"
#include "sqlmeasure/sql_lexer.h"

namespace sqlmeasure::advisor {

// As CREATE TABLE writes it: UNIQUE KEY email (email), PRIMARY KEY (id), FULLTEXT KEY ...
[[nodiscard]] std::string key_definition(const IndexInfo& index);
// ALTER TABLE t DROP INDEX i, ADD [UNIQUE ]INDEX i (columns); with `columns` as SQL.
[[nodiscard]] std::string redefine_index_sql(const std::string& table, const std::string& index,
                                             bool unique, const std::string& columns);
[[nodiscard]] std::string verify_migration_note();
// The fix that drops `index` (ALTER TABLE ... DROP INDEX), and the compare --ignore-index
// to try before it.
void propose_drop_index(const std::string& table, const std::string& index, Finding& finding);

}  // namespace sqlmeasure::advisor
