// The scenario queries that use or consider an index, from the plans' key and possible_keys.
#include "advisor/scenario_use.h"

#include <fmt/format.h>

#include <algorithm>

#include "sqlmeasure/text.h"

namespace sqlmeasure::advisor {

std::vector<const QueryEvidence*> queries_using(const ScenarioEvidence& scenarios,
                                                const std::string& table,
                                                const std::string& index) {
  std::vector<const QueryEvidence*> out;
  for (const QueryEvidence& query : scenarios.queries) {
    for (const IndexUse& use : query.uses) {
      if (use.table == table && iequals(use.index, index)) {
        out.push_back(&query);
        break;
      }
    }
  }
  return out;
}

std::vector<const QueryEvidence*> queries_considering(const ScenarioEvidence& scenarios,
                                                      const std::string& table,
                                                      const std::string& index) {
  std::vector<const QueryEvidence*> out;
  for (const QueryEvidence& query : scenarios.queries) {
    for (const auto& [t, i] : query.possible) {
      if (t == table && iequals(i, index)) {
        out.push_back(&query);
        break;
      }
    }
  }
  return out;
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
  size_t reading = 0;
  for (const QueryEvidence& query : scenarios.queries) {
    if (std::find(query.tables.begin(), query.tables.end(), table) != query.tables.end()) {
      ++reading;
    }
  }
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
