#pragma once
// Where a command's output goes: --format, --report, the results files and directories it
// will write (checked before any work), and the progress line.
#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "context.h"
#include "sqlmeasure/progress.h"
#include "sqlmeasure/render.h"

namespace sqlmeasure {

// --format, limited to what the command writes; the help text and the check share the list.
class OutputFlags {
 public:
  explicit OutputFlags(std::vector<Format> allowed) : allowed_(std::move(allowed)) {}
  void add_to(CLI::App& app);
  [[nodiscard]] Format format() const { return parse_format(text_, allowed_); }

 private:
  std::vector<Format> allowed_;
  std::string text_ = "table";
};

// Progress on stderr, only on a terminal and without --quiet; at most ~10 updates/s.
[[nodiscard]] std::function<void(const Progress&)> progress_printer(const Context& context,
                                                                    const std::string& what);

// A results file about to be written, checked before any work (exit 64): its directory
// exists, and it is not itself a directory. `flag` names it in the message.
void check_output_file(const std::string& path, const std::string& flag);

// A live compare's directory, checked before any work (exit 64): not a file, and new or empty
// — an older run's phase files must not mix with this one's.
void check_output_directory(const std::string& path, const std::string& flag);

// A live compare's default directory: PARENT/STEM-TIMESTAMP (then -2, -3, ...), made now, so
// that two compares started in the same second never share one. Returns its path.
[[nodiscard]] std::string claim_default_directory(const std::string& parent,
                                                  const std::string& stem);
// A run's default results file: PARENT/STEM-TIMESTAMP.EXT, or -2, -3, ... when one is there,
// created empty now (O_EXCL: two runs finishing in the same second never share it), to be
// replaced by the results file, or removed by the caller if that cannot be written.
[[nodiscard]] std::string default_file(const std::string& parent, const std::string& stem,
                                       const std::string& extension);

// Removes a claimed directory when it goes, if nothing was written into it: a command that
// stops before measuring (a refused migration, a connection error) leaves no empty out-dir.
class EmptyDirectoryGuard {
 public:
  explicit EmptyDirectoryGuard(std::string path) : path_(std::move(path)) {}
  ~EmptyDirectoryGuard();
  EmptyDirectoryGuard(const EmptyDirectoryGuard&) = delete;
  EmptyDirectoryGuard& operator=(const EmptyDirectoryGuard&) = delete;

 private:
  std::string path_;
};

// --report FILE: the HTML report (docs/report.md), written atomically beside whatever --format
// prints; with --format html and no --report, the page goes to stdout instead.
class ReportFlag {
 public:
  void add_to(CLI::App& app);
  // Before any work: the file's directory exists and is writable (exit 64).
  void check() const;
  // What the command renders in `format`, on stdout (unless it is html), then as HTML in
  // --report, or on stdout for --format html: `render` writes either.
  void emit(Format format, const Context& context,
            const std::function<void(Format, std::ostream&)>& render) const;
  [[nodiscard]] const std::optional<std::string>& path() const { return path_; }

 private:
  std::optional<std::string> path_;
};

}  // namespace sqlmeasure
