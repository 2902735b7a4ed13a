// Which log a file is, and the parser for it.
#include <fmt/format.h>

#include "log_lines.h"
#include "sqlmeasure/capture.h"

namespace sqlmeasure {
namespace {

struct FormatName {
  LogFormat format;
  const char* name;
};
constexpr FormatName kFormats[] = {{LogFormat::kAuto, "auto"},
                                   {LogFormat::kMariaDbGeneral, "mariadb-general"},
                                   {LogFormat::kMySqlGeneral, "mysql-general"},
                                   {LogFormat::kMariaDbSlow, "mariadb-slow"},
                                   {LogFormat::kMySqlSlow, "mysql-slow"}};

}  // namespace

bool is_log_header(std::string_view text) {
  // The cheap tests first, one byte each: this is asked of every line of a log.
  if (text.empty()) return false;
  if (text.back() == ':' && text.ends_with("started with:") &&
      text.find(", Version: ") != std::string_view::npos) {
    return true;
  }
  if (text.front() != 'T') return false;
  if (text.starts_with("Tcp port: ")) return true;
  return text.starts_with("Time") && text.find("Id Command") != std::string_view::npos &&
         text.find("Argument") != std::string_view::npos;
}

const char* log_format_name(LogFormat format) {
  for (const FormatName& known : kFormats) {
    if (known.format == format) return known.name;
  }
  return "auto";
}

std::optional<LogFormat> log_format_named(std::string_view name) {
  for (const FormatName& known : kFormats) {
    if (name == known.name) return known.format;
  }
  return std::nullopt;
}

LogFormat LogFormatDetector::feed(std::string_view line) {
  if (is_log_header(line)) {
    // "/usr/sbin/mysqld, Version: 5.5.68-MariaDB (MariaDB Server). started with:": the server.
    if (const std::size_t at = line.find(", Version: "); at != std::string_view::npos) {
      server_ = line.find("MariaDB") != std::string_view::npos ? Server::kMariaDb : Server::kMySql;
    }
    return LogFormat::kAuto;
  }
  return flavoured(by_line(line));
}

LogFormat LogFormatDetector::guess() const { return flavoured(guess_); }

// The server named by the log's header decides between MariaDB's and MySQL's names of a
// format (MySQL before 5.7 writes MariaDB's times; MySQL 5.1's slow log has no Id).
LogFormat LogFormatDetector::flavoured(LogFormat format) const {
  if (server_ == Server::kUnknown) return format;
  const bool mariadb = server_ == Server::kMariaDb;
  switch (format) {
    case LogFormat::kMariaDbGeneral:
    case LogFormat::kMySqlGeneral:
      return mariadb ? LogFormat::kMariaDbGeneral : LogFormat::kMySqlGeneral;
    case LogFormat::kMariaDbSlow:
    case LogFormat::kMySqlSlow:
      return mariadb ? LogFormat::kMariaDbSlow : LogFormat::kMySqlSlow;
    case LogFormat::kAuto:
      break;
  }
  return format;
}

LogFormat LogFormatDetector::by_line(std::string_view line) {
  if (line.starts_with("# ")) {
    const std::string_view rest = line.substr(2);
    if (rest.starts_with("Time: ")) {
      // MySQL 5.7 and later: an ISO time. Before, as MariaDB's: the User@Host line tells.
      if (rest.size() > 10 && rest[10] == '-') return LogFormat::kMySqlSlow;
      guess_ = LogFormat::kMariaDbSlow;
      return LogFormat::kAuto;
    }
    if (rest.starts_with("User@Host: ")) {
      return rest.find(" Id: ") != std::string_view::npos ? LogFormat::kMySqlSlow
                                                          : LogFormat::kMariaDbSlow;
    }
    // Percona Server (MySQL) writes # Schema: and Last_errno:, MariaDB # Thread_id: with QC_hit.
    if (rest.starts_with("Schema: ") || rest.find("Last_errno:") != std::string_view::npos) {
      return LogFormat::kMySqlSlow;
    }
    if (rest.starts_with("Thread_id: ")) return LogFormat::kMariaDbSlow;
    // An entry with nothing before its timings: a log cut with grep or tail, rotated mid-stream.
    if (rest.starts_with("Query_time: ")) {
      return guess_ != LogFormat::kAuto ? guess_ : LogFormat::kMySqlSlow;
    }
    return LogFormat::kAuto;
  }
  if (const std::optional<GeneralEventLine> event = read_general_event_line(line)) {
    // MySQL 5.7 and later write an ISO time on every line; MariaDB (and MySQL before) a
    // time only when the second changes.
    return line.size() > 4 && line[4] == '-' ? LogFormat::kMySqlGeneral
                                             : LogFormat::kMariaDbGeneral;
  }
  return LogFormat::kAuto;
}

LogFormat detect_log_format(const std::vector<std::string>& first_lines) {
  LogFormatDetector detector;
  for (const std::string& line : first_lines) {
    if (const LogFormat format = detector.feed(line); format != LogFormat::kAuto) return format;
  }
  return detector.guess();
}

std::unique_ptr<LogParser> make_log_parser(LogFormat format, EventSink sink, EventText text) {
  switch (format) {
    case LogFormat::kMariaDbGeneral:
    case LogFormat::kMySqlGeneral:
      return make_general_log_parser(std::move(sink), text);
    case LogFormat::kMariaDbSlow:
    case LogFormat::kMySqlSlow:
      return make_slow_log_parser(std::move(sink), text);
    case LogFormat::kAuto:
      break;
  }
  throw std::invalid_argument("make_log_parser: the format must be known");
}

}  // namespace sqlmeasure
