// password_command: a command that prints the password, run for each connection: an RDS IAM
// token opens connections for 15 minutes only, and a reconnect (--retries) or the second
// connection of a long live compare may come later than that.
#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sqlmeasure/config.h"
#include "sqlmeasure/error.h"

extern char** environ;

namespace sqlmeasure {
namespace {

// Closes a descriptor once, whatever path leaves the function.
class Descriptor {
 public:
  explicit Descriptor(int fd = -1) : fd_(fd) {}
  ~Descriptor() { reset(); }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  [[nodiscard]] int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

}  // namespace

std::string run_password_command(const std::string& command, const std::string& where) {
  int ends[2];
  // O_CLOEXEC: a command started by another thread at the same moment must not inherit the
  // pipe (and keep it open, so that this read would never see its end).
  if (::pipe2(ends, O_CLOEXEC) != 0) {
    fail(ExitCode::kRuntime, fmt::format("{}: cannot run it: {}", where, std::strerror(errno)));
  }
  Descriptor read_end(ends[0]), write_end(ends[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO);
  const char* argv[] = {"sh", "-c", command.c_str(), nullptr};
  pid_t pid = 0;
  // posix_spawn, not fork: safe while other threads hold locks (--concurrency connects in
  // parallel). stdin and stderr are ours: a prompt or a diagnostic reaches the user.
  const int spawned =
      ::posix_spawn(&pid, "/bin/sh", &actions, nullptr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  write_end.reset();
  if (spawned != 0) {
    fail(ExitCode::kRuntime,
         fmt::format("{}: cannot run /bin/sh: {}", where, std::strerror(spawned)));
  }
  std::string output;
  char buffer[4096];
  for (;;) {
    const ssize_t got = ::read(read_end.get(), buffer, sizeof buffer);
    if (got > 0) {
      output.append(buffer, static_cast<std::size_t>(got));
    } else if (got == 0 || errno != EINTR) {
      break;
    }
  }
  read_end.reset();
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  // Messages name the key and the status, never the output: it may be the password.
  if (WIFSIGNALED(status)) {
    fail(ExitCode::kBadConfig, fmt::format("{}: the command was killed by signal {}; no password",
                                           where, WTERMSIG(status)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fail(ExitCode::kBadConfig,
         fmt::format("{}: the command exited with status {} (its own messages, if any, are "
                     "above); no password",
                     where, WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  }
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  if (output.empty()) {
    fail(ExitCode::kBadConfig,
         fmt::format("{}: the command exited with status 0 but printed nothing; it must print "
                     "the password on stdout",
                     where));
  }
  return output;
}

}  // namespace sqlmeasure
