// Reads table references, index hints and ORDER BY columns from the lexer's tokens.
#include "sqlmeasure/query_shape.h"

#include <optional>

#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

using Kind = SqlToken::Kind;

// Words that end a table factor: what may follow a table name that is not its alias.
constexpr std::string_view kNotAlias[] = {
    "WHERE",         "JOIN",  "INNER", "LEFT",      "RIGHT",  "CROSS",  "NATURAL",
    "STRAIGHT_JOIN", "ON",    "USING", "GROUP",     "ORDER",  "LIMIT",  "HAVING",
    "WINDOW",        "FORCE", "USE",   "IGNORE",    "UNION",  "EXCEPT", "INTERSECT",
    "FOR",           "LOCK",  "INTO",  "PARTITION", "OUTER",  "FULL",   "AS",
    "OFFSET",        "FETCH", "WITH",  "RETURNING", "SELECT", "FROM",   "TABLESAMPLE"};

bool ends_factor(const SqlToken& token) {
  if (token.kind != Kind::kWord) return false;
  const std::string word = ascii_upper(token.text);
  for (std::string_view keyword : kNotAlias) {
    if (word == keyword) return true;
  }
  return false;
}

// Words that end a FROM clause.
bool ends_from(const SqlToken& token) {
  if (token.kind != Kind::kWord) return false;
  const std::string word = ascii_upper(token.text);
  return word == "WHERE" || word == "GROUP" || word == "HAVING" || word == "ORDER" ||
         word == "LIMIT" || word == "UNION" || word == "WINDOW" || word == "EXCEPT" ||
         word == "INTERSECT" || word == "FOR" || word == "LOCK" || word == "INTO";
}

// MySQL 8's optimizer hints that name indexes: HINT([@qb] table[@qb] [index, ...]).
constexpr std::string_view kIndexLevelHints[] = {
    "INDEX",       "NO_INDEX",       "JOIN_INDEX",  "NO_JOIN_INDEX",
    "GROUP_INDEX", "NO_GROUP_INDEX", "ORDER_INDEX", "NO_ORDER_INDEX",
    "INDEX_MERGE", "NO_INDEX_MERGE", "SKIP_SCAN",   "NO_SKIP_SCAN",
    "MRR",         "NO_MRR",         "NO_ICP",      "NO_RANGE_OPTIMIZATION"};

bool is_index_level_hint(std::string_view word) {
  const std::string upper = ascii_upper(word);
  for (std::string_view hint : kIndexLevelHints) {
    if (upper == hint) return true;
  }
  return false;
}

// A string literal's value as the server reads it under the default modes: quotes doubled
// or backslash-escaped.
std::string string_value(std::string_view quoted) {
  std::string value;
  if (quoted.size() < 2) return value;
  const char quote = quoted.front();
  for (size_t i = 1; i + 1 < quoted.size(); ++i) {
    if (quoted[i] == '\\' && i + 2 < quoted.size()) {
      value += quoted[++i];
    } else if (quoted[i] == quote && quoted[i + 1] == quote) {
      value += quote;
      ++i;
    } else {
      value += quoted[i];
    }
  }
  return value;
}

class Reader {
 public:
  explicit Reader(std::string_view sql) : sql_(sql) {
    for (const SqlToken& token : tokenize_sql(sql)) {
      if (token.kind == Kind::kComment && token.text.starts_with("/*+"))
        hint_comments_.push_back(token);
    }
    for (const SqlToken& token : code_tokens(sql)) {
      if (token.kind != Kind::kUnterminated) tokens_.push_back(token);
    }
  }

  QueryShape read() {
    // A frame per open parenthesis: does a SELECT start directly inside it, and are we in
    // its FROM clause (where a comma starts another table, even after a JOIN's ON)?
    struct Frame {
      bool query = false;
      bool in_from = false;
    };
    std::vector<Frame> frames{{true, false}};
    for (size_t i = 0; i < tokens_.size(); ++i) {
      const SqlToken& token = tokens_[i];
      if (token.is('(')) {
        frames.push_back({});
        continue;
      }
      if (token.is(')')) {
        if (frames.size() > 1) frames.pop_back();
        continue;
      }
      Frame& frame = frames.back();
      if (token.is_word("SELECT") || token.is_word("WITH")) frame = {true, false};
      if (ends_from(token)) frame.in_from = false;
      // Only in a query: EXTRACT(YEAR FROM x) and TRIM(a FROM b) name no table.
      const bool starts_table = token.is_word("FROM") || token.is_word("JOIN") ||
                                token.is_word("STRAIGHT_JOIN") || (token.is(',') && frame.in_from);
      if (starts_table && frame.query) {
        if (token.is_word("FROM")) frame.in_from = true;
        i = read_table_list(i + 1) - 1;
        continue;
      }
      if (token.is_word("ORDER") && i + 1 < tokens_.size() && tokens_[i + 1].is_word("BY") &&
          frame.query) {
        read_order_by(i + 2);
      }
      if (token.is('=')) read_equality(i);
    }
    for (const SqlToken& comment : hint_comments_) read_optimizer_hints(comment);
    return std::move(shape_);
  }

 private:
  // Table factors separated by commas; returns the index after the last one read.
  size_t read_table_list(size_t i) {
    while (i < tokens_.size()) {
      i = read_table_factor(i);
      if (i < tokens_.size() && tokens_[i].is(',')) {
        ++i;
        continue;
      }
      break;
    }
    return i;
  }

  size_t read_table_factor(size_t i) {
    if (i >= tokens_.size() || !is_identifier(tokens_[i]) || ends_factor(tokens_[i])) return i;
    TableReference reference;
    reference.table = identifier_name(tokens_[i]);
    ++i;
    if (i + 1 < tokens_.size() && tokens_[i].is('.') && is_identifier(tokens_[i + 1])) {
      reference.database = reference.table;
      reference.table = identifier_name(tokens_[i + 1]);
      i += 2;
    }
    if (i < tokens_.size() && tokens_[i].is('(')) return i;  // a function call, not a table
    if (i < tokens_.size() && tokens_[i].is_word("PARTITION")) i = skip_parens(i + 1);
    if (i + 1 < tokens_.size() && tokens_[i].is_word("AS") && is_identifier(tokens_[i + 1])) {
      reference.alias = identifier_name(tokens_[i + 1]);
      i += 2;
    } else if (i < tokens_.size() && is_identifier(tokens_[i]) && !ends_factor(tokens_[i])) {
      reference.alias = identifier_name(tokens_[i]);
      ++i;
    }
    shape_.tables.push_back(std::move(reference));
    return read_hints(i, shape_.tables.size() - 1);
  }

  // FORCE|USE|IGNORE INDEX|KEY [FOR JOIN|ORDER BY|GROUP BY] (name, ...), repeated.
  size_t read_hints(size_t i, size_t reference) {
    while (i + 1 < tokens_.size()) {
      const std::string kind = ascii_upper(tokens_[i].text);
      if (tokens_[i].kind != Kind::kWord ||
          (kind != "FORCE" && kind != "USE" && kind != "IGNORE") ||
          !(tokens_[i + 1].is_word("INDEX") || tokens_[i + 1].is_word("KEY"))) {
        break;
      }
      IndexHint hint;
      hint.table_reference = reference;
      hint.kind = kind;
      hint.begin = tokens_[i].offset;
      size_t j = i + 2;
      if (j < tokens_.size() && tokens_[j].is_word("FOR")) {
        ++j;
        if (j < tokens_.size() && (tokens_[j].is_word("ORDER") || tokens_[j].is_word("GROUP"))) {
          j += 2;  // ORDER BY / GROUP BY
        } else {
          ++j;  // JOIN
        }
      }
      if (j >= tokens_.size() || !tokens_[j].is('(')) break;
      for (++j; j < tokens_.size() && !tokens_[j].is(')'); ++j) {
        if (is_identifier(tokens_[j])) hint.indexes.push_back(identifier_name(tokens_[j]));
      }
      if (j >= tokens_.size()) break;  // unclosed: leave it to the server to complain
      hint.end = tokens_[j].end();
      hint.text = std::string(sql_.substr(hint.begin, hint.end - hint.begin));
      shape_.hints.push_back(std::move(hint));
      i = j + 1;
    }
    return i;
  }

  size_t skip_parens(size_t i) {
    if (i >= tokens_.size() || !tokens_[i].is('(')) return i;
    int depth = 0;
    for (; i < tokens_.size(); ++i) {
      if (tokens_[i].is('(')) ++depth;
      if (tokens_[i].is(')') && --depth == 0) return i + 1;
    }
    return i;
  }

  // The first item of the ORDER BY list at `i`, when it is [qualifier.]column [ASC|DESC]
  // followed by the end of the item.
  void read_order_by(size_t i) {
    if (i >= tokens_.size() || !is_identifier(tokens_[i])) return;
    OrderByColumn item;
    size_t column = i;
    if (i + 2 < tokens_.size() && tokens_[i + 1].is('.') && is_identifier(tokens_[i + 2])) {
      item.qualifier = identifier_name(tokens_[i]);
      column = i + 2;
    }
    item.column = identifier_name(tokens_[column]);
    item.column_begin = tokens_[column].offset;
    item.column_end = tokens_[column].end();
    size_t next = column + 1;
    if (next < tokens_.size() && (tokens_[next].is_word("ASC") || tokens_[next].is_word("DESC"))) {
      item.direction = ascii_upper(tokens_[next].text);
      ++next;
    }
    const bool item_ends = next >= tokens_.size() || tokens_[next].is(',') ||
                           tokens_[next].is(')') || tokens_[next].is(';') ||
                           tokens_[next].is_word("LIMIT") || tokens_[next].is_word("FOR") ||
                           tokens_[next].is_word("LOCK") || tokens_[next].is_word("INTO") ||
                           tokens_[next].is_word("UNION") || tokens_[next].is_word("OFFSET") ||
                           tokens_[next].is_word("FETCH");
    if (item_ends && tokens_[column].kind != Kind::kNumber) shape_.order_by.push_back(item);
  }

  // `[q.]column = value` or `value = [q.]column` around the '=' at `i`.
  void read_equality(size_t i) {
    // The value side: a literal (a signed number, a string) or a :param.
    auto value_at = [&](size_t j, ColumnEquality& out) -> bool {
      if (j >= tokens_.size()) return false;
      const SqlToken& token = tokens_[j];
      if (token.kind == Kind::kNumber) {
        out.literal = std::string(token.text);
        return true;
      }
      if (token.kind == Kind::kString) {
        out.literal = string_value(token.text);
        return true;
      }
      if (token.is(':') && j + 1 < tokens_.size() && tokens_[j + 1].kind == Kind::kWord &&
          tokens_[j + 1].offset == token.end()) {
        out.param = std::string(tokens_[j + 1].text);
        return true;
      }
      if (token.is('-') && j + 1 < tokens_.size() && tokens_[j + 1].kind == Kind::kNumber) {
        out.literal = "-" + std::string(tokens_[j + 1].text);
        return true;
      }
      return false;
    };
    // The column side, ending at `last` (inclusive) or starting at `first`.
    auto column_ending = [&](size_t last, ColumnEquality& out) -> bool {
      if (!is_identifier(tokens_[last]) || tokens_[last].kind == Kind::kNumber) return false;
      out.column = identifier_name(tokens_[last]);
      if (last >= 2 && tokens_[last - 1].is('.') && is_identifier(tokens_[last - 2])) {
        out.qualifier = identifier_name(tokens_[last - 2]);
      }
      return true;
    };
    ColumnEquality found;
    if (i >= 1 && column_ending(i - 1, found) && value_at(i + 1, found)) {
      // `a = 1 + b` compares with an expression, not the literal.
      const size_t after = i + 2 + (found.literal.starts_with('-') || !found.param.empty());
      if (after >= tokens_.size() || !tokens_[after].is('.')) {
        if (after >= tokens_.size() || !(tokens_[after].is('+') || tokens_[after].is('*') ||
                                         tokens_[after].is('/') || tokens_[after].is('-'))) {
          shape_.equalities.push_back(std::move(found));
        }
      }
      return;
    }
    found = {};
    if (i >= 1 && value_at(i - 1, found) && i + 1 < tokens_.size()) {
      size_t last = i + 1;
      if (last + 2 < tokens_.size() && tokens_[last + 1].is('.')) last += 2;
      if (column_ending(last, found)) shape_.equalities.push_back(std::move(found));
    }
  }

  // /*+ INDEX(w created) NO_INDEX(u@qb1 status, deleted) JOIN_ORDER(...) */: each index-level
  // hint naming indexes becomes an IndexHint on the table it names.
  void read_optimizer_hints(const SqlToken& comment) {
    const std::string_view body = comment.text.substr(3, comment.text.size() - 5);
    const std::vector<SqlToken> tokens = code_tokens(body);
    for (size_t i = 0; i + 1 < tokens.size(); ++i) {
      if (tokens[i].kind != Kind::kWord || !tokens[i + 1].is('(')) continue;
      const std::string name = ascii_upper(tokens[i].text);
      size_t close = i + 2;
      while (close < tokens.size() && !tokens[close].is(')')) ++close;
      if (close >= tokens.size()) return;
      if (is_index_level_hint(name)) {
        // [@qb] table[@qb] [index[, index]...]
        std::vector<std::string> names;
        for (size_t j = i + 2; j < close; ++j) {
          if (tokens[j].is('@')) {
            ++j;  // the query block's name
            continue;
          }
          if (is_identifier(tokens[j])) names.push_back(identifier_name(tokens[j]));
        }
        if (names.size() >= 2) {
          if (const auto reference = table_named(names.front())) {
            IndexHint hint;
            hint.table_reference = *reference;
            hint.kind = name;
            hint.optimizer_hint = true;
            hint.indexes.assign(names.begin() + 1, names.end());
            hint.begin = comment.offset + 3 + tokens[i].offset;
            hint.end = comment.offset + 3 + tokens[close].end();
            hint.text = std::string(sql_.substr(hint.begin, hint.end - hint.begin));
            shape_.hints.push_back(std::move(hint));
          }
        }
      }
      i = close;
    }
  }

  // The table reference a hint's table name means: its alias, else its name.
  std::optional<size_t> table_named(const std::string& name) const {
    for (size_t t = 0; t < shape_.tables.size(); ++t) {
      const TableReference& reference = shape_.tables[t];
      if (reference.alias.empty() ? iequals(reference.table, name)
                                  : iequals(reference.alias, name)) {
        return t;
      }
    }
    return std::nullopt;
  }

  std::string_view sql_;
  std::vector<SqlToken> tokens_;
  std::vector<SqlToken> hint_comments_;
  QueryShape shape_;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

QueryShape read_query_shape(std::string_view sql) { return Reader(sql).read(); }

std::string remove_range(std::string_view sql, size_t begin, size_t end) {
  // Drop the whitespace before the range too, so "t FORCE INDEX (x) WHERE" becomes "t WHERE".
  size_t from = begin;
  while (from > 0 && is_space(sql[from - 1])) --from;
  std::string out(sql.substr(0, from));
  std::string_view rest = sql.substr(end);
  if (!out.empty() && !rest.empty() && !is_space(rest.front()) && rest.front() != ',' &&
      rest.front() != ')') {
    out += ' ';
  }
  out += rest;
  return out;
}

std::string replace_range(std::string_view sql, size_t begin, size_t end, std::string_view text) {
  std::string out(sql.substr(0, begin));
  out += text;
  out += sql.substr(end);
  return out;
}

}  // namespace sqlmeasure
