// Rule duplicate-foreign-key: two FOREIGN KEY constraints of a table that pair the same
// columns with the same referenced columns of the same table, and act alike (ON UPDATE,
// ON DELETE). Both are checked on every write of either table; the second only costs. As
// pt-duplicate-key-checker finds them, except that it compares the two column lists sorted
// apart, so it also reports (a, b) -> (x, y) beside (a, b) -> (y, x), which is a different
// constraint: here the column pairs are compared (docs/indexes.md).
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "fix_sql.h"
#include "rule.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure::advisor {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// (column, referenced column) pairs, lower case, sorted: the constraint whatever the order.
Pairs column_pairs(const ForeignKeyInfo& fk) {
  Pairs pairs;
  for (std::size_t i = 0; i < fk.columns.size() && i < fk.referenced_columns.size(); ++i) {
    pairs.emplace_back(ascii_lower(fk.columns[i]), ascii_lower(fk.referenced_columns[i]));
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

bool duplicates(const ForeignKeyInfo& a, const ForeignKeyInfo& b) {
  return iequals(a.referenced_table, b.referenced_table) &&
         iequals(a.referenced_database, b.referenced_database) &&
         column_pairs(a) == column_pairs(b) && iequals(a.on_update, b.on_update) &&
         iequals(a.on_delete, b.on_delete);
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const std::string& name : names) quoted.push_back(quote_ident(name));
  return join(quoted);
}

// FOREIGN KEY fk (a, b) REFERENCES parent (x, y)
std::string constraint_text(const ForeignKeyInfo& fk) {
  return fmt::format(
      "FOREIGN KEY {} ({}) REFERENCES {}{} ({})", quote_ident(fk.name), quoted_list(fk.columns),
      fk.referenced_database.empty() ? "" : quote_ident(fk.referenced_database) + ".",
      quote_ident(fk.referenced_table), quoted_list(fk.referenced_columns));
}

void check(const RuleInput& input, const RuleInfo& info, std::vector<Finding>& out) {
  for (const TableInfo& table : input.schema.tables) {
    std::vector<const ForeignKeyInfo*> keys;
    for (const ForeignKeyInfo& fk : table.foreign_keys) keys.push_back(&fk);
    std::sort(keys.begin(), keys.end(),
              [](const ForeignKeyInfo* a, const ForeignKeyInfo* b) { return a->name < b->name; });
    std::vector<bool> reported(keys.size(), false);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (reported[i]) continue;
      for (std::size_t j = i + 1; j < keys.size(); ++j) {
        if (reported[j] || !duplicates(*keys[i], *keys[j])) continue;
        reported[j] = true;
        const ForeignKeyInfo& kept = *keys[i];
        const ForeignKeyInfo& dropped = *keys[j];
        Finding finding = make_finding(info, table.name, dropped.name);
        finding.summary =
            fmt::format("{} is a duplicate of {}", constraint_text(dropped), constraint_text(kept));
        finding.evidence.push_back(fmt::format(
            "both check the same column pairs against {}, with ON UPDATE {} ON DELETE {}: every "
            "INSERT and UPDATE of {}, and every UPDATE and DELETE of {}, checks them twice",
            kept.referenced_table, kept.on_update, kept.on_delete, table.name,
            kept.referenced_table));
        if (kept.columns != dropped.columns) {
          finding.evidence.push_back(
              "the same pairs of columns, listed in another order: the same constraint");
        }
        finding.evidence.push_back(
            fmt::format("dropping {} drops only the constraint: the index it uses stays, and "
                        "keeps serving {}",
                        dropped.name, kept.name));
        finding.fix.push_back(fmt::format("ALTER TABLE {} DROP FOREIGN KEY {};",
                                          quote_ident(table.name), quote_ident(dropped.name)));
        out.push_back(std::move(finding));
      }
    }
  }
}

}  // namespace

const Rule& duplicate_foreign_key_rule() {
  static const Rule rule{{"duplicate-foreign-key",
                          "two FOREIGN KEY constraints pairing the same columns with the same "
                          "referenced columns (as pt-duplicate-key-checker finds them)",
                          Severity::kWarning, false},
                         check};
  return rule;
}

}  // namespace sqlmeasure::advisor
