// index.jsonl, a line at a time (history.h).
#include "history_index.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "sqlmeasure/error.h"

namespace sqlmeasure {
namespace {

using json = nlohmann::json;

std::int64_t to_ns(double ms) { return std::llround(ms * 1e6); }

// Errors name the line and, where nlohmann tells it, the column.
[[noreturn]] void bad_line(const std::string& path, std::size_t number, std::size_t column,
                           const std::string& what) {
  fail(ExitCode::kBadInput,
       fmt::format("{}:{}:{}: {} (a line of the history's index; remove it, or the whole index "
                   "with the runs/ it names, to go on)",
                   path, number, column, what));
}

}  // namespace

std::string index_string(const std::string& text) {
  return json(text).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string entry_to_line(const HistoryEntry& entry) {
  json screens = json::array();
  for (const HistoryPoint& p : entry.screens) {
    screens.push_back(json::array({p.screen, p.n, to_ns(p.median_ms), to_ns(p.p95_ms),
                                   p.rows_examined, p.plan, p.error ? 1 : 0, p.queries}));
  }
  json hints = json::array();
  for (const HintPoint& h : entry.hints) {
    hints.push_back(
        json::array({h.screen, h.query, h.hint, h.sql_without, h.measured ? 1 : 0, to_ns(h.with_ms),
                     to_ns(h.without_ms), h.rows_with, h.rows_without}));
  }
  json line = {{"v", kHistoryIndexVersion},
               {"id", entry.id},
               {"recorded_at", entry.recorded_at},
               {"started_at", entry.started_at},
               {"label", entry.label},
               {"endpoint", entry.endpoint},
               {"database", entry.database},
               {"server", entry.server},
               {"scenarios", entry.scenarios},
               {"complete", entry.complete},
               {"screens", screens}};
  if (!entry.hints.empty()) line["hints"] = hints;
  return line.dump(-1, ' ', false, json::error_handler_t::replace);
}

HistoryEntry entry_from_line(const std::string& line, const std::string& path, std::size_t number,
                             const std::function<bool(const std::string&)>& keep) {
  json document;
  try {
    document = json::parse(line);
  } catch (const json::parse_error& error) {
    bad_line(path, number, error.byte, "not JSON");
  }
  if (!document.is_object()) bad_line(path, number, 1, "expected an object");
  auto text = [&](const char* key) -> std::string {
    const auto found = document.find(key);
    if (found == document.end() || !found->is_string()) {
      bad_line(path, number, 1, fmt::format("\"{}\": expected a string", key));
    }
    return found->get<std::string>();
  };
  const auto version = document.find("v");
  if (version == document.end() || !version->is_number_integer()) {
    bad_line(path, number, 1, "\"v\": expected the index's version");
  }
  if (version->get<int>() > kHistoryIndexVersion) {
    bad_line(path, number, 1,
             fmt::format("index version {} is newer than this sqlmeasure reads ({}): use a "
                         "newer sqlmeasure",
                         version->get<int>(), kHistoryIndexVersion));
  }
  HistoryEntry entry;
  entry.id = text("id");
  entry.recorded_at = text("recorded_at");
  entry.started_at = text("started_at");
  entry.label = text("label");
  entry.endpoint = text("endpoint");
  entry.database = text("database");
  entry.server = text("server");
  entry.scenarios = text("scenarios");
  const auto complete = document.find("complete");
  if (complete == document.end() || !complete->is_boolean()) {
    bad_line(path, number, 1, "\"complete\": expected true or false");
  }
  entry.complete = complete->get<bool>();
  const auto screens = document.find("screens");
  if (screens == document.end() || !screens->is_array()) {
    bad_line(path, number, 1, "\"screens\": expected an array");
  }
  for (std::size_t i = 0; i < screens->size(); ++i) {
    const json& s = (*screens)[i];
    const bool shaped = s.is_array() && s.size() == 8 && s[0].is_string() &&
                        s[1].is_number_unsigned() && s[2].is_number_integer() &&
                        s[3].is_number_integer() && s[4].is_number_unsigned() && s[5].is_string() &&
                        s[6].is_number_integer() && s[7].is_string();
    if (!shaped) {
      bad_line(path, number, 1,
               fmt::format("screens[{}]: expected [name, n, median_ns, p95_ns, rows_examined, "
                           "plan, error, queries]",
                           i));
    }
    if (!keep(s[0].get_ref<const std::string&>())) continue;
    HistoryPoint point;
    point.screen = s[0].get<std::string>();
    point.n = s[1].get<std::size_t>();
    point.median_ms = static_cast<double>(s[2].get<std::int64_t>()) / 1e6;
    point.p95_ms = static_cast<double>(s[3].get<std::int64_t>()) / 1e6;
    point.rows_examined = s[4].get<std::uint64_t>();
    point.plan = s[5].get<std::string>();
    point.error = s[6].get<int>() != 0;
    point.queries = s[7].get<std::string>();
    entry.screens.push_back(std::move(point));
  }
  if (const auto hints = document.find("hints"); hints != document.end()) {
    if (!hints->is_array()) bad_line(path, number, 1, "\"hints\": expected an array");
    for (std::size_t i = 0; i < hints->size(); ++i) {
      const json& h = (*hints)[i];
      const bool shaped = h.is_array() && h.size() == 9 && h[0].is_string() && h[1].is_string() &&
                          h[2].is_string() && h[3].is_string() && h[4].is_number_integer() &&
                          h[5].is_number_integer() && h[6].is_number_integer() &&
                          h[7].is_number_unsigned() && h[8].is_number_unsigned();
      if (!shaped) {
        bad_line(path, number, 1,
                 fmt::format("hints[{}]: expected [screen, query, hint, sql_without, measured, "
                             "with_ns, without_ns, rows_with, rows_without]",
                             i));
      }
      if (!keep(h[0].get_ref<const std::string&>())) continue;
      entry.hints.push_back({h[0].get<std::string>(), h[1].get<std::string>(),
                             h[2].get<std::string>(), h[3].get<std::string>(), h[4].get<int>() != 0,
                             static_cast<double>(h[5].get<std::int64_t>()) / 1e6,
                             static_cast<double>(h[6].get<std::int64_t>()) / 1e6,
                             h[7].get<std::uint64_t>(), h[8].get<std::uint64_t>()});
    }
  }
  return entry;
}

}  // namespace sqlmeasure
