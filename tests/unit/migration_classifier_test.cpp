// The migration classifier: what each statement of a migration does, read with the SQL lexer
// rather than by substring (docs/safety.md §3).
#include "sqlmeasure/migration_classifier.h"

#include <catch2/catch.hpp>

namespace sqlmeasure {
namespace {

using Kind = MigrationStatementKind;

Kind kind_of(std::string_view sql) { return classify_migration_statement(sql).kind; }

TEST_CASE("migration statements: index additions may run without a rollback", "[unit][live]") {
  for (const char* sql :
       {"CREATE INDEX i ON t (a)", "create unique index i on t (a, b)",
        "CREATE FULLTEXT INDEX f ON t (body)", "CREATE INDEX IF NOT EXISTS i ON t (a)",
        "ALTER TABLE t ADD INDEX i (a)",
        "ALTER TABLE `t` ADD KEY i (a), ADD UNIQUE KEY u (b), ALGORITHM=INPLACE, LOCK=NONE",
        "ALTER TABLE t ADD CONSTRAINT u1 UNIQUE (a)",
        "ALTER TABLE t /* note */ ADD INDEX i (a(10), b DESC)"}) {
    INFO(sql);
    CHECK(kind_of(sql) == Kind::kAddIndex);
    CHECK(runs_without_rollback(kind_of(sql)));
  }
  CHECK(kind_of("ANALYZE TABLE works, users") == Kind::kStatistics);
  CHECK(kind_of("ANALYZE NO_WRITE_TO_BINLOG TABLE works PERSISTENT FOR ALL") == Kind::kStatistics);
  for (const char* sql : {"SET SESSION lock_wait_timeout = 5", "SET foreign_key_checks = 0",
                          "/*!40101 SET NAMES utf8mb4 */", "SET @saved = @@character_set_client",
                          "SET @@session.sql_mode = ''", "START TRANSACTION", "COMMIT",
                          "SELECT COUNT(*) FROM works"}) {
    INFO(sql);
    CHECK(kind_of(sql) == Kind::kSession);
  }
}

TEST_CASE("migration statements: other schema changes need a rollback", "[unit][live]") {
  for (const char* sql :
       {"DROP INDEX i ON t", "ALTER TABLE t DROP INDEX j",
        "ALTER TABLE t ADD INDEX i (a), DROP INDEX j", "ALTER TABLE t ALTER INDEX i IGNORED",
        "ALTER TABLE t RENAME INDEX a TO b", "CREATE OR REPLACE INDEX i ON t (a)"}) {
    INFO(sql);
    CHECK(kind_of(sql) == Kind::kIndexChange);
  }
  for (const char* sql :
       {"CREATE OR REPLACE TABLE categories (id INT, INDEX(id))", "CREATE TABLE t (id INT)",
        "ALTER TABLE skills ADD COLUMN z INT, ENGINE=MyISAM, CONVERT TO CHARACTER SET ascii",
        "ALTER TABLE t ADD INDEX i (a), ENGINE=MyISAM", "ALTER TABLE t ADD PRIMARY KEY (a)",
        "ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u (id)", "DROP TABLE t",
        "RENAME TABLE a TO b", "OPTIMIZE TABLE works", "CREATE VIEW v AS SELECT 1"}) {
    INFO(sql);
    CHECK(kind_of(sql) == Kind::kTableChange);
    CHECK_FALSE(runs_without_rollback(kind_of(sql)));
  }
}

TEST_CASE("migration statements: data, server settings and privileges are refused",
          "[unit][live]") {
  for (const char* sql : {"ANALYZE DELETE FROM helps WHERE id > 0",
                          "ANALYZE UPDATE works SET title = 'x'",
                          "UPDATE works SET title = 'PWNED' WHERE id <= 100",
                          "DELETE FROM helps",
                          "INSERT INTO t VALUES (1)",
                          "REPLACE INTO t VALUES (1)",
                          "TRUNCATE TABLE t",
                          "LOAD DATA INFILE 'x' INTO TABLE t",
                          "CALL p()",
                          "DO SLEEP(1)",
                          "SET GLOBAL max_connections = 7",
                          "SET PERSIST max_connections = 7",
                          "SET @@global.max_connections = 7",
                          "GRANT ALL ON *.* TO x",
                          "REVOKE ALL ON *.* FROM x",
                          "CREATE USER x",
                          "DROP USER x",
                          "SET PASSWORD FOR x = 'p'",
                          "FLUSH TABLES",
                          "CREATE DATABASE d",
                          "DROP DATABASE d",
                          "LOCK TABLES t WRITE",
                          "KILL 7",
                          "SELECT * FROM t INTO OUTFILE '/tmp/x'",
                          "EXPLAIN ANALYZE UPDATE t SET a = 1",
                          "UPDATE t SET a = 'x",
                          "/*!50000 DELETE FROM t */"}) {
    INFO(sql);
    const MigrationStatementClass found = classify_migration_statement(sql);
    CHECK(found.kind == Kind::kRefused);
    CHECK_FALSE(found.why.empty());
  }
}

TEST_CASE("migration statements: the databases they name", "[unit][live]") {
  using Names = std::vector<std::string>;
  CHECK(classify_migration_statement("ALTER TABLE other.t DROP INDEX iv").databases ==
        Names{"other"});
  CHECK(classify_migration_statement("CREATE INDEX i ON `ot`.`t` (a)").databases == Names{"ot"});
  CHECK(classify_migration_statement("DROP INDEX i ON x.t").databases == Names{"x"});
  CHECK(classify_migration_statement("DROP TABLE a, y.b").databases == Names{"y"});
  CHECK(classify_migration_statement("ANALYZE TABLE z.works").databases == Names{"z"});
  CHECK(classify_migration_statement("RENAME TABLE a TO w.b").databases == Names{"w"});
  CHECK(classify_migration_statement("USE other").databases == Names{"other"});
  CHECK(classify_migration_statement("ALTER TABLE t ADD INDEX i (a)").databases.empty());
}

}  // namespace
}  // namespace sqlmeasure
