// Reads table references, index hints and ORDER BY columns from the lexer's tokens.
#include "sqlmeasure/query_shape.h"

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

class Reader {
 public:
  explicit Reader(std::string_view sql) : sql_(sql) {
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
    }
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

  std::string_view sql_;
  std::vector<SqlToken> tokens_;
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
