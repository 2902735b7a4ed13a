// What an import could not do, in the words every command that imports says it.
#include "sqlmeasure/statistics_import_result.h"

#include <fmt/format.h>

namespace sqlmeasure {

std::vector<std::string> import_warnings(const StatisticsImportResult& result) {
  std::vector<std::string> out;
  for (const TableImport& table : result.tables) {
    if (!table.imported) {
      out.push_back(fmt::format("{} not imported: {}", table.table, table.skipped_because));
    }
  }
  for (const std::string& setting : result.settings_differ) {
    out.push_back("a setting that moves plans differs from production's: " + setting);
  }
  out.insert(out.end(), result.notes.begin(), result.notes.end());
  return out;
}

}  // namespace sqlmeasure
