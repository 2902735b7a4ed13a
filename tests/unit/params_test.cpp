// Parameter values: rendering into SQL (escaped by the client library's rules, never pasted)
// and drawing `from` values once with a fixed seed.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sqlmeasure/connection.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/runner.h"
#include "support/fake_connection.h"

using namespace sqlmeasure;
using sqlmeasure::testing::FakeConnection;
using sqlmeasure::testing::single_column;

namespace {

Query query_with(std::string sql, std::map<std::string, std::vector<ParamValue>> params) {
  Query query;
  query.name = "list";
  query.sql = std::move(sql);
  query.where = {"screens/work_search.toml", 4, 7};
  for (auto& [name, values] : params) query.params[name].values = std::move(values);
  return query;
}

std::string render(const Query& query, std::size_t variant = 0) {
  return render_sql(query, variant, quote_offline);
}

ParamValue number(std::string text, ParamValue::Kind kind = ParamValue::Kind::kInteger) {
  return {kind, std::move(text)};
}

}  // namespace

TEST_CASE("quote_offline escapes like the client library", "[unit][params]") {
  CHECK(quote_offline("plain") == "'plain'");
  CHECK(quote_offline("") == "''");
  CHECK(quote_offline("it's") == "'it\\'s'");
  CHECK(quote_offline("say \"hi\"") == "'say \\\"hi\\\"'");
  CHECK(quote_offline("C:\\temp\\") == "'C:\\\\temp\\\\'");
  CHECK(quote_offline(std::string("a\0b", 3)) == "'a\\0b'");
  CHECK(quote_offline("line\nbreak\r") == "'line\\nbreak\\r'");
  CHECK(quote_offline("\x1a") == "'\\Z'");
  CHECK(quote_offline("日本語") == "'日本語'");
  CHECK(quote_offline("🍣 sushi") == "'🍣 sushi'");
}

TEST_CASE("render_sql substitutes each placeholder with a safe literal", "[unit][params]") {
  SECTION("strings are quoted and escaped") {
    Query query = query_with("SELECT id FROM users WHERE name = :name",
                             {{"name", {ParamValue::string("O'Brien \\ \"x\"")}}});
    CHECK(render(query) == "SELECT id FROM users WHERE name = 'O\\'Brien \\\\ \\\"x\\\"'");
  }
  SECTION("binary values are hex literals") {
    Query query = query_with("SELECT id FROM files WHERE digest = :d",
                             {{"d", {ParamValue::binary_hex("00FF0A")}}});
    CHECK(render(query) == "SELECT id FROM files WHERE digest = X'00FF0A'");
  }
  SECTION("an injection attempt stays inside the literal") {
    Query query =
        query_with("SELECT id FROM users WHERE name = :name",
                   {{"name", {ParamValue::string("x' OR '1'='1'; DROP TABLE users; --")}}});
    CHECK(render(query) ==
          "SELECT id FROM users WHERE name = 'x\\' OR \\'1\\'=\\'1\\'; DROP TABLE users; --'");
  }
  SECTION("NUL bytes") {
    Query query = query_with("SELECT :v", {{"v", {ParamValue::string(std::string("a\0b\0", 4))}}});
    const std::string rendered = render(query);
    CHECK(rendered == "SELECT 'a\\0b\\0'");
    CHECK(rendered.find('\0') == std::string::npos);
  }
  SECTION("UTF-8 passes through unchanged") {
    Query query = query_with("SELECT id FROM works WHERE title = :title AND note = :note",
                             {{"title", {ParamValue::string("日本語のタイトル")}},
                              {"note", {ParamValue::string("🎉 done")}}});
    CHECK(render(query) ==
          "SELECT id FROM works WHERE title = '日本語のタイトル' AND note = '🎉 done'");
  }
  SECTION("a value that looks like a placeholder is not substituted again") {
    Query query = query_with("SELECT :x, :other", {{"x", {ParamValue::string(":other")}},
                                                   {"other", {ParamValue::integer(5)}}});
    CHECK(render(query) == "SELECT ':other', 5");
  }
  SECTION("placeholders inside string literals, identifiers and comments are left alone") {
    Query query = query_with("SELECT 'it''s :x', `:x`, \":x\" /* :x */, :x -- :x",
                             {{"x", {ParamValue::integer(1)}}});
    CHECK(render(query) == "SELECT 'it''s :x', `:x`, \":x\" /* :x */, 1 -- :x");
  }
  SECTION("the same placeholder twice gets the same value") {
    Query query = query_with("SELECT :id, :id + 1", {{"id", {ParamValue::integer(7)}}});
    CHECK(render(query) == "SELECT 7, 7 + 1");
  }
  SECTION("a query without placeholders is unchanged") {
    Query query = query_with("SELECT 1 AS `a:b`, @v:=2, '12:30'", {});
    CHECK(render(query) == query.sql);
  }
  SECTION("NULL, booleans, floats and big integers are literals") {
    Query query = query_with("SELECT :n, :t, :f, :d, :big, :neg",
                             {{"n", {ParamValue::null()}},
                              {"t", {number("TRUE", ParamValue::Kind::kBoolean)}},
                              {"f", {number("FALSE", ParamValue::Kind::kBoolean)}},
                              {"d", {number("-2.5e-3", ParamValue::Kind::kFloat)}},
                              {"big", {number("18446744073709551615")}},
                              {"neg", {ParamValue::integer(-42)}}});
    CHECK(render(query) == "SELECT NULL, TRUE, FALSE, -2.5e-3, 18446744073709551615, -42");
  }
}

TEST_CASE("render_sql cycles values by variant, each parameter on its own", "[unit][params]") {
  Query query = query_with(
      "SELECT id FROM works WHERE category_id = :c AND status = :s",
      {{"c", {ParamValue::integer(17), ParamValue::integer(23), ParamValue::integer(41)}},
       {"s", {ParamValue::integer(1), ParamValue::integer(2)}}});
  CHECK(render(query, 0) == "SELECT id FROM works WHERE category_id = 17 AND status = 1");
  CHECK(render(query, 1) == "SELECT id FROM works WHERE category_id = 23 AND status = 2");
  CHECK(render(query, 2) == "SELECT id FROM works WHERE category_id = 41 AND status = 1");
  CHECK(render(query, 3) == "SELECT id FROM works WHERE category_id = 17 AND status = 2");
  CHECK(render(query, 6) == render(query, 0));
}

TEST_CASE("render_sql names the query when a value is missing", "[unit][params]") {
  Query query = query_with("SELECT :a, :b", {{"a", {ParamValue::integer(1)}}});
  query.params["b"];  // declared, but `from` not drawn yet: no values
  try {
    (void)render(query);
    FAIL("render_sql should throw");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::kBadInput);
    CHECK(std::string(error.what()) ==
          "screens/work_search.toml:4:7: query 'list': placeholder :b has no value");
  }
}

TEST_CASE("render_sql uses the connection's quote function", "[unit][params]") {
  Query query = query_with("SELECT :s", {{"s", {ParamValue::string("x")}}});
  CHECK(render_sql(query, 0, [](std::string_view text) { return "<" + std::string(text) + ">"; }) ==
        "SELECT <x>");
}

namespace {

const std::string kFrom = "SELECT id FROM users WHERE deleted = 0";

std::vector<Screen> screen_drawing(int sample) {
  Screen screen;
  screen.name = "mypage_profile";
  Query query;
  query.name = "profile";
  query.sql = "SELECT * FROM profiles WHERE user_id = :user_id";
  query.where = {"screens/mypage_profile.toml", 3, 7};
  ParamSpec& spec = query.params["user_id"];
  spec.from_sql = kFrom;
  spec.sample = sample;
  spec.where = {"screens/mypage_profile.toml", 5, 19};
  screen.queries.push_back(query);
  return {screen};
}

std::vector<std::optional<std::string>> ids(int count) {
  std::vector<std::optional<std::string>> out;
  for (int i = 1; i <= count; ++i) out.push_back(std::to_string(1000 + i));
  return out;
}

std::vector<ParamValue> drawn(FakeConnection& fake, int sample, std::uint64_t seed) {
  std::vector<Screen> screens = screen_drawing(sample);
  resolve_params(fake, screens, seed);
  return screens[0].queries[0].params.at("user_id").values;
}

}  // namespace

TEST_CASE("resolve_params draws the same values for the same seed", "[unit][params]") {
  FakeConnection fake;
  fake.on(kFrom).returns(single_column("id", ids(100), true));
  const std::vector<ParamValue> first = drawn(fake, 5, 1);
  REQUIRE(first.size() == 5);
  for (const ParamValue& value : first) CHECK(value.kind == ParamValue::Kind::kInteger);
  std::set<std::string> distinct;
  for (const ParamValue& value : first) distinct.insert(value.text);
  CHECK(distinct.size() == 5);  // drawn without replacement
  CHECK(drawn(fake, 5, 1) == first);
  CHECK(drawn(fake, 5, 2) != first);
  // The `from` query ran once per resolve_params call, untimed.
  int from_queries = 0;
  for (const auto& call : fake.log()) from_queries += call.sql == kFrom;
  CHECK(from_queries == 3);
  CHECK(fake.timed_sql().empty());
}

TEST_CASE("resolve_params takes every row when the sample is larger", "[unit][params]") {
  FakeConnection fake;
  fake.on(kFrom).returns(single_column("id", ids(7), true));
  const std::vector<ParamValue> values = drawn(fake, 50, 1);
  REQUIRE(values.size() == 7);
  std::set<std::string> distinct;
  for (const ParamValue& value : values) distinct.insert(value.text);
  CHECK(distinct == std::set<std::string>{"1001", "1002", "1003", "1004", "1005", "1006", "1007"});
}

TEST_CASE("resolve_params keeps types: strings, NULL, decimals", "[unit][params]") {
  FakeConnection fake;
  fake.on(kFrom).returns(single_column("id", {std::string("it's"), std::nullopt}, false));
  std::vector<ParamValue> values = drawn(fake, 2, 1);
  std::sort(values.begin(), values.end(),
            [](const ParamValue& a, const ParamValue& b) { return a.kind < b.kind; });
  CHECK(values == std::vector<ParamValue>{ParamValue::null(), ParamValue::string("it's")});

  FakeConnection decimals;
  decimals.on(kFrom).returns(single_column("price", {std::string("12.50")}, true));
  CHECK(drawn(decimals, 1, 1) ==
        std::vector<ParamValue>{number("12.50", ParamValue::Kind::kFloat)});
}

TEST_CASE("resolve_params leaves literal and already drawn values alone", "[unit][params]") {
  FakeConnection fake;  // no scripts: any query would throw
  std::vector<Screen> screens = screen_drawing(3);
  screens[0].queries[0].params.at("user_id").values = {ParamValue::integer(1)};
  resolve_params(fake, screens, 1);
  CHECK(fake.log().empty());
  CHECK(screens[0].queries[0].params.at("user_id").values ==
        std::vector<ParamValue>{ParamValue::integer(1)});
}

TEST_CASE("an empty `from` result is bad input naming the query", "[unit][params]") {
  FakeConnection fake;
  fake.on(kFrom).returns(single_column("id", {}, true));
  std::vector<Screen> screens = screen_drawing(5);
  try {
    resolve_params(fake, screens, 1);
    FAIL("resolve_params should throw");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::kBadInput);
    CHECK(std::string(error.what()) ==
          "screens/mypage_profile.toml:5:19: screen 'mypage_profile', query 'profile': "
          "params.user_id.from returned no rows");
  }
}

TEST_CASE("a failing `from` query is a database error naming the query", "[unit][params]") {
  FakeConnection fake;
  fake.on(kFrom).fails(sqlmeasure::testing::Failure::Kind::kError);
  std::vector<Screen> screens = screen_drawing(5);
  try {
    resolve_params(fake, screens, 1);
    FAIL("resolve_params should throw");
  } catch (const DatabaseError& error) {
    CHECK(error.code() == ExitCode::kRuntime);
    CHECK(error.error_number() == 1146);
    const std::string message = error.what();
    CHECK(
        message.starts_with("screens/mypage_profile.toml:5:19: screen 'mypage_profile', "
                            "query 'profile', params.user_id.from failed: "));
    CHECK(message.find("doesn't exist") != std::string::npos);
  }
}
