#pragma once
// What every command receives: the invocation (writers, terminal facts, the interruption
// flag, the connector), the global flags, and the project config they name.
#include <atomic>
#include <ostream>
#include <string>
#include <vector>

#include "sqlmeasure/cli.h"
#include "sqlmeasure/config.h"
#include "sqlmeasure/render.h"

namespace sqlmeasure {

struct GlobalFlags {
  std::optional<std::string> config;
  bool quiet = false, verbose = false, no_color = false;
  std::string color = "auto";  // --color: auto (a terminal, no NO_COLOR), always, never
};

class Context {
 public:
  Context(const Invocation& invocation, const GlobalFlags& flags)
      : invocation_(invocation), flags_(flags) {}

  [[nodiscard]] std::ostream& out() const { return invocation_.out; }
  [[nodiscard]] std::ostream& err() const { return invocation_.err; }
  // The interrupt flag, for work that checks it (and then stops, undoes and saves). Asking
  // for it says so: from then on a signal raises the flag instead of ending the process.
  [[nodiscard]] const std::atomic<bool>* interrupted() const {
    if (invocation_.interrupt_watched != nullptr) invocation_.interrupt_watched->store(true);
    return invocation_.interrupted;
  }
  // The same flag, only read: for work that stops when a watching command was interrupted,
  // without asking for signals to be watched.
  [[nodiscard]] const std::atomic<bool>* interrupt_flag() const { return invocation_.interrupted; }
  [[nodiscard]] const Connector& connector() const { return invocation_.connect; }
  [[nodiscard]] const GlobalFlags& flags() const { return flags_; }
  // The command line as given (without the program name).
  [[nodiscard]] const std::vector<std::string>& args() const { return invocation_.args; }
  // Progress goes to stderr only on a terminal and without --quiet.
  [[nodiscard]] bool shows_progress() const { return invocation_.err_is_tty && !flags_.quiet; }

  // Colour: --color always or never as said; auto (the default) only on a terminal and
  // without NO_COLOR; --no-color is never.
  [[nodiscard]] Style style() const;
  void warn(const std::string& message) const;
  void note(const std::string& message) const;  // only with --verbose

  // sqlmeasure.toml (--config, else ./sqlmeasure.toml if present), read on first use.
  [[nodiscard]] const ProjectConfig& config() const;

 private:
  const Invocation& invocation_;
  const GlobalFlags& flags_;
  mutable std::optional<ProjectConfig> config_;
};

}  // namespace sqlmeasure
