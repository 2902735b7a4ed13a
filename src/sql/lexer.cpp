#include <optional>

#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

using Kind = SqlToken::Kind;

class Lexer {
 public:
  Lexer(std::string_view sql, SqlModes modes) : sql_(sql), modes_(modes) {
    // A UTF-8 byte order mark is not SQL; columns on line 1 count from after it.
    if (sql_.starts_with("\xEF\xBB\xBF")) pos_ = line_start_ = 3;
  }

  // The next token, or nothing at the end of the input.
  std::optional<SqlToken> next() {
    while (pos_ < sql_.size() && is_sql_space(sql_[pos_])) advance(1);
    if (done_) return std::nullopt;
    if (pos_ >= sql_.size()) {
      done_ = true;
      if (executable_comment_.empty()) return std::nullopt;
      SqlToken unclosed = executable_open_;
      unclosed.kind = Kind::kUnterminated;
      return unclosed;
    }
    SqlToken token;
    token.offset = pos_;
    token.line = line_;
    token.column = static_cast<int>(pos_ - line_start_ + 1);
    token.executable_comment = executable_comment_;
    token.kind = scan();
    token.text = sql_.substr(token.offset, pos_ - token.offset);
    if (token.kind == Kind::kExecOpen) {
      executable_comment_ = token.text;
      executable_open_ = token;
    } else if (token.kind == Kind::kExecClose) {
      executable_comment_ = {};
    } else if (token.kind == Kind::kUnterminated) {
      done_ = true;
      token.text = token.text.substr(0, token.text.starts_with("/*") ? 2 : 1);
    }
    return token;
  }

 private:
  // Consumes one token starting at pos_ and says what it was.
  Kind scan() {
    const char c = sql_[pos_];
    if (c == '"' && modes_.ansi_quotes) {
      return skip_quoted(c, /*backslash_escapes=*/false) ? Kind::kQuotedIdent : Kind::kUnterminated;
    }
    if (c == '\'' || c == '"') {
      return skip_quoted(c, modes_.backslash_escapes) ? Kind::kString : Kind::kUnterminated;
    }
    if (c == '`') {
      return skip_quoted(c, /*backslash_escapes=*/false) ? Kind::kQuotedIdent : Kind::kUnterminated;
    }
    if (c == '#' || starts_dash_comment()) {
      while (pos_ < sql_.size() && sql_[pos_] != '\n') advance(1);
      return Kind::kComment;
    }
    if (!executable_comment_.empty() && at("*/")) {
      advance(2);
      return Kind::kExecClose;
    }
    if (at("/*")) return scan_comment();
    if (is_ident_char(c)) {
      while (pos_ < sql_.size() && is_ident_char(sql_[pos_])) advance(1);
      return is_sql_digit(c) ? Kind::kNumber : Kind::kWord;
    }
    advance(1);
    return Kind::kPunct;
  }

  Kind scan_comment() {
    if (executable_comment_.empty() && (at("/*!") || at("/*M!"))) {
      advance(at("/*!") ? 3 : 4);
      skip_version();
      return Kind::kExecOpen;
    }
    // Not nested: MySQL ends a comment at the first */, so "/* /* */" is one comment.
    const std::size_t close = sql_.find("*/", pos_ + 2);
    if (close == std::string_view::npos) {
      advance(sql_.size() - pos_);
      return Kind::kUnterminated;
    }
    advance(close + 2 - pos_);
    return Kind::kComment;
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
    std::size_t digits = 0;
    while (pos_ + digits < sql_.size() && is_sql_digit(sql_[pos_ + digits])) ++digits;
    if (digits == 5 || digits == 6) advance(digits);
  }

  bool at(std::string_view text) const { return sql_.substr(pos_).starts_with(text); }

  void advance(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i, ++pos_) {
      if (sql_[pos_] == '\n') {
        ++line_;
        line_start_ = pos_ + 1;
      }
    }
  }

  std::string_view sql_;
  SqlModes modes_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::size_t line_start_ = 0;
  bool done_ = false;
  std::string_view executable_comment_;  // the opener while inside one
  SqlToken executable_open_;
};

}  // namespace

bool SqlToken::is_word(std::string_view upper_word) const {
  return kind == Kind::kWord && iequals(text, upper_word);
}

SqlModes SqlModes::from_sql_mode(std::string_view sql_mode) {
  SqlModes modes;
  std::size_t start = 0;
  while (start <= sql_mode.size()) {
    std::size_t comma = sql_mode.find(',', start);
    if (comma == std::string_view::npos) comma = sql_mode.size();
    const std::string mode = ascii_upper(sql_mode.substr(start, comma - start));
    if (mode == "NO_BACKSLASH_ESCAPES") modes.backslash_escapes = false;
    if (mode == "ANSI_QUOTES" || mode == "ANSI") modes.ansi_quotes = true;
    start = comma + 1;
  }
  return modes;
}

std::string SqlModes::describe() const {
  if (*this == SqlModes{}) return "the default quoting (backslash escapes, \"...\" strings)";
  std::string text;
  if (!backslash_escapes) text = "NO_BACKSLASH_ESCAPES";
  if (ansi_quotes) text += std::string(text.empty() ? "" : ", ") + "ANSI_QUOTES";
  return text;
}

std::vector<SqlToken> tokenize_sql(std::string_view sql, SqlModes modes) {
  std::vector<SqlToken> tokens;
  tokens.reserve(sql.size() / 6 + 4);  // about one token per 6 bytes of SQL: few reallocations
  Lexer lexer(sql, modes);
  while (std::optional<SqlToken> token = lexer.next()) tokens.push_back(*token);
  return tokens;
}

std::vector<SqlToken> code_tokens(std::string_view sql, SqlModes modes) {
  std::vector<SqlToken> code;
  for (const SqlToken& token : tokenize_sql(sql, modes)) {
    if (token.kind != Kind::kComment && token.kind != Kind::kExecOpen &&
        token.kind != Kind::kExecClose) {
      code.push_back(token);
    }
  }
  return code;
}

std::string keyword_at(const std::vector<SqlToken>& code, std::size_t i) {
  if (i >= code.size() || code[i].kind != Kind::kWord) return "";
  return ascii_upper(code[i].text);
}

std::string identifier_name(const SqlToken& token) {
  if (token.kind != Kind::kQuotedIdent) return std::string(token.text);
  std::string out;
  const std::string_view inner = token.text.substr(1, token.text.size() - 2);
  for (std::size_t i = 0; i < inner.size(); ++i) {
    out += inner[i];
    if (inner[i] == '`' && i + 1 < inner.size() && inner[i + 1] == '`') ++i;
  }
  return out;
}

std::string quote_identifier(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

bool is_identifier(const SqlToken& token) {
  return token.kind == Kind::kWord || token.kind == Kind::kQuotedIdent;
}

std::size_t skip_open_parens(const std::vector<SqlToken>& code) {
  std::size_t i = 0;
  while (i < code.size() && code[i].is('(')) ++i;
  return i;
}

std::string_view unterminated_noun(const SqlToken& token) {
  if (token.text.starts_with("/*!") || token.text.starts_with("/*M!")) {
    return "executable comment";
  }
  if (token.text.starts_with("/*")) return "comment";
  if (token.text.starts_with("`")) return "quoted identifier";
  return "string";
}

}  // namespace sqlmeasure
