// sqlmeasure check: validate scenario files and config offline, without a database; with
// --migration, also the index hints the migration would break (the one-second CI gate).
#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <chrono>

#include "command.h"
#include "sqlmeasure/hint_check.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/scenario_loader.h"
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
    app.add_option("--sql-mode", sql_mode_,
                   "Read the SQL as a session with this sql_mode would (quoting: "
                   "ANSI_QUOTES, NO_BACKSLASH_ESCAPES); without it, the quoting of a server's "
                   "default sql_mode")
        ->type_name("MODES");
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
    // Offline, the server's sql_mode is unknown: what was assumed is said when it matters —
    // asked for with --sql-mode, or a query whose reading depends on it. The commands that
    // connect check again under the session's own.
    if (sql_mode_) {
      check_screens_for_session(screens, *sql_mode_, scenarios_.allow_writes);
      context.out() << fmt::format("SQL read with {} (--sql-mode {})\n",
                                   SqlModes::from_sql_mode(*sql_mode_).describe(), *sql_mode_);
    } else if (const std::optional<std::string> query = quoting_dependent(screens)) {
      context.out() << fmt::format(
          "SQL read with {}: {} holds a \"...\" string or a backslash in a string, read "
          "otherwise under ANSI_QUOTES or NO_BACKSLASH_ESCAPES; run, explain, compare and "
          "indexes read it again with the server's sql_mode (--sql-mode reads it so here)\n",
          SqlModes{}.describe(), *query);
    }
    check_policy(context, screens, config.policy);
    return migration ? check_migration(context, screens, *migration) : 0;
  }

 private:
  // The first query whose reading the quoting modes change: a "..." string (an identifier
  // under ANSI_QUOTES) or a backslash in a string (literal under NO_BACKSLASH_ESCAPES).
  static std::optional<std::string> quoting_dependent(const std::vector<Screen>& screens) {
    for (const Screen& screen : screens) {
      for (const Query& query : screen.queries) {
        for (const SqlToken& token : tokenize_sql(query.sql)) {
          if (token.kind != SqlToken::Kind::kString) continue;
          const std::string_view text = token.text;
          if (text.starts_with('"') || text.find('\\') != std::string_view::npos) {
            return fmt::format("screen {}, query {},", screen.name, query.name);
          }
        }
      }
    }
    return std::nullopt;
  }

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
  std::optional<std::string> migration_, rollback_, sql_mode_;
};

}  // namespace

std::unique_ptr<Command> make_check_command() { return std::make_unique<CheckCommand>(); }

}  // namespace sqlmeasure
