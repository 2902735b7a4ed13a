#include "sqlmeasure/schema_change.h"

#include <fmt/format.h>

#include <algorithm>

#include "index_visibility.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/input_file.h"
#include "sqlmeasure/migration_classifier.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

std::vector<SqlStatement> load_statements(const std::string& path, const char* what) {
  const std::string text =
      read_input_file(path, fmt::format("the {} file", what), ExitCode::kBadInput);
  // All of it, now: a byte that is not UTF-8 must not be found only when its statement runs.
  check_utf8_text(text, path, fmt::format("a {} file", what));
  std::vector<SqlStatement> statements = split_statements(text, path);
  if (statements.empty()) {
    fail(ExitCode::kBadInput, fmt::format("{}: the {} file has no statements", path, what));
  }
  return statements;
}

// The table a statement alters, kept once; a session statement alters none.
void note_table(const MigrationStatementClass& found, SchemaChange& change) {
  if (found.kind == MigrationStatementKind::kSession) return;
  if (found.table.empty()) {
    change.tables_known = false;
    return;
  }
  const std::string table = ascii_lower(found.table);
  if (std::find(change.tables.begin(), change.tables.end(), table) == change.tables.end()) {
    change.tables.push_back(table);
  }
}

// Classifies every statement: refuses what a migration may never run, records the databases
// and tables it names, and says whether all of it could run without a rollback.
bool classify(const std::vector<SqlStatement>& statements, SchemaChange& change,
              const SqlStatement** needs_rollback, std::string* why) {
  bool additive = true;
  for (const SqlStatement& statement : statements) {
    const MigrationStatementClass found = classify_migration_statement(statement.text);
    if (found.kind == MigrationStatementKind::kRefused) {
      fail(ExitCode::kBadInput,
           fmt::format("{}: {} ({}): a migration may only change the schema of the database "
                       "under test",
                       statement.where.str(), found.why, printable(statement.text)));
    }
    for (const std::string& name : found.databases) {
      change.databases.push_back({name, statement.where});
    }
    note_table(found, change);
    if (additive && !runs_without_rollback(found.kind)) {
      additive = false;
      *needs_rollback = &statement;
      *why = found.why;
    }
  }
  return additive;
}

}  // namespace

SchemaChange migration_change(const std::string& up_path,
                              const std::optional<std::string>& down_path, bool keep) {
  SchemaChange change;
  change.description = "migration " + up_path;
  change.apply = load_statements(up_path, "migration");
  if (down_path) change.undo = load_statements(*down_path, "rollback");
  change.keep = keep;
  const SqlStatement* needs_rollback = nullptr;
  std::string why;
  const bool additive = classify(change.apply, change, &needs_rollback, &why);
  const SqlStatement* unused = nullptr;
  std::string unused_why;
  (void)classify(change.undo, change, &unused, &unused_why);
  if (!down_path && !keep) {
    if (!additive) {
      fail(ExitCode::kUsage,
           fmt::format("{}: this migration changes or removes something ({}: {}), and without "
                       "--rollback it cannot be undone: pass --rollback DOWN.sql, or --keep to "
                       "leave it applied",
                       needs_rollback->where.str(), why, printable(needs_rollback->text)));
    }
    // Even one that only adds: a change left on the server is asked for, never a default.
    fail(ExitCode::kUsage,
         fmt::format("{}: without --rollback this migration would stay applied after the "
                     "measurement: pass --rollback DOWN.sql to undo it at the end, or --keep to "
                     "leave it applied",
                     up_path));
  }
  return change;
}

void refuse_other_databases(const SchemaChange& change, const std::string& database) {
  for (const NamedDatabase& named : change.databases) {
    if (named.name != database) {
      fail(
          ExitCode::kBadInput,
          fmt::format("{}: the statement names database {}, not the one under test ({}): a "
                      "migration may only change the schema of -D",
                      named.where.str(), quote_identifier(named.name), quote_identifier(database)));
    }
  }
}

SchemaChange ignore_index_change(Connection& connection, const std::string& database,
                                 const std::vector<std::string>& specs) {
  const ServerInfo& server = connection.server();
  if (std::string why = why_indexes_cannot_be_hidden(server); !why.empty()) {
    fail(ExitCode::kUsage,
         fmt::format("--ignore-index: {}; this server is {}", why, server.version));
  }
  const bool mariadb = server.flavor == Flavor::kMariaDB;
  SchemaChange change;
  change.description = "ignored indexes";
  change.real_ddl = false;
  const SourceLocation flag{"--ignore-index", 0, 0};
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
           fmt::format("--ignore-index: {}.{} is already {}: possibly left so by a compare "
                       "--ignore-index that was killed; `sqlmeasure recover` puts it back (or "
                       "ALTER TABLE {} ALTER INDEX {} {} if nobody hid it on purpose)",
                       table, index, hidden_word(server), quote_identifier(table),
                       quote_identifier(index), shown_word(server)));
    }
    change.apply.push_back(hide_index_statement(server, database, table, index, flag));
    change.undo.push_back(show_index_statement(server, database, table, index, flag));
    change.description += (change.description == "ignored indexes" ? ": " : ", ") + spec;
    if (std::find(change.tables.begin(), change.tables.end(), ascii_lower(table)) ==
        change.tables.end()) {
      change.tables.push_back(ascii_lower(table));
    }
  }
  return change;
}

ApplyReport apply_statements(Connection& connection, const std::vector<SqlStatement>& statements,
                             bool keep_going,
                             const std::function<void(const SqlStatement&)>& before) {
  ApplyReport report;
  for (size_t i = 0; i < statements.size(); ++i) {
    if (before) before(statements[i]);
    try {
      connection.execute(statements[i].text);
      ++report.applied;
    } catch (const DatabaseError& error) {
      if (error.connection_lost()) throw;
      if (report.failures.empty()) report.first_error = error.error_number();
      report.failures.push_back(
          fmt::format("statement {} ({}): {}", i + 1, statements[i].where.str(), error.what()));
      if (!keep_going) break;
    }
  }
  return report;
}

}  // namespace sqlmeasure
