// The journal on disk: versioned JSON, written atomically (docs/safety.md §3).
#include <fmt/format.h>

#include <cstdint>
#include <nlohmann/json.hpp>

#include "sqlmeasure/atomic_file.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/hash.h"
#include "sqlmeasure/input_file.h"
#include "sqlmeasure/journal.h"

namespace sqlmeasure {
namespace {

using nlohmann::json;

// Thrown by the readers below for a value of the wrong kind; read_journal says "not a journal".
struct NotAJournal {};

// An integer that fits an int: a float or a huge number is no line, column or pid.
int small_integer(const json& value) {
  if (value.is_number_unsigned()) {
    const auto number = value.get<std::uint64_t>();
    if (number > INT32_MAX) throw NotAJournal{};
    return static_cast<int>(number);
  }
  if (!value.is_number_integer()) throw NotAJournal{};
  const auto number = value.get<std::int64_t>();
  if (number < INT32_MIN || number > INT32_MAX) throw NotAJournal{};
  return static_cast<int>(number);
}

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
                          {item.at("file").get<std::string>(), small_integer(item.at("line")),
                           small_integer(item.at("column"))}});
  }
  return statements;
}

// The digest of a journal's document less its "digest" member: FNV-1a over its compact dump
// (members in name order), mixed. An edit shows; it is no signature.
std::string digest_of(json document) {
  document.erase("digest");
  return fmt::format(
      "{:016x}", mix64(stable_hash(document.dump(-1, ' ', false, json::error_handler_t::replace))));
}

}  // namespace

std::string journal_to_text(const Journal& journal) {
  json document = {{"format", "sqlmeasure-journal"},
                   {"version", kJournalVersion},
                   {"open", journal.open},
                   {"closed_because", journal.closed_because},
                   {"created_at", journal.created_at},
                   {"pid", journal.pid},
                   {"machine", journal.machine},
                   {"process_start", journal.process_start},
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
  document["digest"] = digest_of(document);
  return document.dump(1, ' ', false, json::error_handler_t::replace) + "\n";
}

void write_journal(const Journal& journal, const std::string& path) {
  write_file_atomically(path, journal_to_text(journal));
}

Journal read_journal(const std::string& path) {
  return journal_from_text(read_input_file(path, "the journal", ExitCode::kBadInput), path);
}

Journal journal_from_text(const std::string& text, const std::string& path) {
  try {
    const json document = json::parse(text);
    if (!document.is_object() || document.value("format", "") != "sqlmeasure-journal") {
      fail(ExitCode::kBadInput, fmt::format("{}: not a sqlmeasure journal", path));
    }
    const int version = small_integer(document.at("version"));
    if (version != 1 && version != kJournalVersion) {
      fail(ExitCode::kBadInput, fmt::format("{}: journal version {} is not supported (this "
                                            "sqlmeasure reads version {})",
                                            path, document.at("version").dump(), kJournalVersion));
    }
    Journal journal;
    journal.open = document.at("open").get<bool>();
    journal.closed_because = document.at("closed_because").get<std::string>();
    journal.created_at = document.at("created_at").get<std::string>();
    journal.pid = small_integer(document.at("pid"));
    journal.machine = document.at("machine").get<std::string>();
    if (version >= 2) {
      journal.process_start = document.at("process_start").get<std::string>();
      journal.edited = document.value("digest", "") != digest_of(document);
    }
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
  } catch (const NotAJournal&) {
    fail(ExitCode::kBadInput, fmt::format("{}: not a sqlmeasure journal", path));
  }
}

}  // namespace sqlmeasure
