// Warnings are data with a concrete hint (like hyperfine's), rendered by every format.
#include "warnings.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

std::string arrow(const std::string& before, const std::string& after) {
  return before + " → " + after;
}

void add_incomplete(const char* side, const RunResult& run, std::vector<Warning>& out) {
  if (run.complete) return;
  std::string text = std::string(side) + " run is incomplete";
  if (!run.incomplete_reason.empty()) text += " (" + run.incomplete_reason + ")";
  out.push_back(
      {WarningKind::kIncompleteRun, text, "its screens have fewer samples than asked for"});
}

void add_settings(const RunSettings& before, const RunSettings& after, std::vector<Warning>& out) {
  std::vector<std::string> diffs;
  const auto check = [&diffs](const char* name, const std::string& b, const std::string& a) {
    if (b != a) diffs.push_back(std::string(name) + " " + arrow(b, a));
  };
  check("iterations", std::to_string(before.iterations), std::to_string(after.iterations));
  check("warmup", std::to_string(before.warmup), std::to_string(after.warmup));
  check("seed", std::to_string(before.seed), std::to_string(after.seed));
  check("order", order_name(before.order), order_name(after.order));
  if (diffs.empty()) return;
  out.push_back({WarningKind::kSettingsDiffer, "run settings differ: " + join(diffs),
                 "measure both sides with the same settings"});
}

void add_server(const ServerInfo& before, const ServerInfo& after, std::vector<Warning>& out) {
  const char* hint = "the deltas include the server change, not only the migration";
  if (before.flavor != after.flavor) {
    out.push_back({WarningKind::kServerDiffers,
                   "server flavor differs: " +
                       arrow(std::string(flavor_name(before.flavor)) + " " + before.version,
                             std::string(flavor_name(after.flavor)) + " " + after.version),
                   hint});
  } else if (before.version != after.version) {
    out.push_back({WarningKind::kServerDiffers,
                   "server version differs: " + arrow(before.version, after.version), hint});
  }
}

// optimizer_switch is a list of flags: only the ones that differ are named.
std::string switch_difference(const std::string& before, const std::string& after) {
  const std::vector<std::string> b = split_list(before), a = split_list(after);
  std::vector<std::string> changed;
  for (const std::string& flag : a) {
    if (std::find(b.begin(), b.end(), flag) == b.end()) changed.push_back(flag);
  }
  return changed.empty() ? arrow(before, after) : "now " + join(changed);
}

// Estimated row counts (a table over 1M rows) move by themselves: a quarter is a difference.
bool rows_differ(const TableRows& before, const TableRows& after) {
  if (before.exact && after.exact) return before.rows != after.rows;
  const double low = static_cast<double>(std::min(before.rows, after.rows));
  const double high = static_cast<double>(std::max(before.rows, after.rows));
  return high > low * 1.25 && high - low >= 1000;
}

void add_conditions(const RunResult& before, const RunResult& after, std::vector<Warning>& out) {
  if (!before.conditions || !after.conditions) return;
  std::vector<std::string> diffs;
  for (const auto& [name, value] : before.conditions->settings) {
    const auto other = after.conditions->settings.find(name);
    if (other == after.conditions->settings.end() || other->second == value) continue;
    diffs.push_back(name + " " +
                    (name == "optimizer_switch" ? switch_difference(value, other->second)
                                                : arrow(value, other->second)));
  }
  for (const auto& [table, rows] : before.conditions->table_rows) {
    const auto other = after.conditions->table_rows.find(table);
    if (other == after.conditions->table_rows.end() || !rows_differ(rows, other->second)) continue;
    auto count = [](const TableRows& r) {
      return r.exact ? format_thousands(r.rows) : "~" + format_count(r.rows);
    };
    diffs.push_back(fmt::format("{} rows {}", table, arrow(count(rows), count(other->second))));
  }
  if (diffs.empty()) return;
  out.push_back({WarningKind::kConditionsDiffer,
                 "the sides ran under different conditions: " + join(diffs),
                 "different data or configuration moves plans and times too: give both sides "
                 "the same data and settings, or read the deltas with that in mind"});
}

}  // namespace

std::vector<Warning> run_warnings(const RunResult& before, const RunResult& after) {
  std::vector<Warning> out;
  add_incomplete("before", before, out);
  add_incomplete("after", after, out);
  add_settings(before.settings, after.settings, out);
  add_server(before.server, after.server, out);
  add_conditions(before, after, out);
  if ((before.schema_version >= 2) != (after.schema_version >= 2)) {
    out.push_back({WarningKind::kSettingsDiffer,
                   fmt::format("the sides were measured differently: results version {} → {} "
                               "(version 1 interleaved the queries of all screens; since 2 each "
                               "timed view of a screen follows a lead-in view of its own)",
                               before.schema_version, after.schema_version),
                   "measure both sides with the same sqlmeasure"});
  }
  if (before.rows_examined_method != after.rows_examined_method) {
    // Handler counters count the read that ends each scan; Rows_read does not.
    out.push_back({WarningKind::kRowsCountedDifferently,
                   "rows examined were counted differently: " +
                       arrow(before.rows_examined_method, after.rows_examined_method),
                   "small rows-examined deltas are not comparable"});
  }
  return out;
}

std::vector<Warning> query_warnings(const std::string& screen, const QueryResult& before,
                                    const QueryResult& after) {
  std::vector<Warning> out;
  const std::string where = screen + "/" + before.name + ": ";
  if (before.params != after.params) {
    out.push_back({WarningKind::kParamsDiffer, where + "parameter values differ between runs",
                   "results are not comparable"});
  }
  if (before.sql != after.sql) {
    out.push_back({WarningKind::kSqlDiffers, where + "SQL text differs between runs",
                   "the deltas compare different statements"});
  }
  if (before.times != after.times) {
    out.push_back({WarningKind::kTimesDiffer,
                   where + "issued " +
                       arrow(std::to_string(before.times), std::to_string(after.times)) +
                       " times per view",
                   "the screen totals are not comparable"});
  }
  return out;
}

}  // namespace sqlmeasure
