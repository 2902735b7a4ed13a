// Identifiers and keys as SQL, and the DROP INDEX a finding proposes with the way to try it.
#include "advisor/fix_sql.h"

#include <fmt/format.h>

#include "advisor/evidence_text.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure::advisor {
namespace {

// Words MySQL 8 or MariaDB reserve that could plausibly name a table or an index.
constexpr std::string_view kReserved[] = {
    "add",     "all",    "alter",      "and",      "as",      "asc",       "between",
    "by",      "case",   "change",     "check",    "column",  "condition", "constraint",
    "create",  "cross",  "database",   "default",  "delete",  "desc",      "distinct",
    "drop",    "else",   "exists",     "explain",  "fetch",   "for",       "force",
    "foreign", "from",   "fulltext",   "group",    "groups",  "having",    "ignore",
    "in",      "index",  "insert",     "interval", "into",    "is",        "join",
    "key",     "keys",   "left",       "like",     "limit",   "lock",      "match",
    "not",     "null",   "on",         "or",       "order",   "primary",   "range",
    "rank",    "read",   "references", "rename",   "replace", "right",     "row",
    "rows",    "select", "set",        "show",     "spatial", "table",     "union",
    "unique",  "update"};

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

std::string quote_ident(std::string_view name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '$');
  }
  const std::string lowered = ascii_lower(name);
  for (std::string_view word : kReserved) plain = plain && lowered != word;
  return plain ? std::string(name) : quote_identifier(name);
}

std::string key_part_sql(const IndexColumn& column) {
  std::string text =
      column.column.empty() ? "(" + column.expression + ")" : quote_ident(column.column);
  if (column.sub_part) text += fmt::format("({})", *column.sub_part);
  if (column.descending) text += " DESC";
  return text;
}

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
