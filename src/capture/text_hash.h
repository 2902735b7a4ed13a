#pragma once
// A 64-bit hash of a text for capture's tables (skeletons, value rows, tag comments), asked
// once or more per logged statement: sixteen bytes a step, one multiply each, where
// std::hash reads eight at a time with more work per step. Not stable across versions; never
// written anywhere. Private to src/capture/.
#include <cstdint>
#include <cstring>
#include <string_view>

namespace sqlmeasure {

namespace text_hash_detail {
// (__extension__: GCC's and Clang's 128-bit integer, which -Wpedantic would refuse.)
__extension__ using Product = unsigned __int128;
// The high and low halves of a 64 x 64-bit product, folded: one multiply mixes sixteen bytes.
inline std::uint64_t fold(std::uint64_t a, std::uint64_t b) {
  const Product product = static_cast<Product>(a) * b;
  return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}
}  // namespace text_hash_detail

inline std::uint64_t text_hash(std::string_view text) {
  using text_hash_detail::fold;
  constexpr std::uint64_t kOdd1 = 0xa0761d6478bd642full, kOdd2 = 0xe7037ed1a0b428dbull;
  std::uint64_t hash = fold(text.size() ^ kOdd1, kOdd2);
  const char* at = text.data();
  std::size_t left = text.size();
  for (; left >= 16; at += 16, left -= 16) {
    std::uint64_t low = 0, high = 0;
    std::memcpy(&low, at, 8);
    std::memcpy(&high, at + 8, 8);
    hash = fold(low ^ kOdd1, high ^ hash);
  }
  if (left > 0) {
    // The last bytes by loads that may overlap bytes already read (the size is in the hash
    // already): no copy into a padded buffer, which cost a call to memcpy for each text.
    std::uint64_t low = 0, high = 0;
    if (text.size() >= 16) {
      std::memcpy(&low, text.data() + text.size() - 16, 8);
      std::memcpy(&high, text.data() + text.size() - 8, 8);
    } else if (left >= 8) {
      std::memcpy(&low, at, 8);
      std::memcpy(&high, at + left - 8, 8);
    } else if (left >= 4) {
      std::uint32_t first = 0, last = 0;
      std::memcpy(&first, at, 4);
      std::memcpy(&last, at + left - 4, 4);
      low = first;
      high = last;
    } else {
      low = static_cast<unsigned char>(at[0]) |
            static_cast<std::uint64_t>(static_cast<unsigned char>(at[left / 2])) << 8 |
            static_cast<std::uint64_t>(static_cast<unsigned char>(at[left - 1])) << 16;
    }
    hash = fold(low ^ kOdd1, high ^ hash);
  }
  return fold(hash ^ kOdd2, hash);
}

}  // namespace sqlmeasure
