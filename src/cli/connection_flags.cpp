// The connection flags, merged with sqlmeasure.toml, DSNs and the environment (flags > config >
// MySQL option files > built-in defaults), and checked before anything connects.
#include "connection_flags.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "password_prompt.h"
#include "secrets.h"
#include "sqlmeasure/error.h"

namespace sqlmeasure {

void ConnectionFlags::add_to(CLI::App& app) {
  const char* group = "Connection (as the mysql client)";
  app.add_option("-h,--host", host, "Server host")->group(group);
  app.add_option("-P,--port", port, "Server TCP port")->group(group)->check(CLI::Range(1, 65535));
  app.add_option("-S,--socket", socket, "Unix socket file")->group(group);
  app.add_option("--protocol", protocol,
                 "TCP or SOCKET; -h localhost (or no -h) means the socket, and -P is then not "
                 "used, unless TCP")
      ->group(group);
  app.add_option("-u,--user", user, "User")->group(group);
  app.add_option("-p,--password", password,
                 "Password; -p alone asks for it on the terminal (given here, other users can "
                 "see it: prefer the prompt, MYSQL_PWD or password_env)")
      ->expected(0, 1)
      ->type_name("[PASSWORD]")
      ->group(group);
  app.add_option("-D,--database", database, "Database")->group(group);
  app.add_option("--defaults-file", defaults_file, "MySQL option file to read ([client])")
      ->group(group);
  app.add_option("--dsn", dsn, "mysql://user@host:port/db[?socket=..&ssl-mode=..]")->group(group);
  app.add_option("--ssl-mode", ssl_mode,
                 "DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY")
      ->group(group);
  app.add_option("--ssl-ca", ssl_ca, "CA certificate file for VERIFY_CA / VERIFY_IDENTITY")
      ->group(group);
  app.add_option("--ssl-cert", ssl_cert, "Client certificate file (PEM), with --ssl-key")
      ->group(group);
  app.add_option("--ssl-key", ssl_key, "Client certificate's private key file (PEM)")->group(group);
  app.add_flag("--enable-cleartext-plugin", enable_cleartext_plugin,
               "Allow sending the password as typed (IAM tokens, PAM, LDAP); only with TLS "
               "required or over a local socket")
      ->group(group);
  app.add_option("--connect-timeout", connect_timeout, "Seconds to wait for the connection")
      ->group(group)
      ->default_str(std::to_string(ConnectionOptions{}.connect_timeout_s))
      ->check(CLI::Range(1, 3600));
}

namespace {

// The settings every source may carry (a DSN, [connection], the flags), laid over what the
// sources before it said: later sources win.
template <typename Source>
void overlay(ConnectionOptions& options, const Source& source) {
  if (source.host) options.host = source.host;
  if (source.port) options.port = source.port;
  if (source.socket) options.socket = source.socket;
  if (source.user) options.user = source.user;
  if (source.database) options.database = source.database;
  if (source.ssl_ca) options.ssl_ca = source.ssl_ca;
  if (source.ssl_cert) options.ssl_cert = source.ssl_cert;
  if (source.ssl_key) options.ssl_key = source.ssl_key;
  if constexpr (requires { source.defaults_file; }) {
    if (source.defaults_file) options.defaults_file = source.defaults_file;
  }
}

// A DSN's settings; its ssl-mode was checked when it was parsed.
void overlay_dsn(ConnectionOptions& options, const Dsn& dsn, const std::string& where,
                 ExitCode code) {
  overlay(options, dsn);
  if (dsn.password) options.password = dsn.password;
  if (dsn.ssl_mode) options.ssl_mode = parse_ssl_mode(*dsn.ssl_mode, where, code);
  if (dsn.protocol) options.protocol = parse_protocol(*dsn.protocol, where, code);
}

// The password: a command or an environment variable named by the config, else MYSQL_PWD,
// else whatever the option files say (the client library reads them).
void password_from_environment(ConnectionOptions& options, const ConnectionConfig& config,
                               const std::string& where, const std::atomic<bool>* interrupted) {
  if (config.password_command) {
    // Run at each connect by the driver; what it prints is a secret from then on.
    PasswordCommandLimits limits;
    limits.timeout_s = config.password_command_timeout_s.value_or(kPasswordCommandTimeoutS);
    limits.interrupted = interrupted;
    options.fetch_password = [command = *config.password_command, key = where + " password_command",
                              limits] {
      std::string password = run_password_command(command, key, limits);
      remember_secret(password);
      return password;
    };
  } else if (config.password_env) {
    const char* value = std::getenv(config.password_env->c_str());
    if (value == nullptr) {
      fail(ExitCode::kBadConfig,
           fmt::format("{} password_env: the environment variable {} is not set", where,
                       *config.password_env));
    }
    options.password = std::string(value);
  } else if (const char* mysql_pwd = std::getenv("MYSQL_PWD")) {
    options.password = std::string(mysql_pwd);
  }
}

// The last source that gave a setting: its value, and its name and exit code for errors.
template <typename T>
struct SaidBy {
  std::optional<T> value;
  std::string by;
  ExitCode code = ExitCode::kUsage;
  void note(const std::optional<T>& given, const std::string& name, ExitCode given_code) {
    if (!given) return;
    value = given;
    by = name;
    code = given_code;
  }
};

// A client certificate comes with its key, and both must be readable now: a typo is named
// here, by its flag or key, not as a TLS failure after connecting.
void check_client_certificate(const ConnectionOptions& options, const SaidBy<std::string>& cert,
                              const SaidBy<std::string>& key) {
  if (options.ssl_cert && !options.ssl_key) {
    fail(cert.code, fmt::format("{} {} needs its private key too: give --ssl-key FILE (ssl_key "
                                "in sqlmeasure.toml, ssl-key in a DSN)",
                                cert.by, *options.ssl_cert));
  }
  if (options.ssl_key && !options.ssl_cert) {
    fail(key.code, fmt::format("{} {} needs the certificate too: give --ssl-cert FILE (ssl_cert "
                               "in sqlmeasure.toml, ssl-cert in a DSN)",
                               key.by, *options.ssl_key));
  }
  for (const SaidBy<std::string>* file : {&cert, &key}) {
    if (!file->value) continue;
    std::error_code error;
    if (std::filesystem::is_directory(*file->value, error)) {
      fail(file->code, fmt::format("{} {}: a directory, not a PEM file", file->by, *file->value));
    }
    if (::access(file->value->c_str(), R_OK) != 0) {
      fail(file->code,
           fmt::format("{} {}: cannot read it: {}", file->by, *file->value, std::strerror(errno)));
    }
  }
}

// The cleartext plugin sends the password as typed. Over TCP that is only safe inside TLS the
// client insists on (REQUIRED and up; PREFERRED may fall back to plain). Over a local socket
// it crosses no network, as MySQL itself considers safe; the driver then forces the socket,
// so no option file can turn the connection into TCP.
void check_cleartext(const ConnectionOptions& options, const SaidBy<bool>& said) {
  if (!options.enable_cleartext_plugin) return;
  const bool tls_required = options.ssl_mode == SslMode::kRequired ||
                            options.ssl_mode == SslMode::kVerifyCa ||
                            options.ssl_mode == SslMode::kVerifyIdentity;
  if (tls_required || over_named_socket(options)) return;
  fail(said.code,
       fmt::format("{}: the cleartext plugin sends the password as typed, so without TLS it would "
                   "cross the network in clear; add --ssl-mode VERIFY_IDENTITY --ssl-ca FILE (or "
                   "REQUIRED), or connect over a local socket with -S",
                   said.by));
}

}  // namespace

bool asks_for_password(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] != "-p" && args[i] != "--password") continue;
    if (i + 1 == args.size() || args[i + 1].starts_with('-')) return true;
  }
  return false;
}

ConnectionOptions ConnectionFlags::resolve(const ProjectConfig& config, const Context& context,
                                           const std::optional<std::string>& dsn_override,
                                           const std::string& dsn_flag) const {
  ConnectionOptions options;
  const ConnectionConfig& c = config.connection;
  const std::string config_where = config.path + ": [connection]";
  // Who said each setting that is checked after the merge, so the error names it.
  SaidBy<std::string> cert, key;
  SaidBy<bool> cleartext;
  if (c.dsn) {
    const Dsn parsed = parse_dsn(*c.dsn, config_where + " dsn", ExitCode::kBadConfig);
    overlay_dsn(options, parsed, config_where + " dsn", ExitCode::kBadConfig);
    cert.note(parsed.ssl_cert, config_where + " dsn ssl-cert", ExitCode::kBadConfig);
    key.note(parsed.ssl_key, config_where + " dsn ssl-key", ExitCode::kBadConfig);
    cleartext.note(parsed.enable_cleartext_plugin, config_where + " dsn enable-cleartext-plugin",
                   ExitCode::kBadConfig);
  }
  overlay(options, c);
  cert.note(c.ssl_cert, config_where + " ssl_cert", ExitCode::kBadConfig);
  key.note(c.ssl_key, config_where + " ssl_key", ExitCode::kBadConfig);
  cleartext.note(c.enable_cleartext_plugin, config_where + " enable_cleartext_plugin",
                 ExitCode::kBadConfig);
  if (c.ssl_mode) {
    options.ssl_mode =
        parse_ssl_mode(*c.ssl_mode, config_where + " ssl_mode", ExitCode::kBadConfig);
  }
  if (c.protocol) {
    options.protocol =
        parse_protocol(*c.protocol, config_where + " protocol", ExitCode::kBadConfig);
  }
  if (c.connect_timeout_s) options.connect_timeout_s = *c.connect_timeout_s;
  if (c.query_timeout_ms) options.query_timeout_ms = *c.query_timeout_ms;
  password_from_environment(options, c, config_where, context.interrupt_flag());
  if (const std::optional<std::string>& flag_dsn = dsn_override ? dsn_override : dsn) {
    const Dsn parsed = parse_dsn(*flag_dsn, dsn_flag, ExitCode::kUsage);
    if (parsed.password) {
      context.warn(
          fmt::format("{} holds a password, which other users can see (ps, shell "
                      "history); prefer MYSQL_PWD or password_env",
                      dsn_flag));
      options.fetch_password = nullptr;  // the command line wins over password_command
    }
    overlay_dsn(options, parsed, dsn_flag, ExitCode::kUsage);
    cert.note(parsed.ssl_cert, dsn_flag + " ssl-cert", ExitCode::kUsage);
    key.note(parsed.ssl_key, dsn_flag + " ssl-key", ExitCode::kUsage);
    cleartext.note(parsed.enable_cleartext_plugin, dsn_flag + " enable-cleartext-plugin",
                   ExitCode::kUsage);
  }
  overlay(options, *this);
  cert.note(ssl_cert, "--ssl-cert", ExitCode::kUsage);
  key.note(ssl_key, "--ssl-key", ExitCode::kUsage);
  if (enable_cleartext_plugin) {
    cleartext.note(std::optional<bool>(true), "--enable-cleartext-plugin", ExitCode::kUsage);
  }
  if (ssl_mode) options.ssl_mode = parse_ssl_mode(*ssl_mode, "--ssl-mode", ExitCode::kUsage);
  if (protocol) options.protocol = parse_protocol(*protocol, "--protocol", ExitCode::kUsage);
  if (options.protocol == Protocol::kSocket && options.host && !options.host->empty() &&
      *options.host != "localhost") {
    fail(ExitCode::kUsage,
         fmt::format("--protocol SOCKET: a socket is on this machine, and -h {} names another "
                     "(give -h localhost, or no -h, with -S PATH)",
                     *options.host));
  }
  // The mysql client's rule, which surprises: a port with localhost is not used. Said, so a
  // server on the socket is never measured for the one on the port.
  if (options.port && uses_local_socket(options) && options.protocol == Protocol::kDefault) {
    context.warn(fmt::format(
        "-P {} is not used: -h localhost (or no -h) means the local socket{}, as in the mysql "
        "client; to reach port {} give -h 127.0.0.1 or --protocol TCP",
        *options.port, options.socket ? " " + *options.socket : "", *options.port));
  }
  if (connect_timeout) options.connect_timeout_s = *connect_timeout;
  if (password && password->empty() && asks_for_password(context.args())) {
    if (!prompted) {
      prompted = prompt_for_password();  // -p alone, as the mysql client
      remember_secret(*prompted);
    }
    options.password = prompted;
    options.fetch_password = nullptr;
  } else if (password && password->empty()) {
    options.password = "";  // --password= or -p "": an empty password, as the mysql client
    options.fetch_password = nullptr;
  } else if (password) {
    context.warn(
        "a password on the command line can be seen by other users (ps, shell "
        "history); prefer -p alone (a prompt), MYSQL_PWD or password_env");
    options.password = password;
    options.fetch_password = nullptr;
  }
  if ((options.ssl_mode == SslMode::kVerifyCa || options.ssl_mode == SslMode::kVerifyIdentity) &&
      !options.ssl_ca) {
    fail(ExitCode::kUsage, "--ssl-mode VERIFY_CA / VERIFY_IDENTITY needs --ssl-ca FILE");
  }
  check_client_certificate(options, cert, key);
  options.enable_cleartext_plugin = cleartext.value.value_or(false);
  check_cleartext(options, cleartext);
  return options;
}

ConnectionOptions measuring_session(ConnectionOptions connection, const RunOptions& run) {
  connection.read_only = !run.allow_writes;
  connection.query_timeout_ms = run.settings.query_timeout_ms;
  return connection;
}

Connector verbose_connector(const Context& context) {
  return [&context](const ConnectionOptions& options) {
    context.note(
        fmt::format("connecting to {}{}{}{}", describe_endpoint(options),
                    options.user ? " as " + *options.user : "",
                    options.fetch_password ? " (with the password password_command prints)"
                    : options.password     ? " (with a password)"
                                           : "",
                    options.ssl_cert ? " (client certificate " + *options.ssl_cert + ")" : ""));
    std::unique_ptr<Connection> connection = context.connector()(options);
    context.note(fmt::format("connected: {} {}", flavor_name(connection->server().flavor),
                             connection->server().version));
    return connection;
  };
}

}  // namespace sqlmeasure
