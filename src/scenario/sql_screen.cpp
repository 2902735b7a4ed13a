// NAME.sql screens: the quickest on-ramp, the statements a page ran, pasted as they are.
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "scenario/screen_validation.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/sql_text.h"

namespace sqlmeasure {

Screen parse_sql_screen(const std::string& path, const std::string& default_name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ExitCode::kBadInput, fmt::format("{}: cannot read the file", path));
  std::stringstream text;
  text << in.rdbuf();
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
