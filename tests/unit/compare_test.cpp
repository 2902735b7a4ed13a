// The verdict rule, path by path, on runs built in memory (no server): every way a screen
// can come out of a comparison, and the warnings that say when it means little.
#include "sqlmeasure/compare.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "sqlmeasure/alternation.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/results.h"
#include "support/result_builders.h"

namespace sqlmeasure {
namespace {

using testing::run_result;
using testing::samples_with_median;
using testing::screen_result;

PlanRow plan_row(std::string table, std::string type, std::string key, std::string extra = "",
                 std::string rows = "100") {
  PlanRow row;
  row.id = "1";
  row.select_type = "SIMPLE";
  row.table = std::move(table);
  row.access_type = std::move(type);
  row.key = std::move(key);
  row.rows = std::move(rows);
  row.extra = std::move(extra);
  return row;
}

QueryResult query(std::string name, double median_ms, std::uint64_t rows_examined = 20) {
  QueryResult q;
  q.name = std::move(name);
  q.sql = "SELECT id FROM works WHERE category_id = :category";
  q.params["category"] = {ParamValue::integer(17), ParamValue::integer(23)};
  q.samples_ns = samples_with_median(median_ms);
  q.rows_examined = rows_examined;
  q.checksum = "5eed";
  q.plan = {plan_row("works", "ref", "category_started", "Using where")};
  return q;
}

// One screen `work_search` with one query `list`, before and after.
Comparison compare_one(const QueryResult& before, const QueryResult& after,
                       const VerdictRule& rule = {}) {
  return compare_runs(run_result("before", {screen_result("work_search", {before})}),
                      run_result("after", {screen_result("work_search", {after})}), rule);
}

const ScreenComparison& only_screen(const Comparison& c) {
  REQUIRE(c.screens.size() == 1);
  return c.screens[0];
}

const ScreenComparison& find_screen(const Comparison& c, const std::string& name) {
  for (const ScreenComparison& s : c.screens) {
    if (s.name == name) return s;
  }
  FAIL("no screen " << name);
  return c.screens.front();
}

bool has_warning(const Comparison& c, const std::string& text) {
  for (const Warning& w : c.warnings) {
    if (w.message().find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("identical runs are unchanged", "[unit][compare]") {
  const Comparison c = compare_one(query("list", 1.0), query("list", 1.0));
  const ScreenComparison& s = only_screen(c);
  CHECK(s.verdict() == Verdict::kUnchanged);
  CHECK_FALSE(s.regressed(c.rule));
  CHECK(s.time.p == 1);
  CHECK(s.time.ratio == 1);
  CHECK(s.time.n_before == 20);
  CHECK(s.time.n_after == 20);
  CHECK(c.failing_count() == 0);
  CHECK_FALSE(c.gate_failed());
  CHECK(c.warnings.empty());
  REQUIRE(s.queries.size() == 1);
  CHECK(s.queries[0].plan_changes.empty());
  CHECK_FALSE(s.queries[0].results_differ);
  CHECK_FALSE(s.queries[0].failed());
  CHECK(s.queries[0].outcome == QueryOutcome::kCompared);
}

TEST_CASE("a significant, large and absolute slowdown is a regression", "[unit][compare]") {
  const Comparison c = compare_one(query("list", 1.0), query("list", 1.5));
  const ScreenComparison& s = only_screen(c);
  CHECK(s.verdict() == Verdict::kRegressed);
  CHECK(s.regressed(c.rule));
  CHECK(c.failing_count() == 1);
  CHECK(c.gate_failed());
  const TimeEvidence& t = s.queries[0].time;
  CHECK(t.change == Change::kRegressed);
  CHECK(t.before_ms == Approx(1.0));
  CHECK(t.after_ms == Approx(1.5));
  CHECK(t.ratio == Approx(1.5));
  CHECK(t.delta_ms == Approx(0.5));
  CHECK(t.p < 1e-9);
  CHECK(s.time.change == Change::kRegressed);  // the screen's own samples say so too
}

TEST_CASE("a significant speed-up is an improvement", "[unit][compare]") {
  const Comparison c = compare_one(query("list", 2.0), query("list", 1.0));
  const ScreenComparison& s = only_screen(c);
  CHECK(s.verdict() == Verdict::kImproved);
  CHECK_FALSE(s.regressed(c.rule));
  CHECK(s.queries[0].time.change == Change::kImproved);
  CHECK(s.queries[0].time.ratio == Approx(0.5));
}

TEST_CASE("a significant effect below the threshold is unchanged", "[unit][compare]") {
  const Comparison c = compare_one(query("list", 10.0), query("list", 10.5));  // +5 %
  const ScreenComparison& s = only_screen(c);
  CHECK(s.queries[0].time.p < c.rule.alpha);  // the test alone would flag it
  CHECK(s.queries[0].time.change == Change::kUnchanged);
  CHECK(s.verdict() == Verdict::kUnchanged);
}

TEST_CASE("a big ratio below the absolute noise floor is unchanged", "[unit][compare]") {
  QueryResult before = query("list", 0.01);
  QueryResult after = query("list", 0.02);
  before.samples_ns = samples_with_median(0.01, 100);
  after.samples_ns = samples_with_median(0.02, 100);
  const Comparison c = compare_one(before, after);
  const ScreenComparison& s = only_screen(c);
  CHECK(s.queries[0].time.ratio == Approx(2.0));
  CHECK(s.queries[0].time.p < c.rule.alpha);
  CHECK(s.queries[0].time.delta_ms == Approx(0.01));
  CHECK(s.queries[0].time.change == Change::kUnchanged);
  CHECK(s.verdict() == Verdict::kUnchanged);
}

TEST_CASE("a slowdown without significance is unchanged", "[unit][compare]") {
  QueryResult before = query("list", 1.0);
  QueryResult after = query("list", 1.0);
  before.samples_ns = {1'000'000, 9'000'000, 1'100'000, 8'000'000};
  after.samples_ns = {1'300'000, 9'500'000, 1'400'000, 8'800'000};
  const Comparison c = compare_one(before, after);
  const TimeEvidence& t = only_screen(c).queries[0].time;
  CHECK(t.ratio > 1.1);
  CHECK(t.p > c.rule.alpha);
  CHECK(t.change == Change::kUnchanged);
}

TEST_CASE("rows examined need the threshold and the absolute floor", "[unit][compare]") {
  SECTION("2 -> 4 is not a regression") {
    const Comparison c = compare_one(query("list", 1.0, 2), query("list", 1.0, 4));
    const ScreenComparison& s = only_screen(c);
    CHECK(s.queries[0].rows.before == 2);
    CHECK(s.queries[0].rows.after == 4);
    CHECK(s.queries[0].rows.change == Change::kUnchanged);
    CHECK(s.rows.change == Change::kUnchanged);
    CHECK(s.verdict() == Verdict::kUnchanged);
    CHECK_FALSE(s.regressed(c.rule));
  }
  SECTION("2000 -> 600000 is a regression, even with the time unchanged") {
    const Comparison c = compare_one(query("list", 1.0, 2000), query("list", 1.0, 600000));
    const ScreenComparison& s = only_screen(c);
    CHECK(s.queries[0].rows.change == Change::kRegressed);
    CHECK(s.rows.change == Change::kRegressed);
    CHECK(s.queries[0].time.change == Change::kUnchanged);
    CHECK(s.verdict() == Verdict::kRegressed);
    CHECK(s.regressed(c.rule));
  }
  SECTION("600000 -> 2000 is an improvement") {
    const Comparison c = compare_one(query("list", 1.0, 600000), query("list", 1.0, 2000));
    CHECK(only_screen(c).queries[0].rows.change == Change::kImproved);
    CHECK(only_screen(c).verdict() == Verdict::kImproved);
  }
  SECTION("the rows gate can be switched off") {
    VerdictRule rule;
    rule.fail_on = {Gate::kTime};
    const Comparison c = compare_one(query("list", 1.0, 2000), query("list", 1.0, 600000), rule);
    CHECK(only_screen(c).verdict() == Verdict::kRegressed);
    CHECK_FALSE(only_screen(c).regressed(rule));
    CHECK(c.failing_count() == 0);
  }
}

TEST_CASE("a plan change is described and gated only on request", "[unit][compare]") {
  QueryResult after = query("list", 1.0);
  after.plan = {plan_row("works", "ALL", "NULL", "Using where", "98000")};
  const Comparison c = compare_one(query("list", 1.0), after);
  const ScreenComparison& s = only_screen(c);
  REQUIRE(s.queries[0].plan_changes.size() == 1);
  const PlanChange& change = s.queries[0].plan_changes[0];
  CHECK(change.table == "works");
  REQUIRE(change.before);
  REQUIRE(change.after);
  CHECK(change.describe() == "works key category_started → (none), ref → ALL");
  CHECK(s.plan_changed());
  CHECK(s.verdict() == Verdict::kPlanChanged);
  CHECK_FALSE(s.regressed(c.rule));  // time and rows only, by default

  VerdictRule plan_gate;
  plan_gate.fail_on = {Gate::kPlan};
  const Comparison gated = compare_one(query("list", 1.0), after, plan_gate);
  CHECK(only_screen(gated).regressed(plan_gate));
  CHECK(gated.failing_count() == 1);
}

TEST_CASE("plan diff reports filesort, temporary and one-sided tables", "[unit][compare]") {
  SECTION("new filesort and temporary, same key and type") {
    QueryResult after = query("list", 1.0);
    after.plan = {plan_row("works", "ref", "category_started",
                           "Using where; Using temporary; Using filesort")};
    const Comparison c = compare_one(query("list", 1.0), after);
    REQUIRE(only_screen(c).queries[0].plan_changes.size() == 1);
    CHECK(only_screen(c).queries[0].plan_changes[0].describe() == "works +filesort, +temporary");
  }
  SECTION("only the changed fields are listed") {
    QueryResult before = query("list", 1.0);
    before.plan = {plan_row("works", "index", "PRIMARY", "Using filesort")};
    QueryResult after = query("list", 1.0);
    after.plan = {plan_row("works", "range", "PRIMARY", "")};
    const Comparison c = compare_one(before, after);
    REQUIRE(only_screen(c).queries[0].plan_changes.size() == 1);
    CHECK(only_screen(c).queries[0].plan_changes[0].describe() == "works index → range, -filesort");
  }
  SECTION("the rows estimate and other Extra notes are noise") {
    QueryResult after = query("list", 1.0);
    after.plan = {plan_row("works", "ref", "category_started", "Using index condition; Using where",
                           "12345")};
    const Comparison c = compare_one(query("list", 1.0), after);
    CHECK(only_screen(c).queries[0].plan_changes.empty());
    CHECK(only_screen(c).verdict() == Verdict::kUnchanged);
  }
  SECTION("a table on one side only") {
    QueryResult before = query("list", 1.0);
    before.plan.push_back(plan_row("users", "eq_ref", "PRIMARY"));
    QueryResult after = query("list", 1.0);
    after.plan.push_back(plan_row("categories", "ALL", "", "Using join buffer (flat, BNL join)"));
    const Comparison c = compare_one(before, after);
    const auto& changes = only_screen(c).queries[0].plan_changes;
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].table == "users");
    CHECK_FALSE(changes[0].after);
    CHECK(changes[0].describe() == "users removed: eq_ref, key PRIMARY");
    CHECK(changes[1].table == "categories");
    CHECK_FALSE(changes[1].before);
    CHECK(changes[1].describe() == "categories added: ALL, key (none)");
  }
  SECTION("a plan not recorded on one side is not a change") {
    QueryResult after = query("list", 1.0);
    after.plan.clear();
    const Comparison c = compare_one(query("list", 1.0), after);
    CHECK(only_screen(c).queries[0].plan_changes.empty());
  }
}

TEST_CASE("differing checksums are results differ", "[unit][compare]") {
  QueryResult after = query("list", 1.0);
  after.checksum = "beef";
  const Comparison c = compare_one(query("list", 1.0), after);
  const ScreenComparison& s = only_screen(c);
  CHECK(s.queries[0].results_differ);
  CHECK(s.results_differ());
  CHECK(s.verdict() == Verdict::kResultsDiffer);
  CHECK_FALSE(s.regressed(c.rule));

  VerdictRule results_gate;
  results_gate.fail_on = {Gate::kResults};
  CHECK(only_screen(compare_one(query("list", 1.0), after, results_gate)).regressed(results_gate));

  SECTION("a checksum missing on one side is no difference") {
    after.checksum.clear();
    CHECK_FALSE(only_screen(compare_one(query("list", 1.0), after)).results_differ());
  }
}

TEST_CASE("the screen verdict uses the screen's own samples", "[unit][compare]") {
  ScreenResult before = screen_result("work_search", {query("list", 1.0)});
  ScreenResult after = screen_result("work_search", {query("list", 1.0)});
  after.samples_ns =
      samples_with_median(3.0);  // e.g. the query is now issued several times per view
  const Comparison c = compare_runs(run_result("b", {before}), run_result("a", {after}), {});
  const ScreenComparison& s = only_screen(c);
  CHECK(s.queries[0].time.change == Change::kUnchanged);
  CHECK(s.time.change == Change::kRegressed);
  CHECK(s.time.after_ms == Approx(3.0));
  CHECK(s.verdict() == Verdict::kRegressed);
  CHECK(s.regressed(c.rule));
}

TEST_CASE("a query that fails after the change is an error, the worst regression",
          "[unit][compare]") {
  QueryResult after = query("list", 1.0);
  after.error = "[1176] Key 'cat' doesn't exist in table 'works'";
  after.samples_ns.clear();
  after.rows_examined = 0;
  const Comparison c = compare_one(query("list", 1.0), after);
  const ScreenComparison& s = only_screen(c);
  const QueryComparison& q = s.queries[0];
  CHECK(q.outcome == QueryOutcome::kBreaks);
  CHECK(q.failed_after.error == after.error);
  CHECK(q.failed_after.always());
  CHECK_FALSE(q.failed_before.error);
  // A failed execution is no figure: no 0 ms, no "improved" rows.
  CHECK(q.time.n_after == 0);
  CHECK(q.time.change == Change::kUnchanged);
  CHECK(q.rows.change == Change::kUnchanged);
  CHECK(s.time.change == Change::kUnchanged);
  CHECK(s.rows.change == Change::kUnchanged);
  CHECK(s.verdict() == Verdict::kError);
  CHECK(s.regressed(c.rule));
  CHECK(c.gate_failed());

  SECTION("a fail_on without errors opts out") {
    VerdictRule rule;
    rule.fail_on = {Gate::kTime, Gate::kRows};
    const Comparison opted = compare_one(query("list", 1.0), after, rule);
    CHECK(only_screen(opted).verdict() == Verdict::kError);
    CHECK_FALSE(only_screen(opted).regressed(rule));
  }
  SECTION("a timeout after some samples is an error too, its samples not a figure") {
    QueryResult slow = query("list", 1.0);
    slow.samples_ns.resize(3);
    slow.error = "timed out after 2000 ms";
    const Comparison timed_out = compare_one(query("list", 1.0), slow);
    CHECK(only_screen(timed_out).verdict() == Verdict::kError);
    CHECK(only_screen(timed_out).queries[0].time.n_after == 0);
  }
  SECTION("a failure before only is fixed, reported and not gated") {
    QueryResult before = query("list", 1.0);
    before.error = "Lock wait timeout exceeded";
    const Comparison fixed = compare_one(before, query("list", 1.0));
    const ScreenComparison& f = only_screen(fixed);
    CHECK(f.queries[0].outcome == QueryOutcome::kFixed);
    CHECK(f.queries[0].failed_before.error == "Lock wait timeout exceeded");
    CHECK(f.verdict() == Verdict::kFixed);
    CHECK_FALSE(f.regressed(fixed.rule));
  }
  SECTION("both sides failing is said, not compared") {
    QueryResult before = query("list", 1.0);
    before.error = "timed out after 2000 ms";
    const Comparison both = compare_one(before, after);
    const QueryComparison& b = only_screen(both).queries[0];
    CHECK(b.outcome == QueryOutcome::kFailsBoth);
    CHECK(b.time.n_before == 0);
    CHECK(b.time.n_after == 0);
    CHECK(only_screen(both).verdict() == Verdict::kUnchanged);
    CHECK_FALSE(only_screen(both).regressed(both.rule));
  }
}

TEST_CASE("a screen's figures leave out a query that always failed on a side", "[unit][compare]") {
  // The runner's screen samples stop at the first failure (views every query completed): the
  // screen must be judged on what still runs, not read as 0 ms.
  QueryResult broken = query("forced", 1.0);
  broken.error = "[1176] Key 'cat' doesn't exist";
  broken.samples_ns.clear();
  broken.rows_examined = 1;
  ScreenResult before =
      screen_result("search", {query("forced", 1.0, 500), query("other", 2.0, 30)});
  ScreenResult after = screen_result("search", {broken, query("other", 4.0, 30)});
  after.samples_ns.clear();  // what the runner leaves: no view completed every query
  const Comparison c = compare_runs(run_result("b", {before}), run_result("a", {after}), {});
  const ScreenComparison& s = only_screen(c);
  CHECK(s.verdict() == Verdict::kError);
  CHECK(s.time.before_ms == Approx(2.0).epsilon(0.01));
  CHECK(s.time.after_ms == Approx(4.0).epsilon(0.01));
  CHECK(s.time.change == Change::kRegressed);
  CHECK(s.rows.before == 30);
  CHECK(s.rows.after == 30);
}

TEST_CASE("a query failing in some phases only is judged on the phases it ran", "[unit][compare]") {
  QueryResult after = query("list", 1.0);
  after.error = "Lock wait timeout exceeded";
  after.phases = 3;
  after.phases_failed = 1;
  const Comparison c = compare_one(query("list", 1.0), after);
  const ScreenComparison& s = only_screen(c);
  const QueryComparison& q = s.queries[0];
  CHECK(q.outcome == QueryOutcome::kCompared);
  CHECK(q.failed_after.sometimes());
  CHECK(q.failed_after.failed == 1);
  CHECK(q.failed_after.phases == 3);
  CHECK(q.time.n_after == 20);
  CHECK(s.verdict() == Verdict::kUnchanged);
  CHECK_FALSE(s.regressed(c.rule));

  SECTION("failing in every phase that ran it is an error") {
    after.phases_failed = 3;
    CHECK(only_screen(compare_one(query("list", 1.0), after)).verdict() == Verdict::kError);
  }
}

TEST_CASE("screens and queries on one side only are added or removed", "[unit][compare]") {
  const RunResult before =
      run_result("before", {screen_result("help_beginner", {query("faq", 1.0)}),
                            screen_result("top", {query("news", 1.0), query("ads", 1.0)})});
  const RunResult after =
      run_result("after", {screen_result("top", {query("ads", 1.0), query("ranking", 1.0)}),
                           screen_result("mypage_profile", {query("me", 1.0)})});
  const Comparison c = compare_runs(before, after, {});
  REQUIRE(c.screens.size() == 3);

  const ScreenComparison& removed = find_screen(c, "help_beginner");
  CHECK(removed.presence == Presence::kOnlyBefore);
  CHECK(removed.verdict() == Verdict::kRemoved);
  CHECK_FALSE(removed.regressed(c.rule));
  CHECK(removed.time.before_ms == Approx(1.0));
  CHECK(removed.time.n_after == 0);
  CHECK(removed.queries_only_before == std::vector<std::string>{"faq"});

  const ScreenComparison& added = find_screen(c, "mypage_profile");
  CHECK(added.presence == Presence::kOnlyAfter);
  CHECK(added.verdict() == Verdict::kAdded);
  CHECK(added.queries_only_after == std::vector<std::string>{"me"});

  const ScreenComparison& top = find_screen(c, "top");
  CHECK(top.presence == Presence::kBoth);
  REQUIRE(top.queries.size() == 1);
  CHECK(top.queries[0].name == "ads");
  CHECK(top.queries_only_before == std::vector<std::string>{"news"});
  CHECK(top.queries_only_after == std::vector<std::string>{"ranking"});
  CHECK(c.failing_count() == 0);
}

TEST_CASE("screens are ordered regressions first, then improvements, then by name",
          "[unit][compare]") {
  QueryResult plan_changed = query("list", 1.0);
  plan_changed.plan = {plan_row("works", "ALL", "")};
  const RunResult before = run_result(
      "before",
      {screen_result("a_same", {query("q", 1.0)}), screen_result("b_faster", {query("q", 2.0)}),
       screen_result("c_slower", {query("q", 1.0)}), screen_result("d_plan", {query("list", 1.0)}),
       screen_result("e_slower", {query("q", 1.0)})});
  const RunResult after = run_result(
      "after",
      {screen_result("e_slower", {query("q", 3.0)}), screen_result("d_plan", {plan_changed}),
       screen_result("c_slower", {query("q", 2.0)}), screen_result("b_faster", {query("q", 1.0)}),
       screen_result("a_same", {query("q", 1.0)})});
  const auto names = [](const Comparison& c) {
    std::vector<std::string> out;
    for (const ScreenComparison& s : c.screens)
      out.push_back(s.name + " " + verdict_name(s.verdict()));
    return out;
  };

  const Comparison by_default = compare_runs(before, after, {});
  CHECK(names(by_default) == std::vector<std::string>{"c_slower regressed", "e_slower regressed",
                                                      "b_faster improved", "a_same ~",
                                                      "d_plan plan changed"});
  CHECK(by_default.failing_count() == 2);

  VerdictRule plan_only;
  plan_only.fail_on = {Gate::kPlan};
  const Comparison by_plan = compare_runs(before, after, plan_only);
  // The gated screen first; regressions the rule does not gate still come before the rest.
  CHECK(names(by_plan) == std::vector<std::string>{"d_plan plan changed", "c_slower regressed",
                                                   "e_slower regressed", "b_faster improved",
                                                   "a_same ~"});
  CHECK(by_plan.failing_count() == 1);
}

TEST_CASE("warnings say when the runs are not comparable", "[unit][compare]") {
  SECTION("parameter values differ") {
    QueryResult after = query("list", 1.0);
    after.params["category"] = {ParamValue::integer(41)};
    const Comparison c = compare_one(query("list", 1.0), after);
    REQUIRE(c.warnings.size() == 1);
    CHECK(c.warnings[0].message() ==
          "work_search/list: parameter values differ between runs; results are not comparable");
  }
  SECTION("SQL text differs") {
    QueryResult after = query("list", 1.0);
    after.sql += " ORDER BY id";
    const Comparison c = compare_one(query("list", 1.0), after);
    CHECK(has_warning(c, "work_search/list: SQL text differs between runs"));
  }
  SECTION("times per view differ") {
    QueryResult after = query("list", 1.0);
    after.times = 3;
    const Comparison c = compare_one(query("list", 1.0), after);
    CHECK(has_warning(c, "work_search/list: issued 1 → 3 times per view"));
  }
  SECTION("settings differ") {
    RunResult before = run_result("before", {screen_result("top", {query("q", 1.0)})});
    RunResult after = before;
    after.settings.iterations = 50;
    after.settings.seed = 7;
    after.settings.order = Order::kShuffled;
    after.settings.warmup = 5;
    const Comparison c = compare_runs(before, after, {});
    REQUIRE(c.warnings.size() == 1);
    CHECK(c.warnings[0].message() ==
          "run settings differ: iterations 20 → 50, warmup 2 → 5, seed 1 → 7, "
          "order round-robin → shuffled; measure both sides with the same settings");
  }
  SECTION("server version or flavor differ") {
    RunResult before = run_result("before", {screen_result("top", {query("q", 1.0)})});
    RunResult after = before;
    after.server.version = "10.11.9-MariaDB";
    CHECK(has_warning(compare_runs(before, after, {}),
                      "server version differs: 10.11.6-MariaDB-0+deb12u1 → 10.11.9-MariaDB"));
    after.server.flavor = Flavor::kMySQL;
    after.server.version = "8.0.36";
    CHECK(has_warning(compare_runs(before, after, {}), "server flavor differs: "));
  }
  SECTION("an incomplete run, with its reason") {
    RunResult before = run_result("before", {screen_result("top", {query("q", 1.0)})});
    RunResult after = before;
    after.complete = false;
    after.incomplete_reason = "interrupted after 12 of 20 iterations";
    const Comparison c = compare_runs(before, after, {});
    REQUIRE(c.warnings.size() == 1);
    CHECK(c.warnings[0].message().find(
              "after run is incomplete (interrupted after 12 of 20 iterations)") == 0);
  }
}

TEST_CASE("labels and rule are carried into the comparison", "[unit][compare]") {
  VerdictRule rule;
  rule.threshold = 0.2;
  const Comparison c = compare_runs(run_result("main", {}), run_result("pr-42", {}), rule);
  CHECK(c.before_label == "main");
  CHECK(c.after_label == "pr-42");
  CHECK(c.rule.threshold == 0.2);
  CHECK(c.screens.empty());
  CHECK(c.failing_count() == 0);
}

TEST_CASE("gates parse from their names and back", "[unit][compare]") {
  for (Gate gate : {Gate::kErrors, Gate::kTime, Gate::kRows, Gate::kPlan, Gate::kResults}) {
    CHECK(parse_gate(gate_name(gate), "--fail-on", ExitCode::kUsage) == gate);
  }
  CHECK(std::string(gate_name(Gate::kRows)) == "rows");
  try {
    (void)parse_gate("speed", "--fail-on", ExitCode::kUsage);
    FAIL("expected a usage error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::kUsage);
    CHECK(std::string(e.what()) ==
          "--fail-on: unknown gate 'speed' (expected errors, time, rows, plan, results, warnings, "
          "budget, drift, or none)");
  }
  CHECK(parse_gates({"none"}, "--fail-on", ExitCode::kUsage).empty());
  CHECK(parse_gates({"plan", "rows"}, "x", ExitCode::kBadConfig) ==
        std::set<Gate>{Gate::kRows, Gate::kPlan});
}

// The default rule on A/A runs (PRODUCT.md §6): timing noise alone must not fail a build
// more often than alpha says, and quiet timings must not fail it at all.
TEST_CASE("A/A comparisons stay within alpha under the default rule", "[unit][compare]") {
  std::mt19937_64 rng(314159);
  const auto normal = [&rng] {  // Box-Muller over our own mapping: same on every platform
    const double u1 = 1.0 - static_cast<double>(rng() >> 11) * 0x1.0p-53;
    const double u2 = static_cast<double>(rng() >> 11) * 0x1.0p-53;
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
  };
  // A 1 ms query with lognormal noise of the given spread (sigma of the log).
  const auto noisy_query = [&normal](double sigma) {
    QueryResult q = query("list", 1.0);
    for (std::int64_t& ns : q.samples_ns) {
      ns = static_cast<std::int64_t>(std::llround(1e6 * std::exp(sigma * normal())));
    }
    return q;
  };
  const auto count_flags = [&noisy_query](double sigma, int comparisons) {
    int flagged = 0;
    for (int i = 0; i < comparisons; ++i) {
      if (compare_one(noisy_query(sigma), noisy_query(sigma)).gate_failed()) ++flagged;
    }
    return flagged;
  };
  SECTION("very noisy timings: about alpha / 2 flagged (one tail of a two-sided test)") {
    const int flagged = count_flags(0.3, 1000);
    INFO(flagged << " of 1000 A/A comparisons flagged");
    CHECK(flagged <= 15);
  }
  SECTION("ordinary timings: the effect threshold removes the rest") {
    CHECK(count_flags(0.05, 1000) == 0);
  }
}

TEST_CASE("alternation: a change every pair of phases shows stands", "[unit][compare][drift]") {
  // Pooled 1.0 → 2.0 ms; every before/after pair shows about the same doubling.
  Comparison pooled = compare_one(query("list", 1.0), query("list", 2.0));
  REQUIRE(only_screen(pooled).time.change == Change::kRegressed);
  std::vector<PhasePair> pairs = {
      {"before-1 → after-1", compare_one(query("list", 1.0), query("list", 2.1))},
      {"before-2 → after-1", compare_one(query("list", 1.1), query("list", 2.1))}};
  confirm_across_phases(pooled, pairs);
  CHECK(only_screen(pooled).time.change == Change::kRegressed);
  CHECK(only_screen(pooled).queries[0].time.change == Change::kRegressed);
  CHECK(pooled.warnings.empty());
}

TEST_CASE("alternation: a change one pair of phases does not show is drift",
          "[unit][compare][drift]") {
  // Load that came with after-1 only: the pooled test says slower, before-2 → after-2 not.
  Comparison pooled = compare_one(query("list", 1.0), query("list", 1.3));
  REQUIRE(only_screen(pooled).time.change == Change::kRegressed);
  std::vector<PhasePair> pairs = {
      {"before-1 → after-1", compare_one(query("list", 1.0), query("list", 1.6))},
      {"before-2 → after-2", compare_one(query("list", 1.0), query("list", 1.04))}};
  confirm_across_phases(pooled, pairs);
  const ScreenComparison& s = only_screen(pooled);
  CHECK(s.time.change == Change::kUnchanged);
  CHECK(s.queries[0].time.change == Change::kUnchanged);
  CHECK(s.verdict() == Verdict::kUnchanged);
  CHECK(pooled.failing_count() == 0);
  REQUIRE(pooled.warnings.size() == 1);
  CHECK(pooled.warnings[0].message().find("work_search +30.0% (before-2 → after-2: +4.0%)") !=
        std::string::npos);
  CHECK(pooled.warnings[0].message().find("work_search/list") != std::string::npos);
}

TEST_CASE("alternation: an improvement needs every pair too, and rows are left alone",
          "[unit][compare][drift]") {
  QueryResult before = query("list", 2.0, 20);
  QueryResult after = query("list", 1.0, 600'000);
  Comparison pooled = compare_one(before, after);
  REQUIRE(only_screen(pooled).time.change == Change::kImproved);
  // A pair under the threshold in the other direction: the time verdict goes, not the rows.
  std::vector<PhasePair> pairs = {
      {"before-1 → after-1", compare_one(query("list", 2.0), query("list", 1.0))},
      {"before-2 → after-1", compare_one(query("list", 1.0), query("list", 1.0))}};
  confirm_across_phases(pooled, pairs);
  CHECK(only_screen(pooled).time.change == Change::kUnchanged);
  CHECK(only_screen(pooled).rows.change == Change::kRegressed);
  CHECK(only_screen(pooled).verdict() == Verdict::kRegressed);
}

TEST_CASE("merge_runs pools the phases of one side", "[unit][compare][drift]") {
  RunResult first = run_result("before-1", {screen_result("work_search", {query("list", 1.0)})});
  RunResult second = run_result("before-2", {screen_result("work_search", {query("list", 3.0)})});
  first.settings.iterations = second.settings.iterations = 20;
  second.finished_at = "2026-11-22T02:00:00Z";
  second.screens[0].queries[0].rows_examined = 999;  // deterministic: the first phase's stands
  second.screens[0].queries[0].error = "timed out after 100 ms";
  RunResult pooled = merge_runs({&first, &second});
  const QueryResult& list = pooled.screens[0].queries[0];
  CHECK(list.samples_ns.size() == 40);
  CHECK(pooled.screens[0].view_samples().size() == 40);
  CHECK(list.samples_ns.front() == first.screens[0].queries[0].samples_ns.front());
  CHECK(list.samples_ns.back() == second.screens[0].queries[0].samples_ns.back());
  CHECK(list.stats_ms.median == Approx(2.0).epsilon(0.01));  // between the two phases
  CHECK(list.rows_examined == 20);
  CHECK(list.error == "timed out after 100 ms");  // a timeout in any phase is kept
  CHECK(list.phases == 2);                        // ... and counted: 1 of 2 phases
  CHECK(list.failed_phases() == 1);
  RunResult third = second;
  const RunResult thrice = merge_runs({&first, &second, &third});
  CHECK(thrice.screens[0].queries[0].phases == 3);
  CHECK(thrice.screens[0].queries[0].failed_phases() == 2);
  CHECK(pooled.settings.iterations == 20);  // per phase, as each side measured
  CHECK(pooled.finished_at == "2026-11-22T02:00:00Z");
  CHECK(pooled.complete);
  second.complete = false;
  second.incomplete_reason = "interrupted";
  RunResult partial = merge_runs({&first, &second});
  CHECK_FALSE(partial.complete);
  CHECK(partial.incomplete_reason == "interrupted");
  RunResult other = run_result("x", {screen_result("top", {query("list", 1.0)})});
  CHECK_THROWS_AS(merge_runs({&first, &other}), Error);
}

TEST_CASE("merge_runs pools a later phase that measured only some screens",
          "[unit][compare][drift]") {
  RunResult first =
      run_result("after-1", {screen_result("top", {query("list", 1.0)}),
                             screen_result("work_search", {query("list", 300.0, 600'000)})});
  RunResult second = run_result("after-2", {screen_result("top", {query("list", 1.2)})});
  RunResult pooled = merge_runs({&first, &second});
  REQUIRE(pooled.screens.size() == 2);
  CHECK(pooled.screens[0].queries[0].samples_ns.size() == 40);
  CHECK(pooled.screens[1].name == "work_search");
  CHECK(pooled.screens[1].queries[0].samples_ns.size() == 20);  // after-1's only
  CHECK(pooled.screens[1].queries[0].rows_examined == 600'000);
  CHECK(pooled.screens[1].queries[0].phases == 1);  // only the phases that ran it count
  SECTION("a screen the first phase did not measure is an error") {
    RunResult stray = run_result("after-2", {screen_result("profile", {query("list", 1.0)})});
    CHECK_THROWS_AS(merge_runs({&first, &stray}), Error);
  }
  SECTION("a pair that lacks the screen neither confirms nor refutes its verdict") {
    // before-2 → after-2 has no work_search: the pairs that have it decide.
    auto before = run_result("b", {screen_result("top", {query("list", 1.0)}),
                                   screen_result("work_search", {query("list", 1.0, 20)})});
    Comparison comparison = compare_runs(before, pooled, VerdictRule{});
    std::vector<PhasePair> pairs = {
        {"before-1 → after-1", compare_runs(before, first, VerdictRule{})},
        {"before-2 → after-2",
         compare_runs(run_result("b2", {screen_result("top", {query("list", 1.0)})}), second,
                      VerdictRule{})}};
    confirm_across_phases(comparison, pairs);
    const ScreenComparison* work_search = nullptr;
    for (const ScreenComparison& screen : comparison.screens) {
      if (screen.name == "work_search") work_search = &screen;
    }
    REQUIRE(work_search != nullptr);
    CHECK(work_search->time.change == Change::kRegressed);
  }
}

TEST_CASE("auto: verdicts are settled by deterministic gates or by a confidently unchanged time",
          "[unit][compare][drift]") {
  auto one = [](const QueryResult& q) {
    return run_result("x", {screen_result("work_search", {q})});
  };
  const VerdictRule rule;
  auto settled = [](const RunResult& before, const RunResult& after, const VerdictRule& by,
                    const std::vector<PhasePair>& pairs = {}) {
    return settled_screens(before, after, pairs, by) == std::vector<std::string>{"work_search"};
  };
  auto pair = [&](double before_ms, double after_ms) {
    return PhasePair{"before-1 → after-1", compare_runs(one(query("list", before_ms)),
                                                        one(query("list", after_ms)), rule)};
  };
  SECTION("the same tight samples: unchanged with confidence") {
    CHECK(settled(one(query("list", 1.0)), one(query("list", 1.0)), rule));
  }
  SECTION("twice as slow, same rows: a time change needs every alternation") {
    CHECK_FALSE(settled(one(query("list", 1.0)), one(query("list", 2.0)), rule));
    CHECK_FALSE(settled(one(query("list", 1.0)), one(query("list", 2.0)), rule,
                        {pair(1.0, 2.0), pair(1.1, 2.0)}));
  }
  SECTION("a pair that shows no change rules out a flag, whatever the pooled time says") {
    CHECK(settled(one(query("list", 1.0)), one(query("list", 2.0)), rule,
                  {pair(1.0, 2.0), pair(2.0, 2.0)}));
  }
  SECTION("one pair slower, another faster: neither direction can be flagged") {
    CHECK(settled(one(query("list", 1.0)), one(query("list", 2.0)), rule,
                  {pair(1.0, 2.0), pair(3.0, 2.0)}));
  }
  SECTION("rows examined 20 → 600k decide it, however the time looks") {
    CHECK(settled(one(query("list", 1.0, 20)), one(query("list", 2.0, 600'000)), rule));
    VerdictRule time_only = rule;
    time_only.fail_on = {Gate::kTime};
    CHECK_FALSE(settled(one(query("list", 1.0, 20)), one(query("list", 2.0, 600'000)), time_only));
  }
  SECTION("samples spread ±50 %: not enough evidence either way") {
    QueryResult noisy = query("list", 10.0);
    noisy.samples_ns = samples_with_median(10.0, 500'000);  // 5.25 .. 14.75 ms
    noisy.samples_ns.resize(6);
    CHECK_FALSE(settled(one(noisy), one(noisy), rule));
  }
  SECTION("sub-millisecond and noisy, but every delta it allows is under the floor") {
    QueryResult tiny = query("list", 0.02);
    tiny.samples_ns = samples_with_median(0.02, 1'000);  // ±50 % of 0.02 ms is 0.01 ms < 0.05 ms
    CHECK(settled(one(tiny), one(tiny), rule));
  }
  SECTION("only the settled screens are named") {
    RunResult before = run_result("b", {screen_result("same", {query("list", 1.0)}),
                                        screen_result("slower", {query("list", 1.0)})});
    RunResult after = run_result("a", {screen_result("same", {query("list", 1.0)}),
                                       screen_result("slower", {query("list", 2.0)})});
    CHECK(settled_screens(before, after, {}, rule) == std::vector<std::string>{"same"});
  }
}

TEST_CASE("auto: a deterministic gate decides a screen only through the gates in fail_on",
          "[unit][compare][drift]") {
  VerdictRule rule;  // fail on time and rows
  const ScreenResult before = screen_result("work_search", {query("list", 1.0, 20)});
  CHECK(gate_decides(before, screen_result("work_search", {query("list", 300.0, 600'000)}), rule));
  CHECK_FALSE(gate_decides(before, screen_result("work_search", {query("list", 300.0, 20)}), rule));
  ScreenResult other_plan = screen_result("work_search", {query("list", 1.0, 20)});
  other_plan.queries[0].plan = {PlanRow{}};
  other_plan.queries[0].plan[0].table = "works";
  other_plan.queries[0].plan[0].access_type = "ALL";
  ScreenResult with_plan = before;
  with_plan.queries[0].plan = {PlanRow{}};
  with_plan.queries[0].plan[0].table = "works";
  with_plan.queries[0].plan[0].access_type = "ref";
  CHECK_FALSE(gate_decides(with_plan, other_plan, rule));  // plans are not gated by default
  rule.fail_on.insert(Gate::kPlan);
  CHECK(gate_decides(with_plan, other_plan, rule));
  VerdictRule time_only;
  time_only.fail_on = {Gate::kTime};
  CHECK_FALSE(gate_decides(before, screen_result("work_search", {query("list", 300.0, 600'000)}),
                           time_only));
}

TEST_CASE(
    "auto: a time is decided once the two medians' intervals are apart by more than the "
    "threshold and the floor",
    "[unit][compare][drift]") {
  const VerdictRule rule;  // +10 %, 0.05 ms
  auto spread = [](double ms, std::int64_t step_ns, int n) {
    std::vector<std::int64_t> out;
    for (int i = 0; i < n; ++i) out.push_back(std::llround(ms * 1e6) + (i - n / 2) * step_ns);
    return out;
  };
  const auto before = spread(2.5, 10'000, 60);  // 2.2 .. 2.8 ms
  SECTION("130× slower after 5 rounds: decided, either way round") {
    CHECK(time_decided(spread(330, 5'000'000, 5), before, rule));
    CHECK(time_decided(before, spread(330, 5'000'000, 5), rule));
  }
  SECTION("+8 %, inside the threshold: never decided here (the precision rule stops it)") {
    CHECK_FALSE(time_decided(spread(2.7, 10'000, 200), before, rule));
  }
  SECTION("+40 % but the intervals overlap: not yet") {
    CHECK_FALSE(time_decided(spread(3.5, 400'000, 5), before, rule));
  }
  SECTION("+50 % of 0.02 ms is under the floor: not a decided change") {
    CHECK_FALSE(time_decided(spread(0.03, 100, 50), spread(0.02, 100, 50), rule));
  }
  SECTION("no samples on a side: nothing to decide") {
    CHECK_FALSE(time_decided({}, before, rule));
  }
}

}  // namespace sqlmeasure

namespace sqlmeasure {
namespace {

// What a migration altering works records in the after runs.
ChangeRecord works_change() {
  ChangeRecord change;
  change.description = "migration up.sql";
  change.tables = {"works"};
  return change;
}

// A query on `table` (its SQL and its plan name it).
QueryResult on_table(std::string name, const std::string& table, double median_ms) {
  QueryResult q = query(std::move(name), median_ms);
  q.sql = "SELECT id FROM " + table + " WHERE id = :category";
  q.plan = {plan_row(table, "const", "PRIMARY")};
  return q;
}

TEST_CASE("a time change flags a screen only through a query the change touches",
          "[unit][compare][touched]") {
  // The migration alters works; categories and users are not its tables.
  QueryResult list_after = on_table("list", "works", 40.0);
  list_after.plan = {plan_row("works", "ALL", "", "Using filesort")};
  list_after.rows_examined = 300000;
  const RunResult before = run_result(
      "before",
      {screen_result("search",
                     {on_table("list", "works", 1.0), on_table("breadcrumb", "categories", 0.13)}),
       screen_result("light", {on_table("user", "users", 0.16)}),
       screen_result("pk", {on_table("work", "works", 0.2)}),
       screen_result("mixed", {on_table("work", "works", 0.2), on_table("user", "users", 1.0)})});
  RunResult after = run_result(
      "after",
      {screen_result("search", {list_after, on_table("breadcrumb", "categories", 0.28)}),
       screen_result("light", {on_table("user", "users", 0.33)}),
       screen_result("pk", {on_table("work", "works", 0.3)}),
       screen_result("mixed", {on_table("work", "works", 0.2), on_table("user", "users", 2.0)})});

  SECTION("without a recorded change every query counts as touched, as before") {
    const Comparison c = compare_runs(before, after, {});
    CHECK(find_screen(c, "light").verdict() == Verdict::kRegressed);
    CHECK(find_screen(c, "mixed").verdict() == Verdict::kRegressed);
  }
  after.change = works_change();
  const Comparison c = compare_runs(before, after, {});
  SECTION("the screen the change made heavy is flagged; its untouched query shows, time only") {
    const ScreenComparison& search = find_screen(c, "search");
    CHECK(search.verdict() == Verdict::kRegressed);
    REQUIRE(search.queries.size() == 2);
    CHECK(search.queries[0].touched);
    CHECK_FALSE(search.queries[0].time_only());  // a full scan now
    CHECK_FALSE(search.queries[1].touched);
    CHECK(search.queries[1].time_only());
    CHECK(search.queries[1].time.change == Change::kRegressed);
  }
  SECTION("a screen reading nothing the change alters stays ~, and the warning says why") {
    CHECK(find_screen(c, "light").verdict() == Verdict::kUnchanged);
    CHECK(has_warning(c,
                      "untouched: not flagged because none of their queries that read a "
                      "table the change alters changed: light +106"));
  }
  SECTION("a touched query slower with its plan and rows unchanged still flags: time only") {
    const ScreenComparison& pk = find_screen(c, "pk");
    CHECK(pk.verdict() == Verdict::kRegressed);
    CHECK(pk.queries[0].time_only());
    CHECK(pk.queries[0].touched);
  }
  SECTION("a total carried by an untouched query alone is set aside too") {
    const ScreenComparison& mixed = find_screen(c, "mixed");
    CHECK(mixed.touched());
    CHECK(mixed.verdict() == Verdict::kUnchanged);
    CHECK(has_warning(c, "mixed +83"));
    CHECK(has_warning(c, "mixed/user +100"));
  }
  SECTION("a change whose tables are not all known attributes nothing") {
    after.change->tables_known = false;
    CHECK(find_screen(compare_runs(before, after, {}), "light").verdict() == Verdict::kRegressed);
  }
}

}  // namespace
}  // namespace sqlmeasure

#include "sqlmeasure/compare_files.h"
#include "sqlmeasure/results_file.h"
#include "support/temp_dir.h"

namespace sqlmeasure {
namespace {

// The out-dir of a live compare whose pooled files flag `list` (+32 %), though the second
// pair of phases does not show it: load that came with after-1 only.
void write_out_dir(const std::string& dir) {
  std::vector<RunResult> before = {
      run_result("before-1", {screen_result("work_search", {query("list", 1.0)})}),
      run_result("before-2", {screen_result("work_search", {query("list", 1.0)})})};
  std::vector<RunResult> after = {
      run_result("after-1", {screen_result("work_search", {query("list", 1.6)})}),
      run_result("after-2", {screen_result("work_search", {query("list", 1.04)})})};
  for (RunResult& phase : after) phase.change = works_change();
  auto pool = [](const std::vector<RunResult>& phases, const std::string& side) {
    RunResult pooled = merge_runs({&phases[0], &phases[1]});
    pooled.label = side;
    pooled.pooled_from = {side + "-1.json", side + "-2.json"};
    return pooled;
  };
  for (std::size_t i = 0; i < 2; ++i) {
    write_results_file(before[i], dir + "/before-" + std::to_string(i + 1) + ".json");
    write_results_file(after[i], dir + "/after-" + std::to_string(i + 1) + ".json");
  }
  write_results_file(pool(before, "before"), dir + "/before.json");
  write_results_file(pool(after, "after"), dir + "/after.json");
}

TEST_CASE("an out-dir is judged offline as the live compare judged it", "[unit][compare][drift]") {
  testing::TempDir dir("out-dir");
  write_out_dir(dir.path());
  SECTION("compare DIR: the phases beside the pooled files, the all-pairs rule") {
    const Comparison c = compare_directory(dir.path(), {});
    CHECK(c.before_phases == 2);
    CHECK(c.after_phases == 2);
    CHECK(only_screen(c).verdict() == Verdict::kUnchanged);
    CHECK(has_warning(c,
                      "unconfirmed: not flagged because the alternating phases do not all "
                      "show it: work_search +3"));
    CHECK(c.after_label.ends_with(" · migration up.sql"));
  }
  SECTION("compare before.json after.json: the same") {
    const Comparison c = compare_files(dir.path() + "/before.json", dir.path() + "/after.json", {});
    CHECK(only_screen(c).verdict() == Verdict::kUnchanged);
    CHECK(c.before_phases == 2);
  }
  SECTION("pooled files without their phases: the pooled verdict, and a warning says so") {
    std::filesystem::remove(dir.path() + "/after-2.json");
    const Comparison c = compare_files(dir.path() + "/before.json", dir.path() + "/after.json", {});
    CHECK(only_screen(c).verdict() == Verdict::kRegressed);
    CHECK(c.before_phases == 0);
    CHECK(has_warning(c,
                      "judged without the phase rule: these files pool 2 before and 2 after "
                      "phases"));
  }
  SECTION("a directory that is no out-dir") {
    testing::TempDir empty("not-out-dir");
    CHECK_THROWS_WITH(compare_directory(empty.path(), {}),
                      Catch::Contains("not the out-dir of a live compare"));
  }
}

}  // namespace
}  // namespace sqlmeasure

namespace sqlmeasure {
namespace {

TEST_CASE("different settings or data on the two sides are said", "[unit][compare][conditions]") {
  RunResult before = run_result("before", {screen_result("work_search", {query("list", 1.0)})});
  RunResult after = run_result("after", {screen_result("work_search", {query("list", 1.0)})});
  SECTION("without conditions on both sides nothing is said") {
    before.conditions = RunConditions{};
    CHECK_FALSE(has_warning(compare_runs(before, after, {}), "different conditions"));
  }
  RunConditions same;
  same.settings = {{"optimizer_switch", "index_merge=on,mrr=off"},
                   {"innodb_buffer_pool_size", "536870912"}};
  same.table_rows = {{"works", {300000, true}}, {"events", {50'000'000, false}}};
  before.conditions = after.conditions = same;
  SECTION("alike: nothing said") {
    CHECK_FALSE(has_warning(compare_runs(before, after, {}), "different conditions"));
  }
  SECTION("an estimate within a quarter is alike; an exact count is not") {
    after.conditions->table_rows["events"].rows = 55'000'000;
    CHECK_FALSE(has_warning(compare_runs(before, after, {}), "different conditions"));
    after.conditions->table_rows["works"].rows = 299'990;
    CHECK(has_warning(compare_runs(before, after, {}),
                      "the sides ran under different conditions: works rows 300,000 → 299,990"));
  }
  SECTION("settings and data that differ are named") {
    after.conditions->settings["optimizer_switch"] = "index_merge=off,mrr=off";
    after.conditions->settings["innodb_buffer_pool_size"] = "134217728";
    after.conditions->table_rows["events"].rows = 5'000'000;
    const Comparison c = compare_runs(before, after, {});
    CHECK(has_warning(c, "innodb_buffer_pool_size 536870912 → 134217728"));
    CHECK(has_warning(c, "optimizer_switch now index_merge=off"));
    CHECK(has_warning(c, "events rows ~50M → ~5.0M"));
    CHECK(has_warning(c, "give both sides the same data and settings"));
  }
}

}  // namespace
}  // namespace sqlmeasure

// Budgets and accepted regressions (docs/verdicts.md): applied after the verdicts, as compare
// does before printing.
namespace sqlmeasure {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

const year_month_day kToday{year{2026}, month{12}, day{3}};

Budget budget(std::optional<double> median_ms, std::optional<double> p95_ms = std::nullopt,
              std::string source = "screens/work_search.toml:3:1") {
  return {median_ms, p95_ms, std::move(source)};
}

Acceptance acceptance(std::string screen, std::optional<std::string> query = std::nullopt,
                      year_month_day expires = {year{2027}, month{1}, day{31}}) {
  return {std::move(screen), std::move(query), "reviewed in #42", expires, "sqlmeasure.toml:9:1"};
}

// `work_search` with one query whose median goes from `before_ms` to `after_ms`, its screen
// file declaring `declared` (recorded by the after run).
Comparison judged(double before_ms, double after_ms, const GatePolicy& policy,
                  std::optional<Budget> declared = std::nullopt, const VerdictRule& rule = {}) {
  ScreenResult after = screen_result("work_search", {query("list", after_ms)});
  after.budget = std::move(declared);
  Comparison c =
      compare_runs(run_result("before", {screen_result("work_search", {query("list", before_ms)})}),
                   run_result("after", {after}), rule);
  finish_comparison(c, policy, kToday);
  return c;
}

}  // namespace

TEST_CASE("a screen over its budget fails the gate, whatever it was before", "[unit][compare]") {
  // Unchanged at 2 ms, but its file allows a median of 1.5 ms.
  const Comparison c = judged(2.0, 2.0, {}, budget(1.5));
  const ScreenComparison& s = only_screen(c);
  REQUIRE(s.budget);
  CHECK(s.budget->median_over);
  CHECK_FALSE(s.budget->p95_over);
  CHECK(s.verdict() == Verdict::kOverBudget);
  CHECK(s.fails_gate(c.rule));
  CHECK(c.gate_failed());
  CHECK(s.budget->describe() ==
        "over budget: median 2.000 > 1.500 ms (screens/work_search.toml:3:1)");
  // Within it: checked, said, not gated.
  const Comparison within = judged(2.0, 2.0, {}, budget(5, 8));
  REQUIRE(only_screen(within).budget);
  CHECK_FALSE(only_screen(within).over_budget());
  CHECK(only_screen(within).verdict() == Verdict::kUnchanged);
  CHECK(only_screen(within).budget->describe().starts_with(
      "within budget: median 2.000 ≤ 5.000 ms, p95"));
}

TEST_CASE("a p95 budget holds the after side's p95 per view", "[unit][compare]") {
  // samples_with_median(2.0) spread ±9.5 µs: its p95 is just above 2 ms.
  const Comparison over = judged(2.0, 2.0, {}, budget(std::nullopt, 2.0));
  REQUIRE(only_screen(over).budget);
  CHECK(only_screen(over).budget->p95_over);
  CHECK(only_screen(over).budget->p95_ms > 2.0);
  CHECK(only_screen(over).verdict() == Verdict::kOverBudget);
  CHECK_FALSE(only_screen(judged(2.0, 2.0, {}, budget(std::nullopt, 2.1))).over_budget());
}

TEST_CASE("sqlmeasure.toml budgets: the first matching glob, the screen file's first",
          "[unit][compare]") {
  GatePolicy policy;
  policy.budgets.push_back({{"home", "work_*"}, budget(1.0, std::nullopt, "sqlmeasure.toml:4:1")});
  policy.budgets.push_back({{"*"}, budget(100, std::nullopt, "sqlmeasure.toml:8:1")});
  const Comparison by_config = judged(2.0, 2.0, policy);
  REQUIRE(only_screen(by_config).budget);
  CHECK(only_screen(by_config).budget->budget.source == "sqlmeasure.toml:4:1");
  CHECK(by_config.gate_failed());
  // The screen file's own budget wins over every rule.
  const Comparison by_file = judged(2.0, 2.0, policy, budget(10));
  CHECK(only_screen(by_file).budget->budget.source == "screens/work_search.toml:3:1");
  CHECK_FALSE(by_file.gate_failed());
  // No rule matches: no budget.
  GatePolicy other;
  other.budgets.push_back({{"home"}, budget(1.0)});
  CHECK_FALSE(only_screen(judged(2.0, 2.0, other)).budget);
}

TEST_CASE("a budget gates only with `budget` in fail_on", "[unit][compare]") {
  VerdictRule rule;
  rule.fail_on = {Gate::kTime};
  const Comparison c = judged(2.0, 2.0, {}, budget(1.5), rule);
  CHECK(only_screen(c).verdict() == Verdict::kOverBudget);  // said, not gated
  CHECK_FALSE(c.gate_failed());
}

TEST_CASE("a new screen over its budget fails the gate", "[unit][compare]") {
  ScreenResult added = screen_result("checkout", {query("list", 3.0)});
  added.budget = budget(2.0);
  Comparison c = compare_runs(run_result("before", {}), run_result("after", {added}), {});
  finish_comparison(c, {}, kToday);
  CHECK(only_screen(c).verdict() == Verdict::kOverBudget);
  CHECK(c.gate_failed());
  added.budget = budget(5.0);
  Comparison fine = compare_runs(run_result("before", {}), run_result("after", {added}), {});
  finish_comparison(fine, {}, kToday);
  CHECK(only_screen(fine).verdict() == Verdict::kAdded);
  CHECK_FALSE(fine.gate_failed());
}

TEST_CASE("an accepted regression is shown, not failed", "[unit][compare]") {
  GatePolicy policy;
  policy.accepted.push_back(acceptance("work_search"));
  const Comparison c = judged(1.0, 2.0, policy);
  const ScreenComparison& s = only_screen(c);
  CHECK(s.verdict() == Verdict::kRegressed);
  CHECK(s.gated(c.rule));
  REQUIRE(s.accepted);
  CHECK(s.accepted->reason == "reviewed in #42");
  CHECK_FALSE(s.fails_gate(c.rule));
  CHECK(c.failing_count() == 0);
  CHECK(c.accepted_count() == 1);
  CHECK_FALSE(c.gate_failed());
  CHECK(c.warnings.empty());
  // A screen-wide entry accepts its budget too.
  CHECK_FALSE(judged(2.0, 2.0, policy, budget(1.5)).gate_failed());
}

TEST_CASE("an entry naming a query accepts only that query's failures", "[unit][compare]") {
  GatePolicy list_only;
  list_only.accepted.push_back(acceptance("work_search", "list"));
  CHECK_FALSE(judged(1.0, 2.0, list_only).gate_failed());
  // Not the screen's budget: that needs a screen-wide entry.
  const Comparison over = judged(1.0, 2.0, list_only, budget(1.5));
  CHECK(over.gate_failed());
  CHECK_FALSE(only_screen(over).accepted);
  // Another query of the screen regressing too still fails it.
  ScreenResult before = screen_result("work_search", {query("list", 1.0), query("count", 1.0)});
  ScreenResult after = screen_result("work_search", {query("list", 2.0), query("count", 2.0)});
  Comparison both = compare_runs(run_result("b", {before}), run_result("a", {after}), {});
  finish_comparison(both, list_only, kToday);
  CHECK(both.gate_failed());
  CHECK(has_warning(both, "accept unused: work_search/list (sqlmeasure.toml:9:1)"));
  list_only.accepted.push_back(acceptance("work_search", "count"));
  Comparison accepted = compare_runs(run_result("b", {before}), run_result("a", {after}), {});
  finish_comparison(accepted, list_only, kToday);
  CHECK_FALSE(accepted.gate_failed());
}

TEST_CASE("an expired entry accepts nothing and says so; an unused one too", "[unit][compare]") {
  GatePolicy policy;
  policy.accepted.push_back(
      acceptance("work_search", std::nullopt, {year{2026}, month{12}, day{2}}));
  const Comparison expired = judged(1.0, 2.0, policy);
  CHECK(expired.gate_failed());
  CHECK_FALSE(only_screen(expired).accepted);
  CHECK(has_warning(expired,
                    "accept expired: work_search (sqlmeasure.toml:9:1) expired on 2026-12-02"));
  // Its last day still counts.
  policy.accepted[0].expires = kToday;
  CHECK_FALSE(judged(1.0, 2.0, policy).gate_failed());
  // Nothing to accept: the entry is stale.
  const Comparison unchanged = judged(1.0, 1.0, policy);
  CHECK(has_warning(unchanged, "accept unused: work_search (sqlmeasure.toml:9:1) accepts nothing"));
  GatePolicy elsewhere;
  elsewhere.accepted.push_back(acceptance("checkout"));
  CHECK(has_warning(judged(1.0, 2.0, elsewhere), "accept unused: checkout"));
  CHECK(judged(1.0, 2.0, elsewhere).gate_failed());
}

TEST_CASE("accepted screens sort after the failing ones", "[unit][compare]") {
  GatePolicy policy;
  policy.accepted.push_back(acceptance("a_first"));
  Comparison c = compare_runs(run_result("b", {screen_result("a_first", {query("list", 1.0)}),
                                               screen_result("b_second", {query("list", 1.0)})}),
                              run_result("a", {screen_result("a_first", {query("list", 2.0)}),
                                               screen_result("b_second", {query("list", 2.0)})}),
                              {});
  finish_comparison(c, policy, kToday);
  REQUIRE(c.screens.size() == 2);
  CHECK(c.screens[0].name == "b_second");
  CHECK(c.screens[1].name == "a_first");
  CHECK(c.failing_count() == 1);
}

}  // namespace sqlmeasure

namespace sqlmeasure {
namespace {

// Two before phases alike; after-1 slows query a, after-2 query b: the screen is slower in
// every pair, but no query is — load moving between queries, not a change of the schema.
Comparison judge_moving_slowdown(double a2_ms) {
  const auto phase = [](const std::string& label, double a_ms, double b_ms) {
    return run_result(label, {screen_result("work_search", {query("a", a_ms), query("b", b_ms)})});
  };
  const std::vector<RunResult> before = {phase("before-1", 1.0, 1.0), phase("before-2", 1.0, 1.0)};
  const std::vector<RunResult> after = {phase("after-1", 1.6, 1.0), phase("after-2", a2_ms, 1.6)};
  RunResult pooled_before = merge_runs({&before[0], &before[1]});
  RunResult pooled_after = merge_runs({&after[0], &after[1]});
  return judge_phases(pooled_before, "before", pooled_after, "after", before, after, {}, {});
}

TEST_CASE("a screen flagged on time names a query that carries it, or is unconfirmed too",
          "[unit][compare][drift]") {
  SECTION("every query unconfirmed: the screen is unconfirmed, said with them") {
    const Comparison c = judge_moving_slowdown(1.0);
    const ScreenComparison& screen = only_screen(c);
    CHECK(screen.time.change == Change::kUnchanged);
    for (const QueryComparison& query : screen.queries) {
      CHECK(query.time.change == Change::kUnchanged);
    }
    CHECK(screen.verdict() == Verdict::kUnchanged);
    CHECK(has_warning(c, "(no query of it shows it through every pair)"));
  }
  SECTION("a query slower in every pair: the screen stays flagged, naming it") {
    const Comparison c = judge_moving_slowdown(1.6);
    const ScreenComparison& screen = only_screen(c);
    CHECK(screen.verdict() == Verdict::kRegressed);
    const auto carried = std::find_if(
        screen.queries.begin(), screen.queries.end(),
        [](const QueryComparison& query) { return query.time.change == Change::kRegressed; });
    REQUIRE(carried != screen.queries.end());
    CHECK(carried->name == "a");
  }
}

}  // namespace
}  // namespace sqlmeasure

namespace sqlmeasure {
namespace {

TEST_CASE("two runs made apart: a flag on time alone is said to be drift or change",
          "[unit][compare][drift]") {
  testing::TempDir dir("one-run-a-side");
  QueryResult planned = query("list", 1.0);
  QueryResult replanned = query("list", 3.0);
  replanned.plan = {plan_row("works", "ALL", "", "Using where")};  // its plan bears it out
  write_results_file(run_result("before", {screen_result("slower", {query("q", 1.0)}),
                                           screen_result("scan", {planned})}),
                     dir.path() + "/before.json");
  write_results_file(run_result("after", {screen_result("slower", {query("q", 1.5)}),
                                          screen_result("scan", {replanned})}),
                     dir.path() + "/after.json");
  const Comparison c = compare_files(dir.path() + "/before.json", dir.path() + "/after.json", {});
  CHECK(has_warning(c,
                    "one run a side: flagged on time alone, with the same plans and rows "
                    "examined, so what drifted between the two runs cannot be told from the "
                    "change: slower +50"));
  CHECK_FALSE(has_warning(c, "scan +"));
}

}  // namespace
}  // namespace sqlmeasure
