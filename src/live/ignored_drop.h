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
#include "sqlmeasure/drop_only_ddl.h"
#include "sqlmeasure/index_model.h"
#include "sqlmeasure/scenario.h"
#include "sqlmeasure/schema_change.h"

namespace sqlmeasure {

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
