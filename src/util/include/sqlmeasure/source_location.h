#pragma once
// A position in a user's file, printed as file:line:col in every diagnostic.
#include <string>

namespace sqlmeasure {

struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based; 0 = unknown
  bool operator==(const SourceLocation&) const = default;

  [[nodiscard]] std::string str() const {
    if (line <= 0) return file;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column > 0 ? column : 1);
  }
};

}  // namespace sqlmeasure
