// sqlmeasure capture: a scenario directory from the server's general or slow logs, one screen
// per application route (docs/capture.md).
#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <cmath>

#include "capture/event_pipeline.h"
#include "cli/command.h"
#include "cli/options.h"
#include "sqlmeasure/capture.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

class CaptureCommand final : public Command {
 public:
  void add_flags(CLI::App& app) override {
    app.add_option("logs", logs_, "General or slow log files (gzip too; - for standard input)");
    app.add_option("--from-table", from_table_,
                   "Read the server's log table instead: general (mysql.general_log) or slow "
                   "(mysql.slow_log), over the connection flags; read-only");
    app.add_flag("--performance-schema", performance_schema_,
                 "Read performance_schema.events_statements_history_long instead, polled for "
                 "--duration seconds while the application runs, over the connection flags; "
                 "read-only");
    app.add_option("--duration", duration_s_,
                   "Seconds to record with --performance-schema (default 60)")
        ->check(CLI::Range(0.0, 86400.0));
    connection_.add_to(app);
    app.add_option("-o,--out", out_, "Scenario directory to write, one NAME.toml per screen")
        ->required();
    app.add_flag("--force", force_, "Overwrite screen files that exist");
    app.add_option("--input-format", input_format_,
                   "auto (default), mariadb-general, mysql-general, mariadb-slow, mysql-slow");
    app.add_option("--group-by", group_by_,
                   "tags (default: the application's query tags), thread (untagged: requests "
                   "at idle gaps per connection), query (one screen per fingerprint)");
    app.add_option("--screen-tag", screen_tag_,
                   "Tag keys that name a screen, comma-separated (default: controller,action; "
                   "else route)");
    app.add_option("--gap", gap_s_,
                   "Idle seconds that end a request of one connection (--group-by thread, and "
                   "tags without a traceparent; default 1)")
        ->check(CLI::Range(0.0, 86400.0));
    app.add_option("--max-values", max_values_,
                   "Value rows kept per query, most frequent first (default 50)")
        ->check(CLI::Range(1, 100000));
    app.add_flag("--no-literals", no_literals_,
                 "Write no string from the logs (they may hold personal data): string "
                 "parameters are drawn from the database (from = \"SELECT DISTINCT ...\")");
    app.add_option("--screens", screens_, "Only screens matching these globs, comma-separated");
    app.add_option("--min-requests", min_requests_, "Only screens seen in at least N requests")
        ->check(CLI::Range(1, 1000000000));
    app.add_option("--top", top_, "Only the N screens with the most requests")
        ->check(CLI::Range(1, 1000000));
  }

  int execute(const Context& context) override {
    const CaptureOptions options = capture_options();
    LogFormat format = LogFormat::kAuto;
    if (input_format_) {
      const std::optional<LogFormat> named = log_format_named(*input_format_);
      if (!named) {
        fail(ExitCode::kUsage,
             fmt::format("--input-format: unknown format '{}' (expected auto, mariadb-general, "
                         "mysql-general, mariadb-slow or mysql-slow)",
                         *input_format_));
      }
      format = *named;
    }
    const int sources_given =
        (logs_.empty() ? 0 : 1) + (from_table_ ? 1 : 0) + (performance_schema_ ? 1 : 0);
    if (sources_given != 1) {
      fail(ExitCode::kUsage,
           sources_given == 0
               ? "capture needs log files, --from-table general|slow or --performance-schema"
               : "capture reads one source: log files, --from-table or --performance-schema");
    }
    if (duration_s_ && !performance_schema_) {
      fail(ExitCode::kUsage, "--duration goes with --performance-schema");
    }
    CaptureBuilder builder(options);
    std::vector<std::string> sources;
    std::uint64_t bytes = 0;
    if (from_table_) read_table(context, builder, sources);
    if (performance_schema_) read_history(context, builder, sources);
    EventPipeline pipeline(builder);  // this thread reads the logs, another builds
    const auto progress = progress_printer(context, "capture");
    for (const std::string& log : logs_) {
      ReadProgress on_read;
      if (progress && log != "-") {
        // In MiB (a log under 1 MiB is read at once: it shows none): "capture: reading general.log
        // (MiB) 120/1024 (12%), ~3 s left".
        on_read = [&progress, phase = "reading " + log + " (MiB)"](std::uint64_t read,
                                                                   std::uint64_t size) {
          if (size >= (1u << 20)) progress(Progress{phase, read >> 20, size >> 20});
        };
      }
      const LogReadSummary read = read_log(
          log, format, [&pipeline](LogEvent&& event) { pipeline.add(std::move(event)); }, on_read);
      pipeline.end_of_log();
      if (read.empty) {
        fail(ExitCode::kBadInput,
             fmt::format("{}: the log is empty", log == "-" ? "standard input" : log));
      }
      bytes += read.bytes;
      sources.push_back(fmt::format("{} ({})", log == "-" ? "standard input" : log,
                                    read.empty ? "empty" : log_format_name(read.format)));
    }
    pipeline.finish();
    CaptureResult result = builder.finish();
    const bool found = !result.screens.empty();
    select(result);
    if (found && result.screens.empty()) {
      fail(ExitCode::kUsage,
           "--screens, --min-requests and --top leave no screen to write "
           "(run without them to see the screens the logs have)");
    }
    render_capture_summary(result, join(sources), bytes, context.err());
    if (result.screens.empty()) {
      fail(ExitCode::kBadInput,
           fmt::format("{}: no screen to write: {}", join(sources),
                       options.group_by == CaptureOptions::GroupBy::kTags
                           ? "no read of the logs carries query tags (sqlcommenter or Rails); "
                             "--group-by thread or --group-by query read untagged traffic"
                           : "no read statement in the logs"));
    }
    for (const std::string& path :
         write_captured_files(captured_files(result, join(sources), no_literals_), out_, force_)) {
      context.out() << path << '\n';
    }
    return 0;
  }

 private:
  // --from-table: the server's log table, over a read-only session. An empty table is a
  // setting to change, which capture never does: exit 2 naming the statements.
  void read_table(const Context& context, CaptureBuilder& builder,
                  std::vector<std::string>& sources) const {
    LogTable table = LogTable::kGeneral;
    if (*from_table_ == "slow") {
      table = LogTable::kSlow;
    } else if (*from_table_ != "general") {
      fail(ExitCode::kUsage,
           fmt::format("--from-table: unknown log '{}' (expected general or slow)", *from_table_));
    }
    ConnectionOptions session = connection_.resolve(context.config(), context);
    // One long unbuffered read of the whole table: no statement timeout may cut it.
    session.query_timeout_ms = 0;
    session.read_timeout_s = 0;
    auto connection = verbose_connector(context)(session);
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
      fail(
          ExitCode::kRuntime,
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

  // --performance-schema: the statement history, polled while the application runs.
  void read_history(const Context& context, CaptureBuilder& builder,
                    std::vector<std::string>& sources) const {
    const double duration = duration_s_.value_or(60.0);
    auto connection = verbose_connector(context)(connection_.resolve(context.config(), context));
    const StatementHistoryRead read = read_statement_history(
        *connection, duration, [&builder](LogEvent&& event) { builder.add(event); },
        [&] {
          context.err() << fmt::format(
              "capture: recording performance_schema's statement history for {:g} s\n", duration);
        });
    builder.end_of_log();
    if (read.lost) {
      context.err() << "capture: warning: statements ran faster than the history kept them: "
                       "some were missed (raise performance_schema_events_statements_history_"
                       "long_size, or capture from the general log)\n";
    }
    if (read.truncated > 0) {
      context.err() << fmt::format(
          "capture: {} statement{} longer than performance_schema_max_sql_text_length left "
          "out\n",
          format_thousands(read.truncated), read.truncated == 1 ? "" : "s");
    }
    sources.push_back(
        fmt::format("performance_schema.events_statements_history_long ({} "
                    "statements in {} s)",
                    format_thousands(read.statements), fmt::format("{:g}", duration)));
  }

  CaptureOptions capture_options() const {
    CaptureOptions options;
    if (group_by_ == "tags") {
      options.group_by = CaptureOptions::GroupBy::kTags;
    } else if (group_by_ == "thread") {
      options.group_by = CaptureOptions::GroupBy::kThread;
    } else if (group_by_ == "query") {
      options.group_by = CaptureOptions::GroupBy::kQuery;
    } else {
      fail(ExitCode::kUsage,
           fmt::format("--group-by: unknown grouping '{}' (expected tags, thread or query)",
                       group_by_));
    }
    if (screen_tag_) {
      if (options.group_by != CaptureOptions::GroupBy::kTags) {
        fail(ExitCode::kUsage, "--screen-tag goes with --group-by tags");
      }
      options.screen_tags = split_list(*screen_tag_);
      if (options.screen_tags.empty()) fail(ExitCode::kUsage, "--screen-tag: no key given");
    }
    if (gap_s_) {
      if (options.group_by == CaptureOptions::GroupBy::kQuery) {
        fail(ExitCode::kUsage, "--gap goes with --group-by thread or tags");
      }
      options.gap_us = std::llround(*gap_s_ * 1e6);
    }
    options.max_values = max_values_;
    options.no_literals = no_literals_;
    return options;
  }

  // --screens, --min-requests, --top.
  void select(CaptureResult& result) const {
    const std::vector<std::string> globs =
        screens_ ? split_list(*screens_) : std::vector<std::string>{};
    std::erase_if(result.screens, [&](const CapturedScreen& screen) {
      if (screen.requests < min_requests_) return true;
      if (globs.empty()) return false;
      return std::none_of(globs.begin(), globs.end(), [&](const std::string& glob) {
        return fnmatch(glob.c_str(), screen.name.c_str(), 0) == 0;
      });
    });
    if (top_ && result.screens.size() > *top_) {
      std::stable_sort(
          result.screens.begin(), result.screens.end(),
          [](const CapturedScreen& a, const CapturedScreen& b) { return a.requests > b.requests; });
      result.screens.resize(*top_);
      std::sort(result.screens.begin(), result.screens.end(),
                [](const CapturedScreen& a, const CapturedScreen& b) { return a.name < b.name; });
    }
  }

  std::vector<std::string> logs_;
  std::optional<std::string> from_table_;
  bool performance_schema_ = false;
  std::optional<double> duration_s_;
  ConnectionFlags connection_;
  std::string out_;
  bool force_ = false;
  bool no_literals_ = false;
  std::optional<std::string> input_format_, screen_tag_, screens_;
  std::string group_by_ = "tags";
  std::optional<double> gap_s_;
  std::size_t max_values_ = 50;
  std::uint64_t min_requests_ = 1;
  std::optional<std::size_t> top_;
};

}  // namespace

std::unique_ptr<Command> make_capture_command() { return std::make_unique<CaptureCommand>(); }

}  // namespace sqlmeasure
