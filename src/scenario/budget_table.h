#pragma once
// A budget as TOML writes it — `[budget]` in a screen file, `[[budget]]` in sqlmeasure.toml:
// median_ms and/or p95_ms. Shared by the two readers (the screen file's, and toml_reader.h's
// for sqlmeasure.toml) so both check it alike. Private to src/scenario/.
#include <toml++/toml.h>

#include <set>
#include <string>

#include "sqlmeasure/budget.h"
#include "sqlmeasure/error.h"

namespace sqlmeasure {

// The budget of `table` (at `node` in `file`). `also` lists the other keys the caller reads
// there; any other key, a missing or non-positive figure, or a p95 below the median is
// Error(`code`) naming file:line:col and `section` ("[budget]").
[[nodiscard]] Budget read_budget(const std::string& file, const toml::table& table,
                                 const toml::node& node, const std::set<std::string>& also,
                                 const std::string& section, ExitCode code);

}  // namespace sqlmeasure
