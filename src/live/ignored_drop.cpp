#include "live/ignored_drop.h"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>

#include "live/ddl_tokens.h"
#include "live/index_visibility.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/index_collection.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

using Tokens = std::vector<SqlToken>;

// The indexes one statement drops; false when it does anything else.
bool read_drops(const SqlStatement& statement, std::vector<IndexName>& out) {
  const Tokens code = code_tokens(statement.text);
  auto index_name = [&](std::size_t i, std::string& name) {
    if (keyword_at(code, i) == "IF" && keyword_at(code, i + 1) == "EXISTS") i += 2;
    if (i >= code.size() || !is_identifier(code[i])) return std::size_t{0};
    name = identifier_name(code[i]);
    return i + 1;
  };
  if (keyword_at(code, 0) == "DROP") {
    // DROP INDEX [IF EXISTS] name ON table [ALGORITHM=...] [LOCK=...]
    std::size_t i = keyword_at(code, 1) == "ONLINE" ? 2 : 1;
    if (keyword_at(code, i) != "INDEX") return false;
    IndexName dropped{"", "", statement.where};
    i = index_name(i + 1, dropped.index);
    if (i == 0 || keyword_at(code, i) != "ON") return false;
    const std::size_t after = table_name_at(code, i + 1, nullptr, &dropped.table);
    if (after == i + 1) return false;
    for (i = after; i < code.size();) {
      const std::size_t next = how_clause(code, i);
      if (next == i) return false;
      i = next;
    }
    out.push_back(std::move(dropped));
    return true;
  }
  std::size_t i = alter_table_name(code);
  if (i == 0) return false;
  std::string table;
  const std::size_t after = table_name_at(code, i, nullptr, &table);
  if (after == i) return false;
  bool drops = false;
  for (const auto& [begin, end] : alter_clauses(code, after)) {
    if (begin == end) return false;  // `DROP INDEX a,`: the server refuses it
    if (how_clause(code, begin) == end) continue;
    if (keyword_at(code, begin) != "DROP") return false;
    const std::string what = keyword_at(code, begin + 1);
    IndexName dropped{table, "", statement.where};
    if (what == "PRIMARY" && keyword_at(code, begin + 2) == "KEY" && begin + 3 == end) {
      dropped.index = "PRIMARY";
    } else if (!word_in(what, {"INDEX", "KEY"}) || index_name(begin + 2, dropped.index) != end) {
      return false;
    }
    out.push_back(std::move(dropped));
    drops = true;
  }
  return drops;
}

// `(a, b(10), c DESC)` at `i` into `columns`; the index after it, or 0 for anything else
// (a functional key part, a missing parenthesis).
std::size_t key_parts(const Tokens& code, std::size_t i, std::vector<IndexColumn>& columns) {
  if (i >= code.size() || !code[i].is('(')) return 0;
  ++i;
  while (i < code.size()) {
    if (!is_identifier(code[i])) return 0;
    IndexColumn column;
    column.column = identifier_name(code[i++]);
    column.seq = static_cast<int>(columns.size()) + 1;
    if (i + 2 < code.size() && code[i].is('(') && code[i + 1].kind == SqlToken::Kind::kNumber &&
        code[i + 2].is(')')) {
      const std::string digits(code[i + 1].text);
      if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) {
        return 0;  // no prefix length a server takes
      }
      column.sub_part = std::stoull(digits);
      i += 3;
    }
    if (word_in(keyword_at(code, i), {"ASC", "DESC"}))
      column.descending = keyword_at(code, i++) == "DESC";
    columns.push_back(std::move(column));
    if (i < code.size() && code[i].is(',')) {
      ++i;
      continue;
    }
    return i < code.size() && code[i].is(')') ? i + 1 : 0;
  }
  return 0;
}

// USING BTREE|HASH at `i` into `type`: the index after it, or `i`.
std::size_t using_type(const Tokens& code, std::size_t i, std::string& type) {
  if (keyword_at(code, i) != "USING" || !word_in(keyword_at(code, i + 1), {"BTREE", "HASH"})) {
    return i;
  }
  // InnoDB builds a B-tree for USING HASH too; information_schema says BTREE.
  type = "BTREE";
  return i + 2;
}

// After the key parts of a definition: only USING, ALGORITHM and LOCK are understood. Why
// not, or empty.
std::string trailing_options(const Tokens& code, std::size_t i, std::size_t end,
                             IndexDefinition& definition) {
  while (i < end) {
    std::size_t next = using_type(code, i, definition.type);
    if (next == i) next = how_clause(code, i);
    if (next == i) {
      return fmt::format(
          "an index option sqlmeasure does not compare ({})",
          keyword_at(code, i).empty() ? std::string(code[i].text) : keyword_at(code, i));
    }
    i = next;
  }
  return "";
}

// ADD [CONSTRAINT [symbol]] {INDEX|KEY|UNIQUE [INDEX|KEY]|FULLTEXT|SPATIAL|PRIMARY KEY} name
// [USING t] (parts) [USING t]. Why it is not read, or empty.
std::string read_add(const Tokens& code, std::size_t begin, std::size_t end,
                     const std::string& table, const SqlStatement& statement,
                     std::vector<IndexDefinition>& out) {
  IndexDefinition definition;
  definition.name = {table, "", statement.where};
  std::size_t i = begin + 1;
  if (keyword_at(code, i) == "CONSTRAINT") {
    ++i;
    if (!word_in(keyword_at(code, i), {"UNIQUE", "PRIMARY"}) && i < end && is_identifier(code[i])) {
      ++i;
    }
  }
  const std::string kind = keyword_at(code, i);
  if (kind == "PRIMARY" && keyword_at(code, i + 1) == "KEY") {
    definition.name.index = "PRIMARY";
    definition.unique = true;
    i += 2;
  } else {
    if (kind == "UNIQUE") {
      definition.unique = true;
    } else if (kind == "FULLTEXT" || kind == "SPATIAL") {
      definition.type = kind;
    } else if (!word_in(kind, {"INDEX", "KEY"})) {
      return "it adds something other than an index";
    }
    ++i;
    if (kind != "INDEX" && kind != "KEY" && word_in(keyword_at(code, i), {"INDEX", "KEY"})) ++i;
    if (keyword_at(code, i) == "IF" && keyword_at(code, i + 1) == "NOT") i += 3;
    if (i >= end || !is_identifier(code[i]) || keyword_at(code, i) == "USING") {
      return "it adds an index without a name";
    }
    definition.name.index = identifier_name(code[i++]);
  }
  i = using_type(code, i, definition.type);
  i = key_parts(code, i, definition.columns);
  if (i == 0) return "a key part that is not a plain column (or a prefix of one)";
  if (std::string why = trailing_options(code, i, end, definition); !why.empty()) return why;
  out.push_back(std::move(definition));
  return "";
}

// CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX [IF NOT EXISTS] name [USING t] ON table (parts)
// [USING t] [ALGORITHM=...] [LOCK=...]. Why it is not read, or empty.
std::string read_create(const Tokens& code, const SqlStatement& statement,
                        std::vector<IndexDefinition>& out) {
  IndexDefinition definition;
  definition.name.where = statement.where;
  std::size_t i = 1;
  if (keyword_at(code, i) == "ONLINE") ++i;
  const std::string kind = keyword_at(code, i);
  if (kind == "UNIQUE") definition.unique = true;
  if (kind == "FULLTEXT" || kind == "SPATIAL") definition.type = kind;
  if (kind != "INDEX") ++i;
  if (keyword_at(code, i) != "INDEX") return "it creates something other than an index";
  ++i;
  if (keyword_at(code, i) == "IF" && keyword_at(code, i + 1) == "NOT") i += 3;
  if (i >= code.size() || !is_identifier(code[i])) return "it creates an index without a name";
  definition.name.index = identifier_name(code[i++]);
  i = using_type(code, i, definition.type);
  if (keyword_at(code, i) != "ON") return "CREATE INDEX without ON table";
  const std::size_t after = table_name_at(code, i + 1, nullptr, &definition.name.table);
  if (after == i + 1) return "CREATE INDEX without ON table";
  i = key_parts(code, after, definition.columns);
  if (i == 0) return "a key part that is not a plain column (or a prefix of one)";
  if (std::string why = trailing_options(code, i, code.size(), definition); !why.empty()) {
    return why;
  }
  out.push_back(std::move(definition));
  return "";
}

// The indexes one rollback statement creates. Why it is not read, or empty.
std::string read_creates(const SqlStatement& statement, std::vector<IndexDefinition>& out) {
  const Tokens code = code_tokens(statement.text);
  if (keyword_at(code, 0) == "CREATE") return read_create(code, statement, out);
  std::size_t i = alter_table_name(code);
  if (i == 0) return "it does not create an index";
  std::string table;
  const std::size_t after = table_name_at(code, i, nullptr, &table);
  if (after == i) return "ALTER TABLE without a table name";
  for (const auto& [begin, end] : alter_clauses(code, after)) {
    if (begin == end) return "an empty clause";
    if (how_clause(code, begin) == end) continue;
    if (keyword_at(code, begin) != "ADD") return "it does more than add indexes";
    if (std::string why = read_add(code, begin, end, table, statement, out); !why.empty()) {
      return why;
    }
  }
  return "";
}

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

bool same_definition(const IndexInfo& index, const IndexDefinition& definition) {
  if (index.unique != definition.unique || index.btree() != (definition.type == "BTREE") ||
      (!index.btree() && index.type != definition.type) ||
      index.columns.size() != definition.columns.size()) {
    return false;
  }
  for (std::size_t i = 0; i < index.columns.size(); ++i) {
    const IndexColumn& have = index.columns[i];
    const IndexColumn& made = definition.columns[i];
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
                         definition_text(made->unique, made->type, made->columns),
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

std::optional<DropOnlyMigration> read_drop_only(const SchemaChange& migration) {
  DropOnlyMigration drops;
  for (const SqlStatement& statement : migration.apply) {
    if (!read_drops(statement, drops.dropped)) return std::nullopt;
  }
  if (drops.dropped.empty()) return std::nullopt;
  for (std::size_t i = 0; i < drops.dropped.size(); ++i) {
    for (std::size_t j = i + 1; j < drops.dropped.size(); ++j) {
      // The same index twice: the real DDL fails (1091), so that is what runs.
      if (iequals(drops.dropped[i].table, drops.dropped[j].table) &&
          iequals(drops.dropped[i].index, drops.dropped[j].index)) {
        return std::nullopt;
      }
    }
  }
  for (std::size_t i = 0; i < migration.undo.size() && drops.rollback_unread.empty(); ++i) {
    const SqlStatement& statement = migration.undo[i];
    if (std::string why = read_creates(statement, drops.recreated); !why.empty()) {
      drops.rollback_unread = fmt::format("{}: {}", statement.where.str(), why);
    }
  }
  return drops;
}

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
  const std::optional<DropOnlyMigration> drops = read_drop_only(migration);
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
