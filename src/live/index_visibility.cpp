#include "index_visibility.h"

#include <fmt/format.h>

#include "sqlmeasure/sql_lexer.h"

namespace sqlmeasure {
namespace {

bool mariadb(const ServerInfo& server) { return server.flavor == Flavor::kMariaDB; }

SqlStatement visibility_statement(const std::string& database, const std::string& table,
                                  const std::string& index, const char* word,
                                  const SourceLocation& where) {
  return {fmt::format("ALTER TABLE {}.{} ALTER INDEX {} {}", quote_identifier(database),
                      quote_identifier(table), quote_identifier(index), word),
          "", where};
}

}  // namespace

std::string why_indexes_cannot_be_hidden(const ServerInfo& server) {
  if (mariadb(server)) {
    if (server.major * 100 + server.minor >= 1006) return "";
    return fmt::format("MariaDB {}.{} has no ignored indexes (ALTER INDEX ... IGNORED needs 10.6)",
                       server.major, server.minor);
  }
  if (server.major >= 8) return "";
  return fmt::format("MySQL {}.{} has no invisible indexes (ALTER INDEX ... INVISIBLE needs 8.0)",
                     server.major, server.minor);
}

const char* hidden_word(const ServerInfo& server) {
  return mariadb(server) ? "IGNORED" : "INVISIBLE";
}

const char* shown_word(const ServerInfo& server) {
  return mariadb(server) ? "NOT IGNORED" : "VISIBLE";
}

SqlStatement hide_index_statement(const ServerInfo& server, const std::string& database,
                                  const std::string& table, const std::string& index,
                                  const SourceLocation& where) {
  return visibility_statement(database, table, index, hidden_word(server), where);
}

SqlStatement show_index_statement(const ServerInfo& server, const std::string& database,
                                  const std::string& table, const std::string& index,
                                  const SourceLocation& where) {
  return visibility_statement(database, table, index, shown_word(server), where);
}

}  // namespace sqlmeasure
