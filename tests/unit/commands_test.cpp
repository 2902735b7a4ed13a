// Commands end to end, in-process, against a scripted fake server: exit codes and the session
// each command asks for. The golden cases (tests/cli/) pin the exact output.
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "support/cli_runner.h"
#include "support/fake_connection.h"
#include "support/temp_dir.h"
#include "support/text_checks.h"

namespace sqlmeasure::testing {
namespace {

// Records how each connection was asked for, and hands out fakes scripted by `script`.
struct FakeServer {
  std::vector<ConnectionOptions> opened;
  std::function<void(FakeConnection&)> script;
  CallLog log;

  Connector connector() {
    return [this](const ConnectionOptions& options) -> std::unique_ptr<Connection> {
      opened.push_back(options);
      auto fake = std::make_unique<FakeConnection>("fake", &log);
      if (script) script(*fake);
      return fake;
    };
  }
};

TEST_CASE("explain: queries that fail exit 2, as in run", "[unit][cli]") {
  TempDir dir("explain");
  dir.write("screens/s.sql", "SELECT broken FROM t;\nSELECT 1;\n");
  FakeServer server;
  server.script = [](FakeConnection& fake) {
    fake.on("SELECT broken FROM t").fails(Failure::Kind::kError);
    fake.on("SELECT 1").rows(1, 0).explains_as({plan_row("", "", "")});
  };
  const CliResult result =
      run_in_process({"explain", "--scenarios", dir / "screens"}, nullptr, server.connector());
  INFO("stderr: " << result.err);
  CHECK(result.code == 2);
  CHECK(contains(result.err, "1 query failed (see the errors above)"));
  CHECK(contains(result.out, "error: [1146]"));
}

TEST_CASE("explain --allow-writes: a writable session, the write rolled back", "[unit][cli]") {
  TempDir dir("explain-writes");
  dir.write("screens/w.sql", "INSERT INTO t VALUES (1);\n");
  FakeServer server;
  server.script = [](FakeConnection& fake) {
    fake.on("INSERT INTO t VALUES (1)").rows(0, 1);
    fake.on("START TRANSACTION");
    fake.on("ROLLBACK");
    ResultSet no_warnings;
    no_warnings.columns = {"Level", "Code", "Message"};
    fake.on("SHOW WARNINGS").returns(no_warnings);
  };
  const CliResult result = run_in_process(
      {"explain", "--scenarios", dir / "screens", "--allow-writes"}, nullptr, server.connector());
  INFO("stderr: " << result.err);
  CHECK(result.code == 0);
  REQUIRE(server.opened.size() == 1);
  CHECK_FALSE(server.opened[0].read_only);
  std::vector<std::string> executed;
  for (const Call& call : server.log) {
    if (call.kind == Call::Kind::kExecute) executed.push_back(call.sql);
  }
  CHECK(executed == std::vector<std::string>{"START TRANSACTION", "ROLLBACK"});

  SECTION("without the flag the session stays read-only and the scenario is refused") {
    const CliResult refused =
        run_in_process({"explain", "--scenarios", dir / "screens"}, nullptr, server.connector());
    CHECK(refused.code == 65);
  }
}

TEST_CASE("flags are validated before anything connects", "[unit][cli]") {
  TempDir dir("validate");
  dir.write("screens/s.sql", "SELECT 1;\n");
  FakeServer server;
  const auto refused = [&](const std::vector<std::string>& args, const std::string& message) {
    const CliResult result = run_in_process(args, nullptr, server.connector());
    INFO("stderr: " << result.err);
    CHECK(result.code == 64);
    CHECK(contains(result.err, message));
    CHECK(server.opened.empty());
    CHECK_FALSE(exists(dir / "out"));
  };
  refused({"run", "--scenarios", dir / "screens", "--iterations", "auto", "--concurrency", "2"},
          "--iterations auto cannot be combined with --concurrency above 1");
  refused({"compare", "--migration", dir / "up.sql", "--rollback", dir / "down.sql", "--scenarios",
           dir / "screens", "--concurrency", "2", "--out-dir", dir / "out"},
          "--concurrency does not apply to a live compare with --migration");
  refused({"compare", "--ignore-index", "t.i", "--rollback", dir / "down.sql"},
          "--rollback and --keep go with --migration");
  refused({"compare", "--before-dsn", "mysql://a@h/d", "--after-dsn", "mysql://b@h/d", "--dsn",
           "mysql://c@h/d", "--scenarios", dir / "screens"},
          "--dsn does not apply to a compare of two endpoints");
  refused({"compare", "a.json", "b.json", "--screens", "top"},
          "--screens does not apply to an offline compare of two results files");
  // An out-dir that is a file, or holds an older run's files, would mix results.
  dir.write("up.sql", "CREATE INDEX i ON t (a);\n");
  dir.write("a-file", "x");
  dir.write("used/before-1.json", "{}");
  refused({"compare", "--migration", dir / "up.sql", "--scenarios", dir / "screens", "--out-dir",
           dir / "a-file"},
          "a-file: not a directory");
  refused({"compare", "--migration", dir / "up.sql", "--scenarios", dir / "screens", "--out-dir",
           dir / "used"},
          "used: already holds files (before-1.json): give a new or empty directory");
  refused({"run", "--scenarios", dir / "screens", "-o", dir / "missing/r.json"}, "does not exist");
}

}  // namespace
}  // namespace sqlmeasure::testing
