// `stats import` and its undo: the copy's own statistics recorded, production's written onto
// the tables whose definition matches, and the optimizer made to read them.
#include "sqlmeasure/statistics_import.h"

#include <fmt/format.h>
#include <unistd.h>

#include "change_guards.h"
#include "event_log.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/journal.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/statistics_export.h"
#include "sqlmeasure/statistics_record.h"
#include "sqlmeasure/statistics_writer.h"
#include "sqlmeasure/text.h"
#include "sqlmeasure/timestamp.h"

namespace sqlmeasure {
namespace {

std::string database_of(Connection& admin) {
  const std::string& database = admin.server().database;
  if (database.empty()) {
    fail(ExitCode::kUsage,
         "-D/--database is required: the database whose statistics to replace (or set "
         "[connection] database in sqlmeasure.toml)");
  }
  return database;
}

// The binary-log and replica rule of the live compare, for statistics writes; the session in
// UTC so that timestamps are written back as they were read.
void prepare_session(Connection& admin, const StatisticsImportOptions& options, EventLog& events) {
  // UTC, so that timestamps are written back as they were read; strict, so that a value the
  // statistics tables cannot hold is an error, never a silent truncation.
  admin.execute("SET SESSION time_zone = '+00:00'");
  admin.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES'");
  ChangeSafety safety;
  safety.allow_replicated_ddl = options.allow_replicated;
  safety.no_binlog = options.no_binlog;
  safety.activity = "stats import";
  safety.writes = "every statistics row it writes (and puts back)";
  for (const std::string& statement : prepare_change_session(admin, safety, events)) {
    admin.execute(statement);
  }
  // The live compare's lock on the database, for as long as this session lives: no compare
  // measures it while its statistics change, and no second import reads the first's as the
  // copy's own.
  if (!options.within_live_compare) take_live_compare_lock(admin, admin.server().database);
}

void check_interrupted(const StatisticsImportOptions& options) {
  if (options.interrupted != nullptr && options.interrupted->load()) {
    fail(ExitCode::kRuntime, "interrupted");
  }
}

// Writes `statistics`'s tables back as they were: the table option first (setting it makes
// InnoDB recompute its statistics), then the rows, then a reload.
std::vector<std::string> restore(Connection& admin, const std::string& database,
                                 const StatisticsFile& own, EventLog& events) {
  const std::set<StatisticsTable> tables = server_statistics_tables(admin);
  const ResultSet present =
      admin.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                  admin.quote(database));
  std::set<std::string> here;
  for (const auto& row : present.rows) here.insert(ascii_lower(row[0].value_or("")));
  std::vector<std::string> restored;
  std::vector<std::string> present_names;
  for (const TableStatistics& table : own.tables) {
    if (here.contains(ascii_lower(table.name))) present_names.push_back(table.name);
  }
  // The tables as they are now: a change kept since may have dropped an index or a column.
  const StatisticsFile now = present_names.empty()
                                 ? StatisticsFile{}
                                 : export_statistics(admin, database, {present_names, false, true});
  std::vector<std::string> failed;
  for (const TableStatistics& table : own.tables) {
    if (!here.contains(ascii_lower(table.name))) {
      events.warn(fmt::format("{} is gone: nothing to put back", table.name));
      continue;
    }
    // Each table on its own: one that cannot be put back (a lock held elsewhere) does not
    // leave the others with production's statistics.
    try {
      set_auto_recalc(admin, database, table.name, table.auto_recalc);
      (void)write_table_statistics(admin, database, table.name,
                                   restricted_to_definition(table, *now.table(table.name)), tables,
                                   StatisticsOrigin::kOwn);
      reload_table_statistics(admin, database, table.name);
      restored.push_back(table.name);
    } catch (const DatabaseError& error) {
      if (error.connection_lost()) throw;
      events.warn(fmt::format("{}: its own statistics could not be put back: {}", table.name,
                              error.what()));
      failed.push_back(table.name);
    }
  }
  if (!failed.empty()) {
    fail(ExitCode::kRuntime,
         fmt::format("the copy's own statistics of {} could not be put back (the others were); "
                     "the record stays open: run `sqlmeasure stats import --undo` again",
                     join(failed)));
  }
  return restored;
}

// "works: innodb_index_stats" for each statistics table whose rows are not the recorded ones.
std::vector<std::string> differences(const StatisticsFile& recorded, const StatisticsFile& now) {
  std::vector<std::string> out;
  for (const TableStatistics& table : recorded.tables) {
    const TableStatistics* found = now.table(table.name);
    if (found == nullptr) continue;
    // Compared on the indexes and columns both have: a kept change may have dropped or added
    // one since, whose statistics are the DDL's.
    const TableStatistics recorded_part = restricted_to_definition(table, *found);
    const TableStatistics current_part = restricted_to_definition(*found, table);
    const TableStatistics* current = &current_part;
    for (StatisticsTable which : kStatisticsTables) {
      const auto a = recorded_part.stored.find(which), b = current->stored.find(which);
      const bool same =
          (a == recorded_part.stored.end() ? b == current->stored.end() || b->second.empty()
           : b == current->stored.end()    ? a->second.empty()
                                           : a->second == b->second);
      if (!same)
        out.push_back(
            fmt::format("{}: mysql.{} differs", table.name, statistics_table_name(which)));
    }
    if (table.auto_recalc != current->auto_recalc) {
      out.push_back(fmt::format("{}: STATS_AUTO_RECALC is {}, was {}", table.name,
                                current->auto_recalc.empty() ? "DEFAULT" : current->auto_recalc,
                                table.auto_recalc.empty() ? "DEFAULT" : table.auto_recalc));
    }
  }
  return out;
}

StatisticsUndoResult undo_recorded(Connection& admin, const std::string& database,
                                   const std::string& record_path, StatisticsRecord& record,
                                   EventLog& events);

StatisticsFile only(const StatisticsFile& all, const std::vector<std::string>& names) {
  StatisticsFile out = all;
  out.tables.clear();
  for (const std::string& name : names) {
    if (const TableStatistics* table = all.table(name)) out.tables.push_back(*table);
  }
  return out;
}

std::vector<std::string> setting_differences(const StatisticsFile& file,
                                             const StatisticsFile& here) {
  std::vector<std::string> out;
  for (const auto& [name, value] : file.settings) {
    // The import's own session runs strict; the measuring sessions keep the server's.
    if (name == "sql_mode") continue;
    const auto mine = here.settings.find(name);
    if (mine == here.settings.end() || mine->second == value) continue;
    out.push_back(fmt::format("{}: {} here, {} in the file", name, mine->second, value));
  }
  return out;
}

}  // namespace

StatisticsImportResult import_statistics(Connection& admin, const StatisticsFile& file,
                                         const std::string& source,
                                         const StatisticsImportOptions& options) {
  StatisticsImportResult result;
  std::vector<std::string> said;
  EventLog events(said, options.on_event);
  const std::string database = database_of(admin);
  if (!options.within_live_compare) refuse_if_unrecovered(admin, database);
  const ServerIdentity server = read_server_identity(admin);
  const std::string record_path = statistics_record_path(server, database);
  if (const auto earlier = read_statistics_record(record_path); earlier && earlier->open) {
    fail(ExitCode::kRuntime,
         fmt::format("statistics imported from {} ({}) are still in place on database {}: put "
                     "the copy's own back first with `sqlmeasure stats import --undo` (record: "
                     "{})",
                     earlier->source, earlier->created_at, database, record_path));
  }
  // No record here, yet the server says an import is in place: another machine's (or this
  // one's, its journal directory lost). Taking those for the copy's own would make them stick.
  if (const std::vector<std::string> marked = tables_with_imported_statistics(admin, database);
      !marked.empty()) {
    std::vector<std::string> quoted;
    for (const std::string& table : marked) quoted.push_back(quote_identifier(table));
    fail(ExitCode::kRuntime,
         fmt::format("the InnoDB statistics of {} in database {} were imported by sqlmeasure, "
                     "and no record of that import is in {}: it was made from another machine "
                     "or with another SQLMEASURE_JOURNAL_DIR. Put them back there (`sqlmeasure "
                     "stats import --undo`), or recompute the copy's own: ANALYZE TABLE {} (and "
                     "ALTER TABLE … STATS_AUTO_RECALC = DEFAULT where it was 0)",
                     join(marked, ", "), database, journal_directory(), join(quoted, ", ")));
  }
  prepare_session(admin, options, events);
  result.source = source;
  result.production = file;
  const StatisticsFile here = export_statistics(admin, database, {});
  result.settings_differ = setting_differences(file, here);

  std::vector<std::string> chosen;
  for (const TableStatistics& table : file.tables) {
    TableImport outcome{table.name, false, ""};
    const TableStatistics* mine = here.table(table.name);
    if (mine == nullptr) {
      outcome.skipped_because = fmt::format("no table {} in database {}", table.name, database);
    } else if (const auto differ = definition_differences(*mine, table); !differ.empty()) {
      outcome.skipped_because = "its definition differs: " + join(differ, "; ");
    } else if (mine->partitioned) {
      outcome.skipped_because =
          "it is partitioned: InnoDB keeps its statistics per partition, which stats import does "
          "not carry yet";
    } else {
      outcome.imported = true;
      chosen.push_back(mine->name);
    }
    result.tables.push_back(std::move(outcome));
  }
  if (chosen.empty()) {
    fail(ExitCode::kBadInput,
         fmt::format("{}: no table of the file matches one of database {} ({}); nothing was "
                     "changed",
                     source, database,
                     result.tables.empty() ? "the file holds no table"
                                           : result.tables.front().table + ": " +
                                                 result.tables.front().skipped_because));
  }
  const std::set<StatisticsTable> server_tables = server_statistics_tables(admin);
  if (!server_tables.contains(StatisticsTable::kTable)) {
    std::size_t carried = 0;
    for (const TableStatistics& table : file.tables) {
      carried += table.stored.contains(StatisticsTable::kColumn) ||
                 table.stored.contains(StatisticsTable::kTable);
    }
    if (carried > 0) {
      result.notes.push_back(fmt::format(
          "the engine-independent statistics of {} table{} are not imported: {} has none", carried,
          carried == 1 ? "" : "s", flavor_name(admin.server().flavor)));
    }
  }
  const ServerInfo& target = admin.server();
  if (target.flavor != Flavor::kMariaDB && target.major == 8 && target.minor == 0 &&
      target.patch < 31) {
    std::size_t histograms = 0;
    for (const TableStatistics& table : file.tables) histograms += table.histograms.size();
    if (histograms > 0) {
      result.notes.push_back(fmt::format(
          "{} histogram{} not imported: MySQL loads them from 8.0.31 on (ANALYZE TABLE … UPDATE "
          "HISTOGRAM … USING DATA), this is {}",
          histograms, histograms == 1 ? " is" : "s are", target.version));
    }
  }
  if (admin.server().flavor == Flavor::kMariaDB) {
    std::size_t histograms = 0;
    for (const TableStatistics& table : file.tables) histograms += table.histograms.size();
    if (histograms > 0) {
      result.notes.push_back(fmt::format(
          "{} MySQL histogram{} not imported: MariaDB keeps its own in mysql.column_stats",
          histograms, histograms == 1 ? " is" : "s are"));
    }
  }

  // The record first: from here on, whatever happens, the next run can put the copy's own back.
  StatisticsRecord record;
  record.created_at = utc_now(TimestampFormat::kIso8601);
  record.pid = static_cast<int>(::getpid());
  record.machine = this_machine();
  record.process_start = process_start_time(record.pid);
  record.server = server;
  record.endpoint = admin.server().endpoint;
  record.database = database;
  record.source = source;
  record.own = only(here, chosen);
  write_statistics_record(record, record_path);
  result.own = record.own;
  result.record_path = record_path;
  events.detail(fmt::format("the copy's own statistics of {} table{} are kept in {}", chosen.size(),
                            chosen.size() == 1 ? "" : "s", record_path));

  std::vector<std::string> touched;  // the tables something was done to, to put back
  try {
    for (const std::string& name : chosen) {
      check_interrupted(options);
      const TableStatistics& mine = *here.table(name);
      touched.push_back(name);
      if (mine.auto_recalc != "0") set_auto_recalc(admin, database, name, "0");
      (void)write_table_statistics(admin, database, name, *file.table(name), server_tables,
                                   StatisticsOrigin::kImported);
      reload_table_statistics(admin, database, name);
    }
  } catch (const Error& failure) {
    events.warn(fmt::format("the import failed ({}); putting the copy's own statistics back",
                            failure.what()));
    try {
      (void)restore(admin, database, only(record.own, touched), events);
      record.open = false;
      record.closed_because = "the import failed; the copy's own statistics were put back";
      write_statistics_record(record, record_path);
    } catch (const Error& undo_failure) {
      fail(ExitCode::kRuntime,
           fmt::format("the import failed ({}) and putting the copy's own statistics back failed "
                       "too ({}): run `sqlmeasure stats import --undo` (record: {})",
                       failure.what(), undo_failure.what(), record_path));
    }
    fail(ExitCode::kRuntime, fmt::format("stats import: {}; the copy's own statistics were put "
                                         "back",
                                         failure.what()));
  }
  result.now = export_statistics(admin, database, {chosen, true, true});
  return result;
}

std::optional<StatisticsUndoResult> undo_statistics_import(Connection& admin,
                                                           const StatisticsImportOptions& options) {
  std::vector<std::string> said;
  EventLog events(said, options.on_event);
  const std::string database = database_of(admin);
  const std::string record_path = statistics_record_path(read_server_identity(admin), database);
  std::optional<StatisticsRecord> record = read_statistics_record(record_path);
  if (!record || !record->open) return std::nullopt;
  if (record->pid != static_cast<int>(::getpid())) {
    Journal writer;  // writer_running() reads only who wrote it
    writer.pid = record->pid;
    writer.machine = record->machine;
    writer.process_start = record->process_start;
    if (writer_running(writer)) {
      fail(ExitCode::kRuntime,
           fmt::format("a run (pid {}) that imported these statistics is still running: it puts "
                       "the copy's own back itself when it ends. Nothing was done",
                       record->pid));
    }
  }
  prepare_session(admin, options, events);
  return undo_recorded(admin, database, record_path, *record, events);
}

StatisticsInPlace::StatisticsInPlace(std::unique_ptr<Connection> admin, StatisticsFile file,
                                     std::string source, StatisticsImportOptions options)
    : admin_(std::move(admin)), file_(std::move(file)), options_(std::move(options)) {
  imported_ = import_statistics(*admin_, file_, source, options_);
}

StatisticsInPlace::~StatisticsInPlace() {
  if (restored_) return;
  try {
    (void)restore();
  } catch (const std::exception& error) {
    if (options_.on_event) {
      options_.on_event(fmt::format(
          "the copy's own statistics could not be put back ({}): run `sqlmeasure stats import "
          "--undo` (record: {})",
          error.what(), imported_.record_path));
    }
  }
}

void StatisticsInPlace::reapply(const std::vector<std::string>& tables,
                                std::vector<std::string>& said) {
  const std::string database = admin_->server().database;
  const std::set<StatisticsTable> server_tables = server_statistics_tables(*admin_);
  for (const std::string& name : tables) {
    const TableImport* covered = nullptr;
    for (const TableImport& table : imported_.tables) {
      if (table.imported && iequals(table.table, name)) covered = &table;
    }
    if (covered == nullptr) continue;
    const TableStatistics& production = *file_.table(covered->table);
    const StatisticsFile now =
        export_statistics(*admin_, database, {{covered->table}, false, true});
    const TableStatistics& copy = now.tables.front();
    TableStatistics written = restricted_to_definition(production, copy);
    // An index the file does not know (the migration adds it): statistics derived from
    // production's, so that it is not judged on the copy's counts against production's size.
    for (const DefinedIndex& index : copy.indexes) {
      const bool known =
          std::any_of(production.indexes.begin(), production.indexes.end(),
                      [&](const DefinedIndex& other) { return iequals(other.name, index.name); });
      if (known) continue;
      std::string sources;
      const std::vector<StatisticsRow> rows =
          derived_index_statistics(production, copy, index.name, sources);
      if (rows.empty()) continue;
      written.indexes.push_back(index);
      auto& stored = written.stored[StatisticsTable::kInnodbIndex];
      stored.insert(stored.end(), rows.begin(), rows.end());
      said.push_back(
          fmt::format("index {}.{} ({}) is not in the statistics file: derived from "
                      "production's: {}",
                      covered->table, index.name, join(index.columns, ", "), sources));
    }
    (void)write_table_statistics(*admin_, database, covered->table, written, server_tables,
                                 StatisticsOrigin::kImported);
    reload_table_statistics(*admin_, database, covered->table);
  }
}

StatisticsUndoResult StatisticsInPlace::restore() {
  restored_ = true;
  std::vector<std::string> said;
  EventLog events(said, options_.on_event);
  const std::string database = admin_->server().database;
  std::optional<StatisticsRecord> record = read_statistics_record(imported_.record_path);
  if (!record || !record->open) return {};
  return undo_recorded(*admin_, database, imported_.record_path, *record, events);
}

namespace {

StatisticsUndoResult undo_recorded(Connection& admin, const std::string& database,
                                   const std::string& record_path, StatisticsRecord& record,
                                   EventLog& events) {
  StatisticsUndoResult result;
  result.record_path = record_path;
  result.source = record.source;
  result.restored = restore(admin, database, record.own, events);
  const StatisticsFile now = export_statistics(admin, database, {result.restored, true, true});
  result.differences = differences(only(record.own, result.restored), now);
  for (const TableStatistics& table : now.tables) {
    const TableStatistics* before = record.own.table(table.name);
    if (before == nullptr || before->rows == table.rows) continue;
    // InnoDB counts the rows inserted and deleted since its statistics were stored, in memory
    // only; reading the stored ones again (the reload) forgets that count.
    result.notes.push_back(fmt::format(
        "{}: the optimizer believes {} rows now (its stored statistics), {} before the import: "
        "it had counted rows changed since they were stored, in memory only. ANALYZE TABLE {} "
        "stores fresh ones",
        table.name, table.rows, before->rows, quote_identifier(table.name)));
  }
  record.open = false;
  record.closed_because = result.differences.empty()
                              ? "undone: the copy's own statistics are back"
                              : "undone; what still differs: " + join(result.differences, "; ");
  write_statistics_record(record, record_path);
  return result;
}

}  // namespace

}  // namespace sqlmeasure
