#include "sqlmeasure/sql_text.h"

#include <fmt/format.h>

#include <optional>

#include "sqlmeasure/error.h"
#include "sqlmeasure/text.h"

// One lexer serves all four functions, so they agree on what is a string, a comment or
// code. It follows the MySQL/MariaDB lexer with the default sql_mode (backslash escapes
// on; with ANSI_QUOTES a "..." is an identifier, which lexes the same way).
//
// Executable comments (/*! */, /*!50000 */, /*M! */, /*M!100100 */) are lexed as code,
// whatever their version: the server runs them, so the read-only guard must see inside,
// and a ';' inside one never ends a statement.

namespace sqlmeasure {
namespace {

enum class TokenKind {
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

struct Token {
  TokenKind kind = TokenKind::kPunct;
  std::string_view text;  // a view into the SQL; for kUnterminated, the opening quote or /*
  size_t offset = 0;
  int line = 1;
  int column = 1;
  // The opener (e.g. "/*!50000") of the executable comment this token is in, else empty.
  std::string_view executable_comment;

  [[nodiscard]] bool is(char c) const {
    return kind == TokenKind::kPunct && text.size() == 1 && text[0] == c;
  }
  [[nodiscard]] size_t end() const { return offset + text.size(); }
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// Bytes >= 0x80 are parts of UTF-8 identifiers, as in MySQL.
bool is_ident_char(char c) {
  return is_ascii_letter(c) || is_digit(c) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {
    // A UTF-8 byte order mark is not SQL; columns on line 1 count from after it.
    if (sql_.starts_with("\xEF\xBB\xBF")) pos_ = line_start_ = 3;
  }

  // The next token, or nothing at the end of the input.
  std::optional<Token> next() {
    while (pos_ < sql_.size() && is_space(sql_[pos_])) advance(1);
    if (done_) return std::nullopt;
    if (pos_ >= sql_.size()) {
      done_ = true;
      if (executable_comment_.empty()) return std::nullopt;
      Token unclosed = executable_open_;
      unclosed.kind = TokenKind::kUnterminated;
      return unclosed;
    }
    Token token;
    token.offset = pos_;
    token.line = line_;
    token.column = static_cast<int>(pos_ - line_start_ + 1);
    token.executable_comment = executable_comment_;
    token.kind = scan();
    token.text = sql_.substr(token.offset, pos_ - token.offset);
    if (token.kind == TokenKind::kExecOpen) {
      executable_comment_ = token.text;
      executable_open_ = token;
    } else if (token.kind == TokenKind::kExecClose) {
      executable_comment_ = {};
    } else if (token.kind == TokenKind::kUnterminated) {
      done_ = true;
      token.text = token.text.substr(0, token.text.starts_with("/*") ? 2 : 1);
    }
    return token;
  }

 private:
  // Consumes one token starting at pos_ and says what it was.
  TokenKind scan() {
    const char c = sql_[pos_];
    if (c == '\'' || c == '"') {
      return skip_quoted(c, /*backslash_escapes=*/true) ? TokenKind::kString
                                                        : TokenKind::kUnterminated;
    }
    if (c == '`') {
      return skip_quoted(c, /*backslash_escapes=*/false) ? TokenKind::kQuotedIdent
                                                         : TokenKind::kUnterminated;
    }
    if (c == '#' || starts_dash_comment()) {
      while (pos_ < sql_.size() && sql_[pos_] != '\n') advance(1);
      return TokenKind::kComment;
    }
    if (!executable_comment_.empty() && at("*/")) {
      advance(2);
      return TokenKind::kExecClose;
    }
    if (at("/*")) {
      if (executable_comment_.empty() && (at("/*!") || at("/*M!"))) {
        advance(at("/*!") ? 3 : 4);
        skip_version();
        return TokenKind::kExecOpen;
      }
      // Not nested: MySQL ends a comment at the first */, so "/* /* */" is one comment.
      size_t close = sql_.find("*/", pos_ + 2);
      if (close == std::string_view::npos) {
        advance(sql_.size() - pos_);
        return TokenKind::kUnterminated;
      }
      advance(close + 2 - pos_);
      return TokenKind::kComment;
    }
    if (is_ident_char(c)) {
      while (pos_ < sql_.size() && is_ident_char(sql_[pos_])) advance(1);
      return is_digit(c) ? TokenKind::kNumber : TokenKind::kWord;
    }
    advance(1);
    return TokenKind::kPunct;
  }

  // MySQL needs a space or control character (or the end) after "--", so 5--3 is 5 - -3.
  bool starts_dash_comment() const {
    if (!at("--")) return false;
    return pos_ + 2 == sql_.size() || static_cast<unsigned char>(sql_[pos_ + 2]) <= ' ';
  }

  // Returns false when the input ends before the closing quote.
  bool skip_quoted(char quote, bool backslash_escapes) {
    advance(1);
    while (pos_ < sql_.size()) {
      const char c = sql_[pos_];
      if (backslash_escapes && c == '\\') {
        advance(pos_ + 1 < sql_.size() ? 2 : 1);
        continue;
      }
      advance(1);
      if (c == quote) {
        if (pos_ < sql_.size() && sql_[pos_] == quote) {  // doubled: 'it''s'
          advance(1);
          continue;
        }
        return true;
      }
    }
    return false;
  }

  // The 5 or 6 digit server version of /*!50000 or /*M!100100.
  void skip_version() {
    size_t digits = 0;
    while (pos_ + digits < sql_.size() && is_digit(sql_[pos_ + digits])) ++digits;
    if (digits == 5 || digits == 6) advance(digits);
  }

  bool at(std::string_view text) const { return sql_.substr(pos_).starts_with(text); }

  void advance(size_t count) {
    for (size_t i = 0; i < count; ++i, ++pos_) {
      if (sql_[pos_] == '\n') {
        ++line_;
        line_start_ = pos_ + 1;
      }
    }
  }

  std::string_view sql_;
  size_t pos_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
  bool done_ = false;
  std::string_view executable_comment_;  // the opener while inside one
  Token executable_open_;
};

std::vector<Token> tokenize(std::string_view sql) {
  std::vector<Token> tokens;
  Lexer lexer(sql);
  while (std::optional<Token> token = lexer.next()) tokens.push_back(*token);
  return tokens;
}

// The tokens the server parses: comments and executable comment markers dropped, the
// contents of executable comments kept.
std::vector<Token> code_tokens(std::string_view sql) {
  std::vector<Token> code;
  for (const Token& token : tokenize(sql)) {
    if (token.kind != TokenKind::kComment && token.kind != TokenKind::kExecOpen &&
        token.kind != TokenKind::kExecClose) {
      code.push_back(token);
    }
  }
  return code;
}

// Index of the first code token that is not an opening parenthesis: "(SELECT ...".
size_t skip_open_parens(const std::vector<Token>& code) {
  size_t i = 0;
  while (i < code.size() && code[i].is('(')) ++i;
  return i;
}

// --- Unterminated quotes and comments ---

std::string_view unterminated_noun(const Token& token) {
  if (token.text.starts_with("/*!") || token.text.starts_with("/*M!")) {
    return "executable comment";
  }
  if (token.text.starts_with("/*")) return "comment";
  if (token.text.starts_with("`")) return "quoted identifier";
  return "string";
}

// The line holding the token and a caret under it, as compilers show it.
std::string excerpt(std::string_view sql, const Token& token) {
  const size_t line_start = token.offset - static_cast<size_t>(token.column - 1);
  size_t line_end = sql.find('\n', token.offset);
  if (line_end == std::string_view::npos) line_end = sql.size();
  std::string_view line = sql.substr(line_start, line_end - line_start);
  if (line.ends_with('\r')) line.remove_suffix(1);
  size_t caret = static_cast<size_t>(token.column - 1);
  constexpr size_t kWidth = 100;  // keep one-line dumps readable
  if (line.size() > kWidth) {
    const size_t from = caret > kWidth / 2 ? caret - kWidth / 2 : 0;
    line = line.substr(from, kWidth);
    caret -= from;
  }
  std::string pad;
  for (size_t i = 0; i < caret; ++i) pad += line[i] == '\t' ? '\t' : ' ';
  // Control bytes (a lone \r, a NUL, an escape sequence) would garble the terminal; one
  // space each keeps the caret under the right byte.
  std::string shown(line);
  for (char& c : shown) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) c = ' ';
  }
  return fmt::format("  {}\n  {}^", shown, pad);
}

[[noreturn]] void fail_unterminated(std::string_view sql, const std::string& file,
                                    const Token& token) {
  const SourceLocation where{file, token.line, token.column};
  const std::string_view closer = token.text.starts_with("/*") ? "*/" : token.text;
  fail(ExitCode::kBadInput,
       fmt::format("{}: unterminated {}: the {} here is never closed by {}\n{}", where.str(),
                   unterminated_noun(token), token.text, closer, excerpt(sql, token)));
}

// --- Statement names ---

// The name in a "-- name: xyz" comment, else empty.
std::string statement_name(std::string_view comment) {
  if (!comment.starts_with("--")) return "";
  comment.remove_prefix(2);
  auto trim_front = [&comment] {
    while (!comment.empty() && is_space(comment.front())) comment.remove_prefix(1);
  };
  trim_front();
  if (ascii_upper(comment.substr(0, 4)) != "NAME") return "";
  comment.remove_prefix(4);
  trim_front();
  if (!comment.starts_with(':')) return "";
  comment.remove_prefix(1);
  trim_front();
  while (!comment.empty() && is_space(comment.back())) comment.remove_suffix(1);
  return std::string(comment);
}

// --- Read-only guard ---

struct RefusedWord {
  std::string_view word;
  std::string_view shown_as;  // in the reason, if not the word itself
  std::string_view consequence;
};

constexpr RefusedWord kRefusedWords[] = {
    {"INSERT", "", "writes data"},
    {"UPDATE", "", "writes data"},
    {"DELETE", "", "writes data"},
    {"REPLACE", "", "writes data"},
    {"TRUNCATE", "", "writes data"},
    {"LOAD", "", "writes data"},
    {"DROP", "", "changes the schema"},
    {"ALTER", "", "changes the schema"},
    {"CREATE", "", "changes the schema"},
    {"RENAME", "", "changes the schema"},
    {"GRANT", "", "changes privileges"},
    {"REVOKE", "", "changes privileges"},
    {"LOCK", "", "takes table locks"},
    {"UNLOCK", "", "releases table locks"},
    {"CALL", "", "runs a stored procedure, which may write"},
    {"HANDLER", "", "keeps a table open across statements"},
    {"SET", "", "changes variables or settings"},
    {"INTO", "SELECT ... INTO", "writes a file or variables"},
    {"OUTFILE", "SELECT ... INTO OUTFILE", "writes a file"},
    {"DUMPFILE", "SELECT ... INTO DUMPFILE", "writes a file"},
};

constexpr std::string_view kReadKeywords[] = {"SELECT", "WITH", "VALUES",   "TABLE",
                                              "SHOW",   "DESC", "DESCRIBE", "EXPLAIN"};

struct Finding {
  std::string_view construct;  // "DELETE", "FOR UPDATE", "SELECT ... INTO"
  std::string_view consequence;
  const Token* token;
};

std::string describe(const Finding& finding) {
  if (finding.token->executable_comment.empty()) {
    return fmt::format("{} {}", finding.construct, finding.consequence);
  }
  return fmt::format("executable comment {} ... */ contains {}, which {}",
                     finding.token->executable_comment, finding.construct, finding.consequence);
}

std::string word_at(const std::vector<Token>& code, size_t i) {
  if (i >= code.size() || code[i].kind != TokenKind::kWord) return "";
  return ascii_upper(code[i].text);
}

// A word that names something rather than being a keyword: after a qualifying dot
// (t.update; MySQL reads any word there as an identifier), or glued to @ or : (the
// variable @delete, the placeholder :update).
bool is_name(std::string_view sql, const std::vector<Token>& code, size_t i) {
  const size_t offset = code[i].offset;
  if (offset > 0 && (sql[offset - 1] == '@' || sql[offset - 1] == ':')) return true;
  if (i < 2 || !code[i - 1].is('.')) return false;
  const TokenKind before_dot = code[i - 2].kind;
  return before_dot == TokenKind::kWord || before_dot == TokenKind::kQuotedIdent;
}

// What makes code[i] a write or a lock, if anything.
std::optional<Finding> refused_construct(std::string_view sql, const std::vector<Token>& code,
                                         size_t i) {
  if (code[i].kind != TokenKind::kWord || is_name(sql, code, i)) return std::nullopt;
  const Token* token = &code[i];
  const std::string word = ascii_upper(token->text);
  const std::string previous = i > 0 ? word_at(code, i - 1) : "";
  const bool called = i + 1 < code.size() && code[i + 1].is('(');

  if (word == "UPDATE" && previous == "FOR") return Finding{"FOR UPDATE", "takes row locks", token};
  if (word == "SHARE" && previous == "FOR") return Finding{"FOR SHARE", "takes row locks", token};
  if (word == "LOCK" && word_at(code, i + 1) == "IN") {
    return Finding{"LOCK IN SHARE MODE", "takes row locks", token};
  }
  // INSERT(str, pos, len, new), REPLACE(str, from, to) and TRUNCATE(x, d) are functions.
  if ((word == "INSERT" || word == "REPLACE" || word == "TRUNCATE") && called) return std::nullopt;
  if (word == "SET" && previous == "CHARACTER")
    return std::nullopt;  // CAST(x AS CHAR CHARACTER SET cs)
  if (word == "CREATE" && previous == "SHOW") return std::nullopt;  // SHOW CREATE TABLE reads
  for (const RefusedWord& refused : kRefusedWords) {
    if (refused.word == word) {
      return Finding{refused.shown_as.empty() ? refused.word : refused.shown_as,
                     refused.consequence, token};
    }
  }
  return std::nullopt;
}
}  // namespace

std::vector<SqlStatement> split_statements(std::string_view script, const std::string& file) {
  std::vector<SqlStatement> statements;
  // The statement being collected: its first and last code token, and a name from the
  // comments before it.
  std::optional<Token> first;
  size_t end = 0;
  bool has_content = false;  // more than empty /*! */ markers
  std::string name;
  auto finish = [&] {
    if (first && has_content) {
      statements.push_back({std::string(script.substr(first->offset, end - first->offset)), name,
                            SourceLocation{file, first->line, first->column}});
    }
    first.reset();
    has_content = false;
    name.clear();
  };
  for (const Token& token : tokenize(script)) {
    if (token.kind == TokenKind::kUnterminated) fail_unterminated(script, file, token);
    if (token.kind == TokenKind::kComment) {
      // Only leading comments can name a statement; interior ones stay in the text.
      if (!first) {
        if (std::string named = statement_name(token.text); !named.empty()) name = named;
      }
      continue;
    }
    if (token.is(';') && token.executable_comment.empty()) {
      finish();
      continue;
    }
    if (!first) first = token;
    end = token.end();  // so trailing comments are left out of the text
    if (token.kind != TokenKind::kExecOpen && token.kind != TokenKind::kExecClose) {
      has_content = true;
    }
  }
  finish();
  return statements;
}

// A ':' starts a placeholder when it is followed by [A-Za-z_] and not glued to what comes
// before: "::x" (a PostgreSQL-style cast), ":=" (assignment, as in @a:=1), and "a:b" or
// "12:30" (a ':' right after a letter, digit, '_' or '$') are not placeholders. The name is
// [A-Za-z_][A-Za-z0-9_]*. Strings, backticks and comments are skipped by the lexer.
std::vector<Placeholder> find_placeholders(std::string_view sql) {
  std::vector<Placeholder> placeholders;
  for (const Token& token : tokenize(sql)) {
    if (!token.is(':')) continue;
    const size_t colon = token.offset;
    if (colon > 0 && (sql[colon - 1] == ':' || is_ident_char(sql[colon - 1]))) continue;
    size_t end = colon + 1;
    if (end >= sql.size() || !(is_ascii_letter(sql[end]) || sql[end] == '_')) continue;
    while (end < sql.size() &&
           (is_ascii_letter(sql[end]) || is_digit(sql[end]) || sql[end] == '_')) {
      ++end;
    }
    placeholders.push_back(
        {std::string(sql.substr(colon + 1, end - colon - 1)), colon, end - colon});
  }
  return placeholders;
}

std::vector<SqlToken> tokenize_sql(std::string_view sql) {
  std::vector<SqlToken> tokens;
  for (const Token& token : tokenize(sql)) {
    SqlToken out;
    switch (token.kind) {
      case TokenKind::kWord: out.kind = SqlToken::Kind::kWord; break;
      case TokenKind::kNumber: out.kind = SqlToken::Kind::kNumber; break;
      case TokenKind::kString: out.kind = SqlToken::Kind::kString; break;
      case TokenKind::kQuotedIdent: out.kind = SqlToken::Kind::kQuotedIdent; break;
      case TokenKind::kComment: out.kind = SqlToken::Kind::kComment; break;
      case TokenKind::kExecOpen: out.kind = SqlToken::Kind::kExecOpen; break;
      case TokenKind::kExecClose: out.kind = SqlToken::Kind::kExecClose; break;
      case TokenKind::kPunct: out.kind = SqlToken::Kind::kPunct; break;
      case TokenKind::kUnterminated: out.kind = SqlToken::Kind::kUnterminated; break;
    }
    out.text = token.text;
    out.offset = token.offset;
    out.line = token.line;
    out.column = token.column;
    tokens.push_back(out);
  }
  return tokens;
}

std::string first_keyword(std::string_view sql) {
  const std::vector<Token> code = code_tokens(sql);
  return word_at(code, skip_open_parens(code));
}

std::string why_not_read_only(std::string_view sql) {
  const std::vector<Token> code = code_tokens(sql);
  if (!code.empty() && code.back().kind == TokenKind::kUnterminated) {
    const Token& open = code.back();
    return fmt::format("unterminated {} (the {} at line {} col {} of the SQL is never closed)",
                       unterminated_noun(open), open.text, open.line, open.column);
  }

  const size_t lead = skip_open_parens(code);
  if (lead == code.size()) return "no SQL statement";
  const std::string keyword = word_at(code, lead);
  bool is_read = false;
  for (std::string_view read : kReadKeywords) is_read = is_read || keyword == read;
  if (!is_read) {
    if (std::optional<Finding> finding = refused_construct(sql, code, lead)) {
      return describe(*finding);
    }
    if (keyword.empty())
      return fmt::format("does not start with a keyword but with {}", printable(code[lead].text));
    return fmt::format(
        "{} is not a read (reads start with SELECT, WITH, VALUES, TABLE, SHOW, "
        "DESC, DESCRIBE or EXPLAIN)",
        printable(keyword));
  }

  for (size_t i = 0; i < code.size(); ++i) {
    if (code[i].is(';')) {
      // A lone trailing ';' is fine; anything after it would run as a second statement.
      for (size_t j = i + 1; j < code.size(); ++j) {
        if (!code[j].is(';')) {
          return fmt::format("more than one statement (a second one starts at line {} col {} of the SQL)",
                             code[j].line, code[j].column);
        }
      }
      break;
    }
    if (std::optional<Finding> finding = refused_construct(sql, code, i)) {
      return describe(*finding);
    }
  }
  return "";
}

}  // namespace sqlmeasure
