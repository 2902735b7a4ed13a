#include "support/recording.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace sqlmeasure::testing {
namespace {

using nlohmann::json;
using ordered = nlohmann::ordered_json;  // written in a reading order: call, sql, answer

constexpr RecordedCall::Kind kKinds[] = {RecordedCall::Kind::kTimed, RecordedCall::Kind::kQuery,
                                         RecordedCall::Kind::kExecute};
constexpr Flavor kFlavors[] = {Flavor::kUnknown, Flavor::kMariaDB, Flavor::kMySQL, Flavor::kAurora};

ordered server_to_json(const ServerInfo& server) {
  return {{"flavor", flavor_name(server.flavor)},
          {"version", server.version},
          {"major", server.major},
          {"minor", server.minor},
          {"patch", server.patch},
          {"endpoint", server.endpoint},
          {"database", server.database}};
}

ordered result_to_json(const ResultSet& result) {
  ordered rows = ordered::array();
  for (const auto& row : result.rows) {
    ordered cells = ordered::array();
    for (const auto& cell : row) cells.push_back(cell ? ordered(*cell) : ordered(nullptr));
    rows.push_back(std::move(cells));
  }
  ordered out = {
      {"columns", result.columns}, {"numeric", result.numeric}, {"rows", std::move(rows)}};
  if (result.warnings > 0) out["warnings"] = result.warnings;  // older recordings have none
  return out;
}

ordered call_to_json(const RecordedCall& call) {
  ordered out = {{"call", call_kind_name(call.kind)}, {"sql", call.sql}};
  if (call.error) {
    out["error"] = {{"errno", call.error->error_number},
                    {"sqlstate", call.error->sqlstate},
                    {"message", call.error->message},
                    {"lost", call.error->connection_lost},
                    {"timed_out", call.error->timed_out}};
  } else if (call.kind == RecordedCall::Kind::kTimed) {
    out["elapsed_ns"] = call.execution.elapsed_ns;
    out["rows_sent"] = call.execution.rows_sent;
    out["checksum"] = call.execution.checksum;
    if (call.execution.warnings > 0) out["warnings"] = call.execution.warnings;
  } else if (call.kind == RecordedCall::Kind::kQuery) {
    out["result"] = result_to_json(call.result);
  }
  return out;
}

ServerInfo server_from_json(const json& in) {
  ServerInfo server;
  const std::string flavor = in.at("flavor").get<std::string>();
  for (Flavor candidate : kFlavors) {
    if (flavor == flavor_name(candidate)) server.flavor = candidate;
  }
  server.version = in.at("version").get<std::string>();
  server.major = in.at("major").get<int>();
  server.minor = in.at("minor").get<int>();
  server.patch = in.at("patch").get<int>();
  server.endpoint = in.at("endpoint").get<std::string>();
  server.database = in.at("database").get<std::string>();
  return server;
}

ResultSet result_from_json(const json& in) {
  ResultSet result;
  result.columns = in.at("columns").get<std::vector<std::string>>();
  result.numeric = in.at("numeric").get<std::vector<bool>>();
  for (const json& row : in.at("rows")) {
    std::vector<std::optional<std::string>> cells;
    for (const json& cell : row) {
      cells.push_back(cell.is_null() ? std::nullopt
                                     : std::optional<std::string>(cell.get<std::string>()));
    }
    result.rows.push_back(std::move(cells));
  }
  result.warnings = in.value("warnings", 0U);
  return result;
}

RecordedCall call_from_json(const json& in) {
  RecordedCall call;
  const std::string kind = in.at("call").get<std::string>();
  bool known = false;
  for (RecordedCall::Kind candidate : kKinds) {
    if (kind == call_kind_name(candidate)) {
      call.kind = candidate;
      known = true;
    }
  }
  if (!known) throw std::runtime_error("unknown call '" + kind + "'");
  call.sql = in.at("sql").get<std::string>();
  if (in.contains("error")) {
    const json& error = in.at("error");
    call.error =
        RecordedError{error.at("errno").get<unsigned>(), error.at("sqlstate").get<std::string>(),
                      error.at("message").get<std::string>(), error.at("lost").get<bool>(),
                      error.at("timed_out").get<bool>()};
  } else if (call.kind == RecordedCall::Kind::kTimed) {
    call.execution.elapsed_ns = in.at("elapsed_ns").get<std::int64_t>();
    call.execution.rows_sent = in.at("rows_sent").get<std::uint64_t>();
    call.execution.checksum = in.at("checksum").get<std::uint64_t>();
    call.execution.warnings = in.value("warnings", 0U);
  } else if (call.kind == RecordedCall::Kind::kQuery) {
    call.result = result_from_json(in.at("result"));
  }
  return call;
}

}  // namespace

const char* call_kind_name(RecordedCall::Kind kind) {
  switch (kind) {
    case RecordedCall::Kind::kTimed:
      return "execute_timed";
    case RecordedCall::Kind::kQuery:
      return "query";
    case RecordedCall::Kind::kExecute:
      return "execute";
  }
  return "?";
}

std::string recording_to_json(const Recording& recording) {
  // One server and one call per line: a recording made again shows in a diff as the calls
  // whose answers changed.
  std::string out = "{\n \"servers\": [";
  const char* separator = "\n  ";
  for (const ServerInfo& server : recording.servers) {
    out += separator + server_to_json(server).dump();
    separator = ",\n  ";
  }
  out += "\n ],\n \"calls\": [";
  separator = "\n  ";
  for (const RecordedCall& call : recording.calls) {
    out += separator + call_to_json(call).dump();
    separator = ",\n  ";
  }
  return out + "\n ]\n}\n";
}

Recording recording_from_json(const std::string& text, const std::string& origin) {
  try {
    const json document = json::parse(text);
    Recording recording;
    for (const json& server : document.at("servers")) {
      recording.servers.push_back(server_from_json(server));
    }
    for (const json& call : document.at("calls")) recording.calls.push_back(call_from_json(call));
    return recording;
  } catch (const std::exception& error) {
    throw std::runtime_error(origin + ": not a recording: " + error.what());
  }
}

}  // namespace sqlmeasure::testing
