// Connection helpers that need no client library.
#include "sqlmeasure/connection.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {

const char* flavor_name(Flavor flavor) {
  switch (flavor) {
    case Flavor::kMariaDB:
      return "MariaDB";
    case Flavor::kMySQL:
      return "MySQL";
    case Flavor::kAurora:
      return "Aurora MySQL";
    case Flavor::kUnknown:
      break;
  }
  return "unknown";
}

void Connection::query_rows(std::string_view sql, const RowSink& sink) {
  const ResultSet set = query(sql);
  std::vector<std::optional<std::string_view>> row;
  for (const auto& values : set.rows) {
    row.clear();
    for (const auto& value : values) {
      row.push_back(value ? std::optional<std::string_view>(*value) : std::nullopt);
    }
    sink(row);
  }
}

int ResultSet::column(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (iequals(columns[i], name)) return static_cast<int>(i);
  }
  return -1;
}

bool uses_local_socket(const ConnectionOptions& options) {
  // The client library uses the socket only for a local host, whatever --protocol says.
  return options.protocol != Protocol::kTcp &&
         (!options.host || options.host->empty() || *options.host == "localhost");
}

std::string describe_endpoint(const ConnectionOptions& options) {
  if (uses_local_socket(options)) {
    return options.socket ? "socket " + *options.socket : "localhost (default socket)";
  }
  return options.host.value_or("localhost") + ":" + std::to_string(options.port.value_or(3306));
}

bool over_named_socket(const ConnectionOptions& options) {
  return options.socket && !options.socket->empty() && uses_local_socket(options);
}

// Without a connection the library has no character set (mysql_escape_string crashes in
// Connector/C 3.3), so escape as mysql_real_escape_string does for utf8mb4: no byte of a
// multi-byte UTF-8 character is ASCII, so escaping byte by byte is exact.
std::string quote_offline(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  for (char c : text) {
    switch (c) {
      case '\0':
        out += "\\0";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\x1a':
        out += "\\Z";
        break;
      default:
        out += c;
    }
  }
  out += '\'';
  return out;
}

}  // namespace sqlmeasure
