// The real Connection: MariaDB Connector/C (the libmysqlclient API). The only file that
// includes <mysql.h>; everything else sees sqlmeasure::Connection.
#include <errmsg.h>
#include <fmt/format.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "row_hash.h"
#include "sqlmeasure/connection.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {
namespace {

constexpr unsigned kMariaDbStatementTimeout = 1969;  // ER_STATEMENT_TIMEOUT
constexpr unsigned kMySqlStatementTimeout = 3024;    // ER_QUERY_TIMEOUT

bool is_connection_lost(unsigned error_number) {
  return error_number == CR_SERVER_GONE_ERROR || error_number == CR_SERVER_LOST ||
         error_number == 2055 /* CR_SERVER_LOST_EXTENDED */ ||
         error_number == 4031 /* ER_CLIENT_INTERACTION_TIMEOUT */ ||
         error_number == ER_CONNECTION_KILLED || error_number == ER_SERVER_SHUTDOWN ||
         error_number == CR_CONN_HOST_ERROR || error_number == CR_CONNECTION_ERROR;
}

// What to check after a failed connection, by what failed: a TLS handshake is about the
// certificates and --ssl-mode, never the password; a refused login is about the account.
std::string connect_hint(unsigned error_number, const ConnectionOptions& options) {
  if (error_number == CR_SSL_CONNECTION_ERROR) {
    std::error_code ignored;
    if (options.ssl_ca && !std::filesystem::is_regular_file(*options.ssl_ca, ignored)) {
      return "the TLS set-up failed: --ssl-ca " + *options.ssl_ca +
             " is not a readable file; give the CA certificate (PEM) that signed the server's "
             "certificate";
    }
    std::string hint = "the TLS handshake failed: check that ";
    hint += options.ssl_ca ? "--ssl-ca (" + *options.ssl_ca +
                                 ") is the CA that signed the "
                                 "server's certificate"
                           : "the server's certificate is signed by a CA you give with --ssl-ca";
    hint +=
        ", and --ssl-mode (VERIFY_IDENTITY also checks the host name against the "
        "certificate; REQUIRED encrypts without verifying)";
    return hint;
  }
  if (error_number == ER_ACCESS_DENIED_ERROR || error_number == ER_DBACCESS_DENIED_ERROR ||
      error_number == 1698 /* ER_ACCESS_DENIED_NO_PASSWORD_ERROR */) {
    // The server says the same for a missing client certificate as for a wrong password.
    return std::string(
               "check the user (-u), its password (MYSQL_PWD, password_env, "
               "password_command, or an option file), its grants on the database (-D)") +
           (options.ssl_cert ? ", and that the server accepts the client certificate --ssl-cert " +
                                   *options.ssl_cert
                             : ", and, for an account that REQUIRE X509 or SSL, a client "
                               "certificate with --ssl-cert FILE --ssl-key FILE");
  }
  if (error_number == CR_PLUGIN_NOT_ALLOWED && !options.enable_cleartext_plugin) {
    return "if the server asked for mysql_clear_password (RDS IAM authentication, PAM, LDAP): "
           "give --enable-cleartext-plugin, with TLS required (--ssl-mode VERIFY_IDENTITY "
           "--ssl-ca FILE)";
  }
  if (error_number == CR_CONNECTION_ERROR && uses_local_socket(options) && options.port &&
      options.protocol == Protocol::kDefault) {
    return fmt::format(
        "-h localhost (or no -h) means the local socket, as in the mysql client, so -P {} was "
        "not used: to reach port {} give -h 127.0.0.1 or --protocol TCP",
        *options.port, *options.port);
  }
  return "check that the server is running there (-h/-P or -S), the user (-u), and the "
         "password (MYSQL_PWD, password_env, password_command, or an option file)";
}

std::string excerpt(std::string_view sql) {
  std::string text;
  for (char c : sql.substr(0, 120)) text += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (sql.size() > 120) text += "...";
  return text;
}

struct ResultDeleter {
  void operator()(MYSQL_RES* result) const { mysql_free_result(result); }
};
using ResultHandle = std::unique_ptr<MYSQL_RES, ResultDeleter>;

class MySqlConnection final : public Connection {
 public:
  explicit MySqlConnection(const ConnectionOptions& options) : options_(options) { open(); }

  void reconnect() override {
    if (handle_ != nullptr) mysql_close(handle_);
    handle_ = nullptr;
    open();
  }

 private:
  void open() {
    const ConnectionOptions& options = options_;
    handle_ = mysql_init(nullptr);
    if (handle_ == nullptr) fail(ExitCode::kRuntime, "out of memory initialising the MySQL client");
    endpoint_ = describe_endpoint(options);
    apply_options(options);
    // A password_command runs here, once per connection: a token is fresh for each.
    std::optional<std::string> password = options.password;
    if (options.fetch_password) {
      try {
        password = options.fetch_password();
      } catch (...) {
        mysql_close(handle_);
        handle_ = nullptr;
        throw;
      }
    }
    unsigned long flags = options.multi_statements ? CLIENT_MULTI_STATEMENTS : 0;
    if (mysql_real_connect(
            handle_, options.host ? options.host->c_str() : nullptr,
            options.user ? options.user->c_str() : nullptr, password ? password->c_str() : nullptr,
            options.database ? options.database->c_str() : nullptr, options.port.value_or(0),
            options.socket ? options.socket->c_str() : nullptr, flags) == nullptr) {
      unsigned error_number = mysql_errno(handle_);
      const std::string hint = error_number == ER_BAD_DB_ERROR && options.database
                                   ? databases_hint(options, password)
                                   : connect_hint(error_number, options);
      std::string message =
          fmt::format("cannot connect to {}{}: [{}] ({}) {}\n  {}", endpoint_,
                      options.user ? " as " + *options.user : std::string(), error_number,
                      mysql_sqlstate(handle_), mysql_error(handle_), hint);
      std::string sqlstate = mysql_sqlstate(handle_);
      mysql_close(handle_);
      handle_ = nullptr;
      throw DatabaseError(message, error_number, sqlstate, true, false);
    }
    session_id_ = mysql_thread_id(handle_);
    detect_server(options);
    configure_session(options);
  }

  // -D names no database: the closest ones this account can see, from a second connection
  // without -D (the screen and table errors do the same).
  static std::string databases_hint(const ConnectionOptions& options,
                                    const std::optional<std::string>& password) {
    ConnectionOptions without = options;
    without.database.reset();
    without.password = password;
    without.fetch_password = nullptr;
    std::vector<std::string> names;
    try {
      MySqlConnection look(without);
      for (const auto& row : look.query("SHOW DATABASES").rows) {
        if (!row[0]) continue;
        const std::string name = *row[0];
        if (name == "information_schema" || name == "performance_schema" || name == "mysql" ||
            name == "sys") {
          continue;
        }
        names.push_back(name);
      }
    } catch (const Error&) {
      return "check -D (the database's name), and that this account may see it";
    }
    if (names.empty()) return "this account sees no database of its own: check -D and its grants";
    const std::string best = did_you_mean(*options.database, names);
    std::sort(names.begin(), names.end());
    constexpr std::size_t kListed = 10;
    const std::size_t all = names.size();
    if (all > kListed) names.resize(kListed);
    return fmt::format("{}the databases this account can see: {}{}",
                       best.empty() ? "" : "did you mean -D " + best + "? ", join(names),
                       all > kListed ? fmt::format(", ... ({} in all)", all) : "");
  }

 public:
  ~MySqlConnection() override {
    if (handle_ != nullptr) mysql_close(handle_);
  }
  MySqlConnection(const MySqlConnection&) = delete;
  MySqlConnection& operator=(const MySqlConnection&) = delete;

  const ServerInfo& server() const override { return server_; }
  std::uint64_t session_id() const override { return session_id_; }

  Execution execute_timed(std::string_view sql, bool with_checksum) override {
    Execution execution;
    auto start = std::chrono::steady_clock::now();
    if (mysql_real_query(handle_, sql.data(), sql.size()) != 0) throw error_for(sql);
    // Buffered fetch, as PHP/PDO and most ORMs do: the page waits for every row.
    ResultHandle result(mysql_store_result(handle_));
    if (result) {
      unsigned fields = mysql_num_fields(result.get());
      while (MYSQL_ROW row = mysql_fetch_row(result.get())) {
        ++execution.rows_sent;
        if (with_checksum) {
          execution.checksum += hash_row(row, mysql_fetch_lengths(result.get()), fields);
        }
      }
    } else if (mysql_field_count(handle_) != 0) {
      throw error_for(sql);
    }
    auto stop = std::chrono::steady_clock::now();
    execution.warnings = mysql_warning_count(handle_);
    drain_more_results(sql);
    execution.elapsed_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(stop - start).count();
    return execution;
  }

  ResultSet query(std::string_view sql) override {
    if (mysql_real_query(handle_, sql.data(), sql.size()) != 0) throw error_for(sql);
    ResultSet set;
    ResultHandle result(mysql_store_result(handle_));
    set.warnings = mysql_warning_count(handle_);
    if (!result) {
      if (mysql_field_count(handle_) != 0) throw error_for(sql);
      drain_more_results(sql);
      return set;
    }
    unsigned fields = mysql_num_fields(result.get());
    MYSQL_FIELD* field_info = mysql_fetch_fields(result.get());
    for (unsigned i = 0; i < fields; ++i) {
      set.columns.emplace_back(field_info[i].name);
      set.numeric.push_back(IS_NUM(field_info[i].type) != 0);
    }
    while (MYSQL_ROW row = mysql_fetch_row(result.get())) {
      unsigned long* lengths = mysql_fetch_lengths(result.get());
      auto& out = set.rows.emplace_back();
      for (unsigned i = 0; i < fields; ++i) {
        if (row[i] == nullptr) {
          out.emplace_back(std::nullopt);
        } else {
          out.emplace_back(std::string(row[i], lengths[i]));
        }
      }
    }
    drain_more_results(sql);
    return set;
  }

  void query_rows(std::string_view sql, const RowSink& sink) override {
    if (mysql_real_query(handle_, sql.data(), sql.size()) != 0) throw error_for(sql);
    ResultHandle result(mysql_use_result(handle_));
    if (!result) {
      if (mysql_field_count(handle_) != 0) throw error_for(sql);
      drain_more_results(sql);
      return;
    }
    const unsigned fields = mysql_num_fields(result.get());
    std::vector<std::optional<std::string_view>> out(fields);
    while (MYSQL_ROW row = mysql_fetch_row(result.get())) {
      const unsigned long* lengths = mysql_fetch_lengths(result.get());
      for (unsigned i = 0; i < fields; ++i) {
        out[i] = row[i] == nullptr
                     ? std::nullopt
                     : std::optional<std::string_view>(std::string_view(row[i], lengths[i]));
      }
      sink(out);
    }
    // An unbuffered fetch ends at the last row or at an error (the connection was lost).
    if (mysql_errno(handle_) != 0) throw error_for(sql);
    result.reset();
    drain_more_results(sql);
  }

  void execute(std::string_view sql) override {
    if (mysql_real_query(handle_, sql.data(), sql.size()) != 0) throw error_for(sql);
    ResultHandle result(mysql_store_result(handle_));
    drain_more_results(sql);
  }

  std::string quote(std::string_view text) override {
    std::string out(text.size() * 2 + 3, '\0');
    out[0] = '\'';
    unsigned long length = mysql_real_escape_string(handle_, out.data() + 1, text.data(),
                                                    static_cast<unsigned long>(text.size()));
    out.resize(length + 1);
    out += '\'';
    return out;
  }

 private:
  void apply_options(const ConnectionOptions& options) {
    // Read option files like the mysql client: the given file, else the default ones
    // (~/.my.cnf among them), group [client]. Explicit flags still win.
    if (options.defaults_file) {
      mysql_options(handle_, MYSQL_READ_DEFAULT_FILE, options.defaults_file->c_str());
    }
    mysql_options(handle_, MYSQL_READ_DEFAULT_GROUP, "client");
    if (options.protocol != Protocol::kDefault) {
      unsigned protocol =
          options.protocol == Protocol::kTcp ? MYSQL_PROTOCOL_TCP : MYSQL_PROTOCOL_SOCKET;
      mysql_optionsv(handle_, MYSQL_OPT_PROTOCOL, &protocol);
    }
    unsigned connect_timeout = options.connect_timeout_s;
    mysql_options(handle_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
    unsigned read_timeout = options.read_timeout_s;
    if (read_timeout == 0 && options.query_timeout_ms > 0) {
      // The server enforces the statement timeout; the client read timeout is the backstop
      // for a server that stops answering altogether.
      read_timeout = options.query_timeout_ms / 1000 + 30;
    }
    if (read_timeout > 0) mysql_options(handle_, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
    my_bool yes = 1;
    my_bool no = 0;
    switch (options.ssl_mode) {
      case SslMode::kDefault:
        break;
      case SslMode::kDisabled:
        mysql_optionsv(handle_, MYSQL_OPT_SSL_ENFORCE, &no);
        break;
      case SslMode::kPreferred:
        break;
      case SslMode::kRequired:
        mysql_optionsv(handle_, MYSQL_OPT_SSL_ENFORCE, &yes);
        mysql_optionsv(handle_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &no);
        break;
      case SslMode::kVerifyCa:
        // Connector/C 3.3 checks the chain whenever a CA is given, and
        // MYSQL_OPT_SSL_VERIFY_SERVER_CERT adds the host name check on top: VERIFY_CA is
        // "a CA, without that flag". Without a CA nothing at all would be checked.
        if (!options.ssl_ca) {
          mysql_close(handle_);
          handle_ = nullptr;
          fail(ExitCode::kUsage, "--ssl-mode VERIFY_CA needs --ssl-ca FILE");
        }
        mysql_optionsv(handle_, MYSQL_OPT_SSL_ENFORCE, &yes);
        mysql_optionsv(handle_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &no);
        break;
      case SslMode::kVerifyIdentity:
        mysql_optionsv(handle_, MYSQL_OPT_SSL_ENFORCE, &yes);
        mysql_optionsv(handle_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &yes);
        break;
    }
    if (options.ssl_ca) mysql_optionsv(handle_, MYSQL_OPT_SSL_CA, options.ssl_ca->c_str());
    if (options.ssl_cert) mysql_optionsv(handle_, MYSQL_OPT_SSL_CERT, options.ssl_cert->c_str());
    if (options.ssl_key) mysql_optionsv(handle_, MYSQL_OPT_SSL_KEY, options.ssl_key->c_str());
    apply_cleartext_policy(options);
    mysql_options(handle_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  }

  // Connector/C accepts MYSQL_ENABLE_CLEARTEXT_PLUGIN but ignores it: it would answer any
  // server that asks for mysql_clear_password, TLS or not. So the plugins are restricted to the
  // others unless the cleartext plugin was enabled (which options.cpp allows only with TLS
  // required or over a named socket, the socket then forced, whatever an option file says).
  void apply_cleartext_policy(const ConnectionOptions& options) {
    if (!options.enable_cleartext_plugin) {
      mysql_optionsv(handle_, MARIADB_OPT_RESTRICTED_AUTH,
                     "mysql_native_password,mysql_old_password,caching_sha2_password,"
                     "sha256_password,client_ed25519,auth_gssapi_client,dialog,parsec");
      return;
    }
    my_bool yes = 1;
    mysql_optionsv(handle_, MYSQL_ENABLE_CLEARTEXT_PLUGIN, &yes);
    const bool tls_required = options.ssl_mode == SslMode::kRequired ||
                              options.ssl_mode == SslMode::kVerifyCa ||
                              options.ssl_mode == SslMode::kVerifyIdentity;
    if (!tls_required && over_named_socket(options)) {
      unsigned protocol = MYSQL_PROTOCOL_SOCKET;
      mysql_optionsv(handle_, MYSQL_OPT_PROTOCOL, &protocol);
    }
  }

  void detect_server(const ConnectionOptions& options) {
    server_.endpoint = endpoint_;
    server_.version = mysql_get_server_info(handle_);
    unsigned long numeric = mysql_get_server_version(handle_);
    server_.major = static_cast<int>(numeric / 10000);
    server_.minor = static_cast<int>(numeric / 100 % 100);
    server_.patch = static_cast<int>(numeric % 100);
    if (server_.version.find("MariaDB") != std::string::npos) {
      server_.flavor = Flavor::kMariaDB;
    } else {
      server_.flavor = Flavor::kMySQL;
      ResultSet aurora = query("SHOW VARIABLES LIKE 'aurora_version'");
      if (!aurora.rows.empty()) server_.flavor = Flavor::kAurora;
    }
    ResultSet session = query("SELECT DATABASE(), @@SESSION.sql_mode, @@socket");
    if (!session.rows.empty() && session.rows[0].size() == 3) {
      server_.database = session.rows[0][0].value_or("");
      server_.sql_mode = session.rows[0][1].value_or("");
      // A socket the client library found by itself (~/.my.cnf, the compiled-in default) is
      // still a path the user wants to see.
      const std::string host_info = mysql_get_host_info(handle_);
      if (host_info.find("socket") != std::string::npos && !options.socket && session.rows[0][2]) {
        server_.endpoint = "socket " + *session.rows[0][2];
      }
    }
  }

  void configure_session(const ConnectionOptions& options) {
    // Every scenario statement then runs in a read-only transaction: the server refuses a
    // write even if the loader's checks were fooled.
    if (options.read_only) execute("SET SESSION TRANSACTION READ ONLY");
    if (options.query_timeout_ms > 0) {
      if (server_.flavor == Flavor::kMariaDB) {
        execute(fmt::format("SET SESSION max_statement_time = {:.3f}",
                            options.query_timeout_ms / 1000.0));
      } else {
        execute(fmt::format("SET SESSION max_execution_time = {}", options.query_timeout_ms));
      }
    }
  }

  void drain_more_results(std::string_view sql) {
    while (mysql_more_results(handle_)) {
      if (mysql_next_result(handle_) > 0) throw error_for(sql);
      ResultHandle extra(mysql_store_result(handle_));
    }
  }

  DatabaseError error_for(std::string_view sql) {
    unsigned error_number = mysql_errno(handle_);
    bool timed_out =
        error_number == kMariaDbStatementTimeout || error_number == kMySqlStatementTimeout;
    bool lost = is_connection_lost(error_number);
    std::string message =
        fmt::format("{}: [{}] ({}) {}\n  while running: {}", endpoint_, error_number,
                    mysql_sqlstate(handle_), mysql_error(handle_), excerpt(sql));
    return DatabaseError(message, error_number, mysql_sqlstate(handle_), lost, timed_out);
  }

  ConnectionOptions options_;
  std::atomic<std::uint64_t> session_id_{0};  // read by the interrupt watchdog
  MYSQL* handle_ = nullptr;
  std::string endpoint_;
  ServerInfo server_;
};

}  // namespace

std::unique_ptr<Connection> connect(const ConnectionOptions& options) {
  return std::make_unique<MySqlConnection>(options);
}

}  // namespace sqlmeasure
