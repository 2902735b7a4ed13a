#include <fmt/format.h>

#include <optional>

#include "sqlmeasure/error.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/sql_statements.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// The line holding the token and a caret under it, as compilers show it.
std::string excerpt(std::string_view sql, const SqlToken& token) {
  const std::size_t line_start = token.offset - static_cast<std::size_t>(token.column - 1);
  std::size_t line_end = sql.find('\n', token.offset);
  if (line_end == std::string_view::npos) line_end = sql.size();
  std::string_view line = sql.substr(line_start, line_end - line_start);
  if (line.ends_with('\r')) line.remove_suffix(1);
  std::size_t caret = static_cast<std::size_t>(token.column - 1);
  constexpr std::size_t kWidth = 100;  // keep one-line dumps readable
  if (line.size() > kWidth) {
    const std::size_t from = caret > kWidth / 2 ? caret - kWidth / 2 : 0;
    line = line.substr(from, kWidth);
    caret -= from;
  }
  std::string pad;
  for (std::size_t i = 0; i < caret; ++i) pad += line[i] == '\t' ? '\t' : ' ';
  // Control bytes (a lone \r, a NUL, an escape sequence) would garble the terminal; one
  // space each keeps the caret under the right byte.
  std::string shown(line);
  for (char& c : shown) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) c = ' ';
  }
  return fmt::format("  {}\n  {}^", shown, pad);
}

[[noreturn]] void fail_unterminated(std::string_view sql, const std::string& file,
                                    const SqlToken& token) {
  const SourceLocation where{file, token.line, token.column};
  const std::string_view closer = token.text.starts_with("/*") ? "*/" : token.text;
  fail(ExitCode::kBadInput,
       fmt::format("{}: unterminated {}: the {} here is never closed by {}\n{}", where.str(),
                   unterminated_noun(token), token.text, closer, excerpt(sql, token)));
}

// The name in a "-- name: xyz" comment, else empty.
std::string statement_name(std::string_view comment) {
  if (!comment.starts_with("--")) return "";
  comment.remove_prefix(2);
  auto trim_front = [&comment] {
    while (!comment.empty() && is_sql_space(comment.front())) comment.remove_prefix(1);
  };
  trim_front();
  if (ascii_upper(comment.substr(0, 4)) != "NAME") return "";
  comment.remove_prefix(4);
  trim_front();
  if (!comment.starts_with(':')) return "";
  comment.remove_prefix(1);
  trim_front();
  while (!comment.empty() && is_sql_space(comment.back())) comment.remove_suffix(1);
  return std::string(comment);
}

}  // namespace

std::vector<SqlStatement> split_statements(std::string_view script, const std::string& file) {
  std::vector<SqlStatement> statements;
  // The statement being collected: its first and last code token, and a name from the
  // comments before it.
  std::optional<SqlToken> first;
  std::size_t end = 0;
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
  for (const SqlToken& token : tokenize_sql(script)) {
    if (token.kind == SqlToken::Kind::kUnterminated) fail_unterminated(script, file, token);
    if (token.kind == SqlToken::Kind::kComment) {
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
    if (token.kind != SqlToken::Kind::kExecOpen && token.kind != SqlToken::Kind::kExecClose) {
      has_content = true;
    }
  }
  finish();
  return statements;
}

std::string first_keyword(std::string_view sql) {
  const std::vector<SqlToken> code = code_tokens(sql);
  return keyword_at(code, skip_open_parens(code));
}

}  // namespace sqlmeasure
