// Parses the command line into one validated set of flags, dispatches to a command, and
// turns every failure into a message and an exit code. The only place that catches.
#include "sqlmeasure/cli.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

#include "command.h"
#include "completion.h"
#include "help_format.h"
#include "secrets.h"
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
    {"stats", "Export production's optimizer statistics; import them into the CI copy",
     make_stats_command},
    {"history", "Each screen over the runs kept by run --history; two kept runs compared",
     make_history_command},
    {"baseline", "Accept every query's plan (plan-baseline.json); check a run against it",
     make_baseline_command},
    {"recover", "Put back what a killed live compare left on a server, from its journal",
     make_recover_command},
};

void add_global_flags(CLI::App& app, GlobalFlags& global) {
  app.add_option("--config", global.config,
                 "Project config file (default: ./sqlmeasure.toml if present)");
  app.add_flag("-q,--quiet", global.quiet, "No progress on stderr");
  app.add_flag("-v,--verbose", global.verbose, "Say what is being done (never shows secrets)");
  app.add_option("--color", global.color,
                 "Colour the output: auto (on a terminal, unless NO_COLOR is set), always, never")
      ->type_name("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->default_str("auto");
  app.add_flag("--no-color", global.no_color, "The same as --color never");
}

// Where this binary's docs are: PREFIX/share/doc/sqlmeasure beside PREFIX/bin/sqlmeasure,
// whatever --prefix `cmake --install` was given, else where the build was configured to put
// them (a binary run from its build tree).
std::string docs_location() {
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    const std::filesystem::path beside =
        exe.parent_path().parent_path() / "share" / "doc" / "sqlmeasure";
    if (std::filesystem::is_directory(beside / "docs", error)) return beside.string();
  }
  return kInstalledDocDir;
}

std::string version_line() { return fmt::format("sqlmeasure {} ({})", kVersion, git_commit()); }

// `help` and the hidden `__completion` are no Command: they print what the app defines.
constexpr const char* kHelpCommand = "help";
constexpr const char* kCompletionCommand = "__completion";

// The commands (one line each) and global flags: app.help() would print the help of the
// subcommand parsed (`help`) instead.
std::string overview(const CLI::App& app) {
  return app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal);
}

// `sqlmeasure help [COMMAND]`, as in git and cargo: the overview, or COMMAND's --help.
int print_help(const CLI::App& app, const std::string& topic, const std::vector<std::string>& names,
               std::ostream& out) {
  if (topic.empty()) {
    out << overview(app);
    return 0;
  }
  if (std::find(names.begin(), names.end(), topic) == names.end()) {
    fail(ExitCode::kUsage, fmt::format("unknown command '{}'{}; see sqlmeasure help", topic,
                                       did_you_mean_hint(topic, names)));
  }
  out << app.get_subcommand(topic)->help(app.get_name());
  return 0;
}

// The help to point to: the command's when one was given.
std::string help_command(const CLI::App& app) {
  const std::vector<const CLI::App*> parsed = app.get_subcommands({});
  for (const CLI::App* sub : parsed) {
    if (sub->parsed()) return "sqlmeasure " + sub->get_name() + " --help";
  }
  return "sqlmeasure --help";
}

// "unknown flag --iteration for run (did you mean --iterations?)": the flags of the command
// given and the global ones are the candidates.
std::optional<std::string> unknown_flag(const CLI::App& app, const std::vector<std::string>& args) {
  std::string flag;
  for (const std::string& arg : app.remaining(true)) {
    if (arg.size() > 1 && arg[0] == '-') {
      flag = arg.substr(0, arg.find('='));
      break;
    }
  }
  if (flag.empty()) return std::nullopt;
  // `-p -secret`: what follows a bare -p may be a password meant for it; it is not repeated.
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if ((args[i] == "-p" || args[i] == "--password") && args[i + 1].starts_with(flag)) {
      return fmt::format(
          "unknown flag after {} (not shown: it may be a password; give one as "
          "-pPASSWORD, or -p alone to be asked for it)",
          args[i]);
    }
  }
  std::vector<std::string> candidates;
  std::string command;
  const auto add_flags = [&candidates](const CLI::App& of) {
    for (const CLI::Option* option : of.get_options()) {
      for (const std::string& name : option->get_lnames()) candidates.push_back("--" + name);
      for (const std::string& name : option->get_snames()) candidates.push_back("-" + name);
    }
  };
  add_flags(app);
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (!sub->parsed()) continue;
    command = sub->get_name();
    add_flags(*sub);
  }
  const std::string best = did_you_mean(flag, candidates);
  return fmt::format("unknown flag {}{}{}", flag, command.empty() ? "" : " for " + command,
                     best.empty() ? "" : " (did you mean " + best + "?)");
}

}  // namespace

int run_cli(const Invocation& invocation) {
  GlobalFlags global;
  const Context context(invocation, global);
  try {
    CLI::App app{fmt::format("sqlmeasure: which screens of your application get slower after an "
                             "index change.\nDocs: {0}/docs/ (from a source tree: docs/); "
                             "exit codes: exit-codes.md there",
                             docs_location()),
                 "sqlmeasure"};
    // -h is --host, as in the mysql client; help is --help only.
    app.formatter(std::make_shared<HelpFormatter>());  // before the commands, which copy it
    app.set_help_flag("--help", "Print this help and exit");
    app.set_version_flag("--version", version_line());
    app.require_subcommand(1);
    app.fallthrough();
    app.get_formatter()->label("SUBCOMMAND", "COMMAND");
    add_global_flags(app, global);
    std::vector<std::string> names;
    std::vector<std::unique_ptr<Command>> commands;
    std::vector<CLI::App*> subcommands;
    for (const CommandInfo& info : kCommands) {
      names.emplace_back(info.name);
      commands.push_back(info.make());
      CLI::App* sub = app.add_subcommand(info.name, info.description)->group("Commands");
      commands.back()->add_flags(*sub);
      subcommands.push_back(sub);
    }
    names.emplace_back(kHelpCommand);
    std::string help_topic;
    app.add_subcommand(kHelpCommand, "Print the commands, or a command's help: help COMMAND")
        ->group("Commands")
        ->add_option("command", help_topic, "The command whose help to print (as COMMAND --help)");
    // Hidden (no group): the build writes the bash completion with it (packaging/).
    std::string shell;
    CLI::App* completion = app.add_subcommand(kCompletionCommand, "")->group("");
    completion->add_option("shell", shell, "bash")->required()->check(CLI::IsMember({"bash"}));
    // Set after the commands are added, which would inherit it.
    app.footer("A command's flags: sqlmeasure help COMMAND (or sqlmeasure COMMAND --help).");
    // An unknown command gets "did you mean", like ninja and git.
    if (!invocation.args.empty() && !invocation.args[0].empty() && invocation.args[0][0] != '-') {
      const std::string& first = invocation.args[0];
      if (std::find(names.begin(), names.end(), first) == names.end() &&
          first != kCompletionCommand) {
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
      invocation.out << version_line() << '\n';
      return 0;
    } catch (const CLI::ParseError& error) {
      if (error.get_exit_code() == 0) {  // --help on a subcommand
        const std::vector<CLI::App*> parsed = app.get_subcommands();
        invocation.out << (parsed.empty() ? app.help() : parsed.front()->help());
        return 0;
      }
      // No command (only global flags, or nothing): the overview, on stderr, as git does.
      if (dynamic_cast<const CLI::RequiredError*>(&error) && app.get_subcommands().empty()) {
        invocation.err << overview(app);
        return static_cast<int>(ExitCode::kUsage);
      }
      const std::optional<std::string> unknown = dynamic_cast<const CLI::ExtrasError*>(&error)
                                                     ? unknown_flag(app, invocation.args)
                                                     : std::nullopt;
      fail(ExitCode::kUsage,
           fmt::format("{}; see {}", unknown ? *unknown : error.what(), help_command(app)));
    }
    if (app.got_subcommand(kHelpCommand)) {
      return print_help(app, help_topic, names, invocation.out);
    }
    if (completion->parsed()) {
      invocation.out << bash_completion(app);
      return 0;
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
