// Recorded and replayed connections (support/recorded_connection.h): what a real connection
// answered comes back from the recording, through its JSON, call for call.
#include "support/recorded_connection.h"

#include <catch2/catch.hpp>
#include <memory>
#include <stdexcept>
#include <string>

#include "sqlmeasure/error.h"
#include "support/fake_connection.h"

using namespace sqlmeasure;
using namespace sqlmeasure::testing;

namespace {

// Says where it is in its errors, as the real driver does ("socket /path: [1054] ...").
class EndpointInErrors final : public Connection {
 public:
  EndpointInErrors() { server_.endpoint = "socket /home/someone/mysqld.sock"; }
  [[nodiscard]] const ServerInfo& server() const override { return server_; }
  Execution execute_timed(std::string_view sql, bool) override { fail(sql); }
  ResultSet query(std::string_view sql) override { fail(sql); }
  void execute(std::string_view sql) override { fail(sql); }
  [[nodiscard]] std::string quote(std::string_view text) override { return quote_offline(text); }

 private:
  [[noreturn]] void fail(std::string_view sql) const {
    throw DatabaseError(server_.endpoint +
                            ": [1054] (42S22) Unknown column 'nope' in 'field "
                            "list'\n  while running: " +
                            std::string(sql),
                        1054, "42S22", false, false);
  }
  ServerInfo server_;
};

// Replays `recording` after a trip through its JSON, as a golden case reads server.json.
Replay replay_of(const Recording& recording) {
  return Replay(recording_from_json(recording_to_json(recording), "test"));
}

}  // namespace

TEST_CASE("a replay answers what the recorded connection answered, call for call", "[unit]") {
  Recorder recorder;
  auto fake = std::make_unique<FakeConnection>("real");
  fake->on("SELECT v FROM t").elapsed({1000, 2000, 3000}).rows(2, 2).sum(0xabcdef);
  fake->on("SELECT a, b FROM t")
      .returns(ResultSet{{"a", "b"}, {true, false}, {{"1", std::nullopt}, {std::nullopt, "x"}}});
  fake->on("SET SESSION x = 1");
  fake->on("SELECT broken").fails(Failure::Kind::kError);
  Connection* real = fake.get();
  std::unique_ptr<Connection> owned = std::move(fake);
  std::unique_ptr<Connection> recording = recorder.connector(
      [&owned](const ConnectionOptions&) { return std::move(owned); })(ConnectionOptions{});
  CHECK(recording->server().endpoint == "127.0.0.1:3306");
  CHECK(recording->server().version == real->server().version);

  for (int i = 0; i < 3; ++i) (void)recording->execute_timed("SELECT v FROM t", true);
  const ResultSet result = recording->query("SELECT a, b FROM t");
  recording->execute("SET SESSION x = 1");
  CHECK_THROWS_AS(recording->query("SELECT broken"), DatabaseError);

  Replay replay = replay_of(recorder.recording());
  std::unique_ptr<Connection> replayed = replay.connector()(ConnectionOptions{});
  CHECK(replayed->server().endpoint == "127.0.0.1:3306");
  CHECK(replayed->server().database == real->server().database);
  SECTION("the k-th call of a text gets the k-th answer, the last one after that") {
    std::vector<std::int64_t> elapsed;
    for (int i = 0; i < 5; ++i) {
      elapsed.push_back(replayed->execute_timed("SELECT v FROM t", true).elapsed_ns);
    }
    CHECK(elapsed == std::vector<std::int64_t>{1000, 2000, 3000, 3000, 3000});
    const Execution execution = replayed->execute_timed("SELECT v FROM t", true);
    CHECK(execution.rows_sent == 2);
    CHECK(execution.checksum == 0xabcdef);
  }
  SECTION("result sets come back with their columns, numeric flags and NULLs") {
    const ResultSet again = replayed->query("SELECT a, b FROM t");
    CHECK(again.columns == result.columns);
    CHECK(again.numeric == result.numeric);
    CHECK(again.rows == result.rows);
    replayed->execute("SET SESSION x = 1");
  }
  SECTION("errors come back with their errno, SQLSTATE and message") {
    try {
      (void)replayed->query("SELECT broken");
      FAIL("no error");
    } catch (const DatabaseError& error) {
      CHECK(error.error_number() == 1146);
      CHECK(error.sqlstate() == "42S02");
      CHECK(std::string(error.what()) == "[1146] Table 'fake.missing' doesn't exist");
      CHECK_FALSE(error.connection_lost());
    }
  }
  SECTION("a call never recorded is a logic error naming it, and is kept aside") {
    CHECK_THROWS_WITH(replayed->query("SELECT nothing"), Catch::Contains("query: SELECT nothing"));
    // Recorded as a query, not as a timed execution: another call.
    CHECK_THROWS_AS(replayed->execute_timed("SELECT a, b FROM t", false), std::logic_error);
    CHECK(replay.unrecorded() ==
          std::vector<std::string>{"query: SELECT nothing", "execute_timed: SELECT a, b FROM t"});
  }
}

TEST_CASE("a recording names no machine path: the endpoint is normalised in errors too", "[unit]") {
  Recorder recorder;
  std::unique_ptr<Connection> recording = recorder.connector([](const ConnectionOptions&) {
    return std::make_unique<EndpointInErrors>();
  })(ConnectionOptions{});
  std::string seen;
  try {
    recording->execute("SELECT nope FROM t");
  } catch (const DatabaseError& error) {
    seen = error.what();
  }
  // The recorded run prints what the replay will: the same normalised text.
  CHECK(seen ==
        "127.0.0.1:3306: [1054] (42S22) Unknown column 'nope' in 'field list'\n"
        "  while running: SELECT nope FROM t");
  const std::string json = recording_to_json(recorder.recording());
  CHECK(json.find("/home/someone") == std::string::npos);

  Replay replay = replay_of(recorder.recording());
  CHECK_THROWS_WITH(replay.connector()(ConnectionOptions{})->execute("SELECT nope FROM t"), seen);
}

TEST_CASE("every connection of a replay gets the server its recorded twin had", "[unit]") {
  Recording recording;
  recording.servers.resize(2);
  recording.servers[0].database = "";  // e.g. indexes connects without -D first
  recording.servers[1].database = "app";
  Replay replay = replay_of(recording);
  CHECK(replay.connector()(ConnectionOptions{})->server().database == "");
  CHECK(replay.connector()(ConnectionOptions{})->server().database == "app");
  CHECK(replay.connector()(ConnectionOptions{})->server().database == "app");  // the last again
}
