#pragma once
// A subcommand: its flags, and what it does with them. One file per command.
#include <CLI/CLI.hpp>

#include <memory>

#include "cli/context.h"
#include "cli/options.h"

namespace sqlmeasure {

class Command {
 public:
  virtual ~Command() = default;
  virtual void add_flags(CLI::App& app) = 0;
  // Returns the exit code; throws Error for failures.
  [[nodiscard]] virtual int execute(const Context& context) = 0;
};

struct CommandInfo {
  const char* name;
  const char* description;
  std::unique_ptr<Command> (*make)(const GlobalFlags& global);
};

std::unique_ptr<Command> make_run_command(const GlobalFlags& global);
std::unique_ptr<Command> make_compare_command(const GlobalFlags& global);
std::unique_ptr<Command> make_explain_command(const GlobalFlags& global);
std::unique_ptr<Command> make_indexes_command(const GlobalFlags& global);
std::unique_ptr<Command> make_check_command(const GlobalFlags& global);
std::unique_ptr<Command> make_list_command(const GlobalFlags& global);

}  // namespace sqlmeasure
