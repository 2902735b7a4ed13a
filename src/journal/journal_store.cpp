// Where journals live on this machine, and the check every command makes before it measures
// a server: no open journal for that server and database.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include "sqlmeasure/error.h"
#include "sqlmeasure/hash.h"
#include "sqlmeasure/journal.h"
#include "sqlmeasure/proc_stat.h"

namespace sqlmeasure {
namespace {

namespace fs = std::filesystem;

// A file name part from any text: letters, digits, '-', '_' kept, the rest as '_'.
std::string file_safe(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_';
    out += plain ? c : '_';
  }
  return out.substr(0, 64);
}

// DB-0123456789abcdef.json: the names journal_path() gives.
bool journal_file_name(const std::string& name, const std::string& prefix) {
  constexpr std::size_t kTail = 1 + 16 + 5;  // "-", the hash, ".json"
  if (name.size() <= kTail || !name.starts_with(prefix) || !name.ends_with(".json")) return false;
  const std::string hash = name.substr(name.size() - kTail + 1, 16);
  return name[name.size() - kTail] == '-' &&
         hash.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The database a journal file is about, as far as its name says (file_safe of it).
std::string name_prefix(const std::string& database) {
  return database.empty() ? "" : file_safe(database) + "-";
}

}  // namespace

std::string this_machine() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

std::string process_start_time(int pid) {
  const std::vector<std::string> fields = proc_stat_fields(pid);
  return fields.size() > 19 ? fields[19] : "";  // field 22, starttime
}

bool writer_running(const Journal& journal) {
  if (journal.pid <= 0 || journal.pid == static_cast<int>(::getpid())) return false;
  if (journal.machine != this_machine()) return false;  // the server's lock says (recover)
  if (::kill(journal.pid, 0) != 0 && errno != EPERM) return false;
  // Version 1 journals have no start time: a live pid is taken as the writer.
  return journal.process_start.empty() || process_start_time(journal.pid) == journal.process_start;
}

std::string ServerIdentity::key() const {
  return fmt::format("{}:{} {} server_id={}", hostname, port, datadir, server_id);
}

ServerIdentity read_server_identity(Connection& connection) {
  const ResultSet set = connection.query("SELECT @@hostname, @@port, @@datadir, @@server_id");
  ServerIdentity identity;
  if (!set.rows.empty() && set.rows[0].size() >= 4) {
    identity = {set.rows[0][0].value_or(""), set.rows[0][1].value_or(""),
                set.rows[0][2].value_or(""), set.rows[0][3].value_or("")};
  }
  return identity;
}

std::string journal_directory() {
  if (const char* dir = std::getenv("SQLMEASURE_JOURNAL_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  if (const char* state = std::getenv("XDG_STATE_HOME"); state != nullptr && *state == '/') {
    return std::string(state) + "/sqlmeasure/journals";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/') {
    std::error_code error;
    if (fs::is_directory(home, error))
      return std::string(home) + "/.local/state/sqlmeasure/journals";
  }
  return fmt::format("/tmp/sqlmeasure-{}/journals", ::getuid());
}

std::string journal_path(const ServerIdentity& server, const std::string& database) {
  return fmt::format("{}/{}-{:016x}.json", journal_directory(), file_safe(database),
                     mix64(stable_hash(server.key() + "\n" + database)));
}

std::vector<OpenJournal> open_journals_for(const std::string& database) {
  std::vector<OpenJournal> found;
  std::error_code error;
  const std::string prefix = name_prefix(database);
  for (const auto& entry : fs::directory_iterator(journal_directory(), error)) {
    const std::string name = entry.path().filename().string();
    if (!journal_file_name(name, prefix)) continue;
    const std::string path = entry.path().string();
    try {
      Journal journal = read_journal(path);
      if (journal.open && (database.empty() || journal.database == database)) {
        found.push_back({path, std::move(journal), ""});
      }
    } catch (const Error& damaged) {
      // A name only sqlmeasure gives, and no journal in it: it was one, and nothing says its
      // change was undone.
      found.push_back({path, std::nullopt, damaged.what()});
    }
  }
  std::sort(found.begin(), found.end(),
            [](const OpenJournal& a, const OpenJournal& b) { return a.path < b.path; });
  return found;
}

void refuse_if_unrecovered(Connection& connection, const std::string& database) {
  if (database.empty()) return;
  const std::vector<OpenJournal> candidates = open_journals_for(database);
  if (candidates.empty()) return;  // the common case: no query to the server at all
  const ServerIdentity server = read_server_identity(connection);
  for (const OpenJournal& open : candidates) {
    const std::string& path = open.path;
    if (!open.journal) {
      if (fs::path(path).filename() != fs::path(journal_path(server, database)).filename()) {
        continue;  // another server's
      }
      fail(ExitCode::kRuntime,
           fmt::format("{} is damaged ({}): it is the journal of a live compare on this server "
                       "and database {}, and what it recorded may still be applied. See what "
                       "can be done:\n  sqlmeasure recover --journal {} -D {}   (with this "
                       "command's connection flags)",
                       path, open.damage, database, path, database));
    }
    const Journal& journal = *open.journal;
    if (!(journal.server == server)) continue;
    if (writer_running(journal)) {
      fail(ExitCode::kRuntime,
           fmt::format("a live compare (pid {}, started {}) is measuring database {} on this "
                       "server with {} applied and undone in turn; wait for it to finish",
                       journal.pid, journal.created_at, journal.database, journal.change));
    }
    fail(ExitCode::kRuntime,
         fmt::format("{} on {} (database {}) may still be applied: a live compare started {} "
                     "(pid {}) did not finish undoing it. Put it back first:\n  sqlmeasure "
                     "recover --journal {}   (with this command's connection flags)",
                     journal.change, journal.endpoint, journal.database, journal.created_at,
                     journal.pid, path));
  }
}

}  // namespace sqlmeasure
