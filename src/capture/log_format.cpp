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
  if (text.find(", Version: ") != std::string_view::npos && text.ends_with("started with:")) {
    return true;
  }
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

LogFormat detect_log_format(const std::vector<std::string>& first_lines) {
  for (const std::string& line : first_lines) {
    if (is_log_header(line)) continue;
    if (line.starts_with("# Time: ")) {
      return line.size() > 12 && line[12] == '-' ? LogFormat::kMySqlSlow : LogFormat::kMariaDbSlow;
    }
    if (line.starts_with("# User@Host: ")) {
      return line.find(" Id: ") != std::string::npos ? LogFormat::kMySqlSlow
                                                     : LogFormat::kMariaDbSlow;
    }
    if (line.starts_with("# Thread_id: ")) return LogFormat::kMariaDbSlow;
    // An entry with nothing before its timings: a log cut with grep or tail, rotated mid-stream.
    if (line.starts_with("# Query_time: ")) return LogFormat::kMySqlSlow;
    // General log lines: "2024-05-01T..\t" (MySQL), "241202 10:15:01\t" or "\t\t" (MariaDB).
    if (line.size() > 20 && line[4] == '-' && line[10] == 'T' &&
        line.find('\t') != std::string::npos) {
      return LogFormat::kMySqlGeneral;
    }
    if (line.starts_with("\t\t") ||
        (line.size() > 15 && line[6] == ' ' && line.find('\t') != std::string::npos)) {
      return LogFormat::kMariaDbGeneral;
    }
  }
  return LogFormat::kAuto;
}

std::unique_ptr<LogParser> make_log_parser(LogFormat format, EventSink sink) {
  switch (format) {
    case LogFormat::kMariaDbGeneral:
    case LogFormat::kMySqlGeneral:
      return make_general_log_parser(std::move(sink));
    case LogFormat::kMariaDbSlow:
    case LogFormat::kMySqlSlow:
      return make_slow_log_parser(std::move(sink));
    case LogFormat::kAuto:
      break;
  }
  throw std::invalid_argument("make_log_parser: the format must be known");
}

}  // namespace sqlmeasure
