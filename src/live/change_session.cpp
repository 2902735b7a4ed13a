#include "change_session.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "sqlmeasure/error.h"
#include "sqlmeasure/migration_classifier.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/timestamp.h"

namespace sqlmeasure {
namespace {

// ER_ACCESS_DENIED_ERROR: the server refused the user or the password.
constexpr unsigned kAccessDenied = 1045;

std::string statements(std::size_t count) { return count == 1 ? "statement" : "statements"; }

}  // namespace

ChangeSession::ChangeSession(const Connector& connect, ConnectionOptions admin,
                             std::string database, const SchemaChange& change, EventLog& events,
                             double reconnect_timeout_s, ChangeSafety safety)
    : connect_(connect),
      admin_options_(std::move(admin)),
      database_(std::move(database)),
      change_(change),
      events_(events),
      reconnect_timeout_s_(reconnect_timeout_s),
      safety_(safety) {
  // A password_command's password is kept once it opened this session: a reconnection to put
  // the change back must not wait on the command (a hang, a token service down). Only when
  // the server refuses the kept one is the command asked again (an IAM token's 15 minutes).
  if (admin_options_.fetch_password) {
    admin_options_.fetch_password = [fetch = admin_options_.fetch_password, kept = kept_password_] {
      *kept = fetch();
      return *kept;
    };
  }
}

void ChangeSession::open() {
  connect_once();
  take_live_compare_lock(*admin_, database_);
  setup_ = prepare_change_session(*admin_, safety_, events_);
  for (const std::string& statement : setup_) admin_->execute(statement);
  snapshot_ = schema_snapshot(*admin_, database_);
}

void ChangeSession::connect_once() {
  if (kept_password_->empty()) {
    admin_ = connect_(admin_options_);
  } else {
    ConnectionOptions with_kept = admin_options_;
    with_kept.password = *kept_password_;
    with_kept.fetch_password = nullptr;
    try {
      admin_ = connect_(with_kept);
    } catch (const DatabaseError& error) {
      if (error.error_number() != kAccessDenied) throw;
      events_.detail("the kept password was refused; asking password_command for a new one");
      admin_ = connect_(admin_options_);
    }
  }
  admin_->execute("USE " + quote_identifier(database_));
  for (const std::string& statement : setup_) admin_->execute(statement);
}

// The engine in a table's snapshot (") ENGINE=InnoDB ..."), or empty.
std::string ChangeSession::engine_of(const std::string& table) const {
  const auto found = snapshot_.find(table);
  if (found == snapshot_.end()) return "";
  const std::size_t at = found->second.rfind("ENGINE=");
  if (at == std::string::npos) return "";
  const std::size_t end = found->second.find_first_of(" \n", at);
  return found->second.substr(at + 7, end == std::string::npos ? std::string::npos : end - at - 7);
}

// Before a DDL runs: how the server is expected to run it, so that a table rebuild that would
// block writes is seen before it starts.
void ChangeSession::say_how_it_runs(const SqlStatement& statement) {
  const MigrationStatementClass found = classify_migration_statement(statement.text);
  if (found.table.empty()) return;
  const std::string how = expected_algorithm(statement.text, engine_of(found.table));
  if (!how.empty())
    events_.detail(fmt::format("{} on {}: {}", statement.where.str(), found.table, how));
}

// The lock that keeps other live compares off the database belongs to the session: a new
// connection takes it again, and says so if another run took it meanwhile.
void ChangeSession::retake_lock() {
  try {
    take_live_compare_lock(*admin_, database_);
  } catch (const Error& error) {
    events_.warn(std::string("warning: ") + error.what());
  }
}

// A server restarting or failing over is back in seconds: keep trying, with growing pauses,
// for reconnect_timeout_s, saying so, before the undo is given up.
void ChangeSession::reopen() {
  const auto start = std::chrono::steady_clock::now();
  double pause_s = 0.25;
  for (int attempt = 1;; ++attempt) {
    try {
      connect_once();
      retake_lock();
      if (attempt > 1) events_.warn(fmt::format("reconnected (attempt {})", attempt));
      return;
    } catch (const DatabaseError& error) {
      const double waited = seconds_since(start);
      if (waited + pause_s > reconnect_timeout_s_) throw;
      events_.warn(
          fmt::format("cannot reconnect ({}); trying again in {:.2g} s (up to {:.0f} s "
                      "in all, --reconnect-timeout)",
                      error.what(), pause_s, reconnect_timeout_s_));
      std::this_thread::sleep_for(std::chrono::duration<double>(pause_s));
      pause_s = std::min(pause_s * 2, 4.0);
    }
  }
}

// A phase can outlast the server's wait_timeout on the idle read-write connection.
void ChangeSession::ensure_alive() {
  try {
    (void)admin_->query("SELECT 1");
  } catch (const DatabaseError&) {
    reopen();
  }
}

std::optional<std::string> ChangeSession::apply(int round, int rounds) {
  ensure_alive();
  ApplyReport report;
  const auto start = std::chrono::steady_clock::now();
  try {
    report = apply_statements(*admin_, change_.apply, false, [this](const SqlStatement& statement) {
      say_how_it_runs(statement);
    });
  } catch (const DatabaseError& error) {
    if (!error.connection_lost()) throw;
    return lost_while_applying(error);
  }
  if (report.applied > 0) state_ = ServerState::kStillApplied;
  const double seconds = seconds_since(start);
  events_.tell(report.failures.empty() ? EventLevel::kDetail : EventLevel::kWarning,
               fmt::format("{}{}: applied {} of {} {} in {:.2f} s", change_.description,
                           rounds > 1 ? fmt::format(" ({}/{})", round, rounds) : "", report.applied,
                           change_.apply.size(), statements(change_.apply.size()), seconds));
  if (!report.failures.empty()) {
    // Undo only what ran: undoing a change that never happened would create one.
    if (report.applied > 0) {
      applied_ = true;
      undo();
    } else {
      events_.warn("nothing was applied, so nothing to undo");
    }
    std::string failure = "the change failed: " + report.failures.front();
    if (report.first_error == kLockWaitTimeout) {
      failure += fmt::format(" (it waited --lock-wait-timeout {} s for a metadata lock; {})",
                             safety_.lock_wait_timeout_s,
                             lock_holders(*admin_, database_, admin_->session_id()));
    }
    return failure;
  }
  applied_ = true;
  apply_seconds_.push_back(seconds);
  return std::nullopt;
}

// The reply was lost, not necessarily the change: the server may have run some of it (an
// ALTER carries on when its client goes away). What the schema says decides the undo.
std::optional<std::string> ChangeSession::lost_while_applying(const DatabaseError& error) {
  const std::string failure =
      fmt::format("the connection was lost while applying the change: {}", error.what());
  events_.warn(change_.description + ": the connection was lost while applying it");
  try {
    reopen();
    if (schema_difference(snapshot_, schema_snapshot(*admin_, database_)).empty()) {
      events_.warn("the schema is unchanged, so nothing to undo");
      return failure;
    }
  } catch (const Error&) {
    // Cannot look: undo anyway; a statement whose counterpart never ran just fails.
  }
  state_ = ServerState::kStillApplied;
  applied_ = true;
  undo();
  return failure;
}

void ChangeSession::undo() {
  if (!applied_) return;
  applied_ = false;
  if (change_.keep) {
    events_.warn("kept: the change stays applied (--keep)");
    return;
  }
  try {
    try {
      undo_statements();
    } catch (const DatabaseError& error) {
      if (!error.connection_lost()) throw;
      // The reply was lost, not necessarily the undo: look, and undo again if the change is
      // still there (a statement whose work is already undone just fails).
      events_.warn(
          fmt::format("undo: the connection was lost ({}); reconnecting to check", error.what()));
      reopen();
      if (!schema_difference(snapshot_, schema_snapshot(*admin_, database_)).empty()) {
        undo_statements();
      }
    }
    verify();
  } catch (const Error& error) {
    state_ = ServerState::kUnknown;
    events_.warn(
        fmt::format("UNDO FAILED: {}. The change may still be applied: run the rollback by hand",
                    error.what()));
  }
}

void ChangeSession::undo_statements() {
  ensure_alive();
  admin_->execute("USE " + quote_identifier(database_));  // the change may have switched databases
  const auto start = std::chrono::steady_clock::now();
  const ApplyReport report = apply_statements(*admin_, change_.undo, true);
  const double seconds = seconds_since(start);
  if (report.failures.empty()) undo_seconds_.push_back(seconds);
  events_.tell(report.failures.empty() ? EventLevel::kDetail : EventLevel::kWarning,
               fmt::format("undo: applied {} of {} {} in {:.2f} s", report.applied,
                           change_.undo.size(), statements(change_.undo.size()), seconds));
  for (const std::string& failure : report.failures) events_.warn("undo: " + failure);
  if (report.first_error == kLockWaitTimeout) {
    events_.warn(fmt::format("undo: it waited --lock-wait-timeout {} s for a lock; {}",
                             safety_.lock_wait_timeout_s,
                             lock_holders(*admin_, database_, admin_->session_id())));
  }
}

// SHOW CREATE TABLE of every table, against the snapshot taken before anything was applied.
// A difference only in tables the change never touches is another session's doing (a table
// dropped, created or altered meanwhile): the change is undone, and that is said as it is.
void ChangeSession::verify() {
  const std::map<std::string, std::string> now = schema_snapshot(*admin_, database_);
  const std::string difference = schema_difference(snapshot_, now);
  if (difference.empty()) {
    state_ = ServerState::kRestored;
    events_.detail(fmt::format(
        "schema restored: SHOW CREATE TABLE of all {} tables is identical (index order aside)",
        snapshot_.size()));
    return;
  }
  const std::vector<std::string> differing = differing_tables(snapshot_, now);
  const bool others_only =
      change_.tables_known &&
      std::none_of(differing.begin(), differing.end(), [this](const std::string& table) {
        return std::find(change_.tables.begin(), change_.tables.end(), ascii_lower(table)) !=
               change_.tables.end();
      });
  if (others_only) {
    state_ = ServerState::kChangedByOthers;
    events_.warn(fmt::format(
        "schema: the change's tables ({}) are as they were; tables it does not touch changed "
        "during the run, by another session: {}",
        join(change_.tables), difference));
    return;
  }
  state_ = ServerState::kStillApplied;
  events_.warn(fmt::format("SCHEMA NOT RESTORED: tables differ from before: {}", difference));
}

}  // namespace sqlmeasure
