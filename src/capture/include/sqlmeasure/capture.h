#pragma once
// `sqlmeasure capture` (docs/capture.md): the statements a server logged while the
// application ran, read as a stream of events (general and slow logs of MariaDB and MySQL),
// grouped into the application's screens by its own query tags, and written as a scenario
// directory that `check`, `run` and `compare` use unchanged.
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/progress.h"
#include "sqlmeasure/scenario.h"
#include "sqlmeasure/source_location.h"

namespace sqlmeasure {

// ---------------------------------------------------------------- reading logs

enum class LogFormat { kAuto, kMariaDbGeneral, kMySqlGeneral, kMariaDbSlow, kMySqlSlow };
[[nodiscard]] const char* log_format_name(LogFormat format);  // "mariadb-general", ...
[[nodiscard]] std::optional<LogFormat> log_format_named(std::string_view name);

// One thing a session did, as the log tells it.
struct LogEvent {
  std::uint64_t thread = 0;
  std::string command;        // Query, Execute, Connect, Quit, Init DB, ... ("Query" in a slow log)
  std::string text;           // the statement, or the command's argument (unless in_log has it)
  std::int64_t time_us = -1;  // microseconds since the epoch (UTC as logged); -1 unknown
  std::string database;       // the current database, when the log says (slow logs)
  SourceLocation where;       // the event's first line
  // The text where the log holds it, when the parser was asked for that (EventText::kInLog)
  // and could: valid only while the sink is called. `text` is empty then.
  std::string_view in_log;

  // The statement, or the command's argument: in_log's or text's.
  [[nodiscard]] std::string_view text_read() const {
    return in_log.data() != nullptr ? in_log : std::string_view(text);
  }
};

using EventSink = std::function<void(LogEvent&&)>;

// Whether a parser copies each event's text into LogEvent::text (for a sink that keeps
// events), or may leave it in the log's bytes (LogEvent::in_log) for a sink that reads each
// event before it returns: the copy of every statement was a tenth of the reading thread's time.
enum class EventText { kCopied, kInLog };

// A streaming parser of one log file: lines in, events out, in order. Memory is bounded by the
// longest statement, whatever the file's size.
class LogParser {
 public:
  virtual ~LogParser() = default;
  // One line without its terminating '\n' (a '\r' before it is kept: it may be in a literal).
  virtual void line(std::string_view text, const SourceLocation& where) = 0;
  // Whole lines, each ended by '\n', as line() for each, `where.line` one more before each;
  // a statement's text may stay in `text` until the call returns (without a virtual call per
  // line: log_lines.h's LineParser).
  virtual void lines(std::string_view text, SourceLocation& where) = 0;
  // The end of the input: the last event, even a truncated one, is emitted.
  virtual void finish() = 0;
  // Lines before the first event that are not headers: the end of an event the file was cut
  // in (a log rotated or cut by size starts mid-event). Not read, and said.
  [[nodiscard]] virtual std::uint64_t cut_lines() const = 0;
};

// A parser for `format` (not kAuto) emitting to `sink`.
[[nodiscard]] std::unique_ptr<LogParser> make_log_parser(LogFormat format, EventSink sink,
                                                         EventText text = EventText::kCopied);

// The format of a log, from its first lines (headers, timestamps); kAuto when they do not
// tell.
[[nodiscard]] LogFormat detect_log_format(const std::vector<std::string>& first_lines);

struct LogReadSummary {
  LogFormat format = LogFormat::kAuto;  // as detected (or given)
  int lines = 0;
  std::uint64_t bytes = 0;      // uncompressed
  bool empty = false;           // no line at all
  std::uint64_t cut_lines = 0;  // LogParser::cut_lines
};

// Reads `path` ("-": standard input; gzip-compressed or plain) line by line into the parser
// of `format` (kAuto: detected from its first lines) and `sink`. Throws Error(kBadInput)
// naming the file for one it cannot read or whose format it cannot tell. `on_read`, when
// given, is told the bytes of the file read so far and its size, after each chunk (not for
// standard input, whose size is unknown).
using ReadProgress = std::function<void(std::uint64_t read, std::uint64_t size)>;
LogReadSummary read_log(const std::string& path, LogFormat format, const EventSink& sink,
                        const ReadProgress& on_read = {}, EventText text = EventText::kCopied);

// The logs a server keeps as tables (log_output = TABLE: the RDS and Aurora default).
enum class LogTable { kGeneral, kSlow };
[[nodiscard]] const char* log_table_name(LogTable table);  // "mysql.general_log", ...

// Streams the rows of mysql.general_log or mysql.slow_log into `sink` as events (leaving out
// this connection's own statements), reading nothing else and changing nothing. Returns the
// number of rows read, its own left out. Throws DatabaseError.
std::uint64_t read_log_table(Connection& connection, LogTable table, const EventSink& sink);

// What reading performance_schema's statement history for a while saw.
struct StatementHistoryRead {
  std::uint64_t statements = 0;  // events emitted (this connection's own left out)
  std::uint64_t truncated = 0;   // cut at performance_schema_max_sql_text_length: left out
  int polls = 0;
  bool lost = false;  // the ring filled between two polls: statements were missed
};

// Polls performance_schema.events_statements_history_long for `duration_s` seconds (SQL_TEXT
// keeps the comments the tags are in, unlike DIGEST_TEXT): each statement that ran in that
// time once, as events in the order they started (what the history held before is not
// read). `recording` is called when it starts. Changes nothing: when performance_schema or a
// consumer is off, throws Error(kRuntime) naming what to switch on. Throws DatabaseError.
StatementHistoryRead read_statement_history(Connection& connection, double duration_s,
                                            const EventSink& sink,
                                            const std::function<void()>& recording = {});

// ---------------------------------------------------------------- screens from events

struct CaptureOptions {
  // kTags: the application's query tags (sqlcommenter, Rails); kThread: untagged traffic,
  // each thread's statements split into requests at idle gaps, requests with the same
  // sequence of queries one screen; kQuery: one screen per fingerprint (pt-query-digest's).
  enum class GroupBy { kTags, kThread, kQuery };
  GroupBy group_by = GroupBy::kTags;
  std::vector<std::string> screen_tags;  // --screen-tag: these keys name a screen
  std::int64_t gap_us = 1'000'000;       // --gap, for kThread
  std::size_t max_values = 50;           // --max-values: value rows kept per query
  bool no_literals = false;              // --no-literals: no string parameter is a constant
  // Screens tracked at once: past it, the less requested half is set aside (lossy counting),
  // so that memory follows what capture can keep, not the distinct routes of the log.
  std::size_t screens_tracked = 50'000;
};

// One query of a captured screen.
struct CapturedQuery {
  std::string name;
  std::string fingerprint;
  std::string sql;  // replayable: parameters as :name, constant ones put back as literals
  int times = 1;    // the median count per request that issued it
  std::vector<std::string> params;                           // names, in the SQL's order
  std::vector<std::pair<std::string, std::string>> columns;  // theirs: qualifier, column
  std::vector<std::vector<ParamValue>> value_rows;           // each row from one statement, most
                                                             // frequent first
  std::uint64_t statements = 0;                              // of this fingerprint
  std::uint64_t requests = 0;                                // that issued it
};

struct CapturedScreen {
  std::string name;
  std::string tags;  // as the application wrote them (traceparent left out); empty otherwise
  std::uint64_t requests = 0;
  std::vector<CapturedQuery> queries;            // in the order the screen issues them
  std::map<std::string, std::uint64_t> skipped;  // why statements were left out → how many
};

struct CaptureResult {
  std::vector<CapturedScreen> screens;           // by name
  std::map<std::string, std::uint64_t> skipped;  // statements outside any screen, by why
  // Screens whose every statement was left out (a route that only writes): name → why → count.
  std::map<std::string, std::map<std::string, std::uint64_t>> left_out;
  std::vector<std::string> renamed;  // names that collided: "a_b (tags ...)"
  std::uint64_t events = 0;
  // Screens set aside as the log was read (more than CaptureOptions::screens_tracked at once),
  // and the most requests one of them had when it was: a screen with fewer may be missing or
  // counted short. Their left-out statements are in `skipped`.
  std::uint64_t screens_set_aside = 0;
  std::uint64_t set_aside_requests = 0;
};

class StatementReader;  // src/capture/statement_reader.h
struct ReadEvent;

// Events in, screens out: streaming, its memory bounded by the distinct fingerprints and the
// value rows kept, not by the number of events.
class CaptureBuilder {
 public:
  explicit CaptureBuilder(CaptureOptions options);
  ~CaptureBuilder();
  CaptureBuilder(const CaptureBuilder&) = delete;
  CaptureBuilder& operator=(const CaptureBuilder&) = delete;
  void add(const LogEvent& event);
  // The same, with the event read by statement_reader() beforehand (another thread may do
  // that), and the buffer that read appended its statement's literals and comment to.
  void add(const ReadEvent& event, std::string_view buffer);
  // What reads statements, for the one thread that does (add(event) uses it too).
  StatementReader& statement_reader();
  // The end of one log: its sessions' requests end (thread ids of another log are others).
  void end_of_log();
  [[nodiscard]] CaptureResult finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// ---------------------------------------------------------------- the scenario directory

// The captured screens as scenario screens (the parameters of a query as lists of one length:
// a statement's values at one position), and the comment lines each file starts with.
struct CapturedFile {
  Screen screen;
  std::vector<std::string> comments;
};
// With `no_literals`, no string value is written: a parameter that held strings is drawn
// from the database instead (`from = "SELECT DISTINCT column FROM table ..."`), and a query
// whose such parameter has no column capture can tell is left out (a comment says so).
[[nodiscard]] std::vector<CapturedFile> captured_files(const CaptureResult& result,
                                                       const std::string& sources,
                                                       bool no_literals = false);

// Error(kUsage) when `directory` (capture's --out) could never be written: it, or the nearest
// part of its path that exists, is not a directory. Said before a log is read.
void check_out_directory(const std::string& directory);

// Writes each file as DIR/NAME.toml (the directory made if missing). Nothing is written when
// one of them exists and `force` is false: a usage error names it. Returns the paths written.
std::vector<std::string> write_captured_files(const std::vector<CapturedFile>& files,
                                              const std::string& directory, bool force);

// A screen name from tag values: lower case, joined by '_', anything outside [a-z0-9_] made
// '_' (runs of them one, none at the ends), at most 128 bytes; "screen" when nothing is left.
[[nodiscard]] std::string screen_name_from(const std::vector<std::string>& values);

// ---------------------------------------------------------------- one capture, end to end

// Where a capture reads: log files, or over a connection the server's log table or its
// statement history (exactly one of the three).
struct CaptureSources {
  std::vector<std::string> logs;  // general or slow logs, gzip too; "-" is standard input
  LogFormat format = LogFormat::kAuto;
  std::optional<LogTable> table;             // mysql.general_log or mysql.slow_log
  std::optional<double> history_duration_s;  // performance_schema's history, polled this long
  std::optional<ConnectionOptions> session;  // for table or history: a read-only session
};

// The most screens capture writes: a log of a million distinct routes is no scenario
// directory; past it capture refuses and asks for --top (whose own bound this is too).
inline constexpr std::size_t kCaptureMaxScreens = 10000;

// Which captured screens to write: --screens, --min-requests, --top.
struct ScreenSelection {
  std::vector<std::string> globs;  // empty: every screen
  std::uint64_t min_requests = 1;
  std::optional<std::size_t> top;  // the N with the most requests
};

struct CaptureRun {
  CaptureResult result;              // the selected screens
  std::vector<std::string> sources;  // "general.log (mysql-general)", "mysql.slow_log (12 rows)"
  std::uint64_t bytes = 0;           // of the log files read
  // The counts the screens were read from, given back on another thread while the caller
  // writes the files (milliseconds of frees, on a large log): waited for when the run is.
  std::future<void> counts_freed;
};

// Reads the sources into screens (log files on two threads: event_pipeline.h), and keeps
// those `selection` asks for. `on_progress` hears of each log file read (in MiB), `on_note`
// of what the user should know as it happens ("recording ... for 60 s", statements missed).
// Throws Error for a source that cannot be read, an empty log or log table (exit 2 naming the
// settings to change: capture changes none), or a selection that leaves no screen (64).
[[nodiscard]] CaptureRun run_capture(const CaptureSources& sources, const CaptureOptions& options,
                                     const ScreenSelection& selection, const Connector& connect,
                                     const ProgressSink& on_progress = {},
                                     const std::function<void(const std::string&)>& on_note = {});

}  // namespace sqlmeasure
