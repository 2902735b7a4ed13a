// mysql:// DSNs and --ssl-mode values.
#include <fmt/format.h>

#include <algorithm>

#include "sqlmeasure/config.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/number_parse.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

std::string percent_decode(const std::string& text, const std::string& what, ExitCode code) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
        fail(code, fmt::format("{}: bad %-escape in the DSN", what));
      }
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

SslMode parse_ssl_mode(const std::string& text, const std::string& what, ExitCode code) {
  const std::string upper = ascii_upper(text);
  if (upper == "DISABLED") return SslMode::kDisabled;
  if (upper == "PREFERRED") return SslMode::kPreferred;
  if (upper == "REQUIRED") return SslMode::kRequired;
  if (upper == "VERIFY_CA") return SslMode::kVerifyCa;
  if (upper == "VERIFY_IDENTITY") return SslMode::kVerifyIdentity;
  fail(code, fmt::format("{}: unknown SSL mode '{}' (expected DISABLED, PREFERRED, REQUIRED, "
                         "VERIFY_CA or VERIFY_IDENTITY)",
                         what, text));
}

Protocol parse_protocol(const std::string& text, const std::string& what, ExitCode code) {
  const std::string upper = ascii_upper(text);
  if (upper == "TCP") return Protocol::kTcp;
  if (upper == "SOCKET") return Protocol::kSocket;
  fail(code, fmt::format("{}: unknown protocol '{}' (expected TCP or SOCKET; PIPE and MEMORY "
                         "are for Windows servers)",
                         what, printable(text)));
}

namespace {

// user[:password]@ — percent-decoded; a missing user or an empty one is no user.
void read_credentials(const std::string& credentials, Dsn& dsn, const std::string& what,
                      ExitCode code) {
  const std::size_t colon = credentials.find(':');
  const std::string user = percent_decode(credentials.substr(0, colon), what, code);
  if (!user.empty()) dsn.user = user;
  if (colon != std::string::npos) {
    dsn.password = percent_decode(credentials.substr(colon + 1), what, code);
  }
}

// host[:port], or [v6 address][:port].
void read_host_port(const std::string& rest, Dsn& dsn, const std::string& what, ExitCode code) {
  std::size_t colon = rest.rfind(':');
  if (rest[0] == '[') {  // [::1]:3306
    const std::size_t close = rest.find(']');
    if (close == std::string::npos) fail(code, fmt::format("{}: unclosed '[' in the host", what));
    dsn.host = rest.substr(1, close - 1);
    colon = rest.size() > close + 1 && rest[close + 1] == ':' ? close + 1 : std::string::npos;
  } else {
    dsn.host = rest.substr(0, colon);
  }
  if (colon != std::string::npos) {
    const std::string digits = rest.substr(colon + 1);
    const std::optional<std::uint64_t> port = parse_unsigned(digits);
    if (!port || digits.size() > 5 || *port == 0 || *port > 65535) {
      fail(code, fmt::format("{}: the port in the DSN must be a number from 1 to 65535", what));
    }
    dsn.port = static_cast<unsigned>(*port);
  }
  if (dsn.host && dsn.host->empty()) dsn.host.reset();
}

// A yes/no DSN option: given bare or as true/1, or false/0.
bool dsn_flag(const std::string& value, const std::string& key, const std::string& what,
              ExitCode code) {
  const std::string lower = ascii_lower(value);
  if (lower.empty() || lower == "true" || lower == "1") return true;
  if (lower == "false" || lower == "0") return false;
  fail(code, fmt::format("{}: the DSN option {} takes true or false, not '{}'", what, key,
                         printable(value)));
}

// ?socket=..&protocol=..&ssl-mode=..&ssl-ca=..&ssl-cert=..&ssl-key=..&enable-cleartext-plugin
void read_options(const std::string& query, Dsn& dsn, const std::string& what, ExitCode code) {
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t amp = query.find('&', start);
    if (amp == std::string::npos) amp = query.size();
    const std::string pair = query.substr(start, amp - start);
    const std::size_t eq = pair.find('=');
    const std::string key = pair.substr(0, eq);
    const std::string value =
        eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1), what, code);
    if (key == "socket") {
      dsn.socket = value;
    } else if (key == "ssl-mode" || key == "ssl_mode") {
      (void)parse_ssl_mode(value, what, code);
      dsn.ssl_mode = value;
    } else if (key == "protocol") {
      (void)parse_protocol(value, what, code);
      dsn.protocol = value;
    } else if (key == "ssl-ca" || key == "ssl_ca") {
      dsn.ssl_ca = value;
    } else if (key == "ssl-cert" || key == "ssl_cert") {
      dsn.ssl_cert = value;
    } else if (key == "ssl-key" || key == "ssl_key") {
      dsn.ssl_key = value;
    } else if (key == "enable-cleartext-plugin" || key == "enable_cleartext_plugin") {
      dsn.enable_cleartext_plugin = dsn_flag(value, key, what, code);
    } else {
      fail(code, fmt::format("{}: unknown DSN option '{}' (known: socket, protocol, ssl-mode, "
                             "ssl-ca, ssl-cert, ssl-key, enable-cleartext-plugin)",
                             what, printable(key)));
    }
    start = amp + 1;
  }
}

}  // namespace

Dsn parse_dsn(const std::string& text, const std::string& what, ExitCode code) {
  const std::string scheme = "mysql://";
  // Never quote the DSN itself in errors: it may hold a password.
  if (text.rfind(scheme, 0) != 0 && text.rfind("mariadb://", 0) != 0) {
    fail(code, fmt::format("{}: a DSN starts with mysql:// or mariadb://, e.g. "
                           "mysql://user@host:3306/db",
                           what));
  }
  std::string rest = text.substr(text.find("://") + 3);
  // An '@' after the first '/' or '?' means one of those was inside the user or password:
  // splitting there would put part of the password into the database name or an option
  // name, and from there into messages.
  if (std::size_t end = rest.find_first_of("/?");
      end != std::string::npos && rest.find('@', end) != std::string::npos) {
    fail(code, fmt::format("{}: a '/' or '?' in the DSN's user or password must be written "
                           "%2F or %3F",
                           what));
  }
  Dsn dsn;
  std::string query;
  if (std::size_t q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest.resize(q);
  }
  if (std::size_t slash = rest.find('/'); slash != std::string::npos) {
    const std::string database = percent_decode(rest.substr(slash + 1), what, code);
    if (!database.empty()) dsn.database = database;
    rest.resize(slash);
  }
  if (std::size_t at = rest.rfind('@'); at != std::string::npos) {
    read_credentials(rest.substr(0, at), dsn, what, code);
    rest = rest.substr(at + 1);
  }
  if (!rest.empty()) read_host_port(rest, dsn, what, code);
  read_options(query, dsn, what, code);
  return dsn;
}

}  // namespace sqlmeasure
