// Rule duplicate-index: two indexes with the same columns in the same order (FULLTEXT: in any
// order), or a key that only adds the primary key to another key's columns (InnoDB appends
// the primary key to every secondary index, so both are stored identically). One of them
// is pure cost: every write maintains it, and it takes buffer-pool memory.
#include <fmt/format.h>

#include "advisor/duplicate_keys.h"
#include "advisor/evidence_text.h"
#include "advisor/fix_sql.h"
#include "advisor/foreign_keys.h"
#include "advisor/rule.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure::advisor {

const IndexInfo* physical_twin(const TableInfo& table, const DuplicateKey& dupe) {
  if (dupe.kind != DuplicateKind::kClusteredSuffix) return nullptr;
  for (const IndexInfo& candidate : table.indexes) {
    if (candidate.name == dupe.index || candidate.primary() || !candidate.btree()) continue;
    std::vector<std::string> columns;
    for (const IndexColumn& column : candidate.columns) {
      std::string text = column.column;
      if (column.sub_part) text += "(" + std::to_string(*column.sub_part) + ")";
      if (column.descending) text += " DESC";
      columns.push_back(text);
    }
    if (columns.size() != dupe.shortened.size()) continue;
    bool same = true;
    for (size_t i = 0; i < columns.size(); ++i)
      same = same && iequals(columns[i], dupe.shortened[i]);
    if (same) return &candidate;
  }
  return nullptr;
}

void add_drop_evidence(const TableInfo& table, const IndexInfo& dropped, const IndexInfo& kept,
                       Finding& finding) {
  if (dropped.size_bytes) {
    finding.evidence.push_back(
        fmt::format("dropping {} frees about {} and the work of keeping "
                    "it current on every INSERT, UPDATE and DELETE",
                    dropped.name, format_bytes(*dropped.size_bytes)));
  }
  for (const ForeignKeyInfo* fk : foreign_keys_served(table, dropped)) {
    bool still = false;
    for (const ForeignKeyInfo* served : foreign_keys_served(table, kept))
      still = still || served == fk;
    finding.evidence.push_back(
        still ? fmt::format("foreign key {} keeps an index: {} serves it", fk->name, kept.name)
              : fmt::format("foreign key {} uses {}; check that another index serves it before "
                            "dropping",
                            fk->name, dropped.name));
  }
}

namespace {

void check(const RuleInput& input, const RuleInfo& info, std::vector<Finding>& out) {
  for (const TableInfo& table : input.schema.tables) {
    for (const DuplicateKey& dupe : find_duplicate_keys(table)) {
      const IndexInfo* dropped = table.index(dupe.index);
      const IndexInfo* kept = table.index(dupe.duplicate_of);
      if (dropped == nullptr || kept == nullptr) continue;
      const IndexInfo* twin = physical_twin(table, dupe);
      if (dupe.kind == DuplicateKind::kLeftPrefix ||
          (dupe.kind == DuplicateKind::kClusteredSuffix && twin == nullptr)) {
        continue;  // redundant-index
      }
      Finding finding = make_finding(info, table.name, dropped->name);
      if (twin != nullptr) {
        finding.summary = fmt::format(
            "{} is {} plus the primary key, which InnoDB already "
            "appends to {}: the same index stored twice",
            index_text(*dropped), twin->name, twin->name);
        finding.evidence.push_back(fmt::format("{} is stored as {} + {}: exactly what {} declares",
                                               twin->name, twin->column_list(), kept->column_list(),
                                               dropped->name));
        kept = twin;
      } else {
        finding.summary =
            fmt::format("{} is a duplicate of {}", index_text(*dropped), index_text(*kept));
        if (dropped->type == "FULLTEXT") {
          finding.evidence.push_back(
              "FULLTEXT indexes on the same columns serve the same "
              "MATCH ... AGAINST, whatever the column order");
        }
      }
      finding.evidence.insert(finding.evidence.begin(), "definitions: " + key_definition(*dropped) +
                                                            "; " + key_definition(*kept));
      if (kept->unique && !dropped->unique) {
        finding.evidence.push_back(
            fmt::format("{} is UNIQUE on the same columns: it serves "
                        "every lookup {} does",
                        kept->name, dropped->name));
      }
      if (!dupe.uniqueness_ignored_because.empty()) {
        finding.evidence.push_back(
            fmt::format("both are UNIQUE on the same columns ({}): the constraint stays with {}",
                        dupe.uniqueness_ignored_because, kept->name));
      }
      add_drop_evidence(table, *dropped, *kept, finding);
      finding.fix.push_back(drop_index_sql(table.name, dropped->name));
      finding.verify.push_back(what_if_command(table.name, dropped->name));
      out.push_back(std::move(finding));
    }
  }
}

}  // namespace

const Rule& duplicate_index_rule() {
  static const Rule rule{{"duplicate-index",
                          "two indexes with the same columns (as pt-duplicate-key-checker finds "
                          "them), including a key that only adds the InnoDB primary key",
                          Severity::kWarning, false},
                         check};
  return rule;
}

}  // namespace sqlmeasure::advisor
