// Duplicate and redundant keys, found the way Percona's pt-duplicate-key-checker finds them
// (its DuplicateKeyFinder, ported step by step so both tools agree on what is redundant):
//
//  1. The clustered key (PRIMARY, or InnoDB's first UNIQUE NOT NULL key) stands apart.
//     FULLTEXT keys are compared only with FULLTEXT keys, in any column order, and only as
//     exact duplicates.
//  2. A single-column UNIQUE key on a column another UNIQUE key (or the PRIMARY KEY) already
//     constrains is a duplicate constraint, and a multi-column UNIQUE key containing such a
//     column is constrained more strongly elsewhere: both are then treated as plain keys.
//  3. Keys that are a left prefix of (or equal to) another key are redundant: plain keys of
//     the PRIMARY, UNIQUE or plain keys; a key that alone makes a column unique never is.
//  4. InnoDB appends the clustered key to every secondary key, so a key ending with the
//     clustered key's columns carries them twice. Beyond the tool: InnoDB appends only the
//     clustered columns a key lacks, so a key ending with a *leading part* of a multi-column
//     clustered key — KEY o (o, p) beside PRIMARY KEY (p, n) — is stored as (o, p, n) with or
//     without that part (the tool's own comment says it should find these; it does not).
//
// Where the tool reports an index that is not redundant, we do not (docs/indexes.md): it
// compares column lists as text, so a full-column key `name` counts as a left prefix of
// `name(10)`, and `b DESC` equals `b`. We compare column by column, with prefix length and
// direction. It also never compares two multi-column UNIQUE keys; identical ones are
// reported here.
//
// Below the finder: what the duplicate-index and redundant-index rules share when they read
// its results (duplicate_keys.h).
#include "duplicate_keys.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "fix_sql.h"
#include "sqlmeasure/number_text.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

struct Part {
  std::string column;
  std::optional<std::uint64_t> sub_part;
  bool descending = false;
  bool operator==(const Part& other) const {
    return iequals(column, other.column) && sub_part == other.sub_part &&
           descending == other.descending;
  }
};

struct Key {
  const IndexInfo* index = nullptr;
  std::string name;
  std::vector<Part> parts;
  std::string sort_text;  // the column list as the tool sorts it: `a`,`b`(10)
  bool unique = false;
  bool unique_col = false;            // the first key to make its single column unique
  bool duplicate_constraint = false;  // a later single-column UNIQUE key on that column
  std::string constraining;           // the key that already constrains it
  std::string unconstrained;          // "duplicate" or "stronger"
};

Key make_key(const IndexInfo& index) {
  Key key;
  key.index = &index;
  key.name = index.name;
  key.unique = index.unique;
  for (const IndexColumn& column : index.columns) {
    // A functional key part compares by its expression.
    Part part{column.column.empty() ? column.expression : column.column, column.sub_part,
              column.descending};
    key.parts.push_back(part);
  }
  if (index.type == "FULLTEXT") {
    // As the tool sorts them: quoted names, byte order (so `user_id` sorts before `user`).
    std::stable_sort(key.parts.begin(), key.parts.end(), [](const Part& a, const Part& b) {
      return '`' + a.column + '`' < '`' + b.column + '`';
    });
  }
  for (const Part& part : key.parts) {
    if (!key.sort_text.empty()) key.sort_text += ',';
    key.sort_text += '`' + part.column + '`';
    if (part.sub_part) key.sort_text += '(' + std::to_string(*part.sub_part) + ')';
    if (part.descending) key.sort_text += " DESC";
  }
  key.sort_text = ascii_lower(key.sort_text);
  return key;
}

// `shorter` equals the first columns of `longer`.
bool is_left_prefix(const Key& shorter, const Key& longer) {
  if (shorter.parts.size() > longer.parts.size()) return false;
  return std::equal(shorter.parts.begin(), shorter.parts.end(), longer.parts.begin());
}

// A key part as the shortened definition names it: name(10) DESC.
std::string part_text(const std::string& column, const std::optional<std::uint64_t>& sub_part,
                      bool descending) {
  std::string text = column;
  if (sub_part) text += "(" + std::to_string(*sub_part) + ")";
  if (descending) text += " DESC";
  return text;
}

std::vector<std::string> column_names(const std::vector<Part>& parts) {
  std::vector<std::string> names;
  for (const Part& part : parts) {
    names.push_back(part_text(part.column, part.sub_part, part.descending));
  }
  return names;
}

class Finder {
 public:
  explicit Finder(const TableInfo& table) : table_(table) {}

  std::vector<DuplicateKey> run() {
    const IndexInfo* clustered = table_.clustered_index();
    std::vector<const IndexInfo*> indexes;
    for (const IndexInfo& index : table_.indexes) indexes.push_back(&index);
    // The tool walks keys in reverse name order; ties later depend on it.
    std::stable_sort(indexes.begin(), indexes.end(),
                     [](const IndexInfo* a, const IndexInfo* b) { return a->name > b->name; });
    std::optional<Key> primary;
    std::vector<Key> unique_keys, normal_keys, fulltext_keys;
    for (const IndexInfo* index : indexes) {
      Key key = make_key(*index);
      // The clustered key is PRIMARY when there is one, so there is at most one such key.
      if (index->primary() || index == clustered) {
        primary = key;
        continue;
      }
      if (index->type == "FULLTEXT") {
        fulltext_keys.push_back(key);
      } else if (key.unique) {
        unique_keys.push_back(key);
      } else {
        normal_keys.push_back(key);
      }
    }

    unconstrain(primary, unique_keys, normal_keys);
    if (primary) {
      std::vector<Key> left{*primary};
      remove_prefix_duplicates(left, unique_keys, false);
      remove_prefix_duplicates(left, normal_keys, false);
    }
    remove_prefix_duplicates(unique_keys, normal_keys, false);
    remove_prefix_duplicates_within(normal_keys, false);
    remove_prefix_duplicates_within(fulltext_keys, true);
    // Not in the tool: two multi-column UNIQUE keys on the same columns.
    remove_prefix_duplicates_within(unique_keys, true);

    if (primary && clustered != nullptr && iequals(table_.engine, "InnoDB")) {
      remove_clustered_duplicates(*primary, unique_keys, true);
      remove_clustered_duplicates(*primary, normal_keys, false);
    }
    return std::move(dupes_);
  }

 private:
  // Step 2 of the file comment.
  static void unconstrain(const std::optional<Key>& primary, std::vector<Key>& unique_keys,
                          std::vector<Key>& normal_keys) {
    std::map<std::string, std::string> unique_cols;  // column -> key that makes it unique
    struct UniqueSet {
      Key* key;
      std::string constraining;
      int unique_columns = 0;
    };
    std::vector<UniqueSet> sets;
    std::optional<Key> primary_copy = primary;
    std::vector<Key*> all;
    if (primary_copy) all.push_back(&*primary_copy);
    for (Key& key : unique_keys) all.push_back(&key);
    for (Key* key : all) {
      if (key->parts.size() == 1) {
        const std::string column = ascii_lower(key->parts[0].column);
        auto found = unique_cols.find(column);
        if (found == unique_cols.end()) {
          unique_cols[column] = key->name;
          key->unique_col = true;
        } else {
          key->duplicate_constraint = true;
          key->constraining = found->second;
        }
      } else {
        sets.push_back({key, "", 0});
      }
    }
    for (UniqueSet& set : sets) {
      for (const Part& part : set.key->parts) {
        auto found = unique_cols.find(ascii_lower(part.column));
        if (found == unique_cols.end()) continue;
        if (++set.unique_columns > 1) break;
        set.constraining = found->second;
      }
      if (set.unique_columns > 0 && set.key->name != "PRIMARY") {
        set.key->unconstrained = "stronger";
        set.key->constraining = set.constraining;
      }
    }
    std::vector<Key> kept;
    for (Key& key : unique_keys) {
      if (!key.unconstrained.empty()) {
        normal_keys.push_back(key);
      } else if (key.duplicate_constraint) {
        key.unconstrained = "duplicate";
        normal_keys.push_back(key);
      } else {
        kept.push_back(key);
      }
    }
    unique_keys = std::move(kept);
  }

  static void sort_by_columns(std::vector<Key>& keys) {
    std::stable_sort(keys.begin(), keys.end(),
                     [](const Key& a, const Key& b) { return a.sort_text < b.sort_text; });
  }

  void record(const Key& right, const Key& left, DuplicateKind kind) {
    DuplicateKey dupe;
    dupe.index = right.name;
    dupe.duplicate_of = left.name;
    dupe.kind = kind;
    if (right.unconstrained == "duplicate") {
      dupe.uniqueness_ignored_because =
          fmt::format("{} only repeats the uniqueness {} already enforces on {}", right.name,
                      right.constraining, right.parts.front().column);
    } else if (!right.unconstrained.empty()) {
      dupe.uniqueness_ignored_because = fmt::format(
          "{} already makes one of the columns of {} unique, so every combination {} "
          "constrains is unique without it",
          right.constraining, right.name, right.name);
    }
    dupes_.push_back(std::move(dupe));
  }

  // Keys in `right` that are a left prefix of a key in `left` (two different lists).
  void remove_prefix_duplicates(std::vector<Key>& left, std::vector<Key>& right, bool exact) {
    sort_by_columns(left);
    sort_by_columns(right);
    std::vector<bool> removed(right.size(), false);
    for (const Key& l : left) {
      for (size_t j = 0; j < right.size(); ++j) {
        if (removed[j]) continue;
        consider(l, right[j], exact, removed, j);
      }
    }
    erase_removed(right, removed);
  }

  // The same within one list: longest column lists first, each compared with those after it.
  void remove_prefix_duplicates_within(std::vector<Key>& keys, bool exact) {
    sort_by_columns(keys);
    std::reverse(keys.begin(), keys.end());
    std::vector<bool> removed(keys.size(), false);
    for (size_t i = 0; i + 1 < keys.size(); ++i) {
      if (removed[i]) continue;
      for (size_t j = i + 1; j < keys.size(); ++j) {
        if (removed[j]) continue;
        consider(keys[i], keys[j], exact, removed, j);
      }
    }
    erase_removed(keys, removed);
  }

  void consider(const Key& left, const Key& right, bool exact, std::vector<bool>& removed,
                size_t j) {
    if (!is_left_prefix(right, left)) return;
    const bool same = right.parts.size() == left.parts.size();
    if (exact && !same) return;
    if (right.unique_col) return;  // it alone makes its column unique
    record(right, left, same ? DuplicateKind::kExact : DuplicateKind::kLeftPrefix);
    removed[j] = true;
  }

  static void erase_removed(std::vector<Key>& keys, const std::vector<bool>& removed) {
    std::vector<Key> kept;
    for (size_t i = 0; i < keys.size(); ++i) {
      if (!removed[i]) kept.push_back(std::move(keys[i]));
    }
    keys = std::move(kept);
  }

  // How many of the clustered key's leading columns `key` ends with, in order: all of them,
  // or — when something comes before them — a leading part. 0 when none.
  static size_t clustered_columns_at_end(const Key& clustered, const Key& key) {
    for (size_t m = clustered.parts.size(); m >= 1; --m) {
      if (key.parts.size() < m || (m < clustered.parts.size() && key.parts.size() == m)) continue;
      if (std::equal(clustered.parts.begin(),
                     clustered.parts.begin() + static_cast<std::ptrdiff_t>(m),
                     key.parts.end() - static_cast<std::ptrdiff_t>(m))) {
        return m;
      }
    }
    return 0;
  }

  // Keys that end with the clustered key's columns, or with a leading part of them. A
  // UNIQUE key only when it ends with all of them: then the clustered key alone makes every
  // combination unique, and the shortened key needs no constraint; a leading part of a
  // multi-column clustered key is not unique on its own, so UNIQUE (o, p) beside PRIMARY
  // KEY (p, n) constrains something and stays.
  void remove_clustered_duplicates(const Key& clustered, std::vector<Key>& keys, bool unique) {
    std::vector<bool> removed(keys.size(), false);
    for (size_t i = 0; i < keys.size(); ++i) {
      const Key& key = keys[i];
      const size_t m = clustered_columns_at_end(clustered, key);
      if (m == 0 || (unique && m < clustered.parts.size())) continue;
      DuplicateKey dupe;
      dupe.index = key.name;
      dupe.duplicate_of = clustered.name;
      dupe.kind = DuplicateKind::kClusteredSuffix;
      std::vector<Part> shortened(key.parts.begin(),
                                  key.parts.end() - static_cast<std::ptrdiff_t>(m));
      dupe.shortened = column_names(shortened.empty() ? clustered.parts : shortened);
      dupe.repeated = column_names(std::vector<Part>(
          clustered.parts.begin(), clustered.parts.begin() + static_cast<std::ptrdiff_t>(m)));
      dupes_.push_back(std::move(dupe));
      removed[i] = true;
    }
    erase_removed(keys, removed);
  }

  const TableInfo& table_;
  std::vector<DuplicateKey> dupes_;
};

}  // namespace

std::vector<DuplicateKey> find_duplicate_keys(const TableInfo& table) {
  return Finder(table).run();
}

namespace advisor {

const IndexInfo* physical_twin(const TableInfo& table, const DuplicateKey& dupe) {
  if (dupe.kind != DuplicateKind::kClusteredSuffix) return nullptr;
  for (const IndexInfo& candidate : table.indexes) {
    if (candidate.name == dupe.index || candidate.primary() || !candidate.btree()) continue;
    std::vector<std::string> columns;
    for (const IndexColumn& column : candidate.columns) {
      columns.push_back(part_text(column.column, column.sub_part, column.descending));
    }
    if (columns.size() != dupe.shortened.size()) continue;
    bool same = true;
    for (size_t i = 0; i < columns.size(); ++i)
      same = same && iequals(columns[i], dupe.shortened[i]);
    if (same) return &candidate;
  }
  return nullptr;
}

std::string definitions_text(const IndexInfo& dropped, const IndexInfo& kept) {
  return "definitions: " + key_definition(dropped) + "; " + key_definition(kept);
}

void propose_drop_duplicate(const TableInfo& table, const IndexInfo& dropped, const IndexInfo& kept,
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
  propose_drop_index(table.name, dropped.name, finding);
}

}  // namespace advisor
}  // namespace sqlmeasure
