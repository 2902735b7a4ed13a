// Connection helpers that need no client library.
#include <algorithm>
#include <cctype>

#include "sqlmeasure/connection.h"

namespace sqlmeasure {

const char* flavor_name(Flavor flavor) {
  switch (flavor) {
    case Flavor::kMariaDB: return "MariaDB";
    case Flavor::kMySQL: return "MySQL";
    case Flavor::kAurora: return "Aurora MySQL";
    case Flavor::kUnknown: break;
  }
  return "unknown";
}

int ResultSet::column(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string& c = columns[i];
    if (c.size() == name.size() &&
        std::equal(c.begin(), c.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

std::string describe_endpoint(const ConnectionOptions& options) {
  bool local = !options.host || options.host->empty() || *options.host == "localhost";
  if (local && options.socket) return "socket " + *options.socket;
  if (local && !options.port) return "localhost (default socket)";
  return options.host.value_or("localhost") + ":" + std::to_string(options.port.value_or(3306));
}

}  // namespace sqlmeasure
