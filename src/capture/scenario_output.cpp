// Captured screens as a scenario directory: one NAME.toml per screen, which the loader reads
// back unchanged (tests check the round trip), never overwriting a file without --force.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>
#include <utility>

#include "on_both_cores.h"
#include "sqlmeasure/capture.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/scenario_writer.h"
#include "sqlmeasure/sql_lexer.h"

namespace sqlmeasure {
namespace {

// "1 request", "1,200 requests".
std::string counted(std::uint64_t count, std::string_view noun) {
  return fmt::format("{} {}{}", format_thousands(count), noun, count == 1 ? "" : "s");
}

// The query that draws a string parameter's values from the database (--no-literals): the
// distinct values of the column it is compared with, in the table its qualifier (or the
// query's only table) names. Nothing when the column or its table cannot be told.
std::optional<std::string> values_query(const std::string& sql, const std::string& qualifier,
                                        const std::string& column, std::size_t seen) {
  if (column.empty()) return std::nullopt;
  const QueryShape shape = read_query_shape(sql);
  const TableReference* table = nullptr;
  for (const TableReference& reference : shape.tables) {
    const bool named = qualifier.empty() ? shape.tables.size() == 1
                                         : (reference.alias.empty() ? reference.table == qualifier
                                                                    : reference.alias == qualifier);
    if (named) table = &reference;
  }
  if (table == nullptr) return std::nullopt;
  const std::string name =
      (table->database.empty() ? "" : quote_identifier(table->database) + ".") +
      quote_identifier(table->table);
  const std::string quoted = quote_identifier(column);
  return fmt::format("SELECT DISTINCT {} FROM {} WHERE {} IS NOT NULL ORDER BY {} LIMIT {}", quoted,
                     name, quoted, quoted, std::max<std::size_t>(1000, seen * 20));
}

// A file of the scratch directory, which mkdtemp made ours alone: created new (never through
// a name someone else made), with the mode any new file gets (0666 less the umask), and its
// writeback started; sync_and_close waits for it. Open only between the two; closed if left.
class ScratchFile {
 public:
  ScratchFile() = default;
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  ~ScratchFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  void write(std::string path, std::string_view text) {
    path_ = std::move(path);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0) give_up("cannot write");
    while (!text.empty()) {
      const ssize_t wrote = ::write(fd_, text.data(), text.size());
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote < 0) give_up("write failed");
      text.remove_prefix(static_cast<std::size_t>(wrote));
    }
#if defined(__linux__)
    (void)::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);  // a hint: fsync still waits
#endif
  }

  void sync_and_close() {
    if (::fsync(fd_) != 0) give_up("write failed");
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) give_up("write failed");
  }

 private:
  [[noreturn]] void give_up(const char* what) const {
    fail(ExitCode::kRuntime, fmt::format("{}: {}: {}", path_, what, std::strerror(errno)));
  }

  std::string path_;
  int fd_ = -1;
};

}  // namespace

std::vector<CapturedFile> captured_files(const CaptureResult& result, const std::string& sources,
                                         bool no_literals) {
  std::vector<CapturedFile> files;
  for (const CapturedScreen& captured : result.screens) {
    CapturedFile file;
    file.screen.name = captured.name;
    file.screen.description =
        captured.tags.empty() ? fmt::format("captured: {}", counted(captured.requests, "request"))
                              : fmt::format("{} (captured: {})", captured.tags,
                                            counted(captured.requests, "request"));
    file.comments.push_back(fmt::format("Captured by sqlmeasure capture from {}.", sources));
    if (!captured.tags.empty()) file.comments.push_back("tags: " + captured.tags);
    std::uint64_t statements = 0;
    for (const CapturedQuery& query : captured.queries) statements += query.statements;
    std::string skipped;
    for (const auto& [why, count] : captured.skipped) {
      skipped += fmt::format("{}{} {}", skipped.empty() ? "" : ", ", format_thousands(count), why);
    }
    file.comments.push_back(fmt::format("{}, {} replayed{}", counted(captured.requests, "request"),
                                        counted(statements, "statement"),
                                        skipped.empty() ? "" : "; left out: " + skipped));
    file.comments.push_back(
        no_literals
            ? "--no-literals: no string from the logged traffic is written; string parameters "
              "are drawn from the database (from = ...). The numbers below come from the logged "
              "traffic. A query's parameter lists have one length: the values at one position "
              "were seen together in one statement."
            : "The values below come from the logged traffic (production data, perhaps "
              "personal): review before sharing. A query's parameters are lists of one length: "
              "the values at one position were seen together in one statement.");
    for (const CapturedQuery& captured_query : captured.queries) {
      Query query;
      query.name = captured_query.name;
      query.sql = captured_query.sql;
      query.times = captured_query.times;
      std::string left_out;
      for (std::size_t p = 0; p < captured_query.params.size(); ++p) {
        ParamSpec& spec = query.params[captured_query.params[p]];
        bool strings = false;
        for (const std::vector<ParamValue>& row : captured_query.value_rows) {
          strings = strings || row[p].kind == ParamValue::Kind::kString ||
                    row[p].kind == ParamValue::Kind::kBinary;
          spec.values.push_back(row[p]);
        }
        if (!no_literals || !strings) continue;
        spec.values.clear();
        const auto& [qualifier, column] = captured_query.columns.at(p);
        const std::optional<std::string> from =
            values_query(query.sql, qualifier, column, captured_query.value_rows.size());
        if (!from) {
          left_out = captured_query.params[p];
          break;
        }
        spec.from_sql = *from;
        spec.sample = static_cast<int>(std::max<std::size_t>(1, captured_query.value_rows.size()));
      }
      if (!left_out.empty()) {
        file.comments.push_back(
            fmt::format("--no-literals: query {} left out: no column to draw :{} from ({})",
                        query.name, left_out, query.sql));
        continue;
      }
      file.screen.queries.push_back(std::move(query));
    }
    if (!file.screen.queries.empty()) files.push_back(std::move(file));
  }
  return files;
}

void check_out_directory(const std::string& directory) {
  std::error_code error;
  for (std::filesystem::path path = std::filesystem::absolute(directory, error);
       !path.empty() && !error; path = path.parent_path()) {
    if (!std::filesystem::exists(path, error)) {
      if (path == path.parent_path()) break;
      continue;
    }
    if (!std::filesystem::is_directory(path, error)) {
      fail(ExitCode::kUsage,
           path == std::filesystem::absolute(directory, error)
               ? fmt::format("--out {}: not a directory", directory)
               : fmt::format("--out {}: {} is not a directory", directory, path.string()));
    }
    return;
  }
}

std::vector<std::string> write_captured_files(const std::vector<CapturedFile>& files,
                                              const std::string& directory, bool force) {
  std::vector<std::string> paths;
  for (const CapturedFile& file : files) {
    paths.push_back((std::filesystem::path(directory) / (file.screen.name + ".toml")).string());
  }
  check_out_directory(directory);
  std::error_code error;
  if (!force) {
    for (const std::string& path : paths) {
      if (std::filesystem::exists(path, error)) {
        fail(ExitCode::kUsage,
             fmt::format("--out: {} exists; nothing was written (--force overwrites)", path));
      }
    }
  }
  // Whole or not at all: every file is written into a scratch directory beside --out first,
  // so a full disk or a killed run fails there with --out untouched. Then a new --out is that
  // directory renamed; an existing one receives each file by rename (the same filesystem).
  const std::filesystem::path out(directory);
  const std::filesystem::path parent = out.has_parent_path() ? out.parent_path() : ".";
  std::filesystem::create_directories(parent, error);
  if (error) {
    fail(ExitCode::kRuntime, fmt::format("--out {}: cannot create {}: {}", directory,
                                         parent.string(), error.message()));
  }
  std::string pattern = (parent / ("." + out.filename().string() + ".capture-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    fail(ExitCode::kRuntime, fmt::format("--out {}: cannot create a scratch directory in {}: {}",
                                         directory, parent.string(), std::strerror(errno)));
  }
  const std::filesystem::path scratch(pattern);
  std::size_t moved = 0;
  try {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    std::filesystem::permissions(scratch, static_cast<std::filesystem::perms>(0777 & ~mask));
    // Rendered and written on both cores, each file's writeback started as it is written; then
    // all synced, two at a time, before the directory is renamed.
    std::vector<ScratchFile> written(files.size());
    run_on_both_cores(files.size(), [&](std::size_t i) {
      written[i].write((scratch / (files[i].screen.name + ".toml")).string(),
                       screen_to_toml(files[i].screen, files[i].comments));
    });
    run_on_both_cores(written.size(), [&](std::size_t i) { written[i].sync_and_close(); });
    if (!std::filesystem::exists(out, error)) {
      std::filesystem::rename(scratch, out);
      return paths;
    }
    for (const CapturedFile& file : files) {
      const std::string name = file.screen.name + ".toml";
      std::filesystem::rename(scratch / name, out / name);
      ++moved;
    }
    std::filesystem::remove(scratch, error);
  } catch (const std::filesystem::filesystem_error& failure) {
    std::filesystem::remove_all(scratch, error);
    fail(ExitCode::kRuntime,
         fmt::format("--out {}: {}; {}", directory, failure.code().message(),
                     moved == 0 ? "nothing was written"
                                : fmt::format("{} of {} files were written", moved, files.size())));
  } catch (...) {
    std::filesystem::remove_all(scratch, error);
    throw;
  }
  return paths;
}

}  // namespace sqlmeasure
