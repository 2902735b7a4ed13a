#pragma once
// What every command receives: its writers, terminal facts and the interruption flag.
#include <atomic>
#include <ostream>
#include <string>

#include "sqlmeasure/render.h"

namespace sqlmeasure {

struct Context {
  std::ostream& out;
  std::ostream& err;
  bool out_is_tty = false;
  bool err_is_tty = false;
  bool quiet = false;
  bool verbose = false;
  bool no_color = false;
  const std::atomic<bool>* interrupted = nullptr;

  [[nodiscard]] Style style() const;  // colour only on a terminal, never with NO_COLOR
  void warn(const std::string& message) const;
  void note(const std::string& message) const;  // only with --verbose
};

}  // namespace sqlmeasure
