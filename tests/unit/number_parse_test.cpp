// The one checked number parser (util/number_parse.cpp), and what reads a server's numbers with
// it: an unreadable one is reported, naming where it came from, never read as 0.
#include "sqlmeasure/number_parse.h"

#include <catch2/catch.hpp>
#include <limits>

#include "sqlmeasure/runner.h"
#include "support/error_outcome.h"
#include "support/fake_connection.h"

namespace sqlmeasure {

TEST_CASE("a number is the whole text, or nothing", "[unit][util]") {
  CHECK(parse_unsigned("0") == 0u);
  CHECK(parse_unsigned("18446744073709551615") == std::numeric_limits<std::uint64_t>::max());
  for (const char* bad :
       {"", " 1", "1 ", "+1", "-1", "1.5", "12 rows", "0x10", "1e3", "18446744073709551616"}) {
    INFO(bad);
    CHECK_FALSE(parse_unsigned(bad));
  }
  CHECK(parse_signed("-42") == -42);
  CHECK_FALSE(parse_signed("--42"));
  CHECK(parse_decimal("12") == 12.0);
  CHECK(parse_decimal("-0.5") == -0.5);
  CHECK(parse_decimal("1.5e9") == 1.5e9);
  CHECK(parse_decimal("1700000000123456.000000") == 1700000000123456.0);
  for (const char* bad : {"", "inf", "nan", "1.5.2", "1,5", " 2"}) {
    INFO(bad);
    CHECK_FALSE(parse_decimal(bad));
  }
}

TEST_CASE("an unreadable number names where it came from", "[unit][util]") {
  CHECK(read_unsigned("300", "COUNT(*) of works") == 300u);
  const testing::Outcome bad = testing::outcome_of(
      [] { (void)read_unsigned("12\x01 rows", "information_schema.TABLES.TABLE_ROWS of works"); });
  CHECK(bad.code == ExitCode::kRuntime);
  CHECK(bad.message ==
        "information_schema.TABLES.TABLE_ROWS of works: '12\\x01 rows' is not a number");
  const std::string long_text(100, '9');
  const testing::Outcome cut =
      testing::outcome_of([&] { (void)read_decimal(long_text + "x", "x", ExitCode::kBadInput); });
  CHECK(cut.code == ExitCode::kBadInput);
  CHECK(cut.message == "x: '" + std::string(40, '9') + "...' is not a number");
}

TEST_CASE("a server's unreadable row count stops the run, named, instead of counting 0",
          "[unit][runner][conditions]") {
  testing::FakeConnection fake;
  ResultSet tables;
  tables.columns = {"TABLE_NAME", "TABLE_ROWS"};
  tables.rows = {{"works", "about 300k"}};
  fake.on_match([](std::string_view sql) {
        return sql.starts_with("SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES");
      })
      .returns(tables);
  Screen screen;
  screen.name = "top";
  Query query;
  query.name = "q1";
  query.sql = "SELECT id FROM works";
  screen.queries.push_back(query);
  const testing::Outcome outcome =
      testing::outcome_of([&] { (void)read_conditions(fake, {screen}); });
  CHECK(outcome.code == ExitCode::kRuntime);
  CHECK(outcome.message ==
        "information_schema.TABLES.TABLE_ROWS of works: 'about 300k' is not a number");
}

}  // namespace sqlmeasure
