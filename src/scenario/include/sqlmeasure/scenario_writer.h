#pragma once
// Writing a screen as a scenario file (`NAME.toml`), the inverse of the loader: what
// `sqlmeasure capture` writes (docs/scenarios.md). The loader reads it back unchanged.
#include <string>
#include <vector>

#include "sqlmeasure/scenario.h"

namespace sqlmeasure {

// The TOML of `screen` (its name is the file name, so no `screen` key), each line of
// `comments` first as a `# ` comment. Values keep their kind: integers and floats as TOML
// numbers when TOML holds them exactly, else as strings; the parameters of one query are
// written as lists of one length, so that the values at one position — taken from one
// statement — are used together (docs/scenarios.md, "Parameters").
[[nodiscard]] std::string screen_to_toml(const Screen& screen,
                                         const std::vector<std::string>& comments);

}  // namespace sqlmeasure
