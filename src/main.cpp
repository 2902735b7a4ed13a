// Thin entry point: signals, terminals, then run_cli.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>

#include "sqlmeasure/cli.h"

namespace {
std::atomic<bool> g_interrupted{false};
std::atomic<bool> g_watched{false};

// While a command's work watches the flag (it undoes what it changed and saves what it
// measured), a signal only raises it. Before that — loading files, an offline compare,
// check, list — there is nothing to undo: the signal ends the process at once.
extern "C" void on_signal(int signal_number) {
  if (!g_watched.load()) {
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
    return;
  }
  g_interrupted.store(true);
}
}  // namespace

int main(int argc, char** argv) {
  // No SA_RESTART: a blocking read returns, the runner sees the flag and every change
  // made to the server is undone before we exit. A closed terminal (SIGHUP) and Ctrl+backslash
  // (SIGQUIT) are interrupts too: they must not leave a change applied.
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
    sigaction(signal_number, &action, nullptr);
  }
  signal(SIGPIPE, SIG_IGN);
  std::ios::sync_with_stdio(false);
  sqlmeasure::Invocation invocation{std::vector<std::string>(argv + 1, argv + argc), std::cout,
                                    std::cerr};
  sqlmeasure::hide_secrets_in_argv(argc, argv);
  invocation.out_is_tty = isatty(STDOUT_FILENO) != 0;
  invocation.err_is_tty = isatty(STDERR_FILENO) != 0;
  invocation.interrupted = &g_interrupted;
  invocation.interrupt_watched = &g_watched;
  int code = sqlmeasure::run_cli(invocation);
  std::cout.flush();
  return code;
}
