#include "sqlmeasure/recover.h"

#include <fmt/format.h>

#include <filesystem>

#include "event_log.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/journal.h"
#include "sqlmeasure/schema_change.h"
#include "sqlmeasure/sql_lexer.h"

namespace sqlmeasure {
namespace {

// Both copies of the journal, closed: this machine's and the out-dir's (when it is there).
void close_journal(Journal journal, const std::string& path, const std::string& because) {
  journal.open = false;
  journal.closed_because = because;
  write_journal(journal, path);
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

}  // namespace

RecoverOutcome recover_change(const std::string& journal_path, ConnectionOptions admin,
                              const Connector& connect,
                              const std::function<void(const std::string&)>& on_event,
                              bool forget) {
  const Journal journal = read_journal(journal_path);
  RecoverOutcome outcome;
  EventLog events(outcome.events, on_event);
  if (!journal.open) {
    events.say(fmt::format("{}: already closed ({}): nothing to put back", journal_path,
                           journal.closed_because));
    outcome.server = ServerState::kRestored;
    return outcome;
  }
  if (admin.database && *admin.database != journal.database) {
    fail(ExitCode::kUsage,
         fmt::format("the journal is about database {}, not {}: leave -D out, or give the "
                     "journal's",
                     quote_identifier(journal.database), quote_identifier(*admin.database)));
  }
  admin.database = journal.database;
  admin.read_only = false;
  admin.query_timeout_ms = 0;
  std::unique_ptr<Connection> connection = connect(admin);
  const ServerIdentity server = read_server_identity(*connection);
  if (!(server == journal.server)) {
    fail(ExitCode::kUsage,
         fmt::format("the journal is about the server {} ({}); this connection reaches {}: "
                     "connect to the journal's server",
                     journal.server.key(), journal.endpoint, server.key()));
  }
  events.say(fmt::format("recovering {} on {} (database {}), started {} by pid {} on {}",
                         journal.change, journal.endpoint, journal.database, journal.created_at,
                         journal.pid, journal.machine));
  if (forget) {
    const std::string difference =
        schema_difference(journal.snapshot, schema_snapshot(*connection, journal.database));
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
  if (schema_difference(journal.snapshot, schema_snapshot(*connection, journal.database)).empty()) {
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
