#include "change_journal.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "sqlmeasure/error.h"
#include "sqlmeasure/timestamp.h"

namespace sqlmeasure {

ChangeJournal::ChangeJournal(Connection& admin, const std::string& endpoint,
                             const std::string& database, const SchemaChange& change,
                             const std::map<std::string, std::string>& snapshot,
                             const std::string& out_dir, EventLog& events) {
  journal_.created_at = utc_now(TimestampFormat::kIso8601);
  journal_.pid = static_cast<int>(::getpid());
  journal_.machine = this_machine();
  journal_.process_start = process_start_time(journal_.pid);
  journal_.server = read_server_identity(admin);
  journal_.endpoint = endpoint;
  journal_.database = database;
  journal_.change = change.description;
  journal_.apply = change.apply;
  journal_.undo = change.undo;
  journal_.snapshot = snapshot;
  journal_.out_dir = out_dir;
  machine_path_ = journal_path(journal_.server, database);
  out_dir_path_ = (std::filesystem::path(out_dir) / "journal.json").string();
  try {
    std::filesystem::create_directories(std::filesystem::path(machine_path_).parent_path());
    write_journal(journal_, machine_path_);
    write_journal(journal_, out_dir_path_);
  } catch (const std::exception& error) {
    fail(ExitCode::kRuntime,
         fmt::format("cannot write the journal that would let a killed run be put back ({}); "
                     "set SQLMEASURE_JOURNAL_DIR to a writable directory",
                     error.what()));
  }
  events.say(
      fmt::format("journal: {} (and {}); if this run is killed, put the server back with: "
                  "sqlmeasure recover --journal {}",
                  machine_path_, out_dir_path_, machine_path_));
}

std::optional<std::string> ChangeJournal::close(const std::string& because) {
  journal_.open = false;
  journal_.closed_because = because;
  try {
    write_journal(journal_, out_dir_path_);
  } catch (const Error&) {
    // The out-dir copy is for a thrown-away CI runner; the machine's copy is what counts.
  }
  try {
    write_journal(journal_, machine_path_);
  } catch (const Error& error) {
    return error.what();
  }
  return std::nullopt;
}

std::optional<std::string> ChangeJournal::taken_away() const {
  try {
    const Journal now = read_journal(machine_path_);
    if (now.open && now.pid == journal_.pid && now.created_at == journal_.created_at) {
      return std::nullopt;
    }
    return now.open
               ? fmt::format("{} now belongs to another run (pid {})", machine_path_, now.pid)
               : fmt::format("{} was closed meanwhile ({})", machine_path_, now.closed_because);
  } catch (const Error& error) {
    return error.what();
  }
}

}  // namespace sqlmeasure
