// libFuzzer target: the SQL lexer behind split_statements, find_placeholders,
// why_not_read_only, first_keyword and tokenize_sql, on any bytes. Besides "no crash, no
// exception but sqlmeasure::Error from split_statements", it checks properties the rest of
// the tool relies on:
//   * placeholders and tokens lie inside the input, in order, never overlapping;
//   * the statements split out are substrings of the input, in order;
//   * a script the splitter cuts into one statement gets the same read-only verdict as
//     that statement (so a .sql screen and a .toml screen agree);
//   * a statement the guard accepts contains no refused keyword as its first keyword.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "sqlmeasure/error.h"
#include "sqlmeasure/sql_guard.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/sql_statements.h"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

bool is_write_keyword(const std::string& keyword) {
  static const char* const kWrites[] = {"INSERT", "UPDATE", "DELETE",   "REPLACE", "DROP",
                                        "ALTER",  "CREATE", "TRUNCATE", "CALL",    "LOCK",
                                        "SET",    "GRANT",  "LOAD",     "RENAME",  "HANDLER"};
  for (const char* write : kWrites) {
    if (keyword == write) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view sql(reinterpret_cast<const char*>(data), size);

  std::vector<sqlmeasure::SqlToken> tokens = sqlmeasure::tokenize_sql(sql);
  size_t previous_end = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const sqlmeasure::SqlToken& token = tokens[i];
    require(token.end() <= size);
    // An unclosed /*! ... is reported at its opener, which came before: the one token that
    // may point back.
    require(token.offset >= previous_end ||
            token.kind == sqlmeasure::SqlToken::Kind::kUnterminated);
    require(token.text.data() == sql.data() + token.offset);
    require(token.line >= 1 && token.column >= 1);
    require(token.kind != sqlmeasure::SqlToken::Kind::kUnterminated || i + 1 == tokens.size());
    previous_end = token.end();
  }

  size_t placeholder_end = 0;
  for (const sqlmeasure::Placeholder& placeholder : sqlmeasure::find_placeholders(sql)) {
    require(placeholder.offset >= placeholder_end);
    require(placeholder.offset + placeholder.length <= size);
    require(sql[placeholder.offset] == ':');
    require(placeholder.length == placeholder.name.size() + 1);
    require(sql.substr(placeholder.offset + 1, placeholder.name.size()) == placeholder.name);
    placeholder_end = placeholder.offset + placeholder.length;
  }

  const std::string reason = sqlmeasure::why_not_read_only(sql);
  const std::string keyword = sqlmeasure::first_keyword(sql);
  if (reason.empty()) require(!is_write_keyword(keyword));

  try {
    std::vector<sqlmeasure::SqlStatement> statements =
        sqlmeasure::split_statements(sql, "fuzz.sql");
    size_t from = 0;  // statements come in order: each is found after the one before
    for (const sqlmeasure::SqlStatement& statement : statements) {
      require(!statement.text.empty());
      from = sql.find(statement.text, from);
      require(from != std::string_view::npos);
      from += statement.text.size();
      require(statement.where.line >= 1 && statement.where.column >= 1);
      // The guard on a statement never throws, and is as strict on its own as in a .toml.
      (void)sqlmeasure::why_not_read_only(statement.text);
      (void)sqlmeasure::find_placeholders(statement.text);
    }
    if (statements.size() == 1 && reason.empty()) {
      require(sqlmeasure::why_not_read_only(statements[0].text).empty());
    }
  } catch (const sqlmeasure::Error& error) {
    require(error.code() == sqlmeasure::ExitCode::kBadInput);
    require(std::string_view(error.what()).starts_with("fuzz.sql:"));
  }
  return 0;
}
