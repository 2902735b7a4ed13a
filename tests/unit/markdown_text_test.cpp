// Markdown from servers, files and labels, inert: the escaper every Markdown output shares
// (src/report/markdown_text.h). docs/safety.md, "A pull-request comment says nothing it was
// not asked to".
#include "report/markdown_text.h"

#include <catch2/catch.hpp>
#include <string>

using sqlmeasure::cut_text;
using sqlmeasure::inert_markdown;
using sqlmeasure::markdown_code;

TEST_CASE("inert markdown: mentions, references, links, images, tags, entities",
          "[unit][render][safety]") {
  CHECK(inert_markdown("@octocat") == "@&#8203;octocat");
  CHECK(inert_markdown("@org/team") == "@&#8203;org/team");
  CHECK(inert_markdown("a@ b") == "a@ b");
  CHECK(inert_markdown("see #12 and owner/repo#3") == "see #&#8203;12 and owner/repo#&#8203;3");
  CHECK(inert_markdown("#define") == "#define");
  CHECK(inert_markdown("GH-12, gh-3, sGH-4") == "GH-&#8203;12, gh-&#8203;3, sGH-4");
  CHECK(inert_markdown("![i](https://e.x/t.png)") == "!\\[i\\](https:&#8203;//e.x/t.png)");
  CHECK(inert_markdown("[a](b)") == "\\[a\\](b)");
  CHECK(inert_markdown("www.e.x and awww.e") == "www&#8203;.e.x and awww.e");
  CHECK(inert_markdown("<img src=x> </b> <!-- <?x") == "&lt;img src=x> &lt;/b> &lt;!-- &lt;?x");
  CHECK(inert_markdown("p<0.001, a < b, a -> b") == "p<0.001, a < b, a -> b");
  CHECK(inert_markdown("&#64;x &amp; a & b") == "&amp;#&#8203;64;x &amp;amp; a & b");
  CHECK(inert_markdown("a`b` | c \\ d") == "a\\`b\\` \\| c \\\\ d");
  CHECK(inert_markdown("line\nbreak\x1b[2J") == "line break\\\\x1b\\[2J");
}

TEST_CASE("inert markdown: cut to its share at a character boundary", "[unit][render]") {
  CHECK(cut_text("short", 10) == "short");
  CHECK(cut_text(std::string(20, 'a'), 10) == std::string(7, 'a') + "…");
  // "é" is two bytes: never half of it.
  CHECK(cut_text("aaaaaé" + std::string(10, 'b'), 9) == "aaaaa…");
  CHECK(inert_markdown(std::string(5000, 'x')).size() <= 1000);
}

TEST_CASE("markdown code spans sized to what they hold", "[unit][render]") {
  CHECK(markdown_code("list") == "`list`");
  CHECK(markdown_code("a`b") == "``a`b``");
  CHECK(markdown_code("a```b") == "````a```b````");
  CHECK(markdown_code("`x") == "`` `x ``");
  CHECK(markdown_code("@octocat") == "`@octocat`");  // code is rendered literally
}
