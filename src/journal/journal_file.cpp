// The journal on disk: versioned JSON, written atomically (docs/safety.md §3).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "sqlmeasure/atomic_file.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/input_file.h"
#include "sqlmeasure/journal.h"

namespace sqlmeasure {
namespace {

using nlohmann::json;

json statements_to_json(const std::vector<SqlStatement>& statements) {
  json list = json::array();
  for (const SqlStatement& statement : statements) {
    list.push_back({{"sql", statement.text},
                    {"file", statement.where.file},
                    {"line", statement.where.line},
                    {"column", statement.where.column}});
  }
  return list;
}

std::vector<SqlStatement> statements_from_json(const json& list) {
  std::vector<SqlStatement> statements;
  for (const json& item : list) {
    statements.push_back({item.at("sql").get<std::string>(),
                          "",
                          {item.at("file").get<std::string>(), item.at("line").get<int>(),
                           item.at("column").get<int>()}});
  }
  return statements;
}

}  // namespace

void write_journal(const Journal& journal, const std::string& path) {
  const json document = {{"format", "sqlmeasure-journal"},
                         {"version", kJournalVersion},
                         {"open", journal.open},
                         {"closed_because", journal.closed_because},
                         {"created_at", journal.created_at},
                         {"pid", journal.pid},
                         {"machine", journal.machine},
                         {"server",
                          {{"hostname", journal.server.hostname},
                           {"port", journal.server.port},
                           {"datadir", journal.server.datadir},
                           {"server_id", journal.server.server_id}}},
                         {"endpoint", journal.endpoint},
                         {"database", journal.database},
                         {"change", journal.change},
                         {"apply", statements_to_json(journal.apply)},
                         {"undo", statements_to_json(journal.undo)},
                         {"snapshot", journal.snapshot},
                         {"out_dir", journal.out_dir}};
  write_file_atomically(path, document.dump(1, ' ', false, json::error_handler_t::replace) + "\n");
}

Journal read_journal(const std::string& path) {
  const std::string text = read_input_file(path, "the journal", ExitCode::kBadInput);
  try {
    const json document = json::parse(text);
    if (!document.is_object() || document.value("format", "") != "sqlmeasure-journal") {
      fail(ExitCode::kBadInput, fmt::format("{}: not a sqlmeasure journal", path));
    }
    if (document.at("version").get<int>() != kJournalVersion) {
      fail(ExitCode::kBadInput, fmt::format("{}: journal version {} is not supported (this "
                                            "sqlmeasure reads version {})",
                                            path, document.at("version").dump(), kJournalVersion));
    }
    Journal journal;
    journal.open = document.at("open").get<bool>();
    journal.closed_because = document.at("closed_because").get<std::string>();
    journal.created_at = document.at("created_at").get<std::string>();
    journal.pid = document.at("pid").get<int>();
    journal.machine = document.at("machine").get<std::string>();
    const json& server = document.at("server");
    journal.server = {server.at("hostname").get<std::string>(),
                      server.at("port").get<std::string>(), server.at("datadir").get<std::string>(),
                      server.at("server_id").get<std::string>()};
    journal.endpoint = document.at("endpoint").get<std::string>();
    journal.database = document.at("database").get<std::string>();
    journal.change = document.at("change").get<std::string>();
    journal.apply = statements_from_json(document.at("apply"));
    journal.undo = statements_from_json(document.at("undo"));
    journal.snapshot = document.at("snapshot").get<std::map<std::string, std::string>>();
    journal.out_dir = document.at("out_dir").get<std::string>();
    return journal;
  } catch (const json::exception&) {
    fail(ExitCode::kBadInput, fmt::format("{}: not a sqlmeasure journal", path));
  }
}

}  // namespace sqlmeasure
