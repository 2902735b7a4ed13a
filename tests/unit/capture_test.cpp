// `sqlmeasure capture`: reading the general and slow logs of MariaDB and MySQL into events,
// statements into templates, query tags, events into screens, and screens into scenario files
// the loader reads back unchanged. Every log below is written by hand for these tests.
#include "sqlmeasure/capture.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "capture/query_tags.h"
#include "capture/statement_skeleton.h"
#include "capture/statement_template.h"
#include "capture/text_hash.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/scenario.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/scenario_writer.h"
#include "sqlmeasure/sql_guard.h"
#include "sqlmeasure/sql_statements.h"
#include "support/cli_runner.h"
#include "support/log_events.h"
#include "support/temp_dir.h"

using namespace sqlmeasure;

namespace {

using sqlmeasure::testing::capture;
using sqlmeasure::testing::commands;
using sqlmeasure::testing::TempDir;
using sqlmeasure::testing::texts;
using sqlmeasure::testing::threads;

// The fixtures spell a tab as the two characters \t, so that it can be seen: made a tab here.
std::string with_tabs(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 't') {
      out += '\t';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Feeds `log` line by line (as read_log does: no '\n', a last line without one included) to
// the parser of `format` and returns the events it emits; `finish` ends the input.
std::vector<LogEvent> parse_raw(LogFormat format, std::string_view log, bool finish = true) {
  std::vector<LogEvent> events;
  std::unique_ptr<LogParser> parser =
      make_log_parser(format, [&](LogEvent&& event) { events.push_back(std::move(event)); });
  int number = 0;
  std::size_t start = 0;
  while (start < log.size()) {
    std::size_t end = log.find('\n', start);
    if (end == std::string_view::npos) end = log.size();
    parser->line(log.substr(start, end - start), SourceLocation{"test.log", ++number, 1});
    start = end + 1;
  }
  if (finish) parser->finish();
  return events;
}

std::vector<LogEvent> parse(LogFormat format, std::string_view log, bool finish = true) {
  return parse_raw(format, with_tabs(log), finish);
}

// Lines of a log, for detect_log_format.
std::vector<std::string> lines_of(std::string_view log) {
  std::vector<std::string> lines;
  const std::string text = with_tabs(log);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

constexpr std::int64_t kSecond = 1'000'000;
// 2026-12-03 03:07:32 UTC (MariaDB's "261203  3:07:32", read as UTC).
constexpr std::int64_t kMariaDbTime = 1'796'267'252 * kSecond;
// 2024-05-01T10:00:00Z.
constexpr std::int64_t kMySqlTime = 1'714'557'600 * kSecond;

std::vector<std::string> param_names(const StatementTemplate& statement) {
  std::vector<std::string> out;
  for (const TemplateParam& param : statement.params) out.push_back(param.name);
  return out;
}

// ---------------------------------------------------------------- events for the builder

LogEvent event(std::uint64_t thread, std::string text, std::int64_t time_us = -1,
               std::string command = "Query") {
  LogEvent out;
  out.thread = thread;
  out.command = std::move(command);
  out.text = std::move(text);
  out.time_us = time_us;
  return out;
}

// A sqlcommenter comment: controller and action, and a traceparent for `trace` when given.
std::string tagged(const std::string& sql, const std::string& controller, const std::string& action,
                   const std::string& trace = "") {
  std::string tags = "controller='" + controller + "',action='" + action + "'";
  if (!trace.empty()) tags += ",traceparent='00-" + trace + "-00f067aa0ba902b7-01'";
  return sql + " /*" + tags + "*/";
}

// A 32-hex-digit trace id, different for each `n`.
std::string trace_id(int n) {
  std::string digits = std::to_string(n);
  return std::string(32 - digits.size(), 'a') + digits;
}

const CapturedScreen& screen_named(const CaptureResult& result, const std::string& name) {
  for (const CapturedScreen& screen : result.screens) {
    if (screen.name == name) return screen;
  }
  FAIL("no screen named " << name);
  throw;  // not reached
}

std::vector<std::string> screen_names(const CaptureResult& result) {
  std::vector<std::string> out;
  for (const CapturedScreen& screen : result.screens) out.push_back(screen.name);
  return out;
}

std::vector<std::string> query_names(const CapturedScreen& screen) {
  std::vector<std::string> out;
  for (const CapturedQuery& query : screen.queries) out.push_back(query.name);
  return out;
}

ParamValue integer(std::int64_t value) { return ParamValue::integer(value); }

}  // namespace

// ================================================================ MariaDB general log

TEST_CASE("mariadb general log: headers, inherited times, sessions", "[unit][capture]") {
  const std::vector<LogEvent> events =
      parse(LogFormat::kMariaDbGeneral,
            R"(/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1 (Debian 12). started with:
Tcp port: 33066  Unix socket: /x.sock
Time\t\t    Id Command\tArgument
261203  3:07:32\t    26 Connect\tapp@localhost on demo using Socket
\t\t    26 Init DB\tdemo
\t\t    26 Query\tSELECT 1
\t\t    27 Query\tSELECT title FROM works WHERE id = 5
261203 13:07:33\t    26 Query\tSELECT 2
\t\t    26 Quit\t
)");
  REQUIRE(events.size() == 6);
  CHECK(commands(events) ==
        std::vector<std::string>{"Connect", "Init DB", "Query", "Query", "Query", "Quit"});
  CHECK(threads(events) == std::vector<std::uint64_t>{26, 26, 26, 27, 26, 26});
  CHECK(texts(events) ==
        std::vector<std::string>{"app@localhost on demo using Socket", "demo", "SELECT 1",
                                 "SELECT title FROM works WHERE id = 5", "SELECT 2", ""});
  // The time is printed only when the second changes: the lines after it inherit it.
  CHECK(events[0].time_us == kMariaDbTime);
  CHECK(events[1].time_us == kMariaDbTime);
  CHECK(events[2].time_us == kMariaDbTime);
  CHECK(events[3].time_us == kMariaDbTime);
  // A two-digit hour, ten hours and a second later.
  CHECK(events[4].time_us == kMariaDbTime + 36'001 * kSecond);
  CHECK(events[5].time_us == kMariaDbTime + 36'001 * kSecond);
  // Each event's first line.
  CHECK(events[0].where.file == "test.log");
  CHECK(events[0].where.line == 4);
  CHECK(events[3].where.line == 7);
}

TEST_CASE("mariadb general log: a multi-line query ends at the next event line",
          "[unit][capture]") {
  const std::vector<LogEvent> events =
      parse(LogFormat::kMariaDbGeneral, R"(261203  3:07:32\t    26 Query\tSELECT w.id,
       w.title
  FROM works w
\tWHERE w.id = 5
-- 26 Query is not an event line
\t\t    26 Query\tSELECT 2
)");
  REQUIRE(events.size() == 2);
  CHECK(events[0].text ==
        "SELECT w.id,\n       w.title\n  FROM works w\n\tWHERE w.id = 5\n"
        "-- 26 Query is not an event line");
  CHECK(events[0].where.line == 1);
  CHECK(events[1].text == "SELECT 2");
  CHECK(events[1].where.line == 6);
}

TEST_CASE("mariadb general log: two threads interleaving line by line", "[unit][capture]") {
  const std::vector<LogEvent> events = parse(
      LogFormat::kMariaDbGeneral, R"(261203  3:07:32\t    26 Query\tSELECT * FROM users WHERE id = 1
\t\t    27 Query\tSELECT * FROM users WHERE id = 2
\t\t    26 Query\tSELECT * FROM works
WHERE user_id = 1
\t\t    27 Query\tSELECT * FROM works
WHERE user_id = 2
261203  3:07:33\t    27 Quit\t
\t\t    26 Quit\t
)");
  REQUIRE(events.size() == 6);
  CHECK(threads(events) == std::vector<std::uint64_t>{26, 27, 26, 27, 27, 26});
  CHECK(texts(events) == std::vector<std::string>{
                             "SELECT * FROM users WHERE id = 1", "SELECT * FROM users WHERE id = 2",
                             "SELECT * FROM works\nWHERE user_id = 1",
                             "SELECT * FROM works\nWHERE user_id = 2", "", ""});
  CHECK(events[3].time_us == kMariaDbTime);
  CHECK(events[4].time_us == kMariaDbTime + kSecond);
}

// Feeds `log` to a parser of `format` as three chunks of whole lines, cut at every pair of
// line ends, each chunk's bytes overwritten once the call returns (as the next window of a
// mapped file replaces them): the events must be those of the lines fed one by one, whether
// the parser copies each text or leaves it in the chunk (kInLog) to be read while the sink is
// called (the '#'s would show in any text read after its chunk went).
void check_chunks_give_the_same_events(LogFormat format, const std::string& log) {
  const std::vector<LogEvent> want = parse_raw(format, log);
  std::vector<std::size_t> ends;  // after each '\n'
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (log[i] == '\n') ends.push_back(i + 1);
  }
  for (const EventText mode : {EventText::kCopied, EventText::kInLog}) {
    for (std::size_t first = 0; first < ends.size(); ++first) {
      for (std::size_t second = first; second < ends.size(); ++second) {
        CAPTURE(mode == EventText::kInLog, first, second);
        std::vector<LogEvent> got;
        std::unique_ptr<LogParser> parser = make_log_parser(
            format,
            [&](LogEvent&& event) {
              if (mode == EventText::kCopied) CHECK(event.in_log.data() == nullptr);
              event.text = std::string(event.text_read());
              event.in_log = {};
              got.push_back(std::move(event));
            },
            mode);
        SourceLocation where{"test.log", 0, 1};
        std::size_t from = 0;
        for (const std::size_t to : {ends[first], ends[second], log.size()}) {
          std::string chunk = log.substr(from, to - from);
          parser->lines(chunk, where);
          std::fill(chunk.begin(), chunk.end(), '#');
          from = to;
        }
        parser->finish();
        CHECK(texts(got) == texts(want));
        CHECK(threads(got) == threads(want));
        CHECK(commands(got) == commands(want));
      }
    }
  }
}

TEST_CASE("general log: chunks of whole lines give the events lines one by one give",
          "[unit][capture]") {
  // lines() keeps a multi-line statement as a range of its chunk until the event ends or the
  // chunk does.
  const std::string log = with_tabs(
      "Time\t\t    Id Command\tArgument\n"
      "241202 10:15:01\t     5 Query\tSELECT id,\n"
      "  name\n"
      "FROM users\n"
      "\n"
      "WHERE id = 1 /*a='b'*/\n"
      "\t\t     6 Connect\tapp@localhost on shop\n"
      "\t\t     6 Query\tSELECT 2\n"
      "241202 10:15:02\t     5 Query\t\n"
      "second line of an empty first one\n"
      "\t\t     5 Quit\t\n"
      "\t\t     7 Query\tSELECT 'a\n"
      "b'\r\n"
      "/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-0+deb12u1 (Debian 12). started with:\n"
      "\t\t     7 Query\tSELECT 3\n"
      "last\n");
  REQUIRE(texts(parse_raw(LogFormat::kMariaDbGeneral, log)) ==
          std::vector<std::string>{"SELECT id,\n  name\nFROM users\n\nWHERE id = 1 /*a='b'*/",
                                   "app@localhost on shop", "SELECT 2",
                                   "\nsecond line of an empty first one", "", "SELECT 'a\nb'\r",
                                   "SELECT 3\nlast"});
  check_chunks_give_the_same_events(LogFormat::kMariaDbGeneral, log);
}

TEST_CASE("slow log: chunks of whole lines give the events lines one by one give",
          "[unit][capture]") {
  // The same for the slow log, whose statement's terminator is cut from the range.
  const std::string log =
      "/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-0+deb12u1 (Debian 12). started with:\n"
      "# Time: 241202 10:15:01\n"
      "# User@Host: app[app] @ localhost []\n"
      "# Thread_id: 5  Schema: shop  QC_hit: No\n"
      "# Query_time: 0.000211  Lock_time: 0.000080 Rows_sent: 1  Rows_examined: 1\n"
      "use shop;\n"
      "SET timestamp=1733134501;\n"
      "SELECT id,\n"
      "  name\n"
      "FROM users WHERE id = 1 /*a='b'*/;  \r\n"
      "# User@Host: app[app] @ localhost []\n"
      "# Thread_id: 6  Schema: shop  QC_hit: No\n"
      "# Query_time: 0.1  Lock_time: 0.0 Rows_sent: 1  Rows_examined: 1\n"
      "SET timestamp=1733134502;\n"
      "# administrator command: Ping;\n"
      "# Query_time: 0.1  Lock_time: 0.0 Rows_sent: 1  Rows_examined: 1\n"
      "SET timestamp=1733134503;\n"
      "SELECT 'a;\n"
      "b';\n"
      "# Query_time: 0.1  Lock_time: 0.0 Rows_sent: 1  Rows_examined: 1\n"
      "SELECT 3\n";
  REQUIRE(texts(parse_raw(LogFormat::kMariaDbSlow, log)) ==
          std::vector<std::string>{"SELECT id,\n  name\nFROM users WHERE id = 1 /*a='b'*/", "",
                                   "SELECT 'a;\nb'", "SELECT 3"});
  check_chunks_give_the_same_events(LogFormat::kMariaDbSlow, log);
}

TEST_CASE("mariadb general log: a header block mid-file (FLUSH LOGS) loses nothing",
          "[unit][capture]") {
  const std::vector<LogEvent> events =
      parse(LogFormat::kMariaDbGeneral, R"(261203  3:07:32\t    26 Query\tSELECT * FROM works
WHERE id = 1
\t\t    26 Query\tFLUSH LOGS
/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1 (Debian 12). started with:
Tcp port: 33066  Unix socket: /x.sock
Time\t\t    Id Command\tArgument
\t\t    26 Query\tSELECT 2
261203  3:07:34\t    27 Query\tSELECT 3
)");
  REQUIRE(events.size() == 4);
  CHECK(texts(events) == std::vector<std::string>{"SELECT * FROM works\nWHERE id = 1", "FLUSH LOGS",
                                                  "SELECT 2", "SELECT 3"});
  // The header lines are no part of the statement before them, and the time stands.
  CHECK(events[2].time_us == kMariaDbTime);
  CHECK(events[3].time_us == kMariaDbTime + 2 * kSecond);
  CHECK(events[3].thread == 27);
}

TEST_CASE("mariadb general log: a truncated last event is emitted by finish()", "[unit][capture]") {
  const std::string log = R"(261203  3:07:32\t    26 Query\tSELECT 1
\t\t    26 Query\tSELECT * FROM works WHERE title = 'a cut
line)";
  const std::vector<LogEvent> unfinished = parse(LogFormat::kMariaDbGeneral, log, false);
  REQUIRE(unfinished.size() == 1);
  CHECK(unfinished[0].text == "SELECT 1");
  const std::vector<LogEvent> events = parse(LogFormat::kMariaDbGeneral, log);
  REQUIRE(events.size() == 2);
  CHECK(events[1].text == "SELECT * FROM works WHERE title = 'a cut\nline");
  // A file cut at the start: lines before the first event continue nothing.
  const std::vector<LogEvent> cut = parse(
      LogFormat::kMariaDbGeneral, "  FROM works\nWHERE id = 3\n\\t\\t    26 Query\\tSELECT 4\n");
  REQUIRE(cut.size() == 1);
  CHECK(cut[0].text == "SELECT 4");
}

TEST_CASE("mariadb general log: binary bytes in a literal are read as they are",
          "[unit][capture]") {
  // A literal of bytes that are not UTF-8, a NUL and a carriage return among them.
  std::string literal = "'\xff\xfe";
  literal += '\0';
  literal += "\x01\x80\r'";
  const std::string statement_text = "SELECT * FROM files WHERE data = " + literal + " AND id = 7";
  const std::string log =
      "261203  3:07:32\t    26 Query\t" + statement_text + "\n\t\t    26 Query\tSELECT 2\n";
  const std::vector<LogEvent> events = parse_raw(LogFormat::kMariaDbGeneral, log);
  REQUIRE(events.size() == 2);
  CHECK(events[0].text == statement_text);
  // Such a literal is a binary value: the same bytes as hex digits, which a UTF-8 scenario
  // file can hold ({ hex = "..." }), replayed as X'...'.
  const StatementTemplate statement = make_statement_template(events[0].text);
  CHECK_FALSE(statement.has_unreplayable_literal);
  CHECK(param_names(statement) == std::vector<std::string>{"data", "id"});
  CHECK(statement.sql == "SELECT * FROM files WHERE data = :data AND id = :id");
  CHECK(statement.params[0].value == ParamValue::binary_hex("FFFE0001800D"));
}

// ================================================================ MySQL general log

TEST_CASE("mysql general log: ISO times, multi-word commands, prepared statements",
          "[unit][capture]") {
  const std::vector<LogEvent> events =
      parse(LogFormat::kMySqlGeneral,
            R"(/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:
Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock
Time                 Id Command    Argument
2024-05-01T10:00:00.123456Z\t    8 Connect\tapp@localhost on demo using SSL/TLS
2024-05-01T10:00:00.200000Z\t    8 Init DB\tdemo
2024-05-01T19:00:01.000001+09:00\t    8 Query\tSELECT 1
2024-05-01T05:00:02-05:00\t    8 Prepare\tSELECT title FROM works WHERE id = ?
2024-05-01T10:00:02.5Z\t    8 Execute\tSELECT title FROM works WHERE id = 42
2024-05-01T10:00:02.600000Z\t    8 Close stmt\t
2024-05-01T10:00:03.000000Z\t    8 Reset Connection\t
2024-05-01T10:00:04.000000Z\t    8 Change user\tother@localhost on demo
2024-05-01T10:00:05.000000Z\t   12 Query\tSELECT *
  FROM works
2024-05-01T10:00:06.000000Z\t    8 Quit\t
)");
  REQUIRE(events.size() == 10);
  CHECK(commands(events) == std::vector<std::string>{"Connect", "Init DB", "Query", "Prepare",
                                                     "Execute", "Close stmt", "Reset Connection",
                                                     "Change user", "Query", "Quit"});
  CHECK(threads(events) == std::vector<std::uint64_t>{8, 8, 8, 8, 8, 8, 8, 8, 12, 8});
  CHECK(events[0].time_us == kMySqlTime + 123'456);
  CHECK(events[1].time_us == kMySqlTime + 200'000);
  // +09:00 and -05:00: UTC microseconds.
  CHECK(events[2].time_us == kMySqlTime + kSecond + 1);
  CHECK(events[3].time_us == kMySqlTime + 2 * kSecond);
  CHECK(events[4].time_us == kMySqlTime + 2 * kSecond + 500'000);
  CHECK(events[9].time_us == kMySqlTime + 6 * kSecond);
  CHECK(events[1].text == "demo");
  CHECK(events[3].text == "SELECT title FROM works WHERE id = ?");
  // The Execute carries the statement, its values filled in.
  CHECK(events[4].text == "SELECT title FROM works WHERE id = 42");
  CHECK(events[5].text.empty());
  CHECK(events[7].text == "other@localhost on demo");
  CHECK(events[8].text == "SELECT *\n  FROM works");

  // The builder replays the Execute, not the Prepare (nor the session's other commands).
  CaptureOptions options;
  options.group_by = CaptureOptions::GroupBy::kQuery;
  const CaptureResult result = capture(events, options);
  CHECK(result.events == 10);
  CHECK(screen_names(result) == std::vector<std::string>{"works", "works_2"});
  const CapturedScreen& execute = screen_named(result, "works");
  REQUIRE(execute.queries.size() == 1);
  CHECK(execute.queries[0].sql == "SELECT title FROM works WHERE id = 42");
  CHECK(execute.queries[0].statements == 1);
  CHECK(execute.queries[0].params.empty());
  CHECK(result.skipped.at("ping") == 1);  // SELECT 1
}

TEST_CASE("mysql general log: a replica registering is an event, not more of a statement",
          "[unit][capture]") {
  // MySQL 8.0.26 renamed "Register Slave" to "Register Replica".
  const std::vector<LogEvent> events = parse(
      LogFormat::kMySqlGeneral, R"(2024-05-01T10:00:00.000000Z\t    8 Query\tSELECT * FROM works
2024-05-01T10:00:00.100000Z\t    9 Register Replica\t
2024-05-01T10:00:00.200000Z\t    9 Binlog Dump GTID\tLog: '' Pos: 4 GTIDs: ''
)");
  REQUIRE(events.size() == 3);
  CHECK(events[0].text == "SELECT * FROM works");
  CHECK(commands(events) ==
        std::vector<std::string>{"Query", "Register Replica", "Binlog Dump GTID"});
}

// ================================================================ slow logs

TEST_CASE("mariadb slow log: entries, carried schema and time, explain, admin commands",
          "[unit][capture]") {
  const std::vector<LogEvent> events = parse(
      LogFormat::kMariaDbSlow,
      R"(/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1-log (Debian 12). started with:
Tcp port: 33066  Unix socket: /x.sock
Time\t\t    Id Command\tArgument
# Time: 261203  3:07:32
# User@Host: app[app] @ localhost []
# Thread_id: 26  Schema: demo  QC_hit: No
# Query_time: 0.000200  Lock_time: 0.000050  Rows_sent: 1  Rows_examined: 1
# Rows_affected: 0  Bytes_sent: 120
use `demo`;
SET timestamp=1796267252;
SELECT id, title
  FROM works
 WHERE id = 5;
# User@Host: app[app] @ localhost []
# Thread_id: 27  Schema: demo  QC_hit: No
# Query_time: 0.100000  Lock_time: 0.000010  Rows_sent: 1  Rows_examined: 5000
# Rows_affected: 0  Bytes_sent: 80
# Full_scan: Yes  Full_join: No  Tmp_table: No  Tmp_table_on_disk: No
# Filesort: No  Filesort_on_disk: No  Merge_passes: 0  Priority_queue: No
#
# explain: id\tselect_type\ttable\ttype\tpossible_keys\tkey\tkey_len\tref\trows\tr_rows\tfiltered\tr_filtered\tExtra
# explain: 1\tSIMPLE\tworks\tALL\tNULL\tNULL\tNULL\tNULL\t5000\t5000.00\t100.00\t100.00\t
#
SET timestamp=1796267252;
SELECT COUNT(*) FROM works WHERE title LIKE '%;';
# Time: 261203  3:07:34
# User@Host: app[app] @ localhost []
# Thread_id: 26  Schema: demo  QC_hit: No
# Query_time: 0.000010  Lock_time: 0.000000  Rows_sent: 0  Rows_examined: 0
# Rows_affected: 0  Bytes_sent: 0
SET timestamp=1796267254;
# administrator command: Quit;
# User@Host: app[app] @ localhost []
# Thread_id: 28  Schema: stats  QC_hit: No
# Query_time: 2.000000  Lock_time: 0.000000  Rows_sent: 3  Rows_examined: 90000
# Rows_affected: 0  Bytes_sent: 300
use stats;
SET timestamp=1796267254;
SELECT day, COUNT(*)
  FROM visits
 GROUP BY day;
)");
  REQUIRE(events.size() == 4);
  CHECK(threads(events) == std::vector<std::uint64_t>{26, 27, 26, 28});
  CHECK(commands(events) == std::vector<std::string>{"Query", "Query", "Quit", "Query"});
  CHECK(texts(events) ==
        std::vector<std::string>{"SELECT id, title\n  FROM works\n WHERE id = 5",
                                 "SELECT COUNT(*) FROM works WHERE title LIKE '%;'", "",
                                 "SELECT day, COUNT(*)\n  FROM visits\n GROUP BY day"});
  // `use` is printed once, when the database changes: later entries carry it.
  CHECK(events[0].database == "demo");
  CHECK(events[1].database == "demo");
  CHECK(events[2].database == "demo");
  CHECK(events[3].database == "stats");
  // The second of the server's clock (UTC here, so # Time and SET timestamp agree).
  CHECK(events[0].time_us == kMariaDbTime);
  CHECK(events[1].time_us == kMariaDbTime);
  CHECK(events[2].time_us == kMariaDbTime + 2 * kSecond);
  CHECK(events[3].time_us == kMariaDbTime + 2 * kSecond);
  CHECK(events[0].where.line == 4);
  CHECK(events[1].where.line == 14);
}

TEST_CASE("mariadb slow log: times agree whether an entry has # Time or not", "[unit][capture]") {
  // A server nine hours east of UTC: # Time is its local time, SET timestamp the epoch.
  const std::vector<LogEvent> events = parse(LogFormat::kMariaDbSlow, R"(# Time: 261203 12:07:32
# User@Host: app[app] @ localhost []
# Thread_id: 26  Schema: demo  QC_hit: No
# Query_time: 0.000200  Lock_time: 0.000050  Rows_sent: 1  Rows_examined: 1
SET timestamp=1796267252;
SELECT 1 FROM works;
# User@Host: app[app] @ localhost []
# Thread_id: 26  Schema: demo  QC_hit: No
# Query_time: 0.000200  Lock_time: 0.000050  Rows_sent: 1  Rows_examined: 1
SET timestamp=1796267252;
SELECT 2 FROM works;
# Time: 261203 12:07:33
# User@Host: app[app] @ localhost []
# Thread_id: 26  Schema: demo  QC_hit: No
# Query_time: 0.000200  Lock_time: 0.000050  Rows_sent: 1  Rows_examined: 1
SET timestamp=1796267253;
SELECT 3 FROM works;
)");
  REQUIRE(events.size() == 3);
  CHECK(events[1].time_us - events[0].time_us == 0);
  CHECK(events[2].time_us - events[1].time_us == kSecond);
}

TEST_CASE("slow logs: the server's SET line with last_insert_id and insert_id", "[unit][capture]") {
  const std::vector<LogEvent> events =
      parse(LogFormat::kMySqlSlow, R"(# Time: 2024-05-01T10:00:00.000100Z
# User@Host: app[app] @ localhost []  Id:    12
# Query_time: 0.000123  Lock_time: 0.000001 Rows_sent: 0  Rows_examined: 0
SET insert_id=7,timestamp=1714557600;
INSERT INTO works (title) VALUES ('x');
# Time: 2024-05-01T10:00:00.000200Z
# User@Host: app[app] @ localhost []  Id:    12
# Query_time: 0.000123  Lock_time: 0.000001 Rows_sent: 1  Rows_examined: 1
SET last_insert_id=7,timestamp=1714557600;
SELECT LAST_INSERT_ID();
# Time: 2024-05-01T10:00:00.000300Z
# User@Host: app[app] @ localhost []  Id:    12
# Query_time: 0.000123  Lock_time: 0.000001 Rows_sent: 0  Rows_examined: 0
SET timestamp=1714557600;
SET insert_id=9;
)");
  REQUIRE(events.size() == 3);
  CHECK(texts(events) == std::vector<std::string>{"INSERT INTO works (title) VALUES ('x')",
                                                  "SELECT LAST_INSERT_ID()", "SET insert_id=9"});
}

TEST_CASE("mysql slow log: # Time on every entry, Id on User@Host, log_slow_extra",
          "[unit][capture]") {
  const std::vector<LogEvent> events =
      parse(LogFormat::kMySqlSlow,
            R"(/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:
Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock
Time                 Id Command    Argument
# Time: 2024-05-01T10:00:00.123456Z
# User@Host: app[app] @ localhost []  Id:    12
# Query_time: 0.000123  Lock_time: 0.000001 Rows_sent: 1  Rows_examined: 1 Thread_id: 12 Errno: 0 Killed: 0 Bytes_received: 0 Bytes_sent: 0 Read_first: 0 Read_last: 0 Read_key: 1 Read_next: 0 Read_prev: 0 Read_rnd: 0 Read_rnd_next: 0 Sort_merge_passes: 0 Sort_range_count: 0 Sort_rows: 0 Sort_scan_count: 0 Created_tmp_disk_tables: 0 Created_tmp_tables: 0 Start: 2024-05-01T10:00:00.123333Z End: 2024-05-01T10:00:00.123456Z
use demo;
SET timestamp=1714557600;
SELECT title FROM works WHERE id = 5;
# Time: 2024-05-01T19:00:00.500000+09:00
# User@Host: app[app] @ localhost [127.0.0.1]  Id:    13
# Query_time: 0.000200  Lock_time: 0.000001 Rows_sent: 2  Rows_examined: 2 Thread_id: 13 Errno: 0 Killed: 0 Bytes_received: 0 Bytes_sent: 0 Read_first: 0 Read_last: 0 Read_key: 0 Read_next: 0 Read_prev: 0 Read_rnd: 0 Read_rnd_next: 3 Sort_merge_passes: 0 Sort_range_count: 0 Sort_rows: 0 Sort_scan_count: 0 Created_tmp_disk_tables: 0 Created_tmp_tables: 0 Start: 2024-05-01T10:00:00.499800Z End: 2024-05-01T10:00:00.500000Z
SET timestamp=1714557600;
SELECT *
  FROM works
 WHERE title = 'a;b';
# Time: 2024-05-01T10:00:01.000000Z
# User@Host: app[app] @ localhost []  Id:    12
# Query_time: 0.000003  Lock_time: 0.000000 Rows_sent: 0  Rows_examined: 0
SET timestamp=1714557601;
# administrator command: Quit;
)");
  REQUIRE(events.size() == 3);
  CHECK(threads(events) == std::vector<std::uint64_t>{12, 13, 12});
  CHECK(commands(events) == std::vector<std::string>{"Query", "Query", "Quit"});
  CHECK(texts(events) == std::vector<std::string>{"SELECT title FROM works WHERE id = 5",
                                                  "SELECT *\n  FROM works\n WHERE title = 'a;b'",
                                                  ""});
  CHECK(events[0].database == "demo");
  CHECK(events[1].database == "demo");
  // # Time to the microsecond, +09:00 read as UTC.
  CHECK(events[0].time_us == kMySqlTime + 123'456);
  CHECK(events[1].time_us == kMySqlTime + 500'000);
  CHECK(events[2].time_us == kMySqlTime + kSecond);
}

// ================================================================ detecting the format

TEST_CASE("detect_log_format from the first lines", "[unit][capture]") {
  CHECK(detect_log_format(lines_of(
            R"(/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1 (Debian 12). started with:
Tcp port: 33066  Unix socket: /x.sock
Time\t\t    Id Command\tArgument
261203  3:07:32\t    26 Connect\tapp@localhost on demo using Socket
)")) == LogFormat::kMariaDbGeneral);
  CHECK(detect_log_format(lines_of(R"(\t\t    26 Query\tSELECT 1)")) == LogFormat::kMariaDbGeneral);
  CHECK(detect_log_format(lines_of(
            R"(/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:
Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock
Time                 Id Command    Argument
2024-05-01T10:00:00.123456Z\t    8 Connect\tapp@localhost on demo using SSL/TLS
)")) == LogFormat::kMySqlGeneral);
  CHECK(
      detect_log_format(lines_of(
          R"(/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-0+deb12u1-log (Debian 12). started with:
Tcp port: 33066  Unix socket: /x.sock
Time\t\t    Id Command\tArgument
# Time: 261203  3:07:32
# User@Host: app[app] @ localhost []
)")) == LogFormat::kMariaDbSlow);
  CHECK(detect_log_format(lines_of(R"(# User@Host: app[app] @ localhost []
# Thread_id: 26  Schema: demo  QC_hit: No
)")) == LogFormat::kMariaDbSlow);
  CHECK(detect_log_format(lines_of(
            R"(/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:
Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock
Time                 Id Command    Argument
# Time: 2024-05-01T10:00:00.123456Z
# User@Host: app[app] @ localhost []  Id:    12
)")) == LogFormat::kMySqlSlow);
  CHECK(detect_log_format(lines_of(R"(# User@Host: app[app] @ localhost []  Id:    12)")) ==
        LogFormat::kMySqlSlow);
  // Headers alone, or something else: unknown.
  CHECK(detect_log_format(lines_of(
            R"(/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:
Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock
Time                 Id Command    Argument
)")) == LogFormat::kAuto);
  CHECK(detect_log_format(lines_of("SELECT 1;\nhello\n")) == LogFormat::kAuto);
  CHECK(detect_log_format({}) == LogFormat::kAuto);
  // The names of the formats, both ways.
  CHECK(std::string(log_format_name(LogFormat::kMySqlSlow)) == "mysql-slow");
  CHECK(log_format_named("mariadb-general") == LogFormat::kMariaDbGeneral);
  CHECK_FALSE(log_format_named("postgres").has_value());
  CHECK_THROWS(make_log_parser(LogFormat::kAuto, [](LogEvent&&) {}));
}

// ================================================================ statement templates

TEST_CASE("templates: parameters of one column take the smallest free suffix, in order",
          "[unit][capture]") {
  // id_3 is taken by a column of that name first: the list's names go around it.
  const StatementTemplate statement = make_statement_template(
      "SELECT * FROM t WHERE id_3 = 7 AND id IN (1, 2, 3, 4) AND x = 'a' AND id = 9");
  CHECK(param_names(statement) ==
        std::vector<std::string>{"id_3", "id", "id_2", "id_4", "id_5", "x", "id_6"});
  // A list of 500 values: named in order, each once.
  std::string list;
  for (int i = 0; i < 500; ++i) list += (i > 0 ? ", " : "") + std::to_string(i);
  const std::vector<std::string> names =
      param_names(make_statement_template("SELECT * FROM t WHERE id IN (" + list + ")"));
  REQUIRE(names.size() == 500);
  CHECK(names[0] == "id");
  CHECK(names[1] == "id_2");
  CHECK(names[499] == "id_500");
}

TEST_CASE("templates: the fingerprint folds literals, IN-lists, case and blanks",
          "[unit][capture]") {
  const StatementTemplate a = make_statement_template(
      "SELECT  *\n  FROM Works\tWHERE user_id = 17 AND title = 'Dune' AND id IN (1, 2, 3)");
  const StatementTemplate b = make_statement_template(
      "select * from works where USER_ID=99 and title='It''s' and id in (4,5) /* a comment */");
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.fingerprint.starts_with("select * from works where user_id = ? and title = ? and id in"));
  CHECK(a.fingerprint.find("?+") != std::string::npos);
  CHECK(a.fingerprint.find_first_of("0123456789") == std::string::npos);
  CHECK(a.fingerprint.find("comment") == std::string::npos);
  // The SQL differs where an IN-list has another length.
  CHECK(a.sql ==
        "SELECT * FROM Works WHERE user_id = :user_id AND title = :title AND id IN (:id, :id_2, "
        ":id_3)");
  CHECK(b.sql ==
        "select * from works where USER_ID=:user_id and title=:title and id in (:id, :id_2)");
  CHECK(param_names(b) == std::vector<std::string>{"user_id", "title", "id", "id_2"});
  CHECK_FALSE(a.has_unreplayable_literal);
  // A different query is a different fingerprint.
  CHECK(make_statement_template("SELECT * FROM works WHERE user_id > 17").fingerprint !=
        a.fingerprint);
}

TEST_CASE("templates: comments dropped, hints and executable comments kept", "[unit][capture]") {
  const StatementTemplate plain =
      make_statement_template("SELECT /* load */ id FROM works -- trailing\n WHERE id = 1 # end");
  CHECK(plain.sql == "SELECT id FROM works WHERE id = :id");
  CHECK(plain.fingerprint == "select id from works where id = ?");

  const StatementTemplate hint = make_statement_template(
      "SELECT /*+ MAX_EXECUTION_TIME(1000) */ id FROM works WHERE id = 1 /*controller='w'*/");
  CHECK(hint.sql == "SELECT /*+ MAX_EXECUTION_TIME(1000) */ id FROM works WHERE id = :id");
  CHECK(hint.fingerprint.find("/*+ MAX_EXECUTION_TIME(1000) */") != std::string::npos);
  CHECK(hint.fingerprint.find("controller") == std::string::npos);

  const StatementTemplate executable =
      make_statement_template("SELECT /*!40001 SQL_NO_CACHE */ id FROM works WHERE id = 1");
  CHECK(executable.sql == "SELECT /*!40001 SQL_NO_CACHE */ id FROM works WHERE id = :id");
  CHECK(executable.fingerprint.find("sql_no_cache") != std::string::npos);
  // Different hints are different queries to replay.
  CHECK(make_statement_template("SELECT /*+ NO_ICP(works) */ id FROM works WHERE id = 1")
            .fingerprint != hint.fingerprint);
}

TEST_CASE("templates: parameters named after their column, values of their kind",
          "[unit][capture]") {
  const StatementTemplate statement = make_statement_template(
      "SELECT * FROM reviews r JOIN works w ON w.id = r.work_id "
      "WHERE r.user_id = 17 AND w.user_id <> 18 AND w.price >= 9.99 AND r.score > 1e3 "
      "AND 'x' = w.kind AND w.year BETWEEN 2000 AND 2010 AND w.id NOT IN (4, 5) "
      "AND w.title LIKE 'Du%' ORDER BY r.id LIMIT 20 OFFSET 40");
  CHECK(param_names(statement) == std::vector<std::string>{"user_id", "user_id_2", "price", "score",
                                                           "kind", "year_min", "year_max", "id",
                                                           "id_2", "title", "limit", "offset"});
  REQUIRE(statement.params.size() == 12);
  CHECK(statement.params[0].value == integer(17));
  CHECK(statement.params[2].value == ParamValue{ParamValue::Kind::kFloat, "9.99"});
  CHECK(statement.params[3].value == ParamValue{ParamValue::Kind::kFloat, "1e3"});
  CHECK(statement.params[4].value == ParamValue::string("x"));
  CHECK(statement.params[4].literal == "'x'");
  CHECK(statement.params[9].value == ParamValue::string("Du%"));
  CHECK(statement.params[11].value == integer(40));
  CHECK(statement.sql.find(":kind = w.kind") != std::string::npos);
  CHECK(statement.sql.find("w.year BETWEEN :year_min AND :year_max") != std::string::npos);
  CHECK(statement.sql.find("NOT IN (:id, :id_2)") != std::string::npos);
  CHECK(statement.sql.ends_with("LIMIT :limit OFFSET :offset"));

  // A literal compared with no column: p1, p2, ...
  const StatementTemplate unnamed = make_statement_template("SELECT 5 + 1, 'a'");
  CHECK(param_names(unnamed) == std::vector<std::string>{"p1", "p2", "p3"});
  CHECK(unnamed.sql == "SELECT :p1 + :p2, :p3");

  // A hex literal is a binary value (0xF is the byte 0F); a bit literal stays in the SQL.
  const StatementTemplate hex = make_statement_template("SELECT * FROM t WHERE h = 0xfF");
  CHECK_FALSE(hex.has_unreplayable_literal);
  CHECK(hex.sql == "SELECT * FROM t WHERE h = :h");
  REQUIRE(hex.params.size() == 1);
  CHECK(hex.params[0].value == ParamValue::binary_hex("FF"));
  CHECK(literal_value("0xF") == ParamValue::binary_hex("0F"));
  const StatementTemplate bits = make_statement_template("SELECT * FROM t WHERE h = 0b101");
  CHECK(bits.has_unreplayable_literal);
  CHECK(bits.sql == "SELECT * FROM t WHERE h = 0b101");
}

TEST_CASE("templates: a decimal number is one literal", "[unit][capture]") {
  const StatementTemplate statement = make_statement_template(
      "SELECT * FROM t WHERE a = 2.05 AND b = .5 AND c >= 1.5e-3 AND d = -7 AND e < 12. "
      "AND t.x = 1 AND f IN (0.5, 10.25)");
  CHECK(param_names(statement) ==
        std::vector<std::string>{"a", "b", "c", "d", "e", "x", "f", "f_2"});
  REQUIRE(statement.params.size() == 8);
  CHECK(statement.params[0].value == ParamValue{ParamValue::Kind::kFloat, "2.05"});
  CHECK(statement.params[1].value == ParamValue{ParamValue::Kind::kFloat, ".5"});
  CHECK(statement.params[2].value == ParamValue{ParamValue::Kind::kFloat, "1.5e-3"});
  CHECK(statement.params[3].value == integer(-7));  // a sign, not an operator: one literal
  CHECK(statement.params[4].value == ParamValue{ParamValue::Kind::kFloat, "12."});
  CHECK(statement.params[5].value == integer(1));
  CHECK(statement.params[7].value == ParamValue{ParamValue::Kind::kFloat, "10.25"});
  CHECK(statement.sql ==
        "SELECT * FROM t WHERE a = :a AND b = :b AND c >= :c AND d = :d AND e < :e AND t.x = :x "
        "AND f IN (:f, :f_2)");
  // After a value, '-' and '+' are operators: price - 5 and price + 5 are two queries.
  const StatementTemplate minus = make_statement_template("SELECT price -5, (a)-1, t.b-2 FROM t");
  CHECK(minus.sql == "SELECT price -:p1, (a)-:p2, t.b-:p3 FROM t");
  CHECK(minus.params[0].value == integer(5));
  // ORDER BY a ASC groups with ORDER BY a: the fingerprint leaves ASC out, the SQL keeps it.
  const StatementTemplate asc = make_statement_template("SELECT * FROM t ORDER BY a ASC, b");
  CHECK(asc.fingerprint == make_statement_template("SELECT * FROM t ORDER BY a, b").fingerprint);
  CHECK(asc.sql == "SELECT * FROM t ORDER BY a ASC, b");
  CHECK(statement.fingerprint ==
        make_statement_template("select * from t where a = 3 and b = 4 and c >= 5 and d = -6 "
                                "and e < 7 and t.x = 8 and f in (9)")
            .fingerprint);
}

TEST_CASE("templates: string literals with escaped quotes", "[unit][capture]") {
  const StatementTemplate statement = make_statement_template(
      R"(SELECT * FROM authors WHERE name = 'O\'Brien' OR name = 'It''s' OR note = "say \"hi\"\n" OR path = 'C:\\dir')");
  REQUIRE(statement.params.size() == 4);
  CHECK(param_names(statement) == std::vector<std::string>{"name", "name_2", "note", "path"});
  CHECK(statement.params[0].value == ParamValue::string("O'Brien"));
  CHECK(statement.params[0].literal == R"('O\'Brien')");
  CHECK(statement.params[1].value == ParamValue::string("It's"));
  CHECK(statement.params[2].value == ParamValue::string("say \"hi\"\n"));
  CHECK(statement.params[3].value == ParamValue::string("C:\\dir"));
  CHECK(statement.sql ==
        "SELECT * FROM authors WHERE name = :name OR name = :name_2 OR note = :note OR path = "
        ":path");
  CHECK(statement.fingerprint ==
        "select * from authors where name = ? or name = ? or note = ? or path = ?");
}

// Found by fuzz_log_capture: SQL where a :parameter would read as something else.
TEST_CASE("templates: a parameter never runs into what is around it", "[unit][capture]") {
  // "10:00" is not "10::p1" (no placeholder after ':'), "x'a'" not "x:p1" (one word).
  const StatementTemplate time = make_statement_template("SELECT 10:00 FROM t");
  CHECK(find_placeholders(time.sql).size() == time.params.size());
  const StatementTemplate word =
      make_statement_template("SELECT x'a' FROM t WHERE a = _utf8mb4'b'");
  CHECK(find_placeholders(word.sql).size() == word.params.size());
  // A parameter followed by a word is kept apart from it.
  const StatementTemplate joined = make_statement_template("SELECT 1e FROM t");
  const std::vector<Placeholder> placeholders = find_placeholders(joined.sql);
  REQUIRE(placeholders.size() == joined.params.size());
  for (std::size_t i = 0; i < placeholders.size(); ++i) {
    CHECK(placeholders[i].name == joined.params[i].name);
  }
  // X'0A' is a binary value; B'01' and N'abc' are one literal each: kept as written, never
  // split by a space.
  const StatementTemplate prefixed =
      make_statement_template("SELECT * FROM t WHERE h = X'0a' AND b = b'01' AND n = N'abc'");
  CHECK(prefixed.sql == "SELECT * FROM t WHERE h = :h AND b = b'01' AND n = N'abc'");
  REQUIRE(prefixed.params.size() == 1);
  CHECK(prefixed.params[0].value == ParamValue::binary_hex("0A"));
  // A string that is not UTF-8 is a binary value, the introducer kept apart from its name.
  const StatementTemplate binary = make_statement_template(
      "SELECT * FROM t WHERE id = 7 AND b = '\xff\x01' AND c=_binary'\xfe'");
  CHECK(binary.sql == "SELECT * FROM t WHERE id = :id AND b = :b AND c=_binary :p1");
  REQUIRE(binary.params.size() == 3);
  CHECK(binary.params[1].value == ParamValue::binary_hex("FF01"));
  CHECK(binary.params[2].value == ParamValue::binary_hex("FE"));
}

TEST_CASE("capture: one traceparent is one request over several connections of a pool",
          "[unit][capture]") {
  // Go's database/sql runs one request's queries on whichever pooled connection is free.
  std::vector<LogEvent> events;
  for (int r = 0; r < 2; ++r) {
    const std::string trace = trace_id(r + 1);
    const std::uint64_t a = r == 0 ? 1 : 2, b = r == 0 ? 2 : 1;
    events.push_back(event(a, tagged("SELECT * FROM works WHERE id = 5", "works", "show", trace)));
    for (int i = 0; i < 3; ++i) {
      events.push_back(event(b, tagged("SELECT * FROM users WHERE id = " + std::to_string(i + 1),
                                       "works", "show", trace)));
      events.push_back(event(a, tagged("SELECT * FROM tags WHERE id = " + std::to_string(i + 1),
                                       "works", "show", trace)));
    }
  }
  const CaptureResult result = capture(events);
  REQUIRE(result.screens.size() == 1);
  CHECK(result.screens[0].requests == 2);
  REQUIRE(result.screens[0].queries.size() == 3);
  CHECK(result.screens[0].queries[0].sql == "SELECT * FROM works WHERE id = 5");
  CHECK(result.screens[0].queries[1].times == 3);
  CHECK(result.screens[0].queries[2].times == 3);
}

TEST_CASE("capture: a connection's tags are its own, whichever connections share its memo",
          "[unit][capture]") {
  // The reader remembers each connection's last tag comment (by its id's remainder): 1 and 65
  // share a place, and each statement must still be read with its own comment.
  std::vector<LogEvent> events;
  for (int r = 0; r < 3; ++r) {
    events.push_back(
        event(1, tagged("SELECT * FROM works WHERE id = 5", "works", "show", trace_id(2 * r + 1))));
    events.push_back(event(
        65, tagged("SELECT * FROM users WHERE id = 6", "users", "show", trace_id(2 * r + 2))));
    events.push_back(
        event(1, tagged("SELECT * FROM tags WHERE id = 7", "works", "show", trace_id(2 * r + 1))));
    events.push_back(
        event(65, tagged("SELECT * FROM tags WHERE id = 8", "users", "show", trace_id(2 * r + 2))));
  }
  const CaptureResult result = capture(events);
  REQUIRE(result.screens.size() == 2);
  for (const CapturedScreen& screen : result.screens) {
    CAPTURE(screen.name);
    CHECK(screen.requests == 3);
    REQUIRE(screen.queries.size() == 2);
    CHECK(screen.queries[0].sql == (screen.name == "works_show"
                                        ? "SELECT * FROM works WHERE id = 5"
                                        : "SELECT * FROM users WHERE id = 6"));
  }
}

TEST_CASE("capture: a ping is told by its own code and first comment, however often seen",
          "[unit][capture]") {
  // Statements of one shape ("select ?"): the reader remembers a verdict by the statement's
  // code and whether it starts with "/* ping */", so each of these must still get its own.
  std::vector<LogEvent> events;
  for (int r = 0; r < 3; ++r) {
    const std::string trace = trace_id(r);
    events.push_back(event(1, tagged("SELECT 1", "works", "show", trace)));
    events.push_back(event(1, tagged("SELECT 5", "works", "show", trace)));
    events.push_back(event(1, tagged("/* ping */ SELECT 5", "works", "show", trace)));
    events.push_back(event(1, tagged("SELECT 'a'", "works", "show", trace)));
    // The same skeleton and literals as the ping before, another first comment: a read.
    events.push_back(event(1, tagged("/* x */ SELECT 5", "works", "show", trace)));
  }
  const CaptureResult result = capture(events);
  REQUIRE(result.screens.size() == 1);
  CHECK(result.screens[0].skipped == std::map<std::string, std::uint64_t>{{"ping", 6}});
  REQUIRE(result.screens[0].queries.size() == 1);
  CHECK(result.screens[0].queries[0].times == 3);
}

TEST_CASE("capture: requests end at idle gaps, and after a minute in a slow log",
          "[unit][capture]") {
  // One pooled connection serving works#show twice, 5 s apart, with no traceparent: two
  // requests, so times is 2 (not 4).
  std::vector<LogEvent> events;
  for (std::int64_t start : {0LL, 5'000'000LL}) {
    for (int i = 0; i < 2; ++i) {
      events.push_back(event(
          7, tagged("SELECT * FROM users WHERE id = " + std::to_string(i + 1), "works", "show"),
          start + i * 1000));
    }
  }
  const CaptureResult result = capture(events);
  REQUIRE(result.screens.size() == 1);
  CHECK(result.screens[0].requests == 2);
  CHECK(result.screens[0].queries.at(0).times == 2);
}

TEST_CASE("capture: statements a scenario would read otherwise are left out, counted",
          "[unit][capture]") {
  const std::vector<LogEvent> events = {
      // A ":name" of its own outside strings: a scenario would ask for its value.
      event(3, tagged("SELECT * FROM works WHERE id = :id", "works", "show")),
      // A comment never closed: refused like any statement the guard refuses, though the
      // same statement with the comment closed is a read (found by fuzz_log_capture).
      event(3,
            "/*application:A,controller:works,action:show*/ SELECT * FROM works WHERE id = 6 "
            "/* x */"),
      event(3,
            "/*application:A,controller:works,action:show*/ SELECT * FROM works WHERE id = 6 "
            "/* x"),
      event(3, tagged("SELECT * FROM works WHERE id = 5", "works", "show")),
  };
  const CaptureResult result = capture(events);
  REQUIRE(screen_names(result) == std::vector<std::string>{"works_show"});
  REQUIRE(result.screens[0].queries.size() == 1);
  CHECK(result.screens[0].skipped.at("parameters the scenario would read otherwise") == 1);
  CHECK(result.screens[0].skipped.at("not read-only: unterminated comment") == 1);
}

TEST_CASE("capture: a request takes nothing from the one before it (their buffers are reused)",
          "[unit][capture]") {
  // Traced requests one after the other on one connection, then on another: each is counted
  // alone, though each takes the emptied buffers of one finished before.
  std::vector<LogEvent> events;
  for (int n = 0; n < 200; ++n) {
    const std::string trace = trace_id(n);
    const bool works = n % 2 == 0;
    const std::string controller = works ? "works" : "users";
    if (works)
      events.push_back(event(1, tagged("UPDATE works SET v = 1", controller, "show", trace)));
    for (int i = 0; i <= n % 5; ++i) {
      events.push_back(
          event(n % 3 == 0 ? 1 : 2,
                tagged("SELECT * FROM " + controller + " WHERE id = " + std::to_string(n * 10 + i),
                       controller, "show", trace)));
    }
  }
  const CaptureResult result = capture(events);
  REQUIRE(screen_names(result) == std::vector<std::string>{"users_show", "works_show"});
  const CapturedScreen& works = screen_named(result, "works_show");
  const CapturedScreen& users = screen_named(result, "users_show");
  CHECK(works.requests == 100);
  CHECK(users.requests == 100);
  CHECK(works.skipped.at("write") == 100);
  CHECK(users.skipped.empty());
  REQUIRE(users.queries.size() == 1);
  CHECK(users.queries[0].sql.find("works") == std::string::npos);
}

TEST_CASE("capture: each reason to leave a statement out, earned by a statement that has it",
          "[unit][capture]") {
  // (A session's other commands, Connect, Init DB, Prepare, Ping..., are not statements: not
  // counted at all.)
  const std::vector<std::pair<LogEvent, std::string>> cases = {
      {event(1, "SET NAMES utf8mb4"), "SET"},
      {event(1, "START TRANSACTION"), "transaction control"},
      {event(1, "COMMIT"), "transaction control"},
      {event(1, "UPDATE works SET title = 'x' WHERE id = 1"), "write"},
      {event(1, "CALL refresh_totals()"), "write"},
      {event(1, "ALTER TABLE works ADD INDEX (title)"), "DDL or administration"},
      {event(1, "SHOW TABLES"), "not a SELECT (SHOW)"},
      {event(1, "/* ping */ SELECT 1"), "ping"},
      {event(1, "select  1"), "ping"},
      {event(1, "SELECT * FROM works WHERE id = 1 FOR UPDATE"),
       "not read-only: FOR UPDATE takes row locks"},
      {event(1, "SELECT * FROM works WHERE id = 1 LOCK IN SHARE MODE"),
       "not read-only: LOCK IN SHARE MODE takes row locks"},
      {event(1, "SELECT title INTO @t FROM works WHERE id = 1"),
       "not read-only: SELECT ... INTO writes a file or variables"},
      {event(1, "SELECT * FROM works /*!50000 FOR UPDATE */"),
       "not read-only: executable comment contains FOR UPDATE, which takes row locks"},
      {event(1, "SELECT 1 FROM works; DELETE FROM works"),
       "not read-only: more than one statement"},
      {event(1, "SELECT * FROM works WHERE title = 'cut"), "not read-only: unterminated string"},
  };
  for (const auto& [statement, reason] : cases) {
    CAPTURE(statement.text);
    CaptureOptions options;
    options.group_by = CaptureOptions::GroupBy::kQuery;
    const CaptureResult result = capture({statement}, options);
    CHECK(result.screens.empty());
    CHECK(result.skipped == std::map<std::string, std::uint64_t>{{reason, 1}});
  }
}

TEST_CASE("capture: what the read-only guard accepts in a scenario is never left out as a write",
          "[unit][capture]") {
  // Reads as logs have them: a trailing ';', a leading comment, a function named like a
  // write, a column named like a keyword, SELECT 1 from a table (not a ping), a CTE.
  const std::vector<std::string> reads = {
      "SELECT 1 FROM foo;",
      "SELECT * FROM foo",
      "/* controller:works */ SELECT * FROM works WHERE id = 5",
      "SELECT REPLACE(title, 'a', 'b'), INSERT(title, 1, 2, 'x') FROM works",
      "SELECT w.update, w.`delete` FROM works w",
      "SELECT CAST(title AS CHAR CHARACTER SET utf8mb4) FROM works",
      "WITH recent AS (SELECT id FROM works ORDER BY id DESC LIMIT 5) SELECT * FROM recent",
      "(SELECT id FROM works WHERE id = 1) UNION (SELECT id FROM works WHERE id = 2)",
      "SELECT * FROM works WHERE title = 'for update'",
  };
  for (const std::string& sql : reads) {
    CAPTURE(sql);
    REQUIRE(why_not_read_only(sql).empty());  // the scenario loader would accept it
    CaptureOptions options;
    options.group_by = CaptureOptions::GroupBy::kQuery;
    const CaptureResult result = capture({event(1, sql)}, options);
    CHECK(result.skipped.empty());
    CHECK(result.screens.size() == 1);
  }
}

// ================================================================ --no-literals

TEST_CASE("capture --no-literals: string parameters drawn from the database, never written",
          "[unit][capture]") {
  CaptureOptions options;
  options.no_literals = true;
  std::vector<LogEvent> events;
  for (int i = 0; i < 3; ++i) {
    events.push_back(event(
        1,
        tagged(fmt::format("SELECT u.id FROM users u JOIN profiles p ON p.user_id = u.id WHERE "
                           "u.email = 'person{}@example.com' AND p.status = 'active' AND u.id > {}",
                           i, i),
               "users", "search", trace_id(i))));
    events.push_back(event(
        1, tagged(fmt::format("SELECT id FROM works WHERE CONCAT(title, 'x') = 'secret{}'", i),
                  "users", "search", trace_id(i))));
  }
  const CaptureResult result = capture(events, options);
  REQUIRE(result.screens.size() == 1);
  const std::vector<CapturedFile> files = captured_files(result, "test.log", true);
  REQUIRE(files.size() == 1);
  const Screen& screen = files[0].screen;
  // The query whose string no column explains is left out, and the file says so.
  REQUIRE(screen.queries.size() == 1);
  const Query& query = screen.queries[0];
  // A string constant of every statement is a parameter too: it may be personal.
  CHECK(query.sql ==
        "SELECT u.id FROM users u JOIN profiles p ON p.user_id = u.id WHERE u.email = :email AND "
        "p.status = :status AND u.id > :id");
  REQUIRE(query.params.at("email").from_sql.has_value());
  CHECK(*query.params.at("email").from_sql ==
        "SELECT DISTINCT `email` FROM `users` WHERE `email` IS NOT NULL ORDER BY `email` LIMIT "
        "1000");
  CHECK(query.params.at("email").values.empty());
  CHECK(*query.params.at("status").from_sql ==
        "SELECT DISTINCT `status` FROM `profiles` WHERE `status` IS NOT NULL ORDER BY `status` "
        "LIMIT 1000");
  CHECK(query.params.at("id").values.size() == 3);  // numbers stay
  const std::string toml = screen_to_toml(screen, files[0].comments);
  CHECK(toml.find("example.com") == std::string::npos);
  CHECK(toml.find("secret") == std::string::npos);
  CHECK(toml.find("active") == std::string::npos);
  CHECK(toml.find("--no-literals: query works left out: no column to draw") != std::string::npos);
  // The file reads back as written.
  TempDir dir("capture-no-literals");
  write_captured_files(files, dir / "out", false);
  const Screen loaded = load_screen_file(dir / "out/users_search.toml");
  REQUIRE(loaded.queries.size() == 1);
  CHECK(loaded.queries[0].params.at("email").sample == 3);
}

// ================================================================ binary values

TEST_CASE("capture: binary ids are one query, their values hex", "[unit][capture]") {
  // Each distinct binary id a query of its own would grow memory with the log: they are
  // parameters, written { hex = "..." } and replayed as X'...'.
  std::vector<LogEvent> events;
  const std::vector<std::string> ids = {"0x0A0B", "X'0C0D'", "'\xff\x01'", "0xABC"};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    events.push_back(event(1, tagged("SELECT * FROM files WHERE digest = " + ids[i], "files",
                                     "show", trace_id(static_cast<int>(i)))));
  }
  const CaptureResult result = capture(events);
  REQUIRE(result.screens.size() == 1);
  REQUIRE(result.screens[0].queries.size() == 1);
  const CapturedQuery& query = result.screens[0].queries[0];
  CHECK(query.sql == "SELECT * FROM files WHERE digest = :digest");
  REQUIRE(query.value_rows.size() == 4);
  CHECK(query.value_rows[0][0] == ParamValue::binary_hex("0A0B"));
  CHECK(query.value_rows[1][0] == ParamValue::binary_hex("0C0D"));
  CHECK(query.value_rows[2][0] == ParamValue::binary_hex("FF01"));
  CHECK(query.value_rows[3][0] == ParamValue::binary_hex("0ABC"));
  const std::vector<CapturedFile> files = captured_files(result, "test.log");
  const std::string toml = screen_to_toml(files[0].screen, files[0].comments);
  CHECK(toml.find("params.digest = [{ hex = \"0A0B\" }, { hex = \"0C0D\" }, { hex = \"FF01\" }, "
                  "{ hex = \"0ABC\" }]") != std::string::npos);
  TempDir dir("capture-binary");
  write_captured_files(files, dir / "out", false);
  const Screen loaded = load_screen_file(dir / "out/files_show.toml");
  REQUIRE(loaded.queries.size() == 1);
  CHECK(loaded.queries[0].params.at("digest").values ==
        std::vector<ParamValue>{ParamValue::binary_hex("0A0B"), ParamValue::binary_hex("0C0D"),
                                ParamValue::binary_hex("FF01"), ParamValue::binary_hex("0ABC")});
}

TEST_CASE("capture: IN-lists of many lengths share a query's value rows; the most issued keeps its",
          "[unit][capture]") {
  // 40 lengths, 300 statements of each, every value new (eager loads of random ids): the
  // rows kept are bounded per query, not per length, and the length replayed (the most
  // issued, 3) still gets its rows once the others have spent the query's share.
  std::vector<LogEvent> events;
  int id = 0;
  const auto in_list = [&id](int length) {
    std::string sql = "SELECT id, name FROM users WHERE id IN (";
    for (int i = 0; i < length; ++i) sql += (i > 0 ? ", " : "") + std::to_string(++id);
    return sql + ")";
  };
  for (int round = 0; round < 300; ++round) {
    for (int length = 1; length <= 40; ++length) events.push_back(event(1, in_list(length)));
  }
  for (int i = 0; i < 3000; ++i) events.push_back(event(1, in_list(3)));
  CaptureOptions options;
  options.group_by = CaptureOptions::GroupBy::kQuery;
  const CaptureResult result = capture(events, options);
  REQUIRE(result.screens.size() == 1);
  const CapturedQuery& query = result.screens[0].queries.at(0);
  CHECK(query.params.size() == 3);
  CHECK(query.statements == 300 * 40 + 3000);
  CHECK(query.value_rows.size() == options.max_values);
}

TEST_CASE("capture: a binary constant goes back into the SQL as hex", "[unit][capture]") {
  // Found by fuzz_log_capture: a string of bytes that are not UTF-8, the same in every
  // statement, was put back as written, and the file was no UTF-8.
  const std::vector<LogEvent> events = {
      event(1, tagged("SELECT id FROM works WHERE title = 'caf\xe9' LIMIT 1", "works", "search")),
  };
  const CaptureResult result = capture(events);
  REQUIRE(result.screens.size() == 1);
  CHECK(result.screens[0].queries.at(0).sql ==
        "SELECT id FROM works WHERE title = X'636166E9' LIMIT 1");
  const std::vector<CapturedFile> files = captured_files(result, "test.log");
  TempDir dir("capture-binary-constant");
  write_captured_files(files, dir / "out", false);
  CHECK(load_screen_file(dir / "out/works_search.toml").queries.at(0).sql ==
        "SELECT id FROM works WHERE title = X'636166E9' LIMIT 1");
}

// ================================================================ skeletons

TEST_CASE("statement skeleton: literals and comments cut out, the rest as written",
          "[unit][capture]") {
  StatementSkeleton skeleton;
  REQUIRE(read_statement_skeleton(
      "SELECT `a1`, t2.x FROM t2 WHERE id = 17 AND name = 'it''s \\' x' AND r > 2.5 "
      "/*+ BKA(t2) */ /*controller='works',action='show'*/",
      skeleton));
  CHECK(skeleton.literals == std::vector<std::string_view>{"17", "'it''s \\' x'", "2.5"});
  CHECK(skeleton.comments == std::vector<std::string_view>{"/*controller='works',action='show'*/"});
  CHECK(skeleton.text ==
        "SELECT `a1`, t2.x FROM t2 WHERE id = \x02 AND name = \x01 AND r > \x02 "
        "/*+ BKA(t2) */ \x03");
  // What the pass leaves to the lexer: each such statement is lexed.
  for (const char* sql :
       {"SELECT 1e5", "SELECT 0x1F", "SELECT 12abc", "SELECT 1.", "SELECT 1.2.3", "SELECT X'0A'",
        "SELECT _utf8'a'", "SELECT N'a'", "SELECT 'a", "SELECT `a", "SELECT 1 -- c", "SELECT 1 # c",
        "SELECT /*! 1 */", "SELECT /*M! 1 */", "SELECT 1 /* open", "SELECT '\xff\xfe'",
        "SELECT \x02", "SELECT -3", "SELECT a+3"}) {
    CAPTURE(sql);
    CHECK_FALSE(read_statement_skeleton(sql, skeleton));
  }
}

TEST_CASE("statement skeleton: the same wherever a byte falls in the scan's blocks",
          "[unit][capture]") {
  // The pass skips plain bytes 16 or 32 at a time: each case is read again after 1 to 63 more
  // spaces, so that every byte it turns on falls at every place of a block, and at its end.
  const std::vector<std::string> cases = {
      "SELECT a1, t2.x FROM t2 WHERE id = 17",
      "SELECT user_2fa FROM t WHERE x='a'",
      "SELECT * FROM t WHERE n = N'a'",
      "SELECT * FROM t WHERE n = 12abc",
      "SELECT * FROM t WHERE a = -5",
      "SELECT a FROM t /*x='1'*/",
      "SELECT `a1` FROM t WHERE b = \"q\" -- c",
      "SELECT 1 # c",
      "SELECT a FROM t WHERE b = 3.25 LIMIT 9",
      "SELECT \x02",
      "SELECT \x01",
      "SELECT a FROM t WHERE b = 1 \x03",
      "SELECT \xc3\xa9t\xc3\xa9 FROM t WHERE x = '\xc3\xbc' AND y = 2",
      std::string("SELECT a\0b FROM t WHERE c = 4", 30),
      "SELECT a/b FROM `t-1` WHERE c = \"d#e\" AND f = 6"};
  for (const std::string& sql : cases) {
    StatementSkeleton first;
    const bool fast = read_statement_skeleton(sql, first);
    for (std::size_t pad = 1; pad < 64; ++pad) {
      const std::string padded = std::string(pad, ' ') + sql;
      CAPTURE(sql, pad);
      StatementSkeleton again;
      REQUIRE(read_statement_skeleton(padded, again) == fast);
      if (!fast) continue;
      CHECK(again.text == std::string(pad, ' ') + first.text);
      CHECK(again.literals == first.literals);
      CHECK(again.comments == first.comments);
    }
  }
}

TEST_CASE("skeleton ids: one per distinct text, in order of first appearance", "[unit][capture]") {
  SkeletonIds ids;
  // Texts of every length around the hash's sixteen-byte steps, some differing only in their
  // last byte, and enough of them that the table grows several times.
  std::vector<std::string> texts;
  for (int length = 0; length <= 40; ++length) {
    for (char last : std::string_view("ab\x01")) {
      std::string text(static_cast<std::size_t>(length), 'x');
      text += last;
      texts.push_back(text);
    }
  }
  for (int i = 0; i < 500; ++i) texts.push_back(fmt::format("select \x02 from t{}", i));
  for (std::size_t i = 0; i < texts.size(); ++i) {
    REQUIRE(ids.id_of(texts[i]) == i);
  }
  for (std::size_t i = texts.size(); i-- > 0;) CHECK(ids.id_of(texts[i]) == i);
  CHECK(ids.id_of("") == texts.size());
  CHECK(ids.id_of(std::string("x\0y", 3)) == texts.size() + 1);
  CHECK(ids.id_of(std::string("x\0z", 3)) == texts.size() + 2);
}

TEST_CASE("text hash: texts one byte apart hash apart, at every length and position",
          "[unit][capture]") {
  // The tail of a text is read by loads that may overlap (no padded copy): every byte of it
  // still counts, whatever the length.
  std::set<std::uint64_t> hashes;
  std::size_t texts = 0;
  for (std::size_t length = 0; length <= 48; ++length) {
    const std::string base(length, 'x');
    hashes.insert(text_hash(base));
    ++texts;
    for (std::size_t at = 0; at < length; ++at) {
      std::string changed = base;
      changed[at] = 'y';
      hashes.insert(text_hash(changed));
      ++texts;
    }
  }
  CHECK(hashes.size() == texts);
  CHECK(text_hash("abc") == text_hash(std::string("abc")));
}

TEST_CASE("statement skeleton: statements of one skeleton make one template", "[unit][capture]") {
  // What capture's cache relies on: a skeleton whose literals are the template's parameters
  // stands for the template of every statement with that skeleton.
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"SELECT * FROM t WHERE a = 1 AND b IN (1, 2, 3) LIMIT 10",
       "SELECT * FROM t WHERE a = 22.5 AND b IN (7, 8, 9) LIMIT 5"},
      {"SELECT * FROM t WHERE a BETWEEN 1 AND 2 /* x */ AND c LIKE 'a%'",
       "SELECT * FROM t WHERE a BETWEEN 10.5 AND 20 /* y */ AND c LIKE \"b\\\"\""},
      {"SELECT t.5, 3 FROM t", "SELECT t.6, 4 FROM t"},
  };
  for (const auto& [first, second] : pairs) {
    CAPTURE(first, second);
    StatementSkeleton a, b;
    REQUIRE(read_statement_skeleton(first, a));
    REQUIRE(read_statement_skeleton(second, b));
    REQUIRE(a.text == b.text);
    const StatementTemplate ta = make_statement_template(first);
    const StatementTemplate tb = make_statement_template(second);
    CHECK(ta.sql == tb.sql);
    CHECK(ta.fingerprint == tb.fingerprint);
    REQUIRE(tb.params.size() == b.literals.size());
    for (std::size_t i = 0; i < tb.params.size(); ++i) CHECK(tb.params[i].literal == b.literals[i]);
  }
}

TEST_CASE("capture: statements read from their skeleton give what lexing each gives",
          "[unit][capture]") {
  // ".5" is one literal to the templater, "5" after a "." to the skeleton: that skeleton is
  // never trusted, and each of its statements is lexed.
  const std::vector<LogEvent> events = {
      event(1, tagged("SELECT * FROM t WHERE r > .5 AND id = 1", "works", "show")),
      event(1, tagged("SELECT * FROM t WHERE r > .7 AND id = 2", "works", "show")),
      event(1, tagged("SELECT * FROM t WHERE r > .7 AND id = 3", "works", "show")),
  };
  const CaptureResult result = capture(events);
  REQUIRE(result.screens.size() == 1);
  REQUIRE(result.screens[0].queries.size() == 1);
  const CapturedQuery& query = result.screens[0].queries[0];
  CHECK(query.sql == "SELECT * FROM t WHERE r > :r AND id = :id");
  CHECK(query.statements == 3);
  REQUIRE(query.value_rows.size() == 3);
  CHECK(query.value_rows[1][0].text == ".7");
}

// ================================================================ query tags

TEST_CASE("query tags: read once per comment without its traceparent", "[unit][capture]") {
  QueryTagReader reader({});
  const std::string a = "/*controller='works',action='show',traceparent='00-" + trace_id(1) +
                        "-00f067aa0ba902b7-01'*/";
  const std::string b = "/*controller='works',action='show',traceparent='00-" + trace_id(2) +
                        "-00f067aa0ba902b7-01'*/";
  const ReadTags first = reader.from_comments({a});
  const ReadTags second = reader.from_comments({b});
  CHECK(first.screen == second.screen);
  CHECK(first.trace == "trace:" + trace_id(1));
  CHECK(second.trace == "trace:" + trace_id(2));
  CHECK(second.text == "controller='works',action='show'");
  // An encoded traceparent is read by the sqlcommenter reader, decoded.
  const ReadTags encoded = reader.from_comments(
      {"/*controller='works',action='show',traceparent='00-" + trace_id(3) + "%2Dx-01'*/"});
  CHECK(encoded.trace == "trace:" + trace_id(3));
  // Screens named by the traceparent itself: each comment is read whole.
  QueryTagReader by_trace({"traceparent"});
  CHECK(by_trace.from_comments({a}).screen != by_trace.from_comments({b}).screen);
}

TEST_CASE("query tags: sqlcommenter appended or prepended, URL-encoded", "[unit][capture]") {
  const std::optional<QueryTags> appended = read_query_tags(
      "SELECT * FROM works WHERE id = 5 "
      "/*action='show',controller='works',route='%2Fworks%2F%3Aid',"
      "traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'*/");
  REQUIRE(appended.has_value());
  REQUIRE(appended->pairs.size() == 4);
  CHECK(appended->pairs[0] == std::pair<std::string, std::string>{"action", "show"});
  CHECK(appended->pairs[1] == std::pair<std::string, std::string>{"controller", "works"});
  REQUIRE(appended->get("route") != nullptr);
  CHECK(*appended->get("route") == "/works/:id");
  CHECK(appended->get("missing") == nullptr);
  CHECK(appended->request_key() == "trace:4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(appended->text() == "action='show',controller='works',route='/works/:id'");

  const std::optional<QueryTags> prepended =
      read_query_tags("/*db%20driver='mysql2',framework='rails%3A7.1',name='O\\'Brien'*/ SELECT 1");
  REQUIRE(prepended.has_value());
  REQUIRE(prepended->pairs.size() == 3);
  CHECK(prepended->pairs[0].first == "db driver");
  CHECK(prepended->pairs[0].second == "mysql2");
  CHECK(prepended->pairs[1].second == "rails:7.1");
  CHECK(prepended->pairs[2].second == "O'Brien");
  CHECK(prepended->request_key().empty());

  // An optimizer hint first is no tag comment; the tags after it are.
  const std::optional<QueryTags> after_hint = read_query_tags(
      "SELECT /*+ MAX_EXECUTION_TIME(1000) */ 1 /*controller='works',action='index'*/");
  REQUIRE(after_hint.has_value());
  CHECK(after_hint->text() == "controller='works',action='index'");
}

TEST_CASE("query tags: Rails' legacy format, and comments that are not tags", "[unit][capture]") {
  const std::optional<QueryTags> rails =
      read_query_tags("SELECT * FROM works /*application:Demo,controller:works,action:show*/");
  REQUIRE(rails.has_value());
  REQUIRE(rails->pairs.size() == 3);
  CHECK(rails->pairs[0] == std::pair<std::string, std::string>{"application", "Demo"});
  CHECK(*rails->get("controller") == "works");
  CHECK(*rails->get("action") == "show");

  CHECK_FALSE(read_query_tags("SELECT * FROM works /* load the works */").has_value());
  CHECK_FALSE(read_query_tags("SELECT * FROM works").has_value());
  CHECK_FALSE(read_query_tags("SELECT /*+ NO_ICP(works) */ * FROM works").has_value());
  CHECK_FALSE(read_query_tags("SELECT * FROM works -- controller='works'").has_value());
  // A tag comment inside a string literal is no comment.
  CHECK_FALSE(read_query_tags("SELECT '/*controller=''works''*/' FROM works").has_value());
}

// ================================================================ screens from events

TEST_CASE("capture: tagged requests on two threads, interleaved", "[unit][capture]") {
  std::vector<LogEvent> events;
  // Thread 1 serves trace 1 for user 1, thread 2 trace 2 for user 2, statement by statement.
  for (int step = 0; step < 2; ++step) {
    for (int user = 1; user <= 2; ++user) {
      const std::string sql =
          step == 0 ? "SELECT * FROM users WHERE id = " + std::to_string(user)
                    : "SELECT * FROM works WHERE user_id = " + std::to_string(user) + " LIMIT 20";
      events.push_back(
          event(static_cast<std::uint64_t>(user), tagged(sql, "works", "index", trace_id(user))));
    }
  }
  const CaptureResult result = capture(events);
  CHECK(result.events == 4);
  CHECK(result.skipped.empty());
  CHECK(result.renamed.empty());
  REQUIRE(screen_names(result) == std::vector<std::string>{"works_index"});
  const CapturedScreen& screen = result.screens[0];
  CHECK(screen.requests == 2);
  CHECK(screen.tags == "controller='works',action='index'");
  CHECK(query_names(screen) == std::vector<std::string>{"users", "works"});
  const CapturedQuery& users = screen.queries[0];
  CHECK(users.sql == "SELECT * FROM users WHERE id = :id");
  CHECK(users.fingerprint == "select * from users where id = ?");
  CHECK(users.times == 1);
  CHECK(users.statements == 2);
  CHECK(users.requests == 2);
  CHECK(users.params == std::vector<std::string>{"id"});
  CHECK(users.value_rows == std::vector<std::vector<ParamValue>>{{integer(1)}, {integer(2)}});
  // LIMIT 20 never varied: back in the SQL as written.
  const CapturedQuery& works = screen.queries[1];
  CHECK(works.sql == "SELECT * FROM works WHERE user_id = :user_id LIMIT 20");
  CHECK(works.params == std::vector<std::string>{"user_id"});
}

TEST_CASE("capture: an N+1 loop is one query issued `times` times, in the order issued",
          "[unit][capture]") {
  std::vector<LogEvent> events;
  const int loops[] = {20, 20, 18, 20};  // the median is 20
  for (int request = 0; request < 4; ++request) {
    const std::string trace = trace_id(request);
    const std::uint64_t thread = 5;  // one connection serves them one after another
    events.push_back(event(thread, tagged("SELECT * FROM works WHERE user_id = " +
                                              std::to_string(request + 1) + " LIMIT 20",
                                          "works", "index", trace)));
    for (int i = 1; i <= loops[request]; ++i) {
      events.push_back(event(thread, tagged("SELECT * FROM authors WHERE id = " + std::to_string(i),
                                            "works", "index", trace)));
    }
    events.push_back(event(
        thread, tagged("SELECT COUNT(*) FROM works WHERE user_id = " + std::to_string(request + 1),
                       "works", "index", trace)));
  }
  const CaptureResult result = capture(events);
  REQUIRE(result.screens.size() == 1);
  const CapturedScreen& screen = result.screens[0];
  CHECK(screen.requests == 4);
  CHECK(query_names(screen) == std::vector<std::string>{"works", "authors", "works_2"});
  const CapturedQuery& authors = screen.queries[1];
  CHECK(authors.times == 20);
  CHECK(authors.statements == 78);
  CHECK(authors.requests == 4);
  CHECK(authors.sql == "SELECT * FROM authors WHERE id = :id");
  // Ids 1-18 were seen in four requests, 19 and 20 in three: most frequent first.
  REQUIRE(authors.value_rows.size() == 20);
  CHECK(authors.value_rows.front() == std::vector<ParamValue>{integer(1)});
  CHECK(authors.value_rows[17] == std::vector<ParamValue>{integer(18)});
  CHECK(authors.value_rows[18] == std::vector<ParamValue>{integer(19)});
  CHECK(authors.value_rows.back() == std::vector<ParamValue>{integer(20)});
  CHECK(screen.queries[0].times == 1);
  CHECK(screen.queries[2].times == 1);
  CHECK(screen.queries[2].sql == "SELECT COUNT(*) FROM works WHERE user_id = :user_id");
}

TEST_CASE("capture: queries at the same average position keep the order first seen",
          "[unit][capture]") {
  const std::string users = "SELECT * FROM users WHERE id = ";
  const std::string works = "SELECT * FROM works WHERE id = ";
  for (const bool users_first : {true, false}) {
    const std::string& first = users_first ? users : works;
    const std::string& second = users_first ? works : users;
    const std::vector<LogEvent> events = {
        event(1, tagged(first + "1", "a", "b", trace_id(1))),
        event(1, tagged(second + "1", "a", "b", trace_id(1))),
        event(1, tagged(second + "2", "a", "b", trace_id(2))),
        event(1, tagged(first + "2", "a", "b", trace_id(2))),
    };
    const CaptureResult result = capture(events);
    REQUIRE(result.screens.size() == 1);
    CHECK(query_names(result.screens[0]) == (users_first
                                                 ? std::vector<std::string>{"users", "works"}
                                                 : std::vector<std::string>{"works", "users"}));
  }
}

TEST_CASE("capture: value rows most frequent first, aligned across parameters", "[unit][capture]") {
  std::vector<LogEvent> events;
  const std::pair<int, int> pairs[] = {{1, 10}, {2, 20}, {3, 30}, {2, 20},
                                       {3, 30}, {2, 20}, {4, 40}};
  int request = 0;
  for (const auto& [user, work] : pairs) {
    events.push_back(
        event(1, tagged("SELECT * FROM reviews WHERE user_id = " + std::to_string(user) +
                            " AND work_id = " + std::to_string(work) + " AND status = 'published'",
                        "reviews", "show", trace_id(++request))));
  }
  SECTION("all rows") {
    const CaptureResult result = capture(events);
    REQUIRE(result.screens.size() == 1);
    REQUIRE(result.screens[0].queries.size() == 1);
    const CapturedQuery& query = result.screens[0].queries[0];
    CHECK(query.sql ==
          "SELECT * FROM reviews WHERE user_id = :user_id AND work_id = :work_id AND status = "
          "'published'");
    CHECK(query.params == std::vector<std::string>{"user_id", "work_id"});
    CHECK(query.value_rows == std::vector<std::vector<ParamValue>>{{integer(2), integer(20)},
                                                                   {integer(3), integer(30)},
                                                                   {integer(1), integer(10)},
                                                                   {integer(4), integer(40)}});
    CHECK(query.statements == 7);
    CHECK(result.screens[0].requests == 7);
  }
  SECTION("--max-values bounds the rows kept") {
    CaptureOptions options;
    options.max_values = 2;
    const CaptureResult result = capture(events, options);
    REQUIRE(result.screens.size() == 1);
    CHECK(
        result.screens[0].queries[0].value_rows ==
        std::vector<std::vector<ParamValue>>{{integer(2), integer(20)}, {integer(3), integer(30)}});
  }
}

TEST_CASE("capture: writes, SET and pings in a tagged request are counted, not replayed",
          "[unit][capture]") {
  const std::string trace = trace_id(1);
  const std::vector<LogEvent> events = {
      event(3, "SET NAMES utf8mb4"),  // the connector's, untagged
      event(3, tagged("SELECT * FROM works WHERE id = 5", "works", "show", trace)),
      event(3, tagged("UPDATE works SET views = views + 1 WHERE id = 5", "works", "show", trace)),
      event(3, tagged("SET @x = 1", "works", "show", trace)),
      event(3, tagged("SELECT 1", "works", "show", trace)),
      event(3, tagged("BEGIN", "works", "show", trace)),
      event(3, "SELECT * FROM works"),  // untagged read
      event(4, tagged("INSERT INTO sessions (user_id) VALUES (1)", "sessions", "create")),
      event(4, "", -1, "Quit"),
  };
  const CaptureResult result = capture(events);
  CHECK(result.events == 9);
  REQUIRE(screen_names(result) == std::vector<std::string>{"works_show"});
  const CapturedScreen& screen = result.screens[0];
  CHECK(screen.requests == 1);
  REQUIRE(screen.queries.size() == 1);
  CHECK(screen.queries[0].sql == "SELECT * FROM works WHERE id = 5");
  CHECK(screen.skipped == std::map<std::string, std::uint64_t>{
                              {"write", 1}, {"SET", 1}, {"ping", 1}, {"transaction control", 1}});
  CHECK(result.skipped == std::map<std::string, std::uint64_t>{
                              {"SET", 1}, {"untagged (--group-by thread or query reads it)", 1}});
  // A screen that only writes is left out, and said so.
  REQUIRE(result.left_out.count("sessions_create") == 1);
  CHECK(result.left_out.at("sessions_create") ==
        std::map<std::string, std::uint64_t>{{"write", 1}});
}

TEST_CASE("capture: screen names colliding after normalisation get _2", "[unit][capture]") {
  const std::vector<LogEvent> events = {
      event(1, tagged("SELECT * FROM works WHERE id = 1", "Works", "show")),
      event(2, tagged("SELECT * FROM works WHERE id = 2", "works", "show")),
      event(3,
            "SELECT * FROM works WHERE id = 3 /*application:Demo,controller:works,action:list*/"),
  };
  const CaptureResult result = capture(events);
  CHECK(screen_names(result) ==
        std::vector<std::string>{"works_list", "works_show", "works_show_2"});
  CHECK(screen_named(result, "works_show").tags == "controller='Works',action='show'");
  CHECK(screen_named(result, "works_show_2").tags == "controller='works',action='show'");
  CHECK(screen_named(result, "works_list").tags ==
        "application='Demo',controller='works',action='list'");
  CHECK(result.renamed ==
        std::vector<std::string>{"works_show_2 (controller='works',action='show')"});

  // --screen-tag: these keys name the screen, and only these: the two show requests have no
  // application, so they are one screen.
  CaptureOptions options;
  options.screen_tags = {"application", "action"};
  const CaptureResult by_tag = capture(events, options);
  CHECK(screen_names(by_tag) == std::vector<std::string>{"demo_list", "show"});
  CHECK(screen_named(by_tag, "show").requests == 2);

  CHECK(screen_name_from({"Admin/Works", "", "show!!"}) == "admin_works_show");
  CHECK(screen_name_from({"__", "--"}) == "screen");
  CHECK(screen_name_from({std::string(300, 'a')}).size() <= kMaxNameLength);
}

TEST_CASE("capture: requests without a traceparent end when the tags change", "[unit][capture]") {
  const std::vector<LogEvent> events = {
      event(1, tagged("SELECT * FROM works WHERE id = 1", "works", "show")),
      event(1, tagged("SELECT * FROM authors WHERE id = 1", "works", "show")),
      event(1, tagged("SELECT * FROM works", "works", "index")),
      event(1, tagged("SELECT * FROM works WHERE id = 2", "works", "show")),
      event(1, tagged("SELECT * FROM authors WHERE id = 2", "works", "show")),
      event(1, "", -1, "Quit"),
      event(1, tagged("SELECT * FROM works WHERE id = 3", "works", "show")),
  };
  const CaptureResult result = capture(events);
  CHECK(screen_names(result) == std::vector<std::string>{"works_index", "works_show"});
  const CapturedScreen& show = screen_named(result, "works_show");
  CHECK(show.requests == 3);
  CHECK(query_names(show) == std::vector<std::string>{"works", "authors"});
  CHECK(show.queries[0].times == 1);
  CHECK(show.queries[1].requests == 2);
}

TEST_CASE("capture: --group-by query, one screen per fingerprint", "[unit][capture]") {
  const std::vector<LogEvent> events = {
      event(1, "SELECT * FROM works WHERE id = 1"),
      event(2, "SELECT * FROM works WHERE id = 2"),
      event(1, "SELECT name FROM users WHERE id = 1"),
      event(1, "UPDATE works SET views = 2 WHERE id = 1"),
      event(1, "SELECT * FROM works WHERE id = 1"),
  };
  CaptureOptions options;
  options.group_by = CaptureOptions::GroupBy::kQuery;
  const CaptureResult result = capture(events, options);
  CHECK(screen_names(result) == std::vector<std::string>{"users", "works"});
  const CapturedScreen& works = screen_named(result, "works");
  CHECK(works.requests == 3);
  REQUIRE(works.queries.size() == 1);
  CHECK(works.queries[0].times == 1);
  CHECK(works.queries[0].value_rows ==
        std::vector<std::vector<ParamValue>>{{integer(1)}, {integer(2)}});
  CHECK(screen_named(result, "users").queries[0].sql == "SELECT name FROM users WHERE id = 1");
  CHECK(result.skipped == std::map<std::string, std::uint64_t>{{"write", 1}});
}

TEST_CASE("capture: --group-by thread splits a thread's statements at idle gaps",
          "[unit][capture]") {
  const std::int64_t t0 = kMySqlTime;
  const std::vector<LogEvent> events = {
      event(1, "SELECT * FROM users WHERE id = 1", t0),
      event(2, "SELECT * FROM tags WHERE id = 9", t0 + 50'000),
      event(1, "SELECT * FROM works WHERE user_id = 1", t0 + 100'000),
      event(1, "SELECT * FROM users WHERE id = 2", t0 + 5 * kSecond),
      event(1, "SELECT * FROM works WHERE user_id = 2", t0 + 5 * kSecond + 100'000),
  };
  SECTION("the default gap, one second") {
    CaptureOptions options;
    options.group_by = CaptureOptions::GroupBy::kThread;
    const CaptureResult result = capture(events, options);
    CHECK(screen_names(result) == std::vector<std::string>{"tags", "users"});
    const CapturedScreen& users = screen_named(result, "users");
    CHECK(users.requests == 2);
    CHECK(users.tags.empty());
    CHECK(query_names(users) == std::vector<std::string>{"users", "works"});
    CHECK(users.queries[0].times == 1);
    CHECK(screen_named(result, "tags").requests == 1);
  }
  SECTION("a longer gap: one request issuing each query twice") {
    CaptureOptions options;
    options.group_by = CaptureOptions::GroupBy::kThread;
    options.gap_us = 10 * kSecond;
    const CaptureResult result = capture(events, options);
    const CapturedScreen& users = screen_named(result, "users");
    CHECK(users.requests == 1);
    CHECK(users.queries[0].times == 2);
    CHECK(users.queries[1].times == 2);
  }
  SECTION("the end of a log ends its sessions") {
    CaptureOptions options;
    options.group_by = CaptureOptions::GroupBy::kThread;
    options.gap_us = 10 * kSecond;
    CaptureBuilder builder(options);
    builder.add(events[0]);
    builder.add(events[2]);
    builder.end_of_log();
    builder.add(events[3]);
    builder.add(events[4]);
    const CaptureResult result = builder.finish();
    const CapturedScreen& users = screen_named(result, "users");
    CHECK(users.requests == 2);
    CHECK(users.queries[0].times == 1);
  }
}

// ================================================================ the scenario directory

TEST_CASE("capture: captured files round-trip through the scenario loader", "[unit][capture]") {
  std::vector<LogEvent> events;
  const char* titles[] = {"O'Brien", "C:\\dir", "caf\xc3\xa9 \"quoted\"", "tab\there"};
  for (int request = 0; request < 4; ++request) {
    const std::string trace = trace_id(request);
    events.push_back(event(7, tagged("SELECT * FROM works WHERE title = '" +
                                         std::string(request == 0   ? "O\\'Brien"
                                                     : request == 1 ? "C:\\\\dir"
                                                     : request == 2 ? "caf\xc3\xa9 \"quoted\""
                                                                    : "tab\\there") +
                                         "' AND price < " + (request % 2 == 0 ? "2.05" : "10.25"),
                                     "works", "search", trace)));
    for (int i = 1; i <= 3; ++i) {
      events.push_back(
          event(7, tagged("SELECT /*+ MAX_EXECUTION_TIME(500) */ name FROM authors WHERE id = " +
                              std::to_string(i * 10 + request) + " AND kind IN ('a', 'b')",
                          "works", "search", trace)));
    }
  }
  events.push_back(event(8, tagged("SELECT COUNT(*) FROM users", "users", "count")));
  const CaptureResult result = capture(events);
  REQUIRE(screen_names(result) == std::vector<std::string>{"users_count", "works_search"});
  {
    const CapturedQuery& works = screen_named(result, "works_search").queries[0];
    REQUIRE(works.value_rows.size() == 4);
    for (int i = 0; i < 4; ++i) CHECK(works.value_rows[i][0] == ParamValue::string(titles[i]));
    CHECK(works.value_rows[0][1] == ParamValue{ParamValue::Kind::kFloat, "2.05"});
    CHECK(works.value_rows[1][1] == ParamValue{ParamValue::Kind::kFloat, "10.25"});
  }

  const std::vector<CapturedFile> files = captured_files(result, "general.log");
  REQUIRE(files.size() == 2);
  CHECK(files[1].screen.name == "works_search");
  CHECK(files[1].comments.front() == "Captured by sqlmeasure capture from general.log.");

  TempDir dir("capture");
  const std::string out = dir / "scenarios";
  const std::vector<std::string> paths = write_captured_files(files, out, false);
  REQUIRE(paths.size() == 2);
  for (std::size_t i = 0; i < files.size(); ++i) {
    CHECK(paths[i] == (std::filesystem::path(out) / (files[i].screen.name + ".toml")).string());
    CHECK(testing::read_text(paths[i]) == screen_to_toml(files[i].screen, files[i].comments));
  }
  CHECK(testing::read_text(paths[1]).starts_with("# Captured by sqlmeasure capture from "));

  const std::vector<Screen> loaded = load_scenarios(out);
  REQUIRE(loaded.size() == files.size());
  std::map<std::string, const Screen*> by_name;
  for (const Screen& screen : loaded) by_name[screen.name] = &screen;
  for (const CapturedFile& file : files) {
    INFO("screen " << file.screen.name);
    REQUIRE(by_name.count(file.screen.name) == 1);
    const Screen& back = *by_name.at(file.screen.name);
    CHECK(back.description == file.screen.description);
    REQUIRE(back.queries.size() == file.screen.queries.size());
    for (std::size_t q = 0; q < back.queries.size(); ++q) {
      const Query& want = file.screen.queries[q];
      const Query& got = back.queries[q];
      INFO("query " << want.name);
      CHECK(got.name == want.name);
      CHECK(got.sql == want.sql);
      CHECK(got.times == want.times);
      REQUIRE(got.params.size() == want.params.size());
      for (const auto& [name, spec] : want.params) {
        REQUIRE(got.params.count(name) == 1);
        CHECK(got.params.at(name).values == spec.values);
        CHECK_FALSE(got.params.at(name).from_sql.has_value());
      }
    }
  }
  const Screen& search = *by_name.at("works_search");
  REQUIRE(search.queries.size() == 2);
  CHECK(search.queries[0].sql == "SELECT * FROM works WHERE title = :title AND price < :price");
  CHECK(search.queries[1].times == 3);
  CHECK(search.queries[1].sql ==
        "SELECT /*+ MAX_EXECUTION_TIME(500) */ name FROM authors WHERE id = :id AND kind IN "
        "('a', 'b')");
  CHECK(search.queries[1].params.at("id").values.size() == 12);
  CHECK(by_name.at("users_count")->queries[0].sql == "SELECT COUNT(*) FROM users");
  CHECK(by_name.at("users_count")->queries[0].params.empty());
}

TEST_CASE("capture: files are not overwritten without force", "[unit][capture]") {
  const CaptureResult result =
      capture({event(1, tagged("SELECT * FROM works WHERE id = 1", "works", "show")),
               event(2, tagged("SELECT * FROM users WHERE id = 1", "users", "show"))});
  const std::vector<CapturedFile> files = captured_files(result, "slow.log");
  REQUIRE(files.size() == 2);
  TempDir dir("capture");
  const std::string existing = dir.write("works_show.toml", "# mine\n");

  try {
    (void)write_captured_files(files, dir.path(), false);
    FAIL("write_captured_files overwrote " << existing);
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::kUsage);
    CHECK(std::string(error.what()).find(existing) != std::string::npos);
    CHECK(std::string(error.what()).find("--force") != std::string::npos);
  }
  // Nothing at all was written.
  CHECK(testing::read_text(existing) == "# mine\n");
  CHECK_FALSE(testing::exists(dir / "users_show.toml"));

  // --out names a file: a usage error too.
  try {
    (void)write_captured_files(files, existing, true);
    FAIL("wrote into a file");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::kUsage);
  }

  const std::vector<std::string> paths = write_captured_files(files, dir.path(), true);
  CHECK(paths.size() == 2);
  CHECK(testing::read_text(existing) == screen_to_toml(files[1].screen, files[1].comments));
  CHECK(testing::exists(dir / "users_show.toml"));
}

TEST_CASE("capture: --out that can never be a directory is said before any log is read",
          "[unit][capture]") {
  TempDir dir("capture-out");
  const std::string file = dir.write("taken", "a file\n");
  dir.write("slow.log", "not read: the --out error comes first\n");
  for (const std::string& out : {file, file + "/screens"}) {
    const testing::CliResult result =
        testing::run_in_process({"capture", dir / "slow.log", "--out", out});
    INFO(result.err);
    CHECK(result.code == 64);
    CHECK(result.err.find("--out " + out + ": ") != std::string::npos);
    CHECK(result.err.find("not a directory") != std::string::npos);
    CHECK(result.err.find("no event") == std::string::npos);  // the log was not read
  }
}

TEST_CASE("capture: past 10,000 screens it refuses and asks for --top; --top keeps them",
          "[unit][capture]") {
  TempDir dir("capture-many");
  std::string log =
      "/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-0+deb12u1 (Debian 12). started with:\n"
      "Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\n"
      "Time\t\t    Id Command\tArgument\n"
      "261203 10:15:01\t    11 Connect\tapp@10.0.0.5 on shop using TCP/IP\n";
  for (std::size_t i = 0; i <= kCaptureMaxScreens; ++i) {
    log += fmt::format(
        "\t\t    11 Query\tSELECT id FROM works WHERE id = 1 "
        "/*controller='route{}',action='show'*/\n",
        i);
  }
  dir.write("general.log", log);
  const testing::CliResult refused =
      testing::run_in_process({"capture", dir / "general.log", "--out", dir / "out"});
  INFO(refused.err);
  CHECK(refused.code == 64);
  CHECK(refused.err.find("the logs hold 10001 screens, more than the 10000 capture writes: keep "
                         "the most requested with --top N") != std::string::npos);
  CHECK_FALSE(testing::exists(dir / "out"));
  const testing::CliResult top =
      testing::run_in_process({"capture", dir / "general.log", "--out", dir / "out", "--top", "3"});
  INFO(top.err);
  CHECK(top.code == 0);
  CHECK(std::distance(std::filesystem::directory_iterator(dir / "out"),
                      std::filesystem::directory_iterator()) == 3);
  CHECK(testing::run_in_process(
            {"capture", dir / "general.log", "--out", dir / "o2", "--top", "10001"})
            .code == 64);
}

TEST_CASE("capture: past the screens it tracks, the least requested are set aside and said",
          "[unit][capture]") {
  CaptureOptions options;
  options.screens_tracked = 20;
  std::vector<LogEvent> events;
  events.push_back(event(1, tagged("INSERT INTO works VALUES (1)", "writer", "create")));
  for (int i = 0; i < 200; ++i) {
    events.push_back(
        event(1, tagged("SELECT id FROM works WHERE id = 1", fmt::format("r{}", i), "show")));
    if (i % 4 == 0) {
      events.push_back(event(1, tagged("SELECT id FROM works WHERE id = 2", "hot", "index")));
    }
  }
  const CaptureResult result = capture(events, options);
  // The memory it holds follows what it tracks, not the 201 routes read.
  CHECK(result.screens.size() <= 2 * options.screens_tracked);
  CHECK(result.screens_set_aside >= 180);
  CHECK(result.set_aside_requests == 1);
  const CapturedScreen& hot = screen_named(result, "hot_index");
  CHECK(hot.requests == 50);  // never set aside: counted whole
  CHECK(hot.tags == "controller='hot',action='index'");
  // The write-only route set aside early still counts in what was left out.
  CHECK(result.skipped.at("write") == 1);
}

TEST_CASE("capture: a log of more screens than it tracks is refused without --top, noted with it",
          "[unit][capture]") {
  TempDir dir("capture-routes");
  const std::size_t routes = CaptureOptions{}.screens_tracked + 2;
  std::string log =
      "/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-0+deb12u1 (Debian 12). started with:\n"
      "Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\n"
      "Time\t\t    Id Command\tArgument\n"
      "261203 10:15:01\t    11 Connect\tapp@10.0.0.5 on shop using TCP/IP\n";
  for (std::size_t i = 0; i < routes; ++i) {
    log += fmt::format(
        "\t\t    11 Query\tSELECT id FROM works WHERE id = 1 /*controller='r{}',action='show'*/\n",
        i);
    if (i % 100 == 0) {
      log +=
          "\t\t    11 Query\tSELECT id FROM works WHERE id = 2 /*controller='hot',action='x'*/\n";
    }
  }
  dir.write("general.log", log);
  const testing::CliResult refused =
      testing::run_in_process({"capture", dir / "general.log", "--out", dir / "out"});
  INFO(refused.err);
  CHECK(refused.code == 64);
  CHECK(refused.err.find("the logs hold more than 50,000 screens, more than the 10,000 capture "
                         "writes: keep the most requested with --top N; nothing was written") !=
        std::string::npos);
  CHECK_FALSE(testing::exists(dir / "out"));
  const testing::CliResult top =
      testing::run_in_process({"capture", dir / "general.log", "--out", dir / "out", "--top", "1"});
  INFO(top.err);
  CHECK(top.code == 0);
  CHECK(top.err.find("capture: the logs hold more than 50,000 screens; it kept the most requested "
                     "as it read, setting aside ") != std::string::npos);
  CHECK(top.err.find("that had at most 1 request each") != std::string::npos);
  CHECK(testing::exists(dir / "out/hot_x.toml"));
}

namespace sqlmeasure::testing {
namespace {

// Three screen files, the last over 64 KiB (a comment line of 100,000 bytes).
std::vector<CapturedFile> three_files() {
  std::vector<CapturedFile> files(3);
  for (std::size_t i = 0; i < files.size(); ++i) {
    files[i].screen.name = std::string(1, static_cast<char>('a' + i));
    Query query;
    query.name = "works";
    query.sql = "SELECT id FROM works WHERE id = 1";
    files[i].screen.queries.push_back(query);
  }
  files[2].comments.push_back(std::string(100000, 'x'));
  return files;
}

// write_captured_files in a child whose files may not exceed 64 KiB (RLIMIT_FSIZE, SIGXFSZ
// ignored: EFBIG): the third file fails midway. Returns the child's exit code (2: Error(kRuntime)).
int write_with_a_full_disk(const std::string& out) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const rlimit limit{64 * 1024, 64 * 1024};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    std::signal(SIGXFSZ, SIG_IGN);
    try {
      (void)write_captured_files(three_files(), out, true);
      ::_exit(0);
    } catch (const Error& error) {
      ::_exit(static_cast<int>(error.code()));
    } catch (...) {
      ::_exit(99);
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> entries(const std::string& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST_CASE("capture --out: a write failing midway leaves --out as it was", "[unit][capture]") {
  TempDir dir("capture-half-written");
  SECTION("a new --out: not made at all, no scratch left") {
    CHECK(write_with_a_full_disk(dir / "out") == 2);
    CHECK_FALSE(testing::exists(dir / "out"));
    CHECK(entries(dir.path()).empty());
  }
  SECTION("an existing --out: its files as they were, none of the new ones") {
    dir.write("out/mine.toml", "# the user's own\n");
    dir.write("out/a.toml", "# an older capture's a\n");
    CHECK(write_with_a_full_disk(dir / "out") == 2);
    CHECK(entries(dir / "out") == std::vector<std::string>{"a.toml", "mine.toml"});
    CHECK(testing::read_text(dir / "out/a.toml") == "# an older capture's a\n");
    CHECK(entries(dir.path()) == std::vector<std::string>{"out"});
  }
  SECTION("and when nothing fails, all of them, with the mode a new file gets") {
    const mode_t mask = ::umask(027);
    const std::vector<std::string> paths = write_captured_files(three_files(), dir / "out", false);
    ::umask(mask);
    CHECK(paths.size() == 3);
    CHECK(entries(dir / "out") == std::vector<std::string>{"a.toml", "b.toml", "c.toml"});
    CHECK(entries(dir.path()) == std::vector<std::string>{"out"});
    for (const std::string& path : paths) {
      struct stat status {};
      REQUIRE(::stat(path.c_str(), &status) == 0);
      CHECK((status.st_mode & 0777) == 0640);
    }
    struct stat status {};
    REQUIRE(::stat((dir / "out").c_str(), &status) == 0);
    CHECK((status.st_mode & 0777) == 0750);
  }
}

TEST_CASE("capture: a log of header lines only is an empty log, not \"not a log\"",
          "[unit][capture]") {
  TempDir dir("capture-headers-only");
  dir.write("general.log",
            "/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-0+deb12u1 (Debian 12). started with:\n"
            "Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\n"
            "Time\t\t    Id Command\tArgument\n");
  const CliResult result = run_in_process({"capture", dir / "general.log", "--out", dir / "out"});
  CHECK(result.code == 65);
  CHECK(result.err == "sqlmeasure: error: " + (dir / "general.log") +
                          ": the log is empty (only the 3 header lines a server writes when it "
                          "opens the log: no event yet)\n");
}

}  // namespace
}  // namespace sqlmeasure::testing

namespace sqlmeasure::testing {
namespace {

TEST_CASE("slow logs whose entries start straight with # Query_time", "[unit][capture]") {
  // A log cut with grep -A or tail, or rotated mid-stream: no # Time or # User@Host at all.
  const std::string log =
      "# Query_time: 0.000211  Lock_time: 0.000080 Rows_sent: 1  Rows_examined: 1\n"
      "SET timestamp=1700000000;\n"
      "SELECT 1 FROM foo;\n"
      "# Query_time: 0.000102  Lock_time: 0.000040 Rows_sent: 3  Rows_examined: 3\n"
      "SET timestamp=1700000001;\n"
      "SELECT *\n"
      "  FROM foo;\n";
  CHECK(detect_log_format(lines_of(log)) == LogFormat::kMySqlSlow);
  const std::vector<LogEvent> events = parse(LogFormat::kMySqlSlow, log);
  CHECK(texts(events) == std::vector<std::string>{"SELECT 1 FROM foo", "SELECT *\n  FROM foo"});
  REQUIRE(events.size() == 2);
  CHECK(events[1].time_us == 1700000001LL * 1'000'000);
  // A log of one such entry only.
  const std::vector<LogEvent> one =
      parse(LogFormat::kMySqlSlow,
            "# Query_time: 0.1  Lock_time: 0.0 Rows_sent: 1  Rows_examined: 1\n"
            "SELECT 1 FROM foo;\n");
  CHECK(texts(one) == std::vector<std::string>{"SELECT 1 FROM foo"});
  // Through capture: a read, and a screen of its own with --group-by query.
  TempDir dir("slow-query-time-first");
  dir.write("slow.log", log);
  const CliResult result =
      run_in_process({"capture", dir / "slow.log", "--out", dir / "out", "--group-by", "query"});
  INFO(result.err);
  CHECK(result.code == 0);
  CHECK(result.err.find("(mysql-slow)") != std::string::npos);
}

}  // namespace
}  // namespace sqlmeasure::testing
