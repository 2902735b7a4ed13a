#pragma once
// SQL scripts as statements, and the `:name` placeholders inside one, read with the lexer of
// sql_lexer.h: a ';' or ':x' inside a string or comment is never mistaken for syntax.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sqlmeasure/source_location.h"

namespace sqlmeasure {

struct SqlStatement {
  std::string text;      // trimmed, without the terminating ';'
  std::string name;      // from a preceding `-- name: x` comment, else empty
  SourceLocation where;  // where the statement's first token starts
};

// Splits a script on ';' outside quotes and comments. Empty statements are dropped.
// Throws Error(kBadInput) naming file:line:col for an unterminated quote or comment.
[[nodiscard]] std::vector<SqlStatement> split_statements(std::string_view script,
                                                         const std::string& file);

struct Placeholder {
  std::string name;
  std::size_t offset = 0;  // of the ':'
  std::size_t length = 0;  // including the ':'
};

// `:name` placeholders outside quotes and comments (`::` and `:=` are not placeholders).
[[nodiscard]] std::vector<Placeholder> find_placeholders(std::string_view sql);

// The first keyword, upper-cased (executable comments are read as code, and leading
// parentheses skipped).
[[nodiscard]] std::string first_keyword(std::string_view sql);

}  // namespace sqlmeasure
