#include <fmt/format.h>

#include "command.h"
#include "sqlmeasure/journal.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/scenario_loader.h"

namespace sqlmeasure {
namespace {

// No database selected (no -D, none in the config, DSN or option file): a query naming a
// table without its database would fail at every execution with [1046]. Said once, first.
void require_database(const std::string& database, const std::vector<Screen>& screens) {
  if (!database.empty()) return;
  for (const Screen& screen : screens) {
    for (const Query& query : screen.queries) {
      for (const TableReference& table : read_query_shape(query.sql).tables) {
        if (!table.database.empty()) continue;
        fail(ExitCode::kUsage,
             fmt::format("no database is selected, and screen {}, query {} reads table {} "
                         "without one: give -D DATABASE (or database in sqlmeasure.toml's "
                         "[connection], or a DSN's /DATABASE)",
                         screen.name, query.name, table.table));
      }
    }
  }
}

}  // namespace

void check_session(Connection& connection, const std::string& database,
                   const std::vector<Screen>& screens, bool allow_writes) {
  require_database(database, screens);
  refuse_if_unrecovered(connection, database);
  check_screens_for_session(screens, connection.server().sql_mode, allow_writes);
}

}  // namespace sqlmeasure
