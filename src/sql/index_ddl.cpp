#include "sqlmeasure/index_ddl.h"

#include "ddl_tokens.h"
#include "sqlmeasure/sql_lexer.h"

namespace sqlmeasure {
namespace {

using Tokens = std::vector<SqlToken>;

// An index name at `i`, after an optional IF [NOT] EXISTS: the index after it, or 0.
std::size_t index_name_at(const Tokens& code, std::size_t i, std::string& name) {
  if (keyword_at(code, i) == "IF") {
    i += keyword_at(code, i + 1) == "NOT" ? 3 : 2;
  }
  if (i >= code.size() || !is_identifier(code[i])) return 0;
  name = identifier_name(code[i]);
  return i + 1;
}

// One clause of ALTER TABLE `table`, [begin, end).
void read_clause(const Tokens& code, std::size_t begin, std::size_t end, const std::string& table,
                 const SourceLocation& where, std::vector<IndexDdl>& out) {
  const std::string verb = keyword_at(code, begin);
  const std::string what = keyword_at(code, begin + 1);
  IndexDdl change{IndexDdl::Kind::kDrop, table, "", "", where};
  if (verb == "DROP") {
    if (what == "PRIMARY" && keyword_at(code, begin + 2) == "KEY") {
      change.index = "PRIMARY";
    } else if (!word_in(what, {"INDEX", "KEY"}) ||
               index_name_at(code, begin + 2, change.index) == 0) {
      return;
    }
  } else if (verb == "RENAME" && word_in(what, {"INDEX", "KEY"})) {
    change.kind = IndexDdl::Kind::kRename;
    const std::size_t to = index_name_at(code, begin + 2, change.index);
    if (to == 0 || keyword_at(code, to) != "TO" ||
        index_name_at(code, to + 1, change.new_name) == 0) {
      return;
    }
  } else if (verb == "ALTER" && word_in(what, {"INDEX", "KEY"})) {
    const std::size_t state = index_name_at(code, begin + 2, change.index);
    if (state == 0) return;
    const std::string word = keyword_at(code, state);
    if (word == "IGNORED" || word == "INVISIBLE") {
      change.kind = IndexDdl::Kind::kHide;
    } else if ((word == "NOT" && keyword_at(code, state + 1) == "IGNORED") || word == "VISIBLE") {
      change.kind = IndexDdl::Kind::kShow;
    } else {
      return;
    }
  } else if (verb == "ADD") {
    // ADD [CONSTRAINT [c]] [UNIQUE|FULLTEXT|SPATIAL|PRIMARY] [INDEX|KEY] [IF NOT EXISTS] name
    std::size_t i = begin + 1;
    if (keyword_at(code, i) == "CONSTRAINT") i += keyword_at(code, i + 1).empty() ? 1 : 2;
    if (keyword_at(code, i) == "PRIMARY") {
      change.kind = IndexDdl::Kind::kAdd;
      change.index = "PRIMARY";
      out.push_back(std::move(change));
      return;
    }
    bool index = false;
    while (word_in(keyword_at(code, i), {"UNIQUE", "FULLTEXT", "SPATIAL", "INDEX", "KEY"})) {
      index = true;
      ++i;
    }
    if (!index || i >= end || code[i].is('(')) return;  // a column, or an unnamed index
    change.kind = IndexDdl::Kind::kAdd;
    if (index_name_at(code, i, change.index) == 0) return;
  } else {
    return;
  }
  out.push_back(std::move(change));
}

}  // namespace

std::vector<IndexDdl> read_index_ddl(const SqlStatement& statement) {
  const Tokens code = code_tokens(statement.text);
  std::vector<IndexDdl> out;
  const std::string first = keyword_at(code, 0);
  if (first == "DROP" && keyword_at(code, 1) == "TABLE") {
    // DROP TABLE [IF EXISTS] a, b
    std::size_t i = 2;
    if (keyword_at(code, i) == "IF" && keyword_at(code, i + 1) == "EXISTS") i += 2;
    while (i < code.size()) {
      IndexDdl dropped{IndexDdl::Kind::kDropTable, "", "", "", statement.where};
      const std::size_t next = table_name_at(code, i, nullptr, &dropped.table);
      if (next == i) break;
      out.push_back(std::move(dropped));
      if (next >= code.size() || !code[next].is(',')) break;
      i = next + 1;
    }
    return out;
  }
  if (first == "DROP" || first == "CREATE") {
    // DROP [ONLINE] INDEX [IF EXISTS] a ON t; CREATE [OR REPLACE] [UNIQUE...] INDEX a ON t
    std::size_t i = 1;
    while (word_in(keyword_at(code, i),
                   {"ONLINE", "OFFLINE", "OR", "REPLACE", "UNIQUE", "FULLTEXT", "SPATIAL"})) {
      ++i;
    }
    if (keyword_at(code, i) != "INDEX") return out;
    IndexDdl change{first == "DROP" ? IndexDdl::Kind::kDrop : IndexDdl::Kind::kAdd, "", "", "",
                    statement.where};
    const std::size_t on = index_name_at(code, i + 1, change.index);
    if (on == 0 || keyword_at(code, on) != "ON") return out;
    if (table_name_at(code, on + 1, nullptr, &change.table) == on + 1) return out;
    out.push_back(std::move(change));
    return out;
  }
  const std::size_t name = alter_table_name(code);
  if (name == 0) return out;
  std::string table;
  const std::size_t after = table_name_at(code, name, nullptr, &table);
  if (after == name) return out;
  for (const auto& [begin, end] : alter_clauses(code, after)) {
    if (begin < end) read_clause(code, begin, end, table, statement.where, out);
  }
  return out;
}

}  // namespace sqlmeasure
