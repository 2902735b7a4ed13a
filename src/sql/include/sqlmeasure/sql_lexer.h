#pragma once
// The one SQL lexer. Every module that reads SQL — statement splitting, placeholders, the
// read-only and rollback guards, the migration classifier, the advisor's query shape — reads
// these tokens, so they all agree on what is a string, a comment or code.
//
// It follows the MySQL/MariaDB lexer under the quoting modes of a session's sql_mode: by
// default backslashes escape in strings and "..." is a string; NO_BACKSLASH_ESCAPES and
// ANSI_QUOTES change both, and with them where a string ends. Executable comments
// (/*! */, /*!50000 */, /*M! */, /*M!100100 */) are lexed as code whatever their version:
// the server runs them, so the guards must see inside, and a ';' inside one never ends a
// statement.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sqlmeasure {

// The parts of sql_mode that change how SQL lexes.
struct SqlModes {
  bool backslash_escapes = true;  // off with NO_BACKSLASH_ESCAPES
  bool ansi_quotes = false;       // "..." is an identifier (ANSI_QUOTES, or ANSI)
  bool operator==(const SqlModes&) const = default;
  // From @@sql_mode: "STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES,...".
  [[nodiscard]] static SqlModes from_sql_mode(std::string_view sql_mode);
  [[nodiscard]] std::string describe() const;  // "the default quoting", "ANSI_QUOTES", ...
};

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
  std::string_view text;  // a view into the SQL; for kUnterminated, the opening quote or /*
  std::size_t offset = 0;
  int line = 1;
  int column = 1;
  // The opener (e.g. "/*!50000") of the executable comment this token is in, else empty.
  std::string_view executable_comment;

  [[nodiscard]] bool is(char c) const {
    return kind == Kind::kPunct && text.size() == 1 && text[0] == c;
  }
  // A keyword (or unquoted identifier) spelled `upper_word` in any case.
  [[nodiscard]] bool is_word(std::string_view upper_word) const;
  [[nodiscard]] std::size_t end() const { return offset + text.size(); }
};

// Every token of `sql`, comments included, in order. Never throws: an unterminated quote
// or comment is the last token, of kind kUnterminated.
[[nodiscard]] std::vector<SqlToken> tokenize_sql(std::string_view sql, SqlModes modes = {});

// The tokens the server parses: comments and executable comment markers dropped, the
// contents of executable comments kept (an unterminated token stays, last).
[[nodiscard]] std::vector<SqlToken> code_tokens(std::string_view sql, SqlModes modes = {});

// A word token upper-cased, or empty for any other token (or past the end).
[[nodiscard]] std::string keyword_at(const std::vector<SqlToken>& code, std::size_t i);

// An identifier's name: `a``b` -> a`b; a word as written.
[[nodiscard]] std::string identifier_name(const SqlToken& token);
// The inverse, for SQL we build: a`b -> `a``b`, always in backticks.
[[nodiscard]] std::string quote_identifier(std::string_view name);
// `name` as SQL: bare when it is a plain, non-reserved identifier, else in backticks (as
// PostgreSQL's quote_ident): for SQL a person reads, such as the fixes `indexes` proposes.
[[nodiscard]] std::string quote_ident(std::string_view name);
[[nodiscard]] bool is_identifier(const SqlToken& token);

// Index of the first token that is not an opening parenthesis: "(SELECT ...".
[[nodiscard]] std::size_t skip_open_parens(const std::vector<SqlToken>& code);

// What an unterminated token failed to close: "string", "quoted identifier", "comment" or
// "executable comment".
[[nodiscard]] std::string_view unterminated_noun(const SqlToken& token);

// Byte classes as the server's lexer sees them (bytes >= 0x80 are parts of UTF-8
// identifiers, as in MySQL).
[[nodiscard]] constexpr bool is_sql_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
[[nodiscard]] constexpr bool is_sql_digit(char c) { return c >= '0' && c <= '9'; }
[[nodiscard]] constexpr bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
[[nodiscard]] constexpr bool is_ident_char(char c) {
  return is_ascii_letter(c) || is_sql_digit(c) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace sqlmeasure
