// performance_schema's statement history as a source (docs/capture.md, "Sources"):
// events_statements_history_long is a ring of the last N statements of every thread (N =
// performance_schema_events_statements_history_long_size), so it is polled for the capture's
// duration and each row read once, by (THREAD_ID, EVENT_ID). Read-only: a consumer that is off
// is named, never switched on.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <thread>

#include "sqlmeasure/capture.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/number_parse.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

constexpr auto kPollEvery = std::chrono::milliseconds(200);
constexpr const char* kSource = "performance_schema.events_statements_history_long";
constexpr const char* kTimerStart = "events_statements_history_long.TIMER_START";
constexpr const char* kThreadId = "events_statements_history_long.THREAD_ID";
constexpr const char* kEventId = "events_statements_history_long.EVENT_ID";

// NULL (or no row) is 0; anything but a number is an error naming what was read.
std::uint64_t number(const std::optional<std::string>& text, std::string_view what) {
  return text ? read_unsigned(*text, what) : 0;
}

// The first row's first value; nullopt for no row, or NULL.
std::optional<std::string> first_value(Connection& connection, const std::string& sql) {
  const ResultSet result = connection.query(sql);
  if (result.rows.empty() || result.rows[0].empty()) return std::nullopt;
  return result.rows[0][0];
}

// The switches the history needs, each checked, none changed.
void require_history_on(Connection& connection) {
  if (first_value(connection, "SELECT @@performance_schema") != std::optional<std::string>("1")) {
    fail(ExitCode::kRuntime,
         "performance_schema is OFF on this server, and it can only be switched on at start: "
         "performance_schema = ON in the server's configuration (on RDS and Aurora: the DB "
         "parameter group, then a reboot); capture changes no server setting");
  }
  // The history is filled only through these, each depending on the one before.
  const std::vector<std::string> needed = {"global_instrumentation", "thread_instrumentation",
                                           "events_statements_current",
                                           "events_statements_history_long"};
  const ResultSet consumers = connection.query(
      "SELECT NAME, ENABLED FROM performance_schema.setup_consumers WHERE NAME IN ('" +
      join(needed, "', '") + "')");
  std::vector<std::string> off = needed;
  for (const auto& row : consumers.rows) {
    if (row.at(1).value_or("") == "YES") std::erase(off, row.at(0).value_or(""));
  }
  if (off.empty()) return;
  std::vector<std::string> options;
  for (std::string name : off) {
    std::replace(name.begin(), name.end(), '_', '-');
    options.push_back("performance-schema-consumer-" + name + "=ON");
  }
  fail(ExitCode::kRuntime,
       fmt::format("the performance_schema consumer{} {} {} off; capture changes no server "
                   "setting. To record statements while the application runs: UPDATE "
                   "performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME IN ('{}'); "
                   "and back to 'NO' after (or {} in the server's configuration)",
                   off.size() == 1 ? "" : "s", join(off, ", "), off.size() == 1 ? "is" : "are",
                   join(off, "', '"), join(options, ", ")));
}

struct Row {
  std::uint64_t timer = 0, thread = 0, event = 0;
  std::optional<std::string> schema, text;
  bool timed = false;
};

}  // namespace

StatementHistoryRead read_statement_history(Connection& connection, double duration_s,
                                            const EventSink& sink,
                                            const std::function<void()>& recording) {
  require_history_on(connection);
  const std::uint64_t own =
      number(first_value(connection,
                         "SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID = "
                         "CONNECTION_ID()"),
             "performance_schema.threads THREAD_ID");
  const std::uint64_t ring = number(
      first_value(connection, "SELECT @@performance_schema_events_statements_history_long_size"),
      "@@performance_schema_events_statements_history_long_size");
  const std::uint64_t max_text =
      number(first_value(connection, "SELECT @@performance_schema_max_sql_text_length"),
             "@@performance_schema_max_sql_text_length");
  const std::string sql = fmt::format(
      "SELECT TIMER_START, THREAD_ID, EVENT_ID, CURRENT_SCHEMA, SQL_TEXT FROM {} WHERE "
      "THREAD_ID <> {} AND SQL_TEXT IS NOT NULL",
      kSource, own);

  StatementHistoryRead read;
  std::map<std::uint64_t, std::uint64_t> last_event;  // thread → the last EVENT_ID read
  // What the history holds already ran before the capture: seen, not read.
  for (const auto& values : connection.query(sql).rows) {
    std::uint64_t& last = last_event[number(values.at(1), kThreadId)];
    last = std::max(last, number(values.at(2), kEventId));
  }
  if (recording) recording();
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::microseconds(static_cast<std::int64_t>(duration_s * 1e6));
  for (;;) {
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        kPollEvery, std::max<std::chrono::steady_clock::duration>(
                        until - std::chrono::steady_clock::now(), {})));
    const bool last_poll = std::chrono::steady_clock::now() >= until;
    const ResultSet result = connection.query(sql);
    ++read.polls;
    std::vector<Row> fresh;
    for (const auto& values : result.rows) {
      Row row;
      row.timed = values.at(0).has_value();
      row.timer = number(values.at(0), kTimerStart);
      row.thread = number(values.at(1), kThreadId);
      row.event = number(values.at(2), kEventId);
      const auto seen = last_event.find(row.thread);
      if (seen != last_event.end() && row.event <= seen->second) continue;
      row.schema = values.at(3);
      row.text = values.at(4);
      fresh.push_back(std::move(row));
    }
    // A full ring of rows none of which was seen before: some were overwritten unread.
    if (ring > 0 && result.rows.size() >= ring && fresh.size() == ring) {
      read.lost = true;
    }
    std::sort(fresh.begin(), fresh.end(), [](const Row& a, const Row& b) {
      return std::tie(a.timer, a.thread, a.event) < std::tie(b.timer, b.thread, b.event);
    });
    for (Row& row : fresh) {
      std::uint64_t& last = last_event[row.thread];
      last = std::max(last, row.event);
      if (max_text > 0 && row.text->size() >= max_text) {
        ++read.truncated;
        continue;
      }
      LogEvent event;
      event.thread = row.thread;
      event.command = "Query";
      event.text = std::move(*row.text);
      event.time_us = row.timed ? static_cast<std::int64_t>(row.timer / 1'000'000) : -1;
      event.database = row.schema.value_or("");
      ++read.statements;
      event.where = {kSource,
                     static_cast<int>(std::min<std::uint64_t>(read.statements, 2'000'000'000)), 1};
      sink(std::move(event));
    }
    if (last_poll) break;
  }
  return read;
}

}  // namespace sqlmeasure
