#include "change_guards.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

#include "sqlmeasure/error.h"
#include "sqlmeasure/hash.h"
#include "sqlmeasure/migration_classifier.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/sql_statements.h"
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
  for (const char* statement :
       {mariadb ? "SHOW REPLICA HOSTS" : "SHOW REPLICAS", "SHOW SLAVE HOSTS"}) {
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
  std::vector<std::string> setup = {
      fmt::format("SET SESSION lock_wait_timeout = {}",
                  std::max<long long>(1, std::llround(std::ceil(safety.lock_wait_timeout_s))))};
  if (admin.server().flavor == Flavor::kAurora && !safety.allow_replicated_ddl) {
    fail(ExitCode::kUsage,
         fmt::format("this is Aurora: its readers share the storage and see every change at "
                     "once, whatever the binary log says. Run {} on a clone (or a staging "
                     "cluster), or pass --allow-replicated-ddl to change it anyway",
                     safety.activity));
  }
  const std::string log_bin = ascii_upper(first_cell(admin, "SELECT @@log_bin"));
  if (log_bin != "1" && log_bin != "ON") return setup;
  bool unknown = false;
  const std::vector<std::string> replicas = connected_replicas(admin, unknown);
  const std::string facts = fmt::format(
      "this server writes a binary log (@@log_bin = ON){}",
      unknown            ? " (whether replicas are connected could not be asked)"
      : replicas.empty() ? ", no replica is connected now"
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
    events.detail(facts + "; the change's session does not write to it (--no-binlog)");
    setup.push_back("SET SESSION sql_log_bin = 0");
    return setup;
  }
  if (!safety.allow_replicated_ddl) {
    fail(ExitCode::kUsage,
         fmt::format("{}: {} would be written to it and replayed on every replica. Run {} on a "
                     "clone or a staging server; or pass --no-binlog (SET SESSION sql_log_bin = "
                     "0 for the change), or --allow-replicated-ddl to let it replicate",
                     facts, safety.writes, safety.activity));
  }
  events.detail(facts + "; the change replicates (--allow-replicated-ddl)");
  return setup;
}

namespace {

// The privilege a statement needs on its table, or empty for one that needs none of these.
std::string privilege_needed(const SqlStatement& statement) {
  const std::string keyword = first_keyword(statement.text);
  const MigrationStatementClass found = classify_migration_statement(statement.text);
  if (keyword == "ALTER") return "ALTER";
  if ((keyword == "CREATE" || keyword == "DROP") && !found.table.empty()) return "INDEX";
  if (keyword == "CREATE") return "CREATE";
  if (keyword == "DROP") return "DROP";
  return "";
}

// 'user'@'host' of the session, and 'role' for each enabled role: the grantees whose
// privileges it has.
std::vector<std::string> grantees(Connection& admin) {
  std::vector<std::string> out;
  const std::string user = first_cell(admin, "SELECT CURRENT_USER()");
  const std::size_t at = user.rfind('@');
  out.push_back(at == std::string::npos
                    ? admin.quote(user)
                    : admin.quote(user.substr(0, at)) + "@" + admin.quote(user.substr(at + 1)));
  try {
    for (const auto& row :
         admin.query("SELECT ROLE_NAME FROM information_schema.ENABLED_ROLES").rows) {
      if (row[0]) out.push_back(admin.quote(*row[0]));
    }
  } catch (const DatabaseError& error) {
    if (error.connection_lost()) throw;  // no roles on this server
  }
  return out;
}

}  // namespace

void check_change_privileges(Connection& admin, const std::string& database,
                             const SchemaChange& change) {
  std::map<std::string, const SqlStatement*> needed;
  for (const std::vector<SqlStatement>* statements : {&change.apply, &change.undo}) {
    for (const SqlStatement& statement : *statements) {
      const std::string privilege = privilege_needed(statement);
      if (!privilege.empty() && !needed.contains(privilege)) needed[privilege] = &statement;
    }
  }
  if (needed.empty()) return;
  std::vector<std::string> quoted;
  for (const std::string& grantee : grantees(admin)) quoted.push_back(grantee);
  // A role's grantee is 'role' or 'role'@'' depending on the server: match either.
  std::string who;
  for (const std::string& grantee : quoted) {
    who += fmt::format("{}GRANTEE = {} OR GRANTEE LIKE CONCAT({}, '@%')", who.empty() ? "" : " OR ",
                       admin.quote(grantee), admin.quote(grantee));
  }
  std::set<std::string> held;
  try {
    const std::string db = admin.quote(database);
    const ResultSet set = admin.query(fmt::format(
        "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE {0} "
        "UNION SELECT PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES WHERE ({0}) AND "
        "{1} LIKE TABLE_SCHEMA "
        "UNION SELECT PRIVILEGE_TYPE FROM information_schema.TABLE_PRIVILEGES WHERE ({0}) AND "
        "TABLE_SCHEMA = {1}",
        who, db));
    for (const auto& row : set.rows) held.insert(ascii_upper(row[0].value_or("")));
  } catch (const DatabaseError& error) {
    if (error.connection_lost()) throw;
    return;  // the server would not say: the change's own error will, if it comes to that
  }
  std::vector<std::string> missing;
  for (const auto& [privilege, statement] : needed) {
    if (!held.contains(privilege) && !held.contains("ALL PRIVILEGES")) {
      missing.push_back(fmt::format("{} (needed by {})", privilege, statement->where.str()));
    }
  }
  if (!missing.empty()) {
    fail(ExitCode::kRuntime,
         fmt::format("the change cannot be applied by {}: it lacks {} on {}; nothing was "
                     "measured or changed",
                     first_cell(admin, "SELECT CURRENT_USER()"), join(missing, ", "),
                     quote_identifier(database)));
  }
}

std::string live_compare_lock_name(const std::string& database) {
  // Lock names are at most 64 characters, database names too: a hash of it.
  return fmt::format("sqlmeasure.live.{:016x}", mix64(stable_hash(database)));
}

void take_live_compare_lock(Connection& admin, const std::string& database) {
  const std::string name = admin.quote(live_compare_lock_name(database));
  if (first_cell(admin, "SELECT GET_LOCK(" + name + ", 0)") == "1") return;
  std::string holder = "another session";
  const std::string id = first_cell(admin, "SELECT IS_USED_LOCK(" + name + ")");
  if (!id.empty()) {
    holder = "connection " + id;
    try {
      const ResultSet who = admin.query(
          "SELECT USER, HOST, TIME FROM information_schema.PROCESSLIST WHERE ID = " + id);
      if (!who.rows.empty()) {
        holder += fmt::format(" ({}@{}, connected {} s)", who.rows[0][0].value_or("?"),
                              who.rows[0][1].value_or("?"), who.rows[0][2].value_or("?"));
      }
    } catch (const DatabaseError& error) {
      if (error.connection_lost()) throw;
    }
  }
  fail(ExitCode::kRuntime,
       fmt::format("another live compare is running on database {} ({} holds its lock {}): two "
                   "at once would measure each other's changes; wait for it to finish. Nothing "
                   "was changed",
                   quote_identifier(database), holder, live_compare_lock_name(database)));
}

std::string lock_holders(Connection& admin, const std::string& database,
                         std::uint64_t own_session) {
  std::vector<std::string> holders;
  try {
    // The database's sessions first (a transaction holds a table's metadata lock), then the
    // others: FLUSH TABLES WITH READ LOCK and a backup hold every table from any database.
    const ResultSet set = admin.query(fmt::format(
        "SELECT ID, USER, HOST, TIME, INFO, DB FROM information_schema.PROCESSLIST WHERE ID <> "
        "CONNECTION_ID() AND ID <> {} AND COMMAND <> 'Daemon' ORDER BY DB <=> {} DESC, TIME "
        "DESC LIMIT 5",
        own_session, admin.quote(database)));
    for (const auto& row : set.rows) {
      const bool here = row[5] == std::optional<std::string>(database);
      holders.push_back(fmt::format("thread {} ({}@{}{}, {} s: {})", row[0].value_or("?"),
                                    row[1].value_or("?"), row[2].value_or("?"),
                                    here ? "" : ", on " + row[5].value_or("no database"),
                                    row[3].value_or("?"),
                                    printable(row[4].value_or("idle, perhaps in a transaction or "
                                                              "holding a read lock"))));
    }
  } catch (const DatabaseError&) {
    return "the sessions holding it could not be listed";
  }
  if (holders.empty()) return "no other session is visible to this user";
  return "sessions that may hold it, the database's first, longest first: " + join(holders, "; ");
}

}  // namespace sqlmeasure
