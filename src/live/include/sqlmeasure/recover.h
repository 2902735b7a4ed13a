#pragma once
// `sqlmeasure recover`: putting back what a killed live compare left on a server, from its
// journal (sqlmeasure/journal.h): the recorded rollback (or the restored index
// visibility) applied, the schema checked against the recorded snapshot, the journal closed.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/server_state.h"

namespace sqlmeasure {

struct RecoverOutcome {
  ServerState server = ServerState::kUnknown;
  std::vector<std::string> events;
  std::optional<std::string> failure;  // exit 2: the schema still differs, or the undo failed
};

// `admin` says how to reach the server read-write (its database defaults to the journal's).
// Throws Error for what stops it before anything is done: an unreadable journal (65), a
// connection to another server or database than the journal's (64), no connection (2).
// `forget`: apply nothing, say what still differs from the snapshot, and close the journal —
// for when the user has put the schema back by hand (or another tool changed it since).
[[nodiscard]] RecoverOutcome recover_change(const std::string& journal_path,
                                            ConnectionOptions admin, const Connector& connect,
                                            const std::function<void(const std::string&)>& on_event,
                                            bool forget = false);

}  // namespace sqlmeasure
