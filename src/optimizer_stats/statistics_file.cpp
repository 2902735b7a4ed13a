// The statistics file: JSON written from the model and read back with every field checked.
#include "sqlmeasure/statistics_file.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "sqlmeasure/atomic_file.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/input_file.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

using json = nlohmann::ordered_json;

// The key that says what the file is, with its format version as value.
constexpr const char* kFormatKey = "sqlmeasure_statistics";

// A stored value: text as a string when it is UTF-8 without control bytes (numbers, names,
// JSON histograms), else {"hex": "..."} (binary histograms, a binary column's min and max).
json value_to_json(const std::optional<std::string>& value) {
  if (!value) return nullptr;
  bool plain = is_utf8(*value);
  for (unsigned char c : *value) plain = plain && (c >= 0x20 || c == '\t' || c == '\n');
  if (plain) return *value;
  return json{{"hex", hex_of(*value)}};
}

json table_to_json(const TableStatistics& table) {
  json columns = json::array();
  for (const DefinedColumn& column : table.columns) {
    json entry = {{"name", column.name}, {"type", column.type}, {"nullable", column.nullable}};
    if (!column.collation.empty()) entry["collation"] = column.collation;
    columns.push_back(std::move(entry));
  }
  json indexes = json::array();
  for (const DefinedIndex& index : table.indexes) {
    indexes.push_back({{"name", index.name},
                       {"unique", index.unique},
                       {"columns", index.columns},
                       {"type", index.type}});
  }
  json cardinality = json::object();
  for (const IndexBelief& belief : table.beliefs) {
    json values = json::array();
    for (const auto& value : belief.cardinality)
      values.push_back(value ? json(*value) : json(nullptr));
    cardinality[belief.index] = values;
  }
  json out = {{"name", table.name},
              {"engine", table.engine},
              {"definition",
               {{"fingerprint", table.fingerprint}, {"columns", columns}, {"indexes", indexes}}},
              {"stats_auto_recalc", table.auto_recalc},
              {"partitioned", table.partitioned},
              {"rows", table.rows},
              {"avg_row_length", table.avg_row_length},
              {"data_length", table.data_length},
              {"index_length", table.index_length},
              {"cardinality", cardinality}};
  for (const auto& [which, rows] : table.stored) {
    json list = json::array();
    for (const StatisticsRow& row : rows) {
      json object = json::object();
      for (const auto& [column, value] : row) object[column] = value_to_json(value);
      list.push_back(object);
    }
    out[statistics_table_name(which)] = list;
  }
  if (!table.histograms.empty()) {
    json list = json::array();
    for (const ColumnHistogram& histogram : table.histograms) {
      json parsed = json::parse(histogram.histogram, nullptr, false);
      list.push_back({{"column", histogram.column},
                      {"histogram", parsed.is_discarded() ? json(histogram.histogram) : parsed}});
    }
    out["histograms"] = list;
  }
  return out;
}

// Reading: every field checked, a problem naming the file and the JSON path.
class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void bad(const std::string& path, const std::string& message) const {
    fail(ExitCode::kBadInput, fmt::format("{}: {}: {}", origin_, printable(path), message));
  }

  const json& field(const json& object, const std::string& path, const char* key) const {
    if (!object.is_object()) bad(path, "expected an object");
    const auto it = object.find(key);
    if (it == object.end()) bad(path + "." + key, fmt::format("missing field '{}'", key));
    return *it;
  }
  std::string text(const json& object, const std::string& path, const char* key) const {
    const json& value = field(object, path, key);
    if (!value.is_string()) bad(path + "." + key, "expected a string");
    return value.get<std::string>();
  }
  std::uint64_t count(const json& object, const std::string& path, const char* key) const {
    const json& value = field(object, path, key);
    if (!value.is_number_unsigned()) bad(path + "." + key, "expected a whole number ≥ 0");
    return value.get<std::uint64_t>();
  }
  bool flag(const json& object, const std::string& path, const char* key) const {
    const json& value = field(object, path, key);
    if (!value.is_boolean()) bad(path + "." + key, "expected true or false");
    return value.get<bool>();
  }
  const json& array(const json& object, const std::string& path, const char* key) const {
    const json& value = field(object, path, key);
    if (!value.is_array()) bad(path + "." + key, "expected an array");
    return value;
  }
  std::vector<std::string> texts(const json& object, const std::string& path,
                                 const char* key) const {
    std::vector<std::string> out;
    const json& list = array(object, path, key);
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) bad(fmt::format("{}.{}[{}]", path, key, i), "expected a string");
      out.push_back(list[i].get<std::string>());
    }
    return out;
  }

  std::optional<std::string> value(const json& value, const std::string& path) const {
    if (value.is_null()) return std::nullopt;
    if (value.is_string()) return value.get<std::string>();
    if (value.is_object() && value.size() == 1 && value.contains("hex")) {
      const json& hex = value["hex"];
      if (!hex.is_string() || !is_hex_bytes(hex.get<std::string>())) {
        bad(path + ".hex", "expected an even number of hex digits");
      }
      std::string bytes;
      const std::string digits = hex.get<std::string>();
      for (std::size_t i = 0; i < digits.size(); i += 2) {
        bytes += static_cast<char>(std::stoi(digits.substr(i, 2), nullptr, 16));
      }
      return bytes;
    }
    bad(path, "expected a string, null or {\"hex\": \"...\"}");
  }

  TableStatistics table(const json& object, const std::string& path) const {
    TableStatistics table;
    table.name = text(object, path, "name");
    if (table.name.empty()) bad(path + ".name", "a table needs a name");
    table.engine = text(object, path, "engine");
    const std::string definition_path = path + ".definition";
    const json& definition = field(object, path, "definition");
    const json& columns = array(definition, definition_path, "columns");
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const std::string at = fmt::format("{}.columns[{}]", definition_path, i);
      table.columns.push_back(
          {text(columns[i], at, "name"), text(columns[i], at, "type"),
           flag(columns[i], at, "nullable"),
           columns[i].contains("collation") ? text(columns[i], at, "collation") : ""});
    }
    const json& indexes = array(definition, definition_path, "indexes");
    for (std::size_t i = 0; i < indexes.size(); ++i) {
      const std::string at = fmt::format("{}.indexes[{}]", definition_path, i);
      table.indexes.push_back({text(indexes[i], at, "name"), flag(indexes[i], at, "unique"),
                               texts(indexes[i], at, "columns"),
                               indexes[i].contains("type") ? text(indexes[i], at, "type") : ""});
    }
    table.partitioned = object.contains("partitioned") && flag(object, path, "partitioned");
    table.fingerprint = text(definition, definition_path, "fingerprint");
    if (table.fingerprint != definition_fingerprint(table)) {
      bad(definition_path + ".fingerprint",
          "does not match the columns and indexes beside it (the file was edited)");
    }
    table.auto_recalc = text(object, path, "stats_auto_recalc");
    if (table.auto_recalc != "" && table.auto_recalc != "0" && table.auto_recalc != "1") {
      bad(path + ".stats_auto_recalc", "expected \"\", \"0\" or \"1\"");
    }
    table.rows = count(object, path, "rows");
    table.avg_row_length = count(object, path, "avg_row_length");
    table.data_length = count(object, path, "data_length");
    table.index_length = count(object, path, "index_length");
    const json& cardinality = field(object, path, "cardinality");
    if (!cardinality.is_object()) bad(path + ".cardinality", "expected an object");
    for (const auto& [index, values] : cardinality.items()) {
      const std::string at = path + ".cardinality." + index;
      if (!values.is_array()) bad(at, "expected an array");
      IndexBelief belief{index, {}};
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i].is_null()) {
          belief.cardinality.push_back(std::nullopt);
        } else if (values[i].is_number_unsigned()) {
          belief.cardinality.push_back(values[i].get<std::uint64_t>());
        } else {
          bad(fmt::format("{}[{}]", at, i), "expected a whole number ≥ 0 or null");
        }
      }
      table.beliefs.push_back(std::move(belief));
    }
    for (StatisticsTable which : kStatisticsTables) {
      const char* key = statistics_table_name(which);
      if (!object.contains(key)) continue;
      const json& rows = array(object, path, key);
      const std::vector<std::string>& allowed = statistics_value_columns(which);
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string at = fmt::format("{}.{}[{}]", path, key, i);
        if (!rows[i].is_object()) bad(at, "expected an object");
        StatisticsRow row;
        for (const auto& [column, value] : rows[i].items()) {
          if (std::find(allowed.begin(), allowed.end(), column) == allowed.end()) {
            bad(at + "." + column,
                fmt::format("not a column of mysql.{} (expected one of: {})", key, join(allowed)));
          }
          row[column] = this->value(value, at + "." + column);
        }
        table.stored[which].push_back(std::move(row));
      }
    }
    if (object.contains("histograms")) {
      const json& list = array(object, path, "histograms");
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string at = fmt::format("{}.histograms[{}]", path, i);
        const json& histogram = field(list[i], at, "histogram");
        if (!histogram.is_object()) bad(at + ".histogram", "expected the histogram's JSON object");
        table.histograms.push_back({text(list[i], at, "column"), histogram.dump()});
      }
    }
    return table;
  }

  StatisticsFile file(const json& root) const {
    if (!root.is_object() || !root.contains(kFormatKey)) {
      bad("$", fmt::format("not a statistics file (no '{}' key): write one with "
                           "`sqlmeasure stats export`",
                           kFormatKey));
    }
    StatisticsFile file;
    const json& version = root[kFormatKey];
    if (!version.is_number_unsigned() || version.get<std::uint64_t>() < 1) {
      bad(std::string("$.") + kFormatKey, "expected the format version, a whole number");
    }
    if (version.get<std::uint64_t>() > static_cast<std::uint64_t>(kStatisticsFormatVersion)) {
      bad(std::string("$.") + kFormatKey,
          fmt::format("format version {} is newer than this sqlmeasure reads ({}): upgrade it",
                      version.get<std::uint64_t>(), kStatisticsFormatVersion));
    }
    file.format_version = version.get<int>();
    file.tool_version = text(root, "$", "tool_version");
    file.exported_at = text(root, "$", "exported_at");
    const json& server = field(root, "$", "server");
    const std::string flavor = text(server, "$.server", "flavor");
    file.flavor = flavor == "MariaDB"        ? Flavor::kMariaDB
                  : flavor == "MySQL"        ? Flavor::kMySQL
                  : flavor == "Aurora MySQL" ? Flavor::kAurora
                                             : Flavor::kUnknown;
    file.server_version = text(server, "$.server", "version");
    file.endpoint = text(server, "$.server", "endpoint");
    file.database = text(root, "$", "database");
    const json& settings = field(root, "$", "settings");
    if (!settings.is_object()) bad("$.settings", "expected an object");
    for (const auto& [name, value] : settings.items()) {
      if (!value.is_string()) bad("$.settings." + name, "expected a string");
      file.settings[name] = value.get<std::string>();
    }
    file.data_values = flag(root, "$", "data_values");
    const json& tables = array(root, "$", "tables");
    for (std::size_t i = 0; i < tables.size(); ++i) {
      const std::string at = fmt::format("$.tables[{}]", i);
      TableStatistics table = this->table(tables[i], at);
      if (file.table(table.name) != nullptr)
        bad(at + ".name", "a table listed twice: " + table.name);
      file.tables.push_back(std::move(table));
    }
    return file;
  }

 private:
  std::string origin_;
};

}  // namespace

std::string statistics_to_text(const StatisticsFile& file) {
  json tables = json::array();
  for (const TableStatistics& table : file.tables) tables.push_back(table_to_json(table));
  const json root = {{kFormatKey, file.format_version},
                     {"tool_version", file.tool_version},
                     {"exported_at", file.exported_at},
                     {"server",
                      {{"flavor", flavor_name(file.flavor)},
                       {"version", file.server_version},
                       {"endpoint", file.endpoint}}},
                     {"database", file.database},
                     {"settings", file.settings},
                     {"data_values", file.data_values},
                     {"tables", tables}};
  return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

StatisticsFile statistics_from_text(const std::string& text, const std::string& origin) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& error) {
    fail(ExitCode::kBadInput, fmt::format("{}: not JSON: {}", origin, error.what()));
  }
  return Reader(origin).file(root);
}

std::string statistics_source(const std::string& path, const StatisticsFile& file) {
  return fmt::format("{} ({} {} at {}, database {}, exported {})", path, flavor_name(file.flavor),
                     file.server_version, file.endpoint, file.database, file.exported_at);
}

void write_statistics_file(const StatisticsFile& file, const std::string& path) {
  write_file_atomically(path, statistics_to_text(file));
}

StatisticsFile read_statistics_file(const std::string& path) {
  return statistics_from_text(read_input_file(path, "the statistics file", ExitCode::kBadInput),
                              path);
}

}  // namespace sqlmeasure
