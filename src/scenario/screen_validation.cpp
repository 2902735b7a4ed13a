#include "screen_validation.h"

#include <fmt/format.h>

#include <set>
#include <string_view>

#include "sqlmeasure/error.h"
#include "sqlmeasure/sql_guard.h"
#include "sqlmeasure/sql_statements.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

[[noreturn]] void bad(const SourceLocation& at, const std::string& message) {
  fail(ExitCode::kBadInput, at.str() + ": " + message);
}

// `modes`: how the SQL lexes on the server (the session's sql_mode); `assumed` says, in a
// refusal, that they are the default ones a file is loaded with.
void check_read_only(const Screen& screen, const Query& query, const std::string& sql,
                     const SourceLocation& at, const std::string& what, SqlModes modes) {
  std::string reason = why_not_read_only(sql, modes);
  if (reason.empty()) reason = writes_a_file_in_any_mode(sql);
  if (!reason.empty()) {
    bad(at, fmt::format("screen '{}', query '{}': {} is refused: {}. Scenario queries must be "
                        "read-only (write scenarios: --allow-writes)",
                        screen.name, query.name, what, reason));
  }
}

void check_rollbackable(const Screen& screen, const Query& query, SqlModes modes) {
  const std::string reason = why_not_rollbackable(query.sql, modes);
  if (!reason.empty()) {
    bad(query.where, fmt::format("screen '{}', query '{}': the SQL is refused even with "
                                 "--allow-writes: {}. Write scenarios run in a transaction "
                                 "that is always rolled back, so only INSERT, UPDATE, DELETE "
                                 "and REPLACE are accepted",
                                 screen.name, query.name, reason));
  }
}

// Every statement a screen sends — its queries and their `from` parameters — is a read (or,
// with --allow-writes, a write a ROLLBACK undoes) when lexed under `modes`.
void check_statements(const Screen& screen, bool allow_writes, SqlModes modes) {
  for (const Query& query : screen.queries) {
    if (allow_writes && !why_not_read_only(query.sql, modes).empty()) {
      check_rollbackable(screen, query, modes);
    } else {
      check_read_only(screen, query, query.sql, query.where, "the SQL", modes);
    }
    for (const auto& [name, spec] : query.params) {
      if (spec.from_sql) {
        check_read_only(screen, query, *spec.from_sql, spec.where,
                        "params." + printable(name) + ".from", modes);
      }
    }
  }
}

}  // namespace

void validate_screen(const Screen& screen, const LoadOptions& options) {
  SourceLocation file_start{screen.file, 1, 1};
  if (!is_valid_name(screen.name)) {
    bad(file_start, fmt::format("screen name '{}' must be 1-128 letters, digits, '_', '-' or '.'",
                                printable(screen.name)));
  }
  if (screen.queries.empty()) {
    bad(file_start, fmt::format("screen '{}' has no queries", screen.name));
  }
  std::set<std::string> names;
  for (const Query& query : screen.queries) {
    if (query.sql.size() > kStatementMaxBytes) {
      bad(query.where, fmt::format("the statement is {} MiB; a statement may be at most {} MiB "
                                   "(no page sends more)",
                                   query.sql.size() >> 20, kStatementMaxBytes >> 20));
    }
    if (!is_valid_name(query.name)) {
      bad(query.where, fmt::format("query name '{}' must be 1-128 letters, digits, '_', '-' or "
                                   "'.'",
                                   printable(query.name)));
    }
    if (!names.insert(query.name).second) {
      bad(query.where,
          fmt::format("screen '{}' has two queries named '{}'", screen.name, query.name));
    }
    if (query.sql.find_first_not_of(" \t\r\n") == std::string::npos) {
      bad(query.where, fmt::format("query '{}' has empty SQL", query.name));
    }
    std::set<std::string> used;
    for (const Placeholder& placeholder : find_placeholders(query.sql)) {
      used.insert(placeholder.name);
      if (query.params.count(placeholder.name) == 0) {
        bad(query.where,
            fmt::format("query '{}': placeholder :{} has no value (add params.{} = [...]{})",
                        query.name, placeholder.name, placeholder.name,
                        screen.file.ends_with(".sql") ? " in a .toml screen" : ""));
      }
    }
    for (const auto& [name, spec] : query.params) {
      if (used.count(name) == 0) {
        bad(spec.where, fmt::format("query '{}': params.{} is not used by the SQL (no :{})",
                                    query.name, printable(name), printable(name)));
      }
      if (spec.from_sql) {
        if (!find_placeholders(*spec.from_sql).empty()) {
          bad(spec.where, fmt::format("query '{}': params.{}.from cannot have placeholders",
                                      query.name, printable(name)));
        }
      }
    }
  }
  check_statements(screen, options.allow_writes, SqlModes{});
}

void check_screens_for_session(const std::vector<Screen>& screens, const std::string& sql_mode,
                               bool allow_writes) {
  const SqlModes modes = SqlModes::from_sql_mode(sql_mode);
  if (modes == SqlModes{}) return;  // what the loader already checked
  try {
    for (const Screen& screen : screens) check_statements(screen, allow_writes, modes);
  } catch (const Error& error) {
    fail(ExitCode::kBadInput,
         fmt::format("{} (the server's sql_mode lexes SQL with {}: a quote can end elsewhere "
                     "than in the file's default reading)",
                     error.what(), modes.describe()));
  }
}

}  // namespace sqlmeasure
