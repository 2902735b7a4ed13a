#pragma once
// The SQL a finding proposes, and the commands to try it first: identifiers, keys, DROP INDEX.
#include <string>
#include <string_view>

#include "sqlmeasure/index_model.h"

namespace sqlmeasure::advisor {

// `name` as SQL: bare when it is a plain, non-reserved identifier, else in backticks.
[[nodiscard]] std::string quote_ident(std::string_view name);
// Always in backticks (for SQL we run).
[[nodiscard]] std::string backtick(std::string_view name);
// As CREATE TABLE writes it: UNIQUE KEY email (email), PRIMARY KEY (id), FULLTEXT KEY ...
[[nodiscard]] std::string key_definition(const IndexInfo& index);
[[nodiscard]] std::string drop_index_sql(const std::string& table, const std::string& index);
[[nodiscard]] std::string what_if_command(const std::string& table, const std::string& index);
[[nodiscard]] std::string verify_migration_note();

}  // namespace sqlmeasure::advisor
