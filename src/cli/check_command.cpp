// sqlmeasure check: validate scenario files and config offline, without a database; with
// --migration, also the index hints the migration would break (the one-second CI gate).
#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <chrono>

#include "command.h"
#include "sqlmeasure/hint_check.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/schema_change.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

class CheckCommand final : public Command {
 public:
  void add_flags(CLI::App& app) override {
    scenarios_.add_to(app);
    app.add_option("--migration", migration_,
                   "UP.sql: also read it, and fail (exit 1) if it breaks a screen's index hint")
        ->group("Migration");
    app.add_option("--rollback", rollback_, "DOWN.sql: read and classified too")
        ->group("Migration");
  }

  int execute(const Context& context) override {
    if (rollback_ && !migration_) fail(ExitCode::kUsage, "--rollback goes with --migration");
    const ProjectConfig& config = context.config();
    // Read first: a bad migration is a bad input whatever the screens say.
    std::optional<SchemaChange> migration;
    if (migration_) migration = migration_change(*migration_, rollback_, /*keep=*/true);
    const std::vector<Screen> screens = scenarios_.load(config);
    std::size_t queries = 0;
    for (const Screen& screen : screens) {
      for (const Query& query : screen.queries) {
        // Literal parameters render now; `from` values are drawn at run time.
        bool drawn_later = false;
        for (const auto& [name, spec] : query.params) drawn_later |= spec.values.empty();
        if (!drawn_later) (void)render_sql(query, 0, quote_offline);
        ++queries;
      }
    }
    context.out() << fmt::format("ok: {} screen{}, {} quer{} in {}{}\n", screens.size(),
                                 screens.size() == 1 ? "" : "s", queries,
                                 queries == 1 ? "y" : "ies", scenarios_.directory(config),
                                 config.path.empty() ? "" : "; config " + config.path);
    // Offline, the server's sql_mode is unknown: say what was assumed. The commands that
    // connect check again under the session's own.
    context.out() << fmt::format(
        "SQL read with {}; run, explain, compare and indexes read it "
        "again with the server's sql_mode\n",
        SqlModes{}.describe());
    check_policy(context, screens, config.policy);
    return migration ? check_migration(context, screens, *migration) : 0;
  }

 private:
  // Budgets and accepted regressions that can never apply: a glob that matches no screen, an
  // entry naming a screen or query that does not exist, an entry past its date.
  static void check_policy(const Context& context, const std::vector<Screen>& screens,
                           const GatePolicy& policy) {
    const auto screen_named = [&](const std::string& name) -> const Screen* {
      for (const Screen& screen : screens) {
        if (screen.name == name) return &screen;
      }
      return nullptr;
    };
    for (const BudgetRule& rule : policy.budgets) {
      for (const std::string& glob : rule.screens) {
        const bool matches = std::any_of(screens.begin(), screens.end(), [&](const Screen& s) {
          return fnmatch(glob.c_str(), s.name.c_str(), 0) == 0;
        });
        if (!matches) {
          context.warn(fmt::format("{}: [[budget]] screens '{}' matches no screen",
                                   rule.budget.source, printable(glob)));
        }
      }
    }
    const std::chrono::year_month_day today = utc_today();
    for (const Acceptance& entry : policy.accepted) {
      const Screen* screen = screen_named(entry.screen);
      if (screen == nullptr) {
        context.warn(fmt::format("{}: [[accept]] names screen '{}', which is not among the screens",
                                 entry.source, entry.screen));
      } else if (entry.query &&
                 std::none_of(screen->queries.begin(), screen->queries.end(),
                              [&](const Query& q) { return q.name == *entry.query; })) {
        context.warn(fmt::format("{}: [[accept]] names query '{}', which screen '{}' does not have",
                                 entry.source, *entry.query, entry.screen));
      }
      if (entry.expires < today) {
        context.warn(fmt::format("{}: [[accept]] for {} expired on {}: it accepts nothing now",
                                 entry.source, entry.screen, date_text(entry.expires)));
      }
    }
  }

  // The hints the migration breaks (exit 1) or leaves unresolved, named with the error the
  // application will get.
  int check_migration(const Context& context, const std::vector<Screen>& screens,
                      const SchemaChange& migration) const {
    const std::vector<HintProblem> problems = check_hints_offline(screens, migration);
    std::size_t breaks = 0;
    for (const HintProblem& problem : problems)
      breaks += problem.kind == HintProblem::Kind::kBreaks;
    std::ostream& out = context.out();
    if (problems.empty()) {
      out << fmt::format(
          "migration {}: no index hint of the screens names an index it drops, renames or "
          "hides\n",
          *migration_);
      return 0;
    }
    out << fmt::format("migration {}: {} index hint{} it breaks{}\n", *migration_, breaks,
                       breaks == 1 ? "" : "s",
                       problems.size() > breaks
                           ? fmt::format(", {} it leaves unresolved", problems.size() - breaks)
                           : "");
    for (const HintProblem& problem : problems) {
      out << "  " << hint_problem_name(problem.kind) << ": "
          << without_control_bytes(problem.describe()) << '\n';
    }
    return breaks > 0 ? 1 : 0;
  }

  ScenarioFlags scenarios_;
  std::optional<std::string> migration_, rollback_;
};

}  // namespace

std::unique_ptr<Command> make_check_command() { return std::make_unique<CheckCommand>(); }

}  // namespace sqlmeasure
