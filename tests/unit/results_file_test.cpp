// The results file is a public contract: what is written reads back identical, and whatever
// else is offered (empty, truncated, foreign, another version, corrupt) is refused with exit
// 65, the file name and, for a bad field, its JSON path.
#include "sqlmeasure/results_file.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "sqlmeasure/error.h"
#include "support/text_checks.h"

using namespace sqlmeasure;
using nlohmann::json;
using sqlmeasure::testing::contains;
namespace fs = std::filesystem;

namespace {

PlanRow plan_row(std::string table, std::string type, std::string key, std::string rows,
                 std::string extra) {
  return {"1", "SIMPLE", std::move(table), std::move(type), key,
          key, "4",      "const",          std::move(rows), std::move(extra)};
}

RunResult sample_run() {
  RunResult run;
  run.tool_version = "0.1.0";
  run.label = "before: 日本語 label";
  run.started_at = "2024-05-01T10:00:00Z";
  run.finished_at = "2024-05-01T10:01:30Z";
  run.complete = false;
  run.incomplete_reason = "interrupted by a signal (SIGINT/SIGTERM)";
  run.server = {Flavor::kMariaDB,
                "10.11.6-MariaDB-0+deb12u1",
                10,
                11,
                6,
                "socket /run/mysqld.sock",
                "shop",
                ""};
  run.rows_examined_method = "rows_read_status";
  run.settings.warmup = 3;
  run.settings.iterations = 4;
  run.settings.seed = 18446744073709551615ULL;
  run.settings.order = Order::kShuffled;
  run.settings.scenarios = "scenarios/demo";
  run.settings.screen_globs = {"work_*", "top"};
  run.settings.query_timeout_ms = 2000;

  ScreenResult& screen = run.screens.emplace_back();
  screen.name = "work_search";
  screen.description = "検索 🔍 \"quoted\" \\ back";
  screen.budget = Budget{50.5, std::nullopt, "scenarios/work_search.toml:4:1"};
  screen.sampling = SamplingStop{12, "decided"};
  screen.file = "scenarios/demo/work_search.toml";
  screen.rows_examined = 4200;
  screen.samples_ns = {3'000'000, 3'100'000, 2'900'000, 3'050'000};

  QueryResult& list = screen.queries.emplace_back();
  list.name = "list";
  list.sql = "SELECT id FROM works WHERE category_id = :category AND title = :title";
  list.times = 2;
  list.params["category"] = {ParamValue::integer(17),
                             {ParamValue::Kind::kInteger, "18446744073709551615"},
                             {ParamValue::Kind::kInteger, "-9223372036854775808"},
                             {ParamValue::Kind::kInteger, "123456789012345678901234"}};
  list.params["title"] = {ParamValue::string("ロゴ 🎨"),
                          ParamValue::null(),
                          ParamValue::string(std::string("nul\0byte", 8)),
                          {ParamValue::Kind::kFloat, "0.1"},
                          {ParamValue::Kind::kBoolean, "TRUE"},
                          {ParamValue::Kind::kBoolean, "FALSE"}};
  list.samples_ns = {1'000'000, 1'100'000, 900'000, 1'050'000};
  list.rows_sent = 20;
  list.rows_examined = 2000;
  list.checksum = "00ff00ff00ff00ff";
  list.plan = {plan_row("works", "ref", "category_started", "2000", "Using where"),
               plan_row("users", "eq_ref", "PRIMARY", "1", "")};
  list.variants_inspected = 4;
  list.variants = {{40, 5, 0x00ff00ff00ff00ffULL},
                   {41, 6, 1},
                   {0, 0, 0},
                   {18446744073709551615ULL, 7, 0xffffffffffffffffULL}};
  list.warnings = {{"Note", 1105, "Cannot use key `c` part[0] for lookup", true},
                   {"Warning", 1292, "Truncated incorrect DOUBLE value: 'x1'", false}};

  IndexStatistics flag;
  flag.table = "works";
  flag.index = "deleted";
  flag.columns = {"deleted"};
  flag.table_rows = 300000;
  flag.rows_exact = true;
  flag.leading_distinct = 2;
  flag.distinct_method = "counted over 300,000 rows";
  flag.leading_values = {{"0", 295500}, {std::nullopt, 4500}};
  flag.values_rows = 300000;
  flag.rule = "low-cardinality";
  flag.finding = "KEY deleted (deleted) has 2 distinct values";
  IndexStatistics primary;
  primary.table = "works";
  primary.index = "PRIMARY";
  primary.columns = {"id"};
  run.index_statistics = {flag, primary};
  ChangeRecord change;
  change.description = "migration up.sql";
  change.tables = {"works"};
  HintProblem problem;
  problem.kind = HintProblem::Kind::kRedirected;
  problem.screen = "work_search";
  problem.query = "list";
  problem.where = {"scenarios/demo/work_search.toml:4:1", 0, 0};
  problem.table = "works";
  problem.hint = "FORCE INDEX (user_id)";
  problem.index = "user_id";
  problem.before = "user_id";
  problem.after = "user_id_id";
  problem.cause = "user_id is gone";
  change.hint_problems = {problem};
  run.change = change;

  QueryResult& count = screen.queries.emplace_back();
  count.name = "count";
  count.sql = "SELECT COUNT(*) FROM works";
  count.samples_ns = {1'000'000, 900'000};  // timed out after two samples
  count.rows_sent = 1;
  count.rows_examined = 200;
  count.checksum = "0000000000000001";
  count.variants_inspected = 1;
  count.error = "timed out after 2000 ms";
  recompute_stats(run);
  return run;
}

struct Outcome {
  bool threw = false;
  ExitCode code = ExitCode::kOk;
  std::string message;
};

Outcome read_text(const std::string& text, const std::string& origin = "before.json") {
  try {
    (void)results_from_json(text, origin);
  } catch (const Error& error) {
    return {true, error.code(), error.what()};
  } catch (const std::exception& error) {
    return {true, ExitCode::kRuntime, std::string("not an sqlmeasure::Error: ") + error.what()};
  }
  return {};
}

// The reader must refuse `text`: exit 65, one line, starting with the file name.
std::string refused(const std::string& text) {
  Outcome result = read_text(text);
  INFO(text.substr(0, 200));
  REQUIRE(result.threw);
  CHECK(result.code == ExitCode::kBadInput);
  CHECK(result.message.starts_with("before.json: "));
  CHECK(result.message.find('\n') == std::string::npos);
  return result.message;
}

// The sample run as a JSON document, to be damaged by a test.
json sample_document() { return json::parse(results_to_json(sample_run())); }

}  // namespace

TEST_CASE("a results file reads back exactly as written", "[unit][results]") {
  const RunResult original = sample_run();
  const std::string text = results_to_json(original);
  const RunResult read = results_from_json(text, "before.json");
  // Everything the file holds: writing what was read gives the same bytes.
  CHECK(results_to_json(read) == text);

  CHECK(read.schema_version == kResultsSchemaVersion);
  CHECK(read.label == original.label);
  CHECK_FALSE(read.complete);
  CHECK(read.incomplete_reason == original.incomplete_reason);
  CHECK(read.server.flavor == Flavor::kMariaDB);
  CHECK(read.server.version == "10.11.6-MariaDB-0+deb12u1");
  CHECK(read.settings.seed == 18446744073709551615ULL);
  CHECK(read.settings.screen_globs == original.settings.screen_globs);
  CHECK(read.settings.query_timeout_ms == 2000u);
  REQUIRE(read.screens.size() == 1);
  const ScreenResult& screen = read.screens[0];
  CHECK(screen.description == original.screens[0].description);
  CHECK(screen.samples_ns == original.screens[0].samples_ns);
  CHECK(screen.budget == original.screens[0].budget);
  REQUIRE(screen.sampling.has_value());
  CHECK(screen.sampling->views == 12);
  CHECK(screen.sampling->reason == "decided");
  REQUIRE(screen.queries.size() == 2);
  const QueryResult& list = screen.queries[0];
  CHECK(list.params == original.screens[0].queries[0].params);  // 20+ digit integers, NULL, NUL
  CHECK(list.params.at("category")[3].text == "123456789012345678901234");
  CHECK(list.params.at("title")[0] == ParamValue::string("ロゴ 🎨"));
  CHECK(list.params.at("title")[2].text.size() == 8);
  CHECK(list.plan == original.screens[0].queries[0].plan);
  CHECK(list.times == 2);
  CHECK(list.checksum == "00ff00ff00ff00ff");
  CHECK(list.variants_inspected == 4);
  CHECK(list.variants == original.screens[0].queries[0].variants);
  CHECK(list.variants.size() == 4);
  CHECK(list.warnings == original.screens[0].queries[0].warnings);
  CHECK(read.index_statistics == original.index_statistics);
  REQUIRE(read.change);
  CHECK(read.change->hint_problems == original.change->hint_problems);
  CHECK_FALSE(list.error);
  CHECK(screen.queries[1].error == "timed out after 2000 ms");
  CHECK(screen.queries[1].samples_ns.size() == 2);
}

TEST_CASE("statistics are recomputed from the samples, not trusted", "[unit][results]") {
  json document = sample_document();
  document["screens"][0]["queries"][0]["stats_ms"]["median"] = 999.0;
  const RunResult read = results_from_json(document.dump(), "before.json");
  CHECK(read.screens[0].queries[0].stats_ms.median == Approx(1.025));
  CHECK(read.screens[0].queries[0].stats_ms.n == 4);
}

TEST_CASE("results files are written atomically and read by path", "[unit][results]") {
  std::string pattern = (fs::temp_directory_path() / "sqlmeasure-test-XXXXXX").string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  const fs::path dir = pattern;
  const std::string path = (dir / "run.json").string();
  write_results_file(sample_run(), path);
  CHECK(results_to_json(read_results_file(path)) == results_to_json(sample_run()));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++files;
  CHECK(files == 1);  // no temporary left behind

  try {
    (void)read_results_file((dir / "missing.json").string());
    FAIL("reading a missing file should throw");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::kBadInput);
    CHECK(std::string(error.what()) ==
          (dir / "missing.json").string() + ": cannot read the results file: no such file");
  }
  fs::remove_all(dir);
}

TEST_CASE("what is not JSON is refused", "[unit][results]") {
  CHECK(contains(refused(""), "the file is empty"));
  const std::string text = results_to_json(sample_run());
  CHECK(contains(refused(text.substr(0, text.size() / 2)), "not a results file: invalid JSON"));
  CHECK(contains(refused(text.substr(0, text.size() - 3)), "invalid JSON"));
  CHECK(contains(refused(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)), "invalid JSON"));
  CHECK(contains(refused("{\"format\": \"sqlmeasure-results\", \"label\": \"\xff\xfe\"}"),
                 "invalid JSON"));
}

TEST_CASE("JSON that is not a results file is refused", "[unit][results]") {
  CHECK(contains(refused("[1, 2, 3]"), "not a sqlmeasure results file"));
  CHECK(contains(refused("\"sqlmeasure-results\""), "not a sqlmeasure results file"));
  CHECK(contains(refused("{\"name\": \"package.json\", \"version\": \"1.0.0\"}"),
                 "not a sqlmeasure results file"));
  CHECK(contains(refused("{\"format\": \"sqlmeasure-comparison\", \"schema_version\": 1}"),
                 "not a sqlmeasure results file"));
}

TEST_CASE("another schema_version is refused", "[unit][results]") {
  json document = sample_document();
  document["schema_version"] = kResultsSchemaVersion + 1;
  std::string message = refused(document.dump());
  CHECK(contains(message, fmt::format("results schema_version {} is not supported",
                                      kResultsSchemaVersion + 1)));
  CHECK(contains(message, fmt::format("reads versions 1 to {}", kResultsSchemaVersion)));
  document["schema_version"] = kOldestResultsSchemaVersion - 1;
  CHECK(contains(refused(document.dump()), "is not supported"));
  document["schema_version"] = "1";
  CHECK(contains(refused(document.dump()), "$.schema_version: expected a number"));
  document.erase("schema_version");
  CHECK(contains(refused(document.dump()), "schema_version"));
}

// A CI baseline made by an older sqlmeasure must keep comparing after the format grows: the
// files in tests/cli/compare-results-v1/ were written by version 1 and are never regenerated.
TEST_CASE("a version-1 results file checked into the tests still loads", "[unit][results]") {
  const std::string dir = std::string(SQLMEASURE_SOURCE_DIR) + "/tests/cli/compare-results-v1/";
  for (const char* name : {"before.json", "after.json"}) {
    const RunResult run = read_results_file(dir + name);
    CHECK(run.schema_version == 1);
    CHECK(run.screens.size() == 6);
    CHECK(run.screens.front().queries.front().samples_ns.size() == 20);
  }
}

TEST_CASE("a version-2 results file checked into the tests still loads", "[unit][results]") {
  const std::string dir = std::string(SQLMEASURE_SOURCE_DIR) + "/tests/cli/compare-results-v2/";
  for (const char* name : {"before.json", "after.json"}) {
    const RunResult run = read_results_file(dir + name);
    CHECK(run.schema_version == 2);
    CHECK(run.screens.size() == 6);
    const QueryResult& query = run.screens.front().queries.front();
    CHECK(query.phases == 1);  // version 3's per-phase failure counts take their defaults
    CHECK(query.failed_phases() == 0);
  }
}

TEST_CASE("a pooled file's per-phase failure counts round-trip and are checked",
          "[unit][results]") {
  json document = sample_document();
  json& query = document["screens"][0]["queries"][0];
  query["error"] = "Lock wait timeout exceeded";
  query["phases"] = 3;
  query["failed_phases"] = 1;
  const RunResult run = results_from_json(document.dump(), "pooled.json");
  CHECK(run.screens[0].queries[0].phases == 3);
  CHECK(run.screens[0].queries[0].failed_phases() == 1);
  query["failed_phases"] = 4;
  CHECK(contains(refused(document.dump()),
                 "$.screens[0].queries[0].failed_phases: 4 is out of range (expected 0 to 3)"));
  query["failed_phases"] = 0;
  CHECK(contains(refused(document.dump()), "failed_phases: 0, but the query has an error"));
}

TEST_CASE("a missing field is named by its JSON path", "[unit][results]") {
  json document = sample_document();
  document["screens"][0]["queries"][1].erase("samples_ns");
  CHECK(contains(refused(document.dump()), "$.screens[0].queries[1].samples_ns"));

  document = sample_document();
  document["screens"][0]["queries"][0]["plan"][1].erase("key");
  CHECK(contains(refused(document.dump()), "$.screens[0].queries[0].plan[1].key"));

  document = sample_document();
  document["server"].erase("version");
  CHECK(contains(refused(document.dump()), "$.server.version"));

  document = sample_document();
  document.erase("screens");
  CHECK(contains(refused(document.dump()), "$.screens"));
}

TEST_CASE("fields of the wrong type are named by their JSON path", "[unit][results]") {
  json document = sample_document();
  document["complete"] = "yes";
  CHECK(contains(refused(document.dump()), "$.complete: expected true or false"));

  document = sample_document();
  document["screens"][0]["queries"][0]["times"] = 1.5;
  CHECK(contains(refused(document.dump()), "$.screens[0].queries[0].times: expected an integer"));

  document = sample_document();
  document["screens"][0]["queries"] = json::object();
  CHECK(contains(refused(document.dump()), "$.screens[0].queries: expected an array"));

  document = sample_document();
  document["screens"][0]["queries"][0]["variants"].erase(0);
  CHECK(contains(refused(document.dump()),
                 "$.screens[0].queries[0].variants: expected 4 (variants_inspected) entries"));
  document = sample_document();
  document["screens"][0]["queries"][0]["variants"][1]["checksum"] = "xyz";
  CHECK(contains(refused(document.dump()),
                 "$.screens[0].queries[0].variants[1].checksum: expected 16 hex digits"));

  document = sample_document();
  document["screens"][0]["queries"][0]["params"]["category"][0] = json::object({{"n", 1}});
  CHECK(contains(refused(document.dump()), "$.screens[0].queries[0].params.category"));

  document = sample_document();
  document["screens"][0]["budget"] =
      json::object({{"median_ms", -1}, {"p95_ms", nullptr}, {"source", "x"}});
  CHECK(contains(refused(document.dump()),
                 "$.screens[0].budget.median_ms: expected milliseconds above 0"));
  document["screens"][0]["budget"] =
      json::object({{"median_ms", nullptr}, {"p95_ms", nullptr}, {"source", "x"}});
  CHECK(contains(refused(document.dump()), "$.screens[0].budget: a budget with neither"));

  document = sample_document();
  document["screens"][0]["queries"][0]["error"] = 5;
  CHECK(contains(refused(document.dump()),
                 "$.screens[0].queries[0].error: expected a string or null"));
}

TEST_CASE("impossible numbers are refused", "[unit][results]") {
  json document = sample_document();
  document["screens"][0]["queries"][0]["samples_ns"][2] = -5;
  CHECK(contains(refused(document.dump()), "$.screens[0].queries[0].samples_ns: negative sample"));

  document = sample_document();
  document["screens"][0]["samples_ns"][0] = 2.5;
  CHECK(
      contains(refused(document.dump()), "$.screens[0].samples_ns: expected integer nanoseconds"));

  document = sample_document();
  document["settings"]["iterations"] = -1;  // an int, but not a count: refused or not, no crash
  const Outcome negative = read_text(document.dump());
  CHECK((!negative.threw || negative.code == ExitCode::kBadInput));

  // Numbers JSON can hold but no field can: the reader must not crash or wrap around.
  const std::string text = sample_document().dump();
  auto with = [&text](const std::string& field, const std::string& number) {
    std::string damaged = text;
    const std::string key = "\"" + field + "\":";
    const std::size_t at = damaged.find(key);
    REQUIRE(at != std::string::npos);
    const std::size_t start = at + key.size();
    const std::size_t end = damaged.find_first_of(",}", start);
    return damaged.replace(start, end - start, number);
  };
  CHECK(
      contains(refused(with("rows_examined", "1180591620717411303424")), "rows_examined"));  // 2^70
  CHECK(contains(refused(with("warmup", "4294967296")), "$.settings.warmup: number out of range"));
  CHECK(contains(refused(with("rows_examined", "1e400")), "before.json"));
  CHECK(contains(refused(with("warmup", "-1e400")), "before.json"));
  std::string samples = text;
  const std::size_t at = samples.find("\"samples_ns\":[") + std::string("\"samples_ns\":[").size();
  CHECK(contains(refused(samples.insert(at, "1180591620717411303424,")), "samples_ns"));
  samples = text;
  CHECK(contains(refused(samples.insert(at, "18446744073709551615,")), "samples_ns"));
}

TEST_CASE("what is not a regular file is refused as a results file, without reading it",
          "[unit][results][safety]") {
  const auto message = [](const std::string& path) {
    try {
      (void)read_results_file(path);
    } catch (const Error& error) {
      CHECK(error.code() == ExitCode::kBadInput);
      return std::string(error.what());
    }
    return std::string();
  };
  // /dev/zero grew past 1 GB before: it was read until memory ran out.
  CHECK(message("/dev/zero") == "/dev/zero: cannot read the results file: it is a device");
  CHECK(message("/tmp") == "/tmp: cannot read the results file: it is a directory");
}
