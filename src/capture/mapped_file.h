#pragma once
// A plain file read through memory mapped from it, one window at a time (docs/performance.md,
// "capture"): the kernel's copy into a buffer, which read() makes, was a tenth of the time of
// the thread that reads a log. The window is unmapped before the next is mapped, so the memory
// it takes does not grow with the file. Private to src/capture/.
//
// A file cut shorter while it is mapped (logrotate's copytruncate) would end the process with
// SIGBUS at the first read past its new end: the pages there are mapped again as zeros instead,
// and next() then throws Error(kBadInput) naming the file, so that what was read is not used.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace sqlmeasure {

class MappedFile {
 public:
  // The window's size: a multiple of any page size.
  static constexpr std::size_t kWindow = std::size_t{4} << 20;

  // The file mapped, or null when it is not a regular file, is empty, starts as a gzip file
  // does, or cannot be mapped (the caller reads it otherwise). `name` is said in errors;
  // `window` a multiple of the page size (smaller in tests).
  static std::unique_ptr<MappedFile> open(const std::string& path, const std::string& name,
                                          std::size_t window = kWindow);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // The next window of the file, up to its size now (a log still written grows); empty at its
  // end. The window before is unmapped: nothing may point into it any more.
  std::string_view next();
  // Bytes of the file before the end of the current window.
  [[nodiscard]] std::uint64_t offset() const { return offset_; }

 private:
  MappedFile(int fd, std::string name, std::size_t window)
      : fd_(fd), name_(std::move(name)), window_(window) {}
  void unmap();
  void check_not_cut() const;
  [[noreturn]] void unreadable(std::string_view why) const;

  int fd_ = -1;
  std::string name_;
  std::size_t window_ = kWindow;
  void* mapped_ = nullptr;
  std::size_t mapped_size_ = 0;
  std::uint64_t offset_ = 0;
};

}  // namespace sqlmeasure
