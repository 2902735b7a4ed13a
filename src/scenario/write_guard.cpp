#include "scenario/write_guard.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "sqlmeasure/sql_text.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {


// Statements MySQL/MariaDB commit implicitly, or that a ROLLBACK cannot take back.
const std::set<std::string> kNotUndoable = {
    "CREATE",  "ALTER",   "DROP",    "RENAME",    "TRUNCATE", "GRANT",   "REVOKE",
    "UNLOCK",  "BEGIN",   "COMMIT",  "ROLLBACK",  "START",    "SAVEPOINT", "RELEASE",
    "CALL",    "LOAD",    "FLUSH",   "ANALYZE",   "OPTIMIZE", "REPAIR",  "INSTALL",
    "UNINSTALL", "HANDLER", "OUTFILE", "DUMPFILE", "XA",      "KILL",    "SHUTDOWN",
    "PURGE",   "RESET",   "CHANGE",  "CACHE"};

}  // namespace

std::string why_not_rollbackable(std::string_view sql) {
  std::vector<SqlToken> tokens = tokenize_sql(sql);
  std::string first;
  bool after_dot = false;
  bool seen_end = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const SqlToken& token = tokens[i];
    if (token.kind == SqlToken::Kind::kUnterminated) return "an unterminated quote or comment";
    if (token.kind == SqlToken::Kind::kComment || token.kind == SqlToken::Kind::kExecOpen ||
        token.kind == SqlToken::Kind::kExecClose) {
      continue;
    }
    if (seen_end) {
      return fmt::format("more than one statement (a second one starts at line {} col {})",
                         token.line, token.column);
    }
    if (token.is(';')) {
      seen_end = true;
      continue;
    }
    if (token.kind != SqlToken::Kind::kWord) {
      after_dot = token.is('.');
      continue;
    }
    std::string word = ascii_upper(token.text);
    bool is_name = after_dot;
    after_dot = false;
    if (first.empty()) {
      first = word;
      static const std::set<std::string> kWrites = {"INSERT", "UPDATE", "DELETE", "REPLACE"};
      if (kWrites.count(first) == 0) {
        return fmt::format("{} is not an INSERT, UPDATE, DELETE or REPLACE", first);
      }
      continue;
    }
    if (is_name) continue;
    bool function_call = i + 1 < tokens.size() && tokens[i + 1].is('(');
    if (kNotUndoable.count(word) != 0 && !function_call) {
      return fmt::format("{} cannot be rolled back (it commits implicitly or acts outside the "
                         "transaction)",
                         word);
    }
    if (word == "LOCK") {
      bool in_share_mode = i + 2 < tokens.size() && ascii_upper(tokens[i + 2].text) == "IN";
      if (!in_share_mode) return "LOCK TABLES commits implicitly";
    }
  }
  if (first.empty()) return "no SQL statement";
  return "";
}

}  // namespace sqlmeasure
