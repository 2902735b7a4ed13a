#pragma once
// Checks on what the tool printed: a part of it, and the one-diagnostic shape of a message.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>

namespace sqlmeasure::testing {

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// One diagnostic: a first line, then at most an excerpt of the offending line (indented).
inline void check_one_message(const std::string& message) {
  std::istringstream lines(message);
  std::string line;
  std::getline(lines, line);
  CHECK_FALSE(line.empty());
  while (std::getline(lines, line)) CHECK(line.starts_with("  "));
}

}  // namespace sqlmeasure::testing
