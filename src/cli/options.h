#pragma once
// Flag groups shared by several commands, how each merges with sqlmeasure.toml (flags >
// config > MySQL option files > built-in defaults), and the check that a mode uses every flag
// it was given. Every value is validated here, before a command does any work.
#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/context.h"
#include "sqlmeasure/config.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/render.h"
#include "sqlmeasure/results.h"
#include "sqlmeasure/runner.h"
#include "sqlmeasure/scenario.h"

namespace sqlmeasure {

struct ConnectionFlags {
  std::optional<std::string> host, socket, user, password, database, defaults_file, dsn, ssl_mode,
      ssl_ca, ssl_cert, ssl_key;
  std::optional<unsigned> port, connect_timeout;
  bool enable_cleartext_plugin = false;
  void add_to(CLI::App& app);
  // `dsn_override` replaces the DSN (for --before-dsn / --after-dsn).
  [[nodiscard]] ConnectionOptions resolve(const ProjectConfig& config, const Context& context,
                                          const std::optional<std::string>& dsn_override = {},
                                          const std::string& dsn_flag = "--dsn") const;
};

struct ScenarioFlags {
  std::optional<std::string> scenarios, screens;
  bool allow_writes = false;
  void add_to(CLI::App& app);
  [[nodiscard]] std::string directory(const ProjectConfig& config) const;
  [[nodiscard]] std::vector<std::string> globs(const ProjectConfig& config) const;
  // Loads and selects; errors are exit 65 (files) or 64 (unknown screen).
  [[nodiscard]] std::vector<Screen> load(const ProjectConfig& config) const;
};

struct RunFlags {
  std::optional<int> warmup, iterations;
  std::optional<std::uint64_t> seed;
  std::optional<std::string> order, label;
  std::optional<unsigned> query_timeout_ms;
  int retries = 0;
  bool iterations_auto = false;  // --iterations auto
  int concurrency = 1;           // --concurrency
  void add_to(CLI::App& app);
  [[nodiscard]] RunSettings resolve(const ProjectConfig& config,
                                    const ScenarioFlags& scenarios) const;
  // Everything the runner needs, validated (e.g. --iterations auto with --concurrency above 1
  // is refused here, before anything connects).
  [[nodiscard]] RunOptions options(const Context& context, const ScenarioFlags& scenarios,
                                   const std::string& what) const;
};

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

// The measuring session: read-only unless --allow-writes; the statement timeout.
[[nodiscard]] ConnectionOptions measuring_session(ConnectionOptions connection,
                                                  const RunOptions& run);

// Progress on stderr, only on a terminal and without --quiet; at most ~10 updates/s.
[[nodiscard]] std::function<void(const Progress&)> progress_printer(const Context& context,
                                                                    const std::string& what);

// The invocation's connector, with a --verbose note that never shows secrets.
[[nodiscard]] Connector verbose_connector(const Context& context);

// Refuses (exit 64) the first flag given on the command line that is not in `used`: a flag
// the chosen mode would silently ignore. Keys in sqlmeasure.toml for other modes are fine.
void refuse_unused_flags(const CLI::App& app, const std::set<std::string>& used,
                         const std::string& mode);

// A results file about to be written, checked before any work (exit 64): its directory
// exists, and it is not itself a directory. `flag` names it in the message.
void check_output_file(const std::string& path, const std::string& flag);

// A live compare's directory, checked before any work (exit 64): not a file, and new or empty
// — an older run's phase files must not mix with this one's.
void check_output_directory(const std::string& path, const std::string& flag);

// The names of every flag of a group, for refuse_unused_flags.
[[nodiscard]] std::set<std::string> flag_names(const CLI::App& app, const std::string& group);

// --report FILE: the HTML report (docs/report.md), written atomically beside whatever --format
// prints; with --format html and no --report, the page goes to stdout instead.
class ReportFlag {
 public:
  void add_to(CLI::App& app);
  // Before any work: the file's directory exists and is writable (exit 64).
  void check() const;
  // Prints `text` (the --format output) unless the format is html, then writes the page to
  // --report, or to stdout for --format html.
  void emit(Format format, const Context& context, const std::function<void(std::ostream&)>& text,
            const std::function<void(std::ostream&)>& page) const;
  [[nodiscard]] const std::optional<std::string>& path() const { return path_; }

 private:
  std::optional<std::string> path_;
};

}  // namespace sqlmeasure
