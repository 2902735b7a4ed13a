#include "statement_skeleton.h"

#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

constexpr char kStringMarker = '\x01';
constexpr char kNumberMarker = '\x02';
constexpr char kCommentMarker = '\x03';

// What a byte may start, looked up in one step: most bytes start nothing to cut.
enum ByteClass : unsigned char { kPlain, kIdent, kDigit, kSpecial };

struct ByteClasses {
  ByteClass of[256] = {};
  constexpr ByteClasses() {
    for (int c = 0; c < 256; ++c) {
      const char byte = static_cast<char>(c);
      if (is_sql_digit(byte)) {
        of[c] = kDigit;
      } else if (is_ident_char(byte)) {
        of[c] = kIdent;
      }
    }
    for (const char c : std::string_view("'\"`#-/\x01\x02\x03")) {
      of[static_cast<unsigned char>(c)] = kSpecial;
    }
  }
};
constexpr ByteClasses kClasses;

ByteClass class_of(char c) { return kClasses.of[static_cast<unsigned char>(c)]; }
bool continues_word(char c) {
  const ByteClass of = class_of(c);
  return of == kIdent || of == kDigit;
}

// The end of the quoted text starting at `begin` (after its closing quote), or npos when it
// never closes. Backslash escapes and doubled quotes, as the lexer's default quoting.
std::size_t quoted_end(std::string_view sql, std::size_t begin, bool backslash_escapes) {
  const char quote = sql[begin];
  for (std::size_t i = begin + 1; i < sql.size();) {
    const char c = sql[i];
    if (backslash_escapes && c == '\\') {
      i += 2;
      continue;
    }
    ++i;
    if (c == quote) {
      if (i < sql.size() && sql[i] == quote) {
        ++i;
        continue;
      }
      return i;
    }
  }
  return std::string_view::npos;
}

bool is_ascii(std::string_view text) {
  unsigned char any = 0;
  for (const char c : text) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

}  // namespace

bool read_statement_skeleton(std::string_view sql, StatementSkeleton& out) {
  out.text.clear();
  out.literals.clear();
  out.comments.clear();
  const std::size_t size = sql.size();
  std::size_t copied = 0;  // sql[copied, i) is not in out.text yet
  const auto cut = [&](std::size_t begin, std::size_t end, char marker) {
    out.text.append(sql.data() + copied, begin - copied);
    out.text += marker;
    copied = end;
  };
  std::size_t i = 0;
  while (i < size) {
    const char c = sql[i];
    const ByteClass of = class_of(c);
    if (of == kPlain) {
      ++i;
      continue;
    }
    if (of == kDigit) {
      // A number: digits, perhaps a fraction. Anything the lexer and the templater read
      // otherwise (1e5, 0x1F, 12abc, "1." and what follows a second '.', a sign glued to it
      // that may be part of it: -5) is left to them.
      const std::size_t begin = i;
      if (begin > 0 && (sql[begin - 1] == '-' || sql[begin - 1] == '+')) return false;
      while (i < size && is_sql_digit(sql[i])) ++i;
      if (i < size && sql[i] == '.') {
        const std::size_t fraction = ++i;
        while (i < size && is_sql_digit(sql[i])) ++i;
        if (i == fraction) return false;
      }
      if (i < size && (is_ident_char(sql[i]) || sql[i] == '.' || sql[i] == '\'' || sql[i] == '"' ||
                       sql[i] == '`')) {
        return false;
      }
      cut(begin, i, kNumberMarker);
      out.literals.push_back(sql.substr(begin, i - begin));
      continue;
    }
    if (of == kIdent) {
      while (i < size && continues_word(sql[i])) ++i;
      // X'0A', N'..', _utf8'..': a prefixed literal, one token to the templater.
      if (i < size && (sql[i] == '\'' || sql[i] == '"')) return false;
      continue;
    }
    switch (c) {
      case '\'':
      case '"': {
        const std::size_t end = quoted_end(sql, i, /*backslash_escapes=*/true);
        if (end == std::string_view::npos) return false;
        const std::string_view literal = sql.substr(i, end - i);
        // Not UTF-8: kept in the SQL as X'..' by the templater.
        if (!is_ascii(literal) && !is_utf8(literal)) return false;
        cut(i, end, kStringMarker);
        out.literals.push_back(literal);
        i = end;
        continue;
      }
      case '`': {
        const std::size_t end = quoted_end(sql, i, /*backslash_escapes=*/false);
        if (end == std::string_view::npos) return false;
        i = end;
        continue;
      }
      case '#':
        return false;
      case '-':
        if (i + 1 < size && sql[i + 1] == '-' &&
            (i + 2 == size || static_cast<unsigned char>(sql[i + 2]) <= ' ')) {
          return false;
        }
        ++i;
        continue;
      case '/': {
        if (i + 1 >= size || sql[i + 1] != '*') {
          ++i;
          continue;
        }
        const std::string_view rest = sql.substr(i);
        if (rest.starts_with("/*!") || rest.starts_with("/*M!")) return false;
        const std::size_t close = sql.find("*/", i + 2);
        if (close == std::string_view::npos) return false;
        if (rest.starts_with("/*+")) {  // an optimizer hint stays in the SQL
          i = close + 2;
          continue;
        }
        out.comments.push_back(sql.substr(i, close + 2 - i));
        cut(i, close + 2, kCommentMarker);
        i = close + 2;
        continue;
      }
      case kStringMarker:
      case kNumberMarker:
      case kCommentMarker:
        return false;
      default:
        ++i;
    }
  }
  out.text.append(sql.data() + copied, size - copied);
  return true;
}

}  // namespace sqlmeasure
