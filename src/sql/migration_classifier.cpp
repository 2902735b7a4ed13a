#include "sqlmeasure/migration_classifier.h"

#include <fmt/format.h>

#include <initializer_list>

#include "ddl_tokens.h"
#include "sqlmeasure/sql_guard.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

using Kind = MigrationStatementKind;
using Tokens = std::vector<SqlToken>;

// The token index after any of `optional` words.
std::size_t skip_words(const Tokens& code, std::size_t i,
                       std::initializer_list<std::string_view> optional) {
  while (i < code.size() && word_in(keyword_at(code, i), optional)) ++i;
  return i;
}

MigrationStatementClass refused(std::string why) {
  return {Kind::kRefused, std::move(why), {}, ""};
}

// Every table name in a comma-separated list at `i` (DROP TABLE a, b; ANALYZE TABLE a, b).
void table_list(const Tokens& code, std::size_t i, std::vector<std::string>& databases) {
  while (i < code.size()) {
    i = table_name_at(code, i, &databases, nullptr);
    if (i < code.size() && code[i].is(',')) {
      ++i;
      continue;
    }
    break;
  }
}

// One ALTER TABLE clause: which kind of change it is.
Kind alter_clause(const Tokens& code, std::size_t begin, std::size_t end) {
  if (begin >= end) return Kind::kTableChange;
  const std::string first = keyword_at(code, begin);
  const std::string second = keyword_at(code, begin + 1);
  if (first == "ALGORITHM" || first == "LOCK") return Kind::kAddIndex;  // how, not what
  if (first == "ADD") {
    std::size_t i = begin + 1;
    if (second == "CONSTRAINT") {
      ++i;
      if (i < end && is_identifier(code[i]) && keyword_at(code, i) != "UNIQUE") ++i;
      return keyword_at(code, i) == "UNIQUE" ? Kind::kAddIndex : Kind::kTableChange;
    }
    return word_in(keyword_at(code, i), {"INDEX", "KEY", "UNIQUE", "FULLTEXT", "SPATIAL"})
               ? Kind::kAddIndex
               : Kind::kTableChange;
  }
  if (first == "DROP" && word_in(second, {"INDEX", "KEY"})) return Kind::kIndexChange;
  if (first == "ALTER" && word_in(second, {"INDEX", "KEY"})) return Kind::kIndexChange;
  if (first == "RENAME" && word_in(second, {"INDEX", "KEY"})) return Kind::kIndexChange;
  return Kind::kTableChange;
}

// ALTER [ONLINE] [IGNORE] TABLE [IF EXISTS] name clause, ...: the least additive clause
// decides.
MigrationStatementClass alter_table(const Tokens& code, std::size_t i) {
  MigrationStatementClass out{Kind::kAddIndex, "", {}, ""};
  if (keyword_at(code, i) == "IF" && keyword_at(code, i + 1) == "EXISTS") i += 2;
  const std::size_t after_name = table_name_at(code, i, &out.databases, &out.table);
  if (after_name == i) return refused("ALTER TABLE without a table name");
  for (const auto& [begin, end] : alter_clauses(code, after_name)) {
    const Kind kind = alter_clause(code, begin, end);
    if (kind == Kind::kTableChange) {
      out.kind = Kind::kTableChange;
      out.why = "it changes a table, not only its indexes";
    } else if (kind == Kind::kIndexChange && out.kind == Kind::kAddIndex) {
      out.kind = Kind::kIndexChange;
      out.why = "it drops, hides or renames an index";
    }
  }
  return out;
}

MigrationStatementClass create(const Tokens& code) {
  MigrationStatementClass out{Kind::kTableChange, "it creates or replaces a schema object", {}, ""};
  std::size_t i = 1;
  const bool replace = keyword_at(code, i) == "OR" && keyword_at(code, i + 1) == "REPLACE";
  if (replace) i += 2;
  i = skip_words(code, i, {"ONLINE", "UNIQUE", "FULLTEXT", "SPATIAL"});
  const std::string object = keyword_at(code, i);
  if (word_in(object, {"DATABASE", "SCHEMA"})) return refused("it creates a database");
  if (word_in(object, {"USER", "ROLE", "SERVER"}))
    return refused("it changes server accounts or settings");
  if (object == "INDEX") {
    // CREATE INDEX [IF NOT EXISTS] name ON table: only OR REPLACE drops one first.
    out.kind = replace ? Kind::kIndexChange : Kind::kAddIndex;
    out.why = replace ? "CREATE OR REPLACE INDEX drops the index first" : "";
    std::size_t on = i;
    while (on < code.size() && keyword_at(code, on) != "ON") ++on;
    table_name_at(code, on + 1, &out.databases, &out.table);
    return out;
  }
  if (object == "TABLE" || object == "VIEW") {
    std::size_t name = i + 1;
    if (keyword_at(code, name) == "IF") name += 3;  // IF NOT EXISTS
    table_name_at(code, name, &out.databases, nullptr);
  }
  return out;
}

MigrationStatementClass drop(const Tokens& code) {
  const std::string object = keyword_at(code, skip_words(code, 1, {"TEMPORARY", "ONLINE"}));
  if (word_in(object, {"DATABASE", "SCHEMA"})) return refused("it drops a database");
  if (word_in(object, {"USER", "ROLE", "SERVER"}))
    return refused("it changes server accounts or settings");
  MigrationStatementClass out{object == "INDEX" ? Kind::kIndexChange : Kind::kTableChange,
                              object == "INDEX" ? "it drops an index" : "it drops a schema object",
                              {},
                              ""};
  std::size_t i = skip_words(code, 1, {"TEMPORARY", "ONLINE"}) + 1;
  if (keyword_at(code, i) == "IF" && keyword_at(code, i + 1) == "EXISTS") i += 2;
  if (object == "INDEX") {
    while (i < code.size() && keyword_at(code, i) != "ON") ++i;
    table_name_at(code, i + 1, &out.databases, &out.table);
  } else if (object == "TABLE" || object == "TABLES" || object == "VIEW") {
    table_list(code, i, out.databases);
  }
  return out;
}

// SET ...: the session's own variables are fine; anything that outlives the connection or
// reaches the whole server is not.
MigrationStatementClass set(const Tokens& code) {
  const std::string scope = keyword_at(code, 1);
  if (word_in(scope, {"GLOBAL", "PERSIST", "PERSIST_ONLY"})) {
    return refused(fmt::format("SET {} changes a server setting", scope));
  }
  if (word_in(scope, {"PASSWORD", "DEFAULT"})) return refused("it changes an account");
  for (std::size_t i = 1; i + 2 < code.size(); ++i) {
    // SET @@global.x = 1, SET @@persist.x = 1
    if (code[i].is('@') && code[i + 1].is('@')) {
      const std::string named = keyword_at(code, i + 2);
      if (word_in(named, {"GLOBAL", "PERSIST", "PERSIST_ONLY"})) {
        return refused(fmt::format("SET @@{}. changes a server setting", ascii_lower(named)));
      }
    }
  }
  return {Kind::kSession, "", {}, ""};
}

}  // namespace

MigrationStatementClass classify_migration_statement(std::string_view sql) {
  const Tokens code = code_tokens(sql);
  if (!code.empty() && code.back().kind == SqlToken::Kind::kUnterminated) {
    return refused("an unterminated quote or comment");
  }
  const std::size_t lead = skip_open_parens(code);
  const std::string keyword = keyword_at(code, lead);
  if (keyword.empty()) return refused("not a statement sqlmeasure knows");
  if (word_in(keyword, {"INSERT", "UPDATE", "DELETE", "REPLACE", "LOAD", "TRUNCATE", "CALL", "DO",
                        "HANDLER", "IMPORT"})) {
    return refused(fmt::format("{} changes data", keyword));
  }
  if (word_in(keyword, {"GRANT", "REVOKE"}))
    return refused(fmt::format("{} changes privileges", keyword));
  if (word_in(keyword, {"FLUSH", "RESET", "PURGE", "KILL", "SHUTDOWN", "INSTALL", "UNINSTALL",
                        "CHANGE", "STOP", "CACHE", "BINLOG", "XA", "LOCK", "UNLOCK", "RESTART"})) {
    return refused(fmt::format("{} acts on the server, not the schema", keyword));
  }
  if (keyword == "ANALYZE" || keyword == "OPTIMIZE" || keyword == "REPAIR" || keyword == "CHECK") {
    // MariaDB's ANALYZE <statement> runs the statement: ANALYZE DELETE deletes.
    const std::size_t i = skip_words(code, lead + 1, {"NO_WRITE_TO_BINLOG", "LOCAL"});
    if (!word_in(keyword_at(code, i), {"TABLE", "TABLES"})) {
      return refused(fmt::format("{} {} runs the statement", keyword, keyword_at(code, i)));
    }
    MigrationStatementClass out{keyword == "ANALYZE" ? Kind::kStatistics : Kind::kTableChange,
                                keyword == "ANALYZE" ? "" : keyword + " TABLE rebuilds the table",
                                {},
                                ""};
    table_list(code, i + 1, out.databases);
    return out;
  }
  if (keyword == "ALTER") {
    const std::size_t i = skip_words(code, lead + 1, {"ONLINE", "IGNORE"});
    const std::string object = keyword_at(code, i);
    if (object == "TABLE") return alter_table(code, i + 1);
    if (word_in(object, {"DATABASE", "SCHEMA"})) return refused("it changes a database");
    if (word_in(object, {"USER", "ROLE", "SERVER", "INSTANCE", "LOGFILE", "TABLESPACE"})) {
      return refused("it changes server accounts or settings");
    }
    return {Kind::kTableChange, "it alters a schema object", {}, ""};
  }
  if (keyword == "CREATE") return create(code);
  if (keyword == "DROP") return drop(code);
  if (keyword == "RENAME") {
    if (keyword_at(code, lead + 1) == "USER") return refused("it changes an account");
    MigrationStatementClass out{Kind::kTableChange, "it renames tables", {}, ""};
    for (std::size_t i = lead + 2; i < code.size(); ++i) {
      if (keyword_at(code, i - 1) == "TABLE" || keyword_at(code, i - 1) == "TO" ||
          code[i - 1].is(',')) {
        table_name_at(code, i, &out.databases, nullptr);
      }
    }
    return out;
  }
  if (keyword == "SET") return set(code);
  if (keyword == "USE") {
    MigrationStatementClass out{Kind::kSession, "", {}, ""};
    if (lead + 1 < code.size() && is_identifier(code[lead + 1])) {
      out.databases.push_back(identifier_name(code[lead + 1]));
    }
    return out;
  }
  if (word_in(keyword, {"START", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"})) {
    return {Kind::kSession, "", {}, ""};
  }
  if (const std::string reason = why_not_read_only(sql); !reason.empty()) {
    return refused(reason);
  }
  return {Kind::kSession, "", {}, ""};  // a read: SELECT, SHOW, EXPLAIN of a read
}

std::string expected_algorithm(std::string_view sql, const std::string& engine) {
  const Tokens code = code_tokens(sql);
  std::string algorithm, lock;
  for (std::size_t i = 0; i + 1 < code.size(); ++i) {
    const std::string word = keyword_at(code, i);
    if (word != "ALGORITHM" && word != "LOCK") continue;
    std::size_t value = i + 1;
    if (code[value].is('=')) ++value;
    (word == "ALGORITHM" ? algorithm : lock) = keyword_at(code, value);
  }
  if (!algorithm.empty() || !lock.empty()) {
    return fmt::format(
        "as the statement says: ALGORITHM={}, LOCK={} (the server refuses it if "
        "it cannot)",
        algorithm.empty() ? "DEFAULT" : algorithm, lock.empty() ? "DEFAULT" : lock);
  }
  const MigrationStatementClass found = classify_migration_statement(sql);
  if (found.kind == Kind::kStatistics || found.kind == Kind::kSession) return "";
  if (!iequals(engine, "InnoDB")) {
    return fmt::format("COPY on a {} table: it is rebuilt and writes wait until it is done",
                       engine.empty() ? "non-InnoDB" : engine);
  }
  auto says = [&code](std::initializer_list<std::string_view> words) {
    for (std::size_t i = 0; i < code.size(); ++i) {
      if (word_in(keyword_at(code, i), words)) return true;
    }
    return false;
  };
  if (found.kind == Kind::kAddIndex) {
    if (says({"FULLTEXT", "SPATIAL"})) {
      return "INPLACE, LOCK=SHARED: the index is built while the table is read-only";
    }
    return "INPLACE, LOCK=NONE: the index is built while the table stays writable";
  }
  if (found.kind == Kind::kIndexChange) {
    if (says({"IGNORED", "VISIBLE", "INVISIBLE"})) {
      return "INSTANT: only the index's visibility changes";
    }
    return "INPLACE, LOCK=NONE: only metadata changes";
  }
  return "chosen by the server: possibly COPY, a rebuild during which writes wait";
}

bool runs_without_rollback(MigrationStatementKind kind) {
  return kind == Kind::kAddIndex || kind == Kind::kStatistics || kind == Kind::kSession;
}

}  // namespace sqlmeasure
