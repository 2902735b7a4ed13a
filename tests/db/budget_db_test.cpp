// Budgets and accepted regressions against the real MariaDB (docs/verdicts.md): a run records
// the budget it used and fails when a screen is over it; a live compare holds the after side to
// it and accepts what sqlmeasure.toml accepts; the out-dir compared again offline agrees.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "db/db_test_support.h"
#include "support/results_json.h"

namespace sqlmeasure::testing {
namespace {

using nlohmann::json;

// The demo-schema screens, mypage with a budget no view can meet (1 µs) in its own file.
void write_budgeted_screens(const std::string& directory) {
  write_demo_schema_screens(directory);
  write_text(directory + "/mypage.toml",
             read_text(directory + "/mypage.toml") + "\n[budget]\nmedian_ms = 0.001\n");
}

}  // namespace

TEST_CASE("budgets: run records them and fails over one; compare accepts what the config does",
          "[db][budget]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("budget");
  db.load_demo(0.01);
  TempDir dir("budget");
  write_budgeted_screens(dir / "screens");
  // help gets sqlmeasure.toml's generous budget; the work_search regression is accepted.
  write_text(dir / "sqlmeasure.toml", R"toml([[budget]]
screens = "help"
p95_ms = 60000

[[accept]]
screen = "work_search"
reason = "the category index goes; search moves to the search service"
expires = 2099-12-31
)toml");
  const std::vector<std::string> quick = {"--iterations", "5", "--warmup", "1"};
  const std::vector<std::string> config = {"--config", dir / "sqlmeasure.toml"};

  SECTION("run: the note column names the screen over budget; exit 1 after the file") {
    CliResult result = run_in_process(
        std::vector<std::string>{"run", "--scenarios", dir / "screens", "-o", dir / "run.json"} +
        connection_args(db.name()) + quick + config);
    INFO("stdout: " << result.out << "\nstderr: " << result.err);
    CHECK(result.code == 1);
    CHECK(result.out.find("over budget: median") != std::string::npos);
    CHECK(result.err.find("1 screen over budget: mypage") != std::string::npos);
    const json run = json::parse(read_text(dir / "run.json"));
    const json& mypage = screen_named(run, "mypage");
    CHECK(mypage["budget"]["median_ms"] == 0.001);
    CHECK(mypage["budget"]["source"].get<std::string>().find("mypage.toml:") != std::string::npos);
    CHECK(screen_named(run, "help").at("budget")["p95_ms"] == 60000.0);
    CHECK(screen_named(run, "work_search").at("budget").is_null());
  }

  SECTION("a live compare: the accepted regression passes, the budget fails; offline agrees") {
    CliResult result =
        run_in_process(LiveCompareArgs{.database = db.name(),
                                       .config = dir / "sqlmeasure.toml",
                                       .scenarios = dir / "screens",
                                       .ignore_indexes = {"works.category_id_status_started"},
                                       .out_dir = dir / "out",
                                       .iterations = "5",
                                       .warmup = "1",
                                       .format = "json"}
                           .build());
    INFO("stderr: " << result.err);
    REQUIRE(result.code == 1);
    const json comparison = json::parse(result.out);
    const json& work_search = screen_named(comparison, "work_search");
    const json& mypage = screen_named(comparison, "mypage");
    CHECK(work_search["verdict"] == "regressed");
    CHECK(work_search["gated"] == false);
    CHECK(work_search["accepted"]["expires"] == "2099-12-31");
    CHECK(mypage["verdict"] == "over budget");
    CHECK(mypage["gated"] == true);
    CHECK(mypage["budget"]["over"] == true);
    CHECK(comparison["regressed"] == 1);
    CHECK(comparison["accepted_screens"] == 1);

    // The out-dir judged again offline, without the config: the recorded budget still holds,
    // and nothing is accepted any more.
    write_text(dir / "empty.toml", "");
    CliResult offline = run_in_process(
        {"compare", dir / "out", "--format", "json", "--config", dir / "empty.toml"});
    INFO("offline stderr: " << offline.err);
    REQUIRE(offline.code == 1);
    const json again = json::parse(offline.out);
    CHECK(screen_named(again, "mypage").at("verdict") == "over budget");
    CHECK(screen_named(again, "work_search").at("gated") == true);
    CHECK(again["regressed"] == 2);
  }
}

}  // namespace sqlmeasure::testing
