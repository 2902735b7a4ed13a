#pragma once
// Writing a table's statistics into a server: the rows of its statistics tables replaced by
// a file's (or a backup's), and read again by the optimizer. The statements a `stats import`
// and its undo run; what decides whether they may run is the caller's (src/live/).
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/optimizer_statistics.h"

namespace sqlmeasure {

// Whose statistics are written: another server's (an import, marked so on the server), or
// the copy's own put back (unmarked).
enum class StatisticsOrigin { kImported, kOwn };

// Ends the stat_description of each InnoDB index-statistics row an import writes (a column
// nothing reads but people): the server itself then tells which tables hold imported
// statistics, whichever machine imported them and wherever its journal is. ANALYZE TABLE
// rewrites the rows, and so drops it.
inline constexpr std::string_view kImportedMarker = " (sqlmeasure stats import)";

// Replaces the rows of `database`.`table` in every statistics table the server has (`tables`)
// with `statistics`'s — none where it holds none — and MySQL 8's histograms. Literal values
// only: a statement that writes the statistics tables may not read another table. Returns the
// statements it ran, in order.
std::vector<std::string> write_table_statistics(Connection& connection, const std::string& database,
                                                const std::string& table,
                                                const TableStatistics& statistics,
                                                const std::set<StatisticsTable>& tables,
                                                StatisticsOrigin origin);

// The tables of `database` whose InnoDB statistics carry kImportedMarker, sorted.
[[nodiscard]] std::vector<std::string> tables_with_imported_statistics(Connection& connection,
                                                                       const std::string& database);

// `description` without a trailing kImportedMarker.
[[nodiscard]] std::string without_imported_marker(std::string description);

// The table's STATS_AUTO_RECALC option set to `value` ("0", "1", or "" for DEFAULT). On
// InnoDB this recomputes the persistent statistics: set it before writing them.
void set_auto_recalc(Connection& connection, const std::string& database, const std::string& table,
                     const std::string& value);

// Makes the optimizer read the table's statistics again: FLUSH TABLES re-reads the
// engine-independent ones; InnoDB's persistent statistics are re-read by MySQL at FLUSH
// TABLE, by MariaDB only when the table is opened anew (a RENAME TABLE to a temporary name
// and back, one atomic statement). docs/statistics.md.
void reload_table_statistics(Connection& connection, const std::string& database,
                             const std::string& table);

}  // namespace sqlmeasure
