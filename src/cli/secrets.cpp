#include "secrets.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "sqlmeasure/cli.h"

namespace sqlmeasure {

std::vector<SecretSpan> secret_spans(const std::vector<std::string>& args) {
  std::vector<SecretSpan> spans;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    // `-p -D shop`: -p alone, a prompt; what follows is another flag, no password.
    if ((arg == "-p" || arg == "--password") && i + 1 < args.size() &&
        !args[i + 1].starts_with('-')) {
      spans.push_back({i + 1, 0, args[i + 1].size()});
    }
    if (arg.starts_with("--password=")) spans.push_back({i, 11, arg.size() - 11});
    if (arg.size() > 2 && arg.starts_with("-p") && arg[2] != '-') {
      spans.push_back({i, 2, arg.size() - 2});
    }
    const std::size_t scheme = arg.find("://");
    if (scheme == std::string::npos) continue;
    const std::size_t at = arg.find('@', scheme);
    const std::size_t colon = arg.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at) {
      spans.push_back({i, colon + 1, at - colon - 1});
    }
  }
  return spans;
}

namespace {

// Connections are opened from several threads (--concurrency), each maybe running the command.
std::mutex remembered_mutex;
std::vector<std::string>& remembered() {
  static std::vector<std::string> secrets;
  return secrets;
}

}  // namespace

void remember_secret(const std::string& secret) {
  const std::lock_guard lock(remembered_mutex);
  std::vector<std::string>& secrets = remembered();
  if (std::find(secrets.begin(), secrets.end(), secret) == secrets.end()) {
    secrets.push_back(secret);
  }
}

void forget_remembered_secrets() {
  const std::lock_guard lock(remembered_mutex);
  remembered().clear();
}

std::vector<std::string> secrets_in(const std::vector<std::string>& args) {
  std::vector<std::string> secrets;
  for (const SecretSpan& span : secret_spans(args)) {
    secrets.push_back(args[span.arg].substr(span.offset, span.length));
  }
  if (const char* env = std::getenv("MYSQL_PWD")) secrets.emplace_back(env);
  {
    const std::lock_guard lock(remembered_mutex);
    secrets.insert(secrets.end(), remembered().begin(), remembered().end());
  }
  std::erase_if(secrets, [](const std::string& secret) { return secret.size() < 3; });
  return secrets;
}

std::string redact(std::string message, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    for (std::size_t at = message.find(secret); at != std::string::npos;
         at = message.find(secret, at)) {
      message.replace(at, secret.size(), "***");
      at += 3;
    }
  }
  return message;
}

void hide_secrets_in_argv(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const SecretSpan& span : secret_spans(args)) {
    std::memset(argv[span.arg + 1] + span.offset, 'x', span.length);
  }
}

}  // namespace sqlmeasure
