// Plan fidelity (issue 33, docs/verdicts.md "Plans unlike production's"): each kind of
// difference and each reason, the summary line, production's plans read from both file
// shapes, and what a compare and its renderers say of a flagged query planned otherwise.
#include "sqlmeasure/plan_fidelity.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sqlmeasure/compare.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/results_file.h"
#include "support/result_builders.h"

namespace sqlmeasure {
namespace {

using testing::run_result;
using testing::samples_with_median;
using testing::screen_result;

PlanRow row(std::string table, std::string type, std::string key, std::string rows = "20",
            std::string extra = "", std::string possible_keys = "", std::string key_len = "") {
  PlanRow r;
  r.id = "1";
  r.select_type = "SIMPLE";
  r.table = std::move(table);
  r.access_type = std::move(type);
  r.possible_keys = std::move(possible_keys);
  r.key = std::move(key);
  r.key_len = std::move(key_len);
  r.rows = std::move(rows);
  r.extra = std::move(extra);
  return r;
}

QueryResult query(std::string name, std::vector<PlanRow> plan, double median_ms = 1) {
  QueryResult q;
  q.name = std::move(name);
  q.sql = "SELECT id FROM works ORDER BY created DESC LIMIT 20";
  q.samples_ns = samples_with_median(median_ms);
  q.rows_examined = 20;
  q.checksum = "5eed";
  q.plan = std::move(plan);
  return q;
}

RunResult one_query_run(std::vector<PlanRow> plan) {
  return run_result("run", {screen_result("home", {query("recent", std::move(plan))})});
}

QueryFidelity only(const PlanFidelity& fidelity) {
  REQUIRE(fidelity.queries.size() == 1);
  return fidelity.queries[0];
}

bool has_reason(const QueryFidelity& query, FidelityReason reason) {
  for (const FidelityCause& cause : query.causes) {
    if (cause.reason == reason) return true;
  }
  return false;
}

std::string reason_text(const QueryFidelity& query, FidelityReason reason) {
  for (const FidelityCause& cause : query.causes) {
    if (cause.reason == reason) return cause.text;
  }
  return "";
}

void set_rows(RunResult& run, const std::string& table, std::uint64_t rows) {
  if (!run.conditions) run.conditions.emplace();
  run.conditions->table_rows[table] = {rows, true};
}

TEST_CASE("plan fidelity: the same plan is the same, rows estimates within 10x included",
          "[unit][fidelity]") {
  const RunResult production = one_query_run({row("works", "index", "created", "20")});
  const RunResult here = one_query_run({row("works", "index", "created", "150")});
  const PlanFidelity fidelity = check_plan_fidelity(here, production, "prod.json");
  CHECK(only(fidelity).status == FidelityStatus::kSame);
  CHECK(fidelity.summary() == "plans: 1 of 1 query plans as production (0 differ)");
  CHECK(fidelity.lines().empty());
}

TEST_CASE("plan fidelity: access type, key and filesort differ, and the table's rows say why",
          "[unit][fidelity]") {
  RunResult production = one_query_run({row("works", "index", "created", "20")});
  RunResult here = one_query_run({row("works", "ALL", "", "1800", "Using filesort")});
  set_rows(production, "works", 1'800'000);
  set_rows(here, "works", 1'800);
  const QueryFidelity& q = only(check_plan_fidelity(here, production, "prod.json"));
  CHECK(q.status == FidelityStatus::kDiffers);
  REQUIRE(q.differences.size() == 2);
  CHECK(q.differences[0] == "works key created → (none), index → ALL, +filesort");
  CHECK(q.differences[1] == "works rows estimate 20 → 1.8k");
  CHECK(reason_text(q, FidelityReason::kTableRows) ==
        "works holds 1,800 rows here, 1.8M in production");
  CHECK(q.describe() ==
        "works key created → (none), index → ALL, +filesort, works rows estimate 20 → 1.8k; "
        "why: works holds 1,800 rows here, 1.8M in production");
}

TEST_CASE("plan fidelity: tables of alike size give no rows reason", "[unit][fidelity]") {
  RunResult production = one_query_run({row("works", "index", "created")});
  RunResult here = one_query_run({row("works", "ALL", "", "20", "Using filesort")});
  set_rows(production, "works", 1'800'000);
  set_rows(here, "works", 900'000);
  const QueryFidelity& q = only(check_plan_fidelity(here, production, "prod.json"));
  CHECK(q.status == FidelityStatus::kDiffers);
  CHECK(q.causes.empty());
}

TEST_CASE("plan fidelity: join order", "[unit][fidelity]") {
  const RunResult production =
      one_query_run({row("w", "ALL", ""), row("c", "eq_ref", "PRIMARY", "1")});
  const RunResult here = one_query_run({row("c", "ALL", ""), row("w", "ref", "category_id", "1")});
  const QueryFidelity& q = only(check_plan_fidelity(here, production, "prod.json"));
  CHECK(q.status == FidelityStatus::kDiffers);
  CHECK(std::find(q.differences.begin(), q.differences.end(), "join order w, c → c, w") !=
        q.differences.end());
}

TEST_CASE("plan fidelity: key parts (key_len) and temporary", "[unit][fidelity]") {
  const RunResult production =
      one_query_run({row("works", "ref", "category_started", "20", "", "", "8")});
  const RunResult here =
      one_query_run({row("works", "ref", "category_started", "20", "Using temporary", "", "4")});
  const QueryFidelity& q = only(check_plan_fidelity(here, production, "prod.json"));
  REQUIRE(q.differences.size() == 2);
  CHECK(q.differences[0] == "works +temporary");
  CHECK(q.differences[1] == "works key parts (key_len) 8 → 4");
}

TEST_CASE("plan fidelity: a literal that matches no row here", "[unit][fidelity]") {
  const RunResult production = one_query_run({row("works", "const", "PRIMARY", "1")});
  PlanRow impossible = row("", "", "", "", "Impossible WHERE noticed after reading const tables");
  impossible.table = "";
  const RunResult here = one_query_run({impossible});
  const QueryFidelity& q = only(check_plan_fidelity(here, production, "prod.json"));
  CHECK(q.status == FidelityStatus::kDiffers);
  CHECK(reason_text(q, FidelityReason::kNoMatchingRow) ==
        "the literal matches no row here (\"Impossible WHERE noticed after reading const "
        "tables\")");
}

TEST_CASE("plan fidelity: an index production uses is missing here, and the reverse",
          "[unit][fidelity]") {
  const RunResult production = one_query_run(
      {row("works", "ref", "category_started", "20", "", "category_started,category_id")});
  const RunResult here =
      one_query_run({row("works", "ref", "category_id", "20", "", "category_id")});
  const QueryFidelity& q = only(check_plan_fidelity(here, production, "prod.json"));
  CHECK(reason_text(q, FidelityReason::kIndexMissing) ==
        "index category_started of works, which production's plan uses, is not among the "
        "possible keys here");
  CHECK_FALSE(has_reason(q, FidelityReason::kIndexExtra));

  const QueryFidelity& reverse = only(check_plan_fidelity(production, here, "prod.json"));
  CHECK(reason_text(reverse, FidelityReason::kIndexExtra) ==
        "index category_started of works, which the plan here uses, is not among production's "
        "possible keys");
}

TEST_CASE("plan fidelity: alike rows per value are no statistics reason", "[unit][fidelity]") {
  RunResult production = one_query_run({row("works", "ref", "category_id", "45000", "", "")});
  RunResult here = one_query_run({row("works", "ALL", "", "1800", "Using where", "category_id")});
  IndexStatistics theirs;
  theirs.table = "works";
  theirs.index = "category_id";
  theirs.table_rows = 1'800'000;
  theirs.leading_distinct = 4000;
  IndexStatistics mine = theirs;
  mine.table_rows = 1'800;
  mine.leading_distinct = 4;
  production.index_statistics = {theirs};
  here.index_statistics = {mine};
  const QueryFidelity& q = only(check_plan_fidelity(here, production, "prod.json"));
  CHECK_FALSE(has_reason(q, FidelityReason::kStatistics));  // 450 rows a value on both sides
}

TEST_CASE("plan fidelity: index statistics far apart are a reason", "[unit][fidelity]") {
  RunResult production = one_query_run({row("works", "ref", "status", "20")});
  RunResult here = one_query_run({row("works", "ALL", "", "1800")});
  IndexStatistics theirs;
  theirs.table = "works";
  theirs.index = "status";
  theirs.table_rows = 1'000'000;
  theirs.leading_distinct = 100'000;  // 10 rows a value
  IndexStatistics mine = theirs;
  mine.table_rows = 1'000;
  mine.leading_distinct = 2;  // 500 rows a value
  production.index_statistics = {theirs};
  here.index_statistics = {mine};
  const QueryFidelity& q = only(check_plan_fidelity(here, production, "prod.json"));
  CHECK(reason_text(q, FidelityReason::kStatistics) ==
        "statistics differ: works.status has 2 distinct leading values in 1,000 rows here (~500 "
        "rows a value), 100k in 1.0M in production (~10)");
}

TEST_CASE("plan fidelity: a range estimated by index dives", "[unit][fidelity]") {
  const RunResult production = one_query_run({row("works", "range", "created", "40000")});
  const RunResult here = one_query_run({row("works", "range", "created", "12")});
  const QueryFidelity& q = only(check_plan_fidelity(here, production, "prod.json"));
  CHECK(q.status == FidelityStatus::kDiffers);
  CHECK(q.differences == std::vector<std::string>{"works rows estimate 40k → 12"});
  CHECK(reason_text(q, FidelityReason::kRangeIndexDives) ==
        "the range on works is estimated by index dives on this data (12 rows here, 40k in "
        "production), not from statistics");
}

TEST_CASE("plan fidelity: a lookup of a constant estimated by index dives", "[unit][fidelity]") {
  PlanRow theirs = row("users", "ref", "status", "1047");
  theirs.ref = "const";
  PlanRow mine = theirs;
  mine.rows = "2";
  const QueryFidelity& q =
      only(check_plan_fidelity(one_query_run({mine}), one_query_run({theirs}), "prod.json"));
  CHECK(q.differences == std::vector<std::string>{"users rows estimate 1.0k → 2"});
  CHECK(reason_text(q, FidelityReason::kRangeIndexDives) ==
        "the lookup of a constant on users is estimated by index dives on this data (2 rows "
        "here, 1.0k in production), not from statistics");
  // A lookup of the previous table's values (a join) is estimated from statistics.
  theirs.ref = mine.ref = "shop.w.user_id";
  const QueryFidelity& join =
      only(check_plan_fidelity(one_query_run({mine}), one_query_run({theirs}), "prod.json"));
  CHECK_FALSE(has_reason(join, FidelityReason::kRangeIndexDives));
}

TEST_CASE("plan fidelity: another access estimated by index dives here (mixed sources)",
          "[unit][fidelity]") {
  // Production's statistics imported: users is believed large, but the intersection of two
  // ranges is counted in this copy's small B-trees, so the join starts from users.
  const RunResult production = one_query_run(
      {row("p", "ref", "prefecture_id_occupation", "8824"), row("u", "eq_ref", "PRIMARY", "1")});
  const RunResult here = one_query_run(
      {row("u", "index_merge", "status,deleted", "1"), row("p", "eq_ref", "user_id", "1")});
  const QueryFidelity& q = only(check_plan_fidelity(here, production, "prod.json"));
  CHECK(reason_text(q, FidelityReason::kRangeIndexDives) ==
        "u is read by index_merge on status,deleted here, estimated at 1 row by index dives on "
        "this data, not from statistics (production: eq_ref on PRIMARY)");
  // A full scan here is no dive: no such reason.
  const QueryFidelity& scan =
      only(check_plan_fidelity(one_query_run({row("u", "ALL", "", "1")}),
                               one_query_run({row("u", "eq_ref", "PRIMARY", "1")}), "prod.json"));
  CHECK_FALSE(has_reason(scan, FidelityReason::kRangeIndexDives));
}

TEST_CASE(
    "plan fidelity: explain's JSON carries the tables' rows and the indexes' distinct "
    "values for a later --against",
    "[unit][fidelity]") {
  RunResult run = one_query_run({row("works", "index", "created")});
  run.conditions = RunConditions{{}, {{"works", {300000, true}}, {"other", {5, true}}}};
  IndexStatistics created;
  created.table = "works";
  created.index = "created";
  created.table_rows = 300000;
  created.leading_distinct = 290000;
  created.leading_values = {{std::string("2026-01-01"), 3}};
  run.index_statistics = {created};
  std::ostringstream out;
  render_plans(run, Format::kJson, out, nullptr);
  const nlohmann::json screens = nlohmann::json::parse(out.str());
  // Only the tables the screen reads, and counts, never a value.
  CHECK(screens[0]["tables"] ==
        nlohmann::json::parse(R"({"works": {"rows": 300000, "exact": true}})"));
  CHECK(
      screens[0]["indexes"] ==
      nlohmann::json::parse(
          R"([{"table": "works", "index": "created", "table_rows": 300000, "leading_distinct": 290000}])"));
  CHECK(out.str().find("2026-01-01") == std::string::npos);

  const RunResult read = plans_from_json(out.str(), "prod.json");
  REQUIRE(read.conditions);
  CHECK(read.conditions->table_rows.at("works").rows == 300000);
  REQUIRE(read.index_statistics.size() == 1);
  CHECK(read.index_statistics[0].leading_distinct == 290000);

  // So the table-rows reason is given against explain's JSON as against a results file.
  RunResult here = one_query_run({row("works", "ALL", "", "600", "Using filesort")});
  here.conditions = RunConditions{{}, {{"works", {600, true}}}};
  const QueryFidelity& q = only(check_plan_fidelity(here, read, "prod.json"));
  CHECK(reason_text(q, FidelityReason::kTableRows) ==
        "works holds 600 rows here, 300k in production");
}

TEST_CASE("plan fidelity: queries on one side only are said, and counted apart",
          "[unit][fidelity]") {
  const RunResult production = run_result(
      "prod", {screen_result("home", {query("recent", {row("works", "index", "created")}),
                                      query("gone", {row("works", "ALL", "")})}),
               screen_result("not_selected", {query("q", {row("t", "ALL", "")})})});
  const RunResult here =
      run_result("ci", {screen_result("home", {query("recent", {row("works", "ALL", "")}),
                                               query("new", {row("works", "ALL", "")})})});
  const PlanFidelity fidelity = check_plan_fidelity(here, production, "prod.json");
  CHECK(fidelity.compared() == 1);
  CHECK(fidelity.differing() == 1);
  CHECK(fidelity.summary() ==
        "plans: 0 of 1 query plans as production (1 differs); 1 query not in production's "
        "plans; 1 of production's not measured here");
  const std::vector<std::string> lines = fidelity.lines();
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "home/recent (production → here): works key created → (none), index → ALL");
  CHECK(lines[1] == "home/new: not in production's plans");
  CHECK(lines[2] == "home/gone: not measured here");
}

TEST_CASE("plan fidelity: the summary counts the queries", "[unit][fidelity]") {
  std::vector<QueryResult> same, differing;
  for (int i = 0; i < 15; ++i) {
    same.push_back(query("q" + std::to_string(i), {row("works", "index", "created")}));
  }
  differing = same;
  differing[3].plan = {row("works", "ALL", "")};
  differing[7].plan = {row("works", "ALL", "")};
  const PlanFidelity fidelity =
      check_plan_fidelity(run_result("ci", {screen_result("s", differing)}),
                          run_result("p", {screen_result("s", same)}), "prod.json");
  CHECK(fidelity.summary() == "plans: 13 of 15 queries plan as production (2 differ)");
}

TEST_CASE("plan fidelity: production's plans read from explain's JSON and from results files",
          "[unit][fidelity]") {
  const std::string explain = R"([{"screen": "home", "queries": [{"name": "recent",
      "sql": "SELECT 1", "rows_examined": 20, "plan": [{"id": "1", "select_type": "SIMPLE",
      "table": "works", "type": "index", "possible_keys": "", "key": "created", "key_len": "5",
      "ref": "", "rows": "20", "extra": ""}]}]}])";
  const RunResult from_explain = plans_from_json(explain, "prod.json");
  REQUIRE(from_explain.screens.size() == 1);
  REQUIRE(from_explain.screens[0].queries.size() == 1);
  CHECK(from_explain.screens[0].queries[0].plan[0].key == "created");

  // With --against, explain's JSON is {"plans": [...], "fidelity": {...}}: read as well.
  const RunResult wrapped =
      plans_from_json(R"({"plans": )" + explain + R"(, "fidelity": {}})", "prod.json");
  CHECK(wrapped.screens[0].queries[0].plan[0].key == "created");

  RunResult results = one_query_run({row("works", "index", "created")});
  recompute_stats(results);
  const RunResult from_results = plans_from_json(results_to_json(results), "prod.json");
  CHECK(from_results.screens[0].queries[0].plan == results.screens[0].queries[0].plan);
}

TEST_CASE("plan fidelity: a file that is neither names itself and the JSON path",
          "[unit][fidelity]") {
  auto message = [](const std::string& text) {
    try {
      (void)plans_from_json(text, "prod.json");
    } catch (const Error& error) {
      CHECK(error.code() == ExitCode::kBadInput);
      return std::string(error.what());
    }
    return std::string("no error");
  };
  CHECK(message("42").starts_with("prod.json: $: neither a results file nor the JSON of"));
  CHECK(message(R"({"format": "other"})").starts_with("prod.json: $.format: expected"));
  CHECK(message(R"([{"screen": "home", "queries": [{"name": "q", "sql": "S",
      "rows_examined": 1}]}])") == "prod.json: $[0].queries[0].plan: missing field 'plan'");
  CHECK(message("[{").starts_with("prod.json: not a results file: invalid JSON"));
}

// A compare whose screen regressed while its before plan is unlike production's.
Comparison flagged_comparison() {
  QueryResult before = query("recent", {row("works", "ALL", "", "1800", "Using filesort")}, 1);
  QueryResult after = query("recent", {row("works", "ALL", "", "1800", "Using filesort")}, 5);
  QueryResult calm = query("count", {row("works", "index", "created")}, 1);
  RunResult before_run =
      run_result("before", {screen_result("home", {before}), screen_result("about", {calm})});
  RunResult after_run =
      run_result("after", {screen_result("home", {after}), screen_result("about", {calm})});
  recompute_stats(before_run);
  recompute_stats(after_run);
  set_rows(before_run, "works", 1'800);
  RunResult production = run_result(
      "prod", {screen_result("home", {query("recent", {row("works", "index", "created")})}),
               screen_result("about", {query("count", {row("works", "ALL", "")})})});
  set_rows(production, "works", 1'800'000);
  Comparison comparison = compare_runs(before_run, after_run, VerdictRule{});
  note_plan_fidelity(comparison, check_plan_fidelity(before_run, production, "prod.json"));
  return comparison;
}

TEST_CASE("plan fidelity in a compare: only a flagged screen's query says so", "[unit][fidelity]") {
  const Comparison comparison = flagged_comparison();
  REQUIRE(comparison.fidelity);
  CHECK(comparison.fidelity->summary() == "plans: 0 of 2 queries plan as production (2 differ)");
  for (const ScreenComparison& screen : comparison.screens) {
    if (screen.name == "home") {
      CHECK(screen.verdict() == Verdict::kRegressed);
      CHECK(screen.queries[0].unlike_production ==
            "works key created → (none), index → ALL, +filesort, works rows estimate 20 → 1.8k; "
            "why: works holds 1,800 rows here, 1.8M in production");
    } else {
      CHECK(screen.verdict() == Verdict::kUnchanged);  // unlike production too, but not flagged
      CHECK(screen.queries[0].unlike_production.empty());
    }
  }
}

TEST_CASE("plan fidelity in a compare: every format says it beside the verdict",
          "[unit][fidelity]") {
  const Comparison comparison = flagged_comparison();
  for (Format format : {Format::kTable, Format::kMarkdown, Format::kHtml, Format::kJunit}) {
    std::ostringstream out;
    render_comparison(comparison, {}, format, Style{}, out);
    INFO(format_name(format));
    // HTML and JUnit's XML escape the apostrophe; the HTML facts list says "plans" as a term.
    const bool markup = format == Format::kHtml || format == Format::kJunit;
    const std::string note = std::string("before plan unlike production") +
                             (markup ? "&#39;" : "'") + "s: works key created → (none)";
    CHECK(out.str().find(note) != std::string::npos);
    CHECK(out.str().find("the verdict may not hold there") != std::string::npos);
    if (format != Format::kJunit) {
      CHECK(out.str().find("0 of 2 queries plan as production (2 differ)") != std::string::npos);
    }
  }
  std::ostringstream out;
  render_comparison(comparison, {}, Format::kJson, Style{}, out);
  const nlohmann::json document = nlohmann::json::parse(out.str());
  CHECK(document["schema_version"] == 6);
  const nlohmann::json& fidelity = document["plan_fidelity"];
  CHECK(fidelity["source"] == "prod.json");
  CHECK(fidelity["compared"] == 2);
  CHECK(fidelity["differ"] == 2);
  CHECK(fidelity["summary"] == "plans: 0 of 2 queries plan as production (2 differ)");
  const nlohmann::json& entry = fidelity["queries"][0];
  CHECK(entry["status"] == "differs");
  CHECK(entry["causes"][0]["reason"] == "table-rows");
  CHECK(entry["causes"][0]["text"] == "works holds 1,800 rows here, 1.8M in production");
  for (const nlohmann::json& screen : document["screens"]) {
    const nlohmann::json& unlike = screen["queries"][0]["unlike_production"];
    CHECK((screen["name"] == "home" ? unlike.is_string() : unlike.is_null()));
  }
}

TEST_CASE("plan fidelity: explain --against's JSON wraps the plans", "[unit][fidelity]") {
  const RunResult production = one_query_run({row("works", "index", "created")});
  const RunResult here = one_query_run({row("works", "ALL", "")});
  const PlanFidelity fidelity = check_plan_fidelity(here, production, "prod.json");
  std::ostringstream json_out;
  render_plans(here, Format::kJson, json_out, &fidelity);
  const nlohmann::json document = nlohmann::json::parse(json_out.str());
  CHECK(document["plans"][0]["screen"] == "home");
  CHECK(document["fidelity"]["differ"] == 1);
  CHECK(document["fidelity"]["queries"][0]["differences"][0] ==
        "works key created → (none), index → ALL");

  std::ostringstream table;
  render_plans(here, Format::kTable, table, &fidelity);
  CHECK(table.str().find("plans: 0 of 1 query plans as production (1 differs) (against "
                         "prod.json)\n  home/recent (production → here): works key created → "
                         "(none), index → ALL\n") != std::string::npos);
}

}  // namespace
}  // namespace sqlmeasure
