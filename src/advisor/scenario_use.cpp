// The scenario queries that use or consider an index, from the plans' key and possible_keys.
#include "scenario_use.h"

#include <fmt/format.h>

#include <algorithm>

#include "sqlmeasure/text.h"

namespace sqlmeasure::advisor {

namespace {

// The scenario queries for which `pick` holds, in scenario order.
template <typename Pick>
std::vector<const QueryEvidence*> queries_where(const ScenarioEvidence& scenarios, Pick pick) {
  std::vector<const QueryEvidence*> out;
  for (const QueryEvidence& query : scenarios.queries) {
    if (pick(query)) out.push_back(&query);
  }
  return out;
}

}  // namespace

std::vector<const QueryEvidence*> queries_reading(const ScenarioEvidence& scenarios,
                                                  const std::string& table) {
  return queries_where(scenarios, [&](const QueryEvidence& query) {
    return std::find(query.tables.begin(), query.tables.end(), table) != query.tables.end();
  });
}

std::vector<const QueryEvidence*> queries_using(const ScenarioEvidence& scenarios,
                                                const std::string& table,
                                                const std::string& index) {
  return queries_where(scenarios, [&](const QueryEvidence& query) {
    return std::any_of(query.uses.begin(), query.uses.end(), [&](const IndexUse& use) {
      return use.table == table && iequals(use.index, index);
    });
  });
}

std::vector<const QueryEvidence*> queries_considering(const ScenarioEvidence& scenarios,
                                                      const std::string& table,
                                                      const std::string& index) {
  return queries_where(scenarios, [&](const QueryEvidence& query) {
    return std::any_of(query.possible.begin(), query.possible.end(), [&](const auto& possible) {
      return possible.first == table && iequals(possible.second, index);
    });
  });
}

namespace {

std::string list_queries(const std::vector<const QueryEvidence*>& queries, size_t limit = 3) {
  std::string text;
  for (size_t i = 0; i < queries.size() && i < limit; ++i) {
    text += (i ? ", " : "") + queries[i]->label();
  }
  if (queries.size() > limit) text += fmt::format(" and {} more", queries.size() - limit);
  return text;
}

}  // namespace

std::string usage_evidence(const ScenarioEvidence& scenarios, const std::string& table,
                           const std::string& index) {
  if (!scenarios.loaded) return "";
  std::vector<const QueryEvidence*> using_it = queries_using(scenarios, table, index);
  if (!using_it.empty()) {
    return fmt::format("scenario use: the plan of {} {} uses it ({})", using_it.size(),
                       using_it.size() == 1 ? "query" : "queries", list_queries(using_it));
  }
  const size_t reading = queries_reading(scenarios, table).size();
  if (reading == 0) return "scenario use: no scenario query reads this table";
  std::vector<const QueryEvidence*> considering = queries_considering(scenarios, table, index);
  return fmt::format(
      "scenario use: none of the {} scenario {} reading {} uses it in its plan (only `key` "
      "counts); it is in possible_keys of {}",
      reading, reading == 1 ? "query" : "queries", table,
      considering.empty() ? std::string("none")
                          : fmt::format("{} ({})", considering.size(), list_queries(considering)));
}

}  // namespace sqlmeasure::advisor
