#pragma once
// A migration that only drops indexes, measured with those indexes made IGNORED (MariaDB) /
// INVISIBLE (MySQL 8) instead of dropped and rebuilt at every alternation: for reads the
// optimizer sees nearly the same schema, and on a large table each rebuild takes minutes
// (docs/measurement.md, "Drop-index migrations"). Where ignoring would not measure what the
// drop does, the real DDL runs and the reason is said. Private to src/live/.
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/index_model.h"
#include "sqlmeasure/scenario.h"
#include "sqlmeasure/schema_change.h"

namespace sqlmeasure {

struct IndexName {
  std::string table, index;
  SourceLocation where;  // the statement that names it
};

// An index a rollback creates, as it defines it.
struct IndexDefinition {
  IndexName name;
  bool unique = false;
  std::string type = "BTREE";  // BTREE, FULLTEXT, SPATIAL, HASH
  std::vector<IndexColumn> columns;
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
[[nodiscard]] std::optional<DropOnlyMigration> read_drop_only(const SchemaChange& migration);

// Why the drops cannot be measured as ignored indexes on this server and schema, or empty
// when they can. `schema` holds at least the tables the migration drops from.
[[nodiscard]] std::string why_real_ddl(const DropOnlyMigration& drops, const SchemaInfo& schema,
                                       const std::vector<Screen>& screens);

// What a live compare measures for `migration` when --apply-ddl is not given.
struct DropMeasurement {
  SchemaChange change;  // the migration itself, or its indexes ignored
  std::string said;     // what was decided and why; empty for a migration that is not drop-only
};
// `screens_write` (--allow-writes): the real DDL runs, since an ignored index is still
// maintained. An index already hidden is refused (kUsage): its rollback would not match.
[[nodiscard]] DropMeasurement measure_drops(Connection& connection, const std::string& database,
                                            const SchemaChange& migration,
                                            const std::vector<Screen>& screens, bool screens_write);

}  // namespace sqlmeasure
