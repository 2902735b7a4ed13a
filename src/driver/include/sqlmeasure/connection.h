#pragma once
// The database, seen through one small interface: the real MariaDB/MySQL client
// (src/driver/, the only user of <mysql.h>) and a scripted fake for deterministic tests.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sqlmeasure {

enum class Flavor { kUnknown, kMariaDB, kMySQL, kAurora };
[[nodiscard]] const char* flavor_name(Flavor flavor);

struct ServerInfo {
  Flavor flavor = Flavor::kUnknown;
  std::string version;  // as the server reports it, e.g. 10.11.19-MariaDB-0+deb12u1
  int major = 0, minor = 0, patch = 0;
  std::string endpoint;  // "127.0.0.1:3306" or "socket /path"; never credentials
  std::string database;
  std::string sql_mode;  // the session's @@sql_mode: it decides how SQL lexes (sql_lexer.h)
};

// What a timed execution saw: the app-visible latency (execute + fetch every row).
struct Execution {
  std::int64_t elapsed_ns = 0;
  std::uint64_t rows_sent = 0;
  std::uint64_t checksum = 0;  // order-insensitive hash of the rows, when asked for
  unsigned warnings = 0;       // the server's warning count for the statement (free to read)
};

struct ResultSet {
  std::vector<std::string> columns;
  std::vector<bool> numeric;  // per column: the server sent a numeric type
  std::vector<std::vector<std::optional<std::string>>> rows;
  unsigned warnings = 0;  // the server's warning count for the statement (EXPLAIN's notes)
  [[nodiscard]] int column(std::string_view name) const;  // -1 if absent (case-insensitive)
};

class Connection {
 public:
  virtual ~Connection() = default;
  [[nodiscard]] virtual const ServerInfo& server() const = 0;
  // Runs one statement and fetches every row; the clock covers exactly that.
  // Throws DatabaseError (timed_out() for a statement timeout).
  virtual Execution execute_timed(std::string_view sql, bool with_checksum) = 0;
  // Untimed helpers for EXPLAIN, SHOW, information_schema and counters.
  virtual ResultSet query(std::string_view sql) = 0;
  // Runs a query and hands its rows over one at a time as the server sends them (unbuffered),
  // so a result of any size costs the memory of one row (a whole log table, for capture).
  // A NULL is nullopt. The default reads the whole result first (fakes).
  using RowSink = std::function<void(const std::vector<std::optional<std::string_view>>& row)>;
  virtual void query_rows(std::string_view sql, const RowSink& sink);
  virtual void execute(std::string_view sql) = 0;
  // A SQL string literal, quoted and escaped by the client library for this connection.
  [[nodiscard]] virtual std::string quote(std::string_view text) = 0;
  // Opens the connection again with the same options and session settings (--retries).
  virtual void reconnect() { throw std::logic_error("this connection cannot reconnect"); }
  // The server's id of this session (CONNECTION_ID()), which KILL QUERY names. Safe to read
  // from another thread while a statement runs. 0 when unknown.
  [[nodiscard]] virtual std::uint64_t session_id() const { return 0; }
};

enum class SslMode { kDefault, kDisabled, kPreferred, kRequired, kVerifyCa, kVerifyIdentity };
// --protocol, as the mysql client: by default localhost (or no host) means the local socket,
// whatever -P says; TCP makes it the port.
enum class Protocol { kDefault, kTcp, kSocket };

struct ConnectionOptions {
  std::optional<std::string> host;
  std::optional<unsigned> port;
  std::optional<std::string> socket;
  Protocol protocol = Protocol::kDefault;
  std::optional<std::string> user;
  std::optional<std::string> password;  // never printed, logged or stored
  // Asked for the password at every connect and reconnect instead (password_command): a
  // short-lived token, e.g. RDS IAM authentication's, is fresh for each connection. What it
  // returns is as secret as `password`.
  std::function<std::string()> fetch_password;
  std::optional<std::string> database;
  std::optional<std::string> defaults_file;  // MySQL option file; else ~/.my.cnf [client]
  SslMode ssl_mode = SslMode::kDefault;
  std::optional<std::string> ssl_ca;
  std::optional<std::string> ssl_cert, ssl_key;  // the client certificate (REQUIRE X509)
  // mysql_clear_password: the password sent as typed (IAM tokens, PAM, LDAP). Allowed only
  // with TLS required or over a local socket (options.cpp); otherwise the library is told to
  // refuse a server that asks for it.
  bool enable_cleartext_plugin = false;
  unsigned connect_timeout_s = 10;
  unsigned read_timeout_s = 0;    // 0 = client default
  unsigned query_timeout_ms = 0;  // 0 = none; server-side statement timeout
  bool read_only = true;          // SET SESSION TRANSACTION READ ONLY
  bool multi_statements = false;  // for migrations only
};

// Host:port or socket as the user would recognise it, for messages. No secrets.
[[nodiscard]] std::string describe_endpoint(const ConnectionOptions& options);

// The options name a unix socket and no host but localhost: the connection crosses no network.
[[nodiscard]] bool over_named_socket(const ConnectionOptions& options);
// The library will use the local socket: no host or localhost, and not --protocol TCP. -P is
// then not used, as in the mysql client.
[[nodiscard]] bool uses_local_socket(const ConnectionOptions& options);

[[nodiscard]] std::unique_ptr<Connection> connect(const ConnectionOptions& options);

// How a command opens its connections: `connect` above for the tool, a scripted or recorded
// fake in tests. Whoever needs a second connection (the change's read-write one, more for
// --concurrency) asks the same connector, so a test sees them all.
using Connector = std::function<std::unique_ptr<Connection>(const ConnectionOptions&)>;

// Offline escaping (no connection) for `check` and tests; same rules as the library.
[[nodiscard]] std::string quote_offline(std::string_view text);

}  // namespace sqlmeasure
