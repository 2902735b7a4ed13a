// The record of a statistics import on disk: versioned JSON, written atomically.
#include "sqlmeasure/statistics_record.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "sqlmeasure/atomic_file.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/hash.h"
#include "sqlmeasure/input_file.h"
#include "sqlmeasure/statistics_file.h"

namespace sqlmeasure {
namespace {

using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

constexpr const char* kFormatKey = "sqlmeasure_statistics_record";
constexpr const char* kSuffix = ".statistics.json";

}  // namespace

std::string statistics_record_path(const ServerIdentity& server, const std::string& database) {
  // journal_path()'s name, with another suffix: one record per server and database, apart
  // from the live compare's journal of the same (which may be open at the same time).
  std::string path = journal_path(server, database);
  return path.substr(0, path.size() - std::string(".json").size()) + kSuffix;
}

void write_statistics_record(const StatisticsRecord& record, const std::string& path) {
  const json document = {{kFormatKey, kStatisticsRecordVersion},
                         {"open", record.open},
                         {"closed_because", record.closed_because},
                         {"created_at", record.created_at},
                         {"pid", record.pid},
                         {"machine", record.machine},
                         {"process_start", record.process_start},
                         {"server",
                          {{"hostname", record.server.hostname},
                           {"port", record.server.port},
                           {"datadir", record.server.datadir},
                           {"server_id", record.server.server_id}}},
                         {"endpoint", record.endpoint},
                         {"database", record.database},
                         {"source", record.source},
                         {"own_statistics", json::parse(statistics_to_text(record.own))}};
  std::error_code error;
  fs::create_directories(fs::path(path).parent_path(), error);
  write_file_atomically(path, document.dump(2) + "\n");
}

std::optional<StatisticsRecord> read_statistics_record(const std::string& path) {
  std::error_code error;
  if (!fs::exists(path, error)) return std::nullopt;
  const std::string text =
      read_input_file(path, "the statistics import record", ExitCode::kBadInput);
  const json document = json::parse(text, nullptr, false);
  if (document.is_discarded()) {
    fail(ExitCode::kRuntime,
         fmt::format("{}: the statistics import record is damaged (not JSON: cut short by a "
                     "crash or a full disk?), and the copy's own statistics it held with it. "
                     "ANALYZE TABLE recomputes a table's; then delete the record",
                     path));
  }
  if (!document.is_object() || !document.contains(kFormatKey)) {
    fail(ExitCode::kRuntime,
         fmt::format("{}: not a statistics import record (no '{}' key)", path, kFormatKey));
  }
  const json& version = document[kFormatKey];
  if (!version.is_number_unsigned() || version.get<std::uint64_t>() < 1 ||
      version.get<std::uint64_t>() > static_cast<std::uint64_t>(kStatisticsRecordVersion)) {
    fail(ExitCode::kRuntime,
         fmt::format("{}: a statistics import record of version {}, which this sqlmeasure does "
                     "not read (it reads {}): undo it with the sqlmeasure that wrote it",
                     path, version.dump(), kStatisticsRecordVersion));
  }
  try {
    StatisticsRecord record;
    record.open = document.at("open").get<bool>();
    record.closed_because = document.at("closed_because").get<std::string>();
    record.created_at = document.at("created_at").get<std::string>();
    record.pid = document.at("pid").get<int>();
    record.machine = document.at("machine").get<std::string>();
    record.process_start = document.at("process_start").get<std::string>();
    const json& server = document.at("server");
    record.server = {server.at("hostname").get<std::string>(), server.at("port").get<std::string>(),
                     server.at("datadir").get<std::string>(),
                     server.at("server_id").get<std::string>()};
    record.endpoint = document.at("endpoint").get<std::string>();
    record.database = document.at("database").get<std::string>();
    record.source = document.at("source").get<std::string>();
    record.own =
        statistics_from_text(document.at("own_statistics").dump(), path + " (own_statistics)");
    return record;
  } catch (const json::exception& bad) {
    fail(ExitCode::kRuntime,
         fmt::format("{}: not a statistics import record ({}); if the import it recorded was "
                     "undone, delete it",
                     path, bad.what()));
  }
}

std::vector<std::pair<std::string, StatisticsRecord>> open_statistics_records() {
  std::vector<std::pair<std::string, StatisticsRecord>> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(journal_directory(), error)) {
    const std::string path = entry.path().string();
    if (!path.ends_with(kSuffix)) continue;
    try {
      if (auto record = read_statistics_record(path); record && record->open) {
        found.emplace_back(path, std::move(*record));
      }
    } catch (const Error&) {
      // Damaged: its own server's import or undo says so; the others are still listed.
    }
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return found;
}

}  // namespace sqlmeasure
