// The log shapes capture reads (docs/capture.md, "Servers and log shapes"): one sample of each,
// written by hand from the servers' sql/log.cc and Percona Server's documentation, kept as the
// golden cases tests/cli/capture-log-*/ (which show capture's summary of each) and read here
// event by event. tests/capture/pt-agreement runs pt-query-digest on the same files.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "capture/log_time.h"
#include "sqlmeasure/capture.h"
#include "sqlmeasure/error.h"
#include "support/log_events.h"
#include "support/temp_dir.h"

using namespace sqlmeasure;
using sqlmeasure::testing::capture;
using sqlmeasure::testing::commands;
using sqlmeasure::testing::threads;

namespace {

constexpr std::int64_t kSecond = 1'000'000;

struct Sample {
  LogReadSummary summary;
  std::vector<LogEvent> events;
};

Sample read_sample(const std::string& golden_case, const std::string& file) {
  Sample sample;
  sample.summary =
      read_log(std::string(SQLMEASURE_SOURCE_DIR) + "/tests/cli/" + golden_case + "/" + file,
               LogFormat::kAuto, [&](LogEvent&& event) { sample.events.push_back(event); });
  return sample;
}

std::int64_t at(int year, unsigned month, unsigned day, int hour, int minute, int second) {
  return epoch_seconds(year, month, day, hour, minute, second) * kSecond;
}

}  // namespace

// ================================================================ general logs

TEST_CASE("log shape: MySQL 4.1/5.0 general log, commands padded with spaces", "[unit][capture]") {
  const Sample sample = read_sample("capture-log-mysql50-general", "mysql-5.0-general.log");
  CHECK(sample.summary.format == LogFormat::kMySqlGeneral);  // the header names mysqld
  CHECK(commands(sample.events) == std::vector<std::string>{"Connect", "Query", "Query", "Connect",
                                                            "Query", "Init DB", "Field List",
                                                            "Query", "Query", "Change user",
                                                            "Query", "Query", "Quit", "Quit"});
  CHECK(threads(sample.events) ==
        std::vector<std::uint64_t>{1, 1, 1, 2, 2, 1, 1, 1, 2, 2, 2, 1, 1, 2});
  CHECK(sample.events[0].text == "shop@localhost on shop");
  CHECK(sample.events[0].time_us == at(2009, 1, 20, 9, 5, 7));  // " 9:05:07", padded
  // A statement over several lines, its continuation lines indented with tabs and spaces.
  CHECK(sample.events[2].text ==
        "SELECT id, name\n\t  FROM products\n\t  WHERE category_id = 3\n\t  ORDER BY name");
  CHECK(sample.events[2].time_us == at(2009, 1, 20, 9, 5, 12));
  CHECK(sample.events[4].time_us == at(2009, 1, 20, 9, 5, 12));  // "\t\t": the second before
  CHECK(sample.events[5].text == "shop");
  CHECK(sample.events[6].text == "products ");
  CHECK(sample.events[13].text.empty());  // "Quit       ": the padding is not an argument
}

TEST_CASE("log shape: MySQL 5.1-5.6 and Aurora MySQL 5.6 general log", "[unit][capture]") {
  const Sample sample = read_sample("capture-log-mysql56-general", "aurora-5.6-general.log");
  CHECK(sample.summary.format == LogFormat::kMySqlGeneral);
  CHECK(commands(sample.events) == std::vector<std::string>{"Connect", "Query", "Query", "Connect",
                                                            "Prepare", "Execute", "Execute",
                                                            "Close stmt", "Query", "Init DB",
                                                            "Query", "Quit", "Quit"});
  CHECK(sample.events[2].text ==
        "SELECT o.id, o.total\n\t    FROM orders o\n  \t  WHERE o.customer_id = 17\n\t    "
        "ORDER BY o.created_at DESC LIMIT 20");
  CHECK(sample.events[5].text == "SELECT name FROM customers WHERE id = 17");
  CHECK(sample.events[7].text.empty());
  CHECK(sample.events[10].time_us == at(2018, 6, 1, 1, 2, 5));
}

TEST_CASE("log shape: MySQL 5.7/8.0 general log with its tabs expanded to spaces",
          "[unit][capture]") {
  const Sample sample = read_sample("capture-log-mysql57-general-spaces", "mysql-5.7-general.log");
  CHECK(sample.summary.format == LogFormat::kMySqlGeneral);
  CHECK(commands(sample.events) == std::vector<std::string>{"Connect", "Query", "Query", "Query",
                                                            "Query", "Query", "Reset Connection",
                                                            "Quit"});
  CHECK(threads(sample.events) == std::vector<std::uint64_t>{31, 31, 31, 32, 31, 32, 31, 31});
  CHECK(sample.events[0].text == "app@web1 on shop using TCP/IP");
  CHECK(sample.events[0].time_us == at(2023, 11, 2, 8, 15, 0) + 104'522);
  CHECK(sample.events[2].text ==
        "SELECT c.id, c.name\n    FROM categories c\n    WHERE c.parent_id = 4");
  CHECK(sample.events[5].text == "SELECT * FROM products WHERE category_id IN (9)");
  CHECK(sample.events[6].text.empty());
}

TEST_CASE("log shape: MariaDB 10.x/11.x general log, prepared statements and sessions",
          "[unit][capture]") {
  const Sample sample = read_sample("capture-log-mariadb11-general", "mariadb-11.4-general.log");
  CHECK(sample.summary.format == LogFormat::kMariaDbGeneral);
  CHECK(commands(sample.events) ==
        std::vector<std::string>{"Connect", "Query", "Prepare", "Execute", "Close stmt", "Connect",
                                 "Query", "Init DB", "Field List", "Query", "Change user", "Query",
                                 "Quit", "Quit"});
  CHECK(sample.events[3].text == "SELECT name FROM customers WHERE email = 'a@example.com'");
  CHECK(sample.events[7].text == "shop_archive");
  CHECK(sample.events[10].text == "report@localhost on shop");
  CHECK(sample.events[13].time_us == at(2024, 6, 12, 14, 3, 12));
}

// ================================================================ slow logs

TEST_CASE("log shape: MySQL 5.0/5.1 slow log, whole seconds, no Id", "[unit][capture]") {
  const Sample sample = read_sample("capture-log-mysql51-slow", "mysql-5.1-slow.log");
  CHECK(sample.summary.format == LogFormat::kMySqlSlow);  // the header names mysqld
  REQUIRE(sample.events.size() == 4);
  CHECK(commands(sample.events) == std::vector<std::string>{"Query", "Query", "Quit", "Query"});
  CHECK(sample.events[0].text ==
        "SELECT * FROM orders WHERE status = 'open' ORDER BY created_at DESC LIMIT 20");
  CHECK(sample.events[0].database == "shop");
  CHECK(sample.events[1].database == "shop");  // `use` only when it changes
  CHECK(sample.events[1].time_us == 1'409'309'430 * kSecond);
  CHECK(sample.events[3].database == "reports");
  CHECK(sample.events[3].text ==
        "SELECT customer_id, SUM(total)\n  FROM orders\n  GROUP BY customer_id");
}

TEST_CASE("log shape: MySQL 5.6 and Aurora MySQL 5.6 slow log", "[unit][capture]") {
  const Sample sample = read_sample("capture-log-aurora56-slow", "aurora-5.6-slow.log");
  CHECK(sample.summary.format == LogFormat::kMySqlSlow);
  REQUIRE(sample.events.size() == 4);
  CHECK(threads(sample.events) == std::vector<std::uint64_t>{12, 13, 13, 12});
  CHECK(sample.events[2].text == "SELECT COUNT(*) FROM order_items WHERE sku LIKE '%-RED'");
  CHECK(sample.events[2].time_us == 1'527'814'927 * kSecond);
  CHECK(sample.events[3].database == "shop");
}

TEST_CASE("log shape: Percona Server slow log with log_slow_verbosity=full", "[unit][capture]") {
  const Sample sample = read_sample("capture-log-percona57-slow", "percona-5.7-slow.log");
  CHECK(sample.summary.format == LogFormat::kMySqlSlow);
  REQUIRE(sample.events.size() == 3);
  CHECK(threads(sample.events) == std::vector<std::uint64_t>{881, 882, 881});
  // # Schema: gives the database; the extended lines are headers, not statement text.
  for (const LogEvent& event : sample.events) CHECK(event.database == "shop");
  CHECK(sample.events[0].text ==
        "SELECT category_id, COUNT(*) FROM products WHERE price > 100 GROUP BY category_id");
  CHECK(sample.events[0].time_us == at(2020, 7, 14, 9, 31, 27) + 511'870);
  CHECK(sample.events[2].text == "UPDATE carts SET updated_at = NOW() WHERE id = 5512");
}

TEST_CASE("log shape: slow log entries without # Time or # User@Host", "[unit][capture]") {
  // Each entry starts at a # line after the statement before: # Thread_id, # User, # Client.
  const Sample sample = read_sample("capture-log-headerless-slow", "headerless-slow.log");
  CHECK(sample.summary.format == LogFormat::kMariaDbSlow);
  REQUIRE(sample.events.size() == 4);
  CHECK(threads(sample.events) == std::vector<std::uint64_t>{1, 2, 2, 3});
  CHECK(sample.events[0].text == "SELECT 1 FROM foo");
  CHECK(sample.events[1].text == "SELECT * FROM foo");
  CHECK(sample.events[2].text == "SELECT * FROM foo");
  CHECK(sample.events[0].database == "db1");
  // "Schema:   QC_hit: No": no database selected; the one before stands.
  CHECK(sample.events[3].database == "db1");
  CHECK(sample.events[3].text == "SELECT b FROM bar WHERE a = 12");

  // A plain read is a read: none is left out.
  CaptureOptions by_query;
  by_query.group_by = CaptureOptions::GroupBy::kQuery;
  const CaptureResult result = capture(sample.events, by_query);
  CHECK(result.skipped.empty());
  CHECK(result.screens.size() == 3);
}

TEST_CASE("log shape: a slow log that starts in the middle of an entry", "[unit][capture]") {
  const Sample sample = read_sample("capture-log-rotated-slow", "rotated-slow.log");
  CHECK(sample.summary.format == LogFormat::kMariaDbSlow);
  CHECK(sample.summary.cut_lines == 2);  // said, not read as a statement "WHERE ..."
  REQUIRE(sample.events.size() == 1);
  CHECK(sample.events[0].thread == 40);
  CHECK(sample.events[0].database == "shop");
}

TEST_CASE("log shape: a slow log of one entry", "[unit][capture]") {
  const Sample sample = read_sample("capture-log-one-entry-slow", "one-entry-slow.log");
  CHECK(sample.summary.format == LogFormat::kMySqlSlow);
  REQUIRE(sample.events.size() == 1);
  CHECK(sample.events[0].text == "SELECT COUNT(*) FROM events WHERE kind = 'click'");
  CHECK(sample.events[0].time_us == 1'700'000'000 * kSecond);
}

// ================================================================ telling the format

TEST_CASE("log detection: past a long cut statement; a refusal names the line and the format",
          "[unit][capture]") {
  const sqlmeasure::testing::TempDir dir("shapes");
  // A general log cut in a statement of 300 lines: detected at its first event.
  std::string cut;
  for (int i = 0; i < 300; ++i) cut += "  OR id = " + std::to_string(i) + "\n";
  const std::string general =
      dir.write("general.log",
                cut + "240612 14:03:11\t     7 Query\tSELECT name FROM products WHERE id = 5\n");
  std::vector<LogEvent> events;
  const LogReadSummary read =
      read_log(general, LogFormat::kAuto, [&](LogEvent&& event) { events.push_back(event); });
  CHECK(read.format == LogFormat::kMariaDbGeneral);
  CHECK(read.cut_lines == 300);
  REQUIRE(events.size() == 1);

  // Not a log: the first line that is neither a header nor an event, and the format to name.
  const std::string notes = dir.write("notes.txt", "Tcp port: 3306  Unix socket: x\nhello\n");
  try {
    (void)read_log(notes, LogFormat::kAuto, [](LogEvent&&) {});
    FAIL("no error");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::kBadInput);
    CHECK_THAT(error.what(),
               Catch::Contains(notes + ":2: not a MariaDB or MySQL general or slow log") &&
                   Catch::Contains("line 2 is neither an event nor a header: \"hello\"") &&
                   Catch::Contains("--input-format mariadb-general"));
  }
  // Lines starting with "# ": the slow log's formats are the ones to try.
  const std::string commented = dir.write("commented.log", "# Tables: 3\n# Done\n");
  CHECK_THROWS_WITH(read_log(commented, LogFormat::kAuto, [](LogEvent&&) {}),
                    Catch::Contains("--input-format mysql-slow"));
}
