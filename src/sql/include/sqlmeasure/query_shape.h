#pragma once
// What a scenario query names, read from its text, on the tokens of sql_lexer.h: the
// tables it names (with aliases), its index hints, and the first item of each ORDER BY.
// A reader, not a parser: it finds these constructs in any SELECT and skips what it does
// not understand.
#include <string>
#include <string_view>
#include <vector>

namespace sqlmeasure {

struct TableReference {
  std::string database;  // when written db.table
  std::string table;
  std::string alias;  // empty when none
};

struct IndexHint {
  size_t table_reference = 0;  // into QueryShape::tables
  std::string kind;            // FORCE, USE or IGNORE; an optimizer hint's name (INDEX, ...)
  std::string text;            // as written: FORCE INDEX (created), INDEX(w created)
  std::vector<std::string> indexes;
  size_t begin = 0, end = 0;  // byte range of the hint in the SQL
  // MySQL 8's /*+ INDEX(t a) */ family: a name it cannot resolve is a warning and the hint is
  // ignored (no error, no prefix match); MariaDB reads the comment as a comment.
  bool optimizer_hint = false;
};

// `[qualifier.]column = value` (or `value = column`) where value is a literal or a :param: the
// values a query looks a column up by, which say how much of an index it reads.
struct ColumnEquality {
  std::string qualifier;  // table or alias before the dot, else empty
  std::string column;
  std::string literal;  // the literal as the server reads it ('x' → x), when not a parameter
  std::string param;    // the :name, without the colon, when a parameter
};

struct OrderByColumn {
  std::string qualifier;  // table or alias before the dot, else empty
  std::string column;
  std::string direction;                    // ASC, DESC or empty
  size_t column_begin = 0, column_end = 0;  // byte range of the column name
};

struct QueryShape {
  std::vector<TableReference> tables;
  std::vector<IndexHint> hints;
  // The first item of each ORDER BY of a SELECT (not of a window or GROUP_CONCAT), when it
  // is a plain column reference.
  std::vector<OrderByColumn> order_by;
  std::vector<ColumnEquality> equalities;
};

[[nodiscard]] QueryShape read_query_shape(std::string_view sql);

// `sql` without the bytes [begin, end), the space around them tidied.
[[nodiscard]] std::string remove_range(std::string_view sql, size_t begin, size_t end);
// `sql` with the bytes [begin, end) replaced by `text`.
[[nodiscard]] std::string replace_range(std::string_view sql, size_t begin, size_t end,
                                        std::string_view text);

}  // namespace sqlmeasure
