#pragma once
// The SQL a finding proposes, and the commands to try it first: identifiers, keys, DROP INDEX.
#include <string>
#include <string_view>

#include "sqlmeasure/advisor.h"

namespace sqlmeasure::advisor {

// `name` as SQL: bare when it is a plain, non-reserved identifier, else in backticks.
[[nodiscard]] std::string quote_ident(std::string_view name);
// Always in backticks (for SQL we run).
[[nodiscard]] std::string backtick(std::string_view name);
// As CREATE TABLE writes it: UNIQUE KEY email (email), PRIMARY KEY (id), FULLTEXT KEY ...
[[nodiscard]] std::string key_definition(const IndexInfo& index);
[[nodiscard]] std::string verify_migration_note();
// The fix that drops `index` (ALTER TABLE ... DROP INDEX), and the compare --ignore-index
// to try before it.
void propose_drop_index(const std::string& table, const std::string& index, Finding& finding);

}  // namespace sqlmeasure::advisor
