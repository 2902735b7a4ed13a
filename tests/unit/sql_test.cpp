#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sqlmeasure/error.h"
#include "sqlmeasure/sql_guard.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/sql_statements.h"

using namespace sqlmeasure;

namespace {

std::vector<std::string> texts(const std::vector<SqlStatement>& statements) {
  std::vector<std::string> result;
  for (const SqlStatement& statement : statements) result.push_back(statement.text);
  return result;
}

std::vector<std::string> split_texts(std::string_view script) {
  return texts(split_statements(script, "q.sql"));
}

// The message of the Error that splitting throws, or "" if it does not throw.
std::string split_error(std::string_view script) {
  try {
    (void)split_statements(script, "q.sql");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::kBadInput);
    return error.what();
  }
  return "";
}

std::vector<std::string> placeholder_names(std::string_view sql) {
  std::vector<std::string> names;
  for (const Placeholder& placeholder : find_placeholders(sql)) names.push_back(placeholder.name);
  return names;
}

using Texts = std::vector<std::string>;

}  // namespace

// --- split_statements ---

TEST_CASE("split: plain statements, trimmed, empty ones dropped", "[unit][sql]") {
  CHECK(split_texts("SELECT 1; SELECT 2;\n\n  SELECT 3  ") ==
        Texts{"SELECT 1", "SELECT 2", "SELECT 3"});
  CHECK(split_texts(";;  ;\n") == Texts{});
  CHECK(split_texts("").empty());
  CHECK(split_texts("SELECT 1;;") == Texts{"SELECT 1"});
}

TEST_CASE("split: a ';' inside quotes does not split", "[unit][sql]") {
  CHECK(split_texts("SELECT 'a;b'; SELECT \"c;d\"") == Texts{"SELECT 'a;b'", "SELECT \"c;d\""});
  CHECK(split_texts("SELECT `weird;name` FROM t; SELECT 2") ==
        Texts{"SELECT `weird;name` FROM t", "SELECT 2"});
}

TEST_CASE("split: escaped quotes in both styles", "[unit][sql]") {
  CHECK(split_texts("SELECT 'it''s;'; SELECT 2") == Texts{"SELECT 'it''s;'", "SELECT 2"});
  CHECK(split_texts("SELECT 'it\\'s;'; SELECT 2") == Texts{"SELECT 'it\\'s;'", "SELECT 2"});
  CHECK(split_texts("SELECT \"a\\\";b\"; SELECT 2") == Texts{"SELECT \"a\\\";b\"", "SELECT 2"});
  CHECK(split_texts("SELECT \"a\"\";b\"; SELECT 2") == Texts{"SELECT \"a\"\";b\"", "SELECT 2"});
  CHECK(split_texts("SELECT 'ends in backslash\\\\'; SELECT 2") ==
        Texts{"SELECT 'ends in backslash\\\\'", "SELECT 2"});
  // A backtick identifier has no backslash escapes, only a doubled backtick.
  CHECK(split_texts("SELECT `a``;b`, `c\\`; SELECT 2") ==
        Texts{"SELECT `a``;b`, `c\\`", "SELECT 2"});
}

TEST_CASE("split: comments of every style", "[unit][sql]") {
  CHECK(split_texts("SELECT 1 -- not here; \nFROM t; SELECT 2") ==
        Texts{"SELECT 1 -- not here; \nFROM t", "SELECT 2"});
  CHECK(split_texts("SELECT 1 # nor here;\nFROM t; SELECT 2") ==
        Texts{"SELECT 1 # nor here;\nFROM t", "SELECT 2"});
  CHECK(split_texts("SELECT 1 /* nor ; here */ FROM t; SELECT 2") ==
        Texts{"SELECT 1 /* nor ; here */ FROM t", "SELECT 2"});
  // Comments are not nested: the first */ ends "/* /* */".
  CHECK(split_texts("SELECT 1 /* /* */; SELECT 2 */") == Texts{"SELECT 1", "SELECT 2 */"});
  // "--" followed by a tab or the end is a comment too.
  CHECK(split_texts("SELECT 1 --\t;\n;SELECT 2 --") == Texts{"SELECT 1", "SELECT 2"});
}

TEST_CASE("split: '--' without a space is not a comment", "[unit][sql]") {
  CHECK(split_texts("SELECT 5--3; SELECT 2") == Texts{"SELECT 5--3", "SELECT 2"});
  CHECK(split_texts("SELECT 5 --x;\nSELECT 2") == Texts{"SELECT 5 --x", "SELECT 2"});
}

TEST_CASE("split: leading comments are dropped, interior and trailing handled", "[unit][sql]") {
  CHECK(split_texts("-- intro\n/* header */ # more\nSELECT /* keep */ 1 -- trailing\n;") ==
        Texts{"SELECT /* keep */ 1"});
  CHECK(split_texts("SELECT 1 -- last line has no ';'") == Texts{"SELECT 1"});
  // A statement made only of comments is empty.
  CHECK(split_texts("SELECT 1; -- just a comment\n/* and another */;\n# done") ==
        Texts{"SELECT 1"});
}

TEST_CASE("split: executable comments are code and never split", "[unit][sql]") {
  CHECK(split_texts("/*!40101 SET NAMES utf8mb4 */;\nSELECT 1") ==
        Texts{"/*!40101 SET NAMES utf8mb4 */", "SELECT 1"});
  CHECK(split_texts("SELECT 1 /*! ; SELECT 2 */; SELECT 3") ==
        Texts{"SELECT 1 /*! ; SELECT 2 */", "SELECT 3"});
  CHECK(split_texts("SELECT 1 /*M!100100 ; SELECT 2 */; SELECT 3") ==
        Texts{"SELECT 1 /*M!100100 ; SELECT 2 */", "SELECT 3"});
  // Inside one, a string may hold "*/".
  CHECK(split_texts("SELECT 1 /*!50000 , '*/;' */; SELECT 3") ==
        Texts{"SELECT 1 /*!50000 , '*/;' */", "SELECT 3"});
  // An optimizer hint is an ordinary comment.
  CHECK(split_texts("SELECT /*+ NO_ICP(t) ; */ 1; SELECT 2") ==
        Texts{"SELECT /*+ NO_ICP(t) ; */ 1", "SELECT 2"});
  // Nothing inside: the server would see an empty query.
  CHECK(split_texts("/*!*/; SELECT 1") == Texts{"SELECT 1"});
}

TEST_CASE("split: statement names from '-- name:' comments", "[unit][sql]") {
  const auto statements = split_statements(
      "-- name: first\nSELECT 1;\n"
      "-- NAME:second\n-- a note\n/* another */\nSELECT 2;\n"
      "SELECT 3;\n"
      "-- Name :  third  \r\nSELECT 4;\n"
      "-- names are nice\nSELECT 5;\n"
      "-- name: lost\n;\nSELECT 6;\n"
      "SELECT 7 -- name: interior\n",
      "q.sql");
  REQUIRE(statements.size() == 7);
  CHECK(statements[0].name == "first");
  CHECK(statements[1].name == "second");
  CHECK(statements[2].name.empty());
  CHECK(statements[3].name == "third");
  CHECK(statements[4].name.empty());
  CHECK(statements[5].name.empty());  // the name belonged to an empty statement
  CHECK(statements[6].name.empty());
  CHECK(statements[6].text == "SELECT 7");
}

TEST_CASE("split: the location of each statement's first token", "[unit][sql]") {
  const auto statements = split_statements(
      "SELECT 1;  SELECT 2;\n"
      "-- comment\n"
      "   /* c */ SELECT\n  3;\n"
      "\tSELECT 4",
      "dir/q.sql");
  REQUIRE(statements.size() == 4);
  CHECK(statements[0].where.str() == "dir/q.sql:1:1");
  CHECK(statements[1].where.str() == "dir/q.sql:1:12");
  CHECK(statements[2].where.str() == "dir/q.sql:3:12");
  CHECK(statements[2].text == "SELECT\n  3");
  CHECK(statements[3].where.str() == "dir/q.sql:5:2");
}

TEST_CASE("split: CRLF line endings", "[unit][sql]") {
  const auto statements =
      split_statements("-- name: a\r\nSELECT 1;\r\n\r\n  SELECT\r\n 2;\r\n", "q.sql");
  REQUIRE(statements.size() == 2);
  CHECK(statements[0].name == "a");
  CHECK(statements[0].where.str() == "q.sql:2:1");
  CHECK(statements[1].where.str() == "q.sql:4:3");
  CHECK(statements[1].text == "SELECT\r\n 2");
}

TEST_CASE("split: a UTF-8 byte order mark is skipped", "[unit][sql]") {
  const auto statements = split_statements("\xEF\xBB\xBF-- name: a\nSELECT 1; SELECT 2", "q.sql");
  REQUIRE(statements.size() == 2);
  CHECK(statements[0].text == "SELECT 1");
  CHECK(statements[0].name == "a");
  CHECK(statements[1].where.str() == "q.sql:2:11");
  CHECK(split_statements("\xEF\xBB\xBFSELECT 1", "q.sql")[0].where.str() == "q.sql:1:1");
}

TEST_CASE("split: unterminated quotes and comments name where they start", "[unit][sql]") {
  std::string message = split_error("SELECT 1;\nSELECT 'abc;\nSELECT 2;");
  CHECK_THAT(message, Catch::StartsWith("q.sql:2:8: unterminated string"));
  CHECK_THAT(message, Catch::Contains("SELECT 'abc;\n         ^"));

  CHECK_THAT(split_error("SELECT \"abc"), Catch::StartsWith("q.sql:1:8: unterminated string"));
  CHECK_THAT(split_error("SELECT 'it\\'"), Catch::StartsWith("q.sql:1:8: unterminated string"));
  CHECK_THAT(split_error("SELECT `col"),
             Catch::StartsWith("q.sql:1:8: unterminated quoted identifier"));
  CHECK_THAT(split_error("SELECT 1;\r\n  /* never closed; SELECT 2"),
             Catch::StartsWith("q.sql:2:3: unterminated comment: the /* here is never closed"));
  CHECK_THAT(split_error("SELECT 1 /*!50000 ; SELECT 2"),
             Catch::StartsWith("q.sql:1:10: unterminated executable comment: the /*!50000"));
  // A string left open inside an executable comment is reported as the string.
  CHECK_THAT(split_error("SELECT 1 /*! 'x */"),
             Catch::StartsWith("q.sql:1:14: unterminated string"));
  CHECK(split_error("SELECT '''';") == "");
}

TEST_CASE("split: odd input does not crash", "[unit][sql]") {
  CHECK(split_texts("DELIMITER //\nSELECT 1 //\nDELIMITER ;") ==
        Texts{"DELIMITER //\nSELECT 1 //\nDELIMITER"});
  CHECK(split_texts(std::string("SELECT '\0' ;", 12)) == Texts{std::string("SELECT '\0'", 10)});
  CHECK(split_texts("-") == Texts{"-"});
  CHECK(split_texts("/") == Texts{"/"});
  CHECK(split_texts("*/") == Texts{"*/"});
  CHECK_THAT(split_error("/*!"), Catch::Contains("unterminated executable comment"));
  CHECK_THAT(split_error("/*M!1001"), Catch::Contains("unterminated executable comment"));
  CHECK_THAT(split_error("'\\"), Catch::Contains("unterminated string"));
  CHECK(split_texts("SELECT 'é;ü' AS `名前`; SELECT 2") ==
        Texts{"SELECT 'é;ü' AS `名前`", "SELECT 2"});
}

// --- find_placeholders ---

TEST_CASE("placeholders: names, offsets and lengths", "[unit][sql]") {
  const std::string sql = "SELECT * FROM t WHERE id = :id AND b IN (:a,:b_2)";
  const auto placeholders = find_placeholders(sql);
  REQUIRE(placeholders.size() == 3);
  CHECK(placeholders[0].name == "id");
  CHECK(placeholders[0].offset == sql.find(":id"));
  CHECK(placeholders[0].length == 3);
  CHECK(placeholders[1].name == "a");
  CHECK(placeholders[1].offset == sql.find(":a"));
  CHECK(placeholders[2].name == "b_2");
  CHECK(placeholders[2].length == 4);
  CHECK(placeholder_names(":x") == Texts{"x"});
  CHECK(placeholder_names("WHERE a=:_x+1") == Texts{"_x"});
}

TEST_CASE("placeholders: not inside strings, backticks or comments", "[unit][sql]") {
  CHECK(placeholder_names("SELECT ':a', \":b\", `:c`, '12:30' -- :d\n # :e\n /* :f */ , :g") ==
        Texts{"g"});
  CHECK(placeholder_names("SELECT 'it''s :a' , :b") == Texts{"b"});
  // Executable comments are code.
  CHECK(placeholder_names("SELECT 1 /*!50000 + :a */") == Texts{"a"});
}

TEST_CASE("placeholders: casts, assignments and glued colons are not placeholders", "[unit][sql]") {
  CHECK(placeholder_names("SELECT x::int, @a := 1, @b:=2, :=c").empty());
  CHECK(placeholder_names("SELECT a:b, 12:30, x$:y").empty());
  CHECK(placeholder_names("SELECT :1, : a, :").empty());
  CHECK(placeholder_names("SELECT x::int + :y") == Texts{"y"});
  CHECK(placeholder_names("SELECT f(:a)+(:b)*:c") == Texts{"a", "b", "c"});
}

TEST_CASE("placeholders: the offset is in the original string, BOM included", "[unit][sql]") {
  const std::string sql = "\xEF\xBB\xBFSELECT :a";
  const auto placeholders = find_placeholders(sql);
  REQUIRE(placeholders.size() == 1);
  CHECK(placeholders[0].offset == 10);
}

// --- first_keyword ---

TEST_CASE("first_keyword skips comments and parentheses", "[unit][sql]") {
  CHECK(first_keyword("select 1") == "SELECT");
  CHECK(first_keyword("  -- note\n# more\n/* c */ ((Select 1) UNION (SELECT 2))") == "SELECT");
  CHECK(first_keyword("/*!40101 set names utf8 */") == "SET");
  CHECK(first_keyword("/*M!100100 DELETE FROM t */") == "DELETE");
  CHECK(first_keyword("\xEF\xBB\xBFwith x AS (SELECT 1) SELECT * FROM x") == "WITH");
  CHECK(first_keyword("").empty());
  CHECK(first_keyword("-- only a comment").empty());
  CHECK(first_keyword("'select'").empty());
  CHECK(first_keyword("`select`").empty());
  CHECK(first_keyword("42").empty());
}

// --- why_not_read_only ---

TEST_CASE("read-only: legitimate reads are accepted", "[unit][sql]") {
  const char* reads[] = {
      "SELECT 1",
      "select * from t where a = 1 order by b desc limit 10;",
      "SELECT 1;  ",
      "SELECT 1; -- trailing comment",
      "(SELECT a FROM t) UNION ALL (SELECT a FROM u)",
      "SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x > 1)",
      "WITH RECURSIVE c AS (SELECT 1 AS n UNION SELECT n + 1 FROM c WHERE n < 5) SELECT * FROM c",
      "VALUES ROW(1, 2)",
      "TABLE t",
      "SHOW INDEX FROM t",
      "SHOW CREATE TABLE t",
      "SHOW CHARACTER SET",
      "DESC t",
      "DESCRIBE t",
      "EXPLAIN SELECT * FROM t",
      "SELECT * FROM t FORCE INDEX (idx_a) WHERE a = 1",
      "SELECT * FROM t USE INDEX FOR ORDER BY (idx_a) ORDER BY a",
      "SELECT REPLACE(name, 'a', 'b') FROM t",
      "SELECT REPLACE (name, 'a', 'b') FROM t",
      "SELECT INSERT(s, 1, 2, 'x') FROM t",
      "SELECT TRUNCATE(1.2345, 2)",
      "SELECT CAST(x AS CHAR CHARACTER SET utf8mb4) FROM t",
      "SELECT CONVERT(x USING utf8mb4), CHARSET(x), FIND_IN_SET('a', s) FROM t",
      "SELECT t.update, t.`delete`, `t`.set FROM t",
      "SELECT `delete`, `insert into` FROM t",
      "SELECT 'DELETE FROM t; DROP TABLE t' AS s, \"INSERT\"",
      "SELECT 1 /* DROP TABLE t; */ -- DELETE FROM t\n# UPDATE t",
      "SELECT * FROM t WHERE id = :update",
      "SELECT @delete",
      "SELECT * FROM t WHERE a = 5--3",
      "SELECT * FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01 00:00:00'",
      "/*!50000 SELECT 1 */",
      "SELECT /*+ MAX_EXECUTION_TIME(1000) */ * FROM t",
      "SELECT GET_LOCK_TIMEOUT, LOCKED, UPDATED, INTO_X FROM t",
  };
  for (const char* sql : reads) {
    INFO(sql);
    CHECK(why_not_read_only(sql) == "");
  }
}

TEST_CASE("read-only: writes and schema changes are refused", "[unit][sql]") {
  CHECK(why_not_read_only("INSERT INTO t VALUES (1)") == "INSERT writes data");
  CHECK(why_not_read_only("insert t (a) values (1)") == "INSERT writes data");
  CHECK(why_not_read_only("UPDATE t SET a = 1") == "UPDATE writes data");
  CHECK(why_not_read_only("DELETE FROM t") == "DELETE writes data");
  CHECK(why_not_read_only("REPLACE INTO t VALUES (1)") == "REPLACE writes data");
  CHECK(why_not_read_only("TRUNCATE TABLE t") == "TRUNCATE writes data");
  CHECK(why_not_read_only("LOAD DATA INFILE 'x' INTO TABLE t") == "LOAD writes data");
  CHECK(why_not_read_only("DROP TABLE t") == "DROP changes the schema");
  CHECK(why_not_read_only("ALTER TABLE t ADD INDEX (a)") == "ALTER changes the schema");
  CHECK(why_not_read_only("CREATE INDEX i ON t (a)") == "CREATE changes the schema");
  CHECK(why_not_read_only("RENAME TABLE a TO b") == "RENAME changes the schema");
  CHECK(why_not_read_only("GRANT ALL ON *.* TO x") == "GRANT changes privileges");
  CHECK(why_not_read_only("REVOKE ALL ON *.* FROM x") == "REVOKE changes privileges");
  CHECK(why_not_read_only("HANDLER t OPEN") == "HANDLER keeps a table open across statements");
  CHECK(why_not_read_only("(DELETE FROM t)") == "DELETE writes data");
}

TEST_CASE("read-only: locks, variables and procedures are refused", "[unit][sql]") {
  CHECK(why_not_read_only("LOCK TABLES t READ") == "LOCK takes table locks");
  CHECK(why_not_read_only("UNLOCK TABLES") == "UNLOCK releases table locks");
  CHECK(why_not_read_only("SET GLOBAL max_connections = 1") == "SET changes variables or settings");
  CHECK(why_not_read_only("CALL p()") == "CALL runs a stored procedure, which may write");
  CHECK(why_not_read_only("SELECT * FROM t FOR UPDATE") == "FOR UPDATE takes row locks");
  CHECK(why_not_read_only("SELECT * FROM t WHERE a = 1 for update skip locked") ==
        "FOR UPDATE takes row locks");
  CHECK(why_not_read_only("SELECT * FROM t FOR SHARE") == "FOR SHARE takes row locks");
  CHECK(why_not_read_only("SELECT * FROM t LOCK IN SHARE MODE") ==
        "LOCK IN SHARE MODE takes row locks");
}

TEST_CASE("read-only: SELECT ... INTO is refused", "[unit][sql]") {
  CHECK(why_not_read_only("SELECT * INTO OUTFILE '/tmp/x' FROM t") ==
        "SELECT ... INTO writes a file or variables");
  CHECK(why_not_read_only("SELECT * FROM t INTO DUMPFILE '/tmp/x'") ==
        "SELECT ... INTO writes a file or variables");
  CHECK(why_not_read_only("SELECT a INTO @v FROM t") ==
        "SELECT ... INTO writes a file or variables");
}

TEST_CASE("read-only: other first keywords are refused", "[unit][sql]") {
  CHECK_THAT(why_not_read_only("FLUSH TABLES"), Catch::StartsWith("FLUSH is not a read"));
  CHECK_THAT(why_not_read_only("DO SLEEP(1)"), Catch::StartsWith("DO is not a read"));
  CHECK_THAT(why_not_read_only("'SELECT'"), Catch::StartsWith("does not start with a keyword"));
  CHECK(why_not_read_only("") == "no SQL statement");
  CHECK(why_not_read_only("-- SELECT 1") == "no SQL statement");
}

TEST_CASE("read-only: EXPLAIN or WITH around a write is refused", "[unit][sql]") {
  CHECK(why_not_read_only("EXPLAIN DELETE FROM t") == "DELETE writes data");
  CHECK(why_not_read_only("EXPLAIN ANALYZE UPDATE t SET a = 1") == "UPDATE writes data");
  CHECK(why_not_read_only(
            "WITH x AS (SELECT 1 AS id) DELETE FROM t WHERE id IN (SELECT id FROM x)") ==
        "DELETE writes data");
  CHECK(why_not_read_only("SHOW TABLES; DROP TABLE t") ==
        "more than one statement (a second one starts at line 1 col 14 of the SQL)");
}

TEST_CASE("read-only: a second statement is refused", "[unit][sql]") {
  CHECK(why_not_read_only("SELECT 1; SELECT 2") ==
        "more than one statement (a second one starts at line 1 col 11 of the SQL)");
  CHECK(why_not_read_only("SELECT 1;\n  -- x\n  DELETE FROM t") ==
        "more than one statement (a second one starts at line 3 col 3 of the SQL)");
  CHECK(why_not_read_only("SELECT 1 /*! ; DROP TABLE t */") ==
        "more than one statement (a second one starts at line 1 col 16 of the SQL)");
  CHECK(why_not_read_only("SELECT ';' ;; ") == "");
}

TEST_CASE("read-only: executable comments are read as code", "[unit][sql]") {
  CHECK(why_not_read_only("/*!50000 DELETE FROM t */") ==
        "executable comment /*!50000 ... */ contains DELETE, which writes data");
  CHECK(why_not_read_only("/*M! DELETE FROM t */") ==
        "executable comment /*M! ... */ contains DELETE, which writes data");
  CHECK(why_not_read_only("SELECT * FROM t /*!  FOR UPDATE */") ==
        "executable comment /*! ... */ contains FOR UPDATE, which takes row locks");
  CHECK(why_not_read_only("SELECT 1 /*M!100100 INTO @x */") ==
        "executable comment /*M!100100 ... */ contains SELECT ... INTO, which writes a file or "
        "variables");
  CHECK(why_not_read_only("SELECT 1 /*!50000 , 'DELETE' */") == "");
}

TEST_CASE("read-only: unterminated input is refused", "[unit][sql]") {
  CHECK(why_not_read_only("SELECT 'abc") ==
        "unterminated string (the ' at line 1 col 8 of the SQL is never closed)");
  CHECK(why_not_read_only("SELECT 1 /*! DROP TABLE t") ==
        "unterminated executable comment (the /*! at line 1 col 10 of the SQL is never closed)");
}

// --- why_not_rollbackable ---

TEST_CASE("rollback guard: single writes a ROLLBACK undoes", "[unit][sql]") {
  CHECK(why_not_rollbackable("INSERT INTO t VALUES (1)") == "");
  CHECK(why_not_rollbackable("update t set `drop` = 1 where t.create = 2;") == "");
  CHECK(why_not_rollbackable("DELETE FROM t WHERE id IN (SELECT id FROM u LOCK IN SHARE MODE)") ==
        "");
  CHECK(why_not_rollbackable("REPLACE INTO t SELECT * FROM u WHERE ANALYZE(x) > 0") == "");
}

TEST_CASE("rollback guard: what commits implicitly or is not a write", "[unit][sql]") {
  CHECK(why_not_rollbackable("SELECT 1") == "SELECT is not an INSERT, UPDATE, DELETE or REPLACE");
  CHECK(why_not_rollbackable("INSERT INTO t SELECT 1; COMMIT") ==
        "more than one statement (a second one starts at line 1 col 25)");
  CHECK(why_not_rollbackable("INSERT INTO t VALUES (1) /*! , DROP */") ==
        "DROP cannot be rolled back (it commits implicitly or acts outside the transaction)");
  CHECK(why_not_rollbackable("UPDATE t SET a = 1 LOCK TABLES") == "LOCK TABLES commits implicitly");
  CHECK(why_not_rollbackable("INSERT INTO t VALUES ('x") == "an unterminated quote or comment");
  CHECK(why_not_rollbackable("-- nothing") == "no SQL statement");
}

// --- tokenize_sql ---

TEST_CASE("tokenize_sql exposes the lexer's tokens with their offsets", "[unit][sql]") {
  const std::string sql = "SELECT `a` FROM t -- note\nWHERE s = 'x;y'";
  std::vector<SqlToken> tokens = tokenize_sql(sql);
  REQUIRE(tokens.size() == 9);
  CHECK(tokens[1].kind == SqlToken::Kind::kQuotedIdent);
  CHECK(tokens[1].text == "`a`");
  CHECK(tokens[4].kind == SqlToken::Kind::kComment);
  CHECK(tokens[8].kind == SqlToken::Kind::kString);
  CHECK(sql.substr(tokens[8].offset, tokens[8].text.size()) == "'x;y'");
  CHECK(tokens[5].line == 2);
}

TEST_CASE("quote_identifier is the inverse of identifier_name", "[unit][sql]") {
  for (const std::string name : {"works", "my key", "a`b", "``", "日本"}) {
    const std::string quoted = quote_identifier(name);
    const std::vector<SqlToken> tokens = tokenize_sql(quoted);
    REQUIRE(tokens.size() == 1);
    CHECK(tokens[0].kind == SqlToken::Kind::kQuotedIdent);
    CHECK(identifier_name(tokens[0]) == name);
  }
}

// --- sql_mode ---

TEST_CASE("the lexer follows the session's quoting modes", "[unit][sql]") {
  const std::string sql = R"(SELECT 'a\' INTO OUTFILE '/tmp/o3' -- ';)";
  // By default the backslash escapes the quote: one string, then a comment-free tail.
  CHECK(why_not_read_only(sql) == "");
  const SqlModes no_backslash = SqlModes::from_sql_mode("STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES");
  CHECK_FALSE(no_backslash.backslash_escapes);
  CHECK(why_not_read_only(sql, no_backslash) == "SELECT ... INTO writes a file or variables");
  const std::string ansi = R"(SELECT id AS "a\" INTO OUTFILE '/tmp/o4' FROM helps -- ";)";
  CHECK(why_not_read_only(ansi) == "");
  const SqlModes ansi_quotes = SqlModes::from_sql_mode("ANSI_QUOTES");
  CHECK(ansi_quotes.ansi_quotes);
  CHECK(why_not_read_only(ansi, ansi_quotes) == "SELECT ... INTO writes a file or variables");
  CHECK(SqlModes::from_sql_mode("REAL_AS_FLOAT,PIPES_AS_CONCAT,ANSI").ansi_quotes);
  CHECK(SqlModes::from_sql_mode("") == SqlModes{});
  // ANSI_QUOTES: "..." is an identifier.
  const std::vector<SqlToken> tokens = tokenize_sql("SELECT \"a\"\"b\"", ansi_quotes);
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[1].kind == SqlToken::Kind::kQuotedIdent);
}

TEST_CASE("a file write is refused whatever the quoting modes", "[unit][sql]") {
  CHECK_FALSE(writes_a_file_in_any_mode(R"(SELECT 'a\' INTO OUTFILE '/tmp/o3' -- ';)").empty());
  CHECK_FALSE(writes_a_file_in_any_mode(R"(SELECT id AS "a\" INTO DUMPFILE '/tmp/o4' FROM h -- ";)")
                  .empty());
  CHECK(writes_a_file_in_any_mode("SELECT 'outfile', `dumpfile`, t.outfile FROM t").empty());
  CHECK(writes_a_file_in_any_mode(R"(SELECT 'it\'s' FROM t)").empty());
}
