#pragma once
// A logged statement read as a template, with the lexer (docs/capture.md, "Queries"): its
// fingerprint, what groups statements (literals as ?, IN-lists of literals folded to (?+),
// comments dropped but optimizer hints and executable comments, blanks collapsed, words in
// lower case), and the SQL to replay it — each literal a :parameter named after the column
// it is compared with where the lexer can tell — with this statement's values. Private to
// src/capture/.
#include <string>
#include <string_view>
#include <vector>

#include "sqlmeasure/scenario.h"

namespace sqlmeasure {

struct TemplateParam {
  std::string name;       // the placeholder, without ':'
  ParamValue value;       // as the server reads the literal
  std::string literal;    // the literal as written (put back when every statement agrees)
  std::string column;     // the column it is compared with, when the lexer can tell
  std::string qualifier;  // t in t.col, else empty
};

struct StatementTemplate {
  std::string fingerprint;
  // The replayable SQL: this statement's text, comments but optimizer hints and executable
  // comments removed, each parameter a :name. Two statements of one fingerprint have different
  // SQL only when an IN-list has another length.
  std::string sql;
  std::vector<TemplateParam> params;  // in order of appearance
  // A literal no scenario can hold as a value (a string that is not UTF-8, a hex or bit
  // literal): kept in the SQL as written, so two statements differing there differ in `sql`.
  bool has_unreplayable_literal = false;
};

[[nodiscard]] StatementTemplate make_statement_template(std::string_view sql);

// The value a literal of a template stands for: a quoted string's text (escapes read), or a
// number (integer or float).
[[nodiscard]] ParamValue literal_value(std::string_view literal);

}  // namespace sqlmeasure
