// The history directory (history.h): keeping a run, reading the index, naming a run, pruning.
// Writers take DIR/.lock (flock) so that two runs keeping themselves at once, or a prune
// meanwhile, never lose a line; readers need no lock (a line is appended in one write).
#include <fcntl.h>
#include <fmt/format.h>
#include <fnmatch.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>

#include "history_index.h"
#include "sqlmeasure/atomic_file.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/history.h"
#include "sqlmeasure/results_file.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/timestamp.h"

namespace sqlmeasure {
namespace {

namespace fs = std::filesystem;

constexpr const char* kIndex = "index.jsonl";
constexpr const char* kRuns = "runs";

std::string index_path(const std::string& directory) { return (fs::path(directory) / kIndex); }

std::string run_path(const std::string& directory, const std::string& id) {
  return fs::path(directory) / kRuns / (id + ".json");
}

// DIR/.lock held for as long as it lives.
class DirectoryLock {
 public:
  explicit DirectoryLock(const std::string& directory) {
    const std::string path = fs::path(directory) / ".lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) {
      const int error = errno;
      if (fd_ >= 0) ::close(fd_);
      fail(ExitCode::kRuntime, fmt::format("cannot lock {}: {}", path, std::strerror(error)));
    }
  }
  ~DirectoryLock() { ::close(fd_); }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

// Under the directory's lock. A last line without its newline (an append cut short by a kill
// or a full disk) is cut off first — its run's file is only disk — so that the new line stays a
// line of its own; a write that fails leaves the index as it was.
void append_line(const std::string& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    fail(ExitCode::kRuntime, fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  }
  off_t size = ::lseek(fd, 0, SEEK_END);
  off_t end = size;
  char last = '\n';
  while (end > 0 && ::pread(fd, &last, 1, end - 1) == 1 && last != '\n') --end;
  if (end != size && ::ftruncate(fd, end) != 0) end = size;
  const std::string text = line + "\n";
  const ssize_t written = ::pwrite(fd, text.data(), text.size(), end);
  const int error = errno;
  const bool synced = written == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  if (!synced) (void)::ftruncate(fd, end);
  ::close(fd);
  if (!synced) {
    fail(ExitCode::kRuntime,
         fmt::format("cannot write {}: {}", path,
                     written < 0 ? std::strerror(error) : "the disk took part of the line"));
  }
}

bool screen_wanted(const HistoryFilter& filter, const std::string& screen) {
  if (filter.screens.empty()) return true;
  return std::any_of(filter.screens.begin(), filter.screens.end(), [&](const std::string& glob) {
    return fnmatch(glob.c_str(), screen.c_str(), 0) == 0;
  });
}

// The index's lines, each given to `each` with its number; a last line without its newline
// (an append cut short) is left out and said in `warnings`.
template <typename Each>
void for_each_line(const std::string& path, std::vector<std::string>& warnings, Each each) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!fs::exists(path)) return;  // no run kept yet
    fail(ExitCode::kRuntime, fmt::format("cannot read {}", path));
  }
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (in.eof()) {  // no newline after it: an append cut short
      warnings.push_back(
          fmt::format("{}:{}: an incomplete last line (a run that was being kept "
                      "when it stopped) is left out",
                      path, number));
      break;
    }
    if (line.empty()) continue;
    each(line, number);
  }
}

}  // namespace

bool is_utc_second(const std::string& text) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool digit = text[i] >= '0' && text[i] <= '9';
    if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return false;
  }
  return true;
}

HistoryRead read_history(const std::string& directory, const HistoryFilter& filter) {
  std::error_code error;
  if (!fs::exists(directory, error)) {
    fail(ExitCode::kUsage,
         fmt::format("no history in {}: the directory does not exist (run --history {} keeps "
                     "runs there)",
                     directory, directory));
  }
  if (!fs::is_directory(directory, error)) {
    fail(ExitCode::kBadInput, fmt::format("{}: not a directory (a history is one)", directory));
  }
  HistoryRead read;
  const std::string path = index_path(directory);
  const auto keep = [&](const std::string& screen) { return screen_wanted(filter, screen); };
  // A line of another endpoint or database is not even parsed: its field as the index writes it
  // (entry_to_line) is not in the line. (A line that has it elsewhere is parsed, then left.)
  const std::string endpoint_field =
      filter.endpoint.empty() ? "" : "\"endpoint\":" + index_string(filter.endpoint);
  const std::string database_field =
      filter.database.empty() ? "" : "\"database\":" + index_string(filter.database);
  // With last_runs, only that many of the newest lines that may match are parsed.
  std::deque<std::pair<std::string, std::size_t>> lines;
  auto take = [&](const std::string& line, std::size_t number) {
    HistoryEntry entry = entry_from_line(line, path, number, keep);
    if (!filter.since.empty() && entry.recorded_at < filter.since) return;
    if (!filter.endpoint.empty() && entry.endpoint != filter.endpoint) return;
    if (!filter.database.empty() && entry.database != filter.database) return;
    read.runs.push_back(std::move(entry));
  };
  for_each_line(path, read.warnings, [&](const std::string& line, std::size_t number) {
    if (!endpoint_field.empty() && line.find(endpoint_field) == std::string::npos) return;
    if (!database_field.empty() && line.find(database_field) == std::string::npos) return;
    if (filter.last_runs == 0) return take(line, number);
    lines.emplace_back(line, number);
    if (lines.size() > filter.last_runs) lines.pop_front();
  });
  for (const auto& [line, number] : lines) take(line, number);
  std::stable_sort(
      read.runs.begin(), read.runs.end(),
      [](const HistoryEntry& a, const HistoryEntry& b) { return a.recorded_at < b.recorded_at; });
  return read;
}

void check_history_directory(const std::string& directory) {
  std::error_code error;
  const fs::path path(directory);
  if (fs::exists(path, error)) {
    if (!fs::is_directory(path, error)) {
      fail(ExitCode::kUsage, fmt::format("--history {}: not a directory", directory));
    }
    if (::access(directory.c_str(), W_OK) != 0) {
      fail(ExitCode::kUsage, fmt::format("--history {}: cannot write there", directory));
    }
    return;
  }
  // Made when the run is kept: its nearest existing parent must take it.
  fs::path parent = fs::absolute(path, error).parent_path();
  while (!parent.empty() && !fs::exists(parent, error)) parent = parent.parent_path();
  if (parent.empty() || !fs::is_directory(parent, error) || ::access(parent.c_str(), W_OK) != 0) {
    fail(ExitCode::kUsage,
         fmt::format("--history {}: cannot be made ({} is not a writable directory)", directory,
                     parent.string()));
  }
}

HistoryEntry record_run(const std::string& directory, const RunResult& run,
                        const std::string& recorded_at, std::vector<HintPoint> hints,
                        const std::string& salt) {
  if (!is_utc_second(recorded_at)) {
    fail(ExitCode::kBadInput,
         fmt::format("the run's time '{}' is not a UTC time (2026-12-07T03:00:00Z): it cannot be "
                     "kept",
                     recorded_at));
  }
  std::error_code error;
  fs::create_directories(fs::path(directory) / kRuns, error);
  if (error) {
    fail(ExitCode::kRuntime,
         fmt::format("cannot make the history directory {}: {}", directory, error.message()));
  }
  const DirectoryLock lock(directory);
  HistoryEntry entry = summarize_run(run, recorded_at, salt);
  entry.hints = std::move(hints);
  std::error_code exists_error;
  if (fs::exists(run_path(directory, entry.id), exists_error)) {
    fail(salt.empty() ? ExitCode::kUsage : ExitCode::kRuntime,
         fmt::format("{} already keeps this run (as {})", directory, entry.id));
  }
  const std::string file = run_path(directory, entry.id);
  write_results_file(run, file);
  try {
    append_line(index_path(directory), entry_to_line(entry));
  } catch (...) {
    fs::remove(file, error);  // not a run file without its line
    throw;
  }
  return entry;
}

std::string recorded_run_path(const std::string& directory, const std::string& name) {
  const HistoryRead read = read_history(directory, {{"\x01"}, "", "", ""});  // no screen needed
  if (read.runs.empty()) {
    fail(ExitCode::kUsage, fmt::format("no run is kept in {} yet", directory));
  }
  std::string id;
  if (name == "latest" || name.starts_with("latest~")) {
    std::size_t back = 0;
    if (name != "latest") {
      const std::string count = name.substr(7);
      if (count.empty() || !std::all_of(count.begin(), count.end(), ::isdigit) ||
          count.size() > 6) {
        fail(ExitCode::kUsage, fmt::format("{}: expected latest or latest~N", name));
      }
      back = std::stoul(count);
    }
    if (back >= read.runs.size()) {
      fail(ExitCode::kUsage, fmt::format("{}: {} holds {} run{}", name, directory, read.runs.size(),
                                         read.runs.size() == 1 ? "" : "s"));
    }
    id = read.runs[read.runs.size() - 1 - back].id;
  } else {
    std::vector<std::string> matches;
    for (const HistoryEntry& entry : read.runs) {
      if (entry.id == name) {
        matches = {entry.id};
        break;
      }
      if (entry.id.starts_with(name) || entry.label == name) matches.push_back(entry.id);
    }
    if (matches.empty()) {
      fail(ExitCode::kUsage, fmt::format("no run {} in {} (`sqlmeasure history --runs` lists them)",
                                         name, directory));
    }
    if (matches.size() > 1) {
      fail(ExitCode::kUsage, fmt::format("{} names {} runs in {}: {}", name, matches.size(),
                                         directory, join(matches, ", ")));
    }
    id = matches.front();
  }
  const std::string path = run_path(directory, id);
  if (!fs::exists(path)) {
    fail(ExitCode::kBadInput,
         fmt::format("run {} is in {}'s index but its file {} is gone", id, directory, path));
  }
  return path;
}

Retention parse_retention(const std::string& text) {
  Retention keep;
  const auto usage = [&]() {
    fail(ExitCode::kUsage,
         fmt::format("--keep {}: expected a number of runs (90) or an age (90d, 12w, 6m)", text));
  };
  if (text.empty() || text.size() > 7) usage();
  const char unit = text.back();
  const bool aged = unit == 'd' || unit == 'w' || unit == 'm';
  const std::string digits = aged ? text.substr(0, text.size() - 1) : text;
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit)) usage();
  const unsigned long count = std::stoul(digits);
  if (count == 0) usage();
  if (aged) {
    keep.days = static_cast<int>(count) * (unit == 'd' ? 1 : unit == 'w' ? 7 : 30);
  } else {
    keep.runs = count;
  }
  return keep;
}

PruneResult prune_history(const std::string& directory, const Retention& keep,
                          const std::string& now_iso8601) {
  (void)read_history(directory, {{"\x01"}, "", "", ""});  // the directory's checks
  const DirectoryLock lock(directory);
  // Lines as they are, each with what decides whether it stays.
  struct Line {
    std::string text, id, recorded_at, identity;
  };
  std::vector<Line> lines;
  PruneResult result;
  const std::string path = index_path(directory);
  for_each_line(path, result.warnings, [&](const std::string& line, std::size_t number) {
    const HistoryEntry entry =
        entry_from_line(line, path, number, [](const std::string&) { return false; });
    lines.push_back({line, entry.id, entry.recorded_at, entry.identity()});
  });
  std::vector<bool> kept(lines.size(), true);
  if (keep.days) {
    // ISO 8601 UTC strings order as times do: the cut is a string.
    std::tm now{};
    strptime(now_iso8601.c_str(), "%Y-%m-%dT%H:%M:%SZ", &now);
    const std::time_t cut_time = timegm(&now) - static_cast<std::time_t>(*keep.days) * 86400;
    std::tm cut{};
    gmtime_r(&cut_time, &cut);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &cut);
    for (std::size_t i = 0; i < lines.size(); ++i) kept[i] = lines[i].recorded_at >= text;
  }
  if (keep.runs) {
    std::map<std::string, std::vector<std::size_t>> by_identity;
    for (std::size_t i = 0; i < lines.size(); ++i) by_identity[lines[i].identity].push_back(i);
    for (auto& [identity, indexes] : by_identity) {
      // Newest first; of two kept in one second, the later line is the newer.
      std::stable_sort(indexes.begin(), indexes.end(), [&](std::size_t a, std::size_t b) {
        return lines[a].recorded_at != lines[b].recorded_at
                   ? lines[a].recorded_at > lines[b].recorded_at
                   : a > b;
      });
      for (std::size_t k = *keep.runs; k < indexes.size(); ++k) kept[indexes[k]] = false;
    }
  }
  std::string text;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (kept[i]) {
      text += lines[i].text + "\n";
      ++result.kept;
    }
  }
  result.removed = lines.size() - result.kept;
  if (result.removed == 0) return result;
  // The index first: a file left without its line is only disk, a line without its file an
  // error.
  write_file_atomically(path, text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::error_code error;
    if (!kept[i]) fs::remove(run_path(directory, lines[i].id), error);
  }
  return result;
}

}  // namespace sqlmeasure
