#pragma once
// The journal of one live compare (sqlmeasure/journal.h): written to this machine's
// journal directory and to the out-dir before the first change, closed once the change is
// undone and verified (or kept on purpose). Private to src/live/.
#include <map>
#include <optional>
#include <string>

#include "event_log.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/journal.h"
#include "sqlmeasure/schema_change.h"

namespace sqlmeasure {

class ChangeJournal {
 public:
  // Writes both copies and says how to recover; throws Error (nothing was changed yet) when
  // either cannot be written.
  ChangeJournal(Connection& admin, const std::string& endpoint, const std::string& database,
                const SchemaChange& change, const std::map<std::string, std::string>& snapshot,
                const std::string& out_dir, EventLog& events);

  // Marks both copies closed: nothing is left to put back. Returns why the machine's copy
  // could not be closed (a full disk, a directory gone): the next run would refuse, wrongly.
  [[nodiscard]] std::optional<std::string> close(const std::string& because);

  // Before each apply: why the machine's copy is no longer this run's open journal (closed
  // by a `recover` meanwhile, removed, damaged), or nothing. Applying again then would leave
  // a change no journal records.
  [[nodiscard]] std::optional<std::string> taken_away() const;

  [[nodiscard]] const std::string& machine_path() const { return machine_path_; }

 private:
  Journal journal_;
  std::string machine_path_, out_dir_path_;
};

}  // namespace sqlmeasure
