#pragma once
// What each statement of a migration (or its rollback) does, read with the SQL lexer: a
// migration may change the schema of the database under test and nothing else.
#include <string>
#include <string_view>
#include <vector>

namespace sqlmeasure {

enum class MigrationStatementKind {
  kAddIndex,     // only adds indexes: may run without a rollback, and stays applied
  kIndexChange,  // other index DDL (drop, ignore/invisible, rename): needs a rollback
  kTableChange,  // other DDL on the database (columns, engine, tables, views...): needs one too
  kStatistics,   // ANALYZE TABLE: refreshes statistics, changes no definition
  kSession,      // SET [SESSION] ..., transaction control, a read: affects only its connection
  kRefused,      // data changes, server settings, privileges, other databases: never run
};

struct MigrationStatementClass {
  MigrationStatementKind kind = MigrationStatementKind::kRefused;
  std::string why;                     // for kRefused, and for what needs a rollback
  std::vector<std::string> databases;  // databases the statement names (db.table, USE db)
  std::string table;  // the table an ALTER TABLE, CREATE INDEX or DROP INDEX changes
};

[[nodiscard]] MigrationStatementClass classify_migration_statement(std::string_view sql);

// May run without a rollback: it adds, refreshes or only sets the session.
[[nodiscard]] bool runs_without_rollback(MigrationStatementKind kind);

// How the server is expected to run an index or table change on a table of `engine`
// (InnoDB online DDL, as MariaDB and MySQL document it), said before it runs: "INPLACE,
// LOCK=NONE: the table stays writable", "COPY: the table is rebuilt, writes wait". An
// explicit ALGORITHM= or LOCK= in the statement is what the server will enforce.
[[nodiscard]] std::string expected_algorithm(std::string_view sql, const std::string& engine);

}  // namespace sqlmeasure
