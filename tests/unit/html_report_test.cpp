// The HTML reports without a browser: well-formed (every element closed, in order), one section
// per screen, one mark per sample of the results file in each screen's chart, every phase in
// the order measured, and text from files escaped. scripts/check-report renders the same page
// in headless Chromium.
#include "sqlmeasure/html_report.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/compare_fixtures.h"
#include "sqlmeasure/compare_files.h"
#include "sqlmeasure/render.h"
#include "support/db_fixture.h"

using namespace sqlmeasure;
namespace fs = std::filesystem;

namespace {

// What is wrong with the page's structure, or "": every tag closed in the order opened (void
// elements and `<x/>` excepted), the stylesheet read as raw text, no stray '<' in text.
std::string structure_problem(const std::string& page) {
  static const std::set<std::string> kVoid = {"meta", "br", "hr", "img", "input", "link", "wbr"};
  std::vector<std::string> open;
  std::size_t i = 0;
  if (page.rfind("<!DOCTYPE html>", 0) != 0) return "no <!DOCTYPE html> first";
  i = page.find('>') + 1;
  while ((i = page.find('<', i)) != std::string::npos) {
    const std::size_t end = page.find('>', i);
    if (end == std::string::npos) return "unterminated tag at " + std::to_string(i);
    const std::string tag = page.substr(i + 1, end - i - 1);
    if (tag.empty() || !(std::isalpha(static_cast<unsigned char>(tag[0])) || tag[0] == '/')) {
      return "a '<' that starts no tag at " + std::to_string(i) + ": " + page.substr(i, 20);
    }
    if (tag.find('<') != std::string::npos) return "'<' inside a tag at " + std::to_string(i);
    const bool closing = tag[0] == '/';
    std::string name = tag.substr(closing ? 1 : 0);
    name = name.substr(0, name.find_first_of(" \t\n/"));
    if (closing) {
      if (open.empty() || open.back() != name) {
        return "</" + name + "> closes <" + (open.empty() ? "nothing" : open.back()) + "> at " +
               std::to_string(i);
      }
      open.pop_back();
    } else if (tag.back() != '/' && !kVoid.contains(name)) {
      open.push_back(name);
      if (name == "style") {  // raw text up to </style>
        i = page.find("</style>", end);
        if (i == std::string::npos) return "unclosed <style>";
        continue;
      }
    }
    i = end + 1;
  }
  if (!open.empty()) return "<" + open.back() + "> never closed";
  return "";
}

struct ScreenSection {
  std::string name;
  std::size_t marks = 0;
  std::string text;
};

// Each <section class="screen">: its data-screen and its sample marks.
std::vector<ScreenSection> screen_sections(const std::string& page) {
  static const std::regex kMark(R"(<path d="M[0-9.]+ [0-9.]+h0"/>)");
  static const std::regex kName(R"re(data-screen="([^"]*)")re");
  std::vector<ScreenSection> sections;
  std::size_t at = 0;
  while ((at = page.find("<section class=\"screen\"", at)) != std::string::npos) {
    const std::size_t end = page.find("</section>", at);
    ScreenSection section;
    section.text = page.substr(at, end - at);
    std::smatch name;
    if (std::regex_search(section.text, name, kName)) section.name = name[1];
    section.marks = static_cast<std::size_t>(
        std::distance(std::sregex_iterator(section.text.begin(), section.text.end(), kMark),
                      std::sregex_iterator()));
    sections.push_back(std::move(section));
    at = end;
  }
  return sections;
}

std::size_t samples_of(const RunResult& run, const std::string& screen) {
  for (const ScreenResult& result : run.screens) {
    if (result.name == screen) return result.view_samples().size();
  }
  return 0;
}

std::string data_results(const std::string& file) {
  return (fs::path(testing::source_dir()) / "tests" / "cli" / "data" / "results" / file).string();
}

}  // namespace

TEST_CASE("html compare: well-formed, a section per screen, a mark per sample", "[unit]") {
  const JudgedFiles judged = judge_files(data_results("before.json"), data_results("after.json"),
                                         VerdictRule{}, GatePolicy{});
  ComparedRuns runs{{&judged.before_runs[0]}, {&judged.after_runs[0]}};
  std::ostringstream out;
  render_comparison_html(judged.comparison, runs, out);
  const std::string page = out.str();
  INFO(page.substr(0, 400));
  CHECK(structure_problem(page).empty());
  CHECK(structure_problem(page) == "");

  const std::vector<ScreenSection> sections = screen_sections(page);
  REQUIRE(sections.size() == judged.comparison.screens.size());
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const std::string& name = judged.comparison.screens[i].name;
    INFO(name);
    CHECK(sections[i].name == name);
    CHECK(sections[i].marks ==
          samples_of(judged.before_runs[0], name) + samples_of(judged.after_runs[0], name));
    CHECK(sections[i].marks > 0);
  }
  // The verdict table first, with the terminal's words and order.
  const std::size_t table = page.find("<section id=\"verdicts\">");
  REQUIRE(table != std::string::npos);
  CHECK(table < page.find("<section class=\"screen\""));
  std::size_t last = table;
  for (const ScreenComparison& screen : judged.comparison.screens) {
    const std::size_t row = page.find(">" + screen.name + "</a>", last);
    CHECK(row != std::string::npos);
    last = row;
  }
  CHECK(page.find("regressed</span>") != std::string::npos);
  // The regressed screen shows its query's plans side by side, and the cause.
  const ScreenSection& regressed = sections[0];
  CHECK(regressed.name == "work_search");
  CHECK(regressed.text.find("plan before") != std::string::npos);
  CHECK(regressed.text.find("plan after") != std::string::npos);
  CHECK(regressed.text.find("rows examined per execution") != std::string::npos);
  // Self-contained: nothing fetched.
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
  CHECK(page.find("url(") == std::string::npos);
  CHECK(page.find("@import") == std::string::npos);
}

TEST_CASE("html compare: every phase in the order measured", "[unit]") {
  std::map<std::string, RunResult> fixtures;
  for (auto& [file, run] : testing::compare_fixtures()) fixtures[file] = run;
  const RunResult& before1 = fixtures.at("before.json");
  RunResult before2 = before1;
  before2.screens.pop_back();  // --iterations auto: a later phase may leave a screen out
  const RunResult& after1 = fixtures.at("after.json");
  const RunResult pooled = merge_runs({&before1, &before2});
  const Comparison comparison = compare_runs(pooled, after1, VerdictRule{});
  std::ostringstream out;
  render_comparison_html(comparison, ComparedRuns{{&before1, &before2}, {&after1}}, out);
  const std::string page = out.str();
  CHECK(structure_problem(page).empty());
  for (const ScreenSection& section : screen_sections(page)) {
    INFO(section.name);
    CHECK(section.marks == samples_of(before1, section.name) + samples_of(before2, section.name) +
                               samples_of(after1, section.name));
    const std::size_t b1 = section.text.find(">before 1<");
    const std::size_t a1 = section.text.find(">after 1<");
    const std::size_t b2 = section.text.find(">before 2<");
    if (samples_of(before2, section.name) > 0 && samples_of(after1, section.name) > 0) {
      CHECK(b1 < a1);
      CHECK(a1 < b2);
      CHECK(b2 != std::string::npos);
    }
  }
}

TEST_CASE("html compare: a budget is a labelled line on its screen's chart", "[unit]") {
  std::map<std::string, RunResult> fixtures;
  for (auto& [file, run] : testing::compare_fixtures()) fixtures[file] = run;
  const RunResult& before = fixtures.at("before.json");
  const RunResult& after = fixtures.at("after.json");
  Comparison comparison = compare_runs(before, after, VerdictRule{});
  GatePolicy policy;
  policy.budgets.push_back({{"top"}, {0.65, std::nullopt, "sqlmeasure.toml:2:1"}});
  finish_comparison(comparison, policy,
                    {std::chrono::year{2026}, std::chrono::month{12}, std::chrono::day{3}});
  std::ostringstream out;
  render_comparison_html(comparison, ComparedRuns{{&before}, {&after}}, out);
  const std::string page = out.str();
  CHECK(structure_problem(page).empty());
  for (const ScreenSection& section : screen_sections(page)) {
    INFO(section.name);
    const bool top = section.name == "top";
    CHECK((section.text.find("class=\"lbud\"") != std::string::npos) == top);
    CHECK((section.text.find("budget (median) 0.650 ms") != std::string::npos) == top);
  }
  CHECK(page.find("over budget: median 0.701 &gt; 0.650 ms (sqlmeasure.toml:2:1)") !=
        std::string::npos);
}

TEST_CASE("html compare without runs: the table, no charts, said", "[unit]") {
  std::map<std::string, RunResult> fixtures;
  for (auto& [file, run] : testing::compare_fixtures()) fixtures[file] = run;
  const Comparison comparison =
      compare_runs(fixtures.at("before.json"), fixtures.at("after.json"), VerdictRule{});
  std::ostringstream out;
  render_comparison(comparison, {}, Format::kHtml, Style{}, out);
  CHECK(structure_problem(out.str()).empty());
  CHECK(out.str().find("no charts") != std::string::npos);
  CHECK(out.str().find("<svg") == std::string::npos);
}

TEST_CASE("html escapes names, SQL and labels from files", "[unit]") {
  std::map<std::string, RunResult> fixtures;
  for (auto& [file, run] : testing::compare_fixtures()) fixtures[file] = run;
  RunResult before = fixtures.at("before.json"), after = fixtures.at("after.json");
  for (RunResult* run : {&before, &after}) {
    run->label = "<b>label</b>";
    run->screens[0].name = "<script>alert('x')</script>&\"";
    run->screens[0].queries[0].sql = "SELECT 1 < 2 AND '\x1b[31m' <> \"\xff\"";
  }
  const Comparison comparison = compare_runs(before, after, VerdictRule{});
  std::ostringstream out;
  render_comparison_html(comparison, ComparedRuns{{&before}, {&after}}, out);
  const std::string page = out.str();
  CHECK(structure_problem(page).empty());
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;") !=
        std::string::npos);
  CHECK(page.find("<b>label") == std::string::npos);
  CHECK(page.find("\x1b") == std::string::npos);
  CHECK(page.find("\\x1B[31m") != std::string::npos);
  CHECK(page.find("\\xFF") != std::string::npos);
}

TEST_CASE("html run: a distribution per screen, a mark per sample", "[unit]") {
  const RunResult run = [] {
    for (auto& [file, result] : testing::compare_fixtures()) {
      if (file == "before.json") return result;
    }
    return RunResult{};
  }();
  std::ostringstream out;
  render_run(run, Format::kHtml, Style{}, out);
  const std::string page = out.str();
  CHECK(structure_problem(page).empty());
  const std::vector<ScreenSection> sections = screen_sections(page);
  REQUIRE(sections.size() == run.screens.size());
  for (std::size_t i = 0; i < sections.size(); ++i) {
    CHECK(sections[i].name == run.screens[i].name);
    CHECK(sections[i].marks == run.screens[i].view_samples().size());
  }
}

TEST_CASE("html charts thin very many samples and say so", "[unit]") {
  std::map<std::string, RunResult> fixtures;
  for (auto& [file, run] : testing::compare_fixtures()) fixtures[file] = run;
  RunResult before = fixtures.at("before.json");
  before.screens.resize(1);
  auto& samples = before.screens[0].samples_ns;
  samples.clear();
  for (std::size_t i = 0; i < 3 * kMaxChartSamples; ++i) {
    samples.push_back(1'000'000 + static_cast<std::int64_t>(i % 97) * 1000);
  }
  std::ostringstream out;
  render_run_html(before, out);
  const std::vector<ScreenSection> sections = screen_sections(out.str());
  REQUIRE(sections.size() == 1);
  CHECK(sections[0].marks <= kMaxChartSamples);
  CHECK(sections[0].text.find("Thinned: 1 sample in 3 of 12000 is drawn (4000)") !=
        std::string::npos);
}

TEST_CASE("html index report: findings with fix SQL, selectivity bars", "[unit]") {
  IndexReport report;
  report.schema.database = "demo";
  TableInfo table;
  table.name = "works";
  table.rows_counted = 300000;
  IndexInfo index;
  index.name = "deleted";
  IndexColumn column;
  column.column = "deleted";
  column.cardinality = 2;
  index.columns.push_back(column);
  table.indexes.push_back(index);
  report.schema.tables.push_back(table);
  Finding finding;
  finding.rule = "low-cardinality";
  finding.table = "works";
  finding.index = "deleted";
  finding.summary = "2 values in 300k rows";
  finding.evidence = {"deleted = 0 matches 98.5 %"};
  finding.fix = {"ALTER TABLE `works` DROP INDEX `deleted`;"};
  report.result.findings.push_back(finding);
  std::ostringstream out;
  render_index_report(report, Format::kHtml, Style{}, out);
  const std::string page = out.str();
  CHECK(structure_problem(page).empty());
  CHECK(page.find("ALTER TABLE `works` DROP INDEX `deleted`;") != std::string::npos);
  CHECK(page.find("class=\"bar\"") != std::string::npos);
  CHECK(page.find("deleted = 0 matches 98.5 %") != std::string::npos);
}
