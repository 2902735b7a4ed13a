#include "sqlmeasure/recover.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "change_guards.h"
#include "event_log.h"
#include "index_visibility.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/journal.h"
#include "sqlmeasure/migration_classifier.h"
#include "sqlmeasure/schema_change.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// Both copies of the journal, closed: this machine's and the out-dir's (when it is there).
void close_journal(Journal journal, const std::string& path, const std::string& because) {
  journal.open = false;
  journal.closed_because = because;
  write_journal(journal, path);
  if (journal.out_dir.empty()) return;
  const std::string copy = (std::filesystem::path(journal.out_dir) / "journal.json").string();
  std::error_code error;
  if (copy != path && std::filesystem::is_regular_file(copy, error)) {
    try {
      write_journal(journal, copy);
    } catch (const Error&) {
      // The out-dir copy is for a thrown-away CI runner; the machine's copy is what counts.
    }
  }
}

// The tables a journal's statements change, lower-cased; false when one names none.
struct ChangedTables {
  std::vector<std::string> names;
  bool known = true;
};

// A journal is input (it travels as a CI artifact, and anyone can edit it): what recover runs
// must be what a live compare could have written — the statements a migration and its
// rollback may hold, on the journal's own database. Error(kBadInput) naming the first that is
// not; nothing has been run.
ChangedTables check_statements(const Journal& journal, const std::string& path) {
  ChangedTables tables;
  for (const auto* list : {&journal.apply, &journal.undo}) {
    const char* side = list == &journal.apply ? "apply" : "undo";
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string& sql = (*list)[i].text;
      const MigrationStatementClass found = classify_migration_statement(sql);
      std::string why;
      if (found.kind == MigrationStatementKind::kRefused) why = found.why;
      for (const std::string& name : found.databases) {
        if (name != journal.database && why.empty()) {
          why = fmt::format("it names database {}, not the journal's ({})", quote_identifier(name),
                            quote_identifier(journal.database));
        }
      }
      if (!why.empty()) {
        fail(ExitCode::kBadInput,
             fmt::format("{}: {} statement {} ({}): {}. A live compare writes only index and "
                         "schema statements on its own database; recover ran nothing",
                         path, side, i + 1, printable(sql), why));
      }
      if (found.kind == MigrationStatementKind::kSession) continue;
      if (found.table.empty()) {
        tables.known = false;
      } else if (std::find(tables.names.begin(), tables.names.end(), ascii_lower(found.table)) ==
                 tables.names.end()) {
        tables.names.push_back(ascii_lower(found.table));
      }
    }
  }
  return tables;
}

// The snapshot must be of this database as the change left it: every table that differs from
// it now is one the change touches. Otherwise the journal was edited, or the schema changed
// since by someone else: running its undo there would be a guess.
void check_snapshot(const Journal& journal, const std::string& path,
                    const std::map<std::string, std::string>& now, const ChangedTables& tables) {
  if (journal.snapshot.empty()) {
    fail(ExitCode::kBadInput,
         fmt::format("{}: the journal's snapshot holds no table, so no undo could be checked; "
                     "recover ran nothing",
                     path));
  }
  if (!tables.known) return;
  for (const std::string& table : differing_tables(journal.snapshot, now)) {
    if (std::find(tables.names.begin(), tables.names.end(), ascii_lower(table)) !=
        tables.names.end()) {
      continue;
    }
    fail(ExitCode::kBadInput,
         fmt::format("{}: table {} differs from the journal's snapshot, but the journal's change "
                     "touches only {}: the snapshot is not of this database as the change left "
                     "it (the journal was edited, or someone changed {} since). Recover ran "
                     "nothing; check the schema by hand, then close the journal with: "
                     "sqlmeasure recover --journal {} --forget",
                     path, quote_identifier(table), join(tables.names), table, path));
  }
}

// A live compare still running owns its change and undoes it itself; recover must not race
// it (it would undo, and the compare would apply again with no journal open).
void refuse_while_running(Connection& connection, const std::string& database,
                          const Journal* journal) {
  if (journal != nullptr && writer_running(*journal)) {
    fail(ExitCode::kRuntime,
         fmt::format("a live compare (pid {}, started {}) is still running with this journal: "
                     "it undoes its change itself when it ends, or when it is interrupted "
                     "(Ctrl-C, kill {}). Nothing was done",
                     journal->pid, journal->created_at, journal->pid));
  }
  const ResultSet held = connection.query("SELECT IS_USED_LOCK(" +
                                          connection.quote(live_compare_lock_name(database)) + ")");
  if (!held.rows.empty() && !held.rows[0].empty() && held.rows[0][0]) {
    fail(ExitCode::kRuntime,
         fmt::format("a live compare is running on database {} (connection {} holds its lock "
                     "{}): it undoes its change itself when it ends; wait for it. Nothing was "
                     "done",
                     quote_identifier(database), *held.rows[0][0],
                     live_compare_lock_name(database)));
  }
}

std::unique_ptr<Connection> connect_to(const ServerIdentity* expected, const std::string& endpoint,
                                       ConnectionOptions admin, const std::string& database,
                                       const Connector& connect) {
  admin.database = database;
  admin.read_only = false;
  admin.query_timeout_ms = 0;
  std::unique_ptr<Connection> connection = connect(admin);
  if (expected == nullptr) return connection;
  const ServerIdentity server = read_server_identity(*connection);
  if (!(server == *expected)) {
    fail(ExitCode::kUsage,
         fmt::format("the journal is about the server {} ({}); this connection reaches {}: "
                     "connect to the journal's server",
                     expected->key(), endpoint, server.key()));
  }
  return connection;
}

// The indexes of `database` hidden from the optimizer: what a killed compare with ignored
// indexes leaves, and all recover can point at when its journal is damaged.
std::vector<std::string> hidden_indexes(Connection& connection, const std::string& database) {
  const ServerInfo& server = connection.server();
  if (!why_indexes_cannot_be_hidden(server).empty()) return {};
  const bool mariadb = server.flavor == Flavor::kMariaDB;
  const ResultSet set = connection.query(
      fmt::format("SELECT DISTINCT TABLE_NAME, INDEX_NAME FROM information_schema.STATISTICS WHERE "
                  "TABLE_SCHEMA = {} AND {} ORDER BY 1, 2",
                  connection.quote(database), mariadb ? "IGNORED = 'YES'" : "IS_VISIBLE = 'NO'"));
  std::vector<std::string> hidden;
  for (const auto& row : set.rows) {
    hidden.push_back(fmt::format("{}.{}", row[0].value_or("?"), row[1].value_or("?")));
  }
  return hidden;
}

// A journal that cannot be read: its change is unknown. Recover checks that it is this
// server's (by its name), shows what it can, and closes it only with --forget.
RecoverOutcome recover_damaged(const std::string& path, const std::string& damage,
                               const ConnectionOptions& admin, const Connector& connect,
                               EventLog& events, bool forget) {
  if (!admin.database) {
    fail(ExitCode::kUsage,
         fmt::format("{} is damaged ({}): the change it recorded is unknown. Name its database "
                     "with -D so that recover can check the journal is this server's",
                     path, damage));
  }
  const std::string database = *admin.database;
  std::unique_ptr<Connection> connection = connect_to(nullptr, "", admin, database, connect);
  const ServerIdentity server = read_server_identity(*connection);
  namespace fs = std::filesystem;
  if (fs::path(journal_path(server, database)).filename() != fs::path(path).filename()) {
    fail(ExitCode::kUsage,
         fmt::format("{} is not the journal of database {} on {}: connect to its server and "
                     "name its database",
                     path, quote_identifier(database), server.key()));
  }
  refuse_while_running(*connection, database, nullptr);
  RecoverOutcome outcome;
  outcome.server = ServerState::kUnknown;
  events.say(fmt::format("{} is damaged ({}): the change it recorded is unknown", path, damage));
  const std::vector<std::string> hidden = hidden_indexes(*connection, database);
  events.say(hidden.empty()
                 ? fmt::format("no index of {} is hidden from the optimizer", database)
                 : fmt::format("hidden from the optimizer (a killed compare --ignore-index "
                               "leaves these): {}",
                               join(hidden)));
  if (forget) {
    Journal closed;
    closed.server = server;
    closed.database = database;
    closed.change = "unknown (the journal was damaged: " + damage + ")";
    close_journal(std::move(closed), path, "forgotten by the user: the journal was damaged");
    return outcome;
  }
  outcome.failure = fmt::format(
      "nothing was undone: the journal does not say what to undo. Put the schema back by hand "
      "(the migration's rollback; ALTER TABLE t ALTER INDEX i {} for a hidden index), then "
      "close the journal with: sqlmeasure recover --journal {} -D {} --forget",
      shown_word(connection->server()), path, database);
  return outcome;
}

}  // namespace

RecoverOutcome recover_change(const std::string& journal_path, ConnectionOptions admin,
                              const Connector& connect,
                              const std::function<void(const std::string&)>& on_event,
                              bool forget) {
  RecoverOutcome outcome;
  EventLog events(outcome.events, on_event);
  Journal journal;
  try {
    journal = read_journal(journal_path);
  } catch (const Error& damaged) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(journal_path, error)) throw;
    return recover_damaged(journal_path, damaged.what(), admin, connect, events, forget);
  }
  if (!journal.open) {
    events.say(fmt::format("{}: already closed ({}): nothing to put back", journal_path,
                           journal.closed_because));
    outcome.server = ServerState::kRestored;
    return outcome;
  }
  if (journal.edited && !forget) {
    fail(ExitCode::kBadInput,
         fmt::format("{}: the journal was changed after sqlmeasure wrote it (its digest does not "
                     "match its content): recover runs nothing from an edited journal. Check "
                     "the schema by hand, then close it with: sqlmeasure recover --journal {} "
                     "--forget",
                     journal_path, journal_path));
  }
  if (admin.database && *admin.database != journal.database) {
    fail(ExitCode::kUsage,
         fmt::format("the journal is about database {}, not {}: leave -D out, or give the "
                     "journal's",
                     quote_identifier(journal.database), quote_identifier(*admin.database)));
  }
  const ChangedTables tables = check_statements(journal, journal_path);
  std::unique_ptr<Connection> connection =
      connect_to(&journal.server, journal.endpoint, admin, journal.database, connect);
  refuse_while_running(*connection, journal.database, &journal);
  events.say(fmt::format("recovering {} on {} (database {}), started {} by pid {} on {}",
                         journal.change, journal.endpoint, journal.database, journal.created_at,
                         journal.pid, journal.machine));
  const std::map<std::string, std::string> now = schema_snapshot(*connection, journal.database);
  if (forget) {
    const std::string difference = schema_difference(journal.snapshot, now);
    if (journal.edited) events.say("the journal was edited after sqlmeasure wrote it");
    events.say(difference.empty()
                   ? "the schema is as it was"
                   : "left as it is, though it differs from before the live compare: " +
                         difference);
    close_journal(journal, journal_path,
                  difference.empty() ? "forgotten: the schema was as it was"
                                     : "forgotten by the user; tables differing: " + difference);
    outcome.server = difference.empty() ? ServerState::kRestored : ServerState::kStillApplied;
    return outcome;
  }
  check_snapshot(journal, journal_path, now, tables);
  if (schema_difference(journal.snapshot, now).empty()) {
    events.say("the schema is as it was: nothing to undo");
    close_journal(journal, journal_path, "recovered: the schema was as it was");
    outcome.server = ServerState::kRestored;
    return outcome;
  }
  if (journal.undo.empty()) {
    events.say("the change has no rollback: it was meant to stay applied");
    close_journal(journal, journal_path, "recovered: kept, it has no rollback");
    outcome.server = ServerState::kStillApplied;
    return outcome;
  }
  const ApplyReport report = apply_statements(*connection, journal.undo, /*keep_going=*/true);
  events.say(fmt::format("undo: applied {} of {} statement{}", report.applied, journal.undo.size(),
                         journal.undo.size() == 1 ? "" : "s"));
  for (const std::string& failure : report.failures) events.say("undo: " + failure);
  const std::string difference =
      schema_difference(journal.snapshot, schema_snapshot(*connection, journal.database));
  if (!difference.empty()) {
    outcome.server = ServerState::kStillApplied;
    outcome.failure = fmt::format(
        "the schema still differs from before the live compare: {}; the journal stays open "
        "({}): put the rest back by hand, then close it with: sqlmeasure recover --journal {} "
        "--forget",
        difference, journal_path, journal_path);
    return outcome;
  }
  events.say(fmt::format("schema restored: SHOW CREATE TABLE of all {} tables is identical",
                         journal.snapshot.size()));
  close_journal(journal, journal_path, "recovered: undone, and the schema checked");
  outcome.server = ServerState::kRestored;
  return outcome;
}

}  // namespace sqlmeasure
