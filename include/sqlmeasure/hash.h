#pragma once
// A 64-bit mixing function for checksums and derived seeds.
#include <cstdint>

namespace sqlmeasure {

// The splitmix64 finaliser: every input bit affects every output bit.
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace sqlmeasure
