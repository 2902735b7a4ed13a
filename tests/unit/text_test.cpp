// The shared text helpers of src/util/.
#include "sqlmeasure/text.h"

#include <catch2/catch.hpp>

#include "sqlmeasure/number_text.h"

namespace sqlmeasure {
namespace {

TEST_CASE("split_list trims and drops empty items", "[unit][util]") {
  CHECK(split_list("a,b, c") == std::vector<std::string>{"a", "b", "c"});
  CHECK(split_list(" a ,, ,b,") == std::vector<std::string>{"a", "b"});
  CHECK(split_list("").empty());
}

TEST_CASE("ASCII case helpers leave bytes above 0x7f alone", "[unit][util]") {
  // std::toupper on a plain char is undefined for these bytes; the helpers never call it.
  const std::string utf8 = "caf\xc3\xa9 \xff\x80";
  CHECK(ascii_upper(utf8) == "CAF\xc3\xa9 \xff\x80");
  CHECK(ascii_lower("SELECT `Ä`") == "select `Ä`");
  CHECK(iequals("Key_Name", "KEY_name"));
  CHECK_FALSE(iequals("key", "keys"));
  CHECK_FALSE(iequals("\xc3\xa9", "\xc3\x89"));  // é and É differ: only ASCII folds
}

TEST_CASE("did_you_mean picks the closest name, or none", "[unit][util]") {
  const std::vector<std::string> names = {"run", "compare", "explain", "indexes"};
  CHECK(did_you_mean("comapre", names) == "compare");
  CHECK(did_you_mean("zzzzzz", names).empty());
  CHECK(did_you_mean_hint("indexs", names) == " (did you mean 'indexes'?)");
  CHECK(did_you_mean_hint("zzzzzz", names).empty());
}

TEST_CASE("one_line: each run of blanks and line breaks one space, none at either end",
          "[unit][util]") {
  CHECK(one_line("  SELECT *\n  FROM t\r\n\tWHERE a = 1 \n") == "SELECT * FROM t WHERE a = 1");
  CHECK(one_line("") == "");
  CHECK(one_line(" \n\t ") == "");
  CHECK(one_line("a") == "a");
}

TEST_CASE("printable escapes control bytes and shortens long text", "[unit][util]") {
  CHECK(printable("a\nb\x1b") == "a\\x0ab\\x1b");
  const std::string long_text(200, 'x');
  const std::string shown = printable(long_text);
  CHECK(shown.size() == 83);
  CHECK(shown.find("...") == 40);
}

TEST_CASE("join puts the separator between items only", "[unit][util]") {
  CHECK(join({}).empty());
  CHECK(join({"a"}) == "a");
  CHECK(join({"a", "b", "c"}, " | ") == "a | b | c");
}

TEST_CASE("numbers are shown with the digits that matter", "[unit][util]") {
  CHECK(format_ms(0.4123) == "0.412");
  CHECK(format_ms(12.345) == "12.35");
  CHECK(format_ms(1234.5) == "1234");
  CHECK(format_count(999) == "999");
  CHECK(format_count(2000) == "2.0k");
  CHECK(format_count(600000) == "600k");
  CHECK(format_count(1200000) == "1.2M");
  CHECK(format_percent(1.123) == "+12.3%");
  CHECK(format_percent(0.5) == "-50.0%");
  CHECK(format_percent(20.0) == "+1900%");
}

}  // namespace
}  // namespace sqlmeasure
