#pragma once
// Screens built in memory for the runner's tests, with SQL that names its query, so that
// what reaches a fake server reads as "q1 q2 q3".
#include <string>
#include <utility>
#include <vector>

#include "sqlmeasure/scenario.h"

namespace sqlmeasure::testing {

inline std::string sql_of(const std::string& name) { return "SELECT '" + name + "' FROM works"; }

inline Query make_query(const std::string& name, int times = 1) {
  Query query;
  query.name = name;
  query.sql = sql_of(name);
  query.times = times;
  return query;
}

inline Screen make_screen(const std::string& name, std::vector<Query> queries) {
  Screen screen;
  screen.name = name;
  screen.file = "scenarios/" + name + ".toml";
  screen.queries = std::move(queries);
  return screen;
}

// Two screens, three queries: top = {q1, q2}, search = {q3}.
inline std::vector<Screen> three_queries() {
  return {make_screen("top", {make_query("q1"), make_query("q2")}),
          make_screen("search", {make_query("q3")})};
}

}  // namespace sqlmeasure::testing
