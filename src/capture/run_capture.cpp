// One capture, from its sources to the screens to write (docs/capture.md): what the capture
// command runs once its flags are read.
#include <fmt/format.h>
#include <fnmatch.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <future>
#include <memory>
#include <mutex>
#include <system_error>

#include "event_pipeline.h"
#include "sqlmeasure/capture.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/number_text.h"

namespace sqlmeasure {
namespace {

std::string source_name(const std::string& log) { return log == "-" ? "standard input" : log; }

// The server's log table, over a read-only session. An empty table is a setting to change,
// which capture never does: exit 2 naming the statements.
void read_table(LogTable table, ConnectionOptions session, const Connector& connect,
                CaptureBuilder& builder, std::vector<std::string>& sources) {
  // One long unbuffered read of the whole table: no statement timeout may cut it.
  session.query_timeout_ms = 0;
  session.read_timeout_s = 0;
  auto connection = connect(session);
  const std::uint64_t rows =
      read_log_table(*connection, table, [&builder](LogEvent&& event) { builder.add(event); });
  builder.end_of_log();
  const std::string name = log_table_name(table);
  if (rows == 0) {
    const std::string setting = table == LogTable::kGeneral ? "general_log" : "slow_query_log";
    const ResultSet now =
        connection->query(fmt::format("SELECT @@global.log_output, @@global.{}", setting));
    const std::string output = now.rows.empty() ? "?" : now.rows[0][0].value_or("?");
    const std::string on = now.rows.empty() ? "?" : now.rows[0][1].value_or("?");
    fail(ExitCode::kRuntime,
         fmt::format("{} has no rows (log_output = {}, {} = {}); capture changes no server "
                     "setting. To log into the table while the application runs: SET GLOBAL "
                     "log_output = 'TABLE'; SET GLOBAL {} = ON;{} then OFF again (on RDS and "
                     "Aurora: the DB parameter group)",
                     name, output, setting,
                     on == "1"   ? "ON"
                     : on == "0" ? "OFF"
                                 : on,
                     setting, table == LogTable::kSlow ? " SET GLOBAL long_query_time = 0;" : ""));
  }
  sources.push_back(fmt::format("{} ({} rows)", name, format_thousands(rows)));
}

// performance_schema's statement history, polled while the application runs.
void read_history(double duration, const ConnectionOptions& session, const Connector& connect,
                  CaptureBuilder& builder, std::vector<std::string>& sources,
                  const std::function<void(const std::string&)>& note) {
  auto connection = connect(session);
  const StatementHistoryRead read = read_statement_history(
      *connection, duration, [&builder](LogEvent&& event) { builder.add(event); },
      [&] {
        note(fmt::format("recording performance_schema's statement history for {:g} s", duration));
      });
  builder.end_of_log();
  if (read.lost) {
    note(
        "warning: statements ran faster than the history kept them: some were missed (raise "
        "performance_schema_events_statements_history_long_size, or capture from the general "
        "log)");
  }
  if (read.truncated > 0) {
    note(fmt::format("{} statement{} longer than performance_schema_max_sql_text_length left out",
                     format_thousands(read.truncated), read.truncated == 1 ? "" : "s"));
  }
  sources.push_back(
      fmt::format("performance_schema.events_statements_history_long ({} "
                  "statements in {} s)",
                  format_thousands(read.statements), fmt::format("{:g}", duration)));
}

// The counting thread's heap (a malloc arena of its own) grows and shrinks by mprotect as
// requests come and go: two thousand calls on a 256 MB log, each waiting for the address
// space's lock, which the reading thread holds while it maps a window of the log. Grown and
// trimmed 16 MiB at a time, it takes a score. (Untouched pages cost no memory.)
void pad_the_heap() {
#if defined(__GLIBC__)
  static std::once_flag once;
  std::call_once(once, [] { mallopt(M_TOP_PAD, 16 << 20); });
#endif
}

// The log files, read on this thread and parsed into requests on one more.
void read_logs(const CaptureSources& from, CaptureBuilder& builder, CaptureRun& run,
               const ProgressSink& on_progress,
               const std::function<void(const std::string&)>& note) {
  pad_the_heap();
  EventPipeline pipeline(builder);
  for (const std::string& log : from.logs) {
    ReadProgress on_read;
    if (on_progress && log != "-") {
      // In MiB (a log under 1 MiB is read at once: it shows none): "capture: reading general.log
      // (MiB) 120/1024 (12%), ~3 s left".
      on_read = [&on_progress, phase = "reading " + log + " (MiB)"](std::uint64_t read,
                                                                    std::uint64_t size) {
        if (size >= (1u << 20)) on_progress(Progress{phase, read >> 20, size >> 20});
      };
    }
    const LogReadSummary read = read_log(
        log, from.format, [&pipeline](LogEvent&& event) { pipeline.add(event); }, on_read,
        EventText::kInLog);  // the pipeline reads each event before it returns
    pipeline.end_of_log();
    if (read.empty) {
      fail(ExitCode::kBadInput,
           fmt::format("{}: the log is empty{}", source_name(log),
                       read.lines > 0 ? fmt::format(" (only the {} header lines a server writes "
                                                    "when it opens the log: no event yet)",
                                                    read.lines)
                                      : ""));
    }
    if (read.cut_lines > 0) {
      note(
          fmt::format("{}: starts in the middle of an entry (a log rotated or cut by size): its "
                      "first {} line{}, the end of that entry, not read",
                      source_name(log), read.cut_lines, read.cut_lines == 1 ? "" : "s"));
    }
    run.bytes += read.bytes;
    run.sources.push_back(fmt::format("{} ({})", source_name(log), log_format_name(read.format)));
  }
  pipeline.finish();
}

void select(CaptureResult& result, const ScreenSelection& selection) {
  std::erase_if(result.screens, [&](const CapturedScreen& screen) {
    if (screen.requests < selection.min_requests) return true;
    if (selection.globs.empty()) return false;
    return std::none_of(selection.globs.begin(), selection.globs.end(),
                        [&](const std::string& glob) {
                          return fnmatch(glob.c_str(), screen.name.c_str(), 0) == 0;
                        });
  });
  if (selection.top && result.screens.size() > *selection.top) {
    std::stable_sort(
        result.screens.begin(), result.screens.end(),
        [](const CapturedScreen& a, const CapturedScreen& b) { return a.requests > b.requests; });
    result.screens.resize(*selection.top);
    std::sort(result.screens.begin(), result.screens.end(),
              [](const CapturedScreen& a, const CapturedScreen& b) { return a.name < b.name; });
  }
}

}  // namespace

CaptureRun run_capture(const CaptureSources& sources, const CaptureOptions& options,
                       const ScreenSelection& selection, const Connector& connect,
                       const ProgressSink& on_progress,
                       const std::function<void(const std::string&)>& on_note) {
  const auto note = [&on_note](const std::string& message) {
    if (on_note) on_note(message);
  };
  auto builder = std::make_unique<CaptureBuilder>(options);
  CaptureRun run;
  if (sources.table) read_table(*sources.table, *sources.session, connect, *builder, run.sources);
  if (sources.history_duration_s) {
    read_history(*sources.history_duration_s, *sources.session, connect, *builder, run.sources,
                 note);
  }
  read_logs(sources, *builder, run, on_progress, note);
  run.result = builder->finish();
  try {
    run.counts_freed =
        std::async(std::launch::async, [counts = std::move(builder)]() mutable { counts.reset(); });
  } catch (const std::system_error&) {  // no thread to be had: freed here, when `builder` is
  }
  const bool found = !run.result.screens.empty();
  const std::uint64_t set_aside = run.result.screens_set_aside;
  if (set_aside > 0 && !selection.top) {
    fail(ExitCode::kUsage,
         fmt::format("the logs hold more than {} screens, more than the {} capture writes: keep "
                     "the most requested with --top N; nothing was written",
                     format_thousands(options.screens_tracked),
                     format_thousands(kCaptureMaxScreens)));
  }
  select(run.result, selection);
  if (set_aside > 0) {
    note(fmt::format(
        "the logs hold more than {} screens; it kept the most requested as it read, "
        "setting aside {} that had at most {} request{} each: a screen with about that few "
        "may be missing or counted short",
        format_thousands(options.screens_tracked), format_thousands(set_aside),
        format_thousands(run.result.set_aside_requests),
        run.result.set_aside_requests == 1 ? "" : "s"));
  }
  if (run.result.screens.size() > kCaptureMaxScreens) {
    fail(ExitCode::kUsage,
         fmt::format("the logs hold {} screens, more than the {} capture writes: keep the most "
                     "requested with --top N, or narrow them with --screens or --min-requests; "
                     "nothing was written",
                     run.result.screens.size(), kCaptureMaxScreens));
  }
  if (found && run.result.screens.empty()) {
    fail(ExitCode::kUsage,
         "--screens, --min-requests and --top leave no screen to write "
         "(run without them to see the screens the logs have)");
  }
  return run;
}

}  // namespace sqlmeasure
