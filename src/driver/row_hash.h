#pragma once
// Order-insensitive row hashing for result checksums: each row hashes to 64 bits and the
// rows are summed, so a plan that returns the same rows in another order (no ORDER BY)
// does not read as "results differ", while any changed, added or missing row does.
#include <cstdint>

#include "sqlmeasure/hash.h"

namespace sqlmeasure {

// FNV-1a over each cell with its length (NULL distinct from ''), then mixed.
[[nodiscard]] inline std::uint64_t hash_row(char** cells, const unsigned long* lengths,
                                            unsigned count) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto feed = [&h](unsigned char byte) {
    h ^= byte;
    h *= 0x100000001b3ULL;
  };
  for (unsigned i = 0; i < count; ++i) {
    if (cells[i] == nullptr) {
      feed(0xff);
      feed(0xfe);
      continue;
    }
    for (unsigned long j = 0; j < lengths[i]; ++j) feed(static_cast<unsigned char>(cells[i][j]));
    for (int shift = 0; shift < 64; shift += 8)
      feed(static_cast<unsigned char>(lengths[i] >> shift));
  }
  return mix64(h);
}

}  // namespace sqlmeasure
