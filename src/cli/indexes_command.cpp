// sqlmeasure indexes: the cardinality report and the index findings, each with its evidence
// and the SQL to act on it (docs/indexes.md). Read-only. With --scenarios, the screens'
// queries are EXPLAINed and their index hints timed with and without; without, the rules
// that need them are skipped and the report says so. --verify is the one exception: every
// index a finding proposes to drop is measured ignored, as a live compare does it (live/).
#include <fmt/format.h>

#include <algorithm>

#include "cli/command.h"
#include "sqlmeasure/advisor.h"
#include "sqlmeasure/drop_verification.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/evidence_collection.h"
#include "sqlmeasure/html_report.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/schema_reader.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/timestamp.h"

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
    add_verify_flags(app);
    output_.add_to(app);
    report_.add_to(app);
  }

  int execute(const Context& context) override {
    // Every flag is validated before any work.
    const Format format = output_.format();
    report_.check();
    std::optional<Severity> fail_on;
    if (fail_on_) fail_on = parse_severity(*fail_on_, "--fail-on");
    const ProjectConfig& config = context.config();
    const bool with_scenarios = scenarios_.scenarios || scenarios_.screens || config.scenarios;
    refuse_verify_flags_without_verify(with_scenarios);
    std::vector<Screen> screens;
    if (with_scenarios) screens = scenarios_.load(config);
    const std::vector<Screen> unresolved = screens;  // --verify draws its own parameters

    ConnectionOptions options = connection_.resolve(context.config(), context);
    const ConnectionOptions resolved = options;  // --verify's sessions: resolved once
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
    std::optional<std::string> verify_failure;
    if (verify_) {
      verify_failure = verify(report.result, report.schema, unresolved, resolved, context);
    }
    report_.emit(
        format, context,
        [&](std::ostream& out) { render_index_report(report, format, context.style(), out); },
        [&](std::ostream& out) { render_index_report_html(report, out); });
    if (verify_failure) fail(ExitCode::kRuntime, "--verify: " + *verify_failure);

    if (fail_on) {
      for (const Finding& finding : report.result.findings) {
        if (finding.severity >= *fail_on) return static_cast<int>(ExitCode::kFindings);
      }
    }
    return 0;
  }

 private:
  static constexpr const char* kVerifyGroup = "Measuring the drops (--verify)";

  void add_verify_flags(CLI::App& app) {
    app.add_flag("--verify", verify_,
                 "Measure every screen with each index a finding drops IGNORED/INVISIBLE, then "
                 "restore it (changes the server as compare --ignore-index does)")
        ->group(kVerifyGroup);
    app.add_option("--verify-budget", verify_budget_s_,
                   "Seconds --verify may spend; findings left over say so (default 600)")
        ->group(kVerifyGroup)
        ->check(CLI::Range(1.0, 31536000.0));
    app.add_option("--alternations", alternations_,
                   "Ignore and restore each batch K times, measuring between (default 3)")
        ->group(kVerifyGroup)
        ->check(CLI::Range(1, 100));
    app.add_flag("--allow-replicated-ddl", allow_replicated_ddl_,
                 "Ignore indexes even though a binary log or replicas would replay it")
        ->group(kVerifyGroup);
    app.add_flag("--no-binlog", no_binlog_,
                 "Ignore indexes with SET SESSION sql_log_bin = 0 (needs SUPER/BINLOG ADMIN)")
        ->group(kVerifyGroup);
    app.add_option("--out-dir", out_dir_,
                   "Where --verify's results files go (default "
                   "sqlmeasure-results/indexes-verify-TIMESTAMP)")
        ->group(kVerifyGroup);
  }

  void refuse_verify_flags_without_verify(bool with_scenarios) const {
    if (!verify_ &&
        (verify_budget_s_ || alternations_ || allow_replicated_ddl_ || no_binlog_ || out_dir_)) {
      fail(ExitCode::kUsage,
           "--verify-budget, --alternations, --allow-replicated-ddl, --no-binlog and --out-dir "
           "go with --verify");
    }
    if (verify_ && !with_scenarios) {
      fail(ExitCode::kUsage,
           "--verify measures the screens with each index ignored: give --scenarios DIR (or "
           "[scenarios] in sqlmeasure.toml)");
    }
  }

  // Measures the indexes the findings drop and attaches each verdict to its findings. The
  // failure of a batch that did not finish, with the server's state; empty when none.
  std::optional<std::string> verify(AdvisorResult& result, const SchemaInfo& schema,
                                    const std::vector<Screen>& screens,
                                    const ConnectionOptions& connection,
                                    const Context& context) const {
    std::vector<IndexToDrop> drops;
    for (Finding& finding : result.findings) {
      if (finding.drops.empty()) continue;
      const TableInfo* table = schema.table(finding.table);
      const IndexInfo* index = table == nullptr ? nullptr : table->index(finding.drops);
      if (index != nullptr && !index->visible) {
        // Ignoring it again would be refused; the optimizer does not use it anyway.
        finding.measured =
            Finding::Measured{"not measured", "the index is already ignored (hidden-index)"};
        continue;
      }
      const bool seen = std::any_of(drops.begin(), drops.end(), [&](const IndexToDrop& drop) {
        return drop.table == finding.table && drop.index == finding.drops;
      });
      if (!seen) drops.push_back({finding.table, finding.drops});
    }
    if (drops.empty()) {
      context.err() << "sqlmeasure: --verify: no finding drops an index; nothing to measure\n";
      return std::nullopt;
    }
    const ProjectConfig& config = context.config();
    VerifyOptions options;
    RunFlags run;
    run.iterations_auto = true;
    run.seed = seed_;
    options.compare.run = run.options(context, scenarios_, "indexes --verify");
    options.compare.alternations =
        alternations_.value_or(config.alternations.value_or(options.compare.alternations));
    options.compare.out_dir = out_dir_.value_or("sqlmeasure-results/indexes-verify-" +
                                                utc_now(TimestampFormat::kFileName));
    check_output_directory(options.compare.out_dir, "--out-dir");
    options.compare.allow_replicated_ddl = allow_replicated_ddl_;
    options.compare.no_binlog = no_binlog_;
    options.compare.on_event = [&context](const std::string& event) {
      context.err() << "sqlmeasure: " << event << '\n';
      context.err().flush();
    };
    options.compare.connection = measuring_session(connection, options.compare.run);
    options.budget_s = verify_budget_s_.value_or(600);
    const VerifyOutcome outcome = verify_drops(screens, drops, options, verbose_connector(context));
    for (Finding& finding : result.findings) {
      for (const VerifiedDrop& verified : outcome.drops) {
        if (verified.drop.table != finding.table || verified.drop.index != finding.drops) continue;
        switch (verified.verdict) {
          case DropVerdict::kUnchanged:
            finding.measured = Finding::Measured{"unchanged", verified.text};
            break;
          case DropVerdict::kRegressed:
            finding.measured = Finding::Measured{"keep", verified.text};
            finding.severity = Severity::kInfo;  // a screen needs it: never fails --fail-on
            break;
          case DropVerdict::kNotMeasured:
            finding.measured = Finding::Measured{"not measured", verified.text};
            break;
        }
      }
    }
    // A drop measured as needed is info now: findings stay ordered by severity.
    std::stable_sort(result.findings.begin(), result.findings.end(),
                     [](const Finding& a, const Finding& b) { return a.severity > b.severity; });
    return outcome.failure;
  }

  OutputFlags output_{{Format::kTable, Format::kJson, Format::kMarkdown, Format::kHtml}};
  ReportFlag report_;
  bool verify_ = false, allow_replicated_ddl_ = false, no_binlog_ = false;
  std::optional<double> verify_budget_s_;
  std::optional<int> alternations_;
  std::optional<std::string> out_dir_;
  std::optional<std::string> tables_;
  bool exact_ = false;
  std::optional<std::string> fail_on_;
  std::optional<std::uint64_t> seed_;
};

}  // namespace

std::unique_ptr<Command> make_indexes_command() { return std::make_unique<IndexesCommand>(); }

}  // namespace sqlmeasure
