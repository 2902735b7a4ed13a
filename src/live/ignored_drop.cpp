#include "ignored_drop.h"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>

#include "index_visibility.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/schema_reader.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

using Tokens = std::vector<SqlToken>;

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool is_dropped(const std::vector<IndexName>& dropped, const std::string& table,
                const std::string& index) {
  return std::any_of(dropped.begin(), dropped.end(), [&](const IndexName& name) {
    return iequals(name.table, table) && iequals(name.index, index);
  });
}

// How an index is defined, in CREATE TABLE's words: "UNIQUE KEY (a, b(10))".
std::string definition_text(bool unique, const std::string& type,
                            const std::vector<IndexColumn>& columns) {
  IndexInfo index;
  index.columns = columns;
  const std::string kind = unique ? "UNIQUE KEY" : type == "BTREE" ? "KEY" : type + " KEY";
  return kind + " " + index.column_list();
}

std::vector<IndexColumn> index_columns(const std::vector<IndexKeyPart>& parts) {
  std::vector<IndexColumn> columns;
  for (const IndexKeyPart& part : parts) {
    IndexColumn column;
    column.column = part.column;
    column.sub_part = part.sub_part;
    column.descending = part.descending;
    column.seq = static_cast<int>(columns.size()) + 1;
    columns.push_back(std::move(column));
  }
  return columns;
}

bool same_definition(const IndexInfo& index, const IndexDefinition& definition) {
  if (index.unique != definition.unique || index.btree() != (definition.type == "BTREE") ||
      (!index.btree() && index.type != definition.type) ||
      index.columns.size() != definition.columns.size()) {
    return false;
  }
  for (std::size_t i = 0; i < index.columns.size(); ++i) {
    const IndexColumn& have = index.columns[i];
    const IndexKeyPart& made = definition.columns[i];
    if (!iequals(have.column, made.column) || have.sub_part != made.sub_part ||
        have.descending != made.descending) {
      return false;
    }
  }
  return true;
}

// Why the rollback does not put back exactly what the migration drops, or empty.
std::string why_not_inverse(const DropOnlyMigration& drops, const SchemaInfo& schema) {
  if (!drops.rollback_unread.empty()) {
    return "the rollback is not read as re-creating the dropped indexes: " + drops.rollback_unread;
  }
  for (const IndexDefinition& made : drops.recreated) {
    if (!is_dropped(drops.dropped, made.name.table, made.name.index)) {
      return fmt::format("the rollback ({}) creates {}.{}, which the migration does not drop",
                         made.name.where.str(), made.name.table, made.name.index);
    }
  }
  for (const IndexName& name : drops.dropped) {
    const auto made = std::find_if(drops.recreated.begin(), drops.recreated.end(),
                                   [&](const IndexDefinition& definition) {
                                     return iequals(definition.name.table, name.table) &&
                                            iequals(definition.name.index, name.index);
                                   });
    if (made == drops.recreated.end()) {
      return fmt::format("the rollback does not re-create {}.{}", name.table, name.index);
    }
    const IndexInfo& index = *schema.table(name.table)->index(name.index);
    if (!same_definition(index, *made)) {
      return fmt::format("the rollback ({}) re-creates {}.{} as {}, not as it is now ({})",
                         made->name.where.str(), name.table, name.index,
                         definition_text(made->unique, made->type, index_columns(made->columns)),
                         definition_text(index.unique, index.type, index.columns));
    }
  }
  return "";
}

// A table without a PRIMARY KEY: its first UNIQUE key on NOT NULL whole columns, which
// the server treats as the primary key (and refuses to ignore: MariaDB error 4174).
const IndexInfo* implicit_primary_key(const TableInfo& table) {
  for (const IndexInfo& index : table.indexes) {
    if (index.primary()) return nullptr;
  }
  for (const IndexInfo& index : table.indexes) {
    if (!index.unique || !index.btree() || index.columns.empty()) continue;
    const bool whole = std::none_of(
        index.columns.begin(), index.columns.end(),
        [](const IndexColumn& c) { return c.nullable || c.sub_part || c.column.empty(); });
    if (whole) return &index;
  }
  return nullptr;
}

// Why an index the migration drops cannot be ignored in its place, or empty.
std::string why_not_ignorable(const IndexName& name, const std::vector<IndexName>& dropped,
                              const SchemaInfo& schema) {
  const TableInfo* table = schema.table(name.table);
  if (table == nullptr) {
    return fmt::format("{}: there is no table {}", name.where.str(), name.table);
  }
  const IndexInfo* index = table->index(name.index);
  if (index == nullptr) {
    return fmt::format("{}: table {} has no index {}", name.where.str(), table->name, name.index);
  }
  if (index->primary()) {
    return fmt::format("{}: it drops the primary key of {}, which cannot be ignored",
                       name.where.str(), table->name);
  }
  if (implicit_primary_key(*table) == index) {
    return fmt::format(
        "{}: {}.{} is the table's implicit primary key (its first UNIQUE key on NOT NULL "
        "columns, the table having none), which cannot be ignored",
        name.where.str(), table->name, index->name);
  }
  if (!index->visible) {
    return fmt::format("{}: {}.{} is already {}", name.where.str(), table->name, index->name,
                       hidden_word(schema.server));
  }
  for (const ForeignKeyInfo* fk : foreign_keys_served(*table, *index)) {
    const bool backed =
        std::any_of(table->indexes.begin(), table->indexes.end(), [&](const IndexInfo& other) {
          if (&other == index || !other.btree() || is_dropped(dropped, table->name, other.name)) {
            return false;
          }
          const std::vector<const ForeignKeyInfo*> served = foreign_keys_served(*table, other);
          return std::find(served.begin(), served.end(), fk) != served.end();
        });
    if (!backed) {
      return fmt::format(
          "{}: foreign key {} ({}) needs {}.{}: the real DROP fails (error 1553), and only the "
          "real DDL shows that",
          name.where.str(), fk->name, fk->table, table->name, index->name);
    }
  }
  return "";
}

// Why a query's index hint would behave differently with the index ignored than dropped,
// or empty: a hint names an index by any unambiguous prefix of its name, so once the index
// is really dropped, a hint that names it may resolve to another index whose name starts
// the same way — while an ignored index still matches and fails the query (error 1176).
std::string why_hints_differ(const std::vector<IndexName>& dropped, const SchemaInfo& schema,
                             const std::vector<Screen>& screens) {
  for (const Screen& screen : screens) {
    for (const Query& query : screen.queries) {
      const QueryShape shape = read_query_shape(query.sql);
      for (const IndexHint& hint : shape.hints) {
        // An optimizer hint never resolves by prefix: ignored or dropped, it is unresolved.
        if (hint.optimizer_hint || hint.table_reference >= shape.tables.size()) continue;
        const TableInfo* table = schema.table(shape.tables[hint.table_reference].table);
        if (table == nullptr) continue;
        for (const std::string& named : hint.indexes) {
          for (const IndexName& name : dropped) {
            if (!iequals(name.table, table->name) || !starts_with_ci(name.index, named)) continue;
            for (const IndexInfo& other : table->indexes) {
              if (is_dropped(dropped, table->name, other.name) ||
                  !starts_with_ci(other.name, named)) {
                continue;
              }
              return fmt::format(
                  "{}/{} ({}) has {}: once {}.{} is really dropped the server resolves {} to "
                  "{}, a prefix match, while an ignored index would fail the query",
                  screen.name, query.name, query.where.str(), hint.text, table->name, name.index,
                  named, other.name);
            }
          }
        }
      }
    }
  }
  return "";
}

}  // namespace

std::string why_real_ddl(const DropOnlyMigration& drops, const SchemaInfo& schema,
                         const std::vector<Screen>& screens) {
  if (std::string why = why_indexes_cannot_be_hidden(schema.server); !why.empty()) return why;
  for (const IndexName& name : drops.dropped) {
    if (std::string why = why_not_ignorable(name, drops.dropped, schema); !why.empty()) {
      return why;
    }
  }
  if (std::string why = why_not_inverse(drops, schema); !why.empty()) return why;
  return why_hints_differ(drops.dropped, schema, screens);
}

DropMeasurement measure_drops(Connection& connection, const std::string& database,
                              const SchemaChange& migration, const std::vector<Screen>& screens,
                              bool screens_write) {
  const std::optional<DropOnlyMigration> drops = read_drop_only(migration.apply, migration.undo);
  if (!drops) return {migration, ""};
  if (migration.keep) {
    return {migration,
            "the migration only drops indexes, and stays applied (--keep): the "
            "real DDL runs"};
  }
  if (screens_write) {
    return {migration,
            "the migration only drops indexes, but the screens may write (--allow-writes): "
            "an ignored index is still maintained, and a UNIQUE one still refuses "
            "duplicates, so the real DDL runs"};
  }
  CollectOptions options;
  options.structure_only = true;
  const SchemaInfo schema = collect_schema(connection, database, options);
  for (const IndexName& name : drops->dropped) {
    const TableInfo* table = schema.table(name.table);
    const IndexInfo* index = table == nullptr ? nullptr : table->index(name.index);
    if (index != nullptr && !index->visible) {
      // Its rollback would bring it back visible, and the schema check would fail.
      fail(ExitCode::kUsage,
           fmt::format("{}: {}.{} is already {}: possibly left so by a live compare that was "
                       "killed; `sqlmeasure recover` puts it back (or ALTER TABLE {} ALTER "
                       "INDEX {} {} if nobody hid it on purpose)",
                       name.where.str(), table->name, index->name, hidden_word(schema.server),
                       quote_identifier(table->name), quote_identifier(index->name),
                       shown_word(schema.server)));
    }
  }
  if (std::string why = why_real_ddl(*drops, schema, screens); !why.empty()) {
    return {migration, "the migration only drops indexes, but the real DDL runs: " + why};
  }
  SchemaChange change = migration;
  change.apply.clear();
  change.undo.clear();
  change.real_ddl = false;
  std::vector<std::string> names;
  for (const IndexName& name : drops->dropped) {
    const TableInfo& table = *schema.table(name.table);
    const IndexInfo& index = *table.index(name.index);
    change.apply.push_back(
        hide_index_statement(schema.server, database, table.name, index.name, name.where));
    change.undo.push_back(
        show_index_statement(schema.server, database, table.name, index.name, name.where));
    names.push_back(table.name + "." + index.name);
  }
  const char* hidden = hidden_word(schema.server);
  change.description =
      fmt::format("{} ({} {}, not dropped)", migration.description, join(names), hidden);
  return {std::move(change),
          fmt::format("the migration only drops indexes: the after phases measure with {} {} "
                      "instead of dropping and rebuilding {} at each alternation (--apply-ddl "
                      "runs the real DDL)",
                      join(names), hidden, names.size() == 1 ? "it" : "them")};
}

}  // namespace sqlmeasure
