#pragma once
// The statistics file (docs/statistics.md, "The file"): versioned JSON, written atomically,
// and read back with every field checked — a problem names the file and the JSON path.
#include <string>

#include "sqlmeasure/optimizer_statistics.h"

namespace sqlmeasure {

[[nodiscard]] std::string statistics_to_text(const StatisticsFile& file);
// Error(kBadInput) naming `origin` and the JSON path at fault.
[[nodiscard]] StatisticsFile statistics_from_text(const std::string& text,
                                                  const std::string& origin);

// "prod.json (MariaDB 10.11.19 at db:3306, database shop, exported 2026-12-07T12:28:47Z)": the
// file and where it was exported from, as an import names it.
[[nodiscard]] std::string statistics_source(const std::string& path, const StatisticsFile& file);

// Written atomically (Error(kRuntime) naming the path); read with read_input_file's checks.
void write_statistics_file(const StatisticsFile& file, const std::string& path);
[[nodiscard]] StatisticsFile read_statistics_file(const std::string& path);

}  // namespace sqlmeasure
