// Index hints against a changed schema (hint_check.h): the server's name rules, what a change
// breaks or redirects, and what `check --migration` finds with no server; and what the query
// shape reads for it (optimizer hints, the values a query looks columns up by).
#include "sqlmeasure/hint_check.h"

#include <catch2/catch.hpp>

#include "sqlmeasure/index_ddl.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/sql_statements.h"

using namespace sqlmeasure;

namespace {

TableInfo table_with(const std::string& name, std::vector<std::pair<std::string, bool>> indexes) {
  TableInfo table;
  table.name = name;
  for (const auto& [index_name, visible] : indexes) {
    IndexInfo index;
    index.name = index_name;
    index.visible = visible;
    table.indexes.push_back(index);
  }
  return table;
}

SchemaInfo schema_of(std::vector<TableInfo> tables) {
  SchemaInfo schema;
  schema.database = "demo";
  schema.tables = std::move(tables);
  return schema;
}

Screen screen_with(const std::string& name, const std::string& sql) {
  Screen screen;
  screen.name = name;
  Query query;
  query.name = "list";
  query.sql = sql;
  query.where = {"screens/" + name + ".toml", 4, 1};
  screen.queries.push_back(query);
  return screen;
}

SchemaChange migration_of(const std::string& script) {
  SchemaChange change;
  change.apply = split_statements(script, "up.sql");
  return change;
}

}  // namespace

TEST_CASE("hints resolve as the server resolves them", "[unit][hints]") {
  const TableInfo works = table_with("works", {{"user_id", true},
                                               {"user_id_id", true},
                                               {"cat", false},
                                               {"cat_status", true},
                                               {"budget_from", true},
                                               {"budget_to", true}});
  CHECK(resolve_hint("USER_ID", works, false).kind == HintResolution::Kind::kExact);
  CHECK(resolve_hint("user_id", works, false).index == "user_id");
  // An ignored index matches by name and fails; it is no prefix candidate either.
  CHECK(resolve_hint("cat", works, false).kind == HintResolution::Kind::kHidden);
  const HintResolution prefix = resolve_hint("cat_s", works, false);
  CHECK(prefix.kind == HintResolution::Kind::kPrefix);
  CHECK(prefix.index == "cat_status");
  CHECK(resolve_hint("budget", works, false).kind == HintResolution::Kind::kAmbiguous);
  CHECK(resolve_hint("nope", works, false).kind == HintResolution::Kind::kMissing);
  // Optimizer hints take exact names only.
  CHECK(resolve_hint("cat_s", works, true).kind == HintResolution::Kind::kMissing);
}

TEST_CASE("a change that drops a hinted index breaks the query; a prefix redirects it",
          "[unit][hints]") {
  const SchemaInfo before =
      schema_of({table_with("works", {{"PRIMARY", true}, {"category_id_status_started", true}}),
                 table_with("portfolios", {{"user_id", true}, {"user_id_2", true}})});
  const SchemaInfo after = schema_of(
      {table_with("works", {{"PRIMARY", true}}), table_with("portfolios", {{"user_id_2", true}})});
  const std::vector<Screen> screens = {
      screen_with("forced",
                  "SELECT id FROM works w FORCE INDEX (category_id_status_started) WHERE x = 1"),
      screen_with("portfolio", "SELECT id FROM portfolios USE INDEX (user_id) WHERE user_id = 1"),
      screen_with("fine", "SELECT id FROM works FORCE INDEX (PRIMARY) ORDER BY id")};
  const std::vector<HintProblem> problems = check_hints(screens, before, after);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].kind == HintProblem::Kind::kBreaks);
  CHECK(problems[0].screen == "forced");
  CHECK(problems[0].table == "works");
  // The server names the table as the query does: by its alias.
  CHECK(problems[0].error == "[1176] Key 'category_id_status_started' doesn't exist in table 'w'");
  CHECK(problems[0].describe() ==
        "forced/list (screens/forced.toml:4:1): FORCE INDEX (category_id_status_started) on "
        "works: works has no index category_id_status_started any more; the query fails: [1176] "
        "Key 'category_id_status_started' doesn't exist in table 'w'");
  CHECK(problems[1].kind == HintProblem::Kind::kRedirected);
  CHECK(problems[1].before == "user_id");
  CHECK(problems[1].after == "user_id_2");
  CHECK(hinted_tables(screens) == std::vector<std::string>{"portfolios", "works"});
}

TEST_CASE("a hint that failed before the change is not the change's doing", "[unit][hints]") {
  const SchemaInfo schema = schema_of({table_with("works", {{"PRIMARY", true}})});
  CHECK(check_hints({screen_with("old", "SELECT id FROM works FORCE INDEX (gone) WHERE a = 1")},
                    schema, schema)
            .empty());
}

TEST_CASE("an ignored index fails a hint; an optimizer hint is only ignored", "[unit][hints]") {
  const SchemaInfo before = schema_of({table_with("works", {{"deleted", true}})});
  const SchemaInfo after = schema_of({table_with("works", {{"deleted", false}})});
  const std::vector<HintProblem> problems = check_hints(
      {screen_with("a", "SELECT id FROM works IGNORE INDEX (deleted) WHERE deleted = 0"),
       screen_with("b", "SELECT /*+ INDEX(works deleted) */ id FROM works WHERE deleted = 0")},
      before, after);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].kind == HintProblem::Kind::kBreaks);
  CHECK(problems[0].cause == "deleted is ignored/invisible now");
  CHECK(problems[1].kind == HintProblem::Kind::kIgnored);
  CHECK(problems[1].hint == "INDEX(works deleted)");
}

TEST_CASE("check --migration: the hints a migration's statements break, with no server",
          "[unit][hints]") {
  const std::vector<Screen> screens = {
      screen_with("forced", "SELECT id FROM works FORCE INDEX (category_id) WHERE a = 1"),
      screen_with("renamed", "SELECT id FROM users u USE INDEX (email) WHERE u.email = 'x'"),
      screen_with("readded", "SELECT id FROM works FORCE INDEX (created) ORDER BY created"),
      screen_with("hidden", "SELECT id FROM works FORCE INDEX (deadline) WHERE a = 1"),
      screen_with("other", "SELECT id FROM proposals FORCE INDEX (category_id) WHERE a = 1"),
      screen_with("gone", "SELECT id FROM helps FORCE INDEX (section) WHERE a = 1")};
  const std::vector<HintProblem> problems = check_hints_offline(
      screens, migration_of("ALTER TABLE works DROP INDEX category_id, ALGORITHM=INPLACE;\n"
                            "ALTER TABLE `users` RENAME INDEX email TO email_address;\n"
                            "DROP INDEX created ON works;\n"
                            "CREATE INDEX created ON works (created, id);\n"
                            "ALTER TABLE works ALTER INDEX deadline IGNORED;\n"
                            "DROP TABLE helps;\n"));
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].screen == "forced");
  CHECK(problems[0].cause.starts_with("the migration drops category_id (up.sql:1:1) (unless "));
  CHECK(problems[1].screen == "renamed");
  CHECK(problems[1].cause.starts_with("the migration renames email to email_address (up.sql:2:1)"));
  CHECK(problems[2].screen == "hidden");
  CHECK(problems[2].cause == "the migration makes deadline ignored/invisible (up.sql:5:1)");
  CHECK(problems[2].error == "[1176] Key 'deadline' doesn't exist in table 'works'");
}

TEST_CASE("index DDL read by name from migration statements", "[unit][hints]") {
  const std::vector<SqlStatement> statements = split_statements(
      "ALTER TABLE db.t DROP KEY IF EXISTS a, ADD UNIQUE KEY b (x), DROP PRIMARY KEY, "
      "ADD COLUMN c INT, ALTER INDEX d NOT IGNORED, RENAME KEY e TO f;\n"
      "DROP TABLE IF EXISTS t1, t2;\n",
      "up.sql");
  const std::vector<IndexDdl> first = read_index_ddl(statements[0]);
  REQUIRE(first.size() == 5);
  CHECK((first[0].kind == IndexDdl::Kind::kDrop && first[0].table == "t" && first[0].index == "a"));
  CHECK((first[1].kind == IndexDdl::Kind::kAdd && first[1].index == "b"));
  CHECK((first[2].kind == IndexDdl::Kind::kDrop && first[2].index == "PRIMARY"));
  CHECK((first[3].kind == IndexDdl::Kind::kShow && first[3].index == "d"));
  CHECK((first[4].kind == IndexDdl::Kind::kRename && first[4].new_name == "f"));
  const std::vector<IndexDdl> second = read_index_ddl(statements[1]);
  REQUIRE(second.size() == 2);
  CHECK((second[1].kind == IndexDdl::Kind::kDropTable && second[1].table == "t2"));
}

TEST_CASE("query shape: optimizer hints name indexes of the table they name", "[unit][hints]") {
  const QueryShape shape = read_query_shape(
      "SELECT /*+ NO_INDEX(u@qb1 status, deleted) JOIN_ORDER(u, p) INDEX(missing x) */ u.id "
      "FROM users u JOIN profiles p ON p.user_id = u.id");
  REQUIRE(shape.hints.size() == 1);
  CHECK(shape.hints[0].optimizer_hint);
  CHECK(shape.hints[0].kind == "NO_INDEX");
  CHECK(shape.hints[0].indexes == std::vector<std::string>{"status", "deleted"});
  CHECK(shape.tables[shape.hints[0].table_reference].alias == "u");
  CHECK(shape.hints[0].text == "NO_INDEX(u@qb1 status, deleted)");
}

TEST_CASE("query shape: the literals and parameters columns are looked up by", "[unit][hints]") {
  const QueryShape shape = read_query_shape(
      "SELECT id FROM works w WHERE w.deleted = 0 AND 'open' = status AND user_id = :user "
      "AND budget = -5 AND title = 'it''s' AND a = b AND c = 1 + d AND e = f.g");
  REQUIRE(shape.equalities.size() == 5);
  CHECK((shape.equalities[0].qualifier == "w" && shape.equalities[0].column == "deleted" &&
         shape.equalities[0].literal == "0"));
  CHECK((shape.equalities[1].column == "status" && shape.equalities[1].literal == "open"));
  CHECK((shape.equalities[2].column == "user_id" && shape.equalities[2].param == "user"));
  CHECK(shape.equalities[3].literal == "-5");
  CHECK(shape.equalities[4].literal == "it's");
}
