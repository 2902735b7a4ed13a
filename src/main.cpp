// Thin entry point: signals, terminals, then run_cli.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>

#include "sqlmeasure/cli.h"

namespace {
std::atomic<bool> g_interrupted{false};

extern "C" void on_signal(int) { g_interrupted.store(true); }
}  // namespace

int main(int argc, char** argv) {
  // No SA_RESTART: a blocking read returns, the runner sees the flag and every change
  // made to the server is undone before we exit.
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
  std::ios::sync_with_stdio(false);
  sqlmeasure::Invocation invocation{std::vector<std::string>(argv + 1, argv + argc), std::cout,
                                    std::cerr};
  sqlmeasure::hide_secrets_in_argv(argc, argv);
  invocation.out_is_tty = isatty(STDOUT_FILENO) != 0;
  invocation.err_is_tty = isatty(STDERR_FILENO) != 0;
  invocation.interrupted = &g_interrupted;
  int code = sqlmeasure::run_cli(invocation);
  std::cout.flush();
  return code;
}
