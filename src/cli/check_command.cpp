// sqlmeasure check: validate scenario files and config offline, without a database.
#include <fmt/format.h>

#include "cli/command.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/sql_lexer.h"

namespace sqlmeasure {
namespace {

class CheckCommand final : public Command {
 public:
  void add_flags(CLI::App& app) override { scenarios_.add_to(app); }

  int execute(const Context& context) override {
    const ProjectConfig& config = context.config();
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
    return 0;
  }

 private:
  ScenarioFlags scenarios_;
};

}  // namespace

std::unique_ptr<Command> make_check_command() { return std::make_unique<CheckCommand>(); }

}  // namespace sqlmeasure
