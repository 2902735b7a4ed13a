// The general query log of MariaDB and MySQL (docs/capture.md, "Sources"). One event per line
// that starts with a thread id and a command; any other line continues the statement before it
// (a multi-line query), unless it is one of the header lines a server writes when the log is
// opened (again after FLUSH LOGS, so also mid-file).
//
//   MariaDB: 241202 10:15:01\t     5 Query\tSELECT 1      (the time only when the second changes)
//            \t\t     5 Query\tSELECT 2
//   MySQL:   2024-05-01T10:00:00.123456Z\t    8 Query\tSELECT 1   (5.7 and later: on every line)
//   MySQL 5.1-5.6: as MariaDB's; MySQL 4.1/5.0: "090120  9:05:07\t      1 Query       SELECT 1"
//   (the command padded to 11 characters with spaces, no tab)
#include <memory>

#include "log_lines.h"
#include "log_time.h"
#include "sqlmeasure/capture.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// The commands the servers name in the general log (sql_parse.cc's command_name), so that a
// line of a multi-line query is not taken for an event by accident. A name that starts another
// comes after it (longest first).
constexpr std::string_view kCommands[] = {
    "Query",
    "Execute",
    "Prepare",
    "Close stmt",
    "Connect Out",
    "Connect",
    "Quit",
    "Init DB",
    "Field List",
    "Change user",
    "Reset connection",
    "Reset stmt",
    "Ping",
    "Sleep",
    "Create DB",
    "Drop DB",
    "Refresh",
    "Shutdown",
    "Statistics",
    "Processlist",
    "Kill",
    "Debug",
    "Time",
    "Delayed insert",
    "Delayed ins",  // MySQL 5.0 cut command names at 11 characters
    "Binlog Dump GTID",
    "Binlog Dump",
    "Table Dump",
    "Register Slave",
    "Register Sl",
    "Register Replica",  // MySQL 8.0.26's name for Register Slave
    "Long Data",
    "Set option",
    "Fetch",
    "Daemon",
    "Unimpl get tid",
    "Unimpl get",
    "Error",
    "Bulk_execute",
    "Slave_worker",
    "Slave_IO",
    "Slave_SQL",
    "Clone",
    "Group Replication Data Stream subscription"};

bool blank(char c) { return c == ' ' || c == '\t'; }

// The command `text` starts with, followed by a blank or the end; empty when none.
std::string_view command_at(std::string_view text) {
  for (std::string_view command : kCommands) {
    if (text.size() >= command.size() && iequals(text.substr(0, command.size()), command) &&
        (text.size() == command.size() || blank(text[command.size()]))) {
      return text.substr(0, command.size());
    }
  }
  return {};
}

}  // namespace

// "[time]\t[\t]   ID Command\tArgument". Blanks may be tabs or spaces: MySQL 5.0 padded the
// command ("%7ld %-11.11s "), and logs copied from a console or a log viewer have their tabs
// expanded.
std::optional<GeneralEventLine> read_general_event_line(std::string_view text) {
  if (text.empty()) return std::nullopt;
  GeneralEventLine event;
  std::size_t at = 0;
  if (text[0] >= '0' && text[0] <= '9') {
    if (text.size() > 15 && text[6] == ' ') {  // "241202 10:15:01", "090120  9:05:07"
      event.time_us = parse_mariadb_time(text.substr(0, 15));
      at = 15;
    } else {  // "2024-05-01T10:00:00.123456Z"
      while (at < text.size() && !blank(text[at])) ++at;
      event.time_us = parse_iso_time(text.substr(0, at));
    }
    if (!event.time_us || at >= text.size() || !blank(text[at])) return std::nullopt;
  } else if (!blank(text[0])) {
    return std::nullopt;
  }
  while (at < text.size() && blank(text[at])) ++at;
  const std::size_t id_begin = at;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
    event.thread = event.thread * 10 + static_cast<std::uint64_t>(text[at] - '0');
    ++at;
  }
  if (at == id_begin || at >= text.size() || text[at] != ' ') return std::nullopt;
  ++at;
  event.command = command_at(text.substr(at));
  if (event.command.empty()) return std::nullopt;
  at += event.command.size();
  // The argument: after the tab, or after the padding of a command written with spaces.
  if (at < text.size() && text[at] == '\t') {
    ++at;
  } else {
    while (at < text.size() && text[at] == ' ') ++at;
  }
  event.argument = text.substr(at);
  return event;
}

namespace {

class GeneralLogParser final : public LineParser<GeneralLogParser> {
 public:
  GeneralLogParser(EventSink sink, EventText text)
      : sink_(std::move(sink)), statement_(pending_.text, text) {}

  void finish() override { flush(); }
  std::uint64_t cut_lines() const override { return cut_lines_; }

 private:
  friend class LineParser<GeneralLogParser>;
  TextInChunk& statement_text() { return statement_; }

  // One line of the chunk lines() was given (or of the one line() was): the pending event's
  // text may point into it until statement_.keep().
  void line_of_chunk(std::string_view text, const SourceLocation& where) {
    // Most lines of a multi-line statement are told by a byte at each end: an event line
    // starts with a digit or a blank, a header line with 'T' or ends with ':'.
    if (has_pending_ && !text.empty() && !blank(text.front()) && text.front() != 'T' &&
        (text.front() < '0' || text.front() > '9') && text.back() != ':') {
      statement_.add_line(text);
      return;
    }
    if (is_log_header(text)) {
      flush();
      return;
    }
    if (event_line(text, where)) return;
    if (has_pending_) {
      statement_.add_line(text);  // a line of the statement before: a multi-line query
    } else if (!text.empty()) {
      ++cut_lines_;  // before any event: the end of one the file was cut in
    }
  }

  void flush() {
    if (!has_pending_) return;
    pending_.in_log = statement_.end();  // (kInLog: not copied at all, the sink reads it now)
    // The event moved out leaves its strings' memory here, for the next one to reuse.
    sink_(std::move(pending_));
    pending_.in_log = {};
    has_pending_ = false;
  }

  // A line that starts an event: the event before is flushed and this one starts.
  bool event_line(std::string_view text, const SourceLocation& where) {
    const std::optional<GeneralEventLine> event = read_general_event_line(text);
    if (!event) return false;
    flush();
    has_pending_ = true;
    pending_.thread = event->thread;
    pending_.command.assign(event->command);
    // Copied once, when the event ends (or its chunk does): most statements are of lines one
    // after the other in one chunk, which one copy takes whole.
    statement_.start(event->argument.data() != nullptr ? event->argument
                                                       : text.substr(text.size()));
    pending_.database.clear();
    // The time is written only when the second changes (MariaDB, MySQL before 5.7): the last
    // one stands until then.
    if (event->time_us) last_time_ = *event->time_us;
    pending_.time_us = event->time_us ? *event->time_us : last_time_;
    pending_.where = where;
    return true;
  }

  EventSink sink_;
  LogEvent pending_;       // the event being read, when has_pending_
  TextInChunk statement_;  // its text
  bool has_pending_ = false;
  std::int64_t last_time_ = -1;
  std::uint64_t cut_lines_ = 0;
};

}  // namespace

std::unique_ptr<LogParser> make_general_log_parser(EventSink sink, EventText text) {
  return std::make_unique<GeneralLogParser>(std::move(sink), text);
}

}  // namespace sqlmeasure
