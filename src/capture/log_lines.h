#pragma once
// What the general and slow log parsers share. Private to src/capture/.
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>

#include "sqlmeasure/capture.h"

namespace sqlmeasure {

// Calls each(line) for every line of `text`, each ended by '\n' (a last one without is a line
// too), `where.line` one more before each: LogParser::lines.
template <typename Each>
void for_each_line(std::string_view text, SourceLocation& where, const Each& each) {
  const char* at = text.data();
  const char* const end = at + text.size();
  while (at < end) {
    const auto* newline = static_cast<const char*>(std::memchr(at, '\n', end - at));
    if (newline == nullptr) newline = end;
    ++where.line;
    each(std::string_view(at, static_cast<std::size_t>(newline - at)));
    at = newline + 1;
  }
}

// The lines a server writes when it opens a log (at start, and after FLUSH LOGS, so anywhere):
// "/usr/sbin/mariadbd, Version: ... started with:", "Tcp port: ...", "Time   Id Command ...".
[[nodiscard]] bool is_log_header(std::string_view text);

// A general log line that starts an event, read; nullopt for any other line.
struct GeneralEventLine {
  std::optional<std::int64_t> time_us;  // when the line has its time
  std::uint64_t thread = 0;
  std::string_view command, argument;  // into the line
};
[[nodiscard]] std::optional<GeneralEventLine> read_general_event_line(std::string_view text);

// Tells a log's format from its lines, one at a time.
class LogFormatDetector {
 public:
  // The format, once the lines fed so far tell it; kAuto until then.
  LogFormat feed(std::string_view line);
  // At the end of the lines: the format they suggest (a slow log whose flavour its lines did
  // not tell), or kAuto.
  [[nodiscard]] LogFormat guess() const;

 private:
  enum class Server { kUnknown, kMariaDb, kMySql };
  LogFormat by_line(std::string_view line);
  [[nodiscard]] LogFormat flavoured(LogFormat format) const;

  LogFormat guess_ = LogFormat::kAuto;
  Server server_ = Server::kUnknown;
};

[[nodiscard]] std::unique_ptr<LogParser> make_general_log_parser(EventSink sink, EventText text);
// `mysql`: MySQL's slow log (the thread id on the User@Host line); else MariaDB's.
[[nodiscard]] std::unique_ptr<LogParser> make_slow_log_parser(EventSink sink, EventText text);

}  // namespace sqlmeasure
