#include "mapped_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>

#include "sqlmeasure/error.h"

namespace sqlmeasure {
namespace {

// The window mapped now (one at a time: logs are read one after the other), for the handler.
std::atomic<char*> window_at{nullptr};
std::atomic<std::size_t> window_size{0};
std::atomic<bool> window_cut{false};
std::size_t page_size = 4096;
struct sigaction before_ours {};

// SIGBUS in the window: the file was cut shorter. The rest of the window becomes zeros, the
// read goes on, and next() says so. Any other SIGBUS takes the action it had before: a fault
// comes again when the handler returns; one sent (kill) is sent again.
void on_bus_error(int, siginfo_t* info, void*) {
  const int saved_errno = errno;
  char* const at = window_at.load();
  // The window's pages (its last one whole: a wide load may touch past the file's end).
  const std::size_t size = (window_size.load() + page_size - 1) / page_size * page_size;
  char* const address = static_cast<char*>(info->si_addr);
  if (info->si_code == BUS_ADRERR && at != nullptr && address >= at && address < at + size) {
    char* const page = at + static_cast<std::size_t>(address - at) / page_size * page_size;
    if (mmap(page, static_cast<std::size_t>(at + size - page), PROT_READ,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
      window_cut.store(true);
      errno = saved_errno;
      return;
    }
  }
  sigaction(SIGBUS, &before_ours, nullptr);
  if (info->si_code <= 0) raise(SIGBUS);  // sent, not a fault: delivered again once we return
  errno = saved_errno;
}

void handle_bus_errors() {
  static std::once_flag once;
  std::call_once(once, [] {
    page_size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    struct sigaction ours {};
    ours.sa_sigaction = on_bus_error;
    ours.sa_flags = SA_SIGINFO;
    sigemptyset(&ours.sa_mask);
    sigaction(SIGBUS, &ours, &before_ours);
  });
}

}  // namespace

std::unique_ptr<MappedFile> MappedFile::open(const std::string& path, const std::string& name,
                                             std::size_t window) {
  // A regular file only, told before it is opened: opening a named pipe would wait for a
  // writer, and take what it wrote from the reader that then opens it.
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) return nullptr;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  unsigned char magic[2] = {};
  if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode) || status.st_size == 0 ||
      (pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b)) {
    ::close(fd);
    return nullptr;
  }
  // A file system that cannot map it (some FUSE ones): read otherwise.
  const auto probe = static_cast<std::size_t>(std::min<off_t>(status.st_size, 4096));
  void* mapped = mmap(nullptr, probe, PROT_READ, MAP_PRIVATE, fd, 0);
  if (mapped == MAP_FAILED) {
    ::close(fd);
    return nullptr;
  }
  munmap(mapped, probe);
  handle_bus_errors();
  window_cut.store(false);
  return std::unique_ptr<MappedFile>(new MappedFile(fd, name, window));
}

MappedFile::~MappedFile() {
  unmap();
  ::close(fd_);
}

void MappedFile::unmap() {
  if (mapped_ == nullptr) return;
  window_at.store(nullptr);
  window_size.store(0);
  munmap(mapped_, mapped_size_);
  mapped_ = nullptr;
  mapped_size_ = 0;
}

void MappedFile::unreadable(std::string_view why) const {
  fail(ExitCode::kBadInput, fmt::format("{}: cannot read the log: {}", name_, why));
}

void MappedFile::check_not_cut() const {
  if (!window_cut.load()) return;
  unreadable(
      "it was cut shorter while it was read (rotated by copy and truncate?); read it again once "
      "it is left alone");
}

std::string_view MappedFile::next() {
  check_not_cut();
  unmap();
  struct stat status {};
  if (fstat(fd_, &status) != 0) {
    unreadable(std::strerror(errno));
  }
  const auto size = static_cast<std::uint64_t>(status.st_size);
  if (size < offset_) {
    window_cut.store(true);
    check_not_cut();
  }
  if (size == offset_) return {};
  const std::size_t length =
      static_cast<std::size_t>(std::min<std::uint64_t>(window_, size - offset_));
  void* at = mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd_,
                  static_cast<off_t>(offset_));
  if (at == MAP_FAILED) {
    unreadable(std::strerror(errno));
  }
  madvise(at, length, MADV_SEQUENTIAL);
  mapped_ = at;
  mapped_size_ = length;
  window_at.store(static_cast<char*>(at));
  window_size.store(length);
  offset_ += length;
  return {static_cast<const char*>(at), length};
}

}  // namespace sqlmeasure
