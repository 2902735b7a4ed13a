// A migration that only drops indexes, and the indexes its rollback creates, read with the
// SQL lexer (drop_only_ddl.h).
#include "sqlmeasure/drop_only_ddl.h"

#include <fmt/format.h>

#include "ddl_tokens.h"
#include "sqlmeasure/number_parse.h"
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
std::size_t key_parts(const Tokens& code, std::size_t i, std::vector<IndexKeyPart>& columns) {
  if (i >= code.size() || !code[i].is('(')) return 0;
  ++i;
  while (i < code.size()) {
    if (!is_identifier(code[i])) return 0;
    IndexKeyPart column;
    column.column = identifier_name(code[i++]);
    if (i + 2 < code.size() && code[i].is('(') && code[i + 1].kind == SqlToken::Kind::kNumber &&
        code[i + 2].is(')')) {
      const std::string_view digits = code[i + 1].text;
      const std::optional<std::uint64_t> length = parse_unsigned(digits);
      if (!length || digits.size() > 9) return 0;  // no prefix length a server takes
      column.sub_part = length;
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

}  // namespace

std::optional<DropOnlyMigration> read_drop_only(const std::vector<SqlStatement>& apply,
                                                const std::vector<SqlStatement>& undo) {
  DropOnlyMigration drops;
  for (const SqlStatement& statement : apply) {
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
  for (std::size_t i = 0; i < undo.size() && drops.rollback_unread.empty(); ++i) {
    const SqlStatement& statement = undo[i];
    if (std::string why = read_creates(statement, drops.recreated); !why.empty()) {
      drops.rollback_unread = fmt::format("{}: {}", statement.where.str(), why);
    }
  }
  return drops;
}

}  // namespace sqlmeasure
