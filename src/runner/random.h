#pragma once
// Deterministic randomness: std::mt19937_64's output is fixed by the standard, but the
// std:: distributions are not, so indexes are mapped by hand to stay identical across
// standard libraries (the same seed must draw the same parameter values everywhere).
#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

namespace sqlmeasure {

[[nodiscard]] inline std::uint64_t stable_hash(std::string_view text) {  // FNV-1a
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

[[nodiscard]] inline std::size_t random_index(std::mt19937_64& rng, std::size_t n) {
  return static_cast<std::size_t>(rng() % n);  // bias < n / 2^64: irrelevant here
}

template <typename T>
void stable_shuffle(std::vector<T>& items, std::mt19937_64& rng) {
  for (std::size_t i = items.size(); i > 1; --i)
    std::swap(items[i - 1], items[random_index(rng, i)]);
}

}  // namespace sqlmeasure
