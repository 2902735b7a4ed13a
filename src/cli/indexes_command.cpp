// sqlmeasure indexes: the cardinality report and the index findings, each with its evidence
// and the SQL to act on it (docs/indexes.md). Read-only. With --scenarios, the screens'
// queries are EXPLAINed and their index hints timed with and without; without, the rules
// that need them are skipped and the report says so. --verify is the one exception: every
// index a finding proposes to drop is measured ignored, as a live compare does it (live/).
#include <fmt/format.h>

#include <filesystem>

#include "command.h"
#include "sqlmeasure/drop_verification.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/index_audit.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

class IndexesCommand final : public ScreenCommand {
 public:
  void add_flags(CLI::App& app) override {
    add_screen_flags(app);
    app.get_option("--scenarios")
        ->description(
            "Scenario directory, for the rules that read plans (default: ./scenarios when it "
            "holds screen files; without any, the metadata rules only)");
    app.add_option("--tables", tables_,
                   "Tables to report: names or globs, comma-separated "
                   "(default: every table of -D)");
    app.add_flag("--exact", exact_,
                 "Count the distinct values of every indexed column (sampled above 1M rows) "
                 "instead of trusting SHOW INDEX");
    app.add_option("--fail-on", fail_on_,
                   "Exit 1 when a finding at or above this severity exists: info, warning, error "
                   "(default: never)");
    app.add_option("--seed", seed_, "Seed for parameters drawn with `from`")
        ->default_str(std::to_string(RunSettings{}.seed));
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
    const bool with_scenarios = scenarios_.scenarios || scenarios_.screens || config.scenarios ||
                                holds_screens("scenarios");
    refuse_verify_flags_without_verify(with_scenarios);
    const std::string out_dir = verify_ ? change_.out_directory() : "";
    const EmptyDirectoryGuard unused_out_dir(verify_ ? change_.claimed(out_dir) : "");
    std::vector<Screen> screens;
    if (with_scenarios) screens = scenarios_.load(config);
    const std::vector<Screen> unresolved = screens;  // --verify draws its own parameters

    ConnectionOptions options = connection_.resolve(context.config(), context);
    const ConnectionOptions resolved = options;  // --verify's sessions: resolved once
    options.read_only = true;
    // Connected without the database: audit_indexes names a wrong -D with a "did you mean".
    const std::string database = options.database.value_or("");
    options.database.reset();
    auto connection = verbose_connector(context)(options);
    check_session(*connection, database, screens, /*allow_writes=*/false);

    IndexAuditOptions audit;
    if (tables_) audit.collect.tables = split_list(*tables_);
    audit.collect.exact = exact_;
    audit.collect.on_progress = progress_printer(context, "indexes");
    audit.collect.interrupted = context.interrupted();
    audit.evidence.on_progress = audit.collect.on_progress;
    audit.evidence.interrupted = audit.collect.interrupted;
    audit.seed = seed_.value_or(config.seed.value_or(RunSettings{}.seed));
    if (with_scenarios) audit.scenarios_directory = scenarios_.directory(config);
    IndexReport report = audit_indexes(*connection, database, std::move(screens), audit);
    std::optional<std::string> verify_failure;
    if (verify_) {
      verify_failure = verify(report.result, report.schema, unresolved, resolved, out_dir, context);
    }
    report_.emit(format, context, [&](Format chosen, std::ostream& out) {
      render_index_report(report, chosen, context.style(), out);
    });
    if (verify_failure) fail(ExitCode::kRuntime, "--verify: " + *verify_failure);

    if (fail_on) {
      for (const Finding& finding : report.result.findings) {
        if (finding.severity >= *fail_on) return static_cast<int>(ExitCode::kFindings);
      }
    }
    return 0;
  }

 private:
  // As --help says: ./scenarios is read when it holds screen files (scenarios are optional
  // here, so a ./scenarios of subdirectories, as in this repository, is not an error).
  static bool holds_screens(const std::string& directory) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
      const std::string extension = entry.path().extension().string();
      if (entry.is_regular_file(error) && (extension == ".toml" || extension == ".sql")) {
        return true;
      }
    }
    return false;
  }

  static constexpr double kDefaultVerifyBudgetS = 600;  // --verify-budget not given
  static constexpr const char* kVerifyGroup = "Measuring the drops (--verify)";

  void add_verify_flags(CLI::App& app) {
    app.add_flag("--verify", verify_,
                 "Measure every screen with each index a finding drops IGNORED/INVISIBLE, then "
                 "restore it (changes the server as compare --ignore-index does)")
        ->group(kVerifyGroup);
    app.add_option("--verify-budget", verify_budget_s_,
                   "Seconds --verify may spend; findings left over say so")
        ->group(kVerifyGroup)
        ->default_str(fmt::format("{:g}", kDefaultVerifyBudgetS))
        ->check(CLI::Range(1.0, 31536000.0));
    change_.add_alternations(app);
    change_.add_replication(app);
    change_.add_out_dir(app);
  }

  void refuse_verify_flags_without_verify(bool with_scenarios) const {
    if (!verify_ && (verify_budget_s_ || change_.alternations || change_.allow_replicated_ddl ||
                     change_.no_binlog || change_.out_dir)) {
      fail(ExitCode::kUsage,
           "--verify-budget, --alternations, --allow-replicated-ddl, --no-binlog and --out-dir "
           "go with --verify");
    }
    if (verify_ && !with_scenarios) {
      fail(ExitCode::kUsage,
           "--verify measures the screens with each index ignored: give --scenarios DIR (or "
           "scenarios in sqlmeasure.toml's [run], or a ./scenarios directory)");
    }
  }

  // Measures the indexes the findings drop and attaches each verdict to its findings. The
  // failure of a batch that did not finish, with the server's state; empty when none.
  std::optional<std::string> verify(AdvisorResult& result, const SchemaInfo& schema,
                                    const std::vector<Screen>& screens,
                                    const ConnectionOptions& connection, const std::string& out_dir,
                                    const Context& context) const {
    const std::vector<IndexToDrop> drops = drops_proposed(result, schema);
    if (drops.empty()) {
      context.err() << "sqlmeasure: --verify: no finding drops an index; nothing to measure\n";
      return std::nullopt;
    }
    VerifyOptions options;
    RunFlags run;
    run.iterations_auto = true;
    run.seed = seed_;
    options.compare.run = run.options(context, scenarios_, "indexes --verify");
    change_.apply_to(options.compare, context);
    options.compare.out_dir = out_dir;
    options.compare.connection = measuring_session(connection, options.compare.run);
    options.budget_s = verify_budget_s_.value_or(kDefaultVerifyBudgetS);
    const VerifyOutcome outcome = verify_drops(screens, drops, options, verbose_connector(context));
    attach_verdicts(result, outcome);
    return outcome.failure;
  }

  OutputFlags output_{{Format::kTable, Format::kJson, Format::kMarkdown, Format::kHtml}};
  ReportFlag report_;
  bool verify_ = false;
  std::optional<double> verify_budget_s_;
  LiveChangeFlags change_{
      kVerifyGroup,
      {"Ignore and restore each batch K times, measuring between", "Ignore indexes",
       "Where --verify's results files go", "indexes-verify"}};
  std::optional<std::string> tables_;
  bool exact_ = false;
  std::optional<std::string> fail_on_;
  std::optional<std::uint64_t> seed_;
};

}  // namespace

std::unique_ptr<Command> make_indexes_command() { return std::make_unique<IndexesCommand>(); }

}  // namespace sqlmeasure
