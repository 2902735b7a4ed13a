#include "live/additive_ddl.h"

#include <vector>

#include "sqlmeasure/sql_lexer.h"

namespace sqlmeasure {
namespace {

using Tokens = std::vector<SqlToken>;

// The word at `i`, skipping any of `optional` words before it.
std::size_t skip_words(const Tokens& code, std::size_t i,
                       std::initializer_list<std::string_view> optional) {
  for (bool skipped = true; skipped;) {
    skipped = false;
    for (std::string_view word : optional) {
      if (keyword_at(code, i) == word) {
        ++i;
        skipped = true;
      }
    }
  }
  return i;
}

// ANALYZE|OPTIMIZE [NO_WRITE_TO_BINLOG|LOCAL] TABLE|TABLES ...: statistics, not schema.
bool refreshes_tables(const Tokens& code) {
  const std::size_t i = skip_words(code, 1, {"NO_WRITE_TO_BINLOG", "LOCAL"});
  return keyword_at(code, i) == "TABLE" || keyword_at(code, i) == "TABLES";
}

// CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX ... (not CREATE OR REPLACE INDEX, which drops one).
bool creates_index(const Tokens& code) {
  const std::size_t i = skip_words(code, 1, {"ONLINE", "UNIQUE", "FULLTEXT", "SPATIAL"});
  return keyword_at(code, i) == "INDEX";
}

// One clause of ALTER TABLE, tokens [begin, end): ADD an index, or an ALGORITHM/LOCK option.
bool clause_adds_index(const Tokens& code, std::size_t begin, std::size_t end) {
  if (begin >= end) return false;
  const std::string first = keyword_at(code, begin);
  if (first == "ALGORITHM" || first == "LOCK") return true;
  if (first != "ADD") return false;
  std::size_t i = begin + 1;
  if (keyword_at(code, i) == "CONSTRAINT") {
    ++i;
    if (i < end && is_identifier(code[i]) && keyword_at(code, i) != "UNIQUE") ++i;
    return keyword_at(code, i) == "UNIQUE";
  }
  const std::string kind = keyword_at(code, i);
  return kind == "INDEX" || kind == "KEY" || kind == "UNIQUE" || kind == "FULLTEXT" ||
         kind == "SPATIAL";
}

// ALTER [ONLINE] [IGNORE] TABLE [IF EXISTS] name clause, clause, ...
bool alter_adds_indexes(const Tokens& code) {
  std::size_t i = skip_words(code, 1, {"ONLINE", "IGNORE"});
  if (keyword_at(code, i) != "TABLE") return false;
  ++i;
  if (keyword_at(code, i) == "IF" && keyword_at(code, i + 1) == "EXISTS") i += 2;
  // The table name: name or db.name.
  if (i >= code.size() || !is_identifier(code[i])) return false;
  ++i;
  if (i + 1 < code.size() && code[i].is('.') && is_identifier(code[i + 1])) i += 2;
  // Clauses are separated by commas outside parentheses.
  std::size_t clause = i;
  int depth = 0;
  for (std::size_t j = i; j <= code.size(); ++j) {
    const bool at_end = j == code.size() || (depth == 0 && code[j].is(';'));
    if (j == code.size() && depth != 0) return false;  // unbalanced: not something we know
    if (at_end || (depth == 0 && code[j].is(','))) {
      if (!clause_adds_index(code, clause, j)) return false;
      if (at_end) return true;
      clause = j + 1;
      continue;
    }
    if (code[j].is('(')) ++depth;
    if (code[j].is(')')) --depth;
  }
  return true;
}

}  // namespace

bool is_additive_ddl(std::string_view sql) {
  const Tokens code = code_tokens(sql);
  if (code.empty() || code.back().kind == SqlToken::Kind::kUnterminated) return false;
  const std::string keyword = keyword_at(code, 0);
  if (keyword == "ANALYZE" || keyword == "OPTIMIZE") return refreshes_tables(code);
  if (keyword == "CREATE") return creates_index(code);
  if (keyword == "ALTER") return alter_adds_indexes(code);
  return false;
}

}  // namespace sqlmeasure
