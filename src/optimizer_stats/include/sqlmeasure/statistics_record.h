#pragma once
// The record of a statistics import: written before the first statistic is replaced, it
// holds the copy's own statistics of every table the import replaces, so that `stats import
// --undo` — or `recover`, after a run killed outright — puts them back exactly. It stays open
// for as long as the imported statistics are meant to stay (a CI job's whole run), in the
// journal directory beside the live compare's journals (sqlmeasure/journal.h).
#include <optional>
#include <string>
#include <vector>

#include "sqlmeasure/journal.h"
#include "sqlmeasure/optimizer_statistics.h"

namespace sqlmeasure {

inline constexpr int kStatisticsRecordVersion = 1;

struct StatisticsRecord {
  bool open = true;  // false once the copy's own statistics are back
  std::string closed_because;
  std::string created_at;  // ISO 8601 UTC
  int pid = 0;
  std::string machine, process_start;  // the writer (journal.h's writer_running)
  ServerIdentity server;
  std::string endpoint;  // as it was reached; never credentials
  std::string database;
  std::string source;  // the file imported, and where it was exported from
  // The copy's own statistics of the tables the import replaces (their STATS_AUTO_RECALC
  // option too), as they were before it.
  StatisticsFile own;
};

// This server and database's record: DB-HASH.statistics.json in journal_directory().
[[nodiscard]] std::string statistics_record_path(const ServerIdentity& server,
                                                 const std::string& database);
// Written atomically; Error(kRuntime) naming the path when it cannot be.
void write_statistics_record(const StatisticsRecord& record, const std::string& path);
// nullopt when there is no such file; Error(kRuntime) naming it when it is damaged or of a
// version this sqlmeasure does not read.
[[nodiscard]] std::optional<StatisticsRecord> read_statistics_record(const std::string& path);
// The open records of this machine, for any server and database: path and record.
[[nodiscard]] std::vector<std::pair<std::string, StatisticsRecord>> open_statistics_records();

}  // namespace sqlmeasure
