#include "live/change_session.h"

#include <fmt/format.h>

#include "sqlmeasure/error.h"
#include "sqlmeasure/sql_lexer.h"

namespace sqlmeasure {
namespace {

std::string statements(std::size_t count) { return count == 1 ? "statement" : "statements"; }

}  // namespace

ChangeSession::ChangeSession(const Connector& connect, ConnectionOptions admin,
                             std::string database, const SchemaChange& change,
                             std::vector<std::string>& events)
    : connect_(connect),
      admin_options_(std::move(admin)),
      database_(std::move(database)),
      change_(change),
      events_(events) {}

void ChangeSession::open() {
  reopen();
  snapshot_ = schema_snapshot(*admin_, database_);
}

void ChangeSession::reopen() {
  admin_ = connect_(admin_options_);
  admin_->execute("USE " + quote_identifier(database_));
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
  try {
    report = apply_statements(*admin_, change_.apply, false);
  } catch (const DatabaseError& error) {
    if (!error.connection_lost()) throw;
    return lost_while_applying(error);
  }
  if (report.applied > 0) state_ = ServerState::kStillApplied;
  events_.push_back(fmt::format("{}{}: applied {} of {} {}", change_.description,
                                rounds > 1 ? fmt::format(" ({}/{})", round, rounds) : "",
                                report.applied, change_.apply.size(),
                                statements(change_.apply.size())));
  if (!report.failures.empty()) {
    // Undo only what ran: undoing a change that never happened would create one.
    if (report.applied > 0) {
      applied_ = true;
      undo();
    } else {
      events_.push_back("nothing was applied, so nothing to undo");
    }
    return "the change failed: " + report.failures.front();
  }
  applied_ = true;
  return std::nullopt;
}

// The reply was lost, not necessarily the change: the server may have run some of it (an
// ALTER carries on when its client goes away). What the schema says decides the undo.
std::optional<std::string> ChangeSession::lost_while_applying(const DatabaseError& error) {
  const std::string failure =
      fmt::format("the connection was lost while applying the change: {}", error.what());
  events_.push_back(change_.description + ": the connection was lost while applying it");
  try {
    reopen();
    if (schema_difference(snapshot_, schema_snapshot(*admin_, database_)).empty()) {
      events_.push_back("the schema is unchanged, so nothing to undo");
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
    events_.push_back(
        "kept: the change stays applied (--keep, or an additive migration without --rollback)");
    return;
  }
  try {
    try {
      undo_statements();
    } catch (const DatabaseError& error) {
      if (!error.connection_lost()) throw;
      // The reply was lost, not necessarily the undo: look, and undo again if the change is
      // still there (a statement whose work is already undone just fails).
      events_.push_back(fmt::format("undo: the connection was lost ({}); reconnecting to check",
                                    error.what()));
      reopen();
      if (!schema_difference(snapshot_, schema_snapshot(*admin_, database_)).empty()) {
        undo_statements();
      }
    }
    verify();
  } catch (const Error& error) {
    state_ = ServerState::kUnknown;
    events_.push_back(fmt::format(
        "UNDO FAILED: {}. The change may still be applied: run the rollback by hand", error.what()));
  }
}

void ChangeSession::undo_statements() {
  ensure_alive();
  admin_->execute("USE " + quote_identifier(database_));  // the change may have switched databases
  const ApplyReport report = apply_statements(*admin_, change_.undo, true);
  events_.push_back(fmt::format("undo: applied {} of {} {}", report.applied, change_.undo.size(),
                                statements(change_.undo.size())));
  for (const std::string& failure : report.failures) events_.push_back("undo: " + failure);
}

// SHOW CREATE TABLE of every table, against the snapshot taken before anything was applied.
void ChangeSession::verify() {
  const std::string difference = schema_difference(snapshot_, schema_snapshot(*admin_, database_));
  state_ = difference.empty() ? ServerState::kRestored : ServerState::kStillApplied;
  events_.push_back(
      difference.empty()
          ? fmt::format(
                "schema restored: SHOW CREATE TABLE of all {} tables is identical (index order "
                "aside)",
                snapshot_.size())
          : fmt::format("SCHEMA NOT RESTORED: tables differ from before: {}", difference));
}

}  // namespace sqlmeasure
