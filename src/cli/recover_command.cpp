// sqlmeasure recover: put back what a killed live compare left on a server, from its journal.
#include <fmt/format.h>

#include "command.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/journal.h"
#include "sqlmeasure/recover.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

class RecoverCommand final : public Command {
 public:
  void add_flags(CLI::App& app) override {
    app.add_option("--journal", journal_,
                   "The journal a live compare printed (default: the one open journal of this "
                   "machine)");
    app.add_flag("--forget", forget_,
                 "Close the journal without changing anything (once you have put the schema "
                 "back by hand); says what still differs");
    connection_.add_to(app);
  }

  int execute(const Context& context) override {
    const std::string path = journal_ ? *journal_ : only_open_journal(context);
    if (path.empty()) return 0;
    const RecoverOutcome outcome = recover_change(
        path, connection_.resolve(context.config(), context), verbose_connector(context),
        [&context](const std::string& event) {
          context.err() << "sqlmeasure: " << event << '\n';
          context.err().flush();
        },
        forget_);
    if (outcome.failure) fail(ExitCode::kRuntime, *outcome.failure);
    context.out() << fmt::format("{}: {}\n", forget_ ? "journal closed" : "recovered",
                                 forget_ && outcome.server != ServerState::kRestored
                                     ? "the schema was left as it is"
                                     : describe(outcome.server));
    return 0;
  }

 private:
  static std::string only_open_journal(const Context& context) {
    const std::vector<OpenJournal> open = open_journals_for("");
    if (open.empty()) {
      context.out() << fmt::format("nothing to recover: no open journal in {}\n",
                                   journal_directory());
      return "";
    }
    if (open.size() > 1) {
      std::vector<std::string> paths;
      for (const OpenJournal& journal : open) {
        paths.push_back(journal.journal ? journal.path : journal.path + " (damaged)");
      }
      fail(ExitCode::kUsage, fmt::format("{} open journals; name one with --journal:\n  {}",
                                         open.size(), join(paths, "\n  ")));
    }
    return open.front().path;
  }

  ConnectionFlags connection_;
  std::optional<std::string> journal_;
  bool forget_ = false;
};

}  // namespace

std::unique_ptr<Command> make_recover_command() { return std::make_unique<RecoverCommand>(); }

}  // namespace sqlmeasure
