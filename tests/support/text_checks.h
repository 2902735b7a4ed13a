#pragma once
// Checks on what the tool printed: a part of it, and the one-diagnostic shape of a message.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>

namespace sqlmeasure::testing {

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The journal a live compare's output names ("sqlmeasure recover --journal PATH"), or "".
inline std::string journal_path_in(const std::string& output) {
  const std::string marker = "sqlmeasure recover --journal ";
  const std::size_t at = output.find(marker);
  if (at == std::string::npos) return "";
  const std::size_t start = at + marker.size();
  return output.substr(start, output.find_first_of(" \n", start) - start);
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
