#include "sqlmeasure/schema_change.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "live/additive_ddl.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

std::vector<SqlStatement> load_statements(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ExitCode::kBadInput, fmt::format("{}: cannot read the {} file", path, what));
  std::stringstream text;
  text << in.rdbuf();
  std::vector<SqlStatement> statements = split_statements(text.str(), path);
  if (statements.empty()) {
    fail(ExitCode::kBadInput, fmt::format("{}: the {} file has no statements", path, what));
  }
  return statements;
}

// MariaDB and MySQL list a re-created index after the others, so a rollback that drops and
// re-adds an index restores the schema but not the order of the KEY lines (see
// tests/db/live_compare_db_test.cpp). That order means nothing to a comparison: the index
// and constraint lines are sorted; the columns (in order) and table options must match.
std::string without_index_order(const std::string& create) {
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
  for (size_t i = close; i < lines.size(); ++i) out += lines[i] + (i + 1 < lines.size() ? "\n" : "");
  return out;
}

}  // namespace

SchemaChange migration_change(const std::string& up_path,
                              const std::optional<std::string>& down_path, bool keep) {
  SchemaChange change;
  change.description = "migration " + up_path;
  change.apply = load_statements(up_path, "migration");
  if (down_path) change.undo = load_statements(*down_path, "rollback");
  change.keep = keep;
  if (!down_path && !keep) {
    for (const SqlStatement& statement : change.apply) {
      if (!is_additive_ddl(statement.text)) {
        fail(ExitCode::kUsage,
             fmt::format("{}: this migration changes or removes something ({}...), and without "
                         "--rollback it cannot be undone: pass --rollback DOWN.sql, or --keep "
                         "to leave it applied",
                         statement.where.str(), statement.text.substr(0, 40)));
      }
    }
    change.keep = true;  // additive: it stays; the caller says so
  }
  return change;
}

SchemaChange ignore_index_change(Connection& connection, const std::string& database,
                                 const std::vector<std::string>& specs) {
  Flavor flavor = connection.server().flavor;
  bool mariadb = flavor == Flavor::kMariaDB;
  const ServerInfo& server = connection.server();
  if (mariadb && (server.major * 100 + server.minor) < 1006) {
    fail(ExitCode::kUsage, fmt::format("--ignore-index needs MariaDB 10.6 or later (ALTER INDEX "
                                       "... IGNORED); this server is {}",
                                       server.version));
  }
  if (!mariadb && server.major < 8) {
    fail(ExitCode::kUsage, fmt::format("--ignore-index needs MySQL 8.0 or later (ALTER INDEX ... "
                                       "INVISIBLE); this server is {}",
                                       server.version));
  }
  const char* off = mariadb ? "IGNORED" : "INVISIBLE";
  const char* on = mariadb ? "NOT IGNORED" : "VISIBLE";
  SchemaChange change;
  change.description = "ignored indexes";
  for (const std::string& spec : specs) {
    size_t dot = spec.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == spec.size()) {
      fail(ExitCode::kUsage,
           fmt::format("--ignore-index: '{}' is not TABLE.INDEX (e.g. works.idx_deleted)", spec));
    }
    std::string table = spec.substr(0, dot), index = spec.substr(dot + 1);
    std::string visibility_column = mariadb ? "IGNORED" : "IS_VISIBLE";
    ResultSet found = connection.query(fmt::format(
        "SELECT INDEX_NAME, {} FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = {} AND "
        "TABLE_NAME = {} AND INDEX_NAME = {} LIMIT 1",
        visibility_column, connection.quote(database), connection.quote(table),
        connection.quote(index)));
    if (found.rows.empty()) {
      fail(ExitCode::kUsage, fmt::format("--ignore-index: no index '{}' on table '{}' in "
                                         "database '{}'",
                                         index, table, database));
    }
    if (index == "PRIMARY") {
      fail(ExitCode::kUsage, "--ignore-index: the primary key cannot be ignored");
    }
    std::string visibility = found.rows[0][1].value_or("");
    bool hidden_now = mariadb ? visibility == "YES" : visibility == "NO";
    if (hidden_now) {
      fail(ExitCode::kUsage,
           fmt::format("--ignore-index: {}.{} is already {}", table, index, off));
    }
    std::string target = fmt::format("`{}`.`{}`", database, table);
    change.apply.push_back({fmt::format("ALTER TABLE {} ALTER INDEX `{}` {}", target, index, off),
                            "", {"--ignore-index", 0, 0}});
    change.undo.push_back({fmt::format("ALTER TABLE {} ALTER INDEX `{}` {}", target, index, on),
                           "", {"--ignore-index", 0, 0}});
    change.description += (change.description == "ignored indexes" ? ": " : ", ") + spec;
  }
  return change;
}

ApplyReport apply_statements(Connection& connection, const std::vector<SqlStatement>& statements,
                             bool keep_going) {
  ApplyReport report;
  for (size_t i = 0; i < statements.size(); ++i) {
    try {
      connection.execute(statements[i].text);
      ++report.applied;
    } catch (const DatabaseError& error) {
      if (error.connection_lost()) throw;
      report.failures.push_back(fmt::format("statement {} ({}): {}", i + 1,
                                            statements[i].where.str(), error.what()));
      if (!keep_going) break;
    }
  }
  return report;
}

std::map<std::string, std::string> schema_snapshot(Connection& connection,
                                                   const std::string& database) {
  std::map<std::string, std::string> tables;
  ResultSet list = connection.query(fmt::format(
      "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = {} ORDER BY 1",
      connection.quote(database)));
  for (const auto& row : list.rows) {
    if (!row[0]) continue;
    ResultSet create =
        connection.query(fmt::format("SHOW CREATE TABLE `{}`.`{}`", database, *row[0]));
    if (!create.rows.empty() && create.rows[0].size() > 1 && create.rows[0][1]) {
      tables[*row[0]] = without_index_order(*create.rows[0][1]);
    }
  }
  return tables;
}

std::string schema_difference(const std::map<std::string, std::string>& before,
                              const std::map<std::string, std::string>& after) {
  std::string differing;
  auto add = [&differing](const std::string& name) {
    differing += (differing.empty() ? "" : ", ") + name;
  };
  for (const auto& [name, definition] : before) {
    auto it = after.find(name);
    if (it == after.end() || it->second != definition) add(name);
  }
  for (const auto& [name, definition] : after) {
    if (before.count(name) == 0) add(name + " (new)");
  }
  return differing;
}

}  // namespace sqlmeasure
