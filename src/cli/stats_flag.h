#pragma once
// --stats FILE on run, explain and compare: production's optimizer statistics (a file `stats
// export` wrote, read before any work) in place on the copy while it is measured, and the
// copy's own put back when it ends, on every exit path (docs/statistics.md).
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "context.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/live_compare.h"
#include "sqlmeasure/optimizer_statistics.h"
#include "sqlmeasure/statistics_import.h"

namespace sqlmeasure {

class StatsFlag {
 public:
  void add_to(CLI::App& app, const std::string& group = "");
  // Reads the file (exit 65 naming it and the JSON path at fault); nothing without the flag.
  void read();
  [[nodiscard]] bool given() const { return path_.has_value(); }
  [[nodiscard]] const std::optional<StatisticsFile>& file() const { return file_; }
  [[nodiscard]] std::string source() const;
  // Imports the file into the database `connection` reaches, over a read-write session of its
  // own, and says so on stderr; nullptr without the flag. The result restores on destruction.
  [[nodiscard]] std::unique_ptr<StatisticsInPlace> put_in_place(const Context& context,
                                                                ConnectionOptions connection,
                                                                const Connector& connect) const;
  // A live compare's: the file read (exit 65 naming it) and handed to the compare.
  void apply_to(LiveCompareOptions& options);
  // The copy's own back now, said on stderr (exit 2 when some could not be put back).
  static void restore(StatisticsInPlace& statistics, const Context& context);

 private:
  std::optional<std::string> path_;
  std::optional<StatisticsFile> file_;
};

}  // namespace sqlmeasure
