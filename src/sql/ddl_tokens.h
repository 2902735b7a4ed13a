#pragma once
// Reading DDL on the SQL lexer's tokens: what the migration classifier and the drop-only
// reader share. Private to src/sql/.
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sqlmeasure/sql_lexer.h"

namespace sqlmeasure {

// `word` (a keyword_at result) is one of `words`.
[[nodiscard]] bool word_in(const std::string& word, std::initializer_list<std::string_view> words);

// A table name at `i` (name or db.name): the qualifying database into `databases` and the
// name into `name`, each when given. The index after it, or `i` when there is none.
std::size_t table_name_at(const std::vector<SqlToken>& code, std::size_t i,
                          std::vector<std::string>* databases, std::string* name);

// ALTER TABLE's clauses from `i`, split at commas outside parentheses, up to the end or a
// ';' outside them: [begin, end) each (an empty one for `DROP INDEX a,`).
[[nodiscard]] std::vector<std::pair<std::size_t, std::size_t>> alter_clauses(
    const std::vector<SqlToken>& code, std::size_t i);

// ALGORITHM [=] x or LOCK [=] x at `i`: the index after it, or `i`.
[[nodiscard]] std::size_t how_clause(const std::vector<SqlToken>& code, std::size_t i);

// ALTER [ONLINE] [IGNORE] TABLE [IF EXISTS]: the index of the table name, or 0 when the
// statement is not one.
[[nodiscard]] std::size_t alter_table_name(const std::vector<SqlToken>& code);

}  // namespace sqlmeasure
