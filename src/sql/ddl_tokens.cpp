#include "ddl_tokens.h"

#include <algorithm>

namespace sqlmeasure {

bool word_in(const std::string& word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

std::size_t table_name_at(const std::vector<SqlToken>& code, std::size_t i,
                          std::vector<std::string>* databases, std::string* name) {
  if (i >= code.size() || !is_identifier(code[i])) return i;
  if (i + 2 < code.size() && code[i + 1].is('.') && is_identifier(code[i + 2])) {
    if (databases != nullptr) databases->push_back(identifier_name(code[i]));
    if (name != nullptr) *name = identifier_name(code[i + 2]);
    return i + 3;
  }
  if (name != nullptr) *name = identifier_name(code[i]);
  return i + 1;
}

std::vector<std::pair<std::size_t, std::size_t>> alter_clauses(const std::vector<SqlToken>& code,
                                                               std::size_t i) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t begin = i;
  int depth = 0;
  for (std::size_t j = i; j <= code.size(); ++j) {
    const bool end = j == code.size() || (depth == 0 && code[j].is(';'));
    if (end || (depth == 0 && code[j].is(','))) {
      out.emplace_back(begin, j);
      if (end) break;
      begin = j + 1;
      continue;
    }
    if (code[j].is('(')) ++depth;
    if (code[j].is(')')) --depth;
  }
  return out;
}

std::size_t how_clause(const std::vector<SqlToken>& code, std::size_t i) {
  if (!word_in(keyword_at(code, i), {"ALGORITHM", "LOCK"})) return i;
  std::size_t j = i + 1;
  if (j < code.size() && code[j].is('=')) ++j;
  return j < code.size() && is_identifier(code[j]) ? j + 1 : i;
}

std::size_t alter_table_name(const std::vector<SqlToken>& code) {
  if (keyword_at(code, 0) != "ALTER") return 0;
  std::size_t i = 1;
  while (word_in(keyword_at(code, i), {"ONLINE", "IGNORE"})) ++i;
  if (keyword_at(code, i) != "TABLE") return 0;
  ++i;
  if (keyword_at(code, i) == "IF" && keyword_at(code, i + 1) == "EXISTS") i += 2;
  return i;
}

}  // namespace sqlmeasure
