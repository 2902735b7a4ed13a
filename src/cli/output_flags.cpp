// Where output goes: --format, --report, results files and directories checked before any
// work, and the progress line.
#include "output_flags.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "progress_line.h"
#include "sqlmeasure/atomic_file.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/timestamp.h"

namespace sqlmeasure {

void OutputFlags::add_to(CLI::App& app) {
  std::vector<std::string> names;
  for (Format format : allowed_) names.emplace_back(format_name(format));
  app.add_option("--format", text_, "Output format: " + join(names))->default_str("table");
}

std::function<void(const Progress&)> progress_printer(const Context& context,
                                                      const std::string& what) {
  if (!context.shows_progress()) return {};
  using Clock = std::chrono::steady_clock;
  struct State {
    Clock::time_point last_drawn, phase_start = Clock::now();
    std::string phase, finished;  // the phase under way; the last one summed up
    std::size_t done = 0;
  };
  auto state = std::make_shared<State>();
  std::ostream* err = &context.err();
  return [err, what, state](const Progress& progress) {
    const auto now = Clock::now();
    if (progress.phase == state->finished && progress.done == progress.total) return;
    // A new phase, or the same one counting again from the start: its pace starts anew.
    if (progress.phase != state->phase || progress.done < state->done) {
      state->phase = progress.phase;
      state->finished.clear();
      state->phase_start = now;
    }
    state->done = progress.done;
    const bool done = progress.done == progress.total;
    if (!done && now - state->last_drawn < std::chrono::milliseconds(100)) return;
    state->last_drawn = now;
    const double elapsed = std::chrono::duration<double>(now - state->phase_start).count();
    if (done) {
      *err << "\r\x1b[K" << phase_summary(what, progress, elapsed) << '\n';
      state->finished = progress.phase;
      state->phase.clear();
    } else {
      *err << "\r\x1b[K" << progress_line(what, progress, elapsed);
    }
    err->flush();
  };
}

void check_output_file(const std::string& path, const std::string& flag) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (fs::is_directory(path, error)) {
    fail(ExitCode::kUsage, fmt::format("{} {}: a directory, not a file", flag, path));
  }
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, error)) {
    fail(ExitCode::kUsage,
         fmt::format("{} {}: the directory {} does not exist", flag, path, parent.string()));
  }
  if (::access(parent.empty() ? "." : parent.c_str(), W_OK) != 0) {
    fail(ExitCode::kUsage,
         fmt::format("{} {}: cannot write in {}: {}", flag, path,
                     parent.empty() ? "." : parent.string(), std::strerror(errno)));
  }
}

namespace {

// PARENT/STEM-TIMESTAMP, then -2, -3, ...: the first that `make` creates anew.
std::string claim_default(const std::string& parent, const std::string& stem,
                          const std::string& extension,
                          const std::function<bool(const std::string&)>& make) {
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  const std::string base =
      fmt::format("{}/{}-{}", parent, stem, utc_now(TimestampFormat::kFileName));
  for (int n = 1; n < 1000; ++n) {
    const std::string path = (n == 1 ? base : fmt::format("{}-{}", base, n)) + extension;
    if (make(path)) return path;
    if (errno != EEXIST) {
      fail(ExitCode::kUsage, fmt::format("cannot create {}: {}", path, std::strerror(errno)));
    }
  }
  fail(ExitCode::kUsage, fmt::format("{}-*{}: a thousand exist already", base, extension));
}

}  // namespace

std::string claim_default_directory(const std::string& parent, const std::string& stem) {
  return claim_default(parent, stem, "",
                       [](const std::string& path) { return ::mkdir(path.c_str(), 0777) == 0; });
}

std::string default_file(const std::string& parent, const std::string& stem,
                         const std::string& extension) {
  return claim_default(parent, stem, extension, [](const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    ::close(fd);
    return true;
  });
}

EmptyDirectoryGuard::~EmptyDirectoryGuard() {
  if (path_.empty()) return;
  std::error_code error;
  if (std::filesystem::is_empty(path_, error) && !error) std::filesystem::remove(path_, error);
}

void check_output_directory(const std::string& path, const std::string& flag) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) return;  // made when the run starts
  if (!fs::is_directory(status)) {
    fail(ExitCode::kUsage, fmt::format("{} {}: not a directory", flag, path));
  }
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(path, error)) {
    if (names.size() < 3) names.push_back(entry.path().filename().string());
  }
  if (!names.empty()) {
    fail(ExitCode::kUsage,
         fmt::format("{} {}: already holds files ({}{}): give a new or empty directory, so that "
                     "no older run's results mix with this one's",
                     flag, path, join(names), names.size() == 3 ? ", ..." : ""));
  }
  if (::access(path.c_str(), W_OK) != 0) {
    fail(ExitCode::kUsage,
         fmt::format("{} {}: cannot write there: {}", flag, path, std::strerror(errno)));
  }
}

void ReportFlag::add_to(CLI::App& app) {
  app.add_option("--report", path_,
                 "Also write the HTML report (charts, plans) to FILE; --format html alone "
                 "writes it to stdout");
}

void ReportFlag::check() const {
  if (path_) check_output_file(*path_, "--report");
}

void ReportFlag::emit(Format format, const Context& context,
                      const std::function<void(Format, std::ostream&)>& render) const {
  if (format != Format::kHtml) render(format, context.out());
  if (path_) {
    write_file_atomically(*path_, [&render](std::ostream& out) { render(Format::kHtml, out); });
    context.err() << "report: " << *path_ << '\n';
  } else if (format == Format::kHtml) {
    render(Format::kHtml, context.out());
  }
}

}  // namespace sqlmeasure
