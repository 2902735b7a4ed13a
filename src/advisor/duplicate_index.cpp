// Rule duplicate-index: two indexes with the same columns in the same order (FULLTEXT: in any
// order), or a key that only adds the primary key to another key's columns (InnoDB appends
// the primary key to every secondary index, so both are stored identically). One of them
// is pure cost: every write maintains it, and it takes buffer-pool memory.
#include <fmt/format.h>

#include "duplicate_keys.h"
#include "evidence_text.h"
#include "rule.h"

namespace sqlmeasure::advisor {
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
        if (dropped->unique) {
          finding.evidence.push_back(fmt::format(
              "dropping UNIQUE {} loses no constraint: it contains the whole primary key {}, "
              "which alone makes every row's combination unique",
              dropped->name, kept->column_list()));
        }
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
      finding.evidence.insert(finding.evidence.begin(), definitions_text(*dropped, *kept));
      if (kept->unique && !dropped->unique) {
        finding.evidence.push_back(
            fmt::format("{} is UNIQUE on the same columns: it serves "
                        "every lookup {} does",
                        kept->name, dropped->name));
      }
      if (!dupe.uniqueness_ignored_because.empty()) {
        finding.evidence.push_back(fmt::format(
            "both are UNIQUE on the same columns: {}; dropping {} loses no constraint, {} "
            "keeps enforcing it",
            dupe.uniqueness_ignored_because, dropped->name, kept->name));
      }
      propose_drop_duplicate(table, *dropped, *kept, finding);
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
