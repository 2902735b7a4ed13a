// The schema as a live compare proves it unchanged: SHOW CREATE TABLE of every table.
#include "sqlmeasure/schema_snapshot.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "sqlmeasure/sql_lexer.h"

namespace sqlmeasure {
namespace {

// The table options line without AUTO_INCREMENT=N: the next id moves with every insert into
// the table — another client's, or an --allow-writes scenario's — and says nothing about
// the definition. Everything else on the line (engine, charset, row format...) must match.
std::string without_auto_increment(std::string options) {
  const std::size_t at = options.find(" AUTO_INCREMENT=");
  if (at == std::string::npos) return options;
  std::size_t end = at + 16;
  while (end < options.size() && options[end] >= '0' && options[end] <= '9') ++end;
  return options.erase(at, end - at);
}

}  // namespace

// MariaDB and MySQL list a re-created index after the others, so a rollback that drops and
// re-adds an index restores the schema but not the order of the KEY lines (see
// tests/db/live_compare_db_test.cpp). That order means nothing to a comparison: the index
// and constraint lines are sorted; the columns (in order) and table options must match,
// the volatile AUTO_INCREMENT counter aside.
std::string comparable_definition(const std::string& create) {
  std::vector<std::string> lines;
  for (size_t start = 0; start <= create.size();) {
    size_t end = create.find('\n', start);
    if (end == std::string::npos) end = create.size();
    lines.push_back(create.substr(start, end - start));
    start = end + 1;
  }
  size_t close = 1;
  while (close < lines.size() && lines[close].rfind(')', 0) != 0) ++close;
  if (lines.size() < 3 || close == lines.size()) return create;  // a view, or not a table
  std::vector<std::string> columns, indexes;
  for (size_t i = 1; i < close; ++i) {
    std::string line = lines[i];
    if (!line.empty() && line.back() == ',') line.pop_back();
    (line.rfind("  `", 0) == 0 ? columns : indexes).push_back(std::move(line));
  }
  std::sort(indexes.begin(), indexes.end());
  std::string out = lines[0] + "\n";
  columns.insert(columns.end(), indexes.begin(), indexes.end());
  for (size_t i = 0; i < columns.size(); ++i) {
    out += columns[i] + (i + 1 < columns.size() ? ",\n" : "\n");
  }
  for (size_t i = close; i < lines.size(); ++i) {
    out += without_auto_increment(lines[i]) + (i + 1 < lines.size() ? "\n" : "");
  }
  return out;
}

std::map<std::string, std::string> schema_snapshot(Connection& connection,
                                                   const std::string& database) {
  std::map<std::string, std::string> tables;
  ResultSet list = connection.query(fmt::format(
      "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = {} ORDER BY 1",
      connection.quote(database)));
  for (const auto& row : list.rows) {
    if (!row[0]) continue;
    ResultSet create = connection.query("SHOW CREATE TABLE " + quote_identifier(database) + "." +
                                        quote_identifier(*row[0]));
    if (!create.rows.empty() && create.rows[0].size() > 1 && create.rows[0][1]) {
      tables[*row[0]] = comparable_definition(*create.rows[0][1]);
    }
  }
  return tables;
}

std::vector<std::string> differing_tables(const std::map<std::string, std::string>& before,
                                          const std::map<std::string, std::string>& after) {
  std::vector<std::string> names;
  for (const auto& [name, definition] : before) {
    auto it = after.find(name);
    if (it == after.end() || it->second != definition) names.push_back(name);
  }
  for (const auto& [name, definition] : after) {
    if (before.count(name) == 0) names.push_back(name);
  }
  return names;
}

std::string schema_difference(const std::map<std::string, std::string>& before,
                              const std::map<std::string, std::string>& after) {
  std::string differing;
  auto add = [&differing](const std::string& name) {
    differing += (differing.empty() ? "" : ", ") + name;
  };
  for (const auto& [name, definition] : before) {
    auto it = after.find(name);
    if (it == after.end()) {
      add(name + " (dropped)");
    } else if (it->second != definition) {
      add(name);
    }
  }
  for (const auto& [name, definition] : after) {
    if (before.count(name) == 0) add(name + " (new)");
  }
  return differing;
}

}  // namespace sqlmeasure
