#pragma once
// Writing a table's statistics into a server: the rows of its statistics tables replaced by
// a file's (or a backup's), and read again by the optimizer. The statements a `stats import`
// and its undo run; what decides whether they may run is the caller's (src/live/).
#include <set>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/optimizer_statistics.h"

namespace sqlmeasure {

// Replaces the rows of `database`.`table` in every statistics table the server has (`tables`)
// with `statistics`'s — none where it holds none — and MySQL 8's histograms. Literal values
// only: a statement that writes the statistics tables may not read another table. `on_step`
// hears one line per statement kind. Returns the statements it ran, in order.
std::vector<std::string> write_table_statistics(Connection& connection, const std::string& database,
                                                const std::string& table,
                                                const TableStatistics& statistics,
                                                const std::set<StatisticsTable>& tables);

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
