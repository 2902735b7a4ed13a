#include "live/change_guards.h"

#include <fmt/format.h>

#include <cmath>

#include "sqlmeasure/error.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

std::string first_cell(Connection& connection, const std::string& sql) {
  const ResultSet set = connection.query(sql);
  if (set.rows.empty() || set.rows[0].empty()) return "";
  return set.rows[0][0].value_or("");
}

// host:port of each replica connected to this server, or nothing when none is (or the user
// may not ask: then `unknown` says so).
std::vector<std::string> connected_replicas(Connection& admin, bool& unknown) {
  const bool mariadb = admin.server().flavor == Flavor::kMariaDB;
  for (const char* statement : {mariadb ? "SHOW REPLICA HOSTS" : "SHOW REPLICAS",
                                "SHOW SLAVE HOSTS"}) {
    try {
      const ResultSet set = admin.query(statement);
      const int host = set.column("Host"), port = set.column("Port");
      std::vector<std::string> replicas;
      for (const auto& row : set.rows) {
        replicas.push_back(fmt::format(
            "{}:{}", host >= 0 ? row[static_cast<std::size_t>(host)].value_or("?") : "?",
            port >= 0 ? row[static_cast<std::size_t>(port)].value_or("?") : "?"));
      }
      return replicas;
    } catch (const DatabaseError& error) {
      if (error.connection_lost()) throw;
    }
  }
  unknown = true;
  return {};
}

}  // namespace

std::vector<std::string> prepare_change_session(Connection& admin, const ChangeSafety& safety,
                                                EventLog& events) {
  std::vector<std::string> setup = {fmt::format(
      "SET SESSION lock_wait_timeout = {}",
      std::max<long long>(1, std::llround(std::ceil(safety.lock_wait_timeout_s))))};
  if (admin.server().flavor == Flavor::kAurora && !safety.allow_replicated_ddl) {
    fail(ExitCode::kUsage,
         "this is Aurora: its readers share the storage and see every change at once, whatever "
         "the binary log says. Run the live compare on a clone (or a staging cluster), or pass "
         "--allow-replicated-ddl to change it anyway");
  }
  const std::string log_bin = ascii_upper(first_cell(admin, "SELECT @@log_bin"));
  if (log_bin != "1" && log_bin != "ON") return setup;
  bool unknown = false;
  const std::vector<std::string> replicas = connected_replicas(admin, unknown);
  const std::string facts = fmt::format(
      "this server writes a binary log (@@log_bin = ON){}",
      unknown ? " (whether replicas are connected could not be asked)"
      : replicas.empty()
          ? ", no replica is connected now"
          : fmt::format(" and {} replica{} connected: {}", replicas.size(),
                        replicas.size() == 1 ? " is" : "s are", join(replicas)));
  if (safety.no_binlog) {
    try {
      admin.execute("SET SESSION sql_log_bin = 0");
    } catch (const DatabaseError& error) {
      if (error.connection_lost()) throw;
      fail(ExitCode::kUsage,
           fmt::format("{}; --no-binlog cannot turn it off for the change: {} (it needs the "
                       "SUPER or BINLOG ADMIN privilege). Use a clone, or pass "
                       "--allow-replicated-ddl",
                       facts, error.what()));
    }
    events.say(facts + "; the change's session does not write to it (--no-binlog)");
    setup.push_back("SET SESSION sql_log_bin = 0");
    return setup;
  }
  if (!safety.allow_replicated_ddl) {
    fail(ExitCode::kUsage,
         fmt::format("{}: every apply and undo of the change would be written to it and "
                     "replayed on every replica. Run the live compare on a clone or a staging "
                     "server; or pass --no-binlog (SET SESSION sql_log_bin = 0 for the change), "
                     "or --allow-replicated-ddl to let it replicate",
                     facts));
  }
  events.say(facts + "; the change replicates (--allow-replicated-ddl)");
  return setup;
}

std::string lock_holders(Connection& admin, const std::string& database,
                         std::uint64_t own_session) {
  std::vector<std::string> holders;
  try {
    const ResultSet set = admin.query(fmt::format(
        "SELECT ID, USER, HOST, TIME, INFO FROM information_schema.PROCESSLIST WHERE DB = {} "
        "AND ID <> CONNECTION_ID() AND ID <> {} AND COMMAND <> 'Daemon' ORDER BY TIME DESC "
        "LIMIT 5",
        admin.quote(database), own_session));
    for (const auto& row : set.rows) {
      holders.push_back(fmt::format("thread {} ({}@{}, {} s: {})", row[0].value_or("?"),
                                    row[1].value_or("?"), row[2].value_or("?"),
                                    row[3].value_or("?"),
                                    printable(row[4].value_or("idle in a transaction"))));
    }
  } catch (const DatabaseError&) {
    return "the sessions holding it could not be listed";
  }
  if (holders.empty()) return "no other session on the database is visible to this user";
  return "sessions on the database, longest first: " + join(holders, "; ");
}

}  // namespace sqlmeasure
