// The foreign keys an index serves: declared on its table, or pointing to it.
#include "sqlmeasure/index_model.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {

std::vector<const ForeignKeyInfo*> foreign_keys_served(const TableInfo& table,
                                                       const IndexInfo& index) {
  std::vector<const ForeignKeyInfo*> out;
  const std::vector<std::string> columns = index.column_names();
  auto covers = [&](const std::vector<std::string>& fk_columns) {
    if (fk_columns.empty() || fk_columns.size() > columns.size()) return false;
    for (size_t i = 0; i < fk_columns.size(); ++i) {
      if (!iequals(fk_columns[i], columns[i])) return false;
      if (index.columns[i].sub_part) return false;  // a prefix index cannot back a foreign key
    }
    return true;
  };
  for (const ForeignKeyInfo& fk : table.foreign_keys) {
    if (covers(fk.columns)) out.push_back(&fk);
  }
  for (const ForeignKeyInfo& fk : table.referenced_by) {
    if (covers(fk.referenced_columns)) out.push_back(&fk);
  }
  return out;
}

const ForeignKeyInfo* foreign_key_needing(const TableInfo& table, const IndexInfo& index) {
  for (const ForeignKeyInfo* fk : foreign_keys_served(table, index)) {
    bool other = false;
    for (const IndexInfo& candidate : table.indexes) {
      if (&candidate == &index || !candidate.btree()) continue;
      for (const ForeignKeyInfo* served : foreign_keys_served(table, candidate)) {
        other = other || served == fk;
      }
    }
    if (!other) return fk;
  }
  return nullptr;
}

}  // namespace sqlmeasure
