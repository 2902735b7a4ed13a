// The slow query log of MariaDB and MySQL (docs/capture.md, "Sources"). An entry is a block of
// `# ` header lines, then the statement (any number of lines, ended by ';'):
//
//   # Time: 241202 10:15:01                      (MariaDB: only when the second changes;
//   # User@Host: app[app] @ localhost []          MySQL: ISO, on every entry, and "Id: N" here)
//   # Thread_id: 5  Schema: demo  QC_hit: No      (MariaDB)
//   # Query_time: 0.000123  Lock_time: 0.000045  Rows_sent: 1  Rows_examined: 10
//   # explain: ...                                (MariaDB's log_slow_verbosity: more # lines)
//   use demo;                                     (only when the database changes)
//   SET timestamp=1733134501;
//   SELECT ...;
//
// or `# administrator command: Quit;` in place of the statement. Percona Server writes more
// `# ` lines (# Schema:, # Bytes_sent:, # InnoDB_trx_id:, # QC_Hit: ...), MySQL 8 more fields.
// A new entry starts at a `# Time:` line, or at any `#` line after a statement's last line
// (one ending with ';'); the other lines of a statement are never read as headers.
#include <cstdint>
#include <memory>
#include <optional>

#include "log_lines.h"
#include "log_time.h"
#include "sqlmeasure/capture.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

std::uint64_t number_after(std::string_view text, std::string_view label) {
  const std::size_t at = text.find(label);
  if (at == std::string_view::npos) return 0;
  std::size_t i = at + label.size();
  while (i < text.size() && text[i] == ' ') ++i;
  std::uint64_t value = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
    ++i;
  }
  return value;
}

std::string word_after(std::string_view text, std::string_view label) {
  const std::size_t at = text.find(label);
  if (at == std::string_view::npos) return "";
  std::size_t i = at + label.size();
  while (i < text.size() && text[i] == ' ') ++i;
  const std::size_t end = text.find(' ', i);
  return std::string(text.substr(i, end == std::string_view::npos ? end : end - i));
}

// The line the server writes before each statement, "SET timestamp=N;", preceded by
// "last_insert_id=N," and "insert_id=N," when the statement depends on them: its timestamp.
std::optional<std::int64_t> server_set_line(std::string_view text) {
  if (text.size() < 5 || !iequals(text.substr(0, 4), "SET ") || !text.ends_with(";")) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(4, text.size() - 5);
  for (std::string_view name : {"last_insert_id=", "insert_id=", "timestamp="}) {
    if (rest.size() <= name.size() || !iequals(rest.substr(0, name.size()), name)) continue;
    std::size_t end = name.size();
    std::int64_t value = 0;
    while (end < rest.size() && rest[end] >= '0' && rest[end] <= '9') {
      value = value * 10 + (rest[end] - '0');
      ++end;
      // No server writes a time past the year 33658 (12 digits of seconds): not its line.
      if (end - name.size() > 12) return std::nullopt;
    }
    if (end == name.size()) return std::nullopt;
    if (name == "timestamp=") {
      if (end != rest.size()) return std::nullopt;
      return value;
    }
    if (end >= rest.size() || rest[end] != ',') return std::nullopt;
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

// `text` without one trailing ';' (and the blanks around it).
std::string_view without_terminator(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  if (!text.empty() && text.back() == ';') text.remove_suffix(1);
  return text;
}

class SlowLogParser final : public LineParser<SlowLogParser> {
 public:
  SlowLogParser(EventSink sink, EventText text)
      : sink_(std::move(sink)), statement_(entry_.text, text) {}

  void finish() override { flush(); }
  std::uint64_t cut_lines() const override { return cut_lines_; }

 private:
  friend class LineParser<SlowLogParser>;
  TextInChunk& statement_text() { return statement_; }

  // One line of the chunk lines() was given (or of the one line() was): the statement's text
  // may point into it until statement_.keep().
  void line_of_chunk(std::string_view text, const SourceLocation& where) {
    if (is_log_header(text)) {
      flush();
      return;
    }
    if (!text.empty() && text[0] == '#' && !(in_statement_ && !statement_ended_)) {
      comment_line(text, where);
      return;
    }
    if (!header_open_) {
      // Before any entry: the end of one the file was cut in (rotated or cut by size).
      if (!trim(text).empty()) ++cut_lines_;
      return;
    }
    if (!in_statement_) {
      header(text);
      return;
    }
    statement_.add_line(text);
    statement_ended_ = ends_statement(text);
  }

  // A line starting with '#' outside a statement: a header line of this entry, or the first
  // of the next one. As pt-query-digest does (its entries are split at ";\n#"), any '#' line
  // after a statement's last line starts an entry, whatever the server wrote first (# Time,
  // # User@Host, # Thread_id, # Schema, # Query_time, ...: logs cut with grep or tail, rotated
  // mid-stream, Percona Server's and MariaDB's extra lines).
  void comment_line(std::string_view text, const SourceLocation& where) {
    const bool time = text.starts_with("# Time: ");
    const bool user_host = text.starts_with("# User@Host: ");
    const bool timings = text.starts_with("# Query_time: ");
    // An entry whose statement is missing (a server that failed to write it) ends where its
    // header would repeat.
    if (in_statement_ || !header_open_ || time || (user_host && seen_user_host_) ||
        (timings && seen_timings_)) {
      flush();
      start_entry(where);
    }
    if (time) {
      const std::string_view stamp = trim(text.substr(8));
      const std::optional<std::int64_t> parsed =
          stamp.size() >= 19 && stamp[4] == '-' ? parse_iso_time(stamp) : parse_mariadb_time(stamp);
      if (parsed) {
        last_time_ = *parsed;
        // MySQL's ISO time has its zone, and microseconds: the entry's time. MariaDB's is the
        // server's local time: SET timestamp (the epoch, on every entry) is preferred, so that
        // entries with and without a # Time line agree wherever the server is.
        if (stamp[4] == '-') entry_.time_us = *parsed;
      }
      return;
    }
    if (user_host) {
      seen_user_host_ = true;
      if (const std::uint64_t id = number_after(text, " Id:"); id != 0) entry_.thread = id;
      return;
    }
    if (timings) seen_timings_ = true;
    header(text);
  }

  static bool ends_statement(std::string_view text) {
    text = trim(text);
    return !text.empty() && text.back() == ';';
  }

  void start_entry(const SourceLocation& where) {
    clear_entry();
    entry_.command = "Query";
    entry_.where = where;
    header_open_ = true;
    in_statement_ = false;
    seen_user_host_ = seen_timings_ = false;
  }

  // A line before the statement: a header, `use db;`, `SET timestamp=`, or the statement's
  // first line.
  void header(std::string_view text) {
    if (text.starts_with("# administrator command: ")) {
      entry_.command = std::string(without_terminator(trim(text.substr(25))));
      statement_.start({});
      in_statement_ = statement_ended_ = true;
      return;
    }
    if (text.starts_with("# ") || text == "#") {  // "#" alone: around "# explain:" lines
      if (text.starts_with("# Thread_id: ")) {
        entry_.thread = number_after(text, "# Thread_id:");
      }
      // "# Thread_id: 5  Schema: demo  QC_hit: No" (MariaDB), "# Schema: demo  Last_errno: 0"
      // (Percona Server); "Schema:   QC_hit: No" when no database is selected.
      if (std::string schema = word_after(text, "Schema:");
          !schema.empty() && !schema.ends_with(':')) {
        last_database_ = schema;
      }
      return;  // Query_time, Rows_*, explain:, ... : nothing a replay needs
    }
    const std::string_view trimmed = trim(text);
    if (istarts_with(trimmed, "use ") && trimmed.ends_with(";")) {
      std::string database(trim(trimmed.substr(4, trimmed.size() - 5)));
      if (database.size() >= 2 && database.front() == '`' && database.back() == '`') {
        database = database.substr(1, database.size() - 2);
      }
      last_database_ = database;
      return;
    }
    if (timestamp_s_ < 0) {
      if (const std::optional<std::int64_t> timestamp = server_set_line(trimmed)) {
        timestamp_s_ = *timestamp;
        return;
      }
    }
    in_statement_ = true;
    statement_.start(text);
    statement_ended_ = ends_statement(text);
  }

  void flush() {
    if (header_open_ && in_statement_) {
      if (const std::string_view range = statement_.end(); range.data() != nullptr) {
        entry_.in_log = without_terminator(range);  // not copied at all: read now
      } else {
        entry_.text.resize(without_terminator(entry_.text).size());
      }
      entry_.database = last_database_;
      // Its own # Time (MySQL's, to the microsecond), else SET timestamp (seconds), else the last
      // # Time (MariaDB prints it only when the second changes).
      if (entry_.time_us < 0) {
        entry_.time_us = timestamp_s_ >= 0 ? timestamp_s_ * 1'000'000 : last_time_;
      }
      // The event moved out leaves its strings' memory here, for the next one to reuse.
      sink_(std::move(entry_));
    }
    clear_entry();
    header_open_ = false;
    in_statement_ = statement_ended_ = false;
    timestamp_s_ = -1;
  }

  void clear_entry() {
    entry_.thread = 0;
    entry_.command.clear();
    statement_.start({});  // (its text empty)
    entry_.in_log = {};
    entry_.time_us = -1;
    entry_.database.clear();
  }

  static std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
      text.remove_suffix(1);
    }
    return text;
  }

  static bool istarts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
  }

  EventSink sink_;
  LogEvent entry_;
  TextInChunk statement_;  // its statement's text
  bool header_open_ = false, in_statement_ = false;
  bool statement_ended_ = false;  // the statement's last line so far ends with ';'
  bool seen_user_host_ = false, seen_timings_ = false;  // in this entry's header
  std::uint64_t cut_lines_ = 0;
  std::int64_t last_time_ = -1, timestamp_s_ = -1;
  std::string last_database_;
};

}  // namespace

std::unique_ptr<LogParser> make_slow_log_parser(EventSink sink, EventText text) {
  return std::make_unique<SlowLogParser>(std::move(sink), text);
}

}  // namespace sqlmeasure
