// A drop-only migration measured with its indexes ignored instead of dropped: which
// migrations are drop-only, when the rollback puts back exactly what was dropped, and every
// reason to run the real DDL instead (docs/measurement.md, "Drop-index migrations").
#include "live/ignored_drop.h"

#include <catch2/catch.hpp>

#include "live/index_visibility.h"

namespace sqlmeasure {
namespace {

std::vector<SqlStatement> statements(std::initializer_list<const char*> texts) {
  std::vector<SqlStatement> out;
  int line = 1;
  for (const char* text : texts) out.push_back({text, "", {"m.sql", line++, 1}});
  return out;
}

SchemaChange migration(std::initializer_list<const char*> up,
                       std::initializer_list<const char*> down) {
  SchemaChange change;
  change.description = "migration m.sql";
  change.apply = statements(up);
  change.undo = statements(down);
  return change;
}

std::optional<DropOnlyMigration> read_drop_only_of(const SchemaChange& change) {
  return read_drop_only(change.apply, change.undo);
}

IndexInfo index(const std::string& name, std::vector<std::string> columns, bool unique = false) {
  IndexInfo out;
  out.name = name;
  out.unique = unique;
  int seq = 1;
  for (const std::string& column : columns) {
    IndexColumn part;
    part.column = column;
    part.seq = seq++;
    out.columns.push_back(part);
  }
  return out;
}

// works: PRIMARY (id), budget_from (budget_from), category (category_id),
// category_status (category_id, status); proposals: work_id backs a foreign key to works.
SchemaInfo schema(Flavor flavor = Flavor::kMariaDB, int major = 10, int minor = 11) {
  SchemaInfo out;
  out.database = "shop";
  out.server.flavor = flavor;
  out.server.major = major;
  out.server.minor = minor;
  TableInfo works;
  works.name = "works";
  works.indexes = {index("PRIMARY", {"id"}, true), index("budget_from", {"budget_from"}),
                   index("category", {"category_id"}),
                   index("category_status", {"category_id", "status"})};
  TableInfo proposals;
  proposals.name = "proposals";
  proposals.indexes = {index("PRIMARY", {"id"}, true), index("work_id", {"work_id"})};
  ForeignKeyInfo fk;
  fk.name = "fk_proposals_work";
  fk.table = "proposals";
  fk.columns = {"work_id"};
  fk.referenced_table = "works";
  fk.referenced_columns = {"id"};
  proposals.foreign_keys.push_back(fk);
  works.referenced_by.push_back(fk);
  out.tables = {works, proposals};
  return out;
}

Screen screen_with(const std::string& sql) {
  Screen screen;
  screen.name = "search";
  screen.queries.push_back({"list", sql, 1, {}, {"search.toml", 3, 1}});
  return screen;
}

std::string why(const SchemaChange& change, const SchemaInfo& info = schema(),
                const std::vector<Screen>& screens = {}) {
  const std::optional<DropOnlyMigration> drops = read_drop_only(change.apply, change.undo);
  REQUIRE(drops);
  return why_real_ddl(*drops, info, screens);
}

TEST_CASE("drop-only migrations: which migrations only drop indexes", "[unit][live]") {
  for (const char* up : {"ALTER TABLE works DROP INDEX budget_from",
                         "alter table `shop`.`works` drop key `budget_from`, ALGORITHM=INPLACE, "
                         "LOCK=NONE",
                         "DROP INDEX budget_from ON works",
                         "DROP INDEX IF EXISTS budget_from ON "
                         "shop.works LOCK = NONE",
                         "ALTER TABLE works /* why */ DROP INDEX budget_from, DROP INDEX category",
                         "ALTER TABLE works DROP PRIMARY KEY"}) {
    INFO(up);
    const auto drops = read_drop_only_of(migration({up}, {}));
    REQUIRE(drops);
    CHECK(drops->dropped.front().table == "works");
  }
  for (const char* up :
       {"ALTER TABLE works ADD INDEX i (a)", "ALTER TABLE works DROP INDEX a, ADD INDEX b (c)",
        // refused by the server (1091, a syntax error): the real DDL shows that
        "ALTER TABLE works DROP INDEX a, DROP INDEX a", "ALTER TABLE works DROP INDEX a,",
        "ALTER TABLE works DROP COLUMN budget_from", "ALTER TABLE works DROP FOREIGN KEY fk",
        "ALTER TABLE works ALTER INDEX a IGNORED", "SET SESSION lock_wait_timeout = 5",
        "DROP TABLE works", "ALTER TABLE works ALGORITHM=INPLACE"}) {
    INFO(up);
    CHECK_FALSE(read_drop_only_of(migration({up}, {})));
  }
  const auto two = read_drop_only_of(
      migration({"ALTER TABLE works DROP INDEX budget_from", "DROP INDEX work_id ON proposals"},
                {"ALTER TABLE works ADD INDEX budget_from (budget_from)",
                 "CREATE INDEX work_id ON proposals (work_id)"}));
  REQUIRE(two);
  REQUIRE(two->dropped.size() == 2);
  CHECK(two->dropped[1].index == "work_id");
  CHECK(two->dropped[1].where.str() == "m.sql:2:1");
  REQUIRE(two->recreated.size() == 2);
  CHECK(two->rollback_unread.empty());
}

TEST_CASE("drop-only migrations: ignored when the rollback re-creates exactly the dropped indexes",
          "[unit][live]") {
  CHECK(why(migration({"ALTER TABLE works DROP INDEX budget_from"},
                      {"ALTER TABLE works ADD INDEX budget_from (budget_from)"}))
            .empty());
  CHECK(why(migration({"DROP INDEX category_status ON works", "DROP INDEX budget_from ON works"},
                      {"CREATE INDEX budget_from USING BTREE ON works (budget_from)",
                       "ALTER TABLE works ADD KEY `category_status` (category_id, status), "
                       "ALGORITHM=INPLACE"}))
            .empty());
  // MySQL 8 has invisible indexes.
  CHECK(why(migration({"ALTER TABLE works DROP INDEX budget_from"},
                      {"ALTER TABLE works ADD INDEX budget_from (budget_from)"}),
            schema(Flavor::kMySQL, 8, 0))
            .empty());
}

TEST_CASE("drop-only migrations: the real DDL runs, and why", "[unit][live]") {
  const SchemaChange drop_budget =
      migration({"ALTER TABLE works DROP INDEX budget_from"},
                {"ALTER TABLE works ADD INDEX budget_from (budget_from)"});
  CHECK_THAT(why(drop_budget, schema(Flavor::kMariaDB, 10, 5)),
             Catch::Contains("MariaDB 10.5 has no ignored indexes"));
  CHECK_THAT(why(drop_budget, schema(Flavor::kMySQL, 5, 7)),
             Catch::Contains("MySQL 5.7 has no invisible indexes"));
  CHECK_THAT(why(migration({"ALTER TABLE works DROP PRIMARY KEY"},
                           {"ALTER TABLE works ADD PRIMARY KEY (id)"})),
             Catch::Contains("m.sql:1:1: it drops the primary key of works"));
  CHECK_THAT(why(migration({"ALTER TABLE works DROP INDEX nothing"},
                           {"ALTER TABLE works ADD INDEX nothing (a)"})),
             Catch::Contains("table works has no index nothing"));
  // A table without a PRIMARY KEY: its first UNIQUE NOT NULL key is the primary key.
  SchemaInfo implicit = schema();
  implicit.tables[0].indexes[0] = index("email", {"email"}, true);
  CHECK_THAT(
      why(migration({"DROP INDEX email ON works"}, {"CREATE UNIQUE INDEX email ON works (email)"}),
          implicit),
      Catch::Contains("works.email is the table's implicit primary key"));
  SchemaInfo hidden = schema();
  hidden.tables[0].indexes[1].visible = false;
  CHECK_THAT(why(drop_budget, hidden), Catch::Contains("works.budget_from is already IGNORED"));
  // A foreign key the index alone backs: the real DROP fails with 1553.
  CHECK_THAT(why(migration({"DROP INDEX work_id ON proposals"},
                           {"CREATE INDEX work_id ON proposals (work_id)"})),
             Catch::Contains("foreign key fk_proposals_work (proposals) needs proposals.work_id") &&
                 Catch::Contains("1553"));
  // The rollback: missing, different, or not read.
  CHECK_THAT(why(migration({"ALTER TABLE works DROP INDEX budget_from"}, {})),
             Catch::Contains("the rollback does not re-create works.budget_from"));
  CHECK_THAT(
      why(migration({"ALTER TABLE works DROP INDEX budget_from"},
                    {"ALTER TABLE works ADD INDEX budget_from (budget_from, id)"})),
      Catch::Contains("re-creates works.budget_from as KEY (budget_from, id), not as it is now "
                      "(KEY (budget_from))"));
  CHECK_THAT(why(migration({"ALTER TABLE works DROP INDEX budget_from"},
                           {"ALTER TABLE works ADD UNIQUE INDEX budget_from (budget_from)"})),
             Catch::Contains("as UNIQUE KEY (budget_from)"));
  CHECK_THAT(why(migration({"ALTER TABLE works DROP INDEX budget_from"},
                           {"ALTER TABLE works ADD INDEX budget_from (budget_from(10))"})),
             Catch::Contains("as KEY (budget_from(10))"));
  CHECK_THAT(why(migration({"ALTER TABLE works DROP INDEX budget_from"},
                           {"ALTER TABLE works ADD INDEX budget_from (budget_from), "
                            "ADD INDEX extra (id)"})),
             Catch::Contains("creates works.extra, which the migration does not drop"));
  CHECK_THAT(why(migration({"ALTER TABLE works DROP INDEX budget_from"},
                           {"ALTER TABLE works ADD INDEX budget_from (budget_from) COMMENT 'x'"})),
             Catch::Contains("m.sql:1:1: an index option sqlmeasure does not compare (COMMENT)"));
  CHECK_THAT(why(migration({"ALTER TABLE works DROP INDEX budget_from"},
                           {"ALTER TABLE works ADD INDEX budget_from ((budget_from + 1))"})),
             Catch::Contains("not a plain column"));
  CHECK_THAT(why(migration({"ALTER TABLE works DROP INDEX budget_from"},
                           {"ALTER TABLE works ADD COLUMN x INT"})),
             Catch::Contains("it adds something other than an index"));
}

TEST_CASE("drop-only migrations: a hint that a real drop would resolve to another index",
          "[unit][live]") {
  const SchemaChange drop_category =
      migration({"ALTER TABLE works DROP INDEX category"},
                {"ALTER TABLE works ADD INDEX category (category_id)"});
  // FORCE INDEX (category) names `category` now; once it is dropped, the server takes
  // `category` as a prefix of `category_status`. Ignored, it would fail the query instead.
  const std::string prefix =
      why(drop_category, schema(),
          {screen_with("SELECT id FROM works w FORCE INDEX (category) WHERE category_id = 1")});
  CHECK_THAT(prefix, Catch::Contains("search/list (search.toml:3:1) has FORCE INDEX (category)") &&
                         Catch::Contains("resolves category to category_status"));
  // A hint on another index, or one no other index name starts like: ignoring is right.
  CHECK(why(drop_category, schema(),
            {screen_with("SELECT id FROM works USE INDEX (budget_from) WHERE budget_from > 1")})
            .empty());
  const SchemaChange drop_budget =
      migration({"ALTER TABLE works DROP INDEX budget_from"},
                {"ALTER TABLE works ADD INDEX budget_from (budget_from)"});
  CHECK(why(drop_budget, schema(),
            {screen_with("SELECT id FROM works FORCE INDEX (budget_from) WHERE budget_from > 1")})
            .empty());
}

TEST_CASE("hiding an index: IGNORED on MariaDB, INVISIBLE on MySQL 8, and back", "[unit][live]") {
  ServerInfo mariadb;
  mariadb.flavor = Flavor::kMariaDB;
  mariadb.major = 10;
  mariadb.minor = 11;
  ServerInfo mysql;
  mysql.flavor = Flavor::kMySQL;
  mysql.major = 8;
  const SourceLocation where{"m.sql", 1, 1};
  CHECK(hide_index_statement(mariadb, "shop", "works", "budget_from", where).text ==
        "ALTER TABLE `shop`.`works` ALTER INDEX `budget_from` IGNORED");
  CHECK(show_index_statement(mariadb, "shop", "works", "budget_from", where).text ==
        "ALTER TABLE `shop`.`works` ALTER INDEX `budget_from` NOT IGNORED");
  // MySQL 8 refuses a hint naming an invisible index (error 1176), as MariaDB does for an
  // ignored one: the statements are the only difference, the queries are left as written.
  CHECK(hide_index_statement(mysql, "shop", "works", "budget_from", where).text ==
        "ALTER TABLE `shop`.`works` ALTER INDEX `budget_from` INVISIBLE");
  CHECK(show_index_statement(mysql, "shop", "works", "budget_from", where).text ==
        "ALTER TABLE `shop`.`works` ALTER INDEX `budget_from` VISIBLE");
  CHECK(hide_index_statement(mysql, "shop", "works", "budget_from", where).where.str() ==
        "m.sql:1:1");
  ServerInfo aurora2 = mysql;
  aurora2.flavor = Flavor::kAurora;
  aurora2.major = 5;
  aurora2.minor = 7;
  CHECK_THAT(why_indexes_cannot_be_hidden(aurora2), Catch::Contains("MySQL 5.7"));
}

}  // namespace
}  // namespace sqlmeasure
