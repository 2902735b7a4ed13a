// Parses the command line into one validated set of flags, dispatches to a command, and
// turns every failure into a message and an exit code. The only place that catches.
#include "sqlmeasure/cli.h"

#include <fmt/format.h>

#include <cstdlib>

#include "cli/command.h"
#include "cli/secrets.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/version.h"

namespace sqlmeasure {
namespace {

const CommandInfo kCommands[] = {
    {"run", "Measure screens; print a per-screen table and write a results file", make_run_command},
    {"compare", "Compare two results files, or measure before/after a migration",
     make_compare_command},
    {"explain", "Print the plan of every query of the selected screens", make_explain_command},
    {"indexes", "Cardinality report and index findings, with the SQL to fix each",
     make_indexes_command},
    {"check", "Validate scenario files and config offline (no database)", make_check_command},
    {"capture", "Build a scenario directory from the server's general or slow logs",
     make_capture_command},
    {"list", "List screens and their queries", make_list_command},
    {"recover", "Put back what a killed live compare left on a server, from its journal",
     make_recover_command},
};

void add_global_flags(CLI::App& app, GlobalFlags& global) {
  app.add_option("--config", global.config,
                 "Project config file (default: ./sqlmeasure.toml if present)");
  app.add_flag("-q,--quiet", global.quiet, "No progress on stderr");
  app.add_flag("-v,--verbose", global.verbose, "Say what is being done (never shows secrets)");
  app.add_flag("--no-color", global.no_color, "No colour (NO_COLOR is honoured too)");
}

}  // namespace

int run_cli(const Invocation& invocation) {
  GlobalFlags global;
  const Context context(invocation, global);
  try {
    CLI::App app{
        "sqlmeasure: which screens of your application get slower after an index "
        "change.\nDocs: docs/ (exit codes: docs/exit-codes.md)",
        "sqlmeasure"};
    // -h is --host, as in the mysql client; help is --help only.
    app.set_help_flag("--help", "Print this help and exit");
    app.set_version_flag("--version", std::string("sqlmeasure ") + kVersion);
    app.require_subcommand(1);
    app.fallthrough();
    add_global_flags(app, global);
    std::vector<std::string> names;
    std::vector<std::unique_ptr<Command>> commands;
    std::vector<CLI::App*> subcommands;
    for (const CommandInfo& info : kCommands) {
      names.emplace_back(info.name);
      commands.push_back(info.make());
      CLI::App* sub = app.add_subcommand(info.name, info.description);
      commands.back()->add_flags(*sub);
      subcommands.push_back(sub);
    }
    // An unknown command gets "did you mean", like ninja and git.
    if (!invocation.args.empty() && !invocation.args[0].empty() && invocation.args[0][0] != '-') {
      const std::string& first = invocation.args[0];
      if (std::find(names.begin(), names.end(), first) == names.end()) {
        fail(ExitCode::kUsage, fmt::format("unknown command '{}'{}; see sqlmeasure --help", first,
                                           did_you_mean_hint(first, names)));
      }
    }
    std::vector<std::string> reversed(invocation.args.rbegin(), invocation.args.rend());
    try {
      app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
      invocation.out << app.help();
      return 0;
    } catch (const CLI::CallForVersion&) {
      invocation.out << "sqlmeasure " << kVersion << '\n';
      return 0;
    } catch (const CLI::ParseError& error) {
      if (error.get_exit_code() == 0) {  // --help on a subcommand
        for (CLI::App* sub : subcommands) {
          if (sub->parsed()) {
            invocation.out << sub->help();
            return 0;
          }
        }
        invocation.out << app.help();
        return 0;
      }
      std::string message = error.what();
      if (dynamic_cast<const CLI::RequiredError*>(&error) && invocation.args.empty()) {
        message =
            "a command is required: run, compare, explain, indexes, check, capture, list or "
            "recover";
      }
      fail(ExitCode::kUsage, message + "; see sqlmeasure --help");
    }
    for (size_t i = 0; i < subcommands.size(); ++i) {
      if (subcommands[i]->parsed()) return commands[i]->execute(context);
    }
    fail(ExitCode::kUsage, "a command is required; see sqlmeasure --help");
  } catch (const Error& error) {
    invocation.err << "sqlmeasure: error: " << redact(error.what(), secrets_in(invocation.args))
                   << '\n';
    return static_cast<int>(error.code());
  } catch (const std::exception& error) {
    invocation.err << "sqlmeasure: internal error: "
                   << redact(error.what(), secrets_in(invocation.args)) << '\n';
    return static_cast<int>(ExitCode::kRuntime);
  }
}

}  // namespace sqlmeasure
