#include "change_journal.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "sqlmeasure/error.h"
#include "sqlmeasure/timestamp.h"

namespace sqlmeasure {
namespace {

std::string machine_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

}  // namespace

ChangeJournal::ChangeJournal(Connection& admin, const std::string& endpoint,
                             const std::string& database, const SchemaChange& change,
                             const std::map<std::string, std::string>& snapshot,
                             const std::string& out_dir, EventLog& events) {
  journal_.created_at = utc_now(TimestampFormat::kIso8601);
  journal_.pid = static_cast<int>(::getpid());
  journal_.machine = machine_name();
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

void ChangeJournal::close(const std::string& because) {
  journal_.open = false;
  journal_.closed_because = because;
  for (const std::string& path : {machine_path_, out_dir_path_}) {
    try {
      write_journal(journal_, path);
    } catch (const Error&) {
      // An open journal left behind only makes the next run ask for a recover, which then
      // finds the schema as it was and closes it.
    }
  }
}

}  // namespace sqlmeasure
