#pragma once
// Results files and comparisons as the JSON the tool writes, for the db tests' checks.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "support/temp_dir.h"

namespace sqlmeasure::testing {

inline nlohmann::json read_json(const std::string& path) {
  return nlohmann::json::parse(read_text(path));
}

// The screen `name` of a results file or a comparison; a failure when it has none.
inline const nlohmann::json& screen_named(const nlohmann::json& document, const std::string& name) {
  for (const nlohmann::json& screen : document["screens"]) {
    if (screen["name"] == name) return screen;
  }
  FAIL("no screen '" << name << "' in " << document.dump().substr(0, 400));
  throw std::logic_error("unreachable");
}

}  // namespace sqlmeasure::testing
