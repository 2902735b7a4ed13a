// The password prompt: the controlling terminal in raw mode (no echo, no signals), read byte
// by byte, so that Ctrl-C is seen here and the terminal is always given its echo back.
#include "password_prompt.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sqlmeasure/error.h"

namespace sqlmeasure {
namespace {

constexpr char kInterrupt = 0x03, kEndOfFile = 0x04, kBackspace = 0x08, kDelete = 0x7f;
constexpr std::size_t kMaxPassword = 16 * 1024;

// The terminal's settings, put back when it goes.
class RawTerminal {
 public:
  explicit RawTerminal(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) != 0) return;
    termios raw = saved_;
    raw.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL | ICANON | ISIG);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    active_ = ::tcsetattr(fd_, TCSAFLUSH, &raw) == 0;
  }
  ~RawTerminal() {
    if (active_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
  }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;
  [[nodiscard]] bool active() const { return active_; }

 private:
  int fd_;
  termios saved_{};
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
  bool cancelled = false, ended = false;
  {
    say(fd, "Enter password: ");
    const RawTerminal raw(fd);
    if (!raw.active()) {
      ::close(fd);
      fail(ExitCode::kUsage,
           "-p: the terminal's echo cannot be turned off, so the password "
           "is not asked for: give it with MYSQL_PWD or password_env");
    }
    while (true) {
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
  }
  say(fd, "\n");
  ::close(fd);
  if (cancelled) fail(ExitCode::kRuntime, "interrupted at the password prompt");
  if (ended) fail(ExitCode::kUsage, "-p: the password prompt was closed (Ctrl-D) before Enter");
  return password;
}

}  // namespace sqlmeasure
