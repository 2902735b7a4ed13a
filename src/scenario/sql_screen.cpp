// NAME.sql screens: the quickest on-ramp, the statements a page ran, pasted as they are.
#include <fmt/format.h>

#include "screen_validation.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/input_file.h"
#include "sqlmeasure/sql_statements.h"

namespace sqlmeasure {
Screen parse_sql_screen(const std::string& path, const std::string& default_name) {
  const std::string text =
      read_input_file(path, "the screen", ExitCode::kBadInput, kScreenFileMaxBytes);
  check_utf8_text(text, path, "a .sql screen");
  Screen screen;
  screen.file = path;
  screen.name = default_name;
  size_t index = 0;
  for (SqlStatement& statement : split_statements(text, path)) {
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
