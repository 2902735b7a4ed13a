#pragma once
// The change a live compare makes, and its undo: a state machine over the server's state
// (docs/safety.md §3). It owns the read-write connection, the schema snapshot taken before
// anything is applied, and the events that say what happened. Private to src/live/.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "change_guards.h"
#include "event_log.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/schema_change.h"
#include "sqlmeasure/server_state.h"

namespace sqlmeasure {

class ChangeSession {
 public:
  // `admin` describes the read-write session; nothing is opened until open().
  ChangeSession(const Connector& connect, ConnectionOptions admin, std::string database,
                const SchemaChange& change, EventLog& events, double reconnect_timeout_s,
                ChangeSafety safety);

  // Opens the read-write connection and takes the snapshot. Throws Error: nothing changed.
  void open();

  // Applies the change for alternation `round` of `rounds`. On failure returns why, after
  // undoing whatever part of it ran (and nothing when none did).
  [[nodiscard]] std::optional<std::string> apply(int round, int rounds);

  // Undoes the change if it is applied (once per apply, on whatever path we are on) and
  // checks the schema against the snapshot. A kept change (--keep) stays.
  void undo();

  [[nodiscard]] ServerState state() const { return state_; }
  [[nodiscard]] Connection& admin() { return *admin_; }
  [[nodiscard]] const std::map<std::string, std::string>& snapshot() const { return snapshot_; }
  [[nodiscard]] bool applied() const { return applied_; }
  // How long each apply and each undo that succeeded took, in order (wall seconds).
  [[nodiscard]] const std::vector<double>& apply_seconds() const { return apply_seconds_; }
  [[nodiscard]] const std::vector<double>& undo_seconds() const { return undo_seconds_; }

 private:
  [[nodiscard]] std::optional<std::string> lost_while_applying(const DatabaseError& error);
  void connect_once();
  void retake_lock();
  void reopen();
  void ensure_alive();
  void undo_statements();
  void say_how_it_runs(const SqlStatement& statement);
  [[nodiscard]] std::string engine_of(const std::string& table) const;
  void verify();

  const Connector& connect_;
  ConnectionOptions admin_options_;
  std::string database_;
  const SchemaChange& change_;
  EventLog& events_;
  double reconnect_timeout_s_;
  ChangeSafety safety_;
  std::vector<std::string> setup_;  // run on every (re)connection: lock wait, binary log
  // What password_command printed for this session (empty: none ran): reconnections use it.
  std::shared_ptr<std::string> kept_password_ = std::make_shared<std::string>();
  std::unique_ptr<Connection> admin_;
  std::map<std::string, std::string> snapshot_;
  ServerState state_ = ServerState::kUnchanged;
  bool applied_ = false;  // applied and not yet undone
  std::vector<double> apply_seconds_, undo_seconds_;
};

}  // namespace sqlmeasure
