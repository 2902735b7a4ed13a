#pragma once
// Lexical helpers for SQL text: statement splitting, placeholders, and the read-only
// guard. They understand quotes, backticks, comments and MySQL executable comments, so
// a ';' or ':x' inside a string is never mistaken for syntax.
#include <string>
#include <string_view>
#include <vector>

#include "sqlmeasure/source_location.h"

namespace sqlmeasure {

struct SqlStatement {
  std::string text;       // trimmed, without the terminating ';'
  std::string name;       // from a preceding `-- name: x` comment, else empty
  SourceLocation where;   // where the statement's first token starts
};

// Splits a script on ';' outside quotes and comments. Empty statements are dropped.
// Throws Error(kBadInput) naming file:line:col for an unterminated quote or comment.
[[nodiscard]] std::vector<SqlStatement> split_statements(std::string_view script,
                                                         const std::string& file);

struct Placeholder {
  std::string name;
  size_t offset = 0;  // of the ':'
  size_t length = 0;  // including the ':'
};

// `:name` placeholders outside quotes and comments (`::` and `:=` are not placeholders).
[[nodiscard]] std::vector<Placeholder> find_placeholders(std::string_view sql);

// Why a statement could change data or take locks, or empty if it is a read.
// Checks the first keyword (also inside /*! */ and /*M! */ executable comments), write
// keywords anywhere, SELECT ... INTO, FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE, and
// a second statement after ';'.
[[nodiscard]] std::string why_not_read_only(std::string_view sql);

// The first keyword, upper-cased (executable comments are read as code).
[[nodiscard]] std::string first_keyword(std::string_view sql);

// One token of the lexer above, for tools that read SQL structure (index hints, ORDER BY,
// table references) without a second scanner.
struct SqlToken {
  enum class Kind {
    kWord,          // keyword or unquoted identifier
    kNumber,        // starts with a digit
    kString,        // '...' or "..."
    kQuotedIdent,   // `...`
    kComment,       // -- ..., # ..., /* ... */
    kExecOpen,      // /*!, /*!50000, /*M!, /*M!100100: what follows is code
    kExecClose,     // the */ that ends an executable comment
    kPunct,         // any other single byte: ; ( ) . : @ , = ...
    kUnterminated,  // a quote or comment that never closes; always the last token
  };
  Kind kind = Kind::kPunct;
  std::string_view text;  // a view into the SQL passed in
  size_t offset = 0;
  int line = 1;
  int column = 1;

  [[nodiscard]] bool is(char c) const {
    return kind == Kind::kPunct && text.size() == 1 && text[0] == c;
  }
  [[nodiscard]] size_t end() const { return offset + text.size(); }
};

// Every token of `sql`, comments included, in order. Never throws: an unterminated quote
// or comment is the last token, of kind kUnterminated.
[[nodiscard]] std::vector<SqlToken> tokenize_sql(std::string_view sql);

}  // namespace sqlmeasure
