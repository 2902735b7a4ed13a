// indexes --verify on the demo: every drop finding measured with its index ignored, the
// known answers (the duplicate and redundant indexes change nothing, users.status is needed
// by admin_moderation), the budget, and the server left as it was (docs/indexes.md).
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "db/db_test_support.h"

namespace sqlmeasure::testing {
namespace {

using nlohmann::json;

// table.index the fix drops -> the finding's "measured", one per dropped index.
std::map<std::string, json> measured_drops(const json& report) {
  std::map<std::string, json> out;
  for (const json& finding : report["findings"]) {
    if (!finding.contains("drops")) continue;
    const std::string drop =
        finding["table"].get<std::string>() + "." + finding["drops"].get<std::string>();
    INFO(drop);
    REQUIRE(finding.contains("measured"));
    out[drop] = finding["measured"];
    if (finding["measured"]["verdict"] == "keep") CHECK(finding["severity"] == "info");
  }
  return out;
}

// [long]: left out of the sanitized suite, where "a batch that regresses is split" drives the
// same verification (docs/safety.md §7).
TEST_CASE("indexes --verify: every drop finding measured, with the demo's known answers",
          "[db][indexes][verify][long]") {
  SQLMEASURE_REQUIRE_SERVER();
  require_demo_screens();
  TestDatabase db("verify");
  db.load_demo(0.01);
  TempDir dir("verify");
  const std::string original = db.schema_fingerprint();
  const std::vector<std::string> base = {"indexes",  "--scenarios", demo_dir(),
                                         "--verify", "--format",    "json"};

  CliResult result = run_in_process(base + std::vector<std::string>{"--out-dir", dir / "out"} +
                                    connection_args(db.name()));
  INFO("stderr: " << result.err);
  REQUIRE(result.code == 0);
  const std::map<std::string, json> drops = measured_drops(json::parse(result.out));
  for (const char* unchanged :
       {"portfolios.user_id_2", "works.user_id_id", "proposals.user_id", "profiles.birthday"}) {
    INFO(unchanged);
    REQUIRE(drops.count(unchanged) == 1);
    CHECK(drops.at(unchanged)["verdict"] == "unchanged");
    CHECK(drops.at(unchanged)["text"].get<std::string>().find("no screen changes (19 screens") ==
          0);
  }
  REQUIRE(drops.count("users.status") == 1);
  CHECK(drops.at("users.status")["verdict"] == "keep");
  CHECK_THAT(drops.at("users.status")["text"].get<std::string>(),
             Catch::StartsWith("admin_moderation regressed") &&
                 Catch::Contains("; change the query before dropping it"));
  // users.status shares a table with users.deleted: measured apart.
  CHECK(result.err.find("with users.status ignored") != std::string::npos);
  CHECK(result.err.find("--verify: measuring every screen with") != std::string::npos);
  CHECK(db.schema_fingerprint() == original);
  // Read-only commands run again: nothing was left for `recover`.
  CliResult again = run_in_process(std::vector<std::string>{"indexes", "--format", "json"} +
                                   connection_args(db.name()));
  CHECK(again.code == 0);

  SECTION("the budget: what it leaves over says so") {
    // The demo's screens and one that takes 0.2 s a view, so that the first batch alone
    // spends the 1 s budget however fast the machine is (--iterations auto stops early).
    const std::string slow = dir / "slow-screens";
    std::filesystem::create_directories(slow);
    for (const auto& entry : std::filesystem::directory_iterator(demo_dir() + "/screens")) {
      std::filesystem::copy_file(entry.path(), slow + "/" + entry.path().filename().string());
    }
    write_text(slow + "/zz_sleep.sql", "SELECT SLEEP(0.2);\n");
    CliResult short_budget = run_in_process(
        std::vector<std::string>{"indexes", "--scenarios", slow, "--verify", "--format", "json",
                                 "--out-dir", dir / "budget", "--verify-budget", "1"} +
        connection_args(db.name()));
    INFO("stderr: " << short_budget.err);
    REQUIRE(short_budget.code == 0);
    const std::map<std::string, json> partial = measured_drops(json::parse(short_budget.out));
    CHECK(partial.at("users.status")["verdict"] == "not measured");
    CHECK(partial.at("users.status")["text"] == "budget (--verify-budget 1 s spent)");
    CHECK(partial.at("proposals.user_id")["verdict"] == "unchanged");
    CHECK(db.schema_fingerprint() == original);
  }
}

TEST_CASE("indexes --verify: a batch that regresses is split until the index is found",
          "[db][indexes][verify]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("verify_split");
  // t1.k_v: 2 values, 99 % are 1, so low-cardinality proposes the drop, but the screen
  // counts the rare 7 through it. t2.k_w: no query uses it (unused-index).
  db.run_script(
      "CREATE TABLE t1 (id INT PRIMARY KEY, v INT NOT NULL, KEY k_v (v));"
      "INSERT INTO t1 SELECT seq, IF(seq % 100 = 0, 7, 1) FROM seq_1_to_5000;"
      "CREATE TABLE t2 (id INT PRIMARY KEY, w INT NOT NULL, KEY k_w (w));"
      "INSERT INTO t2 SELECT seq, seq FROM seq_1_to_5000;"
      "ANALYZE TABLE t1, t2");
  TempDir dir("verify-split");
  dir.write("screens/lookup.sql",
            "-- name: rare\nSELECT COUNT(*) FROM t1 WHERE v = 7;\n"
            "-- name: other\nSELECT w FROM t2 WHERE id = 5;\n");
  dir.write("empty.toml", "");
  CliResult result =
      run_in_process(std::vector<std::string>{"indexes", "--config", dir / "empty.toml",
                                              "--scenarios", dir / "screens", "--verify",
                                              "--format", "json", "--out-dir", dir / "out"} +
                     connection_args(db.name()));
  INFO("stderr: " << result.err);
  REQUIRE(result.code == 0);
  const std::map<std::string, json> drops = measured_drops(json::parse(result.out));
  REQUIRE(drops.count("t1.k_v") == 1);
  REQUIRE(drops.count("t2.k_w") == 1);
  CHECK(drops.at("t1.k_v")["verdict"] == "keep");
  CHECK(drops.at("t2.k_w")["verdict"] == "unchanged");
  CHECK(result.err.find("with t1.k_v, t2.k_w ignored: splitting the batch") != std::string::npos);
}

TEST_CASE("indexes --verify: refused without scenarios, and its flags without it",
          "[db][indexes][verify]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("verify_flags");
  db.run_script("CREATE TABLE t (id INT PRIMARY KEY, v INT, KEY k_v (v))");
  TempDir dir("verify-flags");
  dir.write("empty.toml", "");
  CliResult no_scenarios = run_in_process(
      std::vector<std::string>{"indexes", "--verify", "--config", dir / "empty.toml"} +
      connection_args(db.name()));
  CHECK(no_scenarios.code == 64);
  CHECK(no_scenarios.err.find("--verify measures the screens") != std::string::npos);
  // It names the key that exists ([run] scenarios), not one the config would refuse.
  CHECK(no_scenarios.err.find("scenarios in sqlmeasure.toml's [run]") != std::string::npos);
  CliResult budget_alone = run_in_process(
      std::vector<std::string>{"indexes", "--verify-budget", "10"} + connection_args(db.name()));
  CHECK(budget_alone.code == 64);
  CHECK(budget_alone.err.find("go with --verify") != std::string::npos);
}

}  // namespace
}  // namespace sqlmeasure::testing
