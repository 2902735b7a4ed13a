#pragma once
// What a change must not do to a live server, checked before it starts: replicate to every
// replica (a binary log, connected replicas, Aurora readers sharing the storage), or queue
// behind a long query and block every later one (metadata locks). Private to src/live/.
#include <cstdint>
#include <string>
#include <vector>

#include "event_log.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/schema_change.h"

namespace sqlmeasure {

struct ChangeSafety {
  bool allow_replicated_ddl = false;  // --allow-replicated-ddl: let it replicate, knowingly
  bool no_binlog = false;             // --no-binlog: SET SESSION sql_log_bin = 0 for the change
  double lock_wait_timeout_s = 5;     // --lock-wait-timeout: how long a DDL may wait for a lock
  // What the refusals name: what to run elsewhere, and what would replicate.
  const char* activity = "the live compare";
  const char* writes = "every apply and undo of the change";
};

// Checks the server (binary log, replicas, Aurora) and returns the statements the change's
// session runs after every (re)connection: a short lock_wait_timeout, and sql_log_bin = 0 with
// --no-binlog. Throws Error(kUsage) with the reason and the way out when the change would be
// replayed elsewhere.
[[nodiscard]] std::vector<std::string> prepare_change_session(Connection& admin,
                                                              const ChangeSafety& safety,
                                                              EventLog& events);

// The sessions that may hold the lock a DDL waited for: "thread 42 (root@localhost, 12 s:
// SELECT ...)", from the processlist — those on `database` first, then the others, since a
// FLUSH TABLES WITH READ LOCK (or a backup) from any database blocks every DDL.
[[nodiscard]] std::string lock_holders(Connection& admin, const std::string& database,
                                       std::uint64_t own_session);

// Refuses (exit 2, before anything is measured) a change the user lacks the privileges for:
// ALTER for ALTER TABLE, INDEX for CREATE/DROP INDEX, CREATE and DROP for tables — on the
// database or the table, directly or through an enabled role.
void check_change_privileges(Connection& admin, const std::string& database,
                             const SchemaChange& change);

// The server-side advisory lock (GET_LOCK) a live compare holds on its database for as long
// as it runs: two at once would measure each other's changes. Its name, and taking it on the
// change's session — Error(kRuntime) naming the session that holds it.
[[nodiscard]] std::string live_compare_lock_name(const std::string& database);
void take_live_compare_lock(Connection& admin, const std::string& database);

// MySQL's ER_LOCK_WAIT_TIMEOUT, which a DDL gets when lock_wait_timeout passes.
inline constexpr unsigned kLockWaitTimeout = 1205;

}  // namespace sqlmeasure
