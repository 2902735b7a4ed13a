#pragma once
// Reading a database's optimizer statistics from its server: `stats export`, and the copy's
// own statistics an import keeps to put back. Read-only (but for the session's time zone,
// set to UTC so that timestamps read back as they are written).
#include <set>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/optimizer_statistics.h"

namespace sqlmeasure {

struct ExportOptions {
  std::vector<std::string> tables;  // names or globs (--tables); empty = every base table
  bool data_values = true;          // false: --no-histograms
  bool exact_names = false;         // `tables` are names as the server has them, not globs
};

// The statistics tables this server has (MySQL has no engine-independent ones).
[[nodiscard]] std::set<StatisticsTable> server_statistics_tables(Connection& connection);

// Error(kUsage) for no database or a --tables name that matches nothing; Error(kRuntime)
// naming the grant when the statistics tables cannot be read.
[[nodiscard]] StatisticsFile export_statistics(Connection& connection, const std::string& database,
                                               const ExportOptions& options);

}  // namespace sqlmeasure
