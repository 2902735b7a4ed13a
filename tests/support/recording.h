#pragma once
// What a real server answered to one run of the tool: every connection's ServerInfo and
// every call made on them with its answer (or its error), in order. Stored as JSON
// (server.json in a CLI golden case) and replayed by support/recorded_connection.h.
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"

namespace sqlmeasure::testing {

// A DatabaseError as the server raised it, to be raised again on replay.
struct RecordedError {
  unsigned error_number = 0;
  std::string sqlstate;
  std::string message;
  bool connection_lost = false;
  bool timed_out = false;
};

struct RecordedCall {
  enum class Kind { kTimed, kQuery, kExecute };
  Kind kind = Kind::kQuery;
  std::string sql;
  Execution execution;                 // kTimed: elapsed, rows sent, checksum
  ResultSet result;                    // kQuery: columns, numeric flags, rows with NULLs
  std::optional<RecordedError> error;  // thrown instead of an answer
};

[[nodiscard]] const char* call_kind_name(RecordedCall::Kind kind);  // "execute_timed", ...

struct Recording {
  std::vector<ServerInfo> servers;  // one per connection opened, in order
  std::vector<RecordedCall> calls;  // of every connection, in the order they were made
};

[[nodiscard]] std::string recording_to_json(const Recording& recording);
// `origin` names the file in errors; throws std::runtime_error on anything unexpected.
[[nodiscard]] Recording recording_from_json(const std::string& text, const std::string& origin);

}  // namespace sqlmeasure::testing
