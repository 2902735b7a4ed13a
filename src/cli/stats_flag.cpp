#include "stats_flag.h"

#include <fmt/format.h>

#include "sqlmeasure/error.h"
#include "sqlmeasure/statistics_file.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {

void StatsFlag::add_to(CLI::App& app, const std::string& group) {
  CLI::Option* option =
      app.add_option("--stats", path_,
                     "Production's optimizer statistics (a file `sqlmeasure stats export` wrote) "
                     "in place while measuring; the copy's own are put back at the end")
          ->type_name("FILE");
  if (!group.empty()) option->group(group);
}

void StatsFlag::read() {
  if (path_) file_ = read_statistics_file(*path_);
}

void StatsFlag::apply_to(LiveCompareOptions& options) {
  read();
  options.statistics = file_;
  options.statistics_source = source();
}

std::string StatsFlag::source() const {
  if (!file_) return "";
  return statistics_source(*path_, *file_);
}

std::unique_ptr<StatisticsInPlace> StatsFlag::put_in_place(const Context& context,
                                                           ConnectionOptions connection,
                                                           const Connector& connect) const {
  if (!file_) return nullptr;
  connection.read_only = false;  // it writes the server's statistics tables
  StatisticsImportOptions options;
  options.interrupted = context.interrupt_flag();
  options.on_event = [&context](const std::string& event) { context.note(event); };
  std::unique_ptr<StatisticsInPlace> statistics;
  try {
    statistics =
        std::make_unique<StatisticsInPlace>(connect(connection), *file_, source(), options);
  } catch (const Error& error) {
    if (error.code() != ExitCode::kUsage) throw;
    fail(ExitCode::kUsage,
         fmt::format("--stats: {} (with --stats this command takes neither flag: import with "
                     "`sqlmeasure stats import FILE --no-binlog` first, and leave --stats out)",
                     error.what()));
  }
  const StatisticsImportResult& result = statistics->imported();
  context.err() << fmt::format(
      "statistics: production's of {} of {} table{} in place (from {}); the copy's own are put "
      "back at the end\n",
      result.imported(), result.tables.size(), result.tables.size() == 1 ? "" : "s", *path_);
  for (const std::string& warning : import_warnings(result)) context.warn("--stats: " + warning);
  return statistics;
}

void StatsFlag::restore(StatisticsInPlace& statistics, const Context& context) {
  const StatisticsUndoResult undone = statistics.restore();
  if (undone.differences.empty()) {
    context.err() << fmt::format("statistics: the copy's own of {} table{} are back\n",
                                 undone.restored.size(), undone.restored.size() == 1 ? "" : "s");
  } else {
    fail(ExitCode::kRuntime, fmt::format("the copy's own statistics could not all be put back: {}",
                                         join(undone.differences, "; ")));
  }
  for (const std::string& note : undone.notes) context.warn(note);
}

}  // namespace sqlmeasure
