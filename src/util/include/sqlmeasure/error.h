#pragma once
// The one error type of sqlmeasure: it carries the process exit code, so only main()
// has to catch, and every message can name the file, key, flag or query at fault.
#include <stdexcept>
#include <string>

namespace sqlmeasure {

// Exit codes follow sysexits where they fit; documented in docs/exit-codes.md.
enum class ExitCode : int {
  kOk = 0,
  kFindings = 1,   // compare: a gated regression; indexes: findings at/above --fail-on
  kRuntime = 2,    // database or runtime error, interruption
  kUsage = 64,     // bad command-line usage
  kBadInput = 65,  // bad scenario, results or SQL file
  kBadConfig = 78  // bad sqlmeasure.toml
};

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  [[nodiscard]] ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

// A server-side failure: errno and SQLSTATE from the server, the endpoint, and what we
// were doing. Never contains a password.
class DatabaseError : public Error {
 public:
  DatabaseError(const std::string& message, unsigned error_number, std::string sqlstate,
                bool connection_lost, bool timed_out)
      : Error(ExitCode::kRuntime, message),
        error_number_(error_number),
        sqlstate_(std::move(sqlstate)),
        connection_lost_(connection_lost),
        timed_out_(timed_out) {}
  [[nodiscard]] unsigned error_number() const { return error_number_; }
  [[nodiscard]] const std::string& sqlstate() const { return sqlstate_; }
  [[nodiscard]] bool connection_lost() const { return connection_lost_; }
  [[nodiscard]] bool timed_out() const { return timed_out_; }

 private:
  unsigned error_number_;
  std::string sqlstate_;
  bool connection_lost_;
  bool timed_out_;
};

[[noreturn]] inline void fail(ExitCode code, const std::string& message) {
  throw Error(code, message);
}

}  // namespace sqlmeasure
