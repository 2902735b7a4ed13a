// Drift (docs/history.md, "Drift"): a run's screen against the last runs of it — a median
// above the prediction bound and the verdict rule's threshold and floor, rows examined above
// all of theirs, another plan than the last run's — and nothing for a screen that only varies
// as it always did, or whose history is too short or of other SQL.
#include "sqlmeasure/drift.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "support/result_builders.h"
#include "support/temp_dir.h"

namespace sqlmeasure {
namespace {

using testing::TempDir;

HistoryPoint point(double median_ms, std::uint64_t rows = 100, std::string plan = "p1") {
  HistoryPoint p;
  p.screen = "top";
  p.n = 20;
  p.median_ms = median_ms;
  p.p95_ms = median_ms * 1.2;
  p.rows_examined = rows;
  p.plan = std::move(plan);
  p.queries = "q1";
  return p;
}

// Twenty runs of a screen whose median wanders ±6 % around 1 ms, as a shared machine's do.
std::vector<HistoryPoint> steady(std::size_t count = 20) {
  std::vector<HistoryPoint> points;
  for (std::size_t i = 0; i < count; ++i) {
    points.push_back(point(1.0 + 0.06 * std::sin(static_cast<double>(i) * 2.1)));
  }
  return points;
}

std::vector<const HistoryPoint*> pointers(const std::vector<HistoryPoint>& points) {
  std::vector<const HistoryPoint*> out;
  for (const HistoryPoint& p : points) out.push_back(&p);
  return out;
}

bool has(const ScreenDrift& drift, DriftKind kind) {
  return std::find(drift.kinds.begin(), drift.kinds.end(), kind) != drift.kinds.end();
}

TEST_CASE("drift: a screen varying as it always did is not flagged", "[unit][history][drift]") {
  const std::vector<HistoryPoint> history = steady();
  for (const double median : {0.93, 1.0, 1.06, 1.08}) {
    const ScreenDrift drift = judge_point(point(median), pointers(history), {});
    INFO(median << " ms: " << drift.describe());
    CHECK_FALSE(drift.drifted());
    CHECK(drift.against == 20);
  }
}

TEST_CASE("drift: a 2x slowdown is flagged, with the figures it was judged on",
          "[unit][history][drift]") {
  const std::vector<HistoryPoint> history = steady();
  const ScreenDrift drift = judge_point(point(2.0), pointers(history), {});
  REQUIRE(drift.kinds == std::vector<DriftKind>{DriftKind::kTime});
  CHECK(drift.history_median_ms == Approx(1.0).epsilon(0.05));
  CHECK(drift.bound_ms > 1.06);
  CHECK(drift.bound_ms < 1.3);
  CHECK(drift.describe().starts_with("median 2.000 ms above "));
  CHECK(drift.describe().find("(the prediction bound of its last 20 runs, whose median is ") !=
        std::string::npos);
  // Above the bound but within the threshold (+10 %) or the floor (0.05 ms): not a drift.
  std::vector<HistoryPoint> flat;
  for (int i = 0; i < 20; ++i) flat.push_back(point(1.0 + (i % 2) * 0.001));
  CHECK_FALSE(judge_point(point(1.05), pointers(flat), {}).drifted());
  std::vector<HistoryPoint> tiny;
  for (int i = 0; i < 20; ++i) tiny.push_back(point(0.1 + (i % 2) * 0.0001));
  CHECK_FALSE(judge_point(point(0.14), pointers(tiny), {}).drifted());  // +40 %, but 0.04 ms
}

TEST_CASE("drift: rows examined above every earlier run's, past the floor",
          "[unit][history][drift]") {
  const std::vector<HistoryPoint> history = steady();
  const ScreenDrift more = judge_point(point(1.0, 1100), pointers(history), {});
  CHECK(more.kinds == std::vector<DriftKind>{DriftKind::kRows});
  CHECK(more.describe() == "rows examined 1,100 above its last 20 runs' most, 100");
  CHECK_FALSE(judge_point(point(1.0, 150), pointers(history), {}).drifted());  // under the floor
}

TEST_CASE("drift: another plan than the last run's, from the second run on",
          "[unit][history][drift]") {
  const std::vector<HistoryPoint> one = {point(1.0)};
  const ScreenDrift drift = judge_point(point(1.0, 100, "p2"), pointers(one), {});
  CHECK(drift.kinds == std::vector<DriftKind>{DriftKind::kPlan});
  CHECK(drift.against == 1);  // too few to judge its time: its plan is judged all the same
  CHECK_FALSE(judge_point(point(5.0), pointers(one), {}).drifted());
}

TEST_CASE("drift: a run against its history, screen by screen, other SQL apart",
          "[unit][history][drift]") {
  const TempDir dir("drift");
  const std::string at = dir / "h";
  HistoryRead read;
  for (int i = 0; i < 8; ++i) {
    HistoryEntry entry;
    entry.id = "r" + std::to_string(i);
    entry.recorded_at = "2026-12-0" + std::to_string(i + 1) + "T03:00:00Z";
    entry.endpoint = "db:3306";
    entry.database = "shop";
    entry.screens = {point(1.0 + 0.01 * i)};
    HistoryPoint other = point(1.0);
    other.screen = "search";
    other.queries = i < 4 ? "old-sql" : "q1";  // its SQL changed after the fourth run
    entry.screens.push_back(other);
    read.runs.push_back(entry);
  }
  HistoryEntry now;
  now.id = "now";
  now.endpoint = "db:3306";
  now.database = "shop";
  now.screens = {point(3.0), point(1.0)};
  now.screens[1].screen = "search";
  const DriftReport report = judge_drift({}, now, read, at, {});
  REQUIRE(report.screens.size() == 2);
  CHECK(report.history_runs == 8);
  CHECK(report.first_run == "r0");
  CHECK(report.last_run == "r7");
  CHECK(report.drifted() == 1);
  CHECK(has(report.screens[0], DriftKind::kTime));
  CHECK(report.screens[1].against == 4);  // only the runs of its current SQL
  CHECK(report.summary() ==
        "drift: 1 of 2 screens drifted, against the 8 earlier runs of shop at db:3306 (r0 … r7)");
  HistoryEntry elsewhere = now;
  elsewhere.database = "shop_ci";
  CHECK(judge_drift({}, elsewhere, read, at, {}).summary() ==
        "drift: nothing to judge against yet (the first run of shop_ci at db:3306 in the history)");
}

}  // namespace
}  // namespace sqlmeasure
