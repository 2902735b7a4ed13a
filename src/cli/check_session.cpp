#include <fmt/format.h>

#include <set>
#include <string_view>

#include "command.h"
#include "sqlmeasure/journal.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

// The names a WITH clause defines (`WITH a AS (...), b (x) AS (...)`): tables of no database.
std::set<std::string> cte_names(const std::string& sql) {
  std::set<std::string> names;
  const std::vector<SqlToken> tokens = code_tokens(sql);
  const auto word = [&](std::size_t i, std::string_view text) {
    return i < tokens.size() && tokens[i].kind == SqlToken::Kind::kWord &&
           iequals(tokens[i].text, text);
  };
  const auto punct = [&](std::size_t i, char c) {
    return i < tokens.size() && tokens[i].kind == SqlToken::Kind::kPunct &&
           tokens[i].text.size() == 1 && tokens[i].text[0] == c;
  };
  // Past the parenthesis opened at `i`: the index after its match.
  const auto skip_group = [&](std::size_t i) {
    int depth = 0;
    for (; i < tokens.size(); ++i) {
      if (punct(i, '(')) ++depth;
      if (punct(i, ')') && --depth == 0) return i + 1;
    }
    return i;
  };
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (!word(i, "WITH")) continue;
    std::size_t at = word(i + 1, "RECURSIVE") ? i + 2 : i + 1;
    while (at < tokens.size()) {
      std::string name(tokens[at].text);
      if (tokens[at].kind == SqlToken::Kind::kQuotedIdent && name.size() >= 2) {
        name = name.substr(1, name.size() - 2);
      }
      std::size_t next = at + 1;
      if (punct(next, '(')) next = skip_group(next);  // its column list
      if (!word(next, "AS") || !punct(next + 1, '(')) break;
      names.insert(ascii_lower(name));
      next = skip_group(next + 1);
      if (!punct(next, ',')) break;
      at = next + 1;
    }
  }
  return names;
}

// No database selected (no -D, none in the config, DSN or option file): a query naming a
// table without its database would fail at every execution with [1046]. Said once, first.
void require_database(const std::string& database, const std::vector<Screen>& screens) {
  if (!database.empty()) return;
  for (const Screen& screen : screens) {
    for (const Query& query : screen.queries) {
      const std::set<std::string> ctes = cte_names(query.sql);
      for (const TableReference& table : read_query_shape(query.sql).tables) {
        if (!table.database.empty() || iequals(table.table, "dual") ||
            ctes.contains(ascii_lower(table.table))) {
          continue;
        }
        fail(ExitCode::kUsage,
             fmt::format("no database is selected, and screen {}, query {} reads table {} "
                         "without one: give -D DATABASE (or database in sqlmeasure.toml's "
                         "[connection], or a DSN's /DATABASE)",
                         screen.name, query.name, table.table));
      }
    }
  }
}

}  // namespace

void check_session(Connection& connection, const std::string& database,
                   const std::vector<Screen>& screens, bool allow_writes) {
  require_database(database, screens);
  refuse_if_unrecovered(connection, database);
  check_screens_for_session(screens, connection.server().sql_mode, allow_writes);
}

}  // namespace sqlmeasure
