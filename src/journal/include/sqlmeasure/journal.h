#pragma once
// The journal of a live compare: the record, written before any change reaches a server, of
// what the run is about to change and how to put it back — so that a run killed outright
// (kill -9, a lost machine) can be put back by the next one (`sqlmeasure recover`), and so
// that no other run measures a server left changed. docs/safety.md §3.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/sql_statements.h"

namespace sqlmeasure {

// Version 2 added the digest and the writer's start time; version 1 is still read.
inline constexpr int kJournalVersion = 2;

// Which server a journal is about, read from the server itself (not from how it was reached:
// a socket and a TCP port can lead to the same one).
struct ServerIdentity {
  std::string hostname, port, datadir, server_id;
  [[nodiscard]] std::string key() const;  // one line, comparable
  bool operator==(const ServerIdentity&) const = default;
};
[[nodiscard]] ServerIdentity read_server_identity(Connection& connection);

struct Journal {
  bool open = true;  // false once the change is undone and verified, or kept on purpose
  std::string closed_because;
  std::string created_at;  // ISO 8601 UTC
  int pid = 0;
  std::string machine;        // the host the run ran on
  std::string process_start;  // the writer's start time (/proc): a reused pid is not it
  ServerIdentity server;
  std::string endpoint;  // as the run reached it; never credentials
  std::string database;
  std::string change;  // "migration up.sql", "ignored indexes: works.idx"
  std::vector<SqlStatement> apply, undo;
  std::map<std::string, std::string> snapshot;  // table -> comparable definition
  std::string out_dir;
  // Read back only: the content no longer matches the digest written with it (an edit). The
  // digest tells an edit from what sqlmeasure wrote; it is no signature (anyone can write a
  // new one): what recover runs is checked statement by statement whatever it says.
  bool edited = false;
};

// Where this machine keeps its journals: $SQLMEASURE_JOURNAL_DIR, else
// $XDG_STATE_HOME/sqlmeasure/journals, else ~/.local/state/sqlmeasure/journals, else
// /tmp/sqlmeasure-UID/journals.
[[nodiscard]] std::string journal_directory();

// The machine's journal file for one server and database.
[[nodiscard]] std::string journal_path(const ServerIdentity& server, const std::string& database);

// Written atomically; throws Error(kRuntime) naming the path when it cannot be.
void write_journal(const Journal& journal, const std::string& path);
// Throws Error(kBadInput) naming the path for a file that is not a journal.
[[nodiscard]] Journal read_journal(const std::string& path);
// The same, on text already read (`path` names it in errors), and the text write_journal
// writes.
[[nodiscard]] Journal journal_from_text(const std::string& text, const std::string& path);
[[nodiscard]] std::string journal_to_text(const Journal& journal);

// A file of the journal directory that is open, or that cannot be read at all (truncated or
// emptied by a crash, a full disk): an open journal of unknown content, since nothing says
// its change was undone.
struct OpenJournal {
  std::string path;
  std::optional<Journal> journal;  // empty when damaged
  std::string damage;              // why it cannot be read
};

// The open and the damaged journals of this machine for `database` (any server: the caller
// checks which), or for every database when `database` is empty.
[[nodiscard]] std::vector<OpenJournal> open_journals_for(const std::string& database);

// True when the run that wrote `journal` is another process still running on this machine
// (same pid, same start time): its change is in progress, not left behind.
[[nodiscard]] bool writer_running(const Journal& journal);

// This process's identity as a journal records it: the host name and the start time.
[[nodiscard]] std::string this_machine();
[[nodiscard]] std::string process_start_time(int pid);

// Throws Error(kRuntime) with the exact command to recover, when this machine has an open
// journal for the server `connection` reaches and its database: a run killed outright left a
// change there, and nothing may measure (or change) that server before it is put back. A
// journal whose writer is still running says that instead ("wait for it"); a damaged one is
// named as such.
void refuse_if_unrecovered(Connection& connection, const std::string& database);

}  // namespace sqlmeasure
