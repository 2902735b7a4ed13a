#pragma once
// Lists of strings (argument lists, expected call orders) joined with +.
#include <string>
#include <vector>

namespace sqlmeasure::testing {

inline std::vector<std::string> operator+(std::vector<std::string> a,
                                          const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace sqlmeasure::testing
