// Loading scenario directories: every class of bad input gets one clear message naming
// file:line:col and exit 65; good files load as docs/scenarios.md says.
#include "sqlmeasure/scenario_loader.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "scenario/toml_document.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/text.h"
#include "support/error_outcome.h"
#include "support/temp_dir.h"
#include "support/text_checks.h"

using namespace sqlmeasure;
namespace fs = std::filesystem;

namespace {

using sqlmeasure::testing::TempDir;

using sqlmeasure::testing::check_one_message;
using sqlmeasure::testing::contains;
using sqlmeasure::testing::Outcome;
using sqlmeasure::testing::outcome_of;

std::string first_line(const std::string& message) { return message.substr(0, message.find('\n')); }

// Loads a directory holding just `name` = `text`; it must fail with kBadInput and one
// message whose first line starts with `file:line:col: ` (`line` and `col` when given, else
// any numbers). Returns the message without that prefix.
std::string bad_input(const std::string& name, const std::string& text, int line = 0, int col = 0) {
  TempDir dir;
  std::string path = dir.write(name, text);
  Outcome result = outcome_of([&] { (void)load_scenarios(dir.path()); });
  INFO(name << ":\n" << text);
  REQUIRE(result.threw);
  INFO("message: " << result.message);
  CHECK(result.code == ExitCode::kBadInput);
  check_one_message(result.message);
  const std::string location = (line > 0 ? std::to_string(line) : "[0-9]+") + ":" +
                               (col > 0 ? std::to_string(col) : "[0-9]+");
  std::regex prefix("^" + std::regex_replace(path, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                    ":" + location + ": .+");
  CHECK(std::regex_match(first_line(result.message), prefix));
  // Leave only what follows the location, so tests read the message itself.
  size_t after = result.message.find(": ", path.size());
  return after == std::string::npos ? result.message : result.message.substr(after + 2);
}

std::vector<std::string> names(const std::vector<Screen>& screens) {
  std::vector<std::string> out;
  for (const Screen& screen : screens) out.push_back(screen.name);
  return out;
}

}  // namespace

TEST_CASE("malformed TOML names the place the parser stopped", "[unit][scenario]") {
  std::string message = bad_input("s.toml",
                                  "screen = \"s\"\n"
                                  "[[query]\n"
                                  "sql = \"SELECT 1\"\n",
                                  2);
  CHECK(contains(message, "malformed TOML"));
}

TEST_CASE("unknown keys are errors with a did-you-mean", "[unit][scenario]") {
  SECTION("top level") {
    std::string message = bad_input("s.toml",
                                    "screne = \"s\"\n"
                                    "[[query]]\n"
                                    "sql = \"SELECT 1\"\n",
                                    1);
    CHECK(contains(message, "unknown key 'screne'"));
    CHECK(contains(message, "did you mean 'screen'"));
  }
  SECTION("in [[query]]") {
    std::string message = bad_input("s.toml",
                                    "[[query]]\n"
                                    "sql = \"SELECT 1\"\n"
                                    "tims = 2\n",
                                    3);
    CHECK(contains(message, "unknown key 'tims' in [[query]]"));
    CHECK(contains(message, "did you mean 'times'"));
  }
  SECTION("in a params table") {
    std::string message = bad_input("s.toml",
                                    "[[query]]\n"
                                    "sql = \"SELECT name FROM users WHERE id = :id\"\n"
                                    "params.id = { form = \"SELECT id FROM users\", sample = 3 }\n",
                                    3);
    CHECK(contains(message, "unknown key 'form' in params.id"));
    CHECK(contains(message, "did you mean 'from'"));
  }
  SECTION("far from any known key: no hint") {
    std::string message = bad_input("s.toml",
                                    "[[query]]\n"
                                    "sql = \"SELECT 1\"\n"
                                    "cache_results_forever = true\n",
                                    3);
    CHECK(contains(message, "unknown key 'cache_results_forever'"));
    CHECK_FALSE(contains(message, "did you mean"));
  }
}

TEST_CASE("values of the wrong type are errors", "[unit][scenario]") {
  CHECK(contains(bad_input("s.toml", "screen = 5\n[[query]]\nsql = \"SELECT 1\"\n", 1),
                 "'screen' must be a string"));
  CHECK(contains(bad_input("s.toml", "description = [1]\n[[query]]\nsql = \"SELECT 1\"\n", 1),
                 "'description' must be a string"));
  CHECK(contains(bad_input("s.toml", "query = \"SELECT 1\"\n", 1),
                 "'query' must be an array of tables"));
  CHECK(contains(bad_input("s.toml", "[[query]]\nsql = 1\n", 2), "'sql' must be a string"));
  CHECK(contains(bad_input("s.toml", "[[query]]\nname = 1\nsql = \"SELECT 1\"\n", 2),
                 "'name' must be a string"));
  CHECK(contains(bad_input("s.toml", "[[query]]\nsql = \"SELECT 1\"\ntimes = \"2\"\n", 3),
                 "'times' must be an integer from 1 to 100000"));
  CHECK(contains(bad_input("s.toml", "[[query]]\nsql = \"SELECT :x\"\nparams = 5\n", 3),
                 "'params' must be a table"));
  CHECK(contains(bad_input("s.toml", "[[query]]\nsql = \"SELECT :x\"\nparams.x = [{ a = 1 }]\n", 3),
                 "unknown key 'a' in a value of params.x"));
  CHECK(contains(bad_input("s.toml", "[[query]]\nsql = \"SELECT :x\"\nparams.x = [[1]]\n", 3),
                 "params.x: values must be integers, floats, strings, booleans or { hex = "));
  // A binary value: an even number of hex digits, nothing else (it goes into SQL as X'..').
  for (const char* bad : {"\"0G\"", "\"ABC\"", "\"0A' OR 1 --\"", "7"}) {
    CHECK(contains(
        bad_input(
            "s.toml",
            std::string("[[query]]\nsql = \"SELECT :x\"\nparams.x = [{ hex = ") + bad + " }]\n", 3),
        "params.x: a binary value is { hex = \"0A1B\" }: an even number of hex digits"));
  }
  CHECK(contains(bad_input("s.toml", "[[query]]\nsql = \"SELECT :x\"\nparams.x = []\n", 3),
                 "params.x: the list of values is empty"));
  CHECK(contains(
      bad_input("s.toml", "[[query]]\nsql = \"SELECT :x\"\nparams.x = { sample = 2 }\n", 3),
      "params.x: a table needs 'from'"));
  CHECK(
      contains(bad_input("s.toml", "[[query]]\nsql = \"SELECT :x\"\nparams.x = { from = 7 }\n", 3),
               "'params.x.from' must be a string"));
}

TEST_CASE("a screen without queries is an error", "[unit][scenario]") {
  CHECK(contains(bad_input("lonely.toml", "screen = \"lonely\"\ndescription = \"nothing\"\n", 1, 1),
                 "screen 'lonely' has no queries"));
  CHECK(contains(bad_input("blank.sql", "", 1, 1), "screen 'blank' has no queries"));
  CHECK(contains(bad_input("comments.sql", "-- only a comment\n/* and another */\n;\n", 1, 1),
                 "screen 'comments' has no queries"));
}

TEST_CASE("a query without SQL is an error", "[unit][scenario]") {
  CHECK(contains(bad_input("s.toml", "[[query]]\nname = \"a\"\n", 1), "query 'a' has no 'sql'"));
  CHECK(contains(bad_input("s.toml", "[[query]]\nsql = \"  \"\n", 2), "query 'q1' has empty SQL"));
}

TEST_CASE("two queries of a screen cannot share a name", "[unit][scenario]") {
  CHECK(contains(bad_input("s.toml",
                           "[[query]]\nname = \"list\"\nsql = \"SELECT 1\"\n"
                           "[[query]]\nname = \"list\"\nsql = \"SELECT 2\"\n",
                           6),
                 "screen 's' has two queries named 'list'"));
  CHECK(contains(bad_input("s.sql", "-- name: list\nSELECT 1;\n-- name: list\nSELECT 2;\n", 4, 1),
                 "screen 's' has two queries named 'list'"));
  // A named query may not take the default name of another one either.
  CHECK(contains(bad_input("s.toml",
                           "[[query]]\nsql = \"SELECT 1\"\n"
                           "[[query]]\nname = \"q1\"\nsql = \"SELECT 2\"\n",
                           5),
                 "two queries named 'q1'"));
}

TEST_CASE("two files cannot define the same screen", "[unit][scenario]") {
  TempDir dir;
  std::string toml = dir.write("a.toml", "screen = \"x\"\n[[query]]\nsql = \"SELECT 1\"\n");
  std::string sql = dir.write("x.sql", "SELECT 2;\n");
  Outcome result = outcome_of([&] { (void)load_scenarios(dir.path()); });
  REQUIRE(result.threw);
  CHECK(result.code == ExitCode::kBadInput);
  check_one_message(result.message);
  // Files load in name order, so x.sql is the second definition; both files are named.
  CHECK(result.message.starts_with(sql + ":1:1: "));
  CHECK(contains(result.message, "screen 'x' is already defined in " + toml));
}

TEST_CASE("every placeholder needs a value and every value a placeholder", "[unit][scenario]") {
  SECTION("toml") {
    std::string message = bad_input("s.toml",
                                    "[[query]]\nname = \"list\"\nsql = \"SELECT id FROM works "
                                    "WHERE category_id = :category\"\n",
                                    3);
    CHECK(contains(message, "query 'list': placeholder :category has no value"));
    CHECK(contains(message, "add params.category = [...]"));
  }
  SECTION("sql: params need a .toml screen") {
    std::string message =
        bad_input("s.sql", "\n\n  SELECT id FROM works WHERE category_id = :category;\n", 3, 3);
    CHECK(contains(message, "placeholder :category has no value"));
    CHECK(contains(message, "in a .toml screen"));
  }
  SECTION("unused param") {
    std::string message = bad_input("s.toml",
                                    "[[query]]\nname = \"list\"\n"
                                    "sql = \"SELECT id FROM works WHERE category_id = :category\"\n"
                                    "params.category = [17]\n"
                                    "params.user = [1, 2]\n",
                                    5);
    CHECK(contains(message, "query 'list': params.user is not used by the SQL (no :user)"));
  }
  SECTION("a placeholder in a string literal or comment is not one") {
    TempDir dir;
    dir.write("s.toml",
              "[[query]]\n"
              "sql = \"SELECT 'at :noon' /* :x */ FROM works -- :y\"\n");
    CHECK_NOTHROW(load_scenarios(dir.path()));
  }
}

TEST_CASE("statements that could write are refused", "[unit][scenario]") {
  auto toml_sql = [](const std::string& sql) {
    return "[[query]]\nname = \"w\"\nsql = \"\"\"" + sql + "\"\"\"\n";
  };
  SECTION("INSERT") {
    std::string message = bad_input("s.toml", toml_sql("INSERT INTO works (id) VALUES (1)"), 3);
    CHECK(contains(message, "screen 's', query 'w': the SQL is refused"));
    CHECK(contains(message, "INSERT"));
    CHECK(contains(message, "must be read-only"));
  }
  SECTION("SELECT ... FOR UPDATE") {
    std::string message =
        bad_input("s.toml", toml_sql("SELECT id FROM works WHERE id = 1 FOR UPDATE"), 3);
    CHECK(contains(message, "FOR UPDATE"));
  }
  SECTION("LOCK IN SHARE MODE") {
    CHECK(contains(bad_input("s.toml", toml_sql("SELECT id FROM works LOCK IN SHARE MODE"), 3),
                   "LOCK IN SHARE MODE"));
  }
  SECTION("a second statement smuggled after ';'") {
    std::string message = bad_input("s.toml", toml_sql("SELECT 1; DELETE FROM works"), 3);
    CHECK(contains(message, "is refused"));
  }
  SECTION("a write in an executable comment") {
    std::string message =
        bad_input("s.toml", toml_sql("SELECT 1 /*!50000 ; DELETE FROM works */"), 3);
    CHECK(contains(message, "is refused"));
    std::string leading = bad_input("s.toml", toml_sql("/*!50000 DELETE */ FROM works"), 3);
    CHECK(contains(leading, "DELETE"));
  }
  SECTION("a write statement in a .sql screen, at its own line and column") {
    std::string message =
        bad_input("page.sql", "SELECT 1;\n-- name: purge\n  DELETE FROM works;\n", 3, 3);
    CHECK(contains(message, "query 'purge'"));
    CHECK(contains(message, "DELETE"));
  }
  SECTION("a `from` query that writes") {
    std::string message = bad_input("s.toml",
                                    "[[query]]\nname = \"w\"\n"
                                    "sql = \"SELECT name FROM users WHERE id = :id\"\n"
                                    "params.id = { from = \"DELETE FROM users RETURNING id\" }\n",
                                    4);
    CHECK(contains(message, "params.id.from is refused"));
    std::string locking = bad_input("s.toml",
                                    "[[query]]\nname = \"w\"\n"
                                    "sql = \"SELECT name FROM users WHERE id = :id\"\n"
                                    "params.id = { from = \"SELECT id FROM users FOR UPDATE\" }\n",
                                    4);
    CHECK(contains(locking, "FOR UPDATE"));
  }
  SECTION("--allow-writes lets them load") {
    TempDir dir;
    dir.write("s.toml", toml_sql("INSERT INTO works (id) VALUES (1)"));
    LoadOptions options;
    options.allow_writes = true;
    CHECK(load_scenarios(dir.path(), options).size() == 1);
  }
}

TEST_CASE("times and sample are range checked", "[unit][scenario]") {
  CHECK(contains(
      bad_input("s.toml", "[[query]]\nname = \"a\"\nsql = \"SELECT 1\"\ntimes = 0\n", 4, 9),
      "query 'a': 'times' must be an integer from 1 to 100000"));
  CHECK(contains(bad_input("s.toml", "[[query]]\nsql = \"SELECT 1\"\ntimes = 100001\n", 3),
                 "'times' must be an integer"));
  CHECK(contains(bad_input("s.toml", "[[query]]\nsql = \"SELECT 1\"\ntimes = 1.5\n", 3),
                 "'times' must be an integer"));
  const std::string from =
      "[[query]]\nsql = \"SELECT :id\"\nparams.id = { from = \"SELECT id FROM users\", sample = ";
  CHECK(contains(bad_input("s.toml", from + "0 }\n", 3),
                 "params.id.sample must be an integer from 1 to 1000000"));
  CHECK(contains(bad_input("s.toml", from + "1000001 }\n", 3), "params.id.sample must be"));
  CHECK(contains(bad_input("s.toml", from + "-3 }\n", 3), "params.id.sample must be"));
  CHECK(contains(bad_input("s.toml", from + "\"5\" }\n", 3), "params.id.sample must be"));
}

TEST_CASE("non-finite floats are refused as parameter values", "[unit][scenario]") {
  // `inf` and `nan` are valid TOML, but would render as identifiers in SQL.
  CHECK(contains(bad_input("s.toml", "[[query]]\nsql = \"SELECT :x\"\nparams.x = [1.0, inf]\n", 3),
                 "params.x"));
  CHECK(contains(bad_input("s.toml", "[[query]]\nsql = \"SELECT :x\"\nparams.x = nan\n", 3),
                 "params.x"));
}

TEST_CASE("missing or empty scenario directories are bad input", "[unit][scenario]") {
  TempDir dir;
  Outcome missing = outcome_of([&] { (void)load_scenarios(dir.file("nope")); });
  CHECK(missing.code == ExitCode::kBadInput);
  CHECK(contains(missing.message, "scenario directory not found"));
  dir.write("README.md", "not a screen\n");
  Outcome empty = outcome_of([&] { (void)load_scenarios(dir.path()); });
  CHECK(empty.code == ExitCode::kBadInput);
  CHECK(contains(empty.message, "no screens"));
}

TEST_CASE("valid screens load with their defaults", "[unit][scenario]") {
  TempDir dir;
  std::string search =
      dir.write("work_search.toml",
                "description = \"Work search, design category\"\n"
                "\n"
                "[[query]]\n"
                "name = \"list\"\n"
                "sql = \"\"\"SELECT id, title FROM works\n"
                "         WHERE category_id = :category AND deleted = 0\n"
                "         ORDER BY started DESC LIMIT 20\"\"\"\n"
                "times = 2\n"
                "params.category = [17, 23, 41]\n"
                "\n"
                "[[query]]\n"
                "sql = \"SELECT COUNT(*) FROM works WHERE title LIKE :word AND budget_from > :min "
                "AND deleted = :deleted\"\n"
                "params.word = [\"%logo%\", \"it's\"]\n"
                "params.min = [1.5, -2.25]\n"
                "params.deleted = [false, true]\n"
                "\n"
                "[[query]]\n"
                "name = \"author\"\n"
                "sql = \"SELECT name FROM users WHERE id = :id\"\n"
                "params.id = { from = \"SELECT id FROM users WHERE deleted = 0\", sample = 50 }\n");
  dir.write("mypage.sql",
            "-- the profile page\n"
            "-- name: profile\n"
            "SELECT * FROM profiles WHERE user_id = 1;\n"
            "\n"
            "SELECT COUNT(*) FROM messages WHERE to_user_id = 1;  -- unread badge\n"
            "-- name: recent\n"
            "SELECT id FROM works ORDER BY id DESC LIMIT 5\n");
  dir.write("other.toml", "screen = \"top\"\n[[query]]\nsql = \"SELECT 1\"\n");
  dir.write("notes.txt", "ignored: not .toml or .sql\n");

  std::vector<Screen> screens = load_scenarios(dir.path());
  // In file-name order: mypage.sql, other.toml, work_search.toml.
  REQUIRE(names(screens) == std::vector<std::string>{"mypage", "top", "work_search"});

  const Screen& mypage = screens[0];
  REQUIRE(mypage.queries.size() == 3);
  CHECK(mypage.queries[0].name == "profile");
  CHECK(mypage.queries[0].sql == "SELECT * FROM profiles WHERE user_id = 1");
  CHECK(mypage.queries[0].where.line == 3);
  CHECK(mypage.queries[0].where.column == 1);
  CHECK(mypage.queries[1].name == "q2");
  CHECK(mypage.queries[1].sql == "SELECT COUNT(*) FROM messages WHERE to_user_id = 1");
  CHECK(mypage.queries[2].name == "recent");
  CHECK(mypage.queries[2].times == 1);
  CHECK(mypage.file == dir.file("mypage.sql"));

  CHECK(screens[1].name == "top");  // `screen =` wins over the file name
  CHECK(screens[1].queries[0].name == "q1");

  const Screen& work = screens[2];
  CHECK(work.name == "work_search");
  CHECK(work.description == "Work search, design category");
  CHECK(work.file == search);
  REQUIRE(work.queries.size() == 3);
  const Query& list = work.queries[0];
  CHECK(list.name == "list");
  CHECK(list.times == 2);
  CHECK(list.where.line == 5);
  REQUIRE(list.params.count("category") == 1);
  CHECK(list.params.at("category").values == std::vector<ParamValue>{ParamValue::integer(17),
                                                                     ParamValue::integer(23),
                                                                     ParamValue::integer(41)});
  CHECK_FALSE(list.params.at("category").from_sql);

  const Query& count = work.queries[1];
  CHECK(count.name == "q2");
  CHECK(count.params.at("word").values ==
        std::vector<ParamValue>{ParamValue::string("%logo%"), ParamValue::string("it's")});
  const auto& min = count.params.at("min").values;
  REQUIRE(min.size() == 2);
  CHECK(min[0].kind == ParamValue::Kind::kFloat);
  CHECK(min[0].text == "1.5");
  CHECK(min[1].text == "-2.25");
  const auto& deleted = count.params.at("deleted").values;
  REQUIRE(deleted.size() == 2);
  CHECK(deleted[0].kind == ParamValue::Kind::kBoolean);
  CHECK(deleted[0].text == "FALSE");
  CHECK(deleted[1].text == "TRUE");

  const ParamSpec& id = work.queries[2].params.at("id");
  CHECK(id.from_sql == "SELECT id FROM users WHERE deleted = 0");
  CHECK(id.sample == 50);
  CHECK(id.values.empty());  // drawn at run time
  CHECK(id.where.line == 20);
}

TEST_CASE("a single value is a one-value list; sample defaults to 1", "[unit][scenario]") {
  TempDir dir;
  dir.write("s.toml",
            "[[query]]\n"
            "sql = \"SELECT :x, :y\"\n"
            "params.x = \"日本語\"\n"
            "params.y = { from = \"SELECT id FROM users\" }\n");
  std::vector<Screen> screens = load_scenarios(dir.path());
  const Query& query = screens.at(0).queries.at(0);
  CHECK(query.params.at("x").values == std::vector<ParamValue>{ParamValue::string("日本語")});
  CHECK(query.params.at("y").sample == 1);
}

TEST_CASE("a screens/ subdirectory holds the screens when present", "[unit][scenario]") {
  TempDir dir;
  dir.write("schema.sql", "CREATE TABLE t (id INT);\n");  // would be refused as a screen
  dir.write("screens/top.sql", "SELECT 1;\n");
  std::vector<Screen> screens = load_scenarios(dir.path());
  CHECK(names(screens) == std::vector<std::string>{"top"});
}

TEST_CASE("select_screens picks by name, glob and comma list", "[unit][scenario]") {
  TempDir dir;
  for (const char* name :
       {"help_beginner", "mypage_profile", "top", "work_search", "work_search_design"}) {
    dir.write(std::string(name) + ".sql", "SELECT 1;\n");
  }
  const std::vector<Screen> all = load_scenarios(dir.path());
  CHECK(names(select_screens(all, {})).size() == 5);
  CHECK(names(select_screens(all, {"top"})) == std::vector<std::string>{"top"});
  CHECK(names(select_screens(all, {"work_search_*"})) ==
        std::vector<std::string>{"work_search_design"});
  CHECK(names(select_screens(all, {"work_*"})) ==
        std::vector<std::string>{"work_search", "work_search_design"});
  // A comma list keeps load order and never repeats a screen matched twice.
  CHECK(names(select_screens(all, split_list("top, work_*,work_search"))) ==
        std::vector<std::string>{"top", "work_search", "work_search_design"});
  CHECK(names(select_screens(all, {"*_p?ofile"})) == std::vector<std::string>{"mypage_profile"});

  Outcome typo = outcome_of([&] { (void)select_screens(all, {"top", "work_serch"}); });
  CHECK(typo.code == ExitCode::kUsage);
  CHECK(contains(typo.message, "no screen matches 'work_serch'"));
  CHECK(contains(typo.message, "did you mean 'work_search'"));

  Outcome unknown = outcome_of([&] { (void)select_screens(all, {"checkout"}); });
  CHECK(unknown.code == ExitCode::kUsage);
  CHECK(contains(unknown.message, "no screen matches 'checkout'"));
  CHECK_FALSE(contains(unknown.message, "did you mean"));
}

TEST_CASE("a TOML key too deep for the parser is refused, not crashed on", "[unit][scenario]") {
  auto refused = [](const std::string& text) {
    try {
      check_toml_key_depth(text, "s.toml", ExitCode::kBadInput);
    } catch (const Error& error) {
      CHECK(error.code() == ExitCode::kBadInput);
      return std::string(error.what());
    }
    return std::string();
  };
  const std::string deep = "a" + std::string() + [] {
    std::string parts;
    for (int i = 0; i < 100; ++i) parts += ".a";
    return parts;
  }();
  CHECK(refused(deep + " = 1\n") ==
        "s.toml:1:128: a key with more than 64 dotted parts; no real "
        "key has that many");
  CHECK_FALSE(refused("[" + deep + "]\n").empty());
  CHECK_FALSE(refused("x = { " + deep + " = 1 }\n").empty());
  // Dots that are not key parts never count: values, strings, quoted keys, comments.
  std::string floats = "values = [";
  for (int i = 0; i < 200; ++i) floats += "1.5, ";
  CHECK(refused(floats + "2.5]\n").empty());
  CHECK(refused("sql = \"" + deep + "\"\n").empty());
  CHECK(refused("sql = '''\n" + deep + "\n'''\n").empty());
  CHECK(refused("\"" + deep + "\" = 1\n").empty());
  CHECK(refused("# " + deep + "\nx = 1\n").empty());
  CHECK(refused("params.category = [17, 23]\n[[query]]\nname = \"a.b\"\n").empty());
}

TEST_CASE("a screen file that cannot be read is an error, never silently skipped",
          "[unit][scenario][safety]") {
  namespace fs = std::filesystem;
  auto refusal = [](const std::string& dir) {
    try {
      (void)load_scenarios(dir);
    } catch (const Error& error) {
      CHECK(error.code() == ExitCode::kBadInput);
      return std::string(error.what());
    }
    return std::string("loaded");
  };
  SECTION("a symlink loop (it was an internal error)") {
    testing::TempDir dir("loop");
    dir.write("ok.sql", "SELECT 1;\n");
    fs::create_symlink(dir / "b.sql", dir / "a.sql");
    fs::create_symlink(dir / "a.sql", dir / "b.sql");
    CHECK(contains(refusal(dir.path()), "not a readable screen file (Too many levels of symbolic"));
  }
  SECTION("a dangling symlink (it was skipped)") {
    testing::TempDir dir("dangling");
    dir.write("ok.sql", "SELECT 1;\n");
    fs::create_symlink(dir / "gone.sql", dir / "x.sql");
    CHECK(contains(refusal(dir.path()), "x.sql: not a readable screen file"));
  }
  SECTION("a directory with a screen's name") {
    testing::TempDir dir("dir-screen");
    dir.write("ok.sql", "SELECT 1;\n");
    fs::create_directories(dir / "odd.toml");
    CHECK(contains(refusal(dir.path()), "odd.toml: not a readable screen file (a directory)"));
  }
}

TEST_CASE("a screen file's [budget]: median_ms and/or p95_ms, checked", "[unit][scenario]") {
  TempDir dir;
  dir.write("home.toml",
            "[budget]\nmedian_ms = 50\np95_ms = 120.5\n\n[[query]]\nsql = \"SELECT 1\"\n");
  dir.write("list.toml", "[[query]]\nsql = \"SELECT 1\"\n");
  const std::vector<Screen> screens = load_scenarios(dir.path());
  REQUIRE(screens.size() == 2);
  REQUIRE(screens[0].budget);
  CHECK(screens[0].budget->median_ms == 50.0);
  CHECK(screens[0].budget->p95_ms == 120.5);
  CHECK(screens[0].budget->source == dir.path() + "/home.toml:1:1");
  CHECK_FALSE(screens[1].budget);

  const std::string query = "\n[[query]]\nsql = \"SELECT 1\"\n";
  CHECK(contains(bad_input("s.toml", "[budget]\nmedian = 5\n" + query, 2, 1),
                 "unknown key 'median' in [budget]"));
  CHECK(contains(bad_input("s.toml", "[budget]\n" + query, 1, 1),
                 "[budget] sets no figure: give median_ms, p95_ms or both"));
  CHECK(contains(bad_input("s.toml", "[budget]\nmedian_ms = 0\n" + query, 2, 13),
                 "'median_ms' in [budget] must be a number of milliseconds above 0"));
  CHECK(contains(bad_input("s.toml", "[budget]\np95_ms = \"5\"\n" + query, 2),
                 "'p95_ms' in [budget] must be a number of milliseconds above 0"));
  CHECK(contains(bad_input("s.toml", "[budget]\nmedian_ms = 1e308\n" + query, 2),
                 "'median_ms' in [budget] must be a number of milliseconds above 0 and at most "
                 "86400000 (a day)"));
  CHECK(contains(bad_input("s.toml", "[budget]\nmedian_ms = nan\n" + query, 2),
                 "'median_ms' in [budget] must be a number"));
  CHECK(contains(bad_input("s.toml", "[budget]\nmedian_ms = 50\np95_ms = 20\n" + query, 3),
                 "p95_ms (20.00 ms) is below median_ms (50.00 ms) in [budget]"));
  CHECK(contains(bad_input("s.toml", "budget = 5\n" + query, 1), "'budget' must be a table"));
}

TEST_CASE("scenario sizes no page issues: a 17 MiB screen file, a 5 MiB statement",
          "[unit][scenario][safety]") {
  TempDir dir("scenario-sizes");
  const std::string big = dir.write("big.sql", std::string((17u << 20), ' ') + "SELECT 1;\n");
  try {
    (void)load_screen_file(big);
    FAIL("a 17 MiB screen was read");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::kBadInput);
    CHECK(
        contains(error.what(), big + ": the screen is implausibly large (17 MiB; at most 16 MiB)"));
  }
  const std::string statement =
      "SELECT 1 FROM t WHERE id IN (" + std::string(5u << 20, '1') + ");\n";
  for (const std::string& name : {std::string("long.sql"), std::string("long.toml")}) {
    const std::string path = dir.write(
        name,
        name.ends_with(".sql") ? statement : "[[query]]\nsql = \"\"\"" + statement + "\"\"\"\n");
    try {
      (void)load_screen_file(path);
      FAIL("a 5 MiB statement was accepted in " << name);
    } catch (const Error& error) {
      CHECK(error.code() == ExitCode::kBadInput);
      CHECK(contains(error.what(), path + ":"));
      CHECK(contains(error.what(), "the statement is 5 MiB; a statement may be at most 4 MiB"));
    }
  }
}
