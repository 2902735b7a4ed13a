// Live comparisons against the real MariaDB: a migration measured and rolled back, a
// migration that fails halfway, an interruption during the after phase (the flag, and a
// real SIGINT to the built binary), indexes made IGNORED and restored, a destructive
// migration refused, and two endpoints side by side. Whatever happens, the schema must be
// as it was: every test compares the fingerprint before and after.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "db/db_test_support.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/journal.h"
#include "sqlmeasure/live_compare.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/schema_change.h"
#include "sqlmeasure/schema_snapshot.h"
#include "support/process.h"
#include "support/results_json.h"
#include "support/text_checks.h"

namespace sqlmeasure::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

const char* const kCategoryIndex = "category_id_status_started";

// A live compare on `db` of DIR/screens into DIR/out, unless `args` names others, run quickly
// (5 iterations after 1 warm-up), with the comparison as JSON on stdout.
std::vector<std::string> quick_live_compare(const TestDatabase& db, const TempDir& dir,
                                            LiveCompareArgs args) {
  args.database = db.name();
  if (args.scenarios.empty()) args.scenarios = dir / "screens";
  if (args.out_dir.empty()) args.out_dir = dir / "out";
  args.iterations = "5";
  args.warmup = "1";
  args.format = "json";
  return args.build();
}

// The tests' own migration: drop the index the work search lives on, and put it back.
void write_drop_category_migration(const std::string& dir) {
  write_text(dir + "/drop_category.up.sql",
             "-- the work search index goes\n"
             "ALTER TABLE works DROP INDEX category_id_status_started;\n");
  write_text(dir + "/drop_category.down.sql",
             "ALTER TABLE works ADD INDEX category_id_status_started "
             "(category_id, status, started);\n");
}

// information_schema.STATISTICS.IGNORED of the first column of an index: "YES" or "NO".
std::string index_ignored(Connection& connection, const std::string& database,
                          const std::string& table, const std::string& index) {
  ResultSet found =
      connection.query("SELECT IGNORED FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = " +
                       connection.quote(database) + " AND TABLE_NAME = " + connection.quote(table) +
                       " AND INDEX_NAME = " + connection.quote(index) + " AND SEQ_IN_INDEX = 1");
  REQUIRE(found.rows.size() == 1);
  return found.rows[0][0].value_or("");
}

bool index_exists(Connection& connection, const std::string& database, const std::string& table,
                  const std::string& index) {
  ResultSet found =
      connection.query("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = " +
                       connection.quote(database) + " AND TABLE_NAME = " + connection.quote(table) +
                       " AND INDEX_NAME = " + connection.quote(index));
  return found.rows[0][0] != "0";
}

// The keys the plans of a results file's screen use, first plan row of each query.
std::vector<std::string> first_keys(const json& results, const std::string& screen) {
  std::vector<std::string> keys;
  for (const json& query : screen_named(results, screen)["queries"]) {
    keys.push_back(query["plan"].empty() ? "" : query["plan"][0]["key"].get<std::string>());
  }
  return keys;
}

// The exit code must be what the verdicts say: 1 exactly when a gate failed.
void check_exit_code_matches_verdicts(const CliResult& result, const json& comparison) {
  int expected = comparison["gate_failed"].get<bool>() ? 1 : 0;
  CHECK(result.code == expected);
  CHECK((comparison["regressed"].get<int>() > 0) == comparison["gate_failed"].get<bool>());
}

// The tests' own screens: work_search depends on the index; mypage and help do not.
void check_only_work_search_flagged(const json& comparison) {
  const json& search = screen_named(comparison, "work_search");
  CHECK(search["gated"] == true);
  CHECK(search["verdict"] == "regressed");
  CHECK(search["rows_examined"]["change"] == "regressed");
  CHECK(search["rows_examined"]["after"].get<std::uint64_t>() >
        search["rows_examined"]["before"].get<std::uint64_t>());
  bool plan_changed = false;
  for (const json& query : search["queries"]) {
    for (const json& change : query["plan_changes"]) {
      plan_changed = plan_changed || change["table"] == "works";
    }
  }
  CHECK(plan_changed);
  for (const char* untouched : {"mypage", "help"}) {
    INFO(untouched);
    const json& screen = screen_named(comparison, untouched);
    CHECK(screen["rows_examined"]["change"] == "~");  // unchanged
    CHECK(screen["rows_examined"]["before"] == screen["rows_examined"]["after"]);
    for (const json& query : screen["queries"]) {
      CHECK(query["plan_changes"].empty());
      CHECK(query["results_differ"] == false);
    }
  }
}

TEST_CASE("compare --migration: the demo's drop_category_index is measured and rolled back",
          "[db][live][demo]") {
  SQLMEASURE_REQUIRE_SERVER();
  require_demo_screens();
  const std::string up = demo_migration("drop_category_index.up.sql");
  const std::string down = demo_migration("drop_category_index.down.sql");
  INFO("the demo migration is missing: " << up << " / " << down);
  REQUIRE(exists(up));
  REQUIRE(exists(down));
  TestDatabase db("live_demo");
  db.load_demo(0.01);
  TempDir out("live-demo");
  const std::string original = db.schema_fingerprint();

  CliResult result = run_in_process(quick_live_compare(
      db, out,
      {.scenarios = demo_dir(), .migration = up, .rollback = down, .out_dir = out.path()}));
  INFO("stderr: " << result.err);
  REQUIRE((result.code == 0 || result.code == 1));
  json comparison = json::parse(result.out);
  check_exit_code_matches_verdicts(result, comparison);
  // Dropping the index the work search screens live on costs them rows examined.
  CHECK(result.code == 1);
  for (const char* file :
       {"before-1.json", "after-1.json", "before-2.json", "after-2.json", "before-3.json",
        "after-3.json", "before-4.json", "before.json", "after.json"}) {
    INFO(file);
    REQUIRE(exists(out / file));
    CHECK(read_results_file(out / file).complete);
  }
  CHECK(result.err.find("schema restored") != std::string::npos);
  CHECK(db.schema_fingerprint() == original);
  CHECK(index_exists(db.admin(), db.name(), "works", kCategoryIndex));
}

TEST_CASE("compare --migration: the dependent screen is flagged, the others are not",
          "[db][live]") {
  SQLMEASURE_REQUIRE_SERVER();
  // Both ways of measuring a drop: the index ignored in the after phases (the default for a
  // drop-only migration), and the real DDL (--apply-ddl). Same verdicts.
  const bool apply_ddl = GENERATE(false, true);
  INFO((apply_ddl ? "--apply-ddl" : "ignored"));
  TestDatabase db("live_migration");
  db.load_demo(0.01);
  TempDir dir("live-migration");
  write_demo_schema_screens(dir / "screens");
  write_drop_category_migration(dir.path());
  const std::string original = db.schema_fingerprint();

  CliResult result = run_in_process(quick_live_compare(db, dir,
                                                       {.migration = dir / "drop_category.up.sql",
                                                        .rollback = dir / "drop_category.down.sql",
                                                        .apply_ddl = apply_ddl}));
  INFO("stderr: " << result.err);
  REQUIRE(result.code == 1);
  json comparison = json::parse(result.out);
  check_exit_code_matches_verdicts(result, comparison);
  check_only_work_search_flagged(comparison);
  CHECK(comparison["after"].get<std::string>().find("drop_category.up.sql") != std::string::npos);

  // The three results files: the plans say what the server did in each phase.
  RunResult before = read_results_file(dir / "out/before.json");
  RunResult after = read_results_file(dir / "out/after.json");
  RunResult again = read_results_file(dir / "out/before-4.json");
  CHECK(before.complete);
  CHECK(after.complete);
  CHECK(again.complete);
  json before_json = json::parse(read_text(dir / "out/before.json"));
  json after_json = json::parse(read_text(dir / "out/after.json"));
  json again_json = json::parse(read_text(dir / "out/before-4.json"));
  CHECK(first_keys(before_json, "work_search") ==
        std::vector<std::string>{kCategoryIndex, kCategoryIndex});
  for (const std::string& key : first_keys(after_json, "work_search")) CHECK(key != kCategoryIndex);
  CHECK(first_keys(again_json, "work_search") == first_keys(before_json, "work_search"));
  // The same parameter values in every phase.
  CHECK(screen_named(before_json, "mypage")["queries"][0]["params"] ==
        screen_named(after_json, "mypage")["queries"][0]["params"]);

  CHECK(result.err.find("applied 1 of 1 statement") != std::string::npos);
  CHECK(result.err.find("schema restored") != std::string::npos);
  CHECK(db.schema_fingerprint() == original);

  // The pooled files say what they pool and what was changed; judged again offline, the
  // out-dir gives the live verdicts (docs/verdicts.md, "Offline and live agree").
  CHECK(before.pooled_from == std::vector<std::string>{"before-1.json", "before-2.json",
                                                       "before-3.json", "before-4.json"});
  REQUIRE(after.change);
  CHECK(after.change->tables == std::vector<std::string>{"works"});
  CHECK(after.change->ddl_measured == apply_ddl);
  CHECK(after.change->apply_s.size() == (apply_ddl ? 3 : 0));
  CHECK(after.change->undo_s.size() == (apply_ddl ? 3 : 0));
  const bool said_ignored =
      result.err.find("the after phases measure with works." + std::string(kCategoryIndex) +
                      " IGNORED instead of dropping") != std::string::npos;
  CHECK(said_ignored == !apply_ddl);
  const std::string after_label = comparison["after"].get<std::string>();
  CHECK((after_label.find("IGNORED, not dropped") != std::string::npos) == !apply_ddl);
  REQUIRE(after.conditions);
  CHECK(after.conditions->table_rows.at("works").exact);
  CliResult offline = run_in_process({"compare", dir / "out", "--format", "json"});
  INFO("offline stderr: " << offline.err);
  CHECK(offline.code == result.code);
  const json again_comparison = json::parse(offline.out);
  CHECK(again_comparison["phases"]["before"] == 4);
  for (const json& screen : comparison["screens"]) {
    INFO(screen["name"]);
    CHECK(screen_named(again_comparison, screen["name"])["verdict"] == screen["verdict"]);
  }
  CHECK(again_comparison["warnings"] == comparison["warnings"]);
}

TEST_CASE(
    "compare --migration --iterations auto: a screen the rows examined decide is not "
    "measured again",
    "[db][live][auto]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("live_auto");
  db.load_demo(0.01);
  TempDir dir("live-auto");
  write_demo_schema_screens(dir / "screens");
  write_drop_category_migration(dir.path());
  const std::string original = db.schema_fingerprint();

  CliResult result = run_in_process(LiveCompareArgs{.database = db.name(),
                                                    .scenarios = dir / "screens",
                                                    .migration = dir / "drop_category.up.sql",
                                                    .rollback = dir / "drop_category.down.sql",
                                                    .out_dir = dir / "out",
                                                    .iterations = "auto",
                                                    .format = "json"}
                                        .build());
  INFO("stderr: " << result.err);
  REQUIRE(result.code == 1);
  json comparison = json::parse(result.out);
  check_exit_code_matches_verdicts(result, comparison);
  check_only_work_search_flagged(comparison);
  // Decided by rows examined once after-1 is in: not measured in any later phase.
  CHECK(result.err.find("--iterations auto: ") != std::string::npos);
  CHECK(result.err.find("settled after after-1") != std::string::npos);
  json after_1 = json::parse(read_text(dir / "out/after-1.json"));
  // Decided from its third view on (docs/measurement.md), and said so in the phase file.
  CHECK(screen_named(after_1, "work_search")["queries"][0]["samples_ns"].size() >= 3);
  CHECK(screen_named(after_1, "work_search")["sampling"]["stopped"] == "decided");
  CHECK(screen_named(after_1, "work_search")["sampling"]["views"] >= 3);
  for (const char* later :
       {"before-2.json", "after-2.json", "before-3.json", "after-3.json", "before-4.json"}) {
    const std::string path = dir / ("out/" + std::string(later));
    if (!exists(path)) continue;
    INFO(later);
    json phase = json::parse(read_text(path));
    for (const json& screen : phase["screens"]) CHECK(screen["name"] != "work_search");
  }
  // The pooled sides still hold every screen.
  json before = json::parse(read_text(dir / "out/before.json"));
  json after = json::parse(read_text(dir / "out/after.json"));
  CHECK(before["screens"].size() == 3);
  CHECK(after["screens"].size() == 3);
  // How the alternation went, in the pooled after.json and the comparison: it stopped before
  // the third alternation, every verdict settled, the verdict kept (checked above).
  const json& alternations = after["change"]["alternations"];
  CHECK(alternations["planned"] == 3);
  CHECK(alternations["ran"] >= 1);
  CHECK(alternations["ran"] < 3);
  const std::string stopped = alternations["stopped"];
  CHECK(stopped.starts_with("every verdict settled after "));
  CHECK_FALSE(exists(dir / "out/after-3.json"));
  CHECK(comparison["change"]["alternations"] == alternations);
  CHECK(db.schema_fingerprint() == original);
}

std::string show_create(Connection& connection, const std::string& database,
                        const std::string& table) {
  return *connection.query("SHOW CREATE TABLE `" + database + "`.`" + table + "`").rows[0][1];
}

TEST_CASE(
    "compare --migration: an index re-added by the rollback comes back last, and that "
    "counts as restored",
    "[db][live]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("live_reorder");
  db.load_demo(0.01);
  TempDir dir("live-reorder");
  write_demo_schema_screens(dir / "screens");
  write_text(dir / "up.sql", "ALTER TABLE works DROP INDEX budget_from;\n");
  write_text(dir / "down.sql", "ALTER TABLE works ADD INDEX budget_from (budget_from);\n");
  const std::string original = db.schema_fingerprint();
  const std::string original_works = show_create(db.admin(), db.name(), "works");
  // budget_from is not the last key, so the rollback cannot put it back in its place.
  REQUIRE(original_works.find("KEY `budget_from`") < original_works.rfind("  KEY `"));

  CliResult result = run_in_process(quick_live_compare(
      db, dir, {.migration = dir / "up.sql", .rollback = dir / "down.sql", .apply_ddl = true}));
  INFO("stderr: " << result.err);
  REQUIRE((result.code == 0 || result.code == 1));
  check_exit_code_matches_verdicts(result, json::parse(result.out));
  CHECK(result.err.find("schema restored") != std::string::npos);
  CHECK(result.err.find("NOT RESTORED") == std::string::npos);
  CHECK(exists(dir / "out/before-4.json"));  // measured only once the schema is back
  CHECK(show_create(db.admin(), db.name(), "works") != original_works);  // the order moved
  CHECK(db.schema_fingerprint() == original);
}

TEST_CASE("compare --migration: a migration failing halfway is rolled back, exit 2",
          "[db][live][failure]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("live_halfway");
  db.load_demo(0.01);
  TempDir dir("live-halfway");
  write_demo_schema_screens(dir / "screens");
  const std::string original = db.schema_fingerprint();

  SECTION("the first statement succeeds, the second fails: the rollback runs") {
    write_text(dir / "half.up.sql",
               "ALTER TABLE works ADD INDEX sqlm_tmp_budget_to (budget_to);\n"
               "ALTER TABLE works DROP INDEX sqlm_no_such_index;\n");
    write_text(dir / "half.down.sql", "ALTER TABLE works DROP INDEX sqlm_tmp_budget_to;\n");
    CliResult result = run_in_process(quick_live_compare(
        db, dir, {.migration = dir / "half.up.sql", .rollback = dir / "half.down.sql"}));
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(result.err.find("the change failed: statement 2") != std::string::npos);
    CHECK(result.err.find("[1091]") != std::string::npos);  // ER_CANT_DROP_FIELD_OR_KEY
    CHECK(result.err.find("applied 1 of 2 statements") != std::string::npos);
    CHECK(result.err.find("undo: applied 1 of 1 statement") != std::string::npos);
    CHECK(result.err.find("schema restored") != std::string::npos);
    CHECK(result.err.find("the schema is as it was") != std::string::npos);
    REQUIRE(exists(dir / "out/before.json"));
    CHECK(read_results_file(dir / "out/before.json").complete);
    CHECK_FALSE(exists(dir / "out/after.json"));
    CHECK_FALSE(index_exists(db.admin(), db.name(), "works", "sqlm_tmp_budget_to"));
  }
  SECTION("the first statement fails: nothing was applied, so the rollback must not run") {
    // Running this rollback would create an index that was never there.
    write_text(dir / "none.up.sql", "ALTER TABLE works DROP INDEX sqlm_no_such_index;\n");
    write_text(dir / "none.down.sql",
               "ALTER TABLE works ADD INDEX sqlm_no_such_index (budget_to);\n");
    CliResult result = run_in_process(quick_live_compare(
        db, dir, {.migration = dir / "none.up.sql", .rollback = dir / "none.down.sql"}));
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(result.err.find("the change failed: statement 1") != std::string::npos);
    CHECK(result.err.find("nothing was changed") != std::string::npos);
    CHECK(result.err.find("undo:") == std::string::npos);
    CHECK(exists(dir / "out/before.json"));
    CHECK_FALSE(index_exists(db.admin(), db.name(), "works", "sqlm_no_such_index"));
  }
  CHECK(db.schema_fingerprint() == original);
}

TEST_CASE("live compare: interrupted during the after phase, the change is undone",
          "[db][live][interrupt]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("live_interrupt");
  db.load_demo(0.01);
  TempDir dir("live-interrupt");
  write_demo_schema_screens(dir / "screens");
  write_drop_category_migration(dir.path());
  const std::string original = db.schema_fingerprint();

  SECTION("through the library: the flag is raised mid-way through the after phase") {
    std::vector<Screen> screens = load_scenarios(dir / "screens");
    std::atomic<bool> interrupted{false};
    std::vector<std::string> phases_seen;
    bool index_gone_when_interrupted = false;
    LiveCompareOptions options;
    options.connection = server_options(db.name(), /*read_only=*/true);
    options.migration = migration_change(dir / "drop_category.up.sql",
                                         dir / "drop_category.down.sql", /*keep=*/false);
    options.apply_ddl = true;  // the real DDL: the index is really gone
    options.out_dir = dir / "out";
    options.run.settings.iterations = 120;  // 40 in each of the 3 alternations' phases
    options.run.settings.warmup = 1;
    options.run.interrupted = &interrupted;
    options.run.on_progress = [&](const Progress& progress) {
      if (phases_seen.empty() || phases_seen.back() != progress.phase) {
        phases_seen.push_back(progress.phase);
      }
      if (progress.phase.rfind("after", 0) == 0 && progress.done >= 48 && !interrupted) {
        index_gone_when_interrupted = !index_exists(db.admin(), db.name(), "works", kCategoryIndex);
        interrupted = true;
      }
    };

    LiveCompareOutcome outcome = run_live_compare(screens, options, sqlmeasure::connect);
    INFO("events: " << [&] {
      std::string all;
      for (const std::string& event : outcome.events) all += event + "; ";
      return all;
    }());
    REQUIRE(interrupted);
    CHECK(index_gone_when_interrupted);
    REQUIRE(outcome.failure);
    CHECK(outcome.failure->find("the after-1 phase did not finish") != std::string::npos);
    CHECK(outcome.failure->find("interrupted") != std::string::npos);
    REQUIRE(outcome.before);
    CHECK(outcome.before->complete);
    REQUIRE(outcome.after);
    CHECK_FALSE(outcome.after->complete);
    CHECK(outcome.after->incomplete_reason.find("interrupted") != std::string::npos);
    CHECK(outcome.before_phases.size() == 1);
    CHECK(outcome.after_phases.size() == 1);
    CHECK(outcome.server == ServerState::kRestored);
    CHECK(outcome.failure_message().ends_with("; the schema is as it was"));
    // Partial results are kept, the comparison says so, and the file says they are partial.
    REQUIRE(outcome.comparison);
    CHECK(outcome.comparison->after_label.ends_with("(partial)"));
    RunResult after_file = read_results_file(dir / "out/after.json");
    CHECK_FALSE(after_file.complete);
    CHECK(after_file.incomplete_reason == outcome.after->incomplete_reason);
    CHECK(read_results_file(dir / "out/before.json").complete);
    CHECK_FALSE(exists(dir / "out/before-2.json"));
    bool marked = false;
    for (const std::string& file : outcome.files) {
      marked = marked || file == dir / "out/after.json (incomplete)";
    }
    CHECK(marked);
    CHECK(std::find(phases_seen.begin(), phases_seen.end(), "before-1 measure") !=
          phases_seen.end());
  }
  SECTION("through the CLI with the flag already raised: exit 2, nothing changed") {
    std::atomic<bool> interrupted{true};
    CliResult result =
        run_in_process(quick_live_compare(db, dir,
                                          {.migration = dir / "drop_category.up.sql",
                                           .rollback = dir / "drop_category.down.sql"}),
                       &interrupted);
    INFO("stderr: " << result.err);
    CHECK(result.code == 2);
    CHECK(result.err.find("the before-1 phase did not finish: interrupted") != std::string::npos);
    CHECK(result.err.find("nothing was changed") != std::string::npos);
    REQUIRE(exists(dir / "out/before.json"));
    CHECK_FALSE(read_results_file(dir / "out/before.json").complete);
    CHECK_FALSE(exists(dir / "out/after.json"));
  }
  CHECK(db.schema_fingerprint() == original);
  CHECK(index_exists(db.admin(), db.name(), "works", kCategoryIndex));
}

// A real connection whose reply to one statement is lost, as when the network drops during
// an ALTER: the statement runs on the server first (`runs_first`) or never reaches it.
class LosingConnection final : public Connection {
 public:
  LosingConnection(std::unique_ptr<Connection> real, std::string trigger, bool runs_first)
      : real_(std::move(real)), trigger_(std::move(trigger)), runs_first_(runs_first) {}
  const ServerInfo& server() const override { return real_->server(); }
  Execution execute_timed(std::string_view sql, bool with_checksum) override {
    if (lost_) throw lost_error(sql);
    return real_->execute_timed(sql, with_checksum);
  }
  ResultSet query(std::string_view sql) override {
    if (lost_) throw lost_error(sql);
    return real_->query(sql);
  }
  void execute(std::string_view sql) override {
    if (lost_) throw lost_error(sql);
    if (sql.find(trigger_) != std::string_view::npos) {
      if (runs_first_) real_->execute(sql);
      lost_ = true;
      throw lost_error(sql);
    }
    real_->execute(sql);
  }
  std::string quote(std::string_view text) override { return real_->quote(text); }

 private:
  static DatabaseError lost_error(std::string_view sql) {
    return DatabaseError(
        "[2013] (HY000) Lost connection to server during query\n  while running: " +
            std::string(sql),
        2013, "HY000", /*connection_lost=*/true, /*timed_out=*/false);
  }
  std::unique_ptr<Connection> real_;
  std::string trigger_;
  bool runs_first_;
  bool lost_ = false;
};

TEST_CASE("live compare: the connection lost while applying the change", "[db][live][lost]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("live_lost");
  db.load_demo(0.01);
  TempDir dir("live-lost");
  write_demo_schema_screens(dir / "screens");
  write_drop_category_migration(dir.path());
  const std::string original = db.schema_fingerprint();
  const bool runs_first = GENERATE(true, false);
  INFO((runs_first ? "the server ran the ALTER, the reply was lost"
                   : "the ALTER never reached the server"));

  std::vector<Screen> screens = load_scenarios(dir / "screens");
  int opened = 0;  // read-write connections: the change's, and the reconnect after losing it
  const Connector connect = [&](const ConnectionOptions& session) -> std::unique_ptr<Connection> {
    auto real = sqlmeasure::connect(session);
    if (session.read_only || ++opened > 1) return real;
    return std::make_unique<LosingConnection>(std::move(real), "DROP INDEX", runs_first);
  };
  LiveCompareOptions options;
  options.connection = server_options(db.name(), /*read_only=*/true);
  options.migration = migration_change(dir / "drop_category.up.sql", dir / "drop_category.down.sql",
                                       /*keep=*/false);
  options.apply_ddl = true;  // the real DDL: the index is really gone
  options.out_dir = dir / "out";
  options.run.settings.iterations = 3;
  options.run.settings.warmup = 0;

  LiveCompareOutcome outcome = run_live_compare(screens, options, connect);
  std::string events;
  for (const std::string& event : outcome.events) events += event + "\n";
  INFO("events:\n" << events);
  REQUIRE(outcome.failure);
  CHECK(outcome.failure->find("the connection was lost while applying the change") !=
        std::string::npos);
  CHECK(opened >= 2);  // reconnected to look at the schema
  CHECK_FALSE(outcome.after);
  CHECK_FALSE(exists(dir / "out/after.json"));
  CHECK(exists(dir / "out/before.json"));
  if (runs_first) {
    CHECK(outcome.server == ServerState::kRestored);
    CHECK(events.find("undo: applied 1 of 1 statement") != std::string::npos);
  } else {
    CHECK(outcome.server == ServerState::kUnchanged);
    CHECK(events.find("the schema is unchanged, so nothing to undo") != std::string::npos);
    CHECK(events.find("undo:") == std::string::npos);
  }
  CHECK(db.schema_fingerprint() == original);
  CHECK(index_exists(db.admin(), db.name(), "works", kCategoryIndex));
}

// Runs the built binary with stdout and stderr into files; returns its pid.
pid_t spawn(const std::vector<std::string>& args, const std::string& out, const std::string& err) {
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out_fd < 0 || err_fd < 0) ::_exit(127);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

// Waits up to `limit` for the child; kills it (and fails) if it does not end.
int wait_for_exit(pid_t pid, milliseconds limit) {
  auto deadline = steady_clock::now() + limit;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      FAIL("sqlmeasure did not exit within " << limit.count() << " ms of SIGINT");
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

TEST_CASE("live compare: a real SIGINT during the after phase restores the schema, exit 2",
          "[db][live][interrupt][signal]") {
  SQLMEASURE_REQUIRE_SERVER();
  const std::string binary = sqlmeasure_binary();
  INFO("the sqlmeasure binary (build it, or set SQLMEASURE_BINARY): " << binary);
  REQUIRE(::access(binary.c_str(), X_OK) == 0);
  TestDatabase db("live_sigint");
  db.load_demo(0.01);
  TempDir dir("live-sigint");
  write_demo_schema_screens(dir / "screens");
  // A screen that takes a known minimum time, so the after phase lasts seconds (600
  // iterations in each of the 3 alternations).
  write_text(dir / "screens/slow.sql", "-- name: pause\nSELECT SLEEP(0.002);\n");
  write_drop_category_migration(dir.path());
  const std::string original = db.schema_fingerprint();

  const LiveCompareArgs compare{.database = db.name(),
                                .scenarios = dir / "screens",
                                .migration = dir / "drop_category.up.sql",
                                .rollback = dir / "drop_category.down.sql",
                                .apply_ddl = true,
                                .out_dir = dir / "out",
                                .iterations = "1800",
                                .warmup = "1"};
  pid_t pid =
      spawn(std::vector<std::string>{binary} + compare.build(), dir / "stdout", dir / "stderr");
  REQUIRE(pid > 0);
  // before-1.json is written when the first before phase ends; then the change, then the
  // after phase.
  auto deadline = steady_clock::now() + std::chrono::seconds(60);
  int status = 0;
  bool exited_early = false;
  while (!exists(dir / "out/before-1.json")) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      exited_early = true;
      break;
    }
    if (steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      FAIL("before-1.json did not appear within 60 s; stderr: " << read_text(dir / "stderr"));
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  INFO("stderr: " << read_text(dir / "stderr"));
  REQUIRE_FALSE(exited_early);
  std::this_thread::sleep_for(milliseconds(500));
  CHECK_FALSE(index_exists(db.admin(), db.name(), "works", kCategoryIndex));  // in the after phase
  REQUIRE(::kill(pid, SIGINT) == 0);
  int code = wait_for_exit(pid, milliseconds(30000));
  const std::string err = read_text(dir / "stderr");
  INFO("stderr after SIGINT: " << err);
  CHECK(code == 2);
  CHECK(err.find("schema restored") != std::string::npos);
  CHECK(err.find("the schema is as it was") != std::string::npos);
  CHECK(err.find("interrupted") != std::string::npos);
  REQUIRE(exists(dir / "out/after.json"));
  RunResult after = read_results_file(dir / "out/after.json");
  CHECK_FALSE(after.complete);
  CHECK(after.incomplete_reason.find("interrupted") != std::string::npos);
  CHECK_FALSE(exists(dir / "out/before-2.json"));
  CHECK(db.schema_fingerprint() == original);
  CHECK(index_exists(db.admin(), db.name(), "works", kCategoryIndex));
}

TEST_CASE("compare --ignore-index: IGNORED during the after phase only", "[db][live][ignore]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("live_ignore");
  db.load_demo(0.01);
  TempDir dir("live-ignore");
  write_demo_schema_screens(dir / "screens");
  const std::string original = db.schema_fingerprint();
  const std::string spec = std::string("works.") + kCategoryIndex;
  REQUIRE(index_ignored(db.admin(), db.name(), "works", kCategoryIndex) == "NO");

  SECTION("through the CLI: dependent plans change, the index is back afterwards") {
    CliResult result = run_in_process(quick_live_compare(db, dir, {.ignore_indexes = {spec}}));
    INFO("stderr: " << result.err);
    REQUIRE(result.code == 1);
    json comparison = json::parse(result.out);
    check_exit_code_matches_verdicts(result, comparison);
    check_only_work_search_flagged(comparison);
    json before = json::parse(read_text(dir / "out/before.json"));
    json after = json::parse(read_text(dir / "out/after.json"));
    CHECK(first_keys(before, "work_search") ==
          std::vector<std::string>{kCategoryIndex, kCategoryIndex});
    for (const std::string& key : first_keys(after, "work_search")) CHECK(key != kCategoryIndex);
    CHECK(first_keys(after, "mypage") == first_keys(before, "mypage"));
    CHECK(exists(dir / "out/before-4.json"));
    CHECK(result.err.find("schema restored") != std::string::npos);
  }
  SECTION("through the library: the server says IGNORED while the after phase runs") {
    std::vector<Screen> screens = load_scenarios(dir / "screens");
    std::map<std::string, std::set<std::string>> seen;  // phase -> IGNORED values
    LiveCompareOptions options;
    options.connection = server_options(db.name(), /*read_only=*/true);
    options.ignore_indexes = {spec};
    options.out_dir = dir / "out";
    options.run.settings.iterations = 6;
    options.run.settings.warmup = 1;
    options.run.on_progress = [&](const Progress& progress) {
      const std::string phase = progress.phase.substr(0, progress.phase.find(' '));  // "after-2"
      seen[phase].insert(index_ignored(db.admin(), db.name(), "works", kCategoryIndex));
    };
    LiveCompareOutcome outcome = run_live_compare(screens, options, sqlmeasure::connect);
    CHECK_FALSE(outcome.failure);
    // Alternating: IGNORED in each after phase, visible again in every before phase.
    for (const char* phase : {"before-1", "before-2", "before-3", "before-4"}) {
      INFO(phase);
      CHECK(seen[phase] == std::set<std::string>{"NO"});
    }
    for (const char* phase : {"after-1", "after-2", "after-3"}) {
      INFO(phase);
      CHECK(seen[phase] == std::set<std::string>{"YES"});
    }
    CHECK(outcome.before_phases.size() == 4);
    CHECK(outcome.after_phases.size() == 3);
    REQUIRE(outcome.before);
    CHECK(outcome.before->screens[0].view_samples().size() == 4 * 2);  // 6 iterations / 3 per phase
    CHECK(outcome.server == ServerState::kRestored);
  }
  CHECK(index_ignored(db.admin(), db.name(), "works", kCategoryIndex) == "NO");
  CHECK(db.schema_fingerprint() == original);
}

TEST_CASE("compare --migration: destructive without --rollback or --keep is refused, exit 64",
          "[db][live][usage]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("live_refused");
  db.load_demo(0.01);
  TempDir dir("live-refused");
  write_demo_schema_screens(dir / "screens");
  write_drop_category_migration(dir.path());
  const std::string original = db.schema_fingerprint();

  CliResult result =
      run_in_process(quick_live_compare(db, dir, {.migration = dir / "drop_category.up.sql"}));
  INFO("stderr: " << result.err);
  CHECK(result.code == 64);
  CHECK(result.err.find("--rollback") != std::string::npos);
  CHECK(result.err.find("--keep") != std::string::npos);
  CHECK(result.err.find("drop_category.up.sql") != std::string::npos);
  CHECK(result.out.empty());
  CHECK_FALSE(exists(dir / "out/before.json"));
  CHECK(db.schema_fingerprint() == original);
  CHECK(index_exists(db.admin(), db.name(), "works", kCategoryIndex));
}

TEST_CASE("compare --before-dsn/--after-dsn: the endpoint missing an index is flagged",
          "[db][live][endpoints]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase before_db("endpoint_a");
  TestDatabase after_db("endpoint_b");
  before_db.load_demo(0.01);
  after_db.load_demo(0.01);
  after_db.admin().execute(std::string("ALTER TABLE works DROP INDEX ") + kCategoryIndex);
  TempDir dir("endpoints");
  write_demo_schema_screens(dir / "screens");
  const std::string before_schema = before_db.schema_fingerprint();
  const std::string after_schema = after_db.schema_fingerprint();
  auto dsn = [](const TestDatabase& db) {
    return "mysql://root@localhost/" + db.name() + "?socket=" + test_socket();
  };

  LiveCompareArgs endpoints{.before_dsn = dsn(before_db),
                            .after_dsn = dsn(after_db),
                            .scenarios = dir / "screens",
                            .out_dir = dir / "out",
                            .iterations = "5",
                            .warmup = "1",
                            .format = "json"};
  CliResult result = run_in_process(endpoints.build());
  INFO("stderr: " << result.err);
  REQUIRE(result.code == 1);
  json comparison = json::parse(result.out);
  check_exit_code_matches_verdicts(result, comparison);
  check_only_work_search_flagged(comparison);

  json before = json::parse(read_text(dir / "out/before.json"));
  json after = json::parse(read_text(dir / "out/after.json"));
  CHECK(before["server"]["database"] == before_db.name());
  CHECK(after["server"]["database"] == after_db.name());
  // Drawn once, on the before endpoint, used on both.
  CHECK(screen_named(before, "mypage")["queries"][0]["params"] ==
        screen_named(after, "mypage")["queries"][0]["params"]);
  CHECK(before_db.schema_fingerprint() == before_schema);
  CHECK(after_db.schema_fingerprint() == after_schema);

  // --iterations auto on two endpoints: the same verdicts; no screen exceeds the maximum.
  endpoints.out_dir = dir / "auto";
  endpoints.iterations = "auto";
  endpoints.warmup.clear();
  CliResult adaptive = run_in_process(endpoints.build());
  INFO("stderr: " << adaptive.err);
  REQUIRE(adaptive.code == 1);
  json auto_comparison = json::parse(adaptive.out);
  check_only_work_search_flagged(auto_comparison);
  json auto_after = json::parse(read_text(dir / "auto/after.json"));
  for (const json& screen : auto_after["screens"]) {
    INFO(screen["name"]);
    CHECK(screen["samples_ns"].size() <= 200);
    // The minimum of 10, or from 3 for a screen the comparison decided (work_search).
    const bool decided = screen["sampling"]["stopped"] == "decided";
    CHECK(screen["samples_ns"].size() >= (decided ? 3U : 10U));
    CHECK(screen["sampling"]["views"] == screen["samples_ns"].size());
  }
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

TEST_CASE("live compare: rows inserted by another client meanwhile are not a schema change",
          "[db][live][safety]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("live_writer");
  db.run_script(
      "CREATE TABLE events (id INT AUTO_INCREMENT PRIMARY KEY, kind INT NOT NULL, v INT);"
      "CREATE TABLE quiet (id INT PRIMARY KEY, a INT);"
      "INSERT INTO events (kind, v) VALUES (1, 1), (2, 2), (3, 3);");
  TempDir dir("live-writer");
  dir.write("screens/events.sql", "SELECT COUNT(*) FROM events WHERE kind = 2;\n");
  dir.write("up.sql", "ALTER TABLE quiet ADD INDEX k_a (a);\n");
  dir.write("down.sql", "ALTER TABLE quiet DROP INDEX k_a;\n");
  const std::string original = db.schema_fingerprint();

  // The application keeps writing while the compare runs: AUTO_INCREMENT moves on.
  std::atomic<bool> stop{false};
  std::atomic<int> inserted{0};
  std::thread writer([&] {
    auto connection = db.connect(/*read_only=*/false);
    while (!stop) {
      connection->execute("INSERT INTO events (kind, v) VALUES (2, 7)");
      ++inserted;
      std::this_thread::sleep_for(milliseconds(2));
    }
  });
  while (inserted < 3) std::this_thread::sleep_for(milliseconds(1));
  const int inserted_before = inserted;
  CliResult result = run_in_process(quick_live_compare(
      db, dir, {.migration = dir / "up.sql", .rollback = dir / "down.sql", .alternations = "2"}));
  const int inserted_during = inserted - inserted_before;
  stop = true;
  writer.join();
  INFO("stderr: " << result.err);
  CHECK(inserted_during > 0);
  CHECK((result.code == 0 || result.code == 1));
  CHECK(result.err.find("SCHEMA NOT RESTORED") == std::string::npos);
  CHECK(result.err.find("schema restored: SHOW CREATE TABLE of all 2 tables") != std::string::npos);
  CHECK(exists(dir / "out/before-3.json"));  // both alternations ran
  CHECK(db.schema_fingerprint() == original);
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

// What the attacks below could have changed: every table's definition, the rows of the
// tables they write to, and a server variable.
struct ServerState {
  std::string schema, helps, works_titles;
  std::string max_connections;
  bool operator==(const ServerState&) const = default;
};

ServerState server_state(TestDatabase& db) {
  auto one = [&db](const std::string& sql) {
    ResultSet set = db.admin().query(sql);
    std::string text;
    for (const auto& row : set.rows) {
      for (const auto& cell : row) text += cell.value_or("NULL") + "|";
    }
    return text;
  };
  return {db.schema_fingerprint(), one("CHECKSUM TABLE helps"),
          one("SELECT COUNT(*), SUM(CRC32(title)) FROM works"),
          one("SELECT @@global.max_connections")};
}

TEST_CASE("compare --migration: what is not purely additive needs a rollback, exit 64",
          "[db][live][safety]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("live_additive");
  db.load_demo(0.01);
  TempDir dir("live-additive");
  write_demo_schema_screens(dir / "screens");
  const ServerState before = server_state(db);
  // Each ran and exited 0 with "this additive migration will stay applied" before: the first
  // deleted every row (MariaDB's ANALYZE runs the statement), the second emptied a table.
  for (const char* up : {"ANALYZE DELETE FROM helps WHERE id > 0;",
                         "CREATE OR REPLACE TABLE categories (id INT, INDEX(id));",
                         "ALTER TABLE skills ADD COLUMN z INT, ENGINE=MyISAM, CONVERT TO "
                         "CHARACTER SET ascii;"}) {
    INFO(up);
    dir.write("up.sql", std::string(up) + "\n");
    CliResult result = run_in_process(quick_live_compare(db, dir, {.migration = dir / "up.sql"}));
    INFO("stderr: " << result.err);
    CHECK((result.code == 64 || result.code == 65));
    CHECK(result.err.find("up.sql:1:1") != std::string::npos);
    CHECK(result.err.find("will stay applied") == std::string::npos);
    CHECK(server_state(db) == before);
  }
  // A purely additive one is refused too unless --keep asks for it to stay.
  dir.write("add.sql", "CREATE INDEX k_probe ON helps (id);\n");
  CliResult refused = run_in_process(
      quick_live_compare(db, dir, {.migration = dir / "add.sql", .out_dir = dir / "out-add"}));
  CHECK(refused.code == 64);
  CHECK(refused.err.find("would stay applied after the measurement") != std::string::npos);
  CHECK_FALSE(index_exists(db.admin(), db.name(), "helps", "k_probe"));
  CliResult added = run_in_process(quick_live_compare(
      db, dir, {.migration = dir / "add.sql", .out_dir = dir / "out-add-2", .extra = {"--keep"}}));
  INFO("stderr: " << added.err);
  CHECK((added.code == 0 || added.code == 1));
  CHECK(added.err.find("--keep without --rollback: the migration will stay applied") !=
        std::string::npos);
  CHECK(index_exists(db.admin(), db.name(), "helps", "k_probe"));
}

TEST_CASE(
    "compare --migration: statements outside the schema of -D are refused before "
    "anything is applied, exit 65",
    "[db][live][safety]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("live_scope");
  db.load_demo(0.01);
  TestDatabase other("live_scope_other");
  other.run_script("CREATE TABLE t (id INT PRIMARY KEY, v INT, KEY iv (v));");
  const std::string other_schema = other.schema_fingerprint();
  TempDir dir("live-scope");
  write_demo_schema_screens(dir / "screens");
  write_drop_category_migration(dir.path());  // for its down.sql: re-adds the index
  const ServerState before = server_state(db);
  const std::string drop = std::string("ALTER TABLE works DROP INDEX ") + kCategoryIndex + ";\n";
  for (const std::string& attack :
       {std::string("UPDATE works SET title = 'PWNED' WHERE id <= 100;"),
        std::string("DELETE FROM helps;"), "ALTER TABLE " + other.name() + ".t DROP INDEX iv;",
        std::string("SET GLOBAL max_connections = 7;")}) {
    INFO(attack);
    dir.write("attack.up.sql", drop + attack + "\n");
    CliResult result = run_in_process(quick_live_compare(
        db, dir, {.migration = dir / "attack.up.sql", .rollback = dir / "drop_category.down.sql"}));
    INFO("stderr: " << result.err);
    CHECK(result.code == 65);
    CHECK(result.err.find("attack.up.sql:2:1") != std::string::npos);
    CHECK(result.err.find("a migration may only change the schema") != std::string::npos);
    // Nothing was applied, not even the DROP INDEX before it.
    CHECK(server_state(db) == before);
    CHECK(index_exists(db.admin(), db.name(), "works", kCategoryIndex));
    CHECK(other.schema_fingerprint() == other_schema);
  }
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

TEST_CASE("live compare: a signal during a 20 s query stops it at once and undoes the change",
          "[db][live][interrupt][signal]") {
  SQLMEASURE_REQUIRE_SERVER();
  const int signal_number = GENERATE(SIGINT, SIGTERM, SIGHUP, SIGQUIT);
  INFO("signal " << signal_number);
  TestDatabase db("live_kill_query");
  db.run_script(
      "CREATE TABLE t (id INT PRIMARY KEY, v INT, KEY k_v (v));"
      "INSERT INTO t VALUES (1, 10), (2, 20);");
  TempDir dir("live-kill-query");
  // Quick while the index exists; 20 s once the migration has dropped it.
  dir.write("screens/slow.sql",
            "-- name: nap\nSELECT SLEEP(IF((SELECT COUNT(*) FROM information_schema.STATISTICS "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND INDEX_NAME = 'k_v') = 0, "
            "20, 0.001)) AS nap;\n");
  dir.write("up.sql", "ALTER TABLE t DROP INDEX k_v;\n");
  dir.write("down.sql", "ALTER TABLE t ADD INDEX k_v (v);\n");
  dir.write("empty.toml", "");
  Process compare(
      sqlmeasure_binary(),
      scratch_migration(
          dir, {.database = db.name(), .apply_ddl = true, .iterations = "6", .warmup = "0"})
          .build(),
      dir / "stdout", dir / "stderr");
  // Wait until the 20 s query runs: the after phase.
  bool sleeping = false;
  for (int i = 0; i < 600 && !sleeping && compare.running(); ++i) {
    std::this_thread::sleep_for(milliseconds(20));
    ResultSet found = db.admin().query(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = " + db.admin().quote(db.name()) +
        " AND INFO LIKE 'SELECT SLEEP(IF%' AND TIME >= 1");
    sleeping = !found.rows.empty();
  }
  INFO("stderr: " << read_text(dir / "stderr"));
  REQUIRE(sleeping);
  const auto signalled = steady_clock::now();
  REQUIRE(::kill(compare.pid(), signal_number) == 0);
  const int code = compare.wait(std::chrono::seconds(30));
  const double seconds = std::chrono::duration<double>(steady_clock::now() - signalled).count();
  const std::string err = read_text(dir / "stderr");
  INFO("stderr after the signal: " << err);
  CHECK(code == 2);
  CHECK(seconds < 8);  // not the 18 s the query had left
  CHECK(err.find("interrupted: undoing the change") != std::string::npos);
  CHECK(err.find("schema restored") != std::string::npos);
  CHECK(err.find("; the schema is as it was") != std::string::npos);
  CHECK(index_exists(db.admin(), db.name(), "t", "k_v"));
}

TEST_CASE("offline commands end at once on a signal: nothing to undo", "[db][interrupt][signal]") {
  SQLMEASURE_REQUIRE_SERVER();  // the real binary, as the signal tests do
  TempDir dir("check-signal");
  std::string big;
  for (int i = 0; i < 200000; ++i)
    big += "SELECT id, name FROM t WHERE a = " + std::to_string(i) + ";\n";
  dir.write("screens/big.sql", big);
  dir.write("empty.toml", "");
  Process check(sqlmeasure_binary(),
                {"check", "--config", dir / "empty.toml", "--scenarios", dir / "screens"},
                dir / "stdout", dir / "stderr");
  std::this_thread::sleep_for(milliseconds(100));
  if (!check.running()) return;  // already done: nothing left to interrupt
  const auto signalled = steady_clock::now();
  REQUIRE(::kill(check.pid(), SIGINT) == 0);
  const int code = check.wait(std::chrono::seconds(30));
  CHECK(code == 128 + SIGINT);
  CHECK(std::chrono::duration<double>(steady_clock::now() - signalled).count() < 2);
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

bool index_ignored_now(Connection& admin, const std::string& database, const std::string& index) {
  ResultSet set = admin.query(
      "SELECT IGNORED FROM information_schema.STATISTICS WHERE "
      "TABLE_SCHEMA = " +
      admin.quote(database) + " AND INDEX_NAME = " + admin.quote(index) + " LIMIT 1");
  return !set.rows.empty() && set.rows[0][0] == std::optional<std::string>("YES");
}

// Table t with index k_v; a screen whose query sleeps 10 ms on it (a phase lasts); up.sql
// drops k_v and down.sql adds it back; empty.toml: what the journal tests kill, race and damage.
void write_nap_migration(TestDatabase& db, const TempDir& dir) {
  db.run_script(
      "CREATE TABLE t (id INT PRIMARY KEY, v INT, KEY k_v (v));"
      "INSERT INTO t VALUES (1, 10), (2, 20);");
  dir.write("screens/nap.sql", "-- name: nap\nSELECT SLEEP(0.01), v FROM t WHERE v = 20;\n");
  dir.write("up.sql", "ALTER TABLE t DROP INDEX k_v;\n");
  dir.write("down.sql", "ALTER TABLE t ADD INDEX k_v (v);\n");
  dir.write("empty.toml", "");
}

TEST_CASE("live compare killed outright: the next command refuses, recover puts it back",
          "[db][live][journal]") {
  SQLMEASURE_REQUIRE_SERVER();
  const bool ignore_index = GENERATE(false, true);
  INFO((ignore_index ? "--ignore-index" : "--migration"));
  TestDatabase db("live_killed");
  TempDir dir("live-killed");
  write_nap_migration(db, dir);
  const std::string original = db.schema_fingerprint();
  LiveCompareArgs args = scratch_migration(
      dir, {.database = db.name(), .apply_ddl = true, .iterations = "3000", .warmup = "0"});
  if (ignore_index) {  // the index made IGNORED instead of the migration
    args.migration.clear();
    args.rollback.clear();
    args.apply_ddl = false;
    args.ignore_indexes = {"t.k_v"};
  }
  Process compare(sqlmeasure_binary(), args.build(), dir / "stdout", dir / "stderr");
  auto changed = [&] {
    return ignore_index ? index_ignored_now(db.admin(), db.name(), "k_v")
                        : !index_exists(db.admin(), db.name(), "t", "k_v");
  };
  for (int i = 0; i < 1000 && !changed() && compare.running(); ++i) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  REQUIRE(changed());
  ::kill(compare.pid(), SIGKILL);  // nothing can run: no undo, no message
  compare.wait(std::chrono::seconds(10));
  const std::string err = read_text(dir / "stderr");
  INFO("stderr of the killed run: " << err);
  const std::string journal = journal_path_in(err);
  REQUIRE_FALSE(journal.empty());  // printed before the first change
  CHECK(exists(dir / "out/journal.json"));
  REQUIRE(changed());

  // Every command that would measure that server now stops, and says how to put it back.
  for (const std::string command : {"run", "explain", "indexes"}) {
    std::vector<std::string> run_args = {command, "--config", dir / "empty.toml", "--scenarios",
                                         dir / "screens"};
    if (command == "run") run_args.insert(run_args.end(), {"-o", dir / "run.json"});
    CliResult refused = run_in_process(run_args + connection_args(db.name()));
    INFO(command << " stderr: " << refused.err);
    CHECK(refused.code == 2);
    CHECK(refused.err.find("sqlmeasure recover --journal " + journal) != std::string::npos);
  }
  args.out_dir = dir / "out-again";
  CliResult again = run_in_process(args.build());
  CHECK(again.code == 2);
  CHECK(again.err.find("may still be applied") != std::string::npos);

  CliResult recovered = run_in_process(std::vector<std::string>{"recover", "--journal", journal} +
                                       std::vector<std::string>{"-S", test_socket(), "-u", "root"});
  INFO("recover stderr: " << recovered.err);
  CHECK(recovered.code == 0);
  CHECK(recovered.out == "recovered: the schema is as it was\n");
  CHECK_FALSE(changed());
  CHECK(db.schema_fingerprint() == original);
  CHECK_FALSE(read_journal(journal).open);
  CHECK_FALSE(read_journal(dir / "out/journal.json").open);

  std::vector<std::string> run_args = {"run",
                                       "--config",
                                       dir / "empty.toml",
                                       "--scenarios",
                                       dir / "screens",
                                       "-o",
                                       dir / "run.json",
                                       "--iterations",
                                       "2"};
  CHECK(run_in_process(run_args + connection_args(db.name())).code == 0);
}

std::string grants_of(Connection& admin, const std::string& user) {
  std::string grants;
  for (const auto& row : admin.query("SHOW GRANTS FOR " + user).rows) {
    grants += row[0].value_or("") + "\n";
  }
  return grants;
}

TEST_CASE("recover: DML, DROP DATABASE and GRANT in an edited journal never reach the server",
          "[db][live][journal]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("journal_hostile");
  TestDatabase other("journal_other");
  db.run_script(
      "CREATE TABLE t (id INT PRIMARY KEY, v INT, KEY k_v (v));"
      "INSERT INTO t VALUES (1, 10), (2, 20);");
  other.run_script("CREATE TABLE keep (id INT PRIMARY KEY); INSERT INTO keep VALUES (1);");
  const std::string user = "'sqlm_journal_x'@'localhost'";
  db.admin().execute("CREATE USER IF NOT EXISTS " + user);
  const std::string grants_before = grants_of(db.admin(), user);
  const std::string original = db.schema_fingerprint();

  // What a compare killed with its migration applied leaves: the index dropped, and a journal
  // whose undo adds it back — edited to do more.
  Journal journal;
  journal.pid = 0;
  journal.machine = this_machine();
  journal.server = read_server_identity(db.admin());
  journal.endpoint = test_socket();
  journal.database = db.name();
  journal.change = "migration up.sql";
  journal.snapshot = schema_snapshot(db.admin(), db.name());
  journal.apply = {{"ALTER TABLE t DROP INDEX k_v", "", {"up.sql", 1, 1}}};
  const std::vector<std::string> hostiles = {"DELETE FROM t",
                                             "DROP DATABASE `" + other.name() + "`",
                                             "GRANT ALL ON *.* TO " + user + " WITH GRANT OPTION",
                                             "INSERT INTO `" + other.name() + "`.keep VALUES (2)"};
  const std::string hostile = hostiles.at(GENERATE(range<std::size_t>(0, 4)));
  INFO(hostile);
  journal.undo = {{hostile, "", {"down.sql", 1, 1}},
                  {"ALTER TABLE t ADD INDEX k_v (v)", "", {"down.sql", 2, 1}}};
  const std::string path = journal_path(journal.server, db.name());
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  write_journal(journal, path);
  db.admin().execute("ALTER TABLE t DROP INDEX k_v");

  const CliResult refused =
      run_in_process({"recover", "--journal", path, "-S", test_socket(), "-u", "root"});
  INFO("recover stderr: " << refused.err);
  CHECK(refused.code == 65);
  CHECK(refused.err.find(path + ": undo statement 1 (") != std::string::npos);
  CHECK(refused.err.find("recover ran nothing") != std::string::npos);
  // The server as it was: rows, the other database, the user's grants, the index still gone.
  CHECK(db.admin().query("SELECT COUNT(*) FROM t").rows[0][0] == std::optional<std::string>("2"));
  CHECK(db.admin().query("SELECT COUNT(*) FROM `" + other.name() + "`.keep").rows[0][0] ==
        std::optional<std::string>("1"));
  CHECK(grants_of(db.admin(), user) == grants_before);
  CHECK_FALSE(index_exists(db.admin(), db.name(), "t", "k_v"));
  CHECK(read_journal(path).open);

  // The journal as sqlmeasure wrote it: recover puts the index back.
  journal.undo.erase(journal.undo.begin());
  write_journal(journal, path);
  const CliResult recovered =
      run_in_process({"recover", "--journal", path, "-S", test_socket(), "-u", "root"});
  INFO("recover stderr: " << recovered.err);
  CHECK(recovered.code == 0);
  CHECK(db.schema_fingerprint() == original);
  db.admin().execute("DROP USER " + user);
}

TEST_CASE("a live compare still running: recover and the other commands wait for it",
          "[db][live][journal]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("journal_running");
  TempDir dir("journal-running");
  write_nap_migration(db, dir);
  const std::string original = db.schema_fingerprint();
  LiveCompareArgs args = scratch_migration(dir, {.database = db.name(),
                                                 .apply_ddl = true,
                                                 .iterations = "300",
                                                 .warmup = "0",
                                                 .alternations = "2"});
  Process compare(sqlmeasure_binary(), args.build(), dir / "stdout", dir / "stderr");
  for (int i = 0; i < 1000 && index_exists(db.admin(), db.name(), "t", "k_v") && compare.running();
       ++i) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  REQUIRE_FALSE(index_exists(db.admin(), db.name(), "t", "k_v"));  // applied, and measuring
  const std::string journal = journal_path_in(read_text(dir / "stderr"));
  REQUIRE_FALSE(journal.empty());

  const CliResult recover =
      run_in_process({"recover", "--journal", journal, "-S", test_socket(), "-u", "root"});
  INFO("recover stderr: " << recover.err);
  CHECK(recover.code == 2);
  CHECK(recover.err.find(fmt::format("a live compare (pid {}, started ", compare.pid())) !=
        std::string::npos);
  CHECK(recover.err.find("is still running with this journal") != std::string::npos);
  CHECK_FALSE(index_exists(db.admin(), db.name(), "t", "k_v"));  // not undone under it
  CHECK(read_journal(journal).open);

  std::vector<std::string> run_args = {"run",           "--config",      dir / "empty.toml",
                                       "--scenarios",   dir / "screens", "-o",
                                       dir / "run.json"};
  const CliResult run = run_in_process(run_args + connection_args(db.name()));
  INFO("run stderr: " << run.err);
  CHECK(run.code == 2);
  CHECK(run.err.find(fmt::format("a live compare (pid {}", compare.pid())) != std::string::npos);
  CHECK(run.err.find("wait for it to finish") != std::string::npos);
  CHECK(run.err.find("sqlmeasure recover") == std::string::npos);

  const int code = compare.wait(std::chrono::seconds(120));
  INFO("compare stderr: " << read_text(dir / "stderr"));
  CHECK((code == 0 || code == 1));
  CHECK(db.schema_fingerprint() == original);
  CHECK_FALSE(read_journal(journal).open);
}

TEST_CASE("a damaged journal after kill -9: every command refuses; recover shows what it can",
          "[db][live][journal]") {
  SQLMEASURE_REQUIRE_SERVER();
  TestDatabase db("journal_damaged");
  TempDir dir("journal-damaged");
  write_nap_migration(db, dir);
  const std::string original = db.schema_fingerprint();
  LiveCompareArgs args = {.database = db.name(),
                          .config = dir / "empty.toml",
                          .scenarios = dir / "screens",
                          .ignore_indexes = {"t.k_v"},
                          .out_dir = dir / "out",
                          .iterations = "3000",
                          .warmup = "0"};
  Process compare(sqlmeasure_binary(), args.build(), dir / "stdout", dir / "stderr");
  for (int i = 0; i < 1000 && !index_ignored_now(db.admin(), db.name(), "k_v") && compare.running();
       ++i) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  REQUIRE(index_ignored_now(db.admin(), db.name(), "k_v"));
  ::kill(compare.pid(), SIGKILL);
  compare.wait(std::chrono::seconds(10));
  const std::string journal = journal_path_in(read_text(dir / "stderr"));
  REQUIRE_FALSE(journal.empty());
  const std::string damage =
      GENERATE(as<std::string>{}, "", "{\"format\": \"sqlmeasure-journal\", \"ver");
  write_text(journal, damage);  // emptied or cut short, as a crash or a full disk leaves it

  std::vector<std::string> run_args = {"run",
                                       "--config",
                                       dir / "empty.toml",
                                       "--scenarios",
                                       dir / "screens",
                                       "-o",
                                       dir / "run.json",
                                       "--iterations",
                                       "2"};
  const CliResult run = run_in_process(run_args + connection_args(db.name()));
  INFO("run stderr: " << run.err);
  CHECK(run.code == 2);
  CHECK(run.err.find(journal + " is damaged (") != std::string::npos);
  CHECK_FALSE(exists(dir / "run.json"));

  const std::vector<std::string> recover = {"recover", "--journal", journal};
  const CliResult shown = run_in_process(recover + connection_args(db.name()));
  INFO("recover stderr: " << shown.err);
  CHECK(shown.code == 2);
  CHECK(shown.err.find("hidden from the optimizer (a killed compare --ignore-index leaves "
                       "these): t.k_v") != std::string::npos);
  CHECK(index_ignored_now(db.admin(), db.name(), "k_v"));  // nothing guessed

  db.admin().execute("ALTER TABLE t ALTER INDEX k_v NOT IGNORED");  // the user's own fix
  const CliResult forgotten =
      run_in_process(recover + connection_args(db.name()) + std::vector<std::string>{"--forget"});
  INFO("forget stderr: " << forgotten.err);
  CHECK(forgotten.code == 0);
  CHECK(db.schema_fingerprint() == original);
  CHECK(run_in_process(run_args + connection_args(db.name())).code == 0);
}

}  // namespace
}  // namespace sqlmeasure::testing
