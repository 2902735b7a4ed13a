#pragma once
// What a migration statement does to indexes by name, read with the SQL lexer: what
// `check --migration` needs to find the hints it breaks with no server.
#include <string>
#include <vector>

#include "sqlmeasure/sql_statements.h"

namespace sqlmeasure {

struct IndexDdl {
  enum class Kind { kDrop, kRename, kHide, kShow, kAdd, kDropTable };
  Kind kind = Kind::kDrop;
  std::string table;     // as written, without a database
  std::string index;     // empty for kDropTable
  std::string new_name;  // kRename
  SourceLocation where;  // the statement
};

// DROP INDEX a ON t; ALTER TABLE t DROP INDEX a, RENAME INDEX b TO c, ALTER INDEX d IGNORED,
// ADD INDEX e (...); CREATE INDEX f ON t (...); DROP TABLE t: each index change, in order.
// Anything else in the statement is not an index change by name and is left out.
[[nodiscard]] std::vector<IndexDdl> read_index_ddl(const SqlStatement& statement);

}  // namespace sqlmeasure
