#pragma once
// What the general and slow log parsers share. Private to src/capture/.
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

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

// A statement's text as a parser reads it line by line out of a chunk (LogParser::lines):
// while its lines follow each other there (a '\n' between each) it is one range of the chunk,
// which grows, and it is copied into `text` only when asked — before the chunk goes, or for a
// line from elsewhere. Copying each line as it came was a tenth of the reading thread's time.
class TextInChunk {
 public:
  // `mode`: whether the text may be handed out where it lies (EventText::kInLog).
  TextInChunk(std::string& text, EventText mode) : text_(text), mode_(mode) {}

  // The text is `line`, one of the chunk's (or, a null view, nothing yet).
  void start(std::string_view line) {
    text_.clear();
    range_ = line;
  }
  // `line`, the line after the text's last one, continues it.
  void add_line(std::string_view line) {
    if (range_.data() != nullptr && line.data() == range_.data() + range_.size() + 1) {
      range_ = std::string_view(range_.data(), range_.size() + 1 + line.size());
      return;
    }
    keep();
    text_ += '\n';
    text_ += line;
  }
  // The range copied into the text, before its chunk goes.
  void keep() {
    if (range_.data() == nullptr) return;
    text_.append(range_);
    range_ = {};
  }
  // The text ends: the range, to be read before its chunk goes (kInLog), or a null view when
  // the text is all in `text`.
  std::string_view end() {
    if (mode_ == EventText::kInLog) return std::exchange(range_, {});
    keep();
    return {};
  }

 private:
  std::string& text_;
  EventText mode_;
  std::string_view range_;
};

// The general and slow parsers' way in: a chunk's whole lines, read by the parser's own
// line_of_chunk() (no virtual call per line), its statement's text left in the chunk until
// the chunk goes; or one line, its text copied at once. A parser derives from
// LineParser<itself> and gives it line_of_chunk(text, where) and statement_text().
template <typename Parser>
class LineParser : public LogParser {
 public:
  void line(std::string_view text, const SourceLocation& where) final {
    Parser& parser = static_cast<Parser&>(*this);
    parser.line_of_chunk(text, where);
    parser.statement_text().keep();  // the line's bytes are the caller's only during the call
  }

  void lines(std::string_view text, SourceLocation& where) final {
    Parser& parser = static_cast<Parser&>(*this);
    for_each_line(text, where, [&](std::string_view one) { parser.line_of_chunk(one, where); });
    parser.statement_text().keep();
  }
};

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
