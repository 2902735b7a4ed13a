// The password prompt: the controlling terminal in raw mode (no echo, no signal keys), read
// byte by byte, so that Ctrl-C is seen here, and the terminal always gets its echo back — a
// SIGTERM, SIGHUP or SIGQUIT meanwhile is held until the terminal is restored, then acted on.
#include "password_prompt.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sqlmeasure/error.h"

namespace sqlmeasure {
namespace {

constexpr char kInterrupt = 0x03, kEndOfFile = 0x04, kBackspace = 0x08, kDelete = 0x7f;
constexpr std::size_t kMaxPassword = 16 * 1024;

// The terminal's settings and the signal mask, put back when it goes (the held signals are
// delivered then, with the terminal as it was).
class RawTerminal {
 public:
  explicit RawTerminal(int fd) : fd_(fd) {
    sigemptyset(&held_);
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&held_, signal_number);
    sigprocmask(SIG_BLOCK, &held_, &previous_mask_);
    if (::tcgetattr(fd_, &saved_) != 0) return;
    termios raw = saved_;
    raw.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL | ICANON | ISIG);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    // TCSANOW, not TCSAFLUSH: what was typed ahead of the prompt stays to be read.
    active_ = ::tcsetattr(fd_, TCSANOW, &raw) == 0;
  }
  ~RawTerminal() {
    if (active_) ::tcsetattr(fd_, TCSADRAIN, &saved_);
    sigprocmask(SIG_SETMASK, &previous_mask_, nullptr);
  }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;
  [[nodiscard]] bool active() const { return active_; }
  // A held signal arrived: the prompt ends, and it is acted on once the terminal is back.
  [[nodiscard]] bool signalled() const {
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
      if (sigismember(&pending, signal_number) == 1) return true;
    }
    return false;
  }

 private:
  int fd_;
  termios saved_{};
  sigset_t held_{}, previous_mask_{};
  bool active_ = false;
};

void say(int fd, const char* text) { (void)!::write(fd, text, std::strlen(text)); }

}  // namespace

std::string prompt_for_password() {
  const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    fail(ExitCode::kUsage,
         "-p without a password asks for it on a terminal, and there is none here: give it "
         "with MYSQL_PWD, password_env or password_command in sqlmeasure.toml, or an option "
         "file (--defaults-file)");
  }
  std::string password;
  bool cancelled = false, ended = false, unusable = false;
  {
    const RawTerminal raw(fd);  // echo off before the prompt shows: nothing typed is echoed
    unusable = !raw.active();
    if (!unusable) say(fd, "Enter password: ");
    while (!unusable) {
      pollfd ready{fd, POLLIN, 0};
      const int polled = ::poll(&ready, 1, 200);
      if (raw.signalled()) {
        cancelled = true;
        break;
      }
      if (polled < 0 && errno == EINTR) continue;
      if (polled == 0) continue;
      char byte = 0;
      const ssize_t got = ::read(fd, &byte, 1);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0 || byte == kEndOfFile) {
        ended = true;
        break;
      }
      if (byte == '\n' || byte == '\r') break;
      if (byte == kInterrupt) {
        cancelled = true;
        break;
      }
      if (byte == kDelete || byte == kBackspace) {
        if (!password.empty()) password.pop_back();
        continue;
      }
      if (password.size() < kMaxPassword) password += byte;
    }
  }  // the terminal as it was; a held SIGTERM is delivered here
  say(fd, "\n");
  ::close(fd);
  if (unusable) {
    fail(ExitCode::kUsage,
         "-p: the terminal's echo cannot be turned off, so the password is "
         "not asked for: give it with MYSQL_PWD or password_env");
  }
  if (cancelled) fail(ExitCode::kRuntime, "interrupted at the password prompt");
  if (ended) fail(ExitCode::kUsage, "-p: the password prompt was closed (Ctrl-D) before Enter");
  return password;
}

}  // namespace sqlmeasure
