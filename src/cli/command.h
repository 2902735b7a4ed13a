#pragma once
// A subcommand: its flags, and what it does with them. One file per command.
#include <CLI/CLI.hpp>
#include <memory>

#include "context.h"
#include "options.h"

namespace sqlmeasure {

class Command {
 public:
  virtual ~Command() = default;
  virtual void add_flags(CLI::App& app) = 0;
  // Returns the exit code; throws Error for failures.
  [[nodiscard]] virtual int execute(const Context& context) = 0;
};

// A command that measures or inspects screens on a server (run, explain, indexes): the
// connection and scenario flags it shares with the others.
class ScreenCommand : public Command {
 protected:
  void add_screen_flags(CLI::App& app) {
    connection_.add_to(app);
    scenarios_.add_to(app);
  }
  ConnectionFlags connection_;
  ScenarioFlags scenarios_;
};

// The formats of a command whose output is tables.
inline const std::vector<Format> kTableFormats = {Format::kTable, Format::kJson, Format::kMarkdown,
                                                  Format::kCsv};

struct CommandInfo {
  const char* name;
  const char* description;
  std::unique_ptr<Command> (*make)();
};

// The first steps of every command that works on a server's screens, after connecting: no
// unfinished live compare's journal names this server and `database` (else exit 2 with the
// recover command), and the screens read as the session's sql_mode reads them (else 65).
void check_session(Connection& connection, const std::string& database,
                   const std::vector<Screen>& screens, bool allow_writes);

// Exit 2 when any query of `run` failed, naming how many; `hint` says where to look. `run`
// and `explain` alike: a run whose queries failed is not a success.
void fail_on_query_errors(const RunResult& run, const std::string& hint);

std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_compare_command();
std::unique_ptr<Command> make_explain_command();
std::unique_ptr<Command> make_indexes_command();
std::unique_ptr<Command> make_check_command();
std::unique_ptr<Command> make_capture_command();
std::unique_ptr<Command> make_list_command();
std::unique_ptr<Command> make_recover_command();
std::unique_ptr<Command> make_stats_command();
std::unique_ptr<Command> make_history_command();
std::unique_ptr<Command> make_baseline_command();

}  // namespace sqlmeasure
