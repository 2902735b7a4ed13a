// Where journals live on this machine, and the check every command makes before it measures
// a server: no open journal for that server and database.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "sqlmeasure/error.h"
#include "sqlmeasure/hash.h"
#include "sqlmeasure/journal.h"

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

std::uint64_t hash_text(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  return mix64(h);
}

}  // namespace

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
                     hash_text(server.key() + "\n" + database));
}

std::vector<std::string> open_journals_for(const std::string& database) {
  std::vector<std::string> found;
  std::error_code error;
  const std::string prefix = file_safe(database) + "-";
  for (const auto& entry : fs::directory_iterator(journal_directory(), error)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix) || !name.ends_with(".json")) continue;
    try {
      const Journal journal = read_journal(entry.path().string());
      if (journal.open && journal.database == database) found.push_back(entry.path().string());
    } catch (const Error&) {
      // Not a journal of ours: not this check's business.
    }
  }
  return found;
}

void refuse_if_unrecovered(Connection& connection, const std::string& database) {
  if (database.empty()) return;
  const std::vector<std::string> candidates = open_journals_for(database);
  if (candidates.empty()) return;  // the common case: no query to the server at all
  const ServerIdentity server = read_server_identity(connection);
  for (const std::string& path : candidates) {
    const Journal journal = read_journal(path);
    if (!(journal.server == server)) continue;
    fail(ExitCode::kRuntime,
         fmt::format("{} on {} (database {}) may still be applied: a live compare started {} "
                     "(pid {}) did not finish undoing it. Put it back first:\n  sqlmeasure "
                     "recover --journal {}   (with this command's connection flags)",
                     journal.change, journal.endpoint, journal.database, journal.created_at,
                     journal.pid, path));
  }
}

}  // namespace sqlmeasure
