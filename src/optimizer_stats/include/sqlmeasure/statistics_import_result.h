#pragma once
// What a `stats import` did, table by table, and what the optimizer believes afterwards beside
// production's statistics and the copy's own: what the command prints (report/).
#include <string>
#include <vector>

#include "sqlmeasure/optimizer_statistics.h"

namespace sqlmeasure {

struct TableImport {
  std::string table;
  bool imported = false;
  std::string skipped_because;  // "no such table here", "its definition differs: ..."
};

struct StatisticsImportResult {
  std::string source;  // the file, and where it was exported from
  std::vector<TableImport> tables;
  std::vector<std::string>
      settings_differ;             // "eq_range_index_dive_limit: 200 here, 10 in the file"
  std::vector<std::string> notes;  // what the import could not carry, and why
  StatisticsFile production;       // the file
  StatisticsFile own;              // the copy's own statistics of the imported tables, before
  StatisticsFile now;              // what the optimizer believes of them afterwards
  std::string record_path;         // where the copy's own are kept until the undo
  [[nodiscard]] std::size_t imported() const {
    std::size_t count = 0;
    for (const TableImport& table : tables) count += table.imported ? 1 : 0;
    return count;
  }
};

// What an import could not do, one line each: the tables it skipped and why, the settings that
// move plans and differ from production's, what it could not carry. What --stats warns of.
[[nodiscard]] std::vector<std::string> import_warnings(const StatisticsImportResult& result);

// What an undo put back: per table, what still differs from the copy's own statistics (empty
// when restored exactly).
struct StatisticsUndoResult {
  std::string record_path;
  std::string source;
  std::vector<std::string> restored;     // tables
  std::vector<std::string> differences;  // "works: innodb_index_stats differs", ...
  std::vector<std::string> notes;
};

}  // namespace sqlmeasure
