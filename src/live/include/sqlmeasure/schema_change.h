#pragma once
// A change made to the server for a comparison — a migration with its rollback, or
// indexes made ignored/invisible — and the means to undo it and prove it was undone.
#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/schema_snapshot.h"
#include "sqlmeasure/sql_statements.h"

namespace sqlmeasure {

// A database a statement of the change names (db.table, USE db), and where.
struct NamedDatabase {
  std::string name;
  SourceLocation where;
};

struct SchemaChange {
  std::string description;  // "migration drop_category_index.up.sql"
  std::vector<SqlStatement> apply;
  std::vector<SqlStatement> undo;        // empty: nothing can undo it (only with keep)
  bool keep = false;                     // leave the change applied at the end
  std::vector<NamedDatabase> databases;  // checked against -D once connected
  // The tables it alters, in lower case; not known when a statement's table could not be
  // read (CREATE TABLE, RENAME ...): then every query counts as touched by it.
  std::vector<std::string> tables;
  bool tables_known = true;
  bool real_ddl = true;  // false: indexes made ignored/invisible, not the DDL a user would run
};

// Loads UP (and DOWN) statements and classifies each with the SQL lexer
// (docs/safety.md §3). Errors: kBadInput for unreadable/empty/malformed files and for a
// statement a migration may never run (it changes data, server settings or privileges);
// kUsage for a migration that does more than add indexes with neither a rollback nor `keep`.
[[nodiscard]] SchemaChange migration_change(const std::string& up_path,
                                            const std::optional<std::string>& down_path, bool keep);

// Refuses (kBadInput, naming the statement) a change that names another database than the
// one under test: a migration changes the schema of -D and nothing else.
void refuse_other_databases(const SchemaChange& change, const std::string& database);

// "table.index" specs → ALTER INDEX ... IGNORED (MariaDB 10.6+) or INVISIBLE (MySQL 8),
// and back. Checks every index exists, is not the primary key and is visible now.
[[nodiscard]] SchemaChange ignore_index_change(Connection& connection, const std::string& database,
                                               const std::vector<std::string>& specs);

struct ApplyReport {
  std::size_t applied = 0;            // statements that succeeded
  std::vector<std::string> failures;  // "statement 2 (line 5): [1091] ..."
  unsigned first_error = 0;           // the server's error number of the first failure
};

// Runs statements in order. Stops at the first failure unless `keep_going` (used for
// undo, where a statement may fail because its counterpart never ran).
// `before`, when given, is told of each statement just before it runs.
[[nodiscard]] ApplyReport apply_statements(
    Connection& connection, const std::vector<SqlStatement>& statements, bool keep_going,
    const std::function<void(const SqlStatement&)>& before = {});

}  // namespace sqlmeasure
