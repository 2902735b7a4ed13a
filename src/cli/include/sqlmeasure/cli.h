#pragma once
// The whole tool as a function taking writers, so CLI golden tests run in-process.
#include <atomic>
#include <ostream>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"

namespace sqlmeasure {

struct Invocation {
  std::vector<std::string> args;  // without the program name
  std::ostream& out;              // data
  std::ostream& err;              // diagnostics and progress
  bool out_is_tty = false;
  bool err_is_tty = false;
  const std::atomic<bool>* interrupted = nullptr;  // set by SIGINT/SIGTERM/SIGHUP/SIGQUIT
  // Set once a command takes `interrupted` to watch (it will stop, undo and save). Until then
  // nothing needs undoing, and a signal ends the process at once (main.cpp).
  std::atomic<bool>* interrupt_watched = nullptr;
  Connector connect = sqlmeasure::connect;  // a fake or recorded connection in tests
};

// Returns the process exit code (docs/exit-codes.md). Never throws.
[[nodiscard]] int run_cli(const Invocation& invocation);

// Overwrites, in place, every password the command line carries (-p, --password, a DSN's),
// as the mysql client does, so that `ps` and /proc/PID/cmdline no longer show it. Call it
// after copying the arguments.
void hide_secrets_in_argv(int argc, char** argv);

}  // namespace sqlmeasure
