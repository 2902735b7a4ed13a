// NAME.sql screens: the quickest on-ramp, the statements a page ran, pasted as they are.
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "scenario/screen_validation.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/sql_statements.h"

namespace sqlmeasure {
namespace {

// The statements go to the server as utf8mb4 and into the results file as JSON, so the
// file must be UTF-8 text. A NUL byte or a byte that is not UTF-8 means a binary, UTF-16
// or latin1 file: refused here, at its place, rather than garbled later.
void check_utf8_text(const std::string& text, const std::string& path) {
  const bool bom = text.starts_with("\xEF\xBB\xBF");
  size_t i = bom ? 3 : 0;
  size_t line_start = i;  // columns on line 1 count from after a BOM, as in the lexer
  int line = 1;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t length = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 0;
    bool ok = c != 0 && length != 0 && i + length <= text.size();
    for (size_t k = 1; ok && k < length; ++k) {
      ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    }
    if (ok && length > 1) {  // no overlong forms, no surrogates, nothing above U+10FFFF
      const auto next = static_cast<unsigned char>(text[i + 1]);
      ok = (length != 2 || c >= 0xC2) && (c != 0xE0 || next >= 0xA0) &&
           (c != 0xED || next < 0xA0) && (c != 0xF0 || next >= 0x90) &&
           (c < 0xF4 || (c == 0xF4 && next < 0x90));
    }
    if (!ok) {
      const SourceLocation at{path, line, static_cast<int>(i - line_start + 1)};
      if (c == 0) {
        fail(ExitCode::kBadInput,
             fmt::format("{}: a NUL byte: a .sql screen must be UTF-8 text", at.str()));
      }
      fail(ExitCode::kBadInput,
           fmt::format("{}: byte 0x{:02X} is not UTF-8{}: save the .sql screen as UTF-8",
                       at.str(), c, i < 2 && (c == 0xFF || c == 0xFE) ? " (a UTF-16 file?)" : ""));
    }
    if (c == '\n') {
      ++line;
      line_start = i + 1;
    }
    i += length;
  }
}

}  // namespace

Screen parse_sql_screen(const std::string& path, const std::string& default_name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ExitCode::kBadInput, fmt::format("{}: cannot read the file", path));
  std::stringstream text;
  text << in.rdbuf();
  check_utf8_text(text.str(), path);
  Screen screen;
  screen.file = path;
  screen.name = default_name;
  size_t index = 0;
  for (SqlStatement& statement : split_statements(text.str(), path)) {
    Query query;
    query.name = statement.name.empty() ? fmt::format("q{}", index + 1) : statement.name;
    query.sql = std::move(statement.text);
    query.where = statement.where;
    screen.queries.push_back(std::move(query));
    ++index;
  }
  return screen;
}

}  // namespace sqlmeasure
