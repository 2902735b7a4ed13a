// `:name` placeholders, found among the lexer's tokens so that one inside a string, a
// backtick or a comment is never substituted.
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/sql_statements.h"

namespace sqlmeasure {

// A ':' starts a placeholder when it is followed by [A-Za-z_] and not glued to what comes
// before: "::x" (a PostgreSQL-style cast), ":=" (assignment, as in @a:=1), and "a:b" or
// "12:30" (a ':' right after a letter, digit, '_' or '$') are not placeholders. The name is
// [A-Za-z_][A-Za-z0-9_]*.
std::vector<Placeholder> find_placeholders(std::string_view sql) {
  std::vector<Placeholder> placeholders;
  for (const SqlToken& token : tokenize_sql(sql)) {
    if (!token.is(':')) continue;
    const std::size_t colon = token.offset;
    if (colon > 0 && (sql[colon - 1] == ':' || is_ident_char(sql[colon - 1]))) continue;
    std::size_t end = colon + 1;
    if (end >= sql.size() || !(is_ascii_letter(sql[end]) || sql[end] == '_')) continue;
    while (end < sql.size() &&
           (is_ascii_letter(sql[end]) || is_sql_digit(sql[end]) || sql[end] == '_')) {
      ++end;
    }
    placeholders.push_back(
        {std::string(sql.substr(colon + 1, end - colon - 1)), colon, end - colon});
  }
  return placeholders;
}

}  // namespace sqlmeasure
