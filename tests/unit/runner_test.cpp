// The measurement loop against the scripted fake: the order statements reach the server
// (interleaved, never one query's samples in a row), what is recorded outside the samples,
// and how timeouts, lost connections and interrupts end a run.
#include "sqlmeasure/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "sqlmeasure/error.h"
#include "sqlmeasure/hash.h"
#include "support/fake_connection.h"
#include "support/screen_builders.h"
#include "support/string_lists.h"

using namespace sqlmeasure;
using sqlmeasure::testing::Call;
using sqlmeasure::testing::CallLog;
using sqlmeasure::testing::Failure;
using sqlmeasure::testing::FakeConnection;
using sqlmeasure::testing::make_query;
using sqlmeasure::testing::make_screen;
using sqlmeasure::testing::plan_row;
using sqlmeasure::testing::sql_of;
using sqlmeasure::testing::StatementScript;
using sqlmeasure::testing::three_queries;
using sqlmeasure::testing::operator+;

namespace {

void script_all(FakeConnection& fake, const std::vector<Screen>& screens) {
  for (const Screen& screen : screens) {
    for (const Query& query : screen.queries) fake.on(query.sql).rows(1, 10);
  }
}

RunOptions options(int warmup, int iterations) {
  RunOptions o;
  o.settings.warmup = warmup;
  o.settings.iterations = iterations;
  o.settings.query_timeout_ms = 2000;
  return o;
}

// The name in a statement built by sql_of(), prefixed with the endpoint when asked.
std::string name_in(const Call& call, bool with_connection = false) {
  const std::size_t open = call.sql.find('\'');
  const std::string name = call.sql.substr(open + 1, call.sql.find('\'', open + 1) - open - 1);
  return with_connection ? call.connection + ":" + name : name;
}

// The timed sample executions: every timed call after the last inspection (checksum) run.
std::vector<std::string> sample_phase(const CallLog& log, bool with_connection = false) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (log[i].kind == Call::Kind::kTimed && log[i].with_checksum) start = i + 1;
  }
  std::vector<std::string> names;
  for (std::size_t i = start; i < log.size(); ++i) {
    if (log[i].kind == Call::Kind::kTimed) names.push_back(name_in(log[i], with_connection));
  }
  return names;
}

// Calls `action(n)` when the n-th sample execution of `sql` (1-based) reaches `fake`, before
// it runs: the timed executions that follow the statement's inspection, which is the one
// run asking for a checksum. (Inspection precedes sampling; warm-up precedes inspection.)
void on_sample(FakeConnection& fake, const std::string& sql, std::function<void(int)> action) {
  fake.set_observer(
      [sql, action = std::move(action), inspected = false, n = 0](const Call& call) mutable {
        if (call.kind != Call::Kind::kTimed || call.sql != sql) return;
        if (call.with_checksum) {
          inspected = true;
        } else if (inspected) {
          action(++n);
        }
      });
}

std::vector<std::string> repeat(const std::vector<std::string>& block, int times) {
  std::vector<std::string> out;
  for (int i = 0; i < times; ++i) out.insert(out.end(), block.begin(), block.end());
  return out;
}

const QueryResult& find_query(const RunResult& run, const std::string& name) {
  for (const ScreenResult& screen : run.screens) {
    for (const QueryResult& query : screen.queries) {
      if (query.name == name) return query;
    }
  }
  FAIL("no query " << name);
  return run.screens.front().queries.front();
}

RunResult measure_one(FakeConnection& fake, const std::vector<Screen>& screens,
                      const RunOptions& o) {
  std::vector<RunResult> runs = measure({{&fake, "fake"}}, screens, o);
  REQUIRE(runs.size() == 1);
  return runs.front();
}

}  // namespace

TEST_CASE("a round visits every screen: a lead-in view, then a timed view of its own",
          "[unit][runner]") {
  const std::vector<Screen> screens = three_queries();
  FakeConnection fake;
  script_all(fake, screens);
  const RunResult run = measure_one(fake, screens, options(2, 4));
  CHECK(run.complete);
  // Each query is inspected (EXPLAIN, counters, checksum) once, first: that execution is also
  // its first warm-up round. The second round follows, interleaved; then the samples. top =
  // {q1, q2}, search = {q3}: each timed view follows a view of the same screen, never another
  // screen's queries.
  std::vector<std::string> expected = {"q1", "q2", "q3"};
  for (const std::string& name : repeat({"q1", "q2", "q1", "q2", "q3", "q3"}, 4)) {
    expected.push_back(name);
  }
  CHECK(sample_phase(fake.log()) == expected);
  std::vector<std::string> inspected;
  for (const Call& call : fake.log()) {
    if (call.kind == Call::Kind::kTimed && inspected.size() < 3) {
      CHECK(call.with_checksum);
      inspected.push_back(name_in(call));
    }
  }
  CHECK(inspected == std::vector<std::string>{"q1", "q2", "q3"});
  int checksum_runs = 0;
  for (const Call& call : fake.log()) checksum_runs += call.with_checksum;
  CHECK(checksum_runs == 3);
  for (const char* name : {"q1", "q2", "q3"}) CHECK(find_query(run, name).samples_ns.size() == 4);
}

TEST_CASE("with two endpoints each sample is taken on both in turn", "[unit][runner]") {
  const std::vector<Screen> screens = three_queries();
  CallLog log;
  FakeConnection a("A", &log), b("B", &log);
  script_all(a, screens);
  script_all(b, screens);
  std::vector<RunResult> runs = measure({{&a, "before"}, {&b, "after"}}, screens, options(1, 3));
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].label == "before");
  CHECK(runs[1].label == "after");
  CHECK(sample_phase(log, true) == repeat({"A:q1", "A:q2", "A:q1", "A:q2", "B:q1", "B:q2", "B:q1",
                                           "B:q2", "A:q3", "A:q3", "B:q3", "B:q3"},
                                          3));
  for (const RunResult& run : runs) CHECK(find_query(run, "q2").samples_ns.size() == 3);
}

TEST_CASE(
    "--order shuffled shuffles the screens of each round, by the seed; queries keep their order",
    "[unit][runner]") {
  std::vector<Query> queries;
  for (int i = 1; i <= 6; ++i) queries.push_back(make_query("q" + std::to_string(i)));
  const std::vector<Screen> screens = {make_screen("a", {queries[0], queries[1], queries[2]}),
                                       make_screen("b", {queries[3], queries[4], queries[5]})};
  auto order_for = [&screens](std::uint64_t seed) {
    FakeConnection fake;
    script_all(fake, screens);
    RunOptions o = options(0, 8);
    o.settings.order = Order::kShuffled;
    o.settings.seed = seed;
    (void)measure_one(fake, screens, o);
    return sample_phase(fake.log());
  };
  const std::vector<std::string> order = order_for(7);
  // Views of three queries each, a screen's in file order; a screen that comes right after
  // itself (the last of one round, the first of the next) needs no lead-in.
  REQUIRE(order.size() % 3 == 0);
  std::vector<std::string> views;
  for (std::size_t i = 0; i < order.size(); i += 3) {
    const std::vector<std::string> view(order.begin() + static_cast<long>(i),
                                        order.begin() + static_cast<long>(i + 3));
    const bool a = view == std::vector<std::string>{"q1", "q2", "q3"};
    const bool b = view == std::vector<std::string>{"q4", "q5", "q6"};
    CHECK((a || b));
    views.push_back(a ? "a" : "b");
  }
  const std::vector<std::string> fixed = repeat({"a", "a", "b", "b"}, 8);
  CHECK(views.size() >= 2 * 8 + 1);  // 8 timed views a screen, and at least one lead-in
  CHECK(views.size() <= fixed.size());
  CHECK(views != fixed);         // really shuffled
  CHECK(order_for(7) == order);  // deterministic
  CHECK(order_for(8) != order);  // and the seed matters
  const RunResult run = [&screens] {
    FakeConnection fake;
    script_all(fake, screens);
    RunOptions o = options(0, 8);
    o.settings.order = Order::kShuffled;
    return measure_one(fake, screens, o);
  }();
  for (const char* name : {"q1", "q4", "q6"}) CHECK(find_query(run, name).samples_ns.size() == 8);
}

TEST_CASE("warm-up and inspection executions are not samples", "[unit][runner]") {
  const std::vector<Screen> screens = {make_screen("top", {make_query("q1")})};
  FakeConnection fake;
  // The n-th timed execution takes n ns, so each sample says which execution it was.
  std::vector<std::int64_t> sequence;
  for (std::int64_t n = 1; n <= 100; ++n) sequence.push_back(n);
  fake.on(sql_of("q1")).elapsed(sequence);
  const RunResult run = measure_one(fake, screens, options(3, 4));
  const std::vector<std::int64_t>& samples = find_query(run, "q1").samples_ns;
  // The last four executions are the samples; the inspection (the first warm-up round) and
  // the two more warm-up rounds are not.
  const auto total = static_cast<std::int64_t>(fake.executions(sql_of("q1")));
  CHECK(total >= 3 + 1 + 4);
  CHECK(samples == std::vector<std::int64_t>{total - 3, total - 2, total - 1, total});
  const Call& first_sample = fake.log()[fake.log().size() - 4];
  CHECK_FALSE(first_sample.with_checksum);
}

TEST_CASE("a later phase of a side takes the first one's inspection for a query planned alike",
          "[unit][runner]") {
  const std::vector<Screen> screens = {make_screen("top", {make_query("q1"), make_query("q2")})};
  PlanRow by_index;
  by_index.table = "works";
  by_index.access_type = "ref";
  by_index.key = "created";
  PlanRow full_scan = by_index;
  full_scan.access_type = "ALL";
  full_scan.key = "";
  FakeConnection first_phase;
  first_phase.on(sql_of("q1")).rows(5, 500).sum(7).explains_as({by_index});
  first_phase.on(sql_of("q2")).rows(1, 10).explains_as({by_index});
  const RunResult first = measure_one(first_phase, screens, options(1, 3));

  // The next phase of the same side: q1 plans alike (its inspection is taken, not run: the
  // 999 rows it would read now are never asked for); q2's plan changed (inspected again).
  FakeConnection later;
  PlanRow by_index_estimated_anew = by_index;  // the estimate moved, the access path did not
  by_index_estimated_anew.rows = "412";
  later.on(sql_of("q1")).rows(5, 999).sum(8).explains_as({by_index_estimated_anew});
  later.on(sql_of("q2")).rows(2, 20).explains_as({full_scan});
  RunOptions taking = options(1, 3);
  taking.inspected = &first;
  const RunResult second = measure_one(later, screens, taking);
  CHECK(find_query(second, "q1").rows_examined == 500);
  CHECK(find_query(second, "q1").checksum == find_query(first, "q1").checksum);
  CHECK(find_query(second, "q1").variants_inspected == find_query(first, "q1").variants_inspected);
  CHECK(find_query(second, "q2").rows_examined == 20);
  CHECK(find_query(second, "q2").plan == std::vector<PlanRow>{full_scan});
  int inspections_q1 = 0, inspections_q2 = 0;
  for (const Call& call : later.log()) {
    if (!call.with_checksum) continue;
    if (call.sql == sql_of("q1")) ++inspections_q1;
    if (call.sql == sql_of("q2")) ++inspections_q2;
  }
  CHECK(inspections_q1 == 0);
  CHECK(inspections_q2 > 0);
  // Both were still warmed up and sampled.
  CHECK(find_query(second, "q1").samples_ns.size() == 3);
  CHECK(second.throughput.setup_s >= 0);
}

TEST_CASE("rows examined come exactly from the server's counters", "[unit][runner]") {
  const std::string sql = sql_of("q1");
  for (Flavor flavor : {Flavor::kMariaDB, Flavor::kMySQL}) {
    INFO(flavor_name(flavor));
    FakeConnection fake;
    ServerInfo server = fake.server();
    server.flavor = flavor;
    fake.set_server(server);
    fake.set_show_status_cost(9);  // SHOW STATUS counts its own reads on the handler counters
    fake.on(sql).rows(20, 2000);
    fake.on("SELECT 'nothing' FROM works").rows(0, 0);
    fake.on("SELECT 'one' FROM works").rows(1, 1);
    CHECK(rows_examined(fake, sql) == 2000);
    CHECK(rows_examined(fake, "SELECT 'nothing' FROM works") == 0);
    CHECK(rows_examined(fake, "SELECT 'one' FROM works") == 1);
    CHECK(rows_examined(fake, sql) == 2000);  // counters are cumulative; deltas are not

    const RunResult run =
        measure_one(fake, {make_screen("top", {make_query("q1", 3)})}, options(2, 2));
    CHECK(find_query(run, "q1").rows_examined == 2000);
    CHECK(run.screens[0].rows_examined == 6000);  // x times per view
    CHECK(run.rows_examined_method ==
          (flavor == Flavor::kMariaDB ? "rows_read_status" : "handler_read_counters"));
  }
}

TEST_CASE("rows examined and rows sent average over the inspected variants", "[unit][runner]") {
  Query query = make_query("list");
  query.sql = "SELECT id FROM works WHERE category_id = :c";
  query.params["c"].values = {ParamValue::integer(17), ParamValue::integer(23),
                              ParamValue::integer(41)};
  FakeConnection fake;
  fake.on("SELECT id FROM works WHERE category_id = 17").rows(10, 100);
  fake.on("SELECT id FROM works WHERE category_id = 23").rows(20, 300);
  fake.on("SELECT id FROM works WHERE category_id = 41").rows(30, 800);
  RunOptions o = options(0, 6);
  const RunResult run = measure_one(fake, {make_screen("search", {query})}, o);
  const QueryResult& list = find_query(run, "list");
  CHECK(list.variants_inspected == 3);
  CHECK(list.rows_examined == 400);
  CHECK(list.rows_sent == 20);
  CHECK(list.params.at("c").size() == 3);  // the values used are recorded
  // Samples cycle through the variants: iteration i uses value i mod 3.
  std::vector<std::string> sampled;
  for (const std::string& sql : fake.timed_sql()) sampled.push_back(sql.substr(sql.rfind(' ') + 1));
  REQUIRE(sampled.size() >= 6);
  sampled.erase(sampled.begin(), sampled.end() - 6);  // the samples are the last six
  CHECK(sampled == std::vector<std::string>{"17", "23", "41", "17", "23", "41"});
  int inspected = 0;  // every variant inspected once, with a checksum
  for (const Call& call : fake.log()) inspected += call.with_checksum;
  CHECK(inspected == 3);

  SECTION("at most max_inspected_variants") {
    FakeConnection capped;
    capped.on("SELECT id FROM works WHERE category_id = 17").rows(10, 100);
    capped.on("SELECT id FROM works WHERE category_id = 23").rows(20, 300);
    capped.on("SELECT id FROM works WHERE category_id = 41").rows(30, 800);
    o.max_inspected_variants = 2;
    const RunResult two = measure_one(capped, {make_screen("search", {query})}, o);
    CHECK(find_query(two, "list").variants_inspected == 2);
    CHECK(find_query(two, "list").rows_examined == 200);
  }
}

TEST_CASE("the checksum of the result rows is recorded", "[unit][runner]") {
  const std::vector<Screen> screens = three_queries();
  FakeConnection fake;
  fake.on(sql_of("q1")).rows(5, 5).sum(0xabcdef);
  fake.on(sql_of("q2")).rows(5, 5).sum(0xabcdef);
  fake.on(sql_of("q3")).rows(5, 5).sum(0x123456);
  const RunResult run = measure_one(fake, screens, options(0, 1));
  CHECK(find_query(run, "q1").checksum == fmt::format("{:016x}", mix64(0xabcdef)));
  CHECK(find_query(run, "q1").checksum == find_query(run, "q2").checksum);
  CHECK(find_query(run, "q3").checksum != find_query(run, "q1").checksum);
  CHECK(find_query(run, "q1").rows_sent == 5);
  // The checksum is asked for exactly once per query, outside the samples.
  int checksum_runs = 0;
  for (const Call& call : fake.log()) checksum_runs += call.with_checksum;
  CHECK(checksum_runs == 3);
}

TEST_CASE("warnings the server raises are read only when it says it raised some",
          "[unit][runner]") {
  const ServerWarning truncated{"Warning", 1292, "Truncated incorrect DOUBLE value: 'x'", false};
  const ServerWarning no_lookup{"Note", 1105, "Cannot use key `code` part[0] for lookup", true};
  const ServerWarning rewritten{"Note", 1003, "select `id` AS `id` from `works`", true};
  FakeConnection fake;
  fake.on(sql_of("q1"))
      .rows(1, 1)
      .warns({truncated, truncated})
      .explains_with({no_lookup, rewritten});
  fake.on(sql_of("q2")).rows(1, 1);
  const RunResult run =
      measure_one(fake, {make_screen("top", {make_query("q1"), make_query("q2")})}, options(0, 2));
  // Distinct, EXPLAIN's rewritten-query note (MySQL's, on every EXPLAIN) left out.
  CHECK(find_query(run, "q1").warnings == std::vector<ServerWarning>{no_lookup, truncated});
  CHECK(find_query(run, "q2").warnings.empty());
  int show_warnings = 0;
  for (const Call& call : fake.log()) show_warnings += call.sql == "SHOW WARNINGS";
  CHECK(show_warnings == 2);  // q1's EXPLAIN and q1's inspection; never for q2, never timed
}

TEST_CASE("the EXPLAIN plan is parsed, NULL fields empty", "[unit][runner]") {
  FakeConnection fake;
  PlanRow works = plan_row("works", "ref", "category_started", "2000", "Using where");
  works.key_len = "4";
  works.ref = "const";
  PlanRow users = plan_row("users", "ALL", "", "600000", "Using join buffer (flat, BNL join)");
  users.id = "1";
  fake.on(sql_of("q1")).rows(20, 2000).explains_as({works, users});
  const RunResult run = measure_one(fake, {make_screen("top", {make_query("q1")})}, options(0, 1));
  const QueryResult& q1 = find_query(run, "q1");
  REQUIRE(q1.plan.size() == 2);
  CHECK(q1.plan[0] == works);
  CHECK(q1.plan[1].table == "users");
  CHECK(q1.plan[1].access_type == "ALL");
  CHECK(q1.plan[1].key.empty());  // sent as NULL
  CHECK(q1.plan[1].rows == "600000");
  CHECK(q1.plan[1].extra == "Using join buffer (flat, BNL join)");
  int explains = 0;
  for (const Call& call : fake.log()) explains += call.sql == "EXPLAIN " + sql_of("q1");
  CHECK(explains == 1);
}

TEST_CASE("a times = N query runs N times a view, each timed; the screen sums its view",
          "[unit][runner]") {
  const std::vector<Screen> screens = {
      make_screen("top", {make_query("q1", 2), make_query("q2", 3)})};
  FakeConnection fake;
  // Inspection (which is also the one warm-up round) and the lead-in view first (1 + times
  // executions), then the timed views: q1 two executions each, q2 three.
  fake.on(sql_of("q1")).elapsed({9, 9, 9, 1000, 1100, 2000, 2100, 4000, 4100});
  fake.on(sql_of("q2")).elapsed({9, 9, 9, 9, 500, 510, 520, 100, 110, 120, 10, 11, 12});
  const RunResult run = measure_one(fake, screens, options(1, 3));
  const QueryResult& q1 = find_query(run, "q1");
  CHECK(q1.samples_ns == std::vector<std::int64_t>{1000, 1100, 2000, 2100, 4000, 4100});
  CHECK(q1.executions_per_view == 2);
  CHECK(find_query(run, "q2").samples_ns.size() == 9);
  CHECK(run.screens[0].view_samples() ==
        std::vector<std::int64_t>{2100 + 1530, 4100 + 330, 8100 + 33});
  CHECK(run.screens[0].stats_ms.n == 3);
  CHECK(run.screens[0].stats_ms.median == Approx(0.00443));
  CHECK(fake.executions(sql_of("q1")) == 1 + 2 + 3 * 2);  // one screen: one lead-in only
}

TEST_CASE("a version-1 sample stands for all times executions of its view", "[unit][runner]") {
  QueryResult q1, q2;
  q1.times = 2;
  q1.samples_ns = {1000, 2000};  // executions_per_view 1: one timed execution a view
  q2.times = 3;
  q2.executions_per_view = 3;
  q2.samples_ns = {1, 2, 3, 4, 5, 6, 7};  // two whole views and part of a third
  CHECK(per_view_samples({q1, q2}) == std::vector<std::int64_t>{2000 + 6, 4000 + 15});
}

TEST_CASE("a timed-out query records an error and stops; the others go on", "[unit][runner]") {
  const std::vector<Screen> screens = three_queries();
  FakeConnection fake;
  StatementScript& q2_script = fake.on(sql_of("q2")).rows(1, 10);  // first match wins
  script_all(fake, screens);
  // q2 takes three samples, then every execution times out (its executions alternate: the
  // lead-in view's, then the timed view's; the 7th is round 4's lead-in).
  on_sample(fake, sql_of("q2"), [&q2_script](int n) {
    if (n == 7) q2_script.fails(Failure::Kind::kTimeout);
  });
  const RunResult run = measure_one(fake, screens, options(1, 8));
  CHECK(run.complete);
  const QueryResult& q2 = find_query(run, "q2");
  CHECK(q2.error == "timed out after 2000 ms");
  CHECK(q2.samples_ns.size() == 3);
  const std::vector<std::string> samples = sample_phase(fake.log());
  CHECK(std::count(samples.begin(), samples.end(), "q2") == 7);  // no attempt after the timeout
  CHECK(std::count(samples.begin(), samples.end(), "q1") == 2 * 8);
  CHECK(find_query(run, "q1").samples_ns.size() == 8);
  CHECK(find_query(run, "q3").samples_ns.size() == 8);
  CHECK_FALSE(find_query(run, "q1").error);
  CHECK(run.screens[0].view_samples().size() == 3);  // top: iterations where all its queries ran
  CHECK(run.screens[1].view_samples().size() == 8);
}

TEST_CASE("a query timing out during inspection takes no samples", "[unit][runner]") {
  const std::vector<Screen> screens = three_queries();
  FakeConnection fake;
  fake.on(sql_of("q3")).fails(Failure::Kind::kTimeout, 1);  // the warm-up passes
  script_all(fake, screens);
  const RunResult run = measure_one(fake, screens, options(1, 5));
  CHECK(run.complete);
  CHECK(find_query(run, "q3").error == "timed out after 2000 ms");
  CHECK(find_query(run, "q3").samples_ns.empty());
  CHECK(find_query(run, "q1").samples_ns.size() == 5);
  CHECK(run.screens[1].view_samples().empty());
}

TEST_CASE("a failing statement records the server's error", "[unit][runner]") {
  const std::vector<Screen> screens = three_queries();
  FakeConnection fake;
  fake.on(sql_of("q1")).fails(Failure::Kind::kError);  // fails from the first execution
  script_all(fake, screens);
  const RunResult run = measure_one(fake, screens, options(2, 4));
  CHECK(run.complete);
  const QueryResult& q1 = find_query(run, "q1");
  REQUIRE(q1.error);
  CHECK(q1.error->find("[1146]") != std::string::npos);
  CHECK(q1.samples_ns.empty());
  CHECK(fake.executions(sql_of("q1")) == 1);
  CHECK(find_query(run, "q2").samples_ns.size() == 4);
  CHECK(run.screens[0].view_samples().empty());
  CHECK(run.screens[1].view_samples().size() == 4);
}

TEST_CASE("a lost connection ends the run, incomplete, with what was measured", "[unit][runner]") {
  const std::vector<Screen> screens = three_queries();
  FakeConnection fake;
  StatementScript& q3_script = fake.on(sql_of("q3")).rows(1, 10);
  script_all(fake, screens);
  // q3 takes two samples, then the server goes away (in round 3's lead-in view).
  on_sample(fake, sql_of("q3"), [&q3_script](int n) {
    if (n == 5) q3_script.fails(Failure::Kind::kConnectionLost);
  });
  const RunResult run = measure_one(fake, screens, options(0, 10));
  CHECK_FALSE(run.complete);
  CHECK(run.incomplete_reason.starts_with("connection lost: "));
  CHECK(run.incomplete_reason.find("Lost connection") != std::string::npos);
  CHECK(find_query(run, "q1").samples_ns.size() == 3);
  CHECK(find_query(run, "q2").samples_ns.size() == 3);
  CHECK(find_query(run, "q3").samples_ns.size() == 2);
  CHECK_FALSE(find_query(run, "q3").error);      // not the query's fault
  CHECK(fake.log().back().sql == sql_of("q3"));  // nothing was tried after the loss
  CHECK(run.screens[0].view_samples().size() == 3);
  CHECK(run.screens[1].view_samples().size() == 2);
  CHECK_FALSE(run.finished_at.empty());
}

TEST_CASE("a lost connection during inspection also ends the run", "[unit][runner]") {
  const std::vector<Screen> screens = three_queries();
  CallLog log;
  FakeConnection a("A", &log), b("B", &log);
  script_all(a, screens);
  b.on(sql_of("q2")).fails(Failure::Kind::kConnectionLost);
  script_all(b, screens);
  std::vector<RunResult> runs = measure({{&a, "A"}, {&b, "B"}}, screens, options(1, 5));
  for (const RunResult& run : runs) {
    CHECK_FALSE(run.complete);
    CHECK(run.incomplete_reason.starts_with("connection lost: "));
    CHECK(find_query(run, "q1").samples_ns.empty());
  }
}

TEST_CASE("--retries: a transient loss is survived by reconnecting", "[unit][runner]") {
  const std::vector<Screen> screens = three_queries();
  FakeConnection fake;
  StatementScript& q2_script = fake.on(sql_of("q2")).rows(1, 10);
  script_all(fake, screens);
  on_sample(fake, sql_of("q2"), [&q2_script](int n) {
    if (n == 2) q2_script.fails(Failure::Kind::kConnectionLost, 0, /*count=*/1);
  });
  RunOptions o = options(0, 4);
  o.retries = 1;
  const RunResult run = measure_one(fake, screens, o);
  CHECK(run.complete);
  CHECK(run.reconnects == 1);
  CHECK(find_query(run, "q2").samples_ns.size() == 4);  // the lost sample was taken again
  int reconnects = 0;
  for (const Call& call : fake.log()) reconnects += call.kind == Call::Kind::kReconnect;
  CHECK(reconnects == 1);
  // The loss hit round 1's timed q2, which was taken again.
  CHECK(sample_phase(fake.log()) ==
        std::vector<std::string>{"q1", "q2", "q1", "q2", "q2", "q3", "q3"} +
            repeat({"q1", "q2", "q1", "q2", "q3", "q3"}, 3));
}

TEST_CASE("--allow-writes: every execution is rolled back", "[unit][runner]") {
  Query insert = make_query("log_view");
  insert.sql = "INSERT INTO page_views (page) VALUES ('top')";
  FakeConnection fake;
  fake.on(insert.sql).rows(0, 1);
  fake.on("START TRANSACTION");
  fake.on("ROLLBACK");
  ResultSet no_warnings;
  no_warnings.columns = {"Level", "Code", "Message"};
  fake.on("SHOW WARNINGS").returns(no_warnings);
  RunOptions o = options(1, 3);
  o.allow_writes = true;
  const RunResult run = measure_one(fake, {make_screen("top", {insert})}, o);
  CHECK(run.complete);
  CHECK(find_query(run, "log_view").samples_ns.size() == 3);
  // Every execution of the INSERT sits between START TRANSACTION and ROLLBACK.
  bool in_transaction = false;
  int executions = 0;
  for (const Call& call : fake.log()) {
    if (call.sql == "START TRANSACTION") {
      CHECK_FALSE(in_transaction);
      in_transaction = true;
    } else if (call.sql == "ROLLBACK") {
      CHECK(in_transaction);
      in_transaction = false;
    } else if (call.sql == insert.sql) {
      CHECK(in_transaction);
      ++executions;
    }
  }
  CHECK_FALSE(in_transaction);
  CHECK(executions == fake.executions(insert.sql));
  CHECK(executions >= 1 + 1 + 3);
}

TEST_CASE("the interrupt flag ends the run, incomplete", "[unit][runner]") {
  const std::vector<Screen> screens = three_queries();
  FakeConnection fake;
  script_all(fake, screens);
  std::atomic<bool> interrupted{false};
  // The flag goes up during q2 of the second round's timed view (its 4th execution).
  on_sample(fake, sql_of("q2"), [&interrupted](int n) {
    if (n == 4) interrupted = true;
  });
  RunOptions o = options(1, 10);
  o.interrupted = &interrupted;
  const RunResult run = measure_one(fake, screens, o);
  CHECK_FALSE(run.complete);
  CHECK(run.incomplete_reason == "interrupted by a signal (SIGINT/SIGTERM)");
  CHECK(sample_phase(fake.log()) ==
        repeat({"q1", "q2", "q1", "q2", "q3", "q3"}, 1) + repeat({"q1", "q2"}, 2));
  CHECK(find_query(run, "q1").samples_ns.size() == 2);
  CHECK(find_query(run, "q2").samples_ns.size() == 2);
  CHECK(find_query(run, "q3").samples_ns.size() == 1);
  CHECK(run.screens[0].view_samples().size() == 2);

  SECTION("set before the start, nothing runs") {
    FakeConnection idle;
    script_all(idle, screens);
    const RunResult none = measure_one(idle, screens, o);
    CHECK_FALSE(none.complete);
    CHECK(idle.log().empty());
  }
}

TEST_CASE("runs are reproducible with the seeded fake", "[unit][runner]") {
  const std::vector<Screen> screens = three_queries();
  auto run_once = [&screens] {
    FakeConnection fake;
    for (const Screen& screen : screens) {
      for (const Query& query : screen.queries) fake.on(query.sql).lognormal(2e6, 0.2, 42);
    }
    return measure_one(fake, screens, options(1, 30));
  };
  const RunResult first = run_once();
  const RunResult second = run_once();
  CHECK(find_query(first, "q1").samples_ns == find_query(second, "q1").samples_ns);
  const Summary& stats = find_query(first, "q1").stats_ms;
  CHECK(stats.n == 30);
  CHECK(stats.median == Approx(2.0).epsilon(0.15));
  CHECK(stats.min < stats.max);
}

TEST_CASE("the run records its settings, server and label", "[unit][runner]") {
  FakeConnection fake;
  script_all(fake, three_queries());
  RunOptions o = options(1, 2);
  o.label = "before";
  o.settings.seed = 99;
  std::vector<Progress> progress;
  o.on_progress = [&progress](const Progress& p) { progress.push_back(p); };
  const RunResult run = measure_one(fake, three_queries(), o);
  CHECK(run.label == "fake");  // the target's label wins over the run's
  CHECK(run.settings.seed == 99u);
  CHECK(run.server.version == "10.11.6-MariaDB-0+deb12u1");
  CHECK(run.screens[0].name == "top");
  CHECK(run.screens[0].file == "scenarios/top.toml");
  CHECK(run.screens[0].queries[1].sql == sql_of("q2"));
  CHECK_FALSE(run.started_at.empty());
  REQUIRE_FALSE(progress.empty());
  CHECK(progress.back().done == progress.back().total);
  // Inspection of 3 queries (their one warm-up round); then 2 rounds of a lead-in and a timed
  // view each.
  CHECK(progress.back().total == 3 * 1 + 2 * (2 * 3));

  std::vector<RunResult> unlabeled = measure({{&fake, ""}}, three_queries(), o);
  CHECK(unlabeled[0].label == "before");
}

TEST_CASE("measure needs an endpoint (a bug in the caller, not a usage error)", "[unit][runner]") {
  CHECK_THROWS_AS(measure({}, three_queries(), options(0, 1)), std::invalid_argument);
}

TEST_CASE("a run records its conditions: settings and the rows of the tables it reads",
          "[unit][runner][conditions]") {
  FakeConnection fake;
  const std::vector<Screen> screens = three_queries();  // every query reads works
  script_all(fake, screens);
  ResultSet settings;
  settings.columns = {"Variable_name", "Value"};
  settings.rows = {{"optimizer_switch", "index_merge=on"}, {"sql_mode", "STRICT_TRANS_TABLES"}};
  fake.on_match([](std::string_view sql) {
        return sql.starts_with("SHOW SESSION VARIABLES WHERE Variable_name IN ('optimizer_switch'");
      })
      .returns(settings);
  ResultSet tables;
  tables.columns = {"TABLE_NAME", "TABLE_ROWS"};
  tables.rows = {{"works", "299871"}};
  fake.on_match([](std::string_view sql) {
        return sql.starts_with("SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES") &&
               sql.find("IN ('works')") != std::string_view::npos;
      })
      .returns(tables);
  ResultSet count;
  count.columns = {"COUNT(*)"};
  count.numeric = {true};
  count.rows = {{"300000"}};
  fake.on("SELECT COUNT(*) FROM `works`").returns(count);
  const RunResult run = measure_one(fake, screens, options(0, 1));
  REQUIRE(run.conditions);
  CHECK(run.conditions->settings.at("optimizer_switch") == "index_merge=on");
  CHECK(run.conditions->settings.at("sql_mode") == "STRICT_TRANS_TABLES");
  CHECK(run.conditions->table_rows.at("works") == TableRows{300000, true});  // counted exactly
  // Read before anything is timed.
  std::size_t first_timed = fake.log().size(), count_at = 0;
  for (std::size_t i = 0; i < fake.log().size(); ++i) {
    if (fake.log()[i].kind == Call::Kind::kTimed && first_timed == fake.log().size())
      first_timed = i;
    if (fake.log()[i].sql == "SELECT COUNT(*) FROM `works`") count_at = i;
  }
  CHECK(count_at < first_timed);

  SECTION("not asked for: nothing read") {
    FakeConnection quiet;
    script_all(quiet, screens);
    RunOptions o = options(0, 1);
    o.record_conditions = false;
    CHECK_FALSE(measure_one(quiet, screens, o).conditions);
    for (const Call& call : quiet.log()) CHECK(call.sql.find("VARIABLES") == std::string::npos);
  }
}
