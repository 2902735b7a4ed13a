// Run history (docs/history.md): what the index keeps of a run and reads back, how a run is
// named (id, prefix, label, latest~N), retention, plan changes over the runs, and what a bad
// or interrupted index says.
#include "sqlmeasure/history.h"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "sqlmeasure/error.h"
#include "sqlmeasure/history_report.h"
#include "sqlmeasure/results_file.h"
#include "support/result_builders.h"
#include "support/temp_dir.h"

namespace sqlmeasure {
namespace {

using testing::run_result_with_stats;
using testing::samples_with_median;
using testing::screen_result;
using testing::TempDir;
using testing::write_text;

PlanRow plan_row(std::string key, std::string rows = "20") {
  PlanRow row;
  row.id = "1";
  row.select_type = "SIMPLE";
  row.table = "works";
  row.access_type = key.empty() ? "ALL" : "ref";
  row.key = std::move(key);
  row.rows = std::move(rows);
  return row;
}

QueryResult query(double median_ms, std::string key = "created", std::string rows = "20") {
  QueryResult q;
  q.name = "list";
  q.sql = "SELECT id FROM works ORDER BY created DESC LIMIT 20";
  q.samples_ns = samples_with_median(median_ms);
  q.rows_examined = 20;
  q.plan = {plan_row(std::move(key), std::move(rows))};
  return q;
}

RunResult demo_run(const std::string& label, double top_ms, std::string top_key = "created",
                   std::string database = "shop") {
  RunResult run =
      run_result_with_stats(label, {screen_result("top", {query(top_ms, std::move(top_key))}),
                                    screen_result("search", {query(2.0, "category")})});
  run.server.endpoint = "db:3306";
  run.server.database = std::move(database);
  run.started_at = "2026-12-01T03:00:00Z";
  run.finished_at = "2026-12-01T03:00:10Z";
  return run;
}

std::string day(int d) { return fmt::format("2026-12-{:02}T03:00:10Z", d); }

TEST_CASE("history: a run kept reads back as its summary, and its file as the run",
          "[unit][history]") {
  const TempDir dir("history");
  const std::string at = dir / "h";
  const RunResult run = demo_run("abc123", 0.4);
  const HistoryEntry kept = record_run(at, run, day(1));
  CHECK(kept.id.starts_with("20261201-030010-"));
  CHECK(kept.identity() == "shop at db:3306");
  CHECK(kept.label == "abc123");
  REQUIRE(kept.screens.size() == 2);
  CHECK(kept.screens[0].screen == "top");
  CHECK(kept.screens[0].median_ms == Approx(0.4));
  CHECK(kept.screens[0].rows_examined == 20);
  CHECK(std::filesystem::exists(at + "/runs/" + kept.id + ".json"));

  const HistoryRead read = read_history(at, {});
  REQUIRE(read.runs.size() == 1);
  CHECK(read.runs[0] == kept);
  CHECK(read.warnings.empty());
  CHECK(read_results_file(recorded_run_path(at, "latest")).label == "abc123");

  // Only the screens asked for are built; runs before --since are left out.
  const HistoryRead only_top = read_history(at, {{"to*"}, "", "", ""});
  REQUIRE(only_top.runs[0].screens.size() == 1);
  CHECK(only_top.runs[0].screens[0].screen == "top");
  CHECK(read_history(at, {{}, "2026-12-02", "", ""}).runs.empty());
  CHECK(read_history(at, {{}, "", "", "other"}).runs.empty());

  // The same run twice is one run.
  CHECK_THROWS_WITH(record_run(at, run, day(1)), Catch::Contains("already keeps this run"));
}

TEST_CASE("history: a plan signature follows the access path, not the rows estimate",
          "[unit][history]") {
  const std::vector<QueryResult> a = {query(1, "created", "20")};
  CHECK(plan_signature(a) == plan_signature({query(1, "created", "2000")}));
  CHECK(plan_signature(a) != plan_signature({query(1, "")}));
  std::vector<QueryResult> sorted = a;
  sorted[0].plan[0].extra = "Using where; Using filesort";
  CHECK(plan_signature(a) != plan_signature(sorted));
}

TEST_CASE("history: runs are named by id, prefix, label or latest~N", "[unit][history]") {
  const TempDir dir("history");
  const std::string at = dir / "h";
  std::vector<std::string> ids;
  for (int d = 1; d <= 3; ++d) {
    ids.push_back(record_run(at, demo_run("c" + std::to_string(d), 0.4 + d), day(d)).id);
  }
  auto id_of = [&](const std::string& name) {
    return std::filesystem::path(recorded_run_path(at, name)).stem().string();
  };
  CHECK(id_of("latest") == ids[2]);
  CHECK(id_of("latest~2") == ids[0]);
  CHECK(id_of("c2") == ids[1]);
  CHECK(id_of(ids[1]) == ids[1]);
  CHECK(id_of(ids[1].substr(0, 10)) == ids[1]);  // 20261202-0: one run's prefix
  auto usage = [&](const std::string& name) {
    try {
      (void)recorded_run_path(at, name);
    } catch (const Error& error) {
      CHECK(error.code() == ExitCode::kUsage);
      return std::string(error.what());
    }
    return std::string("no error");
  };
  CHECK(usage("2026120") ==
        "2026120 names 3 runs in " + at + ": " + ids[0] + ", " + ids[1] + ", " + ids[2]);
  CHECK(usage("latest~3") == "latest~3: " + at + " holds 3 runs");
  CHECK(usage("nope").starts_with("no run nope in " + at));
}

TEST_CASE("history: plan changes are marked against the previous run of the screen",
          "[unit][history]") {
  const TempDir dir("history");
  const std::string at = dir / "h";
  (void)record_run(at, demo_run("c1", 0.4), day(1));
  (void)record_run(at, demo_run("c2", 0.4), day(2));
  (void)record_run(at, demo_run("c3", 60, ""), day(3));  // the index gone: a full scan
  (void)record_run(at, demo_run("c4", 61, ""), day(4));
  (void)record_run(at, demo_run("elsewhere", 0.4, "created", "shop_ci"), day(4));
  const HistoryRead read = read_history(at, {});
  const std::vector<IdentityHistory> groups = group_history(read);
  REQUIRE(groups.size() == 2);  // two databases: told apart
  const IdentityHistory& shop = groups[0];
  CHECK(shop.identity == "shop at db:3306");
  REQUIRE(shop.runs.size() == 4);
  REQUIRE(shop.screens.size() == 2);
  CHECK(shop.screens[0].screen == "top");
  CHECK(shop.screens[0].plan_changed == std::vector<bool>{false, false, true, false});
  CHECK(shop.screens[0].plan_changes() == 1);
  CHECK(shop.screens[1].plan_changes() == 0);

  std::ostringstream text;
  render_history(read_history(at, {}), at, Format::kTable, {}, text);
  CHECK(text.str().find("changed 1×, last in ") != std::string::npos);
  CHECK(text.str().find("▁▁██") != std::string::npos);
}

TEST_CASE("history: retention by age or by the newest N of each database and endpoint",
          "[unit][history]") {
  CHECK(parse_retention("90d").days == 90);
  CHECK(parse_retention("2w").days == 14);
  CHECK(parse_retention("6m").days == 180);
  CHECK(parse_retention("20").runs == 20u);
  for (const char* bad : {"", "0", "d", "9x", "-3", "12345678"}) {
    CHECK_THROWS_WITH(parse_retention(bad), Catch::Contains("expected a number of runs"));
  }
  const TempDir dir("history");
  const std::string at = dir / "h";
  std::vector<std::string> ids;
  for (int d = 1; d <= 5; ++d) {
    ids.push_back(record_run(at, demo_run("c" + std::to_string(d), 1), day(d)).id);
  }
  (void)record_run(at, demo_run("other", 1, "created", "shop_ci"), day(1));
  const PruneResult by_count = prune_history(at, parse_retention("3"), day(6));
  CHECK(by_count.kept == 4);  // the newest 3 of shop, and shop_ci's one
  CHECK(by_count.removed == 2);
  CHECK_FALSE(std::filesystem::exists(at + "/runs/" + ids[0] + ".json"));
  CHECK(std::filesystem::exists(at + "/runs/" + ids[2] + ".json"));
  const PruneResult by_age = prune_history(at, parse_retention("2d"), day(6));
  CHECK(by_age.kept == 2);  // recorded on the 4th or later: c4 is 2 days old to the second
  CHECK(read_history(at, {}).runs.back().label == "c5");
}

TEST_CASE("history: a bad index line is named by file and line; an interrupted one is said",
          "[unit][history]") {
  const TempDir dir("history");
  const std::string at = dir / "h";
  (void)record_run(at, demo_run("c1", 1), day(1));
  {
    std::ofstream index(at + "/index.jsonl", std::ios::app);
    index << R"({"v": 1, "id": "x")";  // cut short: no newline
  }
  const HistoryRead read = read_history(at, {});
  CHECK(read.runs.size() == 1);
  REQUIRE(read.warnings.size() == 1);
  {
    // The next run cuts the partial line off before its own: the index reads whole again.
    const TempDir again("history");
    const std::string copy = again / "h";
    std::filesystem::copy(at, copy, std::filesystem::copy_options::recursive);
    (void)record_run(copy, demo_run("c2", 1), day(2));
    const HistoryRead mended = read_history(copy, {});
    CHECK(mended.runs.size() == 2);
    CHECK(mended.warnings.empty());
  }
  CHECK(read.warnings[0] == at + "/index.jsonl:2: an incomplete last line (a run that was being "
                                 "kept when it stopped) is left out");
  {
    std::ofstream index(at + "/index.jsonl", std::ios::app);
    index << "\n{\"v\": 9}\n";
  }
  try {
    (void)read_history(at, {});
    FAIL("no error");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::kBadInput);
    CHECK(std::string(error.what()).starts_with(at + "/index.jsonl:2:19: not JSON"));
  }
  write_text(at + "/index.jsonl", "{\"v\": 9}\n");
  CHECK_THROWS_WITH(read_history(at, {}), Catch::Contains("index.jsonl:1:1: index version 9 is "
                                                          "newer than this sqlmeasure reads"));
  try {
    (void)read_history(dir / "nowhere", {});
    FAIL("no error");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::kUsage);
  }
}

TEST_CASE("history: a hint's runs say whether it still pays, and since when it does not",
          "[unit][history]") {
  const TempDir dir("history");
  const std::string at = dir / "h";
  auto hint = [](double with_ms, double without_ms) {
    return HintPoint{
        "feed", "items", "FORCE INDEX (created)", "SELECT id FROM works", true, with_ms, without_ms,
        30,     3000};
  };
  const std::vector<std::pair<double, double>> figures = {
      {0.4, 1.6}, {0.4, 1.5}, {0.5, 0.45}, {0.5, 0.4}};
  for (std::size_t i = 0; i < figures.size(); ++i) {
    (void)record_run(at, demo_run("n" + std::to_string(i + 1), 1), day(static_cast<int>(i) + 1),
                     {hint(figures[i].first, figures[i].second)});
  }
  HistoryRead read = read_history(at, {});
  CHECK(read.runs[0].hints.size() == 1);  // read back from the index
  std::vector<IdentityHistory> groups = group_history(read);
  REQUIRE(groups[0].hints.size() == 1);
  const HintHistory& feed = groups[0].hints[0];
  CHECK_FALSE(feed.pays_now());
  CHECK(feed.finding(groups[0].runs)
            .starts_with("FORCE INDEX (created) on feed/items no longer faster since " +
                         read.runs[2].id + " (n3): with 0.500 ms, without 0.400 ms"));
  CHECK(feed.fix() == "SELECT id FROM works");

  // Paying in the newest run: said with its margin; never paying: said so.
  (void)record_run(at, demo_run("n5", 1), day(5), {hint(0.4, 1.2)});
  read = read_history(at, {});
  groups = group_history(read);
  CHECK(groups[0].hints[0].finding(groups[0].runs) ==
        "FORCE INDEX (created) on feed/items still pays 3.0× (with 0.400 ms, without 1.200 ms): "
        "paid in 3 of 5 runs measured");
  const TempDir other("history");
  (void)record_run(other / "h", demo_run("m1", 1), day(1), {hint(0.5, 0.5)});
  const HistoryRead never = read_history(other / "h", {});
  const std::vector<IdentityHistory> never_groups = group_history(never);
  CHECK(never_groups[0].hints[0].finding(never_groups[0].runs) ==
        "FORCE INDEX (created) on feed/items not faster in any of the 1 run measured (with 0.500 "
        "ms, without 0.500 ms in the newest)");
}

TEST_CASE("history: a run whose EXPLAIN failed is no plan change, before or after",
          "[unit][history]") {
  const TempDir dir("history");
  const std::string at = dir / "h";
  (void)record_run(at, demo_run("ok", 1), day(1));
  RunResult failed = demo_run("failed", 1);
  failed.screens[0].queries[0].error = "Lost connection during EXPLAIN";
  failed.screens[0].queries[0].plan.clear();
  (void)record_run(at, failed, day(2));
  (void)record_run(at, demo_run("ok again", 1), day(3));
  const HistoryRead read = read_history(at, {});
  const std::vector<IdentityHistory> groups = group_history(read);
  CHECK(groups[0].screens[0].plan_changed == std::vector<bool>{false, false, false});
}

TEST_CASE("history: a sparkline spans the lowest to the highest value", "[unit][history]") {
  CHECK(sparkline({}) == "");
  CHECK(sparkline({1, 1, 1}) == "▁▁▁");
  CHECK(sparkline({1, 2, 3, 4, 5, 6, 7, 8}) == "▁▂▃▄▅▆▇█");
}

}  // namespace
}  // namespace sqlmeasure
