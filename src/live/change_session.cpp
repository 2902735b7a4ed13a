#include "live/change_session.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "sqlmeasure/error.h"
#include "sqlmeasure/sql_lexer.h"

namespace sqlmeasure {
namespace {

std::string statements(std::size_t count) { return count == 1 ? "statement" : "statements"; }

}  // namespace

ChangeSession::ChangeSession(const Connector& connect, ConnectionOptions admin,
                             std::string database, const SchemaChange& change, EventLog& events,
                             double reconnect_timeout_s)
    : connect_(connect),
      admin_options_(std::move(admin)),
      database_(std::move(database)),
      change_(change),
      events_(events),
      reconnect_timeout_s_(reconnect_timeout_s) {}

void ChangeSession::open() {
  connect_once();
  snapshot_ = schema_snapshot(*admin_, database_);
}

void ChangeSession::connect_once() {
  admin_ = connect_(admin_options_);
  admin_->execute("USE " + quote_identifier(database_));
}

// A server restarting or failing over is back in seconds: keep trying, with growing pauses,
// for reconnect_timeout_s, saying so, before the undo is given up.
void ChangeSession::reopen() {
  const auto start = std::chrono::steady_clock::now();
  double pause_s = 0.25;
  for (int attempt = 1;; ++attempt) {
    try {
      connect_once();
      if (attempt > 1) events_.say(fmt::format("reconnected (attempt {})", attempt));
      return;
    } catch (const DatabaseError& error) {
      const double waited =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (waited + pause_s > reconnect_timeout_s_) throw;
      events_.say(
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
  try {
    report = apply_statements(*admin_, change_.apply, false);
  } catch (const DatabaseError& error) {
    if (!error.connection_lost()) throw;
    return lost_while_applying(error);
  }
  if (report.applied > 0) state_ = ServerState::kStillApplied;
  events_.say(fmt::format("{}{}: applied {} of {} {}", change_.description,
                          rounds > 1 ? fmt::format(" ({}/{})", round, rounds) : "", report.applied,
                          change_.apply.size(), statements(change_.apply.size())));
  if (!report.failures.empty()) {
    // Undo only what ran: undoing a change that never happened would create one.
    if (report.applied > 0) {
      applied_ = true;
      undo();
    } else {
      events_.say("nothing was applied, so nothing to undo");
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
  events_.say(change_.description + ": the connection was lost while applying it");
  try {
    reopen();
    if (schema_difference(snapshot_, schema_snapshot(*admin_, database_)).empty()) {
      events_.say("the schema is unchanged, so nothing to undo");
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
    events_.say(
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
      events_.say(
          fmt::format("undo: the connection was lost ({}); reconnecting to check", error.what()));
      reopen();
      if (!schema_difference(snapshot_, schema_snapshot(*admin_, database_)).empty()) {
        undo_statements();
      }
    }
    verify();
  } catch (const Error& error) {
    state_ = ServerState::kUnknown;
    events_.say(
        fmt::format("UNDO FAILED: {}. The change may still be applied: run the rollback by hand",
                    error.what()));
  }
}

void ChangeSession::undo_statements() {
  ensure_alive();
  admin_->execute("USE " + quote_identifier(database_));  // the change may have switched databases
  const ApplyReport report = apply_statements(*admin_, change_.undo, true);
  events_.say(fmt::format("undo: applied {} of {} {}", report.applied, change_.undo.size(),
                          statements(change_.undo.size())));
  for (const std::string& failure : report.failures) events_.say("undo: " + failure);
}

// SHOW CREATE TABLE of every table, against the snapshot taken before anything was applied.
void ChangeSession::verify() {
  const std::string difference = schema_difference(snapshot_, schema_snapshot(*admin_, database_));
  state_ = difference.empty() ? ServerState::kRestored : ServerState::kStillApplied;
  events_.say(
      difference.empty()
          ? fmt::format(
                "schema restored: SHOW CREATE TABLE of all {} tables is identical (index order "
                "aside)",
                snapshot_.size())
          : fmt::format("SCHEMA NOT RESTORED: tables differ from before: {}", difference));
}

}  // namespace sqlmeasure
