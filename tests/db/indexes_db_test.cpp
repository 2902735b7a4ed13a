// `indexes` against the real MariaDB: agreement with pt-duplicate-key-checker on every
// duplicate-key case it distinguishes, every planted problem of the demo world found with
// evidence and a fix (and nothing else), the FORCE INDEX that now hurts, hints naming missing
// or ignored indexes, --exact counting and sampling, and the exit codes.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "db/db_test_support.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/evidence_collection.h"
#include "sqlmeasure/schema_reader.h"
#include "support/in_directory.h"

namespace sqlmeasure::testing {
namespace {

using nlohmann::json;
using TableIndex = std::pair<std::string, std::string>;

// Every case pt-duplicate-key-checker distinguishes, one table each.
constexpr const char* kDuplicateKeySchema = R"sql(
CREATE TABLE t_exact (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, a INT, b INT,
  KEY a (a), KEY a_copy (a)) ENGINE=InnoDB;
CREATE TABLE t_prefix (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, a INT, b INT, c INT,
  KEY a (a), KEY a_b (a, b), KEY a_b_c (a, b, c), KEY b_a (b, a)) ENGINE=InnoDB;
CREATE TABLE t_clustered (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, u INT, v INT,
  KEY u (u), KEY u_id (u, id), KEY v_id (v, id)) ENGINE=InnoDB;
CREATE TABLE t_unique (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, a INT, b INT, c INT, d INT,
  e INT, f INT, UNIQUE KEY ua (a), KEY a (a), UNIQUE KEY ub (b), UNIQUE KEY ub2 (b),
  UNIQUE KEY ucd (c, d), KEY c (c), KEY c_d (c, d), UNIQUE KEY ue (e), KEY e_f (e, f),
  UNIQUE KEY uid (id)) ENGINE=InnoDB;
CREATE TABLE t_unique_multi (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, c INT, d INT,
  UNIQUE KEY ucd (c, d), UNIQUE KEY ucd2 (c, d)) ENGINE=InnoDB;
CREATE TABLE t_fulltext (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, title VARCHAR(200),
  body TEXT, FULLTEXT KEY ft1 (title, body), FULLTEXT KEY ft2 (body, title),
  FULLTEXT KEY ft3 (title), KEY title (title(20))) ENGINE=InnoDB;
CREATE TABLE t_prefixlen (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(200), x INT,
  KEY n10 (name(10)), KEY n20 (name(20)), KEY n10b (name(10)), KEY n10_x (name(10), x))
  ENGINE=InnoDB;
CREATE TABLE t_prefixfull (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(200),
  KEY name (name), KEY name10 (name(10))) ENGINE=InnoDB;
CREATE TABLE t_order (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, a INT, b INT,
  KEY ab (a, b), KEY ba (b, a)) ENGINE=InnoDB;
CREATE TABLE t_desc (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, a INT, b INT,
  KEY a_b (a, b), KEY a_bd (a, b DESC)) ENGINE=InnoDB;
CREATE TABLE t_parent (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE t_fk (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, parent_id INT NOT NULL, x INT,
  KEY parent_id (parent_id), KEY parent_id_x (parent_id, x),
  CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES t_parent (id)) ENGINE=InnoDB;
CREATE TABLE t_fkp (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b), KEY b_a (b, a))
  ENGINE=InnoDB;
CREATE TABLE t_fkdup (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, x INT, y INT,
  KEY x_y (x, y), KEY y_x (y, x),
  CONSTRAINT fkd_1 FOREIGN KEY (x) REFERENCES t_parent (id),
  CONSTRAINT fkd_2 FOREIGN KEY (x) REFERENCES t_parent (id),
  CONSTRAINT fkd_3 FOREIGN KEY (x, y) REFERENCES t_fkp (a, b),
  CONSTRAINT fkd_4 FOREIGN KEY (x, y) REFERENCES t_fkp (a, b) ON DELETE CASCADE,
  CONSTRAINT fkd_5 FOREIGN KEY (x, y) REFERENCES t_fkp (b, a),
  CONSTRAINT fkd_6 FOREIGN KEY (y, x) REFERENCES t_fkp (b, a)) ENGINE=InnoDB;
CREATE TABLE t_myisam (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, a INT, KEY a_id (a, id))
  ENGINE=MyISAM;
CREATE TABLE t_nopk (u INT NOT NULL, a INT, UNIQUE KEY u (u), KEY a_u (a, u)) ENGINE=InnoDB;
CREATE TABLE t_spatial (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, g GEOMETRY NOT NULL,
  SPATIAL KEY g1 (g), SPATIAL KEY g2 (g)) ENGINE=InnoDB;
CREATE TABLE t_healthy (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, a INT, b INT,
  UNIQUE KEY a (a), KEY b_a (b, a)) ENGINE=InnoDB
)sql";

// Where the tool reports an index that is not redundant (docs/indexes.md): a full-column key
// is no left prefix of a prefix-length key, and DESC is not ASC.
const std::set<TableIndex> kToolFalsePositives = {{"t_prefixfull", "name"}, {"t_desc", "a_b"}};
// What it never compares: two multi-column UNIQUE keys on the same columns.
const std::set<TableIndex> kToolMisses = {{"t_unique_multi", "ucd2"}};
// Foreign keys it calls duplicates that are not: fkd_4 deletes in cascade where fkd_3
// refuses (it does not compare referential actions), and fkd_5 pairs x with b and y with a
// where fkd_3 pairs x with a (it compares the two column lists sorted apart). fkd_6 lists
// fkd_3's pairs in another order: a duplicate for both tools.
const std::set<TableIndex> kToolForeignKeyFalsePositives = {{"t_fkdup", "fkd_4"},
                                                            {"t_fkdup", "fkd_5"}};

std::string find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::filesystem::path candidate =
        std::filesystem::path(dirs.substr(start, end - start)) / program;
    if (std::filesystem::exists(candidate)) return candidate.string();
    start = end + 1;
  }
  return "";
}

struct ToolRun {
  std::string output;
  int status = -1;
};

ToolRun run_command(const std::string& command) {
  ToolRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.output.append(buffer, n);
  run.status = ::pclose(pipe);
  return run;
}

// (table, key) of every duplicate or redundant key pt-duplicate-key-checker reports for
// `database`, from its "# KEY is a duplicate of", "is a left-prefix of" and "Key KEY ends with
// a prefix of the clustered index" lines, under the "# db.table" headers.
std::set<TableIndex> parse_tool_output(const std::string& output, const std::string& database,
                                       bool foreign_keys = false) {
  std::set<TableIndex> found;
  const std::regex foreign_key("^# FOREIGN KEY (\\S+) .* is a duplicate of FOREIGN KEY .*$");
  const std::regex header("^# " + database + "\\.(\\S+)\\s*$");
  const std::regex prefix("^# (\\S+) is a (duplicate|left-prefix) of (\\S+)$");
  const std::regex clustered("^# Key (\\S+) ends with a prefix of the clustered index$");
  std::string table;
  std::istringstream lines(output);
  std::string line;
  std::smatch match;
  while (std::getline(lines, line)) {
    if (std::regex_match(line, match, header)) {
      table = match[1];
    } else if (foreign_keys ? std::regex_match(line, match, foreign_key)
                            : (std::regex_match(line, match, prefix) ||
                               std::regex_match(line, match, clustered))) {
      found.emplace(table, match[1]);
    }
  }
  return found;
}

// pt-duplicate-key-checker's verdict on `database`, or nothing when it is not installed.
std::optional<std::set<TableIndex>> tool_duplicates(const std::string& database,
                                                    bool foreign_keys = false) {
  const std::string tool = find_on_path("pt-duplicate-key-checker");
  if (tool.empty()) return std::nullopt;
  ToolRun run = run_command("'" + tool + "' --no-version-check --socket '" + test_socket() +
                            "' --user root --databases " + database + " 2>&1");
  INFO(run.output);
  REQUIRE(run.status == 0);
  return parse_tool_output(run.output, database, foreign_keys);
}

#define REQUIRE_TOOL(result)                                                                 \
  do {                                                                                       \
    if (!(result)) {                                                                         \
      if (in_ci()) FAIL("pt-duplicate-key-checker not found: install percona-toolkit");      \
      WARN("skipped: pt-duplicate-key-checker not found (apt-get install percona-toolkit)"); \
      return;                                                                                \
    }                                                                                        \
  } while (false)

json indexes_json(const std::string& database, const std::vector<std::string>& extra = {}) {
  CliResult result = run_in_process(std::vector<std::string>{"indexes", "--format", "json"} +
                                    connection_args(database) + extra);
  INFO("stderr: " << result.err);
  REQUIRE(result.code == 0);
  return json::parse(result.out);
}

std::set<TableIndex> duplicates_of(const json& report, bool foreign_keys = false) {
  std::set<TableIndex> found;
  for (const json& finding : report["findings"]) {
    const std::string rule = finding["rule"];
    if (foreign_keys ? rule == "duplicate-foreign-key"
                     : rule == "duplicate-index" || rule == "redundant-index") {
      found.emplace(finding["table"], finding["index"]);
    }
  }
  return found;
}

std::string show(const std::set<TableIndex>& set) {
  std::string text;
  for (const auto& [table, index] : set) text += table + "." + index + " ";
  return text;
}

}  // namespace

TEST_CASE("indexes: duplicate and redundant keys agree with pt-duplicate-key-checker",
          "[db][indexes]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("dupkeys");
  db.run_script(kDuplicateKeySchema);
  std::optional<std::set<TableIndex>> tool = tool_duplicates(db.name());
  REQUIRE_TOOL(tool);
  const json report = indexes_json(db.name());
  const std::set<TableIndex> ours = duplicates_of(report);

  // The cases where we differ on purpose are really there in its output (and not in ours).
  for (const TableIndex& case_ : kToolFalsePositives) {
    CHECK(tool->count(case_) == 1);
  }
  std::set<TableIndex> expected;
  for (const TableIndex& entry : *tool) {
    if (!kToolFalsePositives.count(entry)) expected.insert(entry);
  }
  expected.insert(kToolMisses.begin(), kToolMisses.end());
  INFO("pt-duplicate-key-checker: " << show(*tool));
  INFO("sqlmeasure:               " << show(ours));
  CHECK(ours == expected);
  CHECK(tool->size() >= 15);  // the cases above really produced findings

  // Duplicate foreign keys: the same, but for the cases where it is wrong.
  std::optional<std::set<TableIndex>> tool_fks = tool_duplicates(db.name(), true);
  REQUIRE(tool_fks);
  std::set<TableIndex> expected_fks;
  for (const TableIndex& entry : *tool_fks) {
    if (!kToolForeignKeyFalsePositives.count(entry)) expected_fks.insert(entry);
  }
  for (const TableIndex& case_ : kToolForeignKeyFalsePositives) CHECK(tool_fks->count(case_) == 1);
  INFO("pt-duplicate-key-checker foreign keys: " << show(*tool_fks));
  CHECK(duplicates_of(report, true) == expected_fks);
  CHECK(expected_fks == std::set<TableIndex>{{"t_fkdup", "fkd_2"}, {"t_fkdup", "fkd_6"}});

  // Each one comes with the SQL to act on it.
  for (const json& finding : report["findings"]) {
    CHECK_FALSE(finding["fix"].empty());
    CHECK_FALSE(finding["evidence"].empty());
  }
}

TEST_CASE("indexes: every planted problem of the demo, with evidence and a fix, and nothing else",
          "[db][indexes][demo]") {
  SQLMEASURE_REQUIRE_SERVER();
  require_demo_screens();
  TestDatabase db("idxdemo");
  db.load_demo(0.02);
  const json report = indexes_json(db.name(), {"--scenarios", demo_dir()});

  using Key = std::tuple<std::string, std::string, std::string>;  // rule, table, index
  std::set<Key> found;
  for (const json& finding : report["findings"]) {
    found.emplace(finding["rule"], finding["table"], finding["index"]);
    INFO(finding.dump(2));
    CHECK_FALSE(finding["evidence"].empty());
    // Advice checked on the rewritten query's plan and found worse is said, with no fix:
    // works_feed/items reads the created index, ORDER BY id would scan the table.
    const bool not_advised =
        finding["summary"].get<std::string>().find("not advised here") != std::string::npos;
    if (finding["rule"] != "unused-constraint-index" && !not_advised) {
      CHECK_FALSE(finding["fix"].empty());
    }
    if (not_advised) {
      CHECK(finding["severity"] == "info");
      CHECK(finding["fix"].empty());
    }
  }
  const std::set<Key> planted = {
      {"low-cardinality", "users", "deleted"},
      {"low-cardinality", "users", "status"},  // planted g: a screen needs it (--verify)
      {"composite-order", "categorizations", "categorization_type_categorization_id"},
      {"duplicate-index", "portfolios", "user_id_2"},
      {"duplicate-index", "works", "user_id_id"},
      {"redundant-index", "works", "user_id"},
      {"redundant-index", "proposals", "user_id"},
      {"unused-index", "profiles", "birthday"},
      {"order-by-created", "works", "created"},
      {"stale-statistics", "experiences", ""},
      {"hint-worth", "portfolios", "PRIMARY"},
      // works_feed's FORCE INDEX (created): the plan is the same without it (info), and
      // drop_created_index breaks it (docs/verdicts.md, "Index hints").
      {"hint-worth", "works", "created"},
  };
  INFO(report["findings"].dump(2));
  CHECK(found == planted);

  // The FORCE INDEX (PRIMARY) that now hurts: more rows examined with the hint, and slower.
  REQUIRE(report["hints"].size() == 2);
  const json& hint = report["hints"][0]["hint"] == "FORCE INDEX (PRIMARY)" ? report["hints"][0]
                                                                           : report["hints"][1];
  CHECK(hint["hint"] == "FORCE INDEX (PRIMARY)");
  CHECK(hint["measured"]["rows_examined_with"].get<std::uint64_t>() >
        10 * hint["measured"]["rows_examined_without"].get<std::uint64_t>());
  CHECK(hint["verdict"].get<std::string>().starts_with("HURTS"));

  // And the duplicates are the ones pt-duplicate-key-checker reports on the same schema.
  std::optional<std::set<TableIndex>> tool = tool_duplicates(db.name());
  REQUIRE_TOOL(tool);
  CHECK(duplicates_of(report) == *tool);
}

TEST_CASE("indexes: a hint naming a missing or ignored index is an error finding",
          "[db][indexes]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("idxhint");
  db.run_script(
      "CREATE TABLE works (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, created DATETIME NOT "
      "NULL, deadline DATE, KEY created (created), KEY deadline (deadline)) ENGINE=InnoDB;"
      "INSERT INTO works (created, deadline) VALUES (NOW(), CURDATE()), (NOW(), CURDATE());"
      "ANALYZE TABLE works");
  const bool mariadb = db.admin().server().flavor == Flavor::kMariaDB;
  db.admin().execute(std::string("ALTER TABLE works ALTER INDEX deadline ") +
                     (mariadb ? "IGNORED" : "INVISIBLE"));
  TempDir dir("idxhint");
  write_text(dir / "top.sql",
             "-- name: gone\nSELECT id FROM works FORCE INDEX (creatd) ORDER BY created DESC "
             "LIMIT 5;\n"
             "-- name: hidden\nSELECT id FROM works USE INDEX (deadline) WHERE deadline > "
             "'2020-01-01';\n");
  CliResult result =
      run_in_process(std::vector<std::string>{"indexes", "--format", "json", "--scenarios",
                                              dir.path(), "--fail-on", "error"} +
                     connection_args(db.name()));
  INFO(result.err);
  CHECK(result.code == 1);
  const json report = json::parse(result.out);
  std::set<TableIndex> missing;
  for (const json& finding : report["findings"]) {
    if (finding["rule"] == "hint-index-missing") {
      CHECK(finding["severity"] == "error");
      missing.emplace(finding["table"], finding["index"]);
    }
  }
  CHECK(missing == std::set<TableIndex>{{"works", "creatd"}, {"works", "deadline"}});
  CHECK(report["tables"][0]["indexes"][2]["name"] == "deadline");
  CHECK(report["tables"][0]["indexes"][2]["visible"] == false);
}

TEST_CASE("indexes: flags, exit codes and messages", "[db][indexes]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("idxflags");
  db.run_script(
      "CREATE TABLE portfolios (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id INT, "
      "KEY user_id (user_id), KEY user_id_2 (user_id)) ENGINE=InnoDB");
  const std::vector<std::string> base = {"indexes"};

  SECTION("without --scenarios the scenario rules are skipped and the report says so") {
    CliResult result = run_in_process(base + connection_args(db.name()));
    CHECK(result.code == 0);
    CHECK(result.out.find("[warning] duplicate-index · portfolios.user_id_2") != std::string::npos);
    CHECK(result.out.find("not run: unused-index: needs --scenarios") != std::string::npos);
    CHECK(result.out.find("ALTER TABLE portfolios DROP INDEX user_id_2;") != std::string::npos);
  }
  SECTION("./scenarios is read when it holds screen files, as --help says") {
    TempDir dir("idx-default-scenarios");
    const InDirectory here(dir.path());
    dir.write("scenarios/demo/s.sql", "SELECT id FROM portfolios WHERE user_id = 1;\n");
    CliResult nested = run_in_process(base + connection_args(db.name()));
    CHECK(nested.code == 0);  // a ./scenarios of subdirectories is no error: none read
    CHECK(nested.out.find("scenarios: none given") != std::string::npos);
    dir.write("scenarios/s.sql", "SELECT id FROM portfolios WHERE user_id = 1;\n");
    CliResult read = run_in_process(base + connection_args(db.name()));
    INFO(read.out << read.err);
    CHECK(read.code == 0);
    CHECK(read.out.find("scenarios: scenarios · 1 screen, 1 query explained") != std::string::npos);
  }
  SECTION("--fail-on: 1 at or above the level, 0 below it") {
    CHECK(run_in_process(base + connection_args(db.name()) +
                         std::vector<std::string>{"--fail-on", "warning"})
              .code == 1);
    CHECK(run_in_process(base + connection_args(db.name()) +
                         std::vector<std::string>{"--fail-on", "error"})
              .code == 0);
  }
  SECTION("a bad --fail-on is a usage error naming the flag") {
    CliResult result = run_in_process(base + connection_args(db.name()) +
                                      std::vector<std::string>{"--fail-on", "fatal"});
    CHECK(result.code == 64);
    CHECK(result.err.find("--fail-on: unknown severity 'fatal'") != std::string::npos);
  }
  SECTION("an unknown table gets a did-you-mean") {
    CliResult result = run_in_process(base + connection_args(db.name()) +
                                      std::vector<std::string>{"--tables", "portfolio"});
    CHECK(result.code == 64);
    CHECK(result.err.find("--tables: no table 'portfolio' in database " + db.name() +
                          " (did you mean 'portfolios'?)") != std::string::npos);
  }
  SECTION("an unknown database is a usage error") {
    CliResult result = run_in_process(std::vector<std::string>{"indexes", "-S", test_socket(), "-u",
                                                               "root", "-D", db.name() + "_nope"});
    CHECK(result.code == 64);
    CHECK(result.err.find("-D/--database: no database") != std::string::npos);
  }
  SECTION("markdown") {
    CliResult result = run_in_process(base + connection_args(db.name()) +
                                      std::vector<std::string>{"--format", "markdown"});
    CHECK(result.code == 0);
    CHECK(result.out.find("```sql\nALTER TABLE portfolios DROP INDEX user_id_2;\n```") !=
          std::string::npos);
  }
}

TEST_CASE("indexes --exact: distinct values counted, or sampled and estimated above the limit",
          "[db][indexes]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("idxexact");
  db.run_script(
      "CREATE TABLE digits (d INT NOT NULL PRIMARY KEY);"
      "INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);"
      "CREATE TABLE items (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, flag TINYINT NOT NULL, "
      "u INT NOT NULL, KEY flag (flag), KEY u (u)) ENGINE=InnoDB;"
      "INSERT INTO items (flag, u) SELECT IF(a.d = 0, 1, 0), a.d + 10 * b.d + 100 * c.d + 1000 * "
      "e.d FROM digits a, digits b, digits c, digits e;"
      "ANALYZE TABLE items");
  auto connection = db.connect();
  CollectOptions options;
  options.tables = {"items"};
  options.exact = true;

  SchemaInfo counted = collect_schema(*connection, db.name(), options);
  REQUIRE(counted.tables.size() == 1);
  const TableInfo& exact = counted.tables[0];
  CHECK(exact.rows_counted == 10000u);
  REQUIRE(exact.profile("u") != nullptr);
  CHECK(exact.profile("u")->distinct == 10000);
  CHECK_FALSE(exact.profile("u")->sampled);
  CHECK(exact.profile("flag")->distinct == 2);

  options.exact_row_limit = 1000;  // force sampling: 10 blocks of 200 rows
  options.sample_rows = 2000;
  SchemaInfo sampled = collect_schema(*connection, db.name(), options);
  const TableInfo& table = sampled.tables[0];
  REQUIRE(table.profile("u") != nullptr);
  CHECK(table.profile("u")->sampled);
  CHECK(table.profile("u")->rows_read == 2000);
  // Within the documented bound: a factor of sqrt(N/n) = sqrt(5).
  const double estimate = static_cast<double>(table.profile("u")->distinct);
  CHECK(estimate >= 10000 / std::sqrt(5.0) - 1);
  CHECK(estimate <= 10000);
  CHECK(table.profile("flag")->distinct == 2);  // every value seen twice or more: exact
  CHECK(table.profile("u")->method.find("sampled") != std::string::npos);

  // A read-only session did all of this.
  CHECK_THROWS_AS(connection->execute("INSERT INTO items (flag, u) VALUES (0, 0)"), DatabaseError);
}

}  // namespace sqlmeasure::testing
