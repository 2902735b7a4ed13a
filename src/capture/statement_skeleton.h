#pragma once
// A logged statement's skeleton, read in one pass: its text with each literal and each plain
// comment cut out (a marker left in its place), the literals and comments beside it. Two
// statements with one skeleton differ only in their values and comments (the tags, a
// traceparent), so capture lexes one statement of each skeleton and reads the others from
// their skeleton alone (docs/performance.md, "capture"). Private to src/capture/.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sqlmeasure {

struct StatementSkeleton {
  std::string text;                        // the statement, literals and comments as markers
  std::vector<std::string_view> literals;  // numbers and quoted strings, in order, as written
  std::vector<std::string_view> comments;  // /* ... */ (not /*+ hints */), in order
  std::uint32_t id = 0;                    // SkeletonIds::id_of(text)
};

// Reads `sql` into `out` (its buffers reused) and returns true; false, `out` then meaningless,
// for anything the pass does not read as the lexer would for certain (an executable comment,
// a -- or # comment, 1e5, 0x1F, -5, 1.5 written as .5, X'..', a string that is not UTF-8, an
// unclosed quote, a marker byte in the text): such a statement is lexed.
bool read_statement_skeleton(std::string_view sql, StatementSkeleton& out);

// A number for each distinct skeleton text, 0, 1, 2, ... in order of first appearance: what
// the thread that reads skeletons hands to the one that builds screens, so that the builder
// never reads a skeleton's text. Asked once per statement: its own table (open addressing,
// a hash read sixteen bytes at a time), where std::unordered_map's hash and nodes cost most
// of the lookup.
class SkeletonIds {
 public:
  std::uint32_t id_of(std::string_view text);

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t id = 0;  // id + 1; 0: empty
  };
  void grow();

  std::vector<Slot> slots_;         // a power of two, at most half full
  std::vector<std::string> texts_;  // by id
};

}  // namespace sqlmeasure
