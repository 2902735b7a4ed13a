// sqlmeasure indexes: the cardinality report and the index findings, each with its evidence
// and the SQL to act on it (docs/indexes.md). Read-only. With --scenarios, the screens'
// queries are EXPLAINed and their index hints timed with and without; without, the rules
// that need them are skipped and the report says so.
#include <fmt/format.h>

#include "cli/command.h"
#include "sqlmeasure/advisor.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/index_collection.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

class IndexesCommand final : public ScreenCommand {
 public:
  void add_flags(CLI::App& app) override {
    add_screen_flags(app);
    app.add_option("--tables", tables_,
                   "Tables to report: names or globs, comma-separated "
                   "(default: every table of -D)");
    app.add_flag("--exact", exact_,
                 "Count the distinct values of every indexed column (sampled above 1M rows) "
                 "instead of trusting SHOW INDEX");
    app.add_option("--fail-on", fail_on_,
                   "Exit 1 when a finding at or above this severity exists: info, warning, error "
                   "(default: never)");
    app.add_option("--seed", seed_, "Seed for parameters drawn with `from` (default 1)");
    output_.add_to(app);
  }

  int execute(const Context& context) override {
    // Every flag is validated before any work.
    const Format format = output_.format();
    std::optional<Severity> fail_on;
    if (fail_on_) fail_on = parse_severity(*fail_on_, "--fail-on");
    const ProjectConfig& config = context.config();
    const bool with_scenarios = scenarios_.scenarios || scenarios_.screens || config.scenarios;
    std::vector<Screen> screens;
    if (with_scenarios) screens = scenarios_.load(config);

    ConnectionOptions options = connection_.resolve(context.config(), context);
    options.read_only = true;
    // Connect without the database, so that a wrong -D gets a usage error with a "did you
    // mean" from collect_schema instead of the server's "Unknown database"; USE it after.
    const std::string database = options.database.value_or("");
    options.database.reset();
    auto connection = verbose_connector(context)(options);
    check_session(*connection, database, screens, /*allow_writes=*/false);

    CollectOptions collect;
    if (tables_) collect.tables = split_list(*tables_);
    collect.exact = exact_;
    collect.on_progress = progress_printer(context, "indexes");
    collect.interrupted = context.interrupted();

    IndexReport report;
    report.schema = collect_schema(*connection, database, collect);
    connection->execute("USE " + quote_identifier(database));
    if (with_scenarios) {
      resolve_params(*connection, screens, seed_.value_or(config.seed.value_or(1)));
      EvidenceOptions evidence;
      evidence.on_progress = collect.on_progress;
      evidence.interrupted = context.interrupted();
      report.scenarios = collect_scenario_evidence(*connection, report.schema, screens, evidence);
      report.scenarios.directory = scenarios_.directory(config);
    }
    report.result = run_advisor(report.schema, report.scenarios, report.thresholds);
    render_index_report(report, format, context.style(), context.out());

    if (fail_on) {
      for (const Finding& finding : report.result.findings) {
        if (finding.severity >= *fail_on) return static_cast<int>(ExitCode::kFindings);
      }
    }
    return 0;
  }

 private:
  OutputFlags output_{{Format::kTable, Format::kJson, Format::kMarkdown}};
  std::optional<std::string> tables_;
  bool exact_ = false;
  std::optional<std::string> fail_on_;
  std::optional<std::uint64_t> seed_;
};

}  // namespace

std::unique_ptr<Command> make_indexes_command() { return std::make_unique<IndexesCommand>(); }

}  // namespace sqlmeasure
