#pragma once
// Where the command line carries a password, so that no message can echo it and `ps` does
// not show it. Private to src/cli/.
#include <cstddef>
#include <string>
#include <vector>

namespace sqlmeasure {

// A password inside args[arg]: `length` bytes from `offset`.
struct SecretSpan {
  std::size_t arg = 0, offset = 0, length = 0;
};

// `-p PW`, `--password PW`, `--password=PW`, `-pPW`, and the password of any `scheme://user:PW@`
// (a DSN, wherever it is given).
[[nodiscard]] std::vector<SecretSpan> secret_spans(const std::vector<std::string>& args);

// A secret that came from elsewhere (a password_command's output), redacted from every
// message from now on, for the life of the process.
void remember_secret(const std::string& secret);
// Forgets them: for tests, which run many invocations in one process.
void forget_remembered_secrets();

// The secrets of `args`, MYSQL_PWD and those remembered, for redact() (those under 3 bytes
// would mask too much).
[[nodiscard]] std::vector<std::string> secrets_in(const std::vector<std::string>& args);

// `message` with every occurrence of a secret replaced by ***.
[[nodiscard]] std::string redact(std::string message, const std::vector<std::string>& secrets);

}  // namespace sqlmeasure
