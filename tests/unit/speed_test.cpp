// The speed features, deterministically (no timing assertions): samples of several
// connections merged by round (--concurrency), the --iterations auto stopping rule, and
// the streamed results file.
#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "sqlmeasure/results_file.h"
#include "sqlmeasure/runner.h"
#include "support/fake_connection.h"
#include "support/screen_builders.h"

using namespace sqlmeasure;
using sqlmeasure::testing::Call;
using sqlmeasure::testing::FakeConnection;
using sqlmeasure::testing::make_query;
using sqlmeasure::testing::make_screen;
using sqlmeasure::testing::sql_of;
using sqlmeasure::testing::three_queries;

namespace {

void script_all(FakeConnection& fake, const std::vector<Screen>& screens, std::int64_t ns) {
  for (const Screen& screen : screens) {
    for (const Query& query : screen.queries) fake.on(query.sql).rows(1, 1).elapsed({ns});
  }
}

RunOptions options(int iterations) {
  RunOptions o;
  o.settings.warmup = 0;
  o.settings.iterations = iterations;
  return o;
}

std::vector<std::int64_t> constant(std::size_t n, std::int64_t value) {
  return std::vector<std::int64_t>(n, value);
}

}  // namespace

TEST_CASE("samples of several connections are merged per query in round order", "[unit][speed]") {
  const auto screens = three_queries();
  FakeConnection first("first");
  script_all(first, screens, 1'000'000);
  RunOptions o = options(50);
  o.settings.concurrency = 3;
  std::vector<FakeConnection*> opened;
  // Every extra connection answers with its own latency, so each sample says who took it.
  o.open_connection = [&](std::size_t target) -> std::unique_ptr<Connection> {
    CHECK(target == 0);
    auto fake = std::make_unique<FakeConnection>("extra");
    script_all(*fake, screens, 2'000'000 + 1'000'000 * static_cast<std::int64_t>(opened.size()));
    opened.push_back(fake.get());
    return fake;
  };
  RunResult run = measure({{&first, "a"}}, screens, o).front();
  REQUIRE(opened.size() == 2);
  CHECK(run.complete);
  CHECK(run.settings.concurrency == 3);
  std::set<std::int64_t> allowed = {1'000'000, 2'000'000, 3'000'000};
  for (const ScreenResult& screen : run.screens) {
    for (const QueryResult& query : screen.queries) {
      CHECK(query.samples_ns.size() == 50);  // --iterations is the total, as in mysqlslap
      for (std::int64_t ns : query.samples_ns) CHECK(allowed.count(ns) == 1);
    }
  }
  // A round is replayed whole on one connection, so a view's sum adds up one connection's
  // samples: 2 x its latency, never a mix.
  const ScreenResult& top = run.screens[0];
  REQUIRE(top.view_samples().size() == 50);
  for (std::size_t i = 0; i < 50; ++i) {
    CHECK(top.queries[0].samples_ns[i] == top.queries[1].samples_ns[i]);
    CHECK(top.samples_ns[i] == 2 * top.queries[0].samples_ns[i]);
  }
  // Every execution of the sampling phase is counted once: 150 timed, and each view's
  // lead-in (two screens alternating: every view has one).
  CHECK(run.throughput.queries == 2 * 150);
}

TEST_CASE("concurrency 1 needs no extra connection; more without a way to open them is a bug",
          "[unit][speed]") {
  const auto screens = three_queries();
  FakeConnection fake;
  script_all(fake, screens, 1'000'000);
  RunOptions o = options(4);
  RunResult run = measure({{&fake, "a"}}, screens, o).front();
  CHECK(run.screens[0].queries[0].samples_ns.size() == 4);
  CHECK(run.throughput.queries == 2 * 12);  // timed, and the lead-in views
  o.settings.concurrency = 2;
  // The flags are validated before any work (cli/options.cpp); the runner only asserts.
  CHECK_THROWS_AS(measure({{&fake, "a"}}, screens, o), std::invalid_argument);
}

TEST_CASE("round-indexed samples are compacted in round order", "[unit][speed]") {
  std::vector<std::int64_t> samples = {5, -1, 7, 9, -1, -1, 3};
  compact_round_samples(samples);
  CHECK(samples == std::vector<std::int64_t>{5, 7, 9, 3});
}

TEST_CASE("the median's confidence interval uses order statistics", "[unit][speed]") {
  std::vector<std::int64_t> samples;
  for (std::int64_t i = 100; i >= 1; --i) samples.push_back(i);  // order does not matter
  MedianInterval interval = median_interval(samples);
  // n = 100: ranks round(50 - 9.8) = 40 and round(51 + 9.8) = 61.
  CHECK(interval.low == 40);
  CHECK(interval.median == 50);
  CHECK(interval.high == 61);
  CHECK(interval.half_width() == 10);
  CHECK(median_interval({}).median == 0);
  MedianInterval one = median_interval({7});
  CHECK((one.low == 7 && one.median == 7 && one.high == 7));
}

TEST_CASE("the auto rule: a minimum, then a relative or an absolute bound", "[unit][speed]") {
  RunSettings::AutoIterations rule;  // 10 rounds, 2 %, 0.01 ms
  CHECK_FALSE(median_is_precise(constant(9, 1'000'000), rule));
  CHECK(median_is_precise(constant(10, 1'000'000), rule));
  std::vector<std::int64_t> wide;
  for (std::int64_t i = 1; i <= 20; ++i) wide.push_back(1'000'000 * i);
  CHECK_FALSE(median_is_precise(wide, rule));
  std::vector<std::int64_t> close;  // 1.000 .. 1.019 ms: half-width ~0.5 % of the median
  for (std::int64_t i = 0; i < 20; ++i) close.push_back(1'000'000 + 1'000 * i);
  CHECK(median_is_precise(close, rule));
  std::vector<std::int64_t> fast;  // 20..39 us: 25 % wide, but within 0.01 ms
  for (std::int64_t i = 0; i < 20; ++i) fast.push_back(20'000 + 1'000 * i);
  CHECK(median_is_precise(fast, rule));
}

TEST_CASE("--iterations auto: a precise screen drops out, a noisy one runs to the maximum",
          "[unit][speed]") {
  const auto screens = three_queries();
  FakeConnection fake;
  // top is steady; search cycles through 1, 3 and 2 ms (a lead-in and a timed execution a
  // round, so its samples see every value), and its median never gets precise.
  const std::vector<std::int64_t> noisy = {1'000'000, 3'000'000, 2'000'000};
  fake.on(screens[0].queries[0].sql).rows(1, 1).elapsed({1'000'000});
  fake.on(screens[0].queries[1].sql).rows(1, 1).elapsed({2'000'000});
  fake.on(screens[1].queries[0].sql).rows(1, 1).elapsed(noisy);
  RunOptions o = options(30);
  o.settings.auto_iterations.enabled = true;
  o.settings.auto_iterations.budget_s = 1e9;
  RunResult run = measure({{&fake, "a"}}, screens, o).front();
  CHECK(run.screens[0].queries[0].samples_ns.size() == 10);
  CHECK(run.screens[0].queries[1].samples_ns.size() == 10);
  CHECK(run.screens[0].view_samples() == constant(10, 3'000'000));
  CHECK(run.screens[1].queries[0].samples_ns.size() == 30);

  SECTION("the time budget stops a screen after the minimum") {
    o.settings.auto_iterations.budget_s = 0;
    FakeConnection again;
    again.on(screens[0].queries[0].sql).rows(1, 1).elapsed({1'000'000});
    again.on(screens[0].queries[1].sql).rows(1, 1).elapsed({2'000'000});
    again.on(screens[1].queries[0].sql).rows(1, 1).elapsed(noisy);
    RunResult budgeted = measure({{&again, "a"}}, screens, o).front();
    CHECK(budgeted.screens[1].queries[0].samples_ns.size() == 10);
  }
}

TEST_CASE("--iterations auto: a screen the caller finds decided drops out, from its third view",
          "[unit][speed]") {
  const auto screens = three_queries();
  FakeConnection fake;
  // Both screens noisy (never precise); the caller decides `search` once it has 10 views.
  const std::vector<std::int64_t> noisy = {1'000'000, 3'000'000, 2'000'000};
  fake.on(screens[0].queries[0].sql).rows(1, 1).elapsed(noisy);
  fake.on(screens[0].queries[1].sql).rows(1, 1).elapsed({1'000'000});
  fake.on(screens[1].queries[0].sql).rows(1, 1).elapsed(noisy);
  RunOptions o = options(30);
  o.settings.auto_iterations.enabled = true;
  o.settings.auto_iterations.budget_s = 1e9;
  std::vector<std::size_t> asked;
  o.decided = [&](std::size_t screen, const std::vector<ScreenSoFar>& targets) {
    asked.push_back(screen);
    REQUIRE(targets.size() == 1);  // one target
    CHECK(targets.front().result->name == screens[screen].name);
    return screen == 1 && targets.front().views.size() >= 10;
  };
  RunResult run = measure({{&fake, "a"}}, screens, o).front();
  CHECK(run.screens[0].queries[0].samples_ns.size() == 30);
  CHECK(run.screens[1].queries[0].samples_ns.size() == 10);
  // Asked after each round from the third on, until it said yes (rounds 3 to 10).
  CHECK(std::count(asked.begin(), asked.end(), 1) == 8);
  // Why each screen stopped, and after how many views.
  REQUIRE(run.screens[1].sampling.has_value());
  CHECK(run.screens[1].sampling->reason == "decided");
  CHECK(run.screens[1].sampling->views == 10);
  CHECK(run.screens[0].sampling->reason == "rounds");
  CHECK(run.screens[0].sampling->views == 30);

  // Decided at once: three views, before the minimum of ten; a precise screen waits for it.
  o.decided = [](std::size_t screen, const std::vector<ScreenSoFar>&) { return screen == 1; };
  FakeConnection steady;
  steady.on(screens[0].queries[0].sql).rows(1, 1).elapsed({1'000'000});
  steady.on(screens[0].queries[1].sql).rows(1, 1).elapsed({1'000'000});
  steady.on(screens[1].queries[0].sql).rows(1, 1).elapsed(noisy);
  RunResult early = measure({{&steady, "a"}}, screens, o).front();
  CHECK(early.screens[1].queries[0].samples_ns.size() == 3);
  CHECK(early.screens[1].sampling->reason == "decided");
  CHECK(early.screens[0].sampling->reason == "precise");
  CHECK(early.screens[0].sampling->views == o.settings.auto_iterations.min_rounds);

  // Fixed iterations: the count.
  o.settings.auto_iterations.enabled = false;
  o.decided = nullptr;
  RunResult fixed = measure({{&fake, "a"}}, screens, o).front();
  CHECK(fixed.screens[0].sampling->reason == "iterations");
  CHECK(fixed.screens[0].sampling->views == 30);
}

TEST_CASE("the results file keeps the speed settings, and older files read as before",
          "[unit][speed]") {
  RunResult run;
  run.tool_version = "test";
  run.settings.concurrency = 4;
  run.settings.auto_iterations.enabled = true;
  run.settings.auto_iterations.min_rounds = 12;
  run.throughput.queries = 1000;
  run.throughput.wall_s = 0.5;
  ScreenResult& screen = run.screens.emplace_back();
  screen.name = "s";
  screen.samples_ns = {3, 4, 5};
  QueryResult& query = screen.queries.emplace_back();
  query.name = "q";
  query.sql = "SELECT 1";
  query.samples_ns = {3, 4, 5};
  std::string text = results_to_json(run);
  CHECK(text.find("\"samples_ns\": [3,4,5]") != std::string::npos);  // one line per array
  RunResult back = results_from_json(text, "test.json");
  CHECK(back.settings.concurrency == 4);
  CHECK(back.settings.auto_iterations.enabled);
  CHECK(back.settings.auto_iterations.min_rounds == 12);
  CHECK(back.throughput.queries == 1000);
  CHECK(back.throughput.queries_per_s() == Approx(2000));
  CHECK(back.screens[0].queries[0].samples_ns == std::vector<std::int64_t>{3, 4, 5});
  CHECK(back.screens[0].view_samples() == std::vector<std::int64_t>{3, 4, 5});

  // A file from before these fields: defaults.
  nlohmann::json old = nlohmann::json::parse(text);
  old.erase("throughput");
  for (const char* key : {"concurrency", "iterations_mode", "auto_iterations"}) {
    old["settings"].erase(key);
  }
  RunResult read_back = results_from_json(old.dump(), "old.json");
  CHECK(read_back.settings.concurrency == 1);
  CHECK_FALSE(read_back.settings.auto_iterations.enabled);
  CHECK(read_back.throughput.queries == 0);
}

TEST_CASE(
    "--iterations auto: a heavy query is inspected within its budget, warmed once, and "
    "its screen takes no lead-in view",
    "[unit][speed]") {
  // `scan` takes 30 ms an execution and has 8 parameter variants; `light` 0.1 ms.
  Query scan = make_query("scan");
  scan.sql += " WHERE id = :id";
  for (int id = 1; id <= 8; ++id) scan.params["id"].values.push_back(ParamValue::integer(id));
  const std::vector<Screen> screens = {make_screen("heavy", {scan}),
                                       make_screen("light", {make_query("light")})};
  auto scripted = [&](FakeConnection& fake) {
    fake.on_match([](std::string_view sql) { return sql.starts_with(sql_of("scan")); })
        .rows(1, 300'000)
        .elapsed({30'000'000});
    fake.on(sql_of("light")).rows(1, 1).elapsed({100'000});
  };
  auto executions = [](const FakeConnection& fake, bool of_scan, bool checksum) {
    int n = 0;
    for (const Call& call : fake.log()) {
      n += call.kind == Call::Kind::kTimed && call.with_checksum == checksum &&
           call.sql.starts_with(sql_of("scan")) == of_scan;
    }
    return n;
  };
  RunOptions o = options(6);
  o.settings.warmup = 2;
  o.settings.auto_iterations.enabled = true;
  o.settings.auto_iterations.min_rounds = 6;
  o.settings.auto_iterations.budget_s = 1e9;
  FakeConnection fake;
  scripted(fake);
  const RunResult run = measure({{&fake, "a"}}, screens, o).front();
  const QueryResult& inspected = run.screens[0].queries[0];
  // 30 ms, and a second variant would take it past 50 ms: one variant, recorded as such.
  CHECK(inspected.variants_inspected == 1);
  REQUIRE(inspected.variants.size() == 1);
  CHECK(inspected.variants[0].rows_examined == 300'000);
  CHECK(executions(fake, true, true) == 1);
  // Its inspection is its one warm-up run; then 6 timed views and no lead-in.
  CHECK(executions(fake, true, false) == 6);
  CHECK(inspected.samples_ns.size() == 6);
  // The light query: 8 variants at most, but it has one; a second warm-up round, lead-ins.
  CHECK(run.screens[1].queries[0].variants_inspected == 1);
  CHECK(executions(fake, false, false) == 1 + 6 + 6);

  SECTION("a fixed count keeps every variant, both warm-up rounds and every lead-in") {
    o.settings.auto_iterations.enabled = false;
    FakeConnection fixed;
    scripted(fixed);
    const RunResult counted = measure({{&fixed, "a"}}, screens, o).front();
    CHECK(counted.screens[0].queries[0].variants_inspected == 8);
    CHECK(counted.screens[0].queries[0].variants.size() == 8);
    CHECK(executions(fixed, true, true) == 8);
    CHECK(executions(fixed, true, false) == 6 + 6);  // the inspection stood for the warm-up
  }
}

TEST_CASE("two sides inspected to different depths compare on the variants both ran",
          "[unit][speed]") {
  auto side = [](std::vector<VariantInspection> variants) {
    ScreenResult screen;
    screen.name = "search";
    QueryResult& query = screen.queries.emplace_back();
    query.name = "list";
    query.times = 2;
    query.variants = std::move(variants);
    total_inspection(query);
    screen.rows_examined = rows_examined_per_view(screen.queries);
    return screen;
  };
  // Before: 4 variants, 40 rows each but the last (400); after: the same first two.
  ScreenResult before = side({{40, 5, 0xa}, {40, 5, 0xb}, {40, 5, 0xc}, {400, 5, 0xd}});
  ScreenResult after = side({{40, 5, 0xa}, {40, 5, 0xb}});
  CHECK(before.queries[0].rows_examined == 130);
  CHECK(before.queries[0].checksum != after.queries[0].checksum);
  CHECK(align_inspections(before, after));
  CHECK(before.queries[0].variants_inspected == 2);
  CHECK(before.queries[0].rows_examined == 40);
  CHECK(before.rows_examined == 80);  // per view: 40 rows, twice
  CHECK(before.queries[0].checksum == after.queries[0].checksum);
  CHECK_FALSE(align_inspections(before, after));  // alike now

  // A file from before version 7 has no per-variant records: nothing to align on.
  ScreenResult old = side({});
  old.queries[0].variants_inspected = 8;
  old.queries[0].rows_examined = 130;
  CHECK_FALSE(align_inspections(old, after));
  CHECK(old.queries[0].rows_examined == 130);
}

TEST_CASE("--iterations auto: a screen's time budget is its share of the whole", "[unit][speed]") {
  RunSettings::AutoIterations rule;  // 30 s in all, at most 10 s a screen
  RunSettings::AutoIterations shared = rule;
  share_budget(shared, 2);
  CHECK(shared.budget_s == 10);
  shared = rule;
  share_budget(shared, 5);
  CHECK(shared.budget_s == Approx(6));
  shared = rule;
  share_budget(shared, 200);
  CHECK(shared.budget_s == Approx(0.15));

  // Five screens, all noisy (never precise); a whole of 5 us (the budget counts the wall
  // time of a screen's views, which a fake connection hardly takes) gives each 1 us, spent
  // in its first view: each stops at the minimum of 6 views.
  std::vector<Screen> screens;
  for (int i = 1; i <= 5; ++i) {
    screens.push_back(make_screen("s" + std::to_string(i), {make_query("q" + std::to_string(i))}));
  }
  FakeConnection fake;
  for (const Screen& screen : screens) {
    fake.on(screen.queries[0].sql).rows(1, 1).elapsed({10'000'000, 50'000'000, 30'000'000});
  }
  RunOptions o = options(60);
  o.settings.auto_iterations.enabled = true;
  o.settings.auto_iterations.min_rounds = 6;
  o.settings.auto_iterations.total_budget_s = 5e-6;
  const RunResult run = measure({{&fake, "a"}}, screens, o).front();
  CHECK(run.settings.auto_iterations.budget_s == Approx(1e-6));
  for (const ScreenResult& screen : run.screens) {
    CHECK(screen.sampling->reason == "budget");
    CHECK(screen.sampling->views == 6);
  }
}

TEST_CASE("--iterations auto: after a light screen's view, the next screen takes no lead-in",
          "[unit][speed]") {
  // a and b take 0.1 ms a view, c 2 ms: light enough to need a lead-in, not to spare one.
  const std::vector<Screen> screens = {make_screen("a", {make_query("qa")}),
                                       make_screen("b", {make_query("qb")}),
                                       make_screen("c", {make_query("qc")})};
  auto scripted = [](FakeConnection& fake) {
    fake.on(sql_of("qa")).rows(1, 1).elapsed({100'000});
    fake.on(sql_of("qb")).rows(1, 1).elapsed({100'000});
    fake.on(sql_of("qc")).rows(1, 1).elapsed({2'000'000});
  };
  auto untimed_and_timed = [](const FakeConnection& fake, const std::string& name) {
    int n = 0;
    for (const Call& call : fake.log()) {
      n += call.kind == Call::Kind::kTimed && !call.with_checksum && call.sql == sql_of(name);
    }
    return n;
  };
  RunOptions o = options(6);
  o.settings.auto_iterations.enabled = true;
  o.settings.auto_iterations.min_rounds = 6;
  o.settings.auto_iterations.budget_s = 1e9;
  FakeConnection fake;
  scripted(fake);
  const RunResult run = measure({{&fake, "a"}}, screens, o).front();
  for (const ScreenResult& screen : run.screens) CHECK(screen.view_samples().size() == 6);
  // a: a lead-in before each view (the first follows nothing, the others follow c); b and
  // c follow a light view: none.
  CHECK(untimed_and_timed(fake, "qa") == 6 + 6);
  CHECK(untimed_and_timed(fake, "qb") == 6);
  CHECK(untimed_and_timed(fake, "qc") == 6);

  SECTION("a fixed count takes every lead-in") {
    o.settings.auto_iterations.enabled = false;
    FakeConnection fixed;
    scripted(fixed);
    (void)measure({{&fixed, "a"}}, screens, o);
    for (const char* name : {"qa", "qb", "qc"}) CHECK(untimed_and_timed(fixed, name) == 12);
  }
}
