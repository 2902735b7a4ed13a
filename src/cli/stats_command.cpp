// sqlmeasure stats export | import FILE | import --undo: production's optimizer statistics
// read into a file, and carried into the CI copy (docs/statistics.md).
#include <fmt/format.h>

#include "command.h"
#include "output_flags.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/journal.h"
#include "sqlmeasure/statistics_export.h"
#include "sqlmeasure/statistics_file.h"
#include "sqlmeasure/statistics_import.h"
#include "sqlmeasure/statistics_report.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/version.h"

namespace sqlmeasure {
namespace {

class StatsCommand final : public Command {
 public:
  void add_flags(CLI::App& app) override {
    app.add_option("action", action_,
                   "export: read the optimizer statistics of the database's tables into a file "
                   "(read-only); import FILE: write them into this database's statistics tables "
                   "(the CI copy); import --undo: put the copy's own back")
        ->required()
        ->check(CLI::IsMember({"export", "import"}));
    app.add_option("file", file_, "import: the statistics file `stats export` wrote");
    connection_.add_to(app);
    app.add_option("-o,--out", out_,
                   "export: the file to write (default: standard output); written atomically");
    app.add_option("--tables", tables_, "export: only these tables (names or globs)")
        ->delimiter(',');
    app.add_flag("--no-histograms", no_histograms_,
                 "export: leave out every value of your data — histograms and each column's "
                 "min and max — keeping counts and cardinalities only");
    app.add_flag("--undo", undo_,
                 "import: put back the copy's own statistics the last import replaced");
    app.add_flag("--allow-replicated-ddl", allow_replicated_,
                 "import: write statistics on a server with a binary log or replicas anyway "
                 "(the writes replicate)");
    app.add_flag("--no-binlog", no_binlog_,
                 "import: SET SESSION sql_log_bin = 0 for the statistics writes");
    output_.add_to(app);
  }

  int execute(const Context& context) override {
    check_flags();
    const Format format = output_.format();
    ConnectionOptions options = connection_.resolve(context.config(), context);
    if (action_ == "export") return export_file(context, options);
    // A bad file stops before anything connects.
    std::optional<StatisticsFile> file;
    if (file_) file = read_statistics_file(*file_);
    options.read_only = false;  // it writes the server's statistics tables
    auto admin = verbose_connector(context)(options);
    StatisticsImportOptions importing;
    importing.allow_replicated = allow_replicated_;
    importing.no_binlog = no_binlog_;
    importing.interrupted = context.interrupted();
    importing.on_event = [&context](const std::string& event) { say(context, event); };
    if (undo_) return undo(*admin, importing, format, context);
    const StatisticsImportResult result =
        import_statistics(*admin, *file, statistics_source(*file_, *file), importing);
    render_statistics_import(result, format, context.out());
    return 0;
  }

 private:
  static void say(const Context& context, const std::string& event) {
    if (!context.flags().quiet) context.err() << "sqlmeasure: " << event << '\n';
  }

  static int undo(Connection& admin, const StatisticsImportOptions& importing, Format format,
                  const Context& context) {
    const auto undone = undo_statistics_import(admin, importing);
    if (!undone) {
      context.out() << fmt::format(
          "nothing to undo: no statistics import is in place on database {} of this server\n",
          admin.server().database);
      return 0;
    }
    render_statistics_undo(*undone, format, context.out());
    if (!undone->differences.empty()) {
      fail(ExitCode::kRuntime, "the copy's own statistics could not all be put back; see above");
    }
    return 0;
  }

  void check_flags() const {
    const bool exporting = action_ == "export";
    const auto refuse = [&](bool given, const char* flag) {
      if (given) {
        fail(ExitCode::kUsage, fmt::format("{} is for stats {}, not stats {}", flag,
                                           exporting ? "import" : "export", action_));
      }
    };
    if (exporting) {
      refuse(file_.has_value(), "a FILE argument");
      refuse(undo_, "--undo");
      refuse(allow_replicated_, "--allow-replicated-ddl");
      refuse(no_binlog_, "--no-binlog");
      return;
    }
    refuse(out_.has_value(), "--out");
    refuse(!tables_.empty(), "--tables");
    refuse(no_histograms_, "--no-histograms");
    if (undo_ && file_) fail(ExitCode::kUsage, "stats import --undo takes no FILE");
    if (!undo_ && !file_) {
      fail(ExitCode::kUsage,
           "stats import needs the FILE `stats export` wrote (or --undo to put the copy's own "
           "statistics back)");
    }
  }

  int export_file(const Context& context, const ConnectionOptions& options) {
    if (out_) check_output_file(*out_, "--out");
    auto connection = verbose_connector(context)(options);
    StatisticsFile file =
        export_statistics(*connection, connection->server().database, {tables_, !no_histograms_});
    file.tool_version = kVersion;
    if (out_) {
      write_statistics_file(file, *out_);
      context.err() << fmt::format("statistics: {} ({} table{})\n", *out_, file.tables.size(),
                                   file.tables.size() == 1 ? "" : "s");
    } else {
      context.out() << statistics_to_text(file);
    }
    return 0;
  }

  ConnectionFlags connection_;
  OutputFlags output_{kTableFormats};
  std::string action_;
  std::optional<std::string> file_, out_;
  std::vector<std::string> tables_;
  bool no_histograms_ = false, undo_ = false, allow_replicated_ = false, no_binlog_ = false;
};

}  // namespace

std::unique_ptr<Command> make_stats_command() { return std::make_unique<StatsCommand>(); }

}  // namespace sqlmeasure
