#include "command.h"
#include "sqlmeasure/journal.h"
#include "sqlmeasure/scenario_loader.h"

namespace sqlmeasure {

void check_session(Connection& connection, const std::string& database,
                   const std::vector<Screen>& screens, bool allow_writes) {
  refuse_if_unrecovered(connection, database);
  check_screens_for_session(screens, connection.server().sql_mode, allow_writes);
}

}  // namespace sqlmeasure
