#pragma once
// Deterministic randomness: std::mt19937_64's output is fixed by the standard, but the
// std:: distributions are not, so indexes are mapped by hand to stay identical across
// standard libraries (the same seed must draw the same parameter values everywhere).
#include <cstdint>
#include <random>
#include <vector>

#include "sqlmeasure/hash.h"

namespace sqlmeasure {

[[nodiscard]] inline std::size_t random_index(std::mt19937_64& rng, std::size_t n) {
  return static_cast<std::size_t>(rng() % n);  // bias < n / 2^64: irrelevant here
}

template <typename T>
void stable_shuffle(std::vector<T>& items, std::mt19937_64& rng) {
  for (std::size_t i = items.size(); i > 1; --i)
    std::swap(items[i - 1], items[random_index(rng, i)]);
}

}  // namespace sqlmeasure
