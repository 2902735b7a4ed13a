#include "statement_skeleton.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <cstring>

#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/text.h"
#include "text_hash.h"

namespace sqlmeasure {
namespace {

constexpr char kStringMarker = '\x01';
constexpr char kNumberMarker = '\x02';
constexpr char kCommentMarker = '\x03';

// Whether a byte may start something to cut (a number, a quoted text, a comment) or stop the
// pass (a marker byte): most bytes do not, and are skipped without a look at each.
struct SpecialBytes {
  bool of[256] = {};
  constexpr SpecialBytes() {
    for (int c = '0'; c <= '9'; ++c) of[c] = true;
    for (const char c : std::string_view("'\"`#-/\x01\x02\x03"))
      of[static_cast<unsigned char>(c)] = true;
  }
};
constexpr SpecialBytes kSpecial;

bool continues_word(char c) { return is_ident_char(c); }

// The first byte at or after `i` that SpecialBytes names, else sql.size(): sixteen bytes at a
// time where the CPU can. (The sixteen-byte test also stops at a NUL, which the pass then
// steps over as the plain byte it is.)
std::size_t next_special_sse2(std::string_view sql, std::size_t i) {
  const std::size_t size = sql.size();
#if defined(__SSE2__)
  const char* data = sql.data();
  const __m128i zero_digit = _mm_set1_epi8('0');
  const __m128i nine = _mm_set1_epi8(9);
  const __m128i three = _mm_set1_epi8(3);
  const __m128i quote = _mm_set1_epi8('\''), double_quote = _mm_set1_epi8('"');
  const __m128i backtick = _mm_set1_epi8('`'), hash = _mm_set1_epi8('#');
  const __m128i minus = _mm_set1_epi8('-'), slash = _mm_set1_epi8('/');
  for (; i + 16 <= size; i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    const __m128i digit_offset = _mm_sub_epi8(bytes, zero_digit);
    const __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(digit_offset, nine), digit_offset);
    const __m128i marker = _mm_cmpeq_epi8(_mm_min_epu8(bytes, three), bytes);
    const __m128i quoting = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, double_quote)),
        _mm_cmpeq_epi8(bytes, backtick));
    const __m128i commenting =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, hash), _mm_cmpeq_epi8(bytes, minus)),
                     _mm_cmpeq_epi8(bytes, slash));
    const __m128i special =
        _mm_or_si128(_mm_or_si128(digit, marker), _mm_or_si128(quoting, commenting));
    if (const int found = _mm_movemask_epi8(special); found != 0) {
      return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(found)));
    }
  }
#endif
  while (i < size && !kSpecial.of[static_cast<unsigned char>(sql[i])]) ++i;
  return i;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SQLMEASURE_SKELETON_AVX2 1
// The same, thirty-two bytes at a time, where the CPU has AVX2: each byte looked up by its
// low and its high half in two tables of the classes of special bytes (0x0_ markers, 0x2_
// quotes and comment starts, 0x3_ digits, 0x6_ the backtick); a byte is special when both
// lookups share a class.
__attribute__((target("avx2"))) std::size_t next_special_avx2(std::string_view sql, std::size_t i) {
  const std::size_t size = sql.size();
  const char* data = sql.data();
  // Classes: 1 markers (0x01-0x03), 2 ' " # - /, 4 digits, 8 the backtick.
  const __m256i by_low = _mm256_setr_epi8(12, 5, 7, 7, 4, 4, 4, 6, 4, 4, 0, 0, 0, 2, 0, 2,  //
                                          12, 5, 7, 7, 4, 4, 4, 6, 4, 4, 0, 0, 0, 2, 0, 2);
  const __m256i by_high = _mm256_setr_epi8(1, 0, 2, 4, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0,  //
                                           1, 0, 2, 4, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  for (; i + 32 <= size; i += 32) {
    const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i));
    const __m256i low = _mm256_shuffle_epi8(by_low, _mm256_and_si256(bytes, nibble));
    const __m256i high =
        _mm256_shuffle_epi8(by_high, _mm256_and_si256(_mm256_srli_epi16(bytes, 4), nibble));
    const __m256i plain = _mm256_cmpeq_epi8(_mm256_and_si256(low, high), _mm256_setzero_si256());
    const auto plain_bits = static_cast<unsigned>(_mm256_movemask_epi8(plain));
    if (plain_bits != 0xffffffffu) {
      return i + static_cast<std::size_t>(__builtin_ctz(~plain_bits));
    }
  }
  return next_special_sse2(sql, i);
}
#endif

// The one of the two the CPU runs, chosen once, before main (no guard to test on each call).
#if defined(SQLMEASURE_SKELETON_AVX2)
const bool has_avx2 = [] {
  __builtin_cpu_init();  // (before main, it must be called first)
  return __builtin_cpu_supports("avx2") != 0;
}();
#endif

std::size_t next_special(std::string_view sql, std::size_t i) {
#if defined(SQLMEASURE_SKELETON_AVX2)
  if (has_avx2) return next_special_avx2(sql, i);
#endif
  return next_special_sse2(sql, i);
}

// The end of the quoted text starting at `begin` (after its closing quote), or npos when it
// never closes. Backslash escapes and doubled quotes, as the lexer's default quoting.
std::size_t quoted_end(std::string_view sql, std::size_t begin, bool backslash_escapes) {
  const char quote = sql[begin];
  for (std::size_t i = begin + 1; i < sql.size();) {
    const char c = sql[i];
    if (backslash_escapes && c == '\\') {
      i += 2;
      continue;
    }
    ++i;
    if (c == quote) {
      if (i < sql.size() && sql[i] == quote) {
        ++i;
        continue;
      }
      return i;
    }
  }
  return std::string_view::npos;
}

bool is_ascii(std::string_view text) {
  unsigned char any = 0;
  for (const char c : text) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

}  // namespace

std::uint32_t SkeletonIds::id_of(std::string_view text) {
  if ((texts_.size() + 1) * 2 > slots_.size()) grow();
  const std::uint64_t hash = text_hash(text);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
    Slot& slot = slots_[at];
    if (slot.id == 0) {
      texts_.emplace_back(text);
      slot = Slot{hash, static_cast<std::uint32_t>(texts_.size())};
      return slot.id - 1;
    }
    if (slot.hash == hash && texts_[slot.id - 1] == text) return slot.id - 1;
  }
}

void SkeletonIds::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(std::max<std::size_t>(64, old.size() * 2), Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.id == 0) continue;
    std::size_t at = slot.hash & mask;
    while (slots_[at].id != 0) at = (at + 1) & mask;
    slots_[at] = slot;
  }
}

bool read_statement_skeleton(std::string_view sql, StatementSkeleton& out) {
  out.literals.clear();
  out.comments.clear();
  const std::size_t size = sql.size();
  // Written in place: a skeleton is never longer than its statement (each cut leaves one
  // marker), so its text is sized once and each cut is a copy, not two appends.
  out.text.resize(size);
  char* const text = out.text.data();
  std::size_t written = 0;
  std::size_t copied = 0;  // sql[copied, i) is not in the text yet
  const auto cut = [&](std::size_t begin, std::size_t end, char marker) {
    const std::size_t length = begin - copied;
    if (copied + length + 16 <= size) {
      // Sixteen bytes a step, inline, where sixteen more lie in the statement (and so in the
      // text, never ahead of it): what a step writes past the segment is written over next,
      // or cut off at the end. Segments are short; a call to memcpy each cost more.
      for (std::size_t k = 0; k < length; k += 16) {
        std::memcpy(text + written + k, sql.data() + copied + k, 16);
      }
    } else {
      std::memcpy(text + written, sql.data() + copied, length);
    }
    written += length;
    text[written++] = marker;
    copied = end;
  };
  std::size_t i = 0;
  for (;;) {
    i = next_special(sql, i);
    if (i >= size) break;
    const char c = sql[i];
    // Within a word (t1, user_2fa): not a number, and the word is read to its end.
    if (is_sql_digit(c) && i > 0 && continues_word(sql[i - 1])) {
      while (i < size && continues_word(sql[i])) ++i;
      // X'0A', N'..', _utf8'..': a prefixed literal, one token to the templater.
      if (i < size && (sql[i] == '\'' || sql[i] == '"')) return false;
      continue;
    }
    if (is_sql_digit(c)) {
      // A number: digits, perhaps a fraction. Anything the lexer and the templater read
      // otherwise (1e5, 0x1F, 12abc, "1." and what follows a second '.', a sign glued to it
      // that may be part of it: -5) is left to them.
      const std::size_t begin = i;
      if (begin > 0 && (sql[begin - 1] == '-' || sql[begin - 1] == '+')) return false;
      while (i < size && is_sql_digit(sql[i])) ++i;
      if (i < size && sql[i] == '.') {
        const std::size_t fraction = ++i;
        while (i < size && is_sql_digit(sql[i])) ++i;
        if (i == fraction) return false;
      }
      if (i < size && (is_ident_char(sql[i]) || sql[i] == '.' || sql[i] == '\'' || sql[i] == '"' ||
                       sql[i] == '`')) {
        return false;
      }
      cut(begin, i, kNumberMarker);
      out.literals.push_back(sql.substr(begin, i - begin));
      continue;
    }
    switch (c) {
      case '\'':
      case '"': {
        // A word right before it: a prefixed literal (X'0A', N'..', _utf8'..'), one token to
        // the templater.
        if (i > 0 && continues_word(sql[i - 1])) return false;
        const std::size_t end = quoted_end(sql, i, /*backslash_escapes=*/true);
        if (end == std::string_view::npos) return false;
        const std::string_view literal = sql.substr(i, end - i);
        // Not UTF-8: kept in the SQL as X'..' by the templater.
        if (!is_ascii(literal) && !is_utf8(literal)) return false;
        cut(i, end, kStringMarker);
        out.literals.push_back(literal);
        i = end;
        continue;
      }
      case '`': {
        const std::size_t end = quoted_end(sql, i, /*backslash_escapes=*/false);
        if (end == std::string_view::npos) return false;
        i = end;
        continue;
      }
      case '#':
        return false;
      case '-':
        if (i + 1 < size && sql[i + 1] == '-' &&
            (i + 2 == size || static_cast<unsigned char>(sql[i + 2]) <= ' ')) {
          return false;
        }
        ++i;
        continue;
      case '/': {
        if (i + 1 >= size || sql[i + 1] != '*') {
          ++i;
          continue;
        }
        const std::string_view rest = sql.substr(i);
        if (rest.starts_with("/*!") || rest.starts_with("/*M!")) return false;
        const std::size_t close = sql.find("*/", i + 2);
        if (close == std::string_view::npos) return false;
        if (rest.starts_with("/*+")) {  // an optimizer hint stays in the SQL
          i = close + 2;
          continue;
        }
        out.comments.push_back(sql.substr(i, close + 2 - i));
        cut(i, close + 2, kCommentMarker);
        i = close + 2;
        continue;
      }
      case kStringMarker:
      case kNumberMarker:
      case kCommentMarker:
        return false;
      default:
        ++i;
    }
  }
  std::memcpy(text + written, sql.data() + copied, size - copied);
  out.text.resize(written + size - copied);
  return true;
}

}  // namespace sqlmeasure
