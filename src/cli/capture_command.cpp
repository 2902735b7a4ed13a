// sqlmeasure capture: a scenario directory from the server's general or slow logs, one screen
// per application route (docs/capture.md).
#include <fmt/format.h>

#include <cmath>

#include "command.h"
#include "options.h"
#include "sqlmeasure/capture.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// --performance-schema's recording time when --duration is not given.
constexpr double kDefaultDurationS = 60;

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
    app.add_option("--duration", duration_s_, "Seconds to record with --performance-schema")
        ->default_str(fmt::format("{:g}", kDefaultDurationS))
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
                   "tags without a traceparent)")
        ->default_str(fmt::format("{:g}", static_cast<double>(CaptureOptions{}.gap_us) / 1e6))
        ->check(CLI::Range(0.0, 86400.0));
    app.add_option("--max-values", max_values_, "Value rows kept per query, most frequent first")
        ->default_str(std::to_string(CaptureOptions{}.max_values))
        ->check(CLI::Range(1, 100000));
    app.add_flag("--no-literals", no_literals_,
                 "Write no string from the logs (they may hold personal data): string "
                 "parameters are drawn from the database (from = \"SELECT DISTINCT ...\")");
    app.add_option("--screens", screens_, "Only screens matching these globs, comma-separated");
    app.add_option("--min-requests", min_requests_, "Only screens seen in at least N requests")
        ->check(CLI::Range(1, 1000000000));
    app.add_option("--top", top_, "Only the N screens with the most requests")
        ->check(CLI::Range(std::size_t{1}, kCaptureMaxScreens));
  }

  int execute(const Context& context) override {
    check_out_directory(out_);  // before a 90 MB log is read, not after
    const CaptureOptions options = capture_options();
    const CaptureSources sources = capture_sources(context);
    ScreenSelection selection;
    if (screens_) selection.globs = split_list(*screens_);
    selection.min_requests = min_requests_;
    selection.top = top_;
    const CaptureRun run = run_capture(
        sources, options, selection, verbose_connector(context),
        progress_printer(context, "capture"),
        [&context](const std::string& note) { context.err() << "capture: " << note << '\n'; });
    render_capture_summary(run.result, join(run.sources), run.bytes, context.err());
    if (run.result.screens.empty()) {
      fail(ExitCode::kBadInput,
           fmt::format("{}: no screen to write: {}", join(run.sources),
                       options.group_by == CaptureOptions::GroupBy::kTags
                           ? "no read of the logs carries query tags (sqlcommenter or Rails); "
                             "--group-by thread or --group-by query read untagged traffic"
                           : "no read statement in the logs"));
    }
    for (const std::string& path : write_captured_files(
             captured_files(run.result, join(run.sources), no_literals_), out_, force_)) {
      context.out() << path << '\n';
    }
    return 0;
  }

 private:
  // Exactly one source: log files, --from-table or --performance-schema.
  CaptureSources capture_sources(const Context& context) const {
    CaptureSources sources;
    sources.logs = logs_;
    if (input_format_) {
      const std::optional<LogFormat> named = log_format_named(*input_format_);
      if (!named) {
        fail(ExitCode::kUsage,
             fmt::format("--input-format: unknown format '{}' (expected auto, mariadb-general, "
                         "mysql-general, mariadb-slow or mysql-slow)",
                         *input_format_));
      }
      sources.format = *named;
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
    if (from_table_) {
      if (*from_table_ == "general") {
        sources.table = LogTable::kGeneral;
      } else if (*from_table_ == "slow") {
        sources.table = LogTable::kSlow;
      } else {
        fail(ExitCode::kUsage, fmt::format("--from-table: unknown log '{}' (expected general or "
                                           "slow)",
                                           *from_table_));
      }
    }
    if (performance_schema_) sources.history_duration_s = duration_s_.value_or(kDefaultDurationS);
    if (sources.table || sources.history_duration_s) {
      sources.session = connection_.resolve(context.config(), context);
    }
    return sources;
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
  std::size_t max_values_ = CaptureOptions{}.max_values;
  std::uint64_t min_requests_ = 1;
  std::optional<std::size_t> top_;
};

}  // namespace

std::unique_ptr<Command> make_capture_command() { return std::make_unique<CaptureCommand>(); }

}  // namespace sqlmeasure
