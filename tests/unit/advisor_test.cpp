// The index rules on metadata built in memory (no server): each rule's trigger, its
// evidence and fix SQL, and the cases where it must stay quiet; the duplicate-key finder on
// the cases pt-duplicate-key-checker distinguishes; the SQL reader behind hints and ORDER BY.
#include "sqlmeasure/advisor.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sqlmeasure/error.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/schema_reader.h"

namespace sqlmeasure {
namespace {

struct Col {
  std::string name;
  std::optional<std::uint64_t> sub_part = std::nullopt;
  bool descending = false;
};

IndexInfo make_index(std::string name, std::vector<Col> columns, bool unique = false,
                     std::string type = "BTREE", std::vector<std::uint64_t> cardinality = {}) {
  IndexInfo index;
  index.name = std::move(name);
  index.unique = unique || index.name == "PRIMARY";
  index.type = std::move(type);
  int seq = 1;
  for (const Col& col : columns) {
    IndexColumn column;
    column.column = col.name;
    column.seq = seq;
    column.sub_part = col.sub_part;
    column.descending = col.descending;
    if (static_cast<size_t>(seq) <= cardinality.size()) {
      column.cardinality = cardinality[static_cast<size_t>(seq - 1)];
    }
    index.columns.push_back(column);
    ++seq;
  }
  return index;
}

ColumnInfo make_column(std::string name, std::string type = "int", std::string extra = "") {
  ColumnInfo column;
  column.name = std::move(name);
  column.data_type = std::move(type);
  column.extra = std::move(extra);
  return column;
}

// An InnoDB table with an AUTO_INCREMENT id primary key and the given columns.
TableInfo make_table(std::string name, std::vector<std::string> columns,
                     std::uint64_t rows = 100000, std::string engine = "InnoDB") {
  TableInfo table;
  table.name = std::move(name);
  table.engine = std::move(engine);
  table.rows_estimate = rows;
  table.columns.push_back(make_column("id", "int", "auto_increment"));
  for (const std::string& column : columns) table.columns.push_back(make_column(column));
  table.indexes.push_back(make_index("PRIMARY", {{"id"}}, true, "BTREE", {rows}));
  return table;
}

SchemaInfo schema_of(std::vector<TableInfo> tables) {
  SchemaInfo schema;
  schema.database = "shop";
  schema.server.flavor = Flavor::kMariaDB;
  schema.tables = std::move(tables);
  return schema;
}

std::vector<Finding> findings_of(const SchemaInfo& schema, const ScenarioEvidence& scenarios = {}) {
  return run_advisor(schema, scenarios).findings;
}

std::vector<Finding> with_rule(const std::vector<Finding>& findings, const std::string& rule) {
  std::vector<Finding> out;
  for (const Finding& finding : findings) {
    if (finding.rule == rule) out.push_back(finding);
  }
  return out;
}

bool mentions(const Finding& finding, const std::string& text) {
  if (finding.summary.find(text) != std::string::npos) return true;
  for (const auto* lines : {&finding.evidence, &finding.fix, &finding.verify}) {
    for (const std::string& line : *lines) {
      if (line.find(text) != std::string::npos) return true;
    }
  }
  return false;
}

using Pair = std::pair<std::string, std::string>;

std::vector<Pair> dupes(const TableInfo& table) {
  std::vector<Pair> out;
  for (const DuplicateKey& key : find_duplicate_keys(table))
    out.emplace_back(key.index, key.duplicate_of);
  std::sort(out.begin(), out.end());
  return out;
}

ColumnProfile counted(std::uint64_t distinct,
                      std::vector<std::pair<std::string, std::uint64_t>> top, std::uint64_t rows) {
  ColumnProfile profile;
  profile.distinct = distinct;
  profile.rows_read = rows;
  profile.method = "counted over " + std::to_string(rows) + " rows";
  for (auto& [value, count] : top) profile.top.push_back({value, count});
  return profile;
}

}  // namespace

// ---------------------------------------------------------------- duplicate keys

TEST_CASE("exact duplicates: the later name of two identical keys goes", "[unit][indexes]") {
  TableInfo t = make_table("t", {"a"});
  t.indexes.push_back(make_index("a", {{"a"}}));
  t.indexes.push_back(make_index("a_copy", {{"a"}}));
  CHECK(dupes(t) == std::vector<Pair>{{"a_copy", "a"}});
  auto findings = findings_of(schema_of({t}));
  auto found = with_rule(findings, "duplicate-index");
  REQUIRE(found.size() == 1);
  CHECK(found[0].index == "a_copy");
  CHECK(found[0].fix == std::vector<std::string>{"ALTER TABLE t DROP INDEX a_copy;"});
  CHECK(mentions(found[0], "sqlmeasure compare --ignore-index t.a_copy"));
}

TEST_CASE("left prefixes: every shorter key of a chain is redundant", "[unit][indexes]") {
  TableInfo t = make_table("t", {"a", "b", "c"});
  t.indexes.push_back(make_index("a", {{"a"}}));
  t.indexes.push_back(make_index("a_b", {{"a"}, {"b"}}));
  t.indexes.push_back(make_index("a_b_c", {{"a"}, {"b"}, {"c"}}));
  t.indexes.push_back(make_index("b_a", {{"b"}, {"a"}}));  // another order: not redundant
  CHECK(dupes(t) == std::vector<Pair>{{"a", "a_b_c"}, {"a_b", "a_b_c"}});
  auto found = with_rule(findings_of(schema_of({t})), "redundant-index");
  REQUIRE(found.size() == 2);
  CHECK(mentions(found[0], "is a left prefix of a_b_c"));
}

TEST_CASE(
    "InnoDB primary-key suffix: a twin of the shorter key is a duplicate, alone it is "
    "cosmetic",
    "[unit][indexes]") {
  TableInfo t = make_table("works", {"user_id", "v"});
  t.indexes.push_back(make_index("user_id", {{"user_id"}}));
  t.indexes.push_back(make_index("user_id_id", {{"user_id"}, {"id"}}));
  t.indexes.push_back(make_index("v_id", {{"v"}, {"id"}}));
  // As the tool says: user_id is a left prefix of user_id_id, and both user_id_id and v_id end
  // with the clustered key.
  CHECK(dupes(t) == std::vector<Pair>{
                        {"user_id", "user_id_id"}, {"user_id_id", "PRIMARY"}, {"v_id", "PRIMARY"}});
  auto findings = findings_of(schema_of({t}));
  auto duplicate = with_rule(findings, "duplicate-index");
  REQUIRE(duplicate.size() == 1);
  CHECK(duplicate[0].index == "user_id_id");
  CHECK(duplicate[0].fix == std::vector<std::string>{"ALTER TABLE works DROP INDEX user_id_id;"});
  auto redundant = with_rule(findings, "redundant-index");
  REQUIRE(redundant.size() == 2);
  // The prefix finding on user_id points at the same fix: keep user_id, drop user_id_id.
  const Finding* prefix = redundant[0].index == "user_id" ? &redundant[0] : &redundant[1];
  const Finding* suffix = redundant[0].index == "v_id" ? &redundant[0] : &redundant[1];
  CHECK(prefix->fix == std::vector<std::string>{"ALTER TABLE works DROP INDEX user_id_id;"});
  CHECK(suffix->severity == Severity::kInfo);
  CHECK(suffix->fix ==
        std::vector<std::string>{"ALTER TABLE works DROP INDEX v_id, ADD INDEX v_id (v);"});
}

TEST_CASE("InnoDB: an index ending with a leading part of a composite primary key repeats it",
          "[unit][indexes]") {
  // PRIMARY KEY (p_id, n_id), KEY o_id (o_id, p_id): stored as (o_id, p_id, n_id) either way
  // (InnoDB appends only the primary-key columns an index lacks). pt-duplicate-key-checker
  // misses it; its own comment says it should not.
  TableInfo t;
  t.name = "links";
  t.engine = "InnoDB";
  t.rows_estimate = 1000;
  t.columns = {make_column("p_id"), make_column("n_id"), make_column("o_id"), make_column("x")};
  t.indexes.push_back(make_index("PRIMARY", {{"p_id"}, {"n_id"}}, true, "BTREE", {100, 1000}));
  t.indexes.push_back(make_index("o_id", {{"o_id"}, {"p_id"}}));
  t.indexes.push_back(make_index("p_x", {{"p_id"}, {"x"}}));  // starts with it: not stored twice
  t.indexes.push_back(make_index("x_n", {{"x"}, {"n_id"}}));  // n_id alone is no leading part
  CHECK(dupes(t) == std::vector<Pair>{{"o_id", "PRIMARY"}});
  auto found = with_rule(findings_of(schema_of({t})), "redundant-index");
  REQUIRE(found.size() == 1);
  CHECK(found[0].index == "o_id");
  CHECK(mentions(found[0], "ends with (p_id), the leading part of the primary key (p_id, n_id)"));
  CHECK(found[0].fix ==
        std::vector<std::string>{"ALTER TABLE links DROP INDEX o_id, ADD INDEX o_id (o_id);"});
}

TEST_CASE("unique keys: a plain key duplicating one goes; the constraint stays",
          "[unit][indexes]") {
  TableInfo t = make_table("t", {"a", "b", "c", "d", "e", "f"});
  t.indexes.push_back(make_index("ua", {{"a"}}, true));
  t.indexes.push_back(make_index("ub", {{"b"}}, true));
  t.indexes.push_back(make_index("ub2", {{"b"}}, true));
  t.indexes.push_back(make_index("ucd", {{"c"}, {"d"}}, true));
  t.indexes.push_back(make_index("ue", {{"e"}}, true));
  t.indexes.push_back(make_index("a", {{"a"}}));
  t.indexes.push_back(make_index("c", {{"c"}}));
  t.indexes.push_back(make_index("c_d", {{"c"}, {"d"}}));
  t.indexes.push_back(make_index("e_f", {{"e"}, {"f"}}));  // ue alone makes e unique: both stay
  t.indexes.push_back(make_index("uid", {{"id"}}, true));
  CHECK(dupes(t) ==
        std::vector<Pair>{
            {"a", "ua"}, {"c", "ucd"}, {"c_d", "ucd"}, {"ub", "ub2"}, {"uid", "PRIMARY"}});
  auto findings = findings_of(schema_of({t}));
  auto it = std::find_if(findings.begin(), findings.end(),
                         [](const Finding& f) { return f.index == "ub"; });
  REQUIRE(it != findings.end());
  CHECK(mentions(*it,
                 "ub only repeats the uniqueness ub2 already enforces on b; dropping ub "
                 "loses no constraint, ub2 keeps enforcing it"));
}

TEST_CASE("FULLTEXT compares only with FULLTEXT, in any column order, exact only",
          "[unit][indexes]") {
  TableInfo t = make_table("t", {"title", "body"});
  t.indexes.push_back(make_index("ft1", {{"title"}, {"body"}}, false, "FULLTEXT"));
  t.indexes.push_back(make_index("ft2", {{"body"}, {"title"}}, false, "FULLTEXT"));
  t.indexes.push_back(make_index("ft3", {{"title"}}, false, "FULLTEXT"));
  t.indexes.push_back(make_index("title", {{"title", 20}}));
  CHECK(dupes(t) == std::vector<Pair>{{"ft2", "ft1"}});
}

TEST_CASE("prefix lengths and directions are part of a key part", "[unit][indexes]") {
  TableInfo t = make_table("t", {"name", "x", "a", "b"});
  t.indexes.push_back(make_index("n10", {{"name", 10}}));
  t.indexes.push_back(make_index("n20", {{"name", 20}}));
  t.indexes.push_back(make_index("n10_x", {{"name", 10}, {"x"}}));
  // pt-duplicate-key-checker calls the full-column key a left prefix of name(10), and ignores
  // DESC; neither is redundant.
  t.indexes.push_back(make_index("name", {{"name"}}));
  t.indexes.push_back(make_index("a_b", {{"a"}, {"b"}}));
  t.indexes.push_back(make_index("a_bd", {{"a"}, {"b", std::nullopt, true}}));
  CHECK(dupes(t) == std::vector<Pair>{{"n10", "n10_x"}});
}

TEST_CASE(
    "no clustered suffix outside InnoDB; without a PRIMARY KEY the first UNIQUE NOT NULL "
    "key clusters",
    "[unit][indexes]") {
  TableInfo myisam = make_table("m", {"a"}, 100, "MyISAM");
  myisam.indexes.push_back(make_index("a_id", {{"a"}, {"id"}}));
  CHECK(dupes(myisam).empty());

  TableInfo nopk;
  nopk.name = "n";
  nopk.engine = "InnoDB";
  nopk.columns = {make_column("u"), make_column("a")};
  nopk.indexes.push_back(make_index("u", {{"u"}}, true));
  nopk.indexes.push_back(make_index("a_u", {{"a"}, {"u"}}));
  CHECK(dupes(nopk) == std::vector<Pair>{{"a_u", "u"}});
}

ForeignKeyInfo make_fk(std::string name, std::string table, std::vector<std::string> columns,
                       std::string parent, std::vector<std::string> parent_columns,
                       std::string on_delete = "RESTRICT") {
  ForeignKeyInfo fk;
  fk.name = std::move(name);
  fk.table = std::move(table);
  fk.columns = std::move(columns);
  fk.referenced_table = std::move(parent);
  fk.referenced_columns = std::move(parent_columns);
  fk.on_delete = std::move(on_delete);
  return fk;
}

TEST_CASE("duplicate-foreign-key: the same column pairs to the same table, acting alike",
          "[unit][indexes]") {
  TableInfo c = make_table("c", {"pid", "pid2"});
  c.indexes.push_back(make_index("pid", {{"pid"}, {"pid2"}}));
  c.foreign_keys = {make_fk("fk1", "c", {"pid"}, "p", {"id"}),
                    make_fk("fk2", "c", {"pid"}, "p", {"id"}),
                    make_fk("fk3", "c", {"pid", "pid2"}, "p", {"id", "id2"}),
                    // the same pairs listed in another order: the same constraint
                    make_fk("fk6", "c", {"pid2", "pid"}, "p", {"id2", "id"}),
                    // pid -> id2 and pid2 -> id: another constraint (pt-duplicate-key-checker,
                    // which sorts the two lists apart, calls it a duplicate of fk3)
                    make_fk("fk7", "c", {"pid", "pid2"}, "p", {"id2", "id"}),
                    // the same columns, but ON DELETE CASCADE: it acts otherwise
                    make_fk("fk8", "c", {"pid"}, "p", {"id"}, "CASCADE"),
                    make_fk("fk9", "c", {"pid"}, "q", {"id"})};
  const auto found = with_rule(findings_of(schema_of({c})), "duplicate-foreign-key");
  REQUIRE(found.size() == 2);
  CHECK(found[0].index == "fk2");
  CHECK(found[0].summary ==
        "FOREIGN KEY fk2 (pid) REFERENCES p (id) is a duplicate of FOREIGN KEY fk1 (pid) "
        "REFERENCES p (id)");
  CHECK(found[0].fix == std::vector<std::string>{"ALTER TABLE c DROP FOREIGN KEY fk2;"});
  CHECK(mentions(found[0], "the index it uses stays, and keeps serving fk1"));
  CHECK(found[1].index == "fk6");
  CHECK(mentions(found[1], "listed in another order: the same constraint"));
}

TEST_CASE("a UNIQUE key ending with the clustered key: made plain only when all of it",
          "[unit][indexes]") {
  // UNIQUE (o, id) beside PRIMARY KEY (id): id alone is unique, so (o, id) stays unique as a
  // plain KEY (o) — and the finding says so.
  TableInfo whole = make_table("whole", {"o"});
  whole.indexes.push_back(make_index("o_id", {{"o"}, {"id"}}, true));
  const auto found = with_rule(findings_of(schema_of({whole})), "redundant-index");
  REQUIRE(found.size() == 1);
  CHECK(mentions(found[0],
                 "o_id is UNIQUE, and the fix defines it as a plain KEY: it contains "
                 "the whole primary key (id)"));
  CHECK(mentions(found[0], "ADD INDEX o_id (o)"));
  // UNIQUE (o, p) beside PRIMARY KEY (p, n): p is not unique on its own, so (o, p) is a real
  // constraint and stays.
  TableInfo part = make_table("part", {"o", "p", "n"});
  part.indexes[0] = make_index("PRIMARY", {{"p"}, {"n"}}, true);
  part.indexes.push_back(make_index("o_p", {{"o"}, {"p"}}, true));
  CHECK(dupes(part).empty());
  // The plain key is stored as (o, p, n) either way: found as before.
  part.indexes.back().unique = false;
  CHECK(dupes(part) == std::vector<Pair>{{"o_p", "PRIMARY"}});
}

TEST_CASE("a key ending with a part of the clustered key that a foreign key needs as declared",
          "[unit][indexes]") {
  // KEY b_a (b, a) beside PRIMARY KEY (a, b) is stored as (b, a) either way, but a foreign
  // key referencing (b, a) needs it declared so: the shortening fails with 1553.
  TableInfo parent = make_table("t_fkp", {"a", "b"});
  parent.indexes[0] = make_index("PRIMARY", {{"a"}, {"b"}}, true);
  parent.indexes.push_back(make_index("b_a", {{"b"}, {"a"}}));
  CHECK(with_rule(findings_of(schema_of({parent})), "redundant-index").size() == 1);
  parent.referenced_by.push_back(make_fk("fkd_5", "t_fkdup", {"x", "y"}, "t_fkp", {"b", "a"}));
  CHECK(with_rule(findings_of(schema_of({parent})), "redundant-index").empty());
}

TEST_CASE("stale-statistics: InnoDB's settings only for InnoDB tables", "[unit][indexes]") {
  TableInfo myisam = make_table("legacy", {"a"}, 2500, "MyISAM");
  myisam.indexes[0].columns[0].cardinality = 0;
  const auto found = with_rule(findings_of(schema_of({myisam})), "stale-statistics");
  REQUIRE(found.size() == 1);
  CHECK(mentions(found[0], "MyISAM keeps the statistics the last ANALYZE TABLE computed"));
  CHECK_FALSE(mentions(found[0], "STATS_AUTO_RECALC"));
  CHECK(mentions(found[0], "the table has ~2,500 rows"));
}

TEST_CASE("a duplicate that a foreign key uses says which index keeps serving it",
          "[unit][indexes]") {
  TableInfo t = make_table("t_fk", {"parent_id", "x"});
  t.indexes.push_back(make_index("parent_id", {{"parent_id"}}));
  t.indexes.push_back(make_index("parent_id_x", {{"parent_id"}, {"x"}}));
  ForeignKeyInfo fk;
  fk.name = "fk_parent";
  fk.table = "t_fk";
  fk.columns = {"parent_id"};
  fk.referenced_table = "t_parent";
  fk.referenced_columns = {"id"};
  t.foreign_keys.push_back(fk);
  auto found = with_rule(findings_of(schema_of({t})), "redundant-index");
  REQUIRE(found.size() == 1);
  CHECK(mentions(found[0], "foreign key fk_parent keeps an index: parent_id_x serves it"));
}

// ---------------------------------------------------------------- cardinality rules

TEST_CASE("low-cardinality: a deleted flag, with the values that dominate", "[unit][indexes]") {
  TableInfo users = make_table("users", {"deleted", "email"});
  users.indexes.push_back(make_index("deleted", {{"deleted"}}, false, "BTREE", {2}));
  users.indexes.push_back(make_index("email", {{"email"}}, true, "BTREE", {100000}));
  users.profiles["deleted"] = counted(2, {{"0", 98500}, {"1", 1500}}, 100000);
  auto found = with_rule(findings_of(schema_of({users})), "low-cardinality");
  REQUIRE(found.size() == 1);
  CHECK(found[0].index == "deleted");
  CHECK(found[0].severity == Severity::kWarning);
  CHECK(mentions(found[0], "0 → 98.5 %, 1 → 1.5 %"));
  CHECK(mentions(found[0], "reads 98.5 % of the table through the index"));
  CHECK(found[0].fix == std::vector<std::string>{"ALTER TABLE users DROP INDEX deleted;"});
}

TEST_CASE("low-cardinality stays quiet on small tables, selective columns and stale statistics",
          "[unit][indexes]") {
  TableInfo small = make_table("helps", {"section"}, 60);
  small.indexes.push_back(make_index("section", {{"section"}}, false, "BTREE", {6}));
  TableInfo selective = make_table("works", {"category_id"});
  selective.indexes.push_back(make_index("category_id", {{"category_id"}}, false, "BTREE", {300}));
  TableInfo stale = make_table("experiences", {"user_id"});
  stale.rows_estimate = 0;
  stale.rows_counted = 500;
  stale.indexes[0].columns[0].cardinality = 0;
  stale.indexes.push_back(make_index("user_id", {{"user_id"}}, false, "BTREE", {0}));
  // Ten values evenly spread (budget levels) make a useful index: no dominant value.
  TableInfo spread = make_table("budgets", {"budget_from"});
  spread.indexes.push_back(make_index("budget_from", {{"budget_from"}}, false, "BTREE", {10}));
  spread.profiles["budget_from"] =
      counted(10, {{"10000", 18000}, {"", 10000}, {"100000", 9000}}, 100000);
  spread.profiles["budget_from"].top[1].value.reset();  // NULL
  auto findings = findings_of(schema_of({small, selective, stale, spread}));
  CHECK(with_rule(findings, "low-cardinality").empty());
  CHECK(with_rule(findings, "composite-order").empty());
  auto stale_found = with_rule(findings, "stale-statistics");
  REQUIRE(stale_found.size() == 1);
  CHECK(stale_found[0].table == "experiences");
  CHECK(stale_found[0].fix == std::vector<std::string>{"ANALYZE TABLE experiences;"});
  CHECK(mentions(stale_found[0], "user_id.user_id 0"));
}

TEST_CASE(
    "stale statistics as MariaDB shows them: a UNIQUE key counting far fewer values than "
    "rows",
    "[unit][indexes]") {
  // ANALYZE TABLE on the empty table, STATS_AUTO_RECALC=0, then 2,500 rows: MariaDB scales
  // the stored n_diff 0 to a cardinality of 2, and TABLE_ROWS follows the live row count.
  TableInfo experiences = make_table("experiences", {"user_id"}, 2500);
  experiences.indexes[0].columns[0].cardinality = 2;
  experiences.indexes.push_back(make_index("user_id", {{"user_id"}}, false, "BTREE", {2}));
  experiences.stats_rows = 0;
  experiences.stats_updated = "2025-01-01 00:00:00";
  auto found = with_rule(findings_of(schema_of({experiences})), "stale-statistics");
  REQUIRE(found.size() == 1);
  CHECK(mentions(found[0], "UNIQUE PRIMARY (id) has cardinality 2, but the table has ~2,500 rows"));
  CHECK(mentions(found[0], "computed on 0 rows at 2025-01-01 00:00:00"));
  // Sound statistics are not stale.
  TableInfo sound = make_table("works", {"user_id"}, 2500);
  sound.stats_rows = 2400;
  CHECK_FALSE(sound.statistics_look_stale());
}

TEST_CASE("composite-order: a type column ahead of an id column (slide 35)", "[unit][indexes]") {
  TableInfo t = make_table("categorizations",
                           {"category_id", "categorization_type", "categorization_id"}, 200000);
  t.indexes.push_back(make_index("categorization_type_categorization_id",
                                 {{"categorization_type"}, {"categorization_id"}}, false, "BTREE",
                                 {3, 190000}));
  t.profiles["categorization_type"] =
      counted(3, {{"Work", 120000}, {"Profile", 60000}, {"Portfolio", 20000}}, 200000);
  t.profiles["categorization_id"] = counted(95000, {}, 200000);
  auto found = with_rule(findings_of(schema_of({t})), "composite-order");
  REQUIRE(found.size() == 1);
  CHECK(found[0].fix ==
        std::vector<std::string>{"ALTER TABLE categorizations DROP INDEX "
                                 "categorization_type_categorization_id, ADD INDEX "
                                 "categorization_type_categorization_id (categorization_id, "
                                 "categorization_type);"});
  CHECK(mentions(found[0], "'Work' → 60.0 %"));
  CHECK(mentions(found[0], "cumulative"));
  CHECK(mentions(found[0], "sqlmeasure compare --migration"));
}

TEST_CASE(
    "composite-order: without counted values, SHOW INDEX prefix cardinalities bound the "
    "later column",
    "[unit][indexes]") {
  TableInfo t = make_table("c", {"kind", "ref_id"}, 200000);
  t.indexes.push_back(make_index("kind_ref", {{"kind"}, {"ref_id"}}, false, "BTREE", {3, 150000}));
  auto found = with_rule(findings_of(schema_of({t})), "composite-order");
  REQUIRE(found.size() == 1);
  CHECK(mentions(found[0],
                 "distinct values of ref_id: 50,000 (at least, from the SHOW INDEX "
                 "prefix cardinalities)"));
}

TEST_CASE("composite-order: a selective leading column is healthy", "[unit][indexes]") {
  TableInfo works = make_table("works", {"category_id", "status", "started"}, 300000);
  works.indexes.push_back(make_index("category_id_status_started",
                                     {{"category_id"}, {"status"}, {"started"}}, false, "BTREE",
                                     {300, 1200, 290000}));
  CHECK(with_rule(findings_of(schema_of({works})), "composite-order").empty());
}

// ---------------------------------------------------------------- scenario rules

namespace {

QueryEvidence query_reading(std::string table, std::string key, std::string possible = "") {
  QueryEvidence query;
  query.screen = "mypage_profile";
  query.query = "profile";
  query.tables = {table};
  PlanRow row;
  row.table = table;
  row.access_type = "ref";
  row.key = key;
  query.plan = {row};
  if (!key.empty()) query.uses.push_back({table, key, "ref", "const", "1"});
  if (!possible.empty()) query.possible.emplace_back(table, possible);
  return query;
}

}  // namespace

TEST_CASE("without scenarios the scenario rules are skipped, and the report says so",
          "[unit][indexes]") {
  AdvisorResult result = run_advisor(schema_of({make_table("t", {})}), ScenarioEvidence{});
  CHECK(result.skipped.size() == 5);
  CHECK(result.skipped[0].find("needs --scenarios") != std::string::npos);
}

TEST_CASE("unused-index: only plans' `key` counts; constraint indexes are reported apart",
          "[unit][indexes]") {
  TableInfo profiles = make_table("profiles", {"user_id", "birthday", "prefecture_id"});
  profiles.indexes.push_back(make_index("user_id", {{"user_id"}}, true));
  profiles.indexes.push_back(make_index("birthday", {{"birthday"}}));
  profiles.indexes.push_back(make_index("prefecture_id", {{"prefecture_id"}}));
  TableInfo unread = make_table("skills", {"category_id"});
  unread.indexes.push_back(make_index("category_id", {{"category_id"}}));
  ScenarioEvidence scenarios;
  scenarios.loaded = true;
  scenarios.queries.push_back(query_reading("profiles", "prefecture_id", "birthday"));
  auto findings = findings_of(schema_of({profiles, unread}), scenarios);
  auto unused = with_rule(findings, "unused-index");
  REQUIRE(unused.size() == 1);
  CHECK(unused[0].index == "birthday");
  CHECK(unused[0].severity == Severity::kInfo);
  CHECK(mentions(unused[0], "it is in possible_keys of 1 (mypage_profile/profile)"));
  CHECK(mentions(unused[0], "sqlmeasure compare --ignore-index profiles.birthday"));
  auto constraint = with_rule(findings, "unused-constraint-index");
  REQUIRE(constraint.size() == 1);
  CHECK(constraint[0].index == "user_id");
  CHECK(constraint[0].fix.empty());
}

TEST_CASE("hidden-index: an IGNORED index is a possible leftover to restore, not one to drop",
          "[unit][indexes]") {
  TableInfo works = make_table("works", {"category_id", "deleted"});
  IndexInfo hidden = make_index("category_id", {{"category_id"}});
  hidden.visible = false;
  works.indexes.push_back(hidden);
  works.indexes.push_back(make_index("deleted", {{"deleted"}}));
  ScenarioEvidence scenarios;
  scenarios.loaded = true;
  scenarios.queries.push_back(query_reading("works", "deleted"));
  auto findings = findings_of(schema_of({works}), scenarios);
  // Before: reported as unused, with DROP INDEX as the fix — the index the screens need.
  for (const Finding& finding : with_rule(findings, "unused-index")) {
    CHECK(finding.index != "category_id");
  }
  auto found = with_rule(findings, "hidden-index");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::kWarning);
  CHECK(found[0].summary == "category_id (category_id) is IGNORED: the optimizer cannot use it");
  CHECK(mentions(found[0], "compare --ignore-index works.category_id` that was killed"));
  CHECK(mentions(found[0], "ALTER TABLE works ALTER INDEX category_id NOT IGNORED;"));
  CHECK(mentions(found[0], "sqlmeasure recover"));
  for (const std::string& fix : found[0].fix) CHECK(fix.find("DROP") == std::string::npos);
}

TEST_CASE("an unused duplicate is one finding, with the usage as evidence", "[unit][indexes]") {
  TableInfo portfolios = make_table("portfolios", {"user_id"});
  portfolios.indexes.push_back(make_index("user_id", {{"user_id"}}));
  portfolios.indexes.push_back(make_index("user_id_2", {{"user_id"}}));
  ScenarioEvidence scenarios;
  scenarios.loaded = true;
  scenarios.queries.push_back(query_reading("portfolios", "user_id"));
  auto findings = findings_of(schema_of({portfolios}), scenarios);
  CHECK(with_rule(findings, "unused-index").empty());
  auto duplicate = with_rule(findings, "duplicate-index");
  REQUIRE(duplicate.size() == 1);
  CHECK(mentions(duplicate[0], "none of the 1 scenario query reading portfolios uses it"));
}

namespace {

HintEvidence measured_hint(double with_ms, double without_ms, bool same_plan = false) {
  HintEvidence hint;
  hint.screen = "top";
  hint.query = "new_works";
  hint.table = "works";
  hint.kind = "FORCE";
  hint.hint = "FORCE INDEX (created)";
  hint.indexes = {"created"};
  hint.sql_with = "SELECT id FROM works FORCE INDEX (created) ORDER BY created DESC LIMIT 20";
  hint.sql_without = "SELECT id FROM works ORDER BY created DESC LIMIT 20";
  HintMeasurement m;
  m.samples = 15;
  m.with_ms = with_ms;
  m.without_ms = without_ms;
  m.rows_examined_with = 20;
  m.rows_examined_without = 300000;
  PlanRow with_row;
  with_row.table = "works";
  with_row.key = "created";
  PlanRow without_row = with_row;
  if (!same_plan) without_row.key = "";
  m.plan_with = {with_row};
  m.plan_without = {without_row};
  hint.measured = m;
  return hint;
}

std::vector<Finding> hint_findings(const HintEvidence& hint, std::vector<Finding>& storage) {
  TableInfo works = make_table("works", {"created"});
  works.indexes.push_back(make_index("created", {{"created"}}));
  ScenarioEvidence scenarios;
  scenarios.loaded = true;
  scenarios.hints.push_back(hint);
  storage = findings_of(schema_of({works}), scenarios);
  return with_rule(storage, "hint-worth");
}

}  // namespace

TEST_CASE("hint-worth: helps, hurts, or no longer needed", "[unit][indexes]") {
  std::vector<Finding> storage;
  SECTION("still helps 40×") {
    auto found = hint_findings(measured_hint(0.1, 4.0), storage);
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == Severity::kInfo);
    CHECK(found[0].summary ==
          "FORCE INDEX (created) still helps 40×: keep it, and keep re-checking");
  }
  SECTION("now hurts 3.1×") {
    auto found = hint_findings(measured_hint(3.1, 1.0), storage);
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == Severity::kWarning);
    CHECK(found[0].summary ==
          "FORCE INDEX (created) now hurts: 3.1× slower than the optimizer's own plan");
    CHECK(mentions(found[0], "SELECT id FROM works ORDER BY created DESC LIMIT 20;"));
  }
  SECTION("within the threshold") {
    auto found = hint_findings(measured_hint(1.1, 1.0), storage);
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == Severity::kInfo);
    CHECK(mentions(found[0], "the hint is no longer needed"));
  }
  SECTION("the optimizer picks the same plan: timing noise does not count") {
    auto found = hint_findings(measured_hint(0.1, 4.0, true), storage);
    REQUIRE(found.size() == 1);
    CHECK(mentions(found[0], "picks the same plan without it"));
  }
}

TEST_CASE("hint-index-missing: a hint naming an index that is gone or ignored", "[unit][indexes]") {
  TableInfo works = make_table("works", {"created", "deadline"});
  works.indexes.push_back(make_index("created", {{"created"}}));
  IndexInfo ignored = make_index("deadline", {{"deadline"}});
  ignored.visible = false;
  works.indexes.push_back(ignored);
  ScenarioEvidence scenarios;
  scenarios.loaded = true;
  HintEvidence missing = measured_hint(1, 1);
  missing.measured.reset();
  missing.hint = "FORCE INDEX (creatd)";
  missing.indexes = {"creatd"};
  missing.error = "EXPLAIN with the hint failed: Key 'creatd' doesn't exist in table 'works'";
  HintEvidence hidden = missing;
  hidden.hint = "USE INDEX (deadline)";
  hidden.kind = "USE";
  hidden.indexes = {"deadline"};
  scenarios.hints = {missing, hidden};
  auto findings = findings_of(schema_of({works}), scenarios);
  auto found = with_rule(findings, "hint-index-missing");
  REQUIRE(found.size() == 2);
  CHECK(found[0].severity == Severity::kError);
  CHECK(findings[0].rule == "hint-index-missing");  // errors first
  const Finding* gone = found[0].index == "creatd" ? &found[0] : &found[1];
  const Finding* off = found[0].index == "deadline" ? &found[0] : &found[1];
  CHECK(mentions(*gone, "did you mean created?"));
  CHECK(mentions(*off, "ALTER TABLE works ALTER INDEX deadline NOT IGNORED;"));
  CHECK(with_rule(findings, "hint-worth").empty());
}

TEST_CASE("order-by-created: ORDER BY created becomes ORDER BY id, with the plans",
          "[unit][indexes]") {
  TableInfo works = make_table("works", {});
  works.columns.push_back(make_column("created", "datetime"));
  works.columns.push_back(make_column("started", "datetime"));
  works.indexes.push_back(make_index("created", {{"created"}}));
  OrderByEvidence order;
  order.screen = "top";
  order.query = "new_works";
  order.table = "works";
  order.column = "created";
  order.key_column = "id";
  order.direction = "DESC";
  order.sql = "SELECT id FROM works ORDER BY created DESC LIMIT 20";
  order.sql_by_key = "SELECT id FROM works ORDER BY id DESC LIMIT 20";
  PlanRow by_created;
  by_created.table = "works";
  by_created.access_type = "ALL";
  by_created.extra = "Using filesort";
  PlanRow by_id = by_created;
  by_id.access_type = "index";
  by_id.key = "PRIMARY";
  by_id.extra = "";
  order.plan = {by_created};
  order.plan_by_key = {by_id};
  order.rows_examined = 300000;
  order.rows_examined_by_key = 20;
  order.same_rows = true;
  order.order_agreement = 1.0;
  order.agreement_rows = 10000;
  ScenarioEvidence scenarios;
  scenarios.loaded = true;
  scenarios.order_bys.push_back(order);
  OrderByEvidence started = order;
  started.column = "started";  // not a creation time: ORDER BY started is not ORDER BY id
  scenarios.order_bys.push_back(started);
  OrderByEvidence disagreeing = order;
  disagreeing.query = "other";
  disagreeing.order_agreement = 0.7;
  scenarios.order_bys.push_back(disagreeing);

  auto found = with_rule(findings_of(schema_of({works}), scenarios), "order-by-created");
  REQUIRE(found.size() == 1);
  CHECK(found[0].fix == std::vector<std::string>{
                            "-- top/new_works, ordered by the key:\nSELECT id FROM works ORDER BY "
                            "id DESC LIMIT 20;"});
  CHECK(mentions(found[0], "Using filesort"));
  CHECK(mentions(found[0], "— no filesort"));
  CHECK(mentions(found[0], "rows examined: 300,000 → 20"));
  CHECK(mentions(found[0], "100.0 % of the latest 10,000 rows"));
}

// ---------------------------------------------------------------- pieces

TEST_CASE("estimate_distinct: exact when the sample is the table or every value repeats",
          "[unit][indexes]") {
  CHECK(estimate_distinct(1000, 1000, 37, 5) == 37);
  CHECK(estimate_distinct(10000000, 100000, 2, 0) == 2);
  // All unique in the sample: sqrt(N/n) * n, bounded by N.
  CHECK(estimate_distinct(10000000, 100000, 100000, 100000) == 1000000);
  CHECK(estimate_distinct(400, 100, 100, 100) == 200);
  CHECK(estimate_distinct(10, 0, 0, 0) == 0);
}

TEST_CASE("severities parse, and a bad --fail-on is a usage error naming the flag",
          "[unit][indexes]") {
  CHECK(parse_severity("warning", "--fail-on") == Severity::kWarning);
  CHECK(parse_severity("ERROR", "--fail-on") == Severity::kError);
  CHECK(Severity::kError > Severity::kWarning);
  try {
    (void)parse_severity("fatal", "--fail-on");
    FAIL("no error");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::kUsage);
    CHECK(std::string(error.what()) ==
          "--fail-on: unknown severity 'fatal' (expected info, warning or error)");
  }
}

TEST_CASE("every rule has an id, a description and a default severity", "[unit][indexes]") {
  std::vector<RuleInfo> rules = advisor_rules();
  CHECK(rules.size() == 12);
  for (const RuleInfo& rule : rules) {
    CHECK_FALSE(rule.id.empty());
    CHECK_FALSE(rule.description.empty());
  }
}

TEST_CASE("query shape: tables with aliases, index hints and ORDER BY columns", "[unit][indexes]") {
  const std::string sql =
      "SELECT w.id, EXTRACT(YEAR FROM w.created) FROM works AS w FORCE INDEX FOR ORDER BY "
      "(created) /* c */ JOIN `users` u IGNORE KEY (deleted, email) ON u.id = w.user_id, "
      "shop.categories c WHERE w.deleted = 0 ORDER BY w.created DESC, w.id LIMIT 20";
  QueryShape shape = read_query_shape(sql);
  REQUIRE(shape.tables.size() == 3);
  CHECK(shape.tables[0].table == "works");
  CHECK(shape.tables[0].alias == "w");
  CHECK(shape.tables[1].table == "users");
  CHECK(shape.tables[1].alias == "u");
  CHECK(shape.tables[2].database == "shop");
  CHECK(shape.tables[2].alias == "c");
  REQUIRE(shape.hints.size() == 2);
  CHECK(shape.hints[0].kind == "FORCE");
  CHECK(shape.hints[0].text == "FORCE INDEX FOR ORDER BY (created)");
  CHECK(shape.hints[0].indexes == std::vector<std::string>{"created"});
  CHECK(shape.hints[1].indexes == std::vector<std::string>{"deleted", "email"});
  CHECK(shape.hints[1].table_reference == 1);
  REQUIRE(shape.order_by.size() == 1);
  CHECK(shape.order_by[0].qualifier == "w");
  CHECK(shape.order_by[0].column == "created");
  CHECK(shape.order_by[0].direction == "DESC");

  CHECK(remove_range(sql, shape.hints[0].begin, shape.hints[0].end)
            .starts_with("SELECT w.id, EXTRACT(YEAR FROM w.created) FROM works AS w /* c */ JOIN"));
  CHECK(replace_range(sql, shape.order_by[0].column_begin, shape.order_by[0].column_end, "id")
            .ends_with("ORDER BY w.id DESC, w.id LIMIT 20"));
}

TEST_CASE("query shape: ORDER BY inside a window or GROUP_CONCAT is not the query's",
          "[unit][indexes]") {
  QueryShape shape = read_query_shape(
      "SELECT GROUP_CONCAT(name ORDER BY created), ROW_NUMBER() OVER (ORDER BY created) "
      "FROM t WHERE x IN (SELECT id FROM u ORDER BY created LIMIT 5) ORDER BY 1");
  REQUIRE(shape.order_by.size() == 1);
  CHECK(shape.order_by[0].column == "created");
  REQUIRE(shape.tables.size() == 2);
  CHECK(shape.tables[1].table == "u");
  // A hint inside a comment is no hint; placeholders stay placeholders.
  QueryShape commented = read_query_shape("SELECT id FROM t /* FORCE INDEX (a) */ WHERE a = :a");
  CHECK(commented.hints.empty());
}

TEST_CASE("the report renders findings in every format", "[unit][indexes]") {
  TableInfo t = make_table("t", {"a"});
  t.indexes.push_back(make_index("a", {{"a"}}, false, "BTREE", {50000}));
  t.indexes.push_back(make_index("a_copy", {{"a"}}, false, "BTREE", {50000}));
  IndexReport report;
  report.schema = schema_of({t});
  report.result = run_advisor(report.schema, report.scenarios);
  std::ostringstream text, markdown, json;
  render_index_report(report, Format::kTable, Style{}, text);
  render_index_report(report, Format::kMarkdown, Style{}, markdown);
  render_index_report(report, Format::kJson, Style{}, json);
  CHECK(text.str().find("[warning] duplicate-index · t.a_copy") != std::string::npos);
  CHECK(text.str().find("not run: unused-index: needs --scenarios") != std::string::npos);
  CHECK(markdown.str().find("```sql\nALTER TABLE t DROP INDEX a_copy;\n```") != std::string::npos);
  nlohmann::json parsed = nlohmann::json::parse(json.str());
  CHECK(parsed["schema_version"] == 1);
  REQUIRE(parsed["findings"].size() == 1);
  CHECK(parsed["findings"][0]["rule"] == "duplicate-index");
  CHECK(parsed["findings"][0]["fix"][0] == "ALTER TABLE t DROP INDEX a_copy;");
  CHECK(parsed["tables"][0]["indexes"][1]["columns"][0]["cardinality"] == 50000);
}

}  // namespace sqlmeasure

namespace sqlmeasure {
namespace {

TEST_CASE("order-by-created: a rewrite that plans worse is not advised, and why is said",
          "[unit][indexes]") {
  TableInfo orders = make_table("orders", {});
  orders.columns.push_back(make_column("customer_id", "int"));
  orders.columns.push_back(make_column("created", "datetime"));
  orders.indexes.push_back(make_index("customer_created", {{"customer_id"}, {"created"}}));
  OrderByEvidence order;
  order.screen = "account";
  order.query = "recent_orders";
  order.table = "orders";
  order.column = "created";
  order.key_column = "id";
  order.direction = "DESC";
  order.sql = "SELECT id FROM orders WHERE customer_id = 7 ORDER BY created DESC LIMIT 20";
  order.sql_by_key = "SELECT id FROM orders WHERE customer_id = 7 ORDER BY id DESC LIMIT 20";
  PlanRow by_created;
  by_created.table = "orders";
  by_created.access_type = "ref";
  by_created.key = "customer_created";
  by_created.extra = "Using where";
  PlanRow by_id = by_created;
  by_id.extra = "Using where; Using filesort";  // (customer_id, created) does not give id order
  order.plan = {by_created};
  order.plan_by_key = {by_id};
  order.rows_examined = 20;
  order.rows_examined_by_key = 412;
  order.same_rows = true;
  order.order_agreement = 1.0;
  order.agreement_rows = 10000;
  ScenarioEvidence scenarios;
  scenarios.loaded = true;
  scenarios.order_bys.push_back(order);
  auto found = with_rule(findings_of(schema_of({orders}), scenarios), "order-by-created");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::kInfo);
  CHECK(found[0].fix.empty());  // no SQL that would make it slower
  CHECK(found[0].summary ==
        "ORDER BY created DESC in account/recent_orders: ORDER BY id gives the same order, but "
        "not advised here: ORDER BY id needs a filesort where ORDER BY created has none");
  CHECK(mentions(found[0],
                 "an index on (customer_id) alone, which InnoDB ends with the primary "
                 "key, or (customer_id, id)"));
}

}  // namespace
}  // namespace sqlmeasure
