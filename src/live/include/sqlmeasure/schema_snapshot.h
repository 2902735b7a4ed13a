#pragma once
// The schema of a database, as a live compare snapshots it before changing anything and
// compares it after every undo (docs/safety.md §3).
#include <map>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"

namespace sqlmeasure {

// SHOW CREATE TABLE of every table of `database`, by table name, with the index lines
// sorted: a rollback that re-adds an index puts it last, and that order means nothing.
[[nodiscard]] std::map<std::string, std::string> schema_snapshot(Connection& connection,
                                                                 const std::string& database);
// A CREATE TABLE as the snapshot keeps it: index lines sorted, AUTO_INCREMENT=N dropped.
[[nodiscard]] std::string comparable_definition(const std::string& create_table);
// The names of the tables whose definition differs, or that exist on one side only.
[[nodiscard]] std::vector<std::string> differing_tables(
    const std::map<std::string, std::string>& before,
    const std::map<std::string, std::string>& after);
// Tables whose definition differs, or that exist on one side only ("t (dropped)", "u (new)"),
// comma-separated; empty if none.
[[nodiscard]] std::string schema_difference(const std::map<std::string, std::string>& before,
                                            const std::map<std::string, std::string>& after);

}  // namespace sqlmeasure
