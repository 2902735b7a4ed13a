#pragma once
// Which migration statements only add (an index) or refresh statistics, read with the SQL
// lexer: such a migration may run without a rollback and simply stay. Private to src/live/.
#include <string_view>

namespace sqlmeasure {

// True for CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX, ALTER TABLE whose every clause adds an
// index (or sets ALGORITHM/LOCK), and ANALYZE/OPTIMIZE TABLE. Anything else — another
// clause, CREATE OR REPLACE, MariaDB's ANALYZE of a DELETE, data changes — is false.
[[nodiscard]] bool is_additive_ddl(std::string_view sql);

}  // namespace sqlmeasure
