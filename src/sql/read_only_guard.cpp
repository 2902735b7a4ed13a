// The read-only guard: a scenario statement is refused when loaded if anything in it could
// write or lock (the read-only session refuses writes too; this says why, before running).
#include <fmt/format.h>

#include <optional>

#include "sqlmeasure/sql_guard.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

struct RefusedWord {
  std::string_view word;
  std::string_view shown_as;  // in the reason, if not the word itself
  std::string_view consequence;
};

constexpr RefusedWord kRefusedWords[] = {
    {"INSERT", "", "writes data"},
    {"UPDATE", "", "writes data"},
    {"DELETE", "", "writes data"},
    {"REPLACE", "", "writes data"},
    {"TRUNCATE", "", "writes data"},
    {"LOAD", "", "writes data"},
    {"DROP", "", "changes the schema"},
    {"ALTER", "", "changes the schema"},
    {"CREATE", "", "changes the schema"},
    {"RENAME", "", "changes the schema"},
    {"GRANT", "", "changes privileges"},
    {"REVOKE", "", "changes privileges"},
    {"LOCK", "", "takes table locks"},
    {"UNLOCK", "", "releases table locks"},
    {"CALL", "", "runs a stored procedure, which may write"},
    {"HANDLER", "", "keeps a table open across statements"},
    {"SET", "", "changes variables or settings"},
    {"INTO", "SELECT ... INTO", "writes a file or variables"},
    {"OUTFILE", "SELECT ... INTO OUTFILE", "writes a file"},
    {"DUMPFILE", "SELECT ... INTO DUMPFILE", "writes a file"},
};

constexpr std::string_view kReadKeywords[] = {"SELECT", "WITH", "VALUES",   "TABLE",
                                              "SHOW",   "DESC", "DESCRIBE", "EXPLAIN"};

struct Finding {
  std::string_view construct;  // "DELETE", "FOR UPDATE", "SELECT ... INTO"
  std::string_view consequence;
  const SqlToken* token;
};

std::string describe(const Finding& finding) {
  if (finding.token->executable_comment.empty()) {
    return fmt::format("{} {}", finding.construct, finding.consequence);
  }
  return fmt::format("executable comment {} ... */ contains {}, which {}",
                     finding.token->executable_comment, finding.construct, finding.consequence);
}

// A word that names something rather than being a keyword: after a qualifying dot
// (t.update; MySQL reads any word there as an identifier), or glued to @ or : (the
// variable @delete, the placeholder :update).
bool is_name(std::string_view sql, const std::vector<SqlToken>& code, std::size_t i) {
  const std::size_t offset = code[i].offset;
  if (offset > 0 && (sql[offset - 1] == '@' || sql[offset - 1] == ':')) return true;
  return i >= 2 && code[i - 1].is('.') && is_identifier(code[i - 2]);
}

// What makes code[i] a write or a lock, if anything.
std::optional<Finding> refused_construct(std::string_view sql, const std::vector<SqlToken>& code,
                                         std::size_t i) {
  if (code[i].kind != SqlToken::Kind::kWord || is_name(sql, code, i)) return std::nullopt;
  const SqlToken* token = &code[i];
  const std::string word = ascii_upper(token->text);
  const std::string previous = i > 0 ? keyword_at(code, i - 1) : "";
  const bool called = i + 1 < code.size() && code[i + 1].is('(');

  if (word == "UPDATE" && previous == "FOR") return Finding{"FOR UPDATE", "takes row locks", token};
  if (word == "SHARE" && previous == "FOR") return Finding{"FOR SHARE", "takes row locks", token};
  if (word == "LOCK" && keyword_at(code, i + 1) == "IN") {
    return Finding{"LOCK IN SHARE MODE", "takes row locks", token};
  }
  // INSERT(str, pos, len, new), REPLACE(str, from, to) and TRUNCATE(x, d) are functions.
  if ((word == "INSERT" || word == "REPLACE" || word == "TRUNCATE") && called) return std::nullopt;
  if (word == "SET" && previous == "CHARACTER") {
    return std::nullopt;  // CAST(x AS CHAR CHARACTER SET cs)
  }
  if (word == "CREATE" && previous == "SHOW") return std::nullopt;  // SHOW CREATE TABLE reads
  for (const RefusedWord& refused : kRefusedWords) {
    if (refused.word == word) {
      return Finding{refused.shown_as.empty() ? refused.word : refused.shown_as,
                     refused.consequence, token};
    }
  }
  return std::nullopt;
}

// Why the statement does not start as a read, or nothing when it does.
std::optional<std::string> not_a_read(std::string_view sql, const std::vector<SqlToken>& code,
                                      std::size_t lead) {
  const std::string keyword = keyword_at(code, lead);
  for (std::string_view read : kReadKeywords) {
    if (keyword == read) return std::nullopt;
  }
  if (std::optional<Finding> finding = refused_construct(sql, code, lead)) {
    return describe(*finding);
  }
  if (keyword.empty()) {
    return fmt::format("does not start with a keyword but with {}", printable(code[lead].text));
  }
  return fmt::format(
      "{} is not a read (reads start with SELECT, WITH, VALUES, TABLE, SHOW, DESC, DESCRIBE or "
      "EXPLAIN)",
      printable(keyword));
}

}  // namespace

std::string why_not_read_only(std::string_view sql, SqlModes modes) {
  const std::vector<SqlToken> code = code_tokens(sql, modes);
  if (!code.empty() && code.back().kind == SqlToken::Kind::kUnterminated) {
    const SqlToken& open = code.back();
    return fmt::format("unterminated {} (the {} at line {} col {} of the SQL is never closed)",
                       unterminated_noun(open), open.text, open.line, open.column);
  }
  const std::size_t lead = skip_open_parens(code);
  if (lead == code.size()) return "no SQL statement";
  if (std::optional<std::string> reason = not_a_read(sql, code, lead)) return *reason;

  for (std::size_t i = 0; i < code.size(); ++i) {
    if (code[i].is(';')) {
      // A lone trailing ';' is fine; anything after it would run as a second statement.
      for (std::size_t j = i + 1; j < code.size(); ++j) {
        if (!code[j].is(';')) {
          return fmt::format(
              "more than one statement (a second one starts at line {} col {} of the SQL)",
              code[j].line, code[j].column);
        }
      }
      break;
    }
    if (std::optional<Finding> finding = refused_construct(sql, code, i)) {
      return describe(*finding);
    }
  }
  return "";
}

std::string writes_a_file_in_any_mode(std::string_view sql) {
  for (const bool backslash_escapes : {true, false}) {
    for (const bool ansi_quotes : {false, true}) {
      const SqlModes modes{backslash_escapes, ansi_quotes};
      const std::vector<SqlToken> code = code_tokens(sql, modes);
      for (std::size_t i = 0; i < code.size(); ++i) {
        const std::string word = keyword_at(code, i);
        if ((word == "OUTFILE" || word == "DUMPFILE") && !is_name(sql, code, i)) {
          return fmt::format("SELECT ... INTO {} writes a file (read with {})", word,
                             modes.describe());
        }
      }
    }
  }
  return "";
}

}  // namespace sqlmeasure
