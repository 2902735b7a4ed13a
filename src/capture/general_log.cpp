// The general query log of MariaDB and MySQL (docs/capture.md, "Sources"). One event per line
// that starts with a thread id and a command; any other line continues the statement before it
// (a multi-line query), unless it is one of the header lines a server writes when the log is
// opened (again after FLUSH LOGS, so also mid-file).
//
//   MariaDB: 241202 10:15:01\t     5 Query\tSELECT 1      (the time only when the second changes)
//            \t\t     5 Query\tSELECT 2
//   MySQL:   2024-05-01T10:00:00.123456Z\t    8 Query\tSELECT 1   (on every line)
#include <memory>

#include "log_lines.h"
#include "log_time.h"
#include "sqlmeasure/capture.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// The commands the servers name in the general log (sql_parse.cc's command_name), so that a
// line of a multi-line query is not taken for an event by accident.
constexpr std::string_view kCommands[] = {
    "Sleep",
    "Quit",
    "Init DB",
    "Query",
    "Field List",
    "Create DB",
    "Drop DB",
    "Refresh",
    "Shutdown",
    "Statistics",
    "Processlist",
    "Connect",
    "Kill",
    "Debug",
    "Ping",
    "Time",
    "Delayed insert",
    "Change user",
    "Binlog Dump",
    "Table Dump",
    "Connect Out",
    "Register Slave",
    "Prepare",
    "Execute",
    "Long Data",
    "Close stmt",
    "Reset stmt",
    "Set option",
    "Fetch",
    "Daemon",
    "Unimpl get tid",
    "Reset connection",
    "Error",
    "Bulk_execute",
    "Slave_worker",
    "Slave_IO",
    "Slave_SQL",
    "Clone",
    "Binlog Dump GTID",
    "Group Replication Data Stream subscription",
    "Register Replica"};  // MySQL 8.0.26's name for Register Slave

bool known_command(std::string_view word) {
  for (std::string_view command : kCommands) {
    if (iequals(word, command)) return true;
  }
  return false;
}

class GeneralLogParser final : public LogParser {
 public:
  explicit GeneralLogParser(EventSink sink) : sink_(std::move(sink)) {}

  void line(std::string_view text, const SourceLocation& where) override {
    if (is_log_header(text)) {
      flush();
      return;
    }
    if (!event_line(text, where) && has_pending_) {
      // A line of the statement before: a multi-line query. Before any event (a file cut in
      // the middle), there is nothing to continue: it is skipped.
      pending_.text += '\n';
      pending_.text += text;
    }
  }

  void finish() override { flush(); }

 private:
  void flush() {
    if (!has_pending_) return;
    // The event moved out leaves its strings' memory here, for the next one to reuse.
    sink_(std::move(pending_));
    has_pending_ = false;
  }

  // "[time]\t[\t]   ID Command\tArgument": the event before is flushed and this one starts.
  // False for any other line.
  bool event_line(std::string_view text, const SourceLocation& where) {
    std::size_t at = 0;
    std::optional<std::int64_t> time;
    if (!text.empty() && text[0] >= '0' && text[0] <= '9') {
      const std::size_t tab = text.find('\t');
      if (tab == std::string_view::npos) return false;
      const std::string_view stamp = text.substr(0, tab);
      time =
          stamp.size() >= 19 && stamp[4] == '-' ? parse_iso_time(stamp) : parse_mariadb_time(stamp);
      if (!time) return false;
      at = tab;
    } else if (text.empty() || text[0] != '\t') {
      return false;
    }
    while (at < text.size() && text[at] == '\t') ++at;
    while (at < text.size() && text[at] == ' ') ++at;
    const std::size_t id_begin = at;
    std::uint64_t thread = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      thread = thread * 10 + static_cast<std::uint64_t>(text[at] - '0');
      ++at;
    }
    if (at == id_begin || at >= text.size() || text[at] != ' ') return false;
    ++at;
    const std::size_t tab = text.find('\t', at);
    const std::string_view command =
        tab == std::string_view::npos ? text.substr(at) : text.substr(at, tab - at);
    if (!known_command(command)) return false;
    flush();
    has_pending_ = true;
    pending_.thread = thread;
    pending_.command.assign(command);
    pending_.text.assign(tab == std::string_view::npos ? std::string_view() : text.substr(tab + 1));
    pending_.database.clear();
    // MariaDB prints the time only when the second changes: the last one stands until then.
    if (time) last_time_ = *time;
    pending_.time_us = time ? *time : last_time_;
    pending_.where = where;
    return true;
  }

  EventSink sink_;
  LogEvent pending_;  // the event being read, when has_pending_
  bool has_pending_ = false;
  std::int64_t last_time_ = -1;
};

}  // namespace

std::unique_ptr<LogParser> make_general_log_parser(EventSink sink) {
  return std::make_unique<GeneralLogParser>(std::move(sink));
}

}  // namespace sqlmeasure
