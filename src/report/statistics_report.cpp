// What `stats import` did and what the optimizer believes afterwards; what its undo put back.
#include "sqlmeasure/statistics_report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

using nlohmann::json;

std::string rows_text(const TableStatistics* table) {
  return table == nullptr ? "–" : format_count(table->rows);
}

// An index's cardinality as the optimizer has it: of its whole key (the last prefix).
std::string cardinality_text(const TableStatistics* table, const std::string& index) {
  if (table == nullptr) return "–";
  for (const IndexBelief& belief : table->beliefs) {
    if (belief.index != index) continue;
    if (belief.cardinality.empty() || !belief.cardinality.back()) return "–";
    return format_count(*belief.cardinality.back());
  }
  return "–";
}

// One row per imported table (its rows), then one per index (its cardinality).
Table beliefs_table(const StatisticsImportResult& result) {
  Table table{{"table", "index", "production", "now", "the copy's own"},
              {false, false, true, true, true},
              {}};
  for (const TableImport& imported : result.tables) {
    if (!imported.imported) continue;
    const TableStatistics* production = result.production.table(imported.table);
    const TableStatistics* now = result.now.table(imported.table);
    const TableStatistics* own = result.own.table(imported.table);
    table.rows.push_back(
        {imported.table, "(rows)", rows_text(production), rows_text(now), rows_text(own)});
    if (production == nullptr) continue;
    for (const DefinedIndex& index : production->indexes) {
      table.rows.push_back({"", fmt::format("{} ({})", index.name, join(index.columns, ", ")),
                            cardinality_text(production, index.name),
                            cardinality_text(now, index.name), cardinality_text(own, index.name)});
    }
  }
  return table;
}

json beliefs_json(const TableStatistics* table) {
  if (table == nullptr) return nullptr;
  json cardinality = json::object();
  for (const IndexBelief& belief : table->beliefs) {
    json values = json::array();
    for (const auto& value : belief.cardinality)
      values.push_back(value ? json(*value) : json(nullptr));
    cardinality[belief.index] = values;
  }
  return {{"rows", table->rows}, {"cardinality", cardinality}};
}

}  // namespace

void render_statistics_import(const StatisticsImportResult& result, Format format,
                              std::ostream& out) {
  if (format == Format::kJson) {
    json tables = json::array();
    for (const TableImport& table : result.tables) {
      json item = {{"table", table.table}, {"imported", table.imported}};
      if (!table.imported) {
        item["skipped_because"] = table.skipped_because;
      } else {
        item["production"] = beliefs_json(result.production.table(table.table));
        item["now"] = beliefs_json(result.now.table(table.table));
        item["own"] = beliefs_json(result.own.table(table.table));
      }
      tables.push_back(item);
    }
    out << json{{"source", result.source}, {"imported", result.imported()},
                {"tables", tables},        {"settings_differ", result.settings_differ},
                {"notes", result.notes},   {"record", result.record_path}}
               .dump(2)
        << '\n';
    return;
  }
  const bool markdown = format == Format::kMarkdown;
  const std::string bullet = markdown ? "* " : "  ";
  out << fmt::format("imported the statistics of {} of {} table{} from {}\n", result.imported(),
                     result.tables.size(), result.tables.size() == 1 ? "" : "s", result.source);
  if (markdown) out << '\n';
  write_table(beliefs_table(result), format, out);
  for (const TableImport& table : result.tables) {
    if (!table.imported)
      out << fmt::format("{}skipped {}: {}\n", bullet, table.table, table.skipped_because);
  }
  if (!result.settings_differ.empty()) {
    out << "settings that move plans differ from production's (the plans may still differ):\n";
    for (const std::string& setting : result.settings_differ) out << bullet << setting << '\n';
  }
  for (const std::string& note : result.notes) out << "note: " << note << '\n';
  out << fmt::format(
      "these tables keep the imported statistics (STATS_AUTO_RECALC=0) until `sqlmeasure stats "
      "import --undo` puts the copy's own back (kept in {})\n",
      result.record_path);
}

void render_statistics_undo(const StatisticsUndoResult& result, Format format, std::ostream& out) {
  if (format == Format::kJson) {
    out << json{{"source", result.source},
                {"restored", result.restored},
                {"differences", result.differences},
                {"notes", result.notes},
                {"record", result.record_path}}
               .dump(2)
        << '\n';
    return;
  }
  out << fmt::format("put back the copy's own statistics of {} table{} (imported from {})\n",
                     result.restored.size(), result.restored.size() == 1 ? "" : "s", result.source);
  if (result.differences.empty()) {
    out << "restored exactly: every statistics row and table option as it was\n";
  } else {
    out << "still differing from what was recorded:\n";
    for (const std::string& difference : result.differences) out << "  " << difference << '\n';
  }
  for (const std::string& note : result.notes) out << "note: " << note << '\n';
}

}  // namespace sqlmeasure
