// password_command: a command that prints the password, run for each connection: an RDS IAM
// token opens connections for 15 minutes only, and a reconnect (--retries) or the second
// connection of a long live compare may come later than that. It is bounded: a time limit
// (password_command_timeout), a size, one line; on a timeout or an interrupt it is killed
// with whatever it started.
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <map>
#include <vector>

#include "sqlmeasure/config.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/proc_stat.h"

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

// The parent of every process, from /proc.
std::multimap<pid_t, pid_t> children_by_parent() {
  std::multimap<pid_t, pid_t> children;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return children;
  while (const dirent* entry = ::readdir(proc)) {
    char* end = nullptr;
    const long pid = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0') continue;
    const std::vector<std::string> fields = proc_stat_fields(pid);
    const long parent = fields.size() > 1 ? std::strtol(fields[1].c_str(), nullptr, 10) : 0;
    if (parent > 0) children.emplace(static_cast<pid_t>(parent), static_cast<pid_t>(pid));
  }
  ::closedir(proc);
  return children;
}

// The shell and everything it started (`sleep 1000 &` holds our pipe): the command runs in
// our process group, so that a prompt can read the terminal and Ctrl-C reaches it, and the
// group cannot be killed as one.
void kill_command(pid_t shell) {
  const std::multimap<pid_t, pid_t> children = children_by_parent();
  std::vector<pid_t> tree = {shell};
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const auto [first, last] = children.equal_range(tree[i]);
    for (auto it = first; it != last; ++it) tree.push_back(it->second);
  }
  for (pid_t pid : tree) ::kill(pid, SIGKILL);
  while (::waitpid(shell, nullptr, 0) < 0 && errno == EINTR) {
  }
}

class Deadline {
 public:
  explicit Deadline(unsigned seconds)
      : end_(std::chrono::steady_clock::now() + std::chrono::seconds(seconds)) {}
  // Milliseconds left, at most `cap`; 0 once passed.
  [[nodiscard]] int left_ms(int cap) const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        end_ - std::chrono::steady_clock::now());
    return static_cast<int>(std::clamp<long long>(left.count(), 0, cap));
  }

 private:
  std::chrono::steady_clock::time_point end_;
};

}  // namespace

std::string run_password_command(const std::string& command, const std::string& where,
                                 const PasswordCommandLimits& limits) {
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
  const Deadline deadline(limits.timeout_s);
  // Every way out before the shell is reaped kills it (and what it started) first.
  auto stop = [&](ExitCode code, const std::string& why) {
    kill_command(pid);
    fail(code, fmt::format("{}: {}; no password", where, why));
  };
  auto check_limits = [&] {
    if (limits.interrupted != nullptr && limits.interrupted->load()) {
      stop(ExitCode::kRuntime, "interrupted while the command ran; it was stopped");
    }
    if (deadline.left_ms(1) == 0) {
      stop(ExitCode::kBadConfig,
           fmt::format("the command did not finish within {} s (password_command_timeout); it "
                       "was stopped",
                       limits.timeout_s));
    }
  };
  // Its output until the shell ends (not until the pipe closes: a background child holding
  // it open, `sleep 40 &`, must not hold us), within the size and the time limits.
  std::string output;
  char buffer[4096];
  int status = 0;
  for (bool open = true;;) {
    check_limits();
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    pollfd readable{open ? read_end.get() : -1, POLLIN, 0};
    if (::poll(&readable, 1, deadline.left_ms(50)) <= 0 || !open) continue;
    const ssize_t got = ::read(read_end.get(), buffer, sizeof buffer);
    if (got > 0) {
      output.append(buffer, static_cast<std::size_t>(got));
    } else if (got == 0 || errno != EINTR) {
      open = false;
    }
    if (output.size() > limits.max_bytes) {
      stop(ExitCode::kBadConfig,
           fmt::format("the command printed more than {} bytes; a password is one short line",
                       limits.max_bytes));
    }
  }
  // What is left in the pipe once it ended, without waiting for more.
  (void)::fcntl(read_end.get(), F_SETFL, O_NONBLOCK);
  for (ssize_t got = 0; output.size() <= limits.max_bytes &&
                        (got = ::read(read_end.get(), buffer, sizeof buffer)) > 0;) {
    output.append(buffer, static_cast<std::size_t>(got));
  }
  read_end.reset();
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
  if (output.find('\n') != std::string::npos) {
    fail(ExitCode::kBadConfig,
         fmt::format("{}: the command printed more than one line; the password must be its only "
                     "line (none of it is shown here)",
                     where));
  }
  if (output.size() > limits.max_bytes) {
    fail(ExitCode::kBadConfig,
         fmt::format("{}: the command printed more than {} bytes; a password is one short line",
                     where, limits.max_bytes));
  }
  return output;
}

}  // namespace sqlmeasure
