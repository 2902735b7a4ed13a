#include "sqlmeasure/atomic_file.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "sqlmeasure/error.h"

namespace sqlmeasure {

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& write) {
  const std::string temporary = fmt::format("{}.tmp.{}", path, ::getpid());
  auto give_up = [&](const char* what) {
    const std::string reason = std::strerror(errno);
    std::remove(temporary.c_str());
    fail(ExitCode::kRuntime, fmt::format("{}: {}: {}", path, what, reason));
  };
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) give_up("cannot write");
    try {
      write(out);
    } catch (...) {
      out.close();
      std::remove(temporary.c_str());
      throw;
    }
    out.flush();
    if (!out) give_up("write failed");
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) give_up("cannot write");
}

void write_file_atomically(const std::string& path, const std::string& text) {
  write_file_atomically(path, [&text](std::ostream& out) { out << text; });
}

}  // namespace sqlmeasure
