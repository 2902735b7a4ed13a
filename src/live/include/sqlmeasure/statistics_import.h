#pragma once
// `stats import`: production's optimizer statistics written into the CI copy's statistics
// tables, only onto tables of the same definition, under the live compare's rules (no binary
// log or replica unless told; no other live compare's change left on the server), with the
// copy's own statistics recorded first (statistics_record.h) and put back by the undo — or at
// once, when the import fails or is interrupted. docs/statistics.md.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/optimizer_statistics.h"
#include "sqlmeasure/statistics_import_result.h"

namespace sqlmeasure {

struct StatisticsImportOptions {
  bool allow_replicated = false;  // --allow-replicated-ddl: let the writes replicate, knowingly
  bool no_binlog = false;         // --no-binlog: SET SESSION sql_log_bin = 0 for them
  // Imported by a live compare, which has checked for unrecovered journals and holds (or is
  // about to take, on its change session) the database's lock: neither is done here.
  bool within_live_compare = false;
  std::function<void(const std::string&)> on_event;
  const std::atomic<bool>* interrupted = nullptr;
};

// Imports `file` into the database `admin` is connected to (read-write). `source` names the
// file in what is printed and recorded. Error(kUsage) for a server it must not write
// (binary log, replicas, Aurora); Error(kRuntime) when statistics imported earlier are still in
// place, or when it fails (the copy's own put back first); Error(kBadInput) when no table of
// the file matches a table here.
[[nodiscard]] StatisticsImportResult import_statistics(Connection& admin,
                                                       const StatisticsFile& file,
                                                       const std::string& source,
                                                       const StatisticsImportOptions& options);

// Production's statistics in place on the copy for as long as it lives (`--stats FILE` on
// run, explain and compare): imported when made, written again for the tables a DDL
// recomputed them for (reapply), and the copy's own put back by restore() — or, on any other
// exit path (an error, an interruption), by the destructor. A run killed outright leaves the
// record, which `stats import --undo` and `recover` read.
class StatisticsInPlace {
 public:
  StatisticsInPlace(std::unique_ptr<Connection> admin, StatisticsFile file, std::string source,
                    StatisticsImportOptions options);
  ~StatisticsInPlace();
  StatisticsInPlace(const StatisticsInPlace&) = delete;
  StatisticsInPlace& operator=(const StatisticsInPlace&) = delete;

  [[nodiscard]] const StatisticsImportResult& imported() const { return imported_; }
  // Production's statistics written again for `tables` (lower-case or not) that the import
  // covers: a migration applied or undone recomputed theirs. An index the file does not know
  // (one the migration adds) keeps the statistics the DDL computed, and is named in `said`.
  void reapply(const std::vector<std::string>& tables, std::vector<std::string>& said);
  // The copy's own statistics back; what still differs is in the result.
  StatisticsUndoResult restore();

 private:
  std::unique_ptr<Connection> admin_;
  StatisticsFile file_;
  StatisticsImportOptions options_;
  StatisticsImportResult imported_;
  bool restored_ = false;
};

// Puts back the copy's own statistics recorded by the last import on this server and
// database, checks them and closes the record. nullopt when no import is in place.
[[nodiscard]] std::optional<StatisticsUndoResult> undo_statistics_import(
    Connection& admin, const StatisticsImportOptions& options);

}  // namespace sqlmeasure
