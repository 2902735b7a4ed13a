// Identifiers and keys as SQL, and the DROP INDEX a finding proposes with the way to try it.
#include "fix_sql.h"

#include <fmt/format.h>

#include "evidence_text.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure::advisor {
namespace {

std::string drop_index_sql(const std::string& table, const std::string& index) {
  return fmt::format("ALTER TABLE {} DROP INDEX {};", quote_ident(table), quote_ident(index));
}

std::string what_if_command(const std::string& table, const std::string& index) {
  return fmt::format(
      "try it first: sqlmeasure compare --ignore-index {}.{} (the index is "
      "ignored, not dropped, while every screen is measured)",
      table, index);
}

}  // namespace

std::string key_definition(const IndexInfo& index) {
  if (index.primary()) return "PRIMARY KEY " + index.column_list();
  std::string kind = index.type == "FULLTEXT" || index.type == "SPATIAL" ? index.type + " "
                     : index.unique                                      ? "UNIQUE "
                                                                         : "";
  return kind + "KEY " + index_text(index);
}

void propose_drop_index(const std::string& table, const std::string& index, Finding& finding) {
  finding.drops = index;
  finding.fix.push_back(drop_index_sql(table, index));
  finding.verify.push_back(what_if_command(table, index));
}

std::string redefine_index_sql(const std::string& table, const std::string& index, bool unique,
                               const std::string& columns) {
  return fmt::format("ALTER TABLE {} DROP INDEX {}, ADD {}INDEX {} ({});", quote_ident(table),
                     quote_ident(index), unique ? "UNIQUE " : "", quote_ident(index), columns);
}

std::string verify_migration_note() {
  return "verify with sqlmeasure compare --migration up.sql --rollback down.sql before "
         "applying";
}

}  // namespace sqlmeasure::advisor
