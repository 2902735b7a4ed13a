#include "sqlmeasure/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <streambuf>
#include <vector>

#include "sqlmeasure/error.h"

namespace sqlmeasure {
namespace {

// An ostream's buffer over a file descriptor we opened ourselves, so that the temporary file
// can be created exclusively (never through a symlink someone planted at its name).
class FdBuffer final : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : fd_(fd), buffer_(1 << 16) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  ~FdBuffer() override { (void)flush(); }
  FdBuffer(const FdBuffer&) = delete;
  FdBuffer& operator=(const FdBuffer&) = delete;

  // False (errno set) when a write failed, now or before.
  bool flush() {
    const char* data = pbase();
    std::size_t left = static_cast<std::size_t>(pptr() - pbase());
    while (left > 0 && ok_) {
      const ssize_t written = ::write(fd_, data, left);
      if (written < 0) {
        if (errno == EINTR) continue;
        ok_ = false;
        error_ = errno;
        break;
      }
      data += written;
      left -= static_cast<std::size_t>(written);
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    if (!ok_) errno = error_;
    return ok_;
  }

 protected:
  int_type overflow(int_type c) override {
    if (!flush()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return flush() ? 0 : -1; }

 private:
  int fd_;
  std::vector<char> buffer_;
  bool ok_ = true;
  int error_ = 0;
};

}  // namespace

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write) {
  // mkstemp creates the file with O_CREAT|O_EXCL in the destination's directory: it never
  // opens an existing file, so a symlink planted at a predictable name cannot redirect it.
  std::string pattern = path + ".tmp.XXXXXX";
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0)
    fail(ExitCode::kRuntime, fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  const std::string temporary = pattern;
  auto give_up = [&](const char* what, int error) {
    ::close(fd);
    ::unlink(temporary.c_str());
    fail(ExitCode::kRuntime, fmt::format("{}: {}: {}", path, what, std::strerror(error)));
  };
  {
    FdBuffer buffer(fd);
    std::ostream out(&buffer);
    try {
      write(out);
    } catch (...) {
      ::close(fd);
      ::unlink(temporary.c_str());
      throw;
    }
    if (!buffer.flush()) give_up("write failed", errno);
  }
  // The permissions a plain new file would get (mkstemp makes it 0600).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, 0666 & ~mask) != 0 || ::fsync(fd) != 0) give_up("write failed", errno);
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    fail(ExitCode::kRuntime, fmt::format("{}: write failed: {}", path, std::strerror(error)));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    fail(ExitCode::kRuntime, fmt::format("{}: cannot write: {}", path, std::strerror(error)));
  }
}

void write_file_atomically(const std::string& path, const std::string& text) {
  write_file_atomically(path, [&text](std::ostream& out) { out << text; });
}

}  // namespace sqlmeasure
