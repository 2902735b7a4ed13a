#include "statement_template.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

using Kind = SqlToken::Kind;

bool is_hint_comment(const SqlToken& token) {
  return token.kind == Kind::kComment && token.text.starts_with("/*+");
}

// A literal a scenario can hold as a parameter value: a number, or a string that is UTF-8.
// Hex and bit literals (0x.., X'..', b'..') and strings of other bytes stay in the SQL.
bool is_number_literal(const SqlToken& token) {
  if (token.kind != Kind::kNumber) return false;
  const std::string_view text = token.text;
  if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'b')) return false;
  for (char c : text) {
    if (!(is_sql_digit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
      return false;
    }
  }
  return true;
}

// 0x1F or X'1F' (x'1f'): hex digits, bytes.
bool is_hex_literal(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    const std::string_view digits = text.substr(2);
    return std::all_of(digits.begin(), digits.end(), [](char c) {
      return is_sql_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
  }
  return text.size() >= 3 && (text[0] == 'X' || text[0] == 'x') && text[1] == '\'' &&
         text.back() == '\'' && is_hex_bytes(text.substr(2, text.size() - 3));
}

// The string a quoted literal stands for (default quoting: '' or \' inside, backslash escapes).
std::string string_value(std::string_view quoted) {
  std::string value;
  const char quote = quoted.front();
  for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
    const char c = quoted[i];
    if (c == '\\' && i + 2 < quoted.size()) {
      const char next = quoted[++i];
      switch (next) {
        case 'n':
          value += '\n';
          break;
        case 't':
          value += '\t';
          break;
        case 'r':
          value += '\r';
          break;
        case '0':
          value += '\0';
          break;
        case 'Z':
          value += '\x1a';
          break;
        case 'b':
          value += '\b';
          break;
        case '%':
        case '_':
          value += '\\';  // LIKE's escapes keep their backslash
          value += next;
          break;
        default:
          value += next;
      }
    } else if (c == quote && i + 2 < quoted.size() && quoted[i + 1] == quote) {
      value += quote;
      ++i;
    } else {
      value += c;
    }
  }
  return value;
}

// A placeholder name from a column name: [a-z0-9_], not starting with a digit.
std::string name_from(std::string_view column) {
  std::string name;
  for (char c : ascii_lower(column)) {
    name += (is_ascii_letter(c) || is_sql_digit(c) || c == '_') ? c : '_';
  }
  if (name.empty() || is_sql_digit(name[0])) name = "c_" + name;
  return name;
}

class Templater {
 public:
  explicit Templater(std::string_view sql) : sql_(sql) {
    for (const SqlToken& token : tokenize_sql(sql)) {
      if (token.kind == Kind::kComment && !is_hint_comment(token)) continue;
      if (token.kind == Kind::kString && !tokens_.empty() && tokens_.back().is_word("X") &&
          tokens_.back().end() == token.offset &&
          is_hex_bytes(token.text.substr(1, token.text.size() - 2))) {
        // X'0A1B': one hex literal, a binary value (the lexer reads a word and a string).
        SqlToken& hex = tokens_.back();
        hex.text = sql_.substr(hex.offset, token.end() - hex.offset);
        hex.kind = Kind::kNumber;
        continue;
      }
      if (continues_number(token) || signs_number(token)) {
        // One literal: the lexer splits 2.05 at its '.' (and 1e-3 at its sign), and -5 into
        // a '-' and a number.
        SqlToken& number = tokens_.back();
        number.text = sql_.substr(number.offset, token.end() - number.offset);
        number.kind = Kind::kNumber;
        continue;
      }
      tokens_.push_back(token);
    }
  }

  StatementTemplate run() {
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      if (const std::size_t after = in_list_at(i); after != 0) {
        i = after - 1;
        continue;
      }
      const SqlToken& token = tokens_[i];
      if (is_literal(token) && !prefixed(i)) {
        literal(i, column_before(i));
        continue;
      }
      copy(token);
    }
    // Blanks between tokens collapsed to one space, none at the ends.
    while (!out_.sql.empty() && out_.sql.back() == ' ') out_.sql.pop_back();
    while (!out_.fingerprint.empty() && out_.fingerprint.back() == ' ') out_.fingerprint.pop_back();
    return std::move(out_);
  }

 private:
  // B'01', N'abc' (and an X'..' that is no hex): the lexer reads a word and a string, but
  // they are one literal that a space would break. Kept as written.
  bool prefixed(std::size_t i) const {
    if (i == 0 || tokens_[i].kind != Kind::kString) return false;
    const SqlToken& before = tokens_[i - 1];
    return before.end() == tokens_[i].offset &&
           (before.is_word("X") || before.is_word("B") || before.is_word("N"));
  }

  // Whether `token`, right after the last token kept, is more of the same number: "12" ".",
  // "12." "05", "." "5" (not after a name: t.5), "1.5e" "-", "1.5e-" "3".
  bool continues_number(const SqlToken& token) const {
    if (tokens_.empty() || tokens_.back().end() != token.offset) return false;
    const SqlToken& last = tokens_.back();
    const auto digits = [](std::string_view text) {
      return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
    };
    // Digits, perhaps with an exponent ("05", "5e3", "5e"): what follows a '.'.
    const auto fraction = [&](const SqlToken& t) {
      return t.kind == Kind::kNumber && is_sql_digit(t.text[0]) &&
             t.text.find_first_not_of("0123456789eE") == std::string_view::npos;
    };
    if (last.kind == Kind::kNumber) {
      const std::string_view text = last.text;
      if (token.is('.')) return digits(text);
      if (text.ends_with('.')) return fraction(token);
      if ((token.is('-') || token.is('+')) && (text.ends_with('e') || text.ends_with('E'))) {
        return text.find_first_not_of("0123456789.eE") == std::string_view::npos;
      }
      if (text.ends_with('-') || text.ends_with('+')) return digits(token.text);
      return false;
    }
    if (last.is('.') && fraction(token)) {
      if (tokens_.size() < 2) return true;
      const SqlToken& before = tokens_[tokens_.size() - 2];
      return before.end() != last.offset ||
             !(before.kind == Kind::kWord || before.kind == Kind::kQuotedIdent ||
               before.kind == Kind::kNumber || before.is(')'));
    }
    return false;
  }

  // Whether `token`, a number right after a '-' or '+' that is a sign (not an operator: after
  // an operator, '(' or ',', a keyword, or nothing), makes one literal with it: id > -10 is
  // the query id > 10 is, with another value (as pt-query-digest reads it).
  bool signs_number(const SqlToken& token) const {
    if (tokens_.empty() || !(tokens_.back().is('-') || tokens_.back().is('+')) ||
        tokens_.back().end() != token.offset || token.kind != Kind::kNumber ||
        !is_sql_digit(token.text[0]) ||
        (token.text.size() > 1 && !is_sql_digit(token.text[1]) && token.text[1] != '.' &&
         token.text[1] != 'e' && token.text[1] != 'E')) {
      return false;
    }
    if (tokens_.size() < 2) return true;
    const SqlToken& before = tokens_[tokens_.size() - 2];
    if (before.kind == Kind::kPunct) return !before.is(')') && !before.is('.');
    if (before.kind != Kind::kWord) return false;
    static constexpr std::string_view kBeforeAValue[] = {
        "SELECT", "WHERE", "AND",    "OR", "NOT",  "XOR",  "BETWEEN",  "WHEN",   "THEN",
        "ELSE",   "ON",    "HAVING", "BY", "LIKE", "CASE", "INTERVAL", "RETURN", "DISTINCT"};
    const std::string word = ascii_upper(before.text);
    return std::find(std::begin(kBeforeAValue), std::end(kBeforeAValue), word) !=
           std::end(kBeforeAValue);
  }

  // A string (an identifier under ANSI_QUOTES would be "x"; in the default mode it is a
  // string: bytes that are not UTF-8 make it a binary value), a number, or a hex literal
  // (0x1F, X'1F': a binary value).
  bool is_literal(const SqlToken& token) const {
    if (token.kind == Kind::kString) return true;
    if (token.kind == Kind::kNumber) {
      if (is_hex_literal(token.text)) return true;
      if (!is_number_literal(token)) {
        out_.has_unreplayable_literal = true;
        return false;
      }
      return true;
    }
    return false;
  }

  // The column a literal at `i` is compared with: `col = ?`, `t.col <> ?`, `col LIKE ?`,
  // `? = col`, `col IN (?, ...)`, `col BETWEEN ? AND ?`; LIMIT and OFFSET by name.
  std::string column_before(std::size_t i) const {
    column_ = {};
    std::size_t j = i;
    if (j >= 1 && tokens_[j - 1].is('-')) --j;  // -5
    if (j >= 1) {
      const SqlToken& before = tokens_[j - 1];
      if (before.is_word("LIMIT")) return "limit";
      if (before.is_word("OFFSET")) return "offset";
      if (before.is(',') && j >= 3 && tokens_[j - 3].is_word("LIMIT")) return "limit";
      if (before.is_word("AND") && j >= 3) {
        // BETWEEN ? AND ?: the upper bound
        for (std::size_t k = j - 2; k > 0 && k + 4 > j; --k) {
          if (tokens_[k].is_word("BETWEEN") && k >= 1 && is_identifier(tokens_[k - 1])) {
            return note_column(k - 1) + "_max";
          }
        }
      }
      if (before.is_word("BETWEEN") && j >= 2 && is_identifier(tokens_[j - 2])) {
        return note_column(j - 2) + "_min";
      }
      // An operator, possibly two characters (<=, >=, <>, !=, <=>).
      std::size_t op = j - 1;
      const bool is_operator =
          before.is('=') || before.is('<') || before.is('>') || before.is_word("LIKE");
      if (is_operator) {
        while (op >= 1 && (tokens_[op - 1].is('<') || tokens_[op - 1].is('>') ||
                           tokens_[op - 1].is('!') || tokens_[op - 1].is('='))) {
          --op;
        }
        if (op >= 1 && tokens_[op - 1].is_word("NOT")) --op;
        if (op >= 1 && is_identifier(tokens_[op - 1]) && !is_keyword_like(tokens_[op - 1])) {
          return note_column(op - 1);
        }
      }
    }
    // ? = col
    if (i + 2 < tokens_.size() && tokens_[i + 1].is('=') && is_identifier(tokens_[i + 2])) {
      std::size_t k = i + 2;
      if (k + 2 < tokens_.size() && tokens_[k + 1].is('.') && is_identifier(tokens_[k + 2])) k += 2;
      return note_column(k);
    }
    return "";
  }

  // The column at token `at` (and its qualifier, t in t.col) as the next parameter's; its name.
  std::string note_column(std::size_t at) const {
    column_.column = identifier_name(tokens_[at]);
    column_.qualifier = at >= 2 && tokens_[at - 1].is('.') && is_identifier(tokens_[at - 2])
                            ? identifier_name(tokens_[at - 2])
                            : "";
    return column_.column;
  }

  // Words that are not a column even where one could stand (`WHERE 1 = 1`, `CASE ... END`).
  static bool is_keyword_like(const SqlToken& token) {
    static const std::set<std::string> kWords = {"AND",    "OR",   "NOT",  "WHERE",   "ON",
                                                 "WHEN",   "THEN", "ELSE", "CASE",    "SELECT",
                                                 "HAVING", "IS",   "NULL", "INTERVAL"};
    return token.kind == Kind::kWord && kWords.contains(ascii_upper(token.text));
  }

  // `IN (lit, lit, ...)` at `i` (the IN keyword): the literals become one parameter each,
  // named after the column, and the fingerprint folds the list: in (?+). The index after the
  // list's ')', or 0 when there is no such list.
  std::size_t in_list_at(std::size_t i) {
    if (!tokens_[i].is_word("IN") || i + 2 >= tokens_.size() || !tokens_[i + 1].is('(')) {
      return 0;
    }
    std::vector<std::size_t> literals;
    std::size_t k = i + 2;
    for (;; k += 2) {
      if (k >= tokens_.size() || !is_literal(tokens_[k])) return 0;
      literals.push_back(k);
      if (k + 1 >= tokens_.size()) return 0;
      if (tokens_[k + 1].is(')')) break;
      if (!tokens_[k + 1].is(',')) return 0;
    }
    std::string column;
    column_ = {};
    if (i >= 1 && is_identifier(tokens_[i - 1])) column = note_column(i - 1);
    if (i >= 2 && tokens_[i - 1].is_word("NOT") && is_identifier(tokens_[i - 2])) {
      column = note_column(i - 2);
    }
    copy(tokens_[i]);
    copy(tokens_[i + 1]);
    out_.fingerprint += "?+";
    for (std::size_t n = 0; n < literals.size(); ++n) {
      if (n > 0) out_.sql += ", ";
      add_param(tokens_[literals[n]], column.empty() ? "" : column, /*in_fingerprint=*/false);
    }
    fingerprint_word(")");
    out_.sql += ')';
    last_end_ = tokens_[k + 1].end();
    return k + 2;
  }

  void literal(std::size_t i, const std::string& column) {
    space_if_blank_before(tokens_[i]);
    add_param(tokens_[i], column, true);
    last_end_ = tokens_[i].end();
  }

  void add_param(const SqlToken& token, const std::string& column, bool in_fingerprint) {
    TemplateParam param;
    const std::string base = column.empty() ? "" : name_from(column);
    param.name = unique_name(base);
    param.literal = std::string(token.text);
    param.value = literal_value(token.text);
    param.column = column_.column;
    param.qualifier = column_.qualifier;
    // "10:00" would become "10::p1", and "x'a'" "x:p1": neither is a placeholder.
    if (!out_.sql.empty()) {
      const unsigned char before = static_cast<unsigned char>(out_.sql.back());
      if (before == ':' || before == '_' || before == '$' || std::isalnum(before) != 0 ||
          before >= 0x80) {
        out_.sql += ' ';
      }
    }
    out_.sql += ':' + param.name;
    after_param_ = true;
    if (in_fingerprint) fingerprint_word("?");
    out_.params.push_back(std::move(param));
  }

  std::string unique_name(const std::string& base) {
    if (base.empty()) {
      std::string name;
      do {
        name = fmt::format("p{}", ++unnamed_);
      } while (used_.contains(name));
      used_.insert(name);
      return name;
    }
    // The smallest free suffix, tried from where the base's last search ended (names are never
    // freed): an IN-list of 500 ids makes id, id_2 ... id_500 in one pass, not 500.
    std::string name = base;
    int& n = next_suffix_.try_emplace(base, 2).first->second;
    if (used_.contains(name)) {
      do {
        name = base + '_' + std::to_string(n++);
      } while (used_.contains(name));
    }
    used_.insert(name);
    return name;
  }

  void space_if_blank_before(const SqlToken& token) {
    // A word right after a parameter would lengthen its name (":p1abc").
    const bool joins_param = after_param_ && !token.text.empty() &&
                             (std::isalnum(static_cast<unsigned char>(token.text[0])) != 0 ||
                              token.text[0] == '_' || token.text[0] == '$');
    after_param_ = false;
    if (joins_param ||
        (last_end_ != std::string_view::npos && token.offset > last_end_ && !out_.sql.empty())) {
      out_.sql += ' ';
    }
  }

  void copy(const SqlToken& token) {
    space_if_blank_before(token);
    last_end_ = token.end();
    if (token.kind == Kind::kString && !is_utf8(string_value(token.text))) {
      // Binary bytes: as a hex literal, the same bytes to the server, and text a scenario
      // file (UTF-8) can hold. A string literal only: an introducer before it stays.
      // Apart from what comes before: "_binary X'..'" is still an introducer, ":p1 X'..'"
      // no longer one long placeholder name.
      // Only after a word or a ':' (never after "-": "-- X" would start a comment).
      const unsigned char before = out_.sql.empty() ? ' ' : out_.sql.back();
      std::string hex = std::isalnum(before) != 0 || before == '_' || before == '$' ||
                                before == ':' || before >= 0x80
                            ? " X'"
                            : "X'";
      for (unsigned char c : string_value(token.text)) hex += fmt::format("{:02X}", c);
      hex += '\'';
      out_.sql += hex;
      fingerprint_word(hex.substr(hex.front() == ' ' ? 1 : 0));
      return;
    }
    out_.sql += token.text;
    if (token.kind == Kind::kExecOpen || token.kind == Kind::kExecClose) {
      return;  // the fingerprint reads executable comments as the code they are
    }
    if (token.kind == Kind::kUnterminated) {
      // Never the fingerprint of the complete statement: the read-only verdict, kept per
      // fingerprint, refuses this one.
      fingerprint_word("/*unterminated*/");
      return;
    }
    if (token.kind == Kind::kWord) {
      const std::string word = ascii_lower(token.text);
      // ORDER BY a ASC is ORDER BY a: ASC is what it means without (as pt-query-digest reads).
      if (word == "by" && last_word_ == "order") in_order_by_ = true;
      last_word_ = word;
      if (word == "asc" && in_order_by_) return;
      fingerprint_word(word);
    } else if (token.kind == Kind::kQuotedIdent) {
      fingerprint_word(ascii_lower(identifier_name(token)));
    } else {
      fingerprint_word(token.text);
    }
  }

  // Words separated by one space; punctuation glued where the SQL had no blank.
  void fingerprint_word(std::string_view word) {
    if (!out_.fingerprint.empty()) out_.fingerprint += ' ';
    out_.fingerprint += word;
  }

  std::string_view sql_;
  std::vector<SqlToken> tokens_;
  mutable StatementTemplate out_;
  std::set<std::string> used_;
  std::map<std::string, int> next_suffix_;  // by base name: the first suffix not tried yet
  struct ColumnRef {
    std::string column, qualifier;
  };
  mutable ColumnRef column_;  // of the literal being made a parameter
  int unnamed_ = 0;
  bool after_param_ = false;  // the last thing written was a :parameter
  std::string last_word_;     // the last word copied, in lower case
  bool in_order_by_ = false;  // an ORDER BY came before
  std::size_t last_end_ = std::string_view::npos;
};

}  // namespace

StatementTemplate make_statement_template(std::string_view sql) { return Templater(sql).run(); }

ParamValue literal_value(std::string_view literal) {
  if (!literal.empty() && (literal.front() == '\'' || literal.front() == '"')) {
    std::string value = string_value(literal);
    // Bytes no scenario file (UTF-8) can hold as a string: a binary value.
    if (!is_utf8(value)) return ParamValue::binary_hex(hex_of(value));
    return ParamValue::string(std::move(value));
  }
  if (is_hex_literal(literal)) {
    const std::string_view digits =
        literal.front() == '0' ? literal.substr(2) : literal.substr(2, literal.size() - 3);
    std::string hex = digits.size() % 2 != 0 ? "0" : "";  // 0xF is the byte 0F
    hex += digits;
    return ParamValue::binary_hex(ascii_upper(hex));
  }
  const bool integral = literal.find_first_of(".eE") == std::string_view::npos;
  return {integral ? ParamValue::Kind::kInteger : ParamValue::Kind::kFloat, std::string(literal)};
}

}  // namespace sqlmeasure
