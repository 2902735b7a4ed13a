// `compare` output in every format, from one comparison built by hand: a screen that
// regressed with a plan change (rows examined 2000 -> 600000), an unchanged one, and one
// that only the after run has.
#include "sqlmeasure/render.h"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sqlmeasure/compare.h"
#include "sqlmeasure/results.h"
#include "sqlmeasure/text.h"
#include "support/result_builders.h"
#include "support/text_checks.h"

using namespace sqlmeasure;
using sqlmeasure::testing::contains;
using sqlmeasure::testing::run_result_with_stats;
using sqlmeasure::testing::samples_with_median;
using sqlmeasure::testing::screen_result;

namespace {

PlanRow row(std::string type, std::string key, std::string rows, std::string extra) {
  return {"1", "SIMPLE", "works",         std::move(type), "category_started", std::move(key),
          "4", "const",  std::move(rows), std::move(extra)};
}

QueryResult query(std::string name, double median_ms, std::uint64_t rows_examined,
                  std::vector<PlanRow> plan) {
  QueryResult q;
  q.name = std::move(name);
  q.sql = "SELECT id FROM works WHERE category_id = 17 ORDER BY started DESC LIMIT 20";
  q.samples_ns = samples_with_median(median_ms);
  q.rows_examined = rows_examined;
  q.rows_sent = 20;
  q.checksum = "00000000000000aa";
  q.plan = std::move(plan);
  return q;
}

Comparison regression() {
  const PlanRow by_index = row("ref", "category_started", "2000", "Using where");
  const PlanRow full_scan = row("ALL", "", "600000", "Using where");
  RunResult before = run_result_with_stats(
      "before.json", {screen_result("work_search", {query("list", 1.0, 2000, {by_index})}),
                      screen_result("top", {query("q1", 2.0, 50, {by_index})})});
  RunResult after = run_result_with_stats(
      "after.json", {screen_result("work_search", {query("list", 40.0, 600000, {full_scan})}),
                     screen_result("top", {query("q1", 2.0, 50, {by_index})}),
                     screen_result("mypage_profile", {query("q1", 0.5, 10, {by_index})})});
  return compare_runs(before, after, VerdictRule{});
}

std::string render(const Comparison& comparison, Format format, bool color = false,
                   const std::string& full_report = "") {
  std::ostringstream out;
  Style style;
  style.color = color;
  style.full_report = full_report;
  render_comparison(comparison, {}, format, style, out);
  return out.str();
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// RFC 4180 fields of one CSV line.
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

TEST_CASE("the comparison under test has the three verdicts", "[unit][render]") {
  const Comparison c = regression();
  REQUIRE(c.screens.size() == 3);
  CHECK(c.screens[0].name == "work_search");  // gated regressions first
  CHECK(c.screens[0].verdict() == Verdict::kRegressed);
  CHECK(c.screens[1].name == "mypage_profile");  // then the rest by name
  CHECK(c.screens[1].verdict() == Verdict::kAdded);
  CHECK(c.screens[2].name == "top");
  CHECK(c.screens[2].verdict() == Verdict::kUnchanged);
  CHECK(c.failing_count() == 1);
}

TEST_CASE("text: a table, the responsible query under its screen, the summary", "[unit][render]") {
  const std::string text = render(regression(), Format::kTable);
  INFO(text);
  const std::vector<std::string> out = lines(text);
  REQUIRE(out.size() >= 9);
  CHECK(out[0] == "before: before.json");
  CHECK(out[1] == "after:  after.json");
  CHECK(out[3].starts_with("screen "));
  CHECK(contains(out[3], "before ms"));
  CHECK(contains(out[3], "verdict"));
  CHECK(out[4].starts_with("work_search "));
  CHECK(out[4].ends_with("regressed"));
  CHECK(contains(out[4], "2.0k → 600k"));
  CHECK(contains(out[4], "p<0.001 n=20+20"));
  CHECK(out[5].starts_with("  work_search/list: works key category_started → (none), ref → ALL"));
  CHECK(contains(out[5], "rows examined 2.0k → 600k"));
  CHECK(contains(out[5], "1.000 → 40.00 ms (+3900%, p<0.001 n=20+20)"));
  CHECK(out[6].starts_with("mypage_profile "));
  CHECK(out[6].ends_with("added"));
  CHECK(out[7] == "  mypage_profile/q1: added");
  CHECK(out[8].starts_with("top "));
  CHECK(out[8].ends_with("~"));
  CHECK(out.back().starts_with(
      "1 of 2 screens regressed (fail on: errors, time, rows, budget; threshold +10%"));
  CHECK_FALSE(contains(text, "\x1b["));
}

TEST_CASE("text: colour only when asked", "[unit][render]") {
  const std::string text = render(regression(), Format::kTable, /*color=*/true);
  CHECK(contains(text, "\x1b[1;31mwork_search "));
  CHECK(contains(text, "\x1b[1;31m1 of 2 screens regressed"));
}

TEST_CASE("markdown: one line, the changed screens, details collapsed", "[unit][render]") {
  const std::string md = render(regression(), Format::kMarkdown);
  const std::vector<std::string> out = lines(md);
  CHECK(out[0] == "### ❌ 1 of 2 screens regressed");
  CHECK(out[2] == "| screen | before ms | after ms | delta | evidence | rows examined | verdict |");
  CHECK(out[3] == "|---|---:|---:|---:|---|---|---|");
  CHECK(out[4].starts_with("| work_search |"));
  CHECK(out[4].ends_with("| regressed |"));
  // The screen only the after run has is a change too; the unchanged one is collapsed.
  CHECK(out[5].starts_with("| mypage_profile |"));
  CHECK(contains(md, "<details><summary><b>work_search</b>: regressed · 1.000 → 40.00 ms"));
  CHECK(contains(md, "- `list`: works key category_started → (none), ref → ALL"));
  CHECK(contains(md, "<details><summary>1 screen unchanged (~)</summary>\n\n| screen |"));
  CHECK(count(md, "<details>") == count(md, "</details>"));
  // Markdown inside <details> needs a blank line after the summary and before the end.
  CHECK(count(md, "</summary>\n\n") == count(md, "<details>"));
  CHECK(count(md, "\n\n</details>") == count(md, "<details>"));
  CHECK(contains(md, "<sub>1 of 2 screens regressed"));
  for (std::size_t i = 2; i < 6; ++i) CHECK(count(out[i], "|") == 8);
  CHECK_FALSE(contains(md, "Cut to fit"));
}

TEST_CASE("markdown: no regression says so in its first line", "[unit][render]") {
  RunResult before = run_result_with_stats("b", {screen_result("top", {query("q1", 2.0, 50, {})})});
  RunResult after = run_result_with_stats("a", {screen_result("top", {query("q1", 2.0, 50, {})})});
  const std::string md = render(compare_runs(before, after, VerdictRule{}), Format::kMarkdown);
  CHECK(md.starts_with("### ✅ no screen regressed\n\n<details><summary>1 screen unchanged"));
}

TEST_CASE("markdown: angle brackets in plans are written as entities", "[unit][render]") {
  Comparison comparison = regression();
  comparison.warnings.push_back({WarningKind::kDrift,
                                 "drift: the first and last before phases "
                                 "disagree on <derived2> +20%",
                                 ""});
  const std::string md = render(comparison, Format::kMarkdown);
  CHECK(contains(md, "&lt;derived2>"));
  CHECK_FALSE(contains(md, "<derived2"));
}

TEST_CASE("markdown: warnings are one collapsed line however many screens", "[unit][render]") {
  Comparison comparison = regression();
  std::string names;
  for (int i = 0; i < 20; ++i) names += fmt::format("{}screen_{} +{}%", i ? ", " : "", i, 20 + i);
  comparison.warnings.push_back({WarningKind::kDrift,
                                 "drift: the first and last before phases disagree on " + names,
                                 "treat deltas of that size on those screens with caution"});
  comparison.warnings.push_back({WarningKind::kUnconfirmed, "unconfirmed: not flagged", ""});
  const std::string md = render(comparison, Format::kMarkdown);
  CHECK(contains(md,
                 "<details><summary>⚠️ 2 warnings: drift, unconfirmed</summary>\n\n- drift: "));
  // The names are inside the collapsed block, never in the open text before it.
  CHECK(md.find("screen_7") > md.find("⚠️ 2 warnings"));
}

TEST_CASE("markdown: never longer than a GitHub comment; the cut says where the rest is",
          "[unit][render]") {
  std::vector<ScreenResult> before_screens, after_screens;
  const PlanRow by_index = row("ref", "category_started", "2000", "Using where");
  const PlanRow full_scan = row("ALL", "", "600000", "Using where");
  for (int i = 0; i < 800; ++i) {
    const std::string name = fmt::format("screen_with_a_long_name_{:04}", i);
    before_screens.push_back(screen_result(
        name, {query("list", 1.0, 2000, {by_index}), query("count", 1.0, 2000, {by_index})}));
    after_screens.push_back(screen_result(name, {query("list", 40.0, 600000, {full_scan}),
                                                 query("count", 40.0, 600000, {full_scan})}));
  }
  const Comparison comparison =
      compare_runs(run_result_with_stats("b", std::move(before_screens)),
                   run_result_with_stats("a", std::move(after_screens)), VerdictRule{});
  const std::string md =
      render(comparison, Format::kMarkdown, false, "https://ci.example/artifacts/report.html");
  CHECK(md.size() <= 65536);
  CHECK(md.starts_with("### ❌ 800 of 800 screens regressed\n"));
  CHECK(contains(md, "Cut to fit GitHub's 65,536-character comment limit"));
  CHECK(contains(md, "the full report: https://ci.example/artifacts/report.html"));
  CHECK(count(md, "<details>") == count(md, "</details>"));
  CHECK(md.ends_with("</sub>\n"));
  // Without --report-url the cut still says how to get everything.
  CHECK(contains(render(comparison, Format::kMarkdown), "run compare with --format html"));
}

TEST_CASE("markdown: every field counts toward the limit; a 100,000-character label is cut",
          "[unit][render][safety]") {
  Comparison comparison = regression();
  const std::string label(100000, 'L');
  comparison.before_label = label;
  comparison.after_label = label + " · migration up.sql";
  comparison.warnings.push_back({WarningKind::kDrift, "drift: " + std::string(100000, 'w'), ""});
  const std::string long_url = "https://ci.example/" + std::string(100000, 'u');
  for (const std::string& url : {std::string(), long_url}) {
    const std::string md = render(comparison, Format::kMarkdown, false, url);
    INFO(md.size());
    CHECK(md.size() <= 65536);
    CHECK(md.starts_with("### ❌ "));
    CHECK(contains(md, "Before: " + std::string(190, 'L')));
    CHECK(contains(md, "…; after: "));
    CHECK(count(md, std::string(1000, 'L')) == 0);
    CHECK(md.ends_with("</sub>\n"));
  }
}

TEST_CASE("markdown: text from servers, files and labels is inert in a PR comment",
          "[unit][render][safety]") {
  const std::string hostile =
      "@octocat and @org/team see #1, GH-2, ![i](https://evil.example/track.png), "
      "[link](http://evil.example), <img src=x onerror=alert(1)>, &#64;octocat, "
      "www.evil.example and ``` a fence";
  Comparison comparison = regression();
  comparison.before_label = hostile;
  comparison.warnings.push_back({WarningKind::kDrift, "drift: " + hostile, ""});
  for (ScreenComparison& screen : comparison.screens) {
    for (QueryComparison& q : screen.queries) {
      q.outcome = QueryOutcome::kBreaks;
      q.failed_after = {"[1064] " + hostile, 1, 1};
    }
  }
  const std::string md = render(comparison, Format::kMarkdown);
  INFO(md);
  CHECK_FALSE(contains(md, "@octocat"));
  CHECK_FALSE(contains(md, "@org"));
  CHECK_FALSE(contains(md, " #1"));
  CHECK_FALSE(contains(md, "GH-2"));
  CHECK_FALSE(contains(md, "[i]("));
  CHECK_FALSE(contains(md, "[link]("));
  CHECK_FALSE(contains(md, "://"));
  CHECK_FALSE(contains(md, "<img"));
  CHECK_FALSE(contains(md, "&#64;"));
  CHECK_FALSE(contains(md, "www.evil"));
  CHECK_FALSE(contains(md, "```"));
  CHECK(contains(md, "@&#8203;octocat"));
  CHECK(contains(md, "#&#8203;1"));
  CHECK(contains(md, "!\\[i\\](https:&#8203;//evil.example/track.png)"));
  CHECK(contains(md, "&lt;img src=x onerror=alert(1)>"));
  CHECK(contains(md, "\\`\\`\\` a fence"));
}

TEST_CASE("markdown: a query failing on both sides is said, not hidden behind a green line",
          "[unit][render]") {
  RunResult before =
      run_result_with_stats("b", {screen_result("inbox", {query("q", 1.0, 10, {})})});
  RunResult after = before;
  for (RunResult* run : {&before, &after}) {
    QueryResult& q = run->screens[0].queries[0];
    q.error = "[1146] Table 'demo.inbox' doesn't exist";
    q.samples_ns.clear();
  }
  const Comparison comparison = compare_runs(before, after, VerdictRule{});
  const std::string md = render(comparison, Format::kMarkdown);
  INFO(md);
  CHECK(
      md.starts_with("### ✅ no screen regressed · 1 query not compared: failing on both sides\n"));
  CHECK(contains(md,
                 "**Not compared** (1):\n\n- `inbox/q`: fails on both sides, not compared: "
                 "before: \\[1146\\] Table 'demo.inbox' doesn't exist"));
}

TEST_CASE("csv: a header, one row per screen and per query", "[unit][render]") {
  const std::string csv = render(regression(), Format::kCsv);
  const std::vector<std::string> out = lines(csv);
  CHECK(out[0] ==
        "screen,query,before_ms,after_ms,delta_pct,p,n_before,n_after,rows_before,rows_after,"
        "plan_change,results_differ,verdict,time_only,new_warnings,budget,accepted");
  REQUIRE(out.size() == 6);  // header + 3 screens + the 2 queries on both sides
  for (const std::string& line : out) CHECK(csv_fields(line).size() == 17);
  const std::vector<std::string> screen_row = csv_fields(out[1]);
  CHECK(screen_row[0] == "work_search");
  CHECK(screen_row[1] == "");
  CHECK(screen_row[8] == "2000");
  CHECK(screen_row[9] == "600000");
  CHECK(screen_row[10] == "yes");
  CHECK(screen_row[12] == "regressed");
  const std::vector<std::string> query_row = csv_fields(out[2]);
  CHECK(query_row[1] == "list");
  CHECK(query_row[10] == "works key category_started → (none), ref → ALL (full-scan)");
  CHECK(query_row[12] == "regressed");
  CHECK(std::stod(query_row[4]) == Approx(3900));
}

TEST_CASE("json: parses, with the gate and every screen", "[unit][render]") {
  const nlohmann::json doc = nlohmann::json::parse(render(regression(), Format::kJson));
  CHECK(doc["format"] == "sqlmeasure-comparison");
  CHECK(doc["gate_failed"] == true);
  CHECK(doc["regressed"] == 1);
  CHECK(doc["rule"]["fail_on"] == nlohmann::json::array({"errors", "time", "rows", "budget"}));
  REQUIRE(doc["screens"].size() == 3);
  const nlohmann::json& search = doc["screens"][0];
  CHECK(search["name"] == "work_search");
  CHECK(search["verdict"] == "regressed");
  CHECK(search["gated"] == true);
  CHECK(search["rows_examined"]["before"] == 2000);
  CHECK(search["rows_examined"]["after"] == 600000);
  CHECK(search["rows_examined"]["change"] == "regressed");
  const nlohmann::json& change = search["queries"][0]["plan_changes"][0];
  CHECK(change["description"] == "works key category_started → (none), ref → ALL");
  CHECK(change["before"]["type"] == "ref");
  CHECK(change["after"]["type"] == "ALL");
  CHECK(doc["screens"][1]["presence"] == "after_only");
  // A screen on one side only: the other side's figures are null, not zero.
  CHECK(doc["screens"][1]["time"]["ratio"].is_null());
  CHECK(doc["screens"][1]["time"]["before_median_ms"].is_null());
  CHECK(doc["screens"][1]["time"]["after_median_ms"].is_number());
  CHECK(doc["screens"][1]["rows_examined"]["before"].is_null());
  CHECK(doc["screens"][2]["verdict"] == "~");
  CHECK(doc["screens"][2]["gated"] == false);
}

TEST_CASE("junit: one testcase per screen, a failure for the regressed one", "[unit][render]") {
  const std::string xml = render(regression(), Format::kJunit);
  INFO(xml);
  CHECK(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
  CHECK(contains(xml, "<testsuites name=\"sqlmeasure\" tests=\"3\" failures=\"1\">"));
  CHECK(count(xml, "<testcase ") == 3);
  CHECK(count(xml, "<failure ") == 1);
  const std::size_t search = xml.find("name=\"work_search\"");
  const std::size_t failure = xml.find("<failure ");
  const std::size_t search_end = xml.find("</testcase>", search);
  CHECK(search < failure);
  CHECK(failure < search_end);
  CHECK(contains(xml, "work_search/list: works key category_started → (none), ref → ALL"));
  CHECK(contains(xml, "name=\"top\" time=\"0.002000\"/>"));
  CHECK(count(xml, "<testsuite ") == 1);
  CHECK(xml.ends_with("</testsuite>\n</testsuites>\n"));
}

TEST_CASE("junit escapes what it quotes", "[unit][render]") {
  QueryResult fine = query("list", 1.0, 20, {});
  QueryResult broken = fine;
  broken.error = "[1146] Table 'shop.<works>' doesn't exist & \"more\"";
  const Comparison c = compare_runs(
      run_result_with_stats("b", {screen_result("work_search", {fine})}),
      run_result_with_stats("a", {screen_result("work_search", {broken})}), VerdictRule{});
  const std::string xml = render(c, Format::kJunit);
  CHECK(count(xml, "<failure ") == 1);
  CHECK(contains(xml, "shop.&lt;works&gt;&#39; doesn&#39;t exist &amp; &quot;more&quot;"));
  CHECK_FALSE(contains(xml, "<works>"));
}

// XML 1.0 allows no control byte but tab, line feed and carriage return, even escaped as a
// character reference: one in a message would make the whole report unreadable to a CI.
TEST_CASE("junit stays valid XML whatever bytes a name or message holds", "[unit][render]") {
  QueryResult fine = query("list", 1.0, 20, {});
  QueryResult broken = fine;
  std::string message = "[1064] near '";
  for (int c = 1; c < 0x20; ++c) message += static_cast<char>(c);
  message += "\x7f\xff\xc3' \xe2\x86\x92 ok";  // DEL, bytes that are not UTF-8, then UTF-8
  broken.error = message;
  const Comparison c = compare_runs(
      run_result_with_stats("b", {screen_result("work_search", {fine})}),
      run_result_with_stats("a", {screen_result("work_search", {broken})}), VerdictRule{});
  const std::string xml = render(c, Format::kJunit);
  REQUIRE(count(xml, "<failure ") == 1);
  for (const char byte : xml) {
    const auto value = static_cast<unsigned char>(byte);
    INFO(static_cast<int>(value));
    CHECK((value >= 0x20 || value == '\n' || value == '\t'));
    CHECK(value != 0x7f);
  }
  CHECK(is_utf8(xml));
  // Shown, not lost: each byte that cannot be XML as \xNN, the UTF-8 around them as it was.
  CHECK(contains(xml, "[1064] near &#39;\\x01\\x02"));
  CHECK(contains(xml, "\\xFF\\xC3&#39; → ok"));
}

TEST_CASE("no regression: every format says so", "[unit][render]") {
  RunResult same = run_result_with_stats("x", {screen_result("top", {query("q1", 2.0, 50, {})})});
  const Comparison c = compare_runs(same, same, VerdictRule{});
  CHECK(lines(render(c, Format::kTable)).back().starts_with("0 of 1 screens regressed"));
  CHECK(render(c, Format::kMarkdown).starts_with("### ✅ no screen regressed\n"));
  CHECK(nlohmann::json::parse(render(c, Format::kJson))["gate_failed"] == false);
  CHECK(contains(render(c, Format::kJunit), "tests=\"1\" failures=\"0\""));
}

TEST_CASE("a plan change alone is reported, and gated only with --fail-on plan", "[unit][render]") {
  const PlanRow by_index = row("ref", "category_started", "20", "Using where");
  const PlanRow other_index = row("range", "started", "20", "Using where; Using filesort");
  RunResult before = run_result_with_stats(
      "b", {screen_result("help_beginner", {query("q1", 1.0, 20, {by_index})})});
  RunResult after = run_result_with_stats(
      "a", {screen_result("help_beginner", {query("q1", 1.0, 20, {other_index})})});
  const Comparison by_default = compare_runs(before, after, VerdictRule{});
  CHECK(by_default.screens[0].verdict() == Verdict::kPlanChanged);
  CHECK_FALSE(by_default.gate_failed());
  const std::string text = render(by_default, Format::kTable);
  CHECK(contains(text,
                 "help_beginner/q1: works key category_started → started, ref → range, +filesort"));
  CHECK(contains(text, "0 of 1 screens regressed"));

  VerdictRule plan_gate;
  plan_gate.fail_on = {Gate::kPlan};
  const Comparison gated = compare_runs(before, after, plan_gate);
  CHECK(gated.gate_failed());
  // The summary does not call a plan change "regressed".
  CHECK(contains(render(gated, Format::kTable),
                 "1 of 1 screens fail the gate (1 plan changed) (fail on: plan;"));
  CHECK(contains(render(gated, Format::kMarkdown),
                 "### ❌ 1 of 1 screens fail the gate (1 plan changed)\n"));
  CHECK(contains(render(gated, Format::kJunit), "<failure message=\"plan changed"));
}

TEST_CASE("text from files and servers cannot repaint the terminal", "[unit][render][safety]") {
  Comparison c = regression();
  c.before_label = "before\x1b[2J\x1b[H (cleared the screen)";
  c.warnings.push_back({WarningKind::kSqlDiffers, "work_search/list: SQL\rtext \x07differs", ""});
  for (Format format : {Format::kTable, Format::kMarkdown}) {
    const std::string text = render(c, format);
    INFO(text);
    CHECK_FALSE(contains(text, "\x1b"));
    CHECK_FALSE(contains(text, "\r"));
    CHECK_FALSE(contains(text, "\x07"));
    // Markdown escapes the backslashes and brackets too (a link could start there).
    CHECK(contains(text, format == Format::kTable
                             ? "before\\x1b[2J\\x1b[H (cleared the screen)"
                             : "before\\\\x1b\\[2J\\\\x1b\\[H (cleared the screen)"));
  }
  Table table{{"a", "b"}, {false, false}, {{"line one\nline two", "\x1b]0;title\x07"}}};
  std::ostringstream out;
  write_text_table(table, out);
  CHECK(out.str() == "a                  b\nline one line two  \\x1b]0;title\\x07\n");
}

TEST_CASE("budgets and accepted regressions in every format", "[unit][render]") {
  Comparison c = regression();
  GatePolicy policy;
  // `top` is unchanged at 2 ms but over a 1.5 ms budget; the work_search regression is accepted.
  policy.budgets.push_back({{"top"}, {1.5, std::nullopt, "sqlmeasure.toml:2:1"}});
  policy.accepted.push_back(
      {"work_search",
       std::nullopt,
       "moves to the search service (#1234) <soon>",
       {std::chrono::year{2099}, std::chrono::month{12}, std::chrono::day{31}},
       "sqlmeasure.toml:6:1"});
  finish_comparison(c, policy,
                    {std::chrono::year{2026}, std::chrono::month{12}, std::chrono::day{3}});
  REQUIRE(c.failing_count() == 1);
  REQUIRE(c.accepted_count() == 1);

  const std::string table = render(c, Format::kTable);
  INFO(table);
  CHECK(contains(table, "  top: over budget: median 2.000 > 1.500 ms (sqlmeasure.toml:2:1)\n"));
  CHECK(contains(table, "regressed (accepted)"));
  CHECK(contains(table,
                 "  work_search: accepted until 2099-12-31 (sqlmeasure.toml:6:1): moves to "
                 "the search service (#1234) <soon>\n"));
  CHECK(contains(table, "1 of 2 screens fail the gate (1 over budget); 1 accepted (fail on:"));

  const std::string markdown = render(c, Format::kMarkdown);
  INFO(markdown);
  CHECK(markdown.starts_with("### ❌ 1 of 2 screens fail the gate (1 over budget); 1 accepted\n"));
  // The accepted list is in the open, its reason escaped as all free text is.
  CHECK(contains(markdown,
                 "**Accepted** (1):\n\n- work_search (regressed): accepted until "
                 "2099-12-31 (sqlmeasure.toml:6:1): moves to the search service "
                 "(#&#8203;1234) &lt;soon>\n"));
  CHECK(contains(markdown, "- over budget: median 2.000 > 1.500 ms (sqlmeasure.toml:2:1)\n"));

  const nlohmann::json json = nlohmann::json::parse(render(c, Format::kJson));
  CHECK(json["schema_version"] == 6);
  CHECK(json["accepted_screens"] == 1);
  for (const auto& screen : json["screens"]) {
    if (screen["name"] == "top") {
      CHECK(screen["verdict"] == "over budget");
      CHECK(screen["gated"] == true);
      CHECK(screen["budget"]["over"] == true);
      CHECK(screen["budget"]["median_ms"] == 1.5);
    } else if (screen["name"] == "work_search") {
      CHECK(screen["gated"] == false);
      CHECK(screen["accepted"]["expires"] == "2099-12-31");
      CHECK(screen["accepted"]["reason"] == "moves to the search service (#1234) <soon>");
    }
  }

  const std::string junit = render(c, Format::kJunit);
  CHECK(contains(junit, "failures=\"1\" skipped=\"1\""));
  CHECK(contains(junit,
                 "<skipped message=\"accepted until 2099-12-31 (sqlmeasure.toml:6:1): moves "
                 "to the search service (#1234) &lt;soon&gt;\"/>"));
  CHECK(contains(junit, "<failure message=\"over budget"));

  const std::string csv = render(c, Format::kCsv);
  CHECK(contains(csv, ",over budget: median 2.000 > 1.500 ms (sqlmeasure.toml:2:1),\n"));
  CHECK(contains(csv, ",accepted until 2099-12-31"));

  const std::string html = render(c, Format::kHtml);
  CHECK(contains(html, "(accepted)"));
  CHECK(contains(html, "over budget: median 2.000 &gt; 1.500 ms"));
}

TEST_CASE("text: with --iterations auto, why each side's sampling stopped, by reason",
          "[unit][render]") {
  Comparison comparison = regression();
  CHECK_FALSE(contains(render(comparison, Format::kTable), "sampling stopped"));  // none recorded
  auto stop = [](int views, const char* reason) { return SamplingStop{views, reason}; };
  comparison.screens[0].sampling_before = stop(67, "rounds");
  comparison.screens[0].sampling_after = stop(3, "decided");
  comparison.screens[1].sampling_after = stop(12, "precise");  // added: after only
  comparison.screens[2].sampling_before = stop(5, "precise");
  comparison.screens[2].sampling_after = stop(9, "precise");
  const std::string text = render(comparison, Format::kTable);
  INFO(text);
  CHECK(lines(text)[2] ==
        "sampling stopped: before 1 precise (5 views), 1 at the round limit (67 views: "
        "work_search); after 1 decided (3 views: work_search), 2 precise (9–12 views)");
  CHECK(contains(render(comparison, Format::kMarkdown), "sampling stopped: before 1 precise"));
  const nlohmann::json document = nlohmann::json::parse(render(comparison, Format::kJson));
  CHECK(document["schema_version"] == 6);
  CHECK(document["screens"][0]["sampling"]["after"] ==
        nlohmann::json({{"views", 3}, {"stopped", "decided"}}));
  CHECK(document["screens"][1]["sampling"]["before"].is_null());

  // A fixed count says nothing: its stops are all "iterations".
  for (ScreenComparison& screen : comparison.screens) {
    screen.sampling_before = stop(20, "iterations");
    screen.sampling_after = stop(20, "iterations");
  }
  CHECK_FALSE(contains(render(comparison, Format::kTable), "sampling stopped"));
}
