#include "cli/options.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "cli/progress_line.h"
#include "cli/secrets.h"
#include "sqlmeasure/atomic_file.h"
#include "sqlmeasure/error.h"
#include "sqlmeasure/scenario_loader.h"
#include "sqlmeasure/text.h"

namespace sqlmeasure {

Style Context::style() const {
  const char* no_color_env = std::getenv("NO_COLOR");
  const bool env_forbids = no_color_env != nullptr && no_color_env[0] != '\0';
  Style style;
  style.color = invocation_.out_is_tty && !flags_.no_color && !env_forbids;
  return style;
}

void Context::warn(const std::string& message) const {
  err() << "sqlmeasure: warning: " << message << '\n';
}

void Context::note(const std::string& message) const {
  if (flags_.verbose) err() << "sqlmeasure: " << message << '\n';
}

const ProjectConfig& Context::config() const {
  if (!config_) config_ = load_project_config(flags_.config);
  return *config_;
}

void ConnectionFlags::add_to(CLI::App& app) {
  const char* group = "Connection (as the mysql client)";
  app.add_option("-h,--host", host, "Server host")->group(group);
  app.add_option("-P,--port", port, "Server TCP port")->group(group)->check(CLI::Range(1, 65535));
  app.add_option("-S,--socket", socket, "Unix socket file")->group(group);
  app.add_option("-u,--user", user, "User")->group(group);
  app.add_option("-p,--password", password,
                 "Password (visible to other users: prefer MYSQL_PWD or password_env)")
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
}

// The password: a command or an environment variable named by the config, else MYSQL_PWD,
// else whatever the option files say (the client library reads them).
void password_from_environment(ConnectionOptions& options, const ConnectionConfig& config,
                               const std::string& where) {
  if (config.password_command) {
    // Run at each connect by the driver; what it prints is a secret from then on.
    options.fetch_password = [command = *config.password_command,
                              key = where + " password_command"] {
      std::string password = run_password_command(command, key);
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
  if (c.connect_timeout_s) options.connect_timeout_s = *c.connect_timeout_s;
  if (c.query_timeout_ms) options.query_timeout_ms = *c.query_timeout_ms;
  password_from_environment(options, c, config_where);
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
  if (connect_timeout) options.connect_timeout_s = *connect_timeout;
  if (password) {
    context.warn(
        "a password on the command line can be seen by other users (ps, shell "
        "history); prefer MYSQL_PWD or password_env");
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

void ScenarioFlags::add_to(CLI::App& app) {
  const char* group = "Scenarios";
  app.add_option("--scenarios", scenarios, "Scenario directory (default: ./scenarios)")
      ->group(group);
  app.add_option("--screens", screens, "Screens to use: names or globs, comma-separated")
      ->group(group);
  app.add_flag("--allow-writes", allow_writes,
               "Allow INSERT/UPDATE/DELETE/REPLACE scenarios; each runs in a transaction that is "
               "always rolled back")
      ->group(group);
}

std::string ScenarioFlags::directory(const ProjectConfig& config) const {
  if (scenarios) return *scenarios;
  if (config.scenarios) return *config.scenarios;
  return "scenarios";
}

std::vector<std::string> ScenarioFlags::globs(const ProjectConfig& config) const {
  if (screens) return split_list(*screens);
  if (config.screens) return *config.screens;
  return {};
}

std::vector<Screen> ScenarioFlags::load(const ProjectConfig& config) const {
  LoadOptions options;
  options.allow_writes = allow_writes;
  std::vector<Screen> selected =
      select_screens(load_scenarios(directory(config), options), globs(config));
  // A screen file's [budget] first, else sqlmeasure.toml's: the run records it.
  for (Screen& screen : selected) {
    if (!screen.budget) screen.budget = budget_for(screen.name, config.policy);
  }
  return selected;
}

void RunFlags::add_to(CLI::App& app) {
  const char* group = "Measurement";
  app.add_option("--warmup", warmup, "Untimed executions of each query first (default 2)")
      ->group(group)
      ->check(CLI::Range(0, 100000));
  app.add_option_function<std::string>(
         "--iterations",
         [this](const std::string& value) {
           if (value == "auto") {
             iterations_auto = true;
             return;
           }
           int count = 0;
           auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), count);
           if (error != std::errc() || end != value.data() + value.size() || count < 1 ||
               count > 10000000) {
             throw CLI::ValidationError("--iterations",
                                        "expected 1 to 10000000, or auto; got " + value);
           }
           iterations_auto = false;
           iterations = count;
         },
         "Timed samples per query (default 20), or auto: until each median is precise "
         "(docs/measurement.md)")
      ->group(group)
      ->type_name("N|auto");
  app.add_option("--concurrency", concurrency,
                 "Connections replaying the screens at once while sampling (default 1)")
      ->group(group)
      ->check(CLI::Range(1, 256));
  app.add_option("--seed", seed, "Seed for parameter sampling and --order shuffled (default 1)")
      ->group(group);
  app.add_option("--order", order, "round-robin (default) or shuffled")
      ->group(group)
      ->type_name("TEXT:{round-robin,shuffled}")
      ->check([](const std::string& value) {
        return order_named(value) ? "" : "expected round-robin or shuffled, got " + value;
      });
  app.add_option("--query-timeout", query_timeout_ms,
                 "Per-query timeout in milliseconds, enforced by the server (0 = none)")
      ->group(group);
  app.add_option("--label", label, "A name for this run, stored in the results file")->group(group);
  app.add_option("--retries", retries,
                 "Reconnect up to N times when the connection is lost while measuring (never "
                 "during a migration)")
      ->group(group)
      ->check(CLI::Range(0, 100));
}

RunOptions RunFlags::options(const Context& context, const ScenarioFlags& scenarios,
                             const std::string& what) const {
  if (iterations_auto && concurrency > 1) {
    fail(ExitCode::kUsage,
         "--iterations auto cannot be combined with --concurrency above 1; "
         "give a number of iterations");
  }
  RunOptions options;
  options.settings = resolve(context.config(), scenarios);
  options.label = label.value_or("");
  options.allow_writes = scenarios.allow_writes;
  options.retries = retries;
  options.interrupted = context.interrupted();
  options.on_progress = progress_printer(context, what);
  return options;
}

ConnectionOptions measuring_session(ConnectionOptions connection, const RunOptions& run) {
  connection.read_only = !run.allow_writes;
  connection.query_timeout_ms = run.settings.query_timeout_ms;
  return connection;
}

RunSettings RunFlags::resolve(const ProjectConfig& config, const ScenarioFlags& scenarios) const {
  RunSettings settings;
  settings.warmup = warmup.value_or(config.warmup.value_or(2));
  settings.iterations = iterations.value_or(config.iterations.value_or(20));
  settings.seed = seed.value_or(config.seed.value_or(1));
  settings.order = order ? *order_named(*order) : config.order.value_or(Order::kRoundRobin);
  settings.scenarios = scenarios.directory(config);
  settings.screen_globs = scenarios.globs(config);
  settings.query_timeout_ms =
      query_timeout_ms.value_or(config.connection.query_timeout_ms.value_or(0));
  settings.concurrency = concurrency;
  if (iterations_auto) {
    settings.auto_iterations.enabled = true;
    settings.iterations = kAutoIterationsMax;
  }
  return settings;
}

void OutputFlags::add_to(CLI::App& app) {
  std::vector<std::string> names;
  for (Format format : allowed_) names.emplace_back(format_name(format));
  app.add_option("--format", text_, "Output format: " + join(names))->default_str("table");
}

std::function<void(const Progress&)> progress_printer(const Context& context,
                                                      const std::string& what) {
  if (!context.shows_progress()) return {};
  using Clock = std::chrono::steady_clock;
  struct State {
    Clock::time_point last_drawn, phase_start = Clock::now();
    std::string phase, finished;  // the phase under way; the last one summed up
    std::size_t done = 0;
  };
  auto state = std::make_shared<State>();
  std::ostream* err = &context.err();
  return [err, what, state](const Progress& progress) {
    const auto now = Clock::now();
    if (progress.phase == state->finished && progress.done == progress.total) return;
    // A new phase, or the same one counting again from the start: its pace starts anew.
    if (progress.phase != state->phase || progress.done < state->done) {
      state->phase = progress.phase;
      state->finished.clear();
      state->phase_start = now;
    }
    state->done = progress.done;
    const bool done = progress.done == progress.total;
    if (!done && now - state->last_drawn < std::chrono::milliseconds(100)) return;
    state->last_drawn = now;
    const double elapsed = std::chrono::duration<double>(now - state->phase_start).count();
    if (done) {
      *err << "\r\x1b[K" << phase_summary(what, progress, elapsed) << '\n';
      state->finished = progress.phase;
      state->phase.clear();
    } else {
      *err << "\r\x1b[K" << progress_line(what, progress, elapsed);
    }
    err->flush();
  };
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

void check_output_file(const std::string& path, const std::string& flag) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (fs::is_directory(path, error)) {
    fail(ExitCode::kUsage, fmt::format("{} {}: a directory, not a file", flag, path));
  }
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, error)) {
    fail(ExitCode::kUsage,
         fmt::format("{} {}: the directory {} does not exist", flag, path, parent.string()));
  }
  if (::access(parent.empty() ? "." : parent.c_str(), W_OK) != 0) {
    fail(ExitCode::kUsage,
         fmt::format("{} {}: cannot write in {}: {}", flag, path,
                     parent.empty() ? "." : parent.string(), std::strerror(errno)));
  }
}

void check_output_directory(const std::string& path, const std::string& flag) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) return;  // made when the run starts
  if (!fs::is_directory(status)) {
    fail(ExitCode::kUsage, fmt::format("{} {}: not a directory", flag, path));
  }
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(path, error)) {
    if (names.size() < 3) names.push_back(entry.path().filename().string());
  }
  if (!names.empty()) {
    fail(ExitCode::kUsage,
         fmt::format("{} {}: already holds files ({}{}): give a new or empty directory, so that "
                     "no older run's results mix with this one's",
                     flag, path, join(names), names.size() == 3 ? ", ..." : ""));
  }
  if (::access(path.c_str(), W_OK) != 0) {
    fail(ExitCode::kUsage,
         fmt::format("{} {}: cannot write there: {}", flag, path, std::strerror(errno)));
  }
}

std::set<std::string> flag_names(const CLI::App& app, const std::string& group) {
  std::set<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group() == group) names.insert(option->get_name());
  }
  return names;
}

void refuse_unused_flags(const CLI::App& app, const std::set<std::string>& used,
                         const std::string& mode) {
  for (const CLI::Option* option : app.get_options()) {
    if (option->count() == 0 || used.contains(option->get_name())) continue;
    const std::string name = option->get_name();
    fail(ExitCode::kUsage, fmt::format("{} does not apply to {}; leave it out",
                                       name == "files" ? "FILES" : name, mode));
  }
}

void ReportFlag::add_to(CLI::App& app) {
  app.add_option("--report", path_,
                 "Also write the HTML report (charts, plans) to FILE; --format html alone "
                 "writes it to stdout");
}

void ReportFlag::check() const {
  if (path_) check_output_file(*path_, "--report");
}

void ReportFlag::emit(Format format, const Context& context,
                      const std::function<void(std::ostream&)>& text,
                      const std::function<void(std::ostream&)>& page) const {
  if (format != Format::kHtml) text(context.out());
  if (path_) {
    write_file_atomically(*path_, page);
    context.err() << "report: " << *path_ << '\n';
  } else if (format == Format::kHtml) {
    page(context.out());
  }
}

}  // namespace sqlmeasure
