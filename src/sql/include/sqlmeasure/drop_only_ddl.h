#pragma once
// A migration that only drops indexes, read with the SQL lexer: the indexes it drops and what
// its rollback creates. A live compare measures such a migration with the indexes ignored
// instead (live/ignored_drop.h decides whether it may).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/sql_statements.h"

namespace sqlmeasure {

struct IndexName {
  std::string table, index;
  SourceLocation where;  // the statement that names it
};

// A key part as a definition writes it: a column, or a prefix of one (name(10)), ascending or
// descending. Functional key parts are not read.
struct IndexKeyPart {
  std::string column;
  std::optional<std::uint64_t> sub_part;
  bool descending = false;
};

// An index a rollback creates, as it defines it.
struct IndexDefinition {
  IndexName name;
  bool unique = false;
  std::string type = "BTREE";  // BTREE, FULLTEXT, SPATIAL, HASH
  std::vector<IndexKeyPart> columns;
};

// What a drop-only migration does: the indexes it drops, and what its rollback creates.
struct DropOnlyMigration {
  std::vector<IndexName> dropped;
  std::vector<IndexDefinition> recreated;
  // Why the rollback is not read as re-creating indexes (another kind of statement, an
  // option or key part sqlmeasure does not compare), naming the statement; empty when it is.
  std::string rollback_unread;
};

// Nullopt unless every statement of the migration only drops indexes (ALTER TABLE t DROP
// INDEX a, DROP KEY b; DROP INDEX a ON t; DROP PRIMARY KEY), ALGORITHM= and LOCK= aside.
[[nodiscard]] std::optional<DropOnlyMigration> read_drop_only(
    const std::vector<SqlStatement>& apply, const std::vector<SqlStatement>& undo);

}  // namespace sqlmeasure
