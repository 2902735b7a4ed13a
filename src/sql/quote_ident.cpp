// An identifier as a person would write it: bare when that reads the same, else quoted.
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
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

}  // namespace sqlmeasure
