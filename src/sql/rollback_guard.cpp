// Write scenarios (--allow-writes): measuring what an index costs an INSERT. Each execution
// runs inside a transaction that is always rolled back, so only statements a ROLLBACK can
// undo are accepted.
#include <fmt/format.h>

#include <set>

#include "sqlmeasure/sql_guard.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// Statements MySQL/MariaDB commit implicitly, or that a ROLLBACK cannot take back.
const std::set<std::string, std::less<>> kNotUndoable = {
    "CREATE",   "ALTER",   "DROP",     "RENAME",   "TRUNCATE",  "GRANT",     "REVOKE",  "UNLOCK",
    "BEGIN",    "COMMIT",  "ROLLBACK", "START",    "SAVEPOINT", "RELEASE",   "CALL",    "LOAD",
    "FLUSH",    "ANALYZE", "OPTIMIZE", "REPAIR",   "INSTALL",   "UNINSTALL", "HANDLER", "OUTFILE",
    "DUMPFILE", "XA",      "KILL",     "SHUTDOWN", "PURGE",     "RESET",     "CHANGE",  "CACHE"};

const std::set<std::string, std::less<>> kWrites = {"INSERT", "UPDATE", "DELETE", "REPLACE"};

// Why the word at code[i] (not the first) cannot be rolled back, or empty.
std::string why_word_not_undoable(const std::vector<SqlToken>& code, std::size_t i) {
  if (code[i].kind != SqlToken::Kind::kWord) return "";
  if (i > 0 && code[i - 1].is('.')) return "";  // t.drop names a column
  const std::string word = ascii_upper(code[i].text);
  const bool function_call = i + 1 < code.size() && code[i + 1].is('(');
  if (kNotUndoable.contains(word) && !function_call) {
    return fmt::format(
        "{} cannot be rolled back (it commits implicitly or acts outside the transaction)", word);
  }
  if (word == "LOCK" && keyword_at(code, i + 1) != "IN") return "LOCK TABLES commits implicitly";
  return "";
}

}  // namespace

std::string why_not_rollbackable(std::string_view sql, SqlModes modes) {
  const std::vector<SqlToken> code = code_tokens(sql, modes);
  if (!code.empty() && code.back().kind == SqlToken::Kind::kUnterminated) {
    return "an unterminated quote or comment";
  }
  std::size_t first = 0;
  while (first < code.size() && code[first].kind != SqlToken::Kind::kWord) {
    if (code[first].is(';')) break;
    ++first;
  }
  if (first == code.size() || code[first].is(';')) return "no SQL statement";
  const std::string keyword = ascii_upper(code[first].text);
  if (!kWrites.contains(keyword)) {
    return fmt::format("{} is not an INSERT, UPDATE, DELETE or REPLACE", keyword);
  }
  for (std::size_t i = first + 1; i < code.size(); ++i) {
    if (code[i].is(';')) {
      for (std::size_t j = i + 1; j < code.size(); ++j) {
        if (!code[j].is(';')) {
          return fmt::format("more than one statement (a second one starts at line {} col {})",
                             code[j].line, code[j].column);
        }
      }
      break;
    }
    if (std::string reason = why_word_not_undoable(code, i); !reason.empty()) return reason;
  }
  return "";
}

}  // namespace sqlmeasure
