// Plan baselines (docs/history.md, "Plan baselines"): the file reads back as written and names
// the JSON path of what is wrong; every query's plan accepted, one change accepted with its
// reason; a run's departures named with compare's kind of change and rows, a rows estimate
// alone no departure.
#include "sqlmeasure/plan_baseline.h"

#include <catch2/catch.hpp>

#include "sqlmeasure/error.h"
#include "support/result_builders.h"
#include "support/temp_dir.h"

namespace sqlmeasure {
namespace {

using testing::run_result_with_stats;
using testing::samples_with_median;
using testing::screen_result;
using testing::TempDir;
using testing::write_text;

QueryResult query(std::string name, std::string type, std::string key, std::string rows,
                  std::uint64_t examined, std::string extra = "") {
  QueryResult q;
  q.name = std::move(name);
  q.sql = "SELECT id FROM works WHERE created > NOW() - INTERVAL 1 DAY ORDER BY created DESC";
  q.samples_ns = samples_with_median(1);
  q.rows_examined = examined;
  PlanRow row;
  row.id = "1";
  row.select_type = "SIMPLE";
  row.table = "works";
  row.access_type = std::move(type);
  row.key = std::move(key);
  row.key_len = row.key.empty() ? "" : "5";
  row.rows = std::move(rows);
  row.extra = std::move(extra);
  q.plan = {row};
  return q;
}

RunResult run_of(std::vector<QueryResult> queries) {
  RunResult run = run_result_with_stats("r", {screen_result("top", std::move(queries))});
  run.server.endpoint = "db:3306";
  run.server.database = "shop";
  return run;
}

TEST_CASE("plan baseline: the file reads back as written", "[unit][baseline]") {
  const RunResult run =
      run_of({query("new", "range", "created", "20", 20, "Using where"),
              query("all", "ALL", "", "600", 600, "Using where; Using filesort")});
  const PlanBaseline baseline = baseline_of(run, "2026-12-07T03:00:00Z");
  REQUIRE(baseline.queries.size() == 2);
  CHECK(baseline.queries[1].plan[0].extra == std::vector<std::string>{"Using filesort"});
  const TempDir dir("baseline");
  write_plan_baseline(baseline, dir / "plan-baseline.json");
  const PlanBaseline back = read_plan_baseline(dir / "plan-baseline.json");
  CHECK(back.queries == baseline.queries);
  CHECK(back.server == baseline.server);

  auto failure = [&](const std::string& text) {
    write_text(dir / "bad.json", text);
    try {
      (void)read_plan_baseline(dir / "bad.json");
    } catch (const Error& error) {
      CHECK(error.code() == ExitCode::kBadInput);
      return std::string(error.what());
    }
    return std::string("no error");
  };
  CHECK(failure("[]") ==
        dir / "bad.json" + ": $: not a plan baseline (no \"sqlmeasure_plan_baseline\": 1)");
  CHECK(failure(R"({"sqlmeasure_plan_baseline": 1, "server": "", "queries": [{"screen": "top",
      "query": "new", "plan": [{"id": "1"}], "rows_examined": 1, "accepted_at": "x"}]})") ==
        dir / "bad.json" + ": $.queries[0].plan[0].select_type: expected a string");
  CHECK(failure(R"({"sqlmeasure_plan_baseline": 2, "server": "", "queries": []})")
            .find("a newer version") != std::string::npos);
}

TEST_CASE("plan baseline: a departure is named as compare names a plan change",
          "[unit][baseline]") {
  const RunResult accepted = run_of({query("new", "range", "created", "20", 20)});
  PlanBaseline baseline = baseline_of(accepted, "2026-12-07T03:00:00Z");
  // The rows estimate moves with the data: the same plan.
  CHECK(check_baseline(baseline, run_of({query("new", "range", "created", "2000", 20)}), {})
            .departures.empty());

  const RunResult later =
      run_of({query("new", "ALL", "", "3000", 3000, "Using where; Using filesort"),
              query("added", "ALL", "", "10", 10)});
  const BaselineCheck check = check_baseline(baseline, later, {});
  CHECK(check.compared == 1);
  REQUIRE(check.departures.size() == 1);
  const std::string said = check.departures[0].describe();
  CHECK(
      said.starts_with("top/new: plan changed from baseline: works key created → (none), "
                       "range → ALL, +filesort [full scan"));
  CHECK(said.find("rows examined 20 → 3.0k (accepted 2026-12-07)") != std::string::npos);
  CHECK(check.not_in_baseline == std::vector<std::string>{"top/added"});
  CHECK(
      check.summary().starts_with("baseline: 1 of 1 query left its accepted plan; 1 not in the "
                                  "baseline (top/added"));

  // Accepted on its own, with its reason: no departure, the reason kept.
  baseline =
      accept_one(baseline, later, "top", "new", "the index goes in #42", "2026-12-08T03:00:00Z");
  CHECK(baseline.find("top", "new")->reason == "the index goes in #42");
  CHECK(check_baseline(baseline, later, {}).departures.empty());
  CHECK_THROWS_WITH(accept_one(baseline, later, "top", "gone", "x", ""),
                    "--query top/gone: no such query among the screens measured");
}

}  // namespace
}  // namespace sqlmeasure
