// sqlmeasure recover: put back what a killed live compare left on a server, from its journal.
#include <fmt/format.h>

#include "command.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/journal.h"
#include "sqlmeasure/recover.h"
#include "sqlmeasure/statistics_import.h"
#include "sqlmeasure/statistics_record.h"
#include "sqlmeasure/statistics_report.h"
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
    if (journal_ && journal_->ends_with(".statistics.json"))
      return undo_statistics(context, *journal_);
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
  // A statistics import a killed `run --stats` (or a CI job) left: the copy's own put back,
  // as `stats import --undo` does.
  int undo_statistics(const Context& context, const std::string& path) const {
    const std::optional<StatisticsRecord> record = read_statistics_record(path);
    if (!record || !record->open) {
      context.out() << fmt::format("nothing to recover: {} is {}\n", path,
                                   record ? "closed" : "not there");
      return 0;
    }
    ConnectionOptions options = connection_.resolve(context.config(), context);
    if (!options.database) options.database = record->database;
    options.read_only = false;
    auto admin = verbose_connector(context)(options);
    StatisticsImportOptions importing;
    importing.on_event = [&context](const std::string& event) { context.note(event); };
    const auto undone = undo_statistics_import(*admin, importing);
    if (!undone) {
      fail(ExitCode::kUsage,
           fmt::format("{} is the record of database {} on {} ({}): connect to that server and "
                       "database (-D) to put its statistics back",
                       path, record->database, record->endpoint, record->server.key()));
    }
    render_statistics_undo(*undone, Format::kTable, context.out());
    if (!undone->differences.empty()) fail(ExitCode::kRuntime, "see above");
    return 0;
  }

  std::string only_open_journal(const Context& context) const {
    const std::vector<OpenJournal> open = open_journals_for("");
    if (open.empty()) {
      const auto statistics = open_statistics_records();
      if (statistics.size() == 1) {
        (void)undo_statistics(context, statistics.front().first);
        return "";
      }
      if (statistics.size() > 1) {
        std::vector<std::string> paths;
        for (const auto& [path, record] : statistics) paths.push_back(path);
        fail(ExitCode::kUsage, fmt::format("{} open statistics import records; name one with "
                                           "--journal:\n  {}",
                                           statistics.size(), join(paths, "\n  ")));
      }
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
};  // namespace

}  // namespace

std::unique_ptr<Command> make_recover_command() { return std::make_unique<RecoverCommand>(); }

}  // namespace sqlmeasure
