#pragma once
// Internal to the scenario module: per-format parsers and the checks shared by both.
#include <string>

#include "sqlmeasure/scenario.h"
#include "sqlmeasure/scenario_loader.h"

namespace sqlmeasure {

[[nodiscard]] Screen parse_toml_screen(const std::string& path, const std::string& default_name);
[[nodiscard]] Screen parse_sql_screen(const std::string& path, const std::string& default_name);

// Checks that hold whatever the format: a non-empty screen, unique query names, every
// placeholder bound and every parameter used, read-only statements. Throws kBadInput.
void validate_screen(const Screen& screen, const LoadOptions& options);

}  // namespace sqlmeasure
