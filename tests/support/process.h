#pragma once
// A child process for tests that need the real binary: signals, /proc, exit codes.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace sqlmeasure::testing {

// The sqlmeasure binary built beside the test binary, or $SQLMEASURE_BINARY.
inline std::string sqlmeasure_binary() {
  if (const char* env = std::getenv("SQLMEASURE_BINARY"); env != nullptr && env[0] != '\0') {
    return env;
  }
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "sqlmeasure").string();
}

struct ProcessResult {
  int code = -1;
  std::string out, err;
};

// argv[0] with its arguments in a session of its own: no controlling terminal, as under CI or
// a pipe; stdin from /dev/null. Waited for.
inline ProcessResult run_process_detached(const std::vector<std::string>& args) {
  char out_name[] = "/tmp/sqlm-detached-out-XXXXXX";
  char err_name[] = "/tmp/sqlm-detached-err-XXXXXX";
  const int out_fd = ::mkstemp(out_name);
  const int err_fd = ::mkstemp(err_name);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid();
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    std::vector<char*> argv;
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ProcessResult result;
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  const auto slurp = [](const char* name) {
    std::ifstream in(name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  result.out = slurp(out_name);
  result.err = slurp(err_name);
  ::close(out_fd);
  ::close(err_fd);
  ::unlink(out_name);
  ::unlink(err_name);
  return result;
}

// The real binary, its stdout and stderr in files, waited for with a time limit.
class Process {
 public:
  // `binary` with `args`; stdout and stderr go to the files `out` and `err`.
  Process(const std::string& binary, const std::vector<std::string>& args, const std::string& out,
          const std::string& err) {
    std::vector<std::string> all = {binary};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : all) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int failed = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (failed != 0) {
      pid_ = -1;
      FAIL("cannot start " << binary << ": " << std::strerror(failed));
    }
  }
  ~Process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }

  [[nodiscard]] bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == 0) return true;
    pid_ = -1;
    code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }

  // The exit code, or -1 (and the process killed) when it takes longer than `limit`.
  int wait(std::chrono::seconds limit) {
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    while (running()) {
      if (std::chrono::steady_clock::now() - start > limit) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return code_;
  }

 private:
  pid_t pid_ = -1;
  int code_ = -1;
};

}  // namespace sqlmeasure::testing
