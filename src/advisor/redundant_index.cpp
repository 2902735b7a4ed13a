// Rule redundant-index: an index whose columns are a left prefix of another index's columns
// (every lookup it serves, the longer one serves too), or one that ends with the InnoDB
// primary key, which every secondary index carries anyway (the definition only repeats it).
#include <fmt/format.h>

#include <algorithm>

#include "duplicate_keys.h"
#include "evidence_text.h"
#include "fix_sql.h"
#include "rule.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure::advisor {
namespace {

// A foreign key that only `index` backs, on more columns than the shortened definition
// declares: the server checks declared columns, so shortening it fails with error 1553
// ("needed in a foreign key constraint") although InnoDB stores the same.
bool needs_declared_columns(const TableInfo& table, const IndexInfo& index, std::size_t kept) {
  const ForeignKeyInfo* fk = foreign_key_needing(table, index);
  if (fk == nullptr) return false;
  const bool declared_here =
      std::any_of(table.foreign_keys.begin(), table.foreign_keys.end(),
                  [&](const ForeignKeyInfo& declared) { return &declared == fk; });
  return (declared_here ? fk->columns.size() : fk->referenced_columns.size()) > kept;
}

void check(const RuleInput& input, const RuleInfo& info, std::vector<Finding>& out) {
  for (const TableInfo& table : input.schema.tables) {
    const std::vector<DuplicateKey> dupes = find_duplicate_keys(table);
    for (const DuplicateKey& dupe : dupes) {
      const IndexInfo* dropped = table.index(dupe.index);
      const IndexInfo* longer = table.index(dupe.duplicate_of);
      if (dropped == nullptr || longer == nullptr) continue;
      if (dupe.kind == DuplicateKind::kExact) continue;  // duplicate-index
      if (dupe.kind == DuplicateKind::kClusteredSuffix) {
        if (physical_twin(table, dupe) != nullptr) continue;  // duplicate-index
        if (needs_declared_columns(table, *dropped, dupe.shortened.size())) continue;
        Finding finding = make_finding(info, table.name, dropped->name);
        finding.severity = Severity::kInfo;
        const bool whole = dupe.repeated.size() == longer->columns.size();
        finding.summary =
            whole ? fmt::format(
                        "{} ends with the primary key {}, which InnoDB appends "
                        "to every secondary index anyway",
                        index_text(*dropped), longer->column_list())
                  : fmt::format(
                        "{} ends with ({}), the leading part of the primary key {}, "
                        "which InnoDB appends to every secondary index anyway (only the "
                        "columns an index lacks)",
                        index_text(*dropped), join(dupe.repeated), longer->column_list());
        finding.evidence.push_back(fmt::format(
            "stored the same as ({}): shortening the definition changes nothing on disk, it "
            "only says what InnoDB stores",
            join(dupe.shortened)));
        if (dropped->unique) {
          finding.evidence.push_back(fmt::format(
              "{} is UNIQUE, and the fix defines it as a plain KEY: it contains the whole "
              "primary key {}, which alone makes every row's combination unique, so no "
              "constraint is lost",
              dropped->name, longer->column_list()));
        }
        finding.fix.push_back(
            redefine_index_sql(table.name, dropped->name, false, join(dupe.shortened)));
        finding.verify.push_back(verify_migration_note());
        out.push_back(std::move(finding));
        continue;
      }
      // A left prefix of `longer`. When `longer` is itself only this index plus the primary key,
      // the two are one index stored twice: drop the longer definition and keep this one.
      Finding finding = make_finding(info, table.name, dropped->name);
      finding.summary =
          fmt::format("{} is a left prefix of {}", index_text(*dropped), index_text(*longer));
      finding.evidence.push_back(definitions_text(*dropped, *longer));
      const DuplicateKey* twin_of = nullptr;
      for (const DuplicateKey& other : dupes) {
        if (other.index == longer->name && physical_twin(table, other) == dropped) twin_of = &other;
      }
      if (twin_of != nullptr) {
        finding.evidence.push_back(fmt::format(
            "{} only adds the primary key, which InnoDB appends to {} anyway: the two are the "
            "same index physically; keep the shorter definition and drop {} (see its "
            "duplicate-index finding)",
            longer->name, dropped->name, longer->name));
        propose_drop_index(table.name, longer->name, finding);
      } else {
        finding.evidence.push_back(fmt::format(
            "every lookup on {} can use {}; its entries are a little wider, which rarely shows",
            dropped->column_list(), longer->name));
        if (!dupe.uniqueness_ignored_because.empty()) {
          finding.evidence.push_back("its uniqueness is already enforced: " +
                                     dupe.uniqueness_ignored_because);
        }
        propose_drop_duplicate(table, *dropped, *longer, finding);
      }
      out.push_back(std::move(finding));
    }
  }
}

}  // namespace

const Rule& redundant_index_rule() {
  static const Rule rule{{"redundant-index",
                          "an index that is a left prefix of another, or ends with the InnoDB "
                          "primary key (as pt-duplicate-key-checker finds them)",
                          Severity::kWarning, false},
                         check};
  return rule;
}

}  // namespace sqlmeasure::advisor
