// The migration classifier: only index additions and statistics refreshes may run without a
// rollback, read with the SQL lexer rather than by substring.
#include "live/additive_ddl.h"

#include <catch2/catch.hpp>

namespace sqlmeasure {
namespace {

TEST_CASE("index additions and statistics refreshes are additive", "[unit][live]") {
  CHECK(is_additive_ddl("CREATE INDEX i ON t (a)"));
  CHECK(is_additive_ddl("create unique index i on t (a, b)"));
  CHECK(is_additive_ddl("CREATE FULLTEXT INDEX f ON t (body)"));
  CHECK(is_additive_ddl("ALTER TABLE t ADD INDEX i (a)"));
  CHECK(is_additive_ddl("ALTER TABLE `db`.`t` ADD KEY i (a), ADD UNIQUE KEY u (b), ALGORITHM=INPLACE, LOCK=NONE"));
  CHECK(is_additive_ddl("ALTER TABLE t ADD CONSTRAINT u1 UNIQUE (a)"));
  CHECK(is_additive_ddl("ALTER TABLE t /* note */ ADD INDEX i (a(10), b DESC)"));
  CHECK(is_additive_ddl("ANALYZE TABLE works, users"));
  CHECK(is_additive_ddl("ANALYZE NO_WRITE_TO_BINLOG TABLE works"));
  CHECK(is_additive_ddl("OPTIMIZE TABLE works"));
}

TEST_CASE("anything that changes or removes is not additive", "[unit][live]") {
  // MariaDB's ANALYZE runs the statement it analyzes: every row deleted.
  CHECK_FALSE(is_additive_ddl("ANALYZE DELETE FROM helps WHERE id > 0"));
  CHECK_FALSE(is_additive_ddl("CREATE OR REPLACE TABLE categories (id INT, INDEX(id))"));
  CHECK_FALSE(is_additive_ddl("CREATE OR REPLACE INDEX i ON t (a)"));
  CHECK_FALSE(is_additive_ddl("CREATE TABLE t (id INT, INDEX (id))"));
  CHECK_FALSE(is_additive_ddl(
      "ALTER TABLE skills ADD COLUMN z INT, ENGINE=MyISAM, CONVERT TO CHARACTER SET ascii"));
  CHECK_FALSE(is_additive_ddl("ALTER TABLE t ADD INDEX i (a), DROP INDEX j"));
  CHECK_FALSE(is_additive_ddl("ALTER TABLE t DROP INDEX j"));
  CHECK_FALSE(is_additive_ddl("ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u (id)"));
  CHECK_FALSE(is_additive_ddl("ALTER TABLE t ADD PRIMARY KEY (a)"));
  CHECK_FALSE(is_additive_ddl("ALTER TABLE t ADD INDEX i (a), ENGINE=MyISAM"));
  CHECK_FALSE(is_additive_ddl("ALTER TABLE t RENAME INDEX a TO b"));
  CHECK_FALSE(is_additive_ddl("ALTER TABLE t ADD INDEX i (a) /*!, DROP COLUMN b */"));
  CHECK_FALSE(is_additive_ddl("UPDATE works SET title = 'ADD INDEX'"));
  CHECK_FALSE(is_additive_ddl("DROP INDEX i ON t"));
  CHECK_FALSE(is_additive_ddl("ALTER TABLE t ADD INDEX i (a"));
  CHECK_FALSE(is_additive_ddl("ALTER TABLE t ADD INDEX 'i"));
  CHECK_FALSE(is_additive_ddl(""));
}

}  // namespace
}  // namespace sqlmeasure
