// Where the command line carries passwords: masked in argv, redacted from messages.
#include "cli/secrets.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sqlmeasure/cli.h"

namespace sqlmeasure {
namespace {

std::vector<std::string> masked(std::vector<std::string> args) {
  std::vector<char*> argv;
  std::string program = "sqlmeasure";
  argv.push_back(program.data());
  for (std::string& arg : args) argv.push_back(arg.data());
  hide_secrets_in_argv(static_cast<int>(argv.size()), argv.data());
  return args;
}

TEST_CASE("passwords on the command line are overwritten in argv", "[unit][cli][secrets]") {
  CHECK(masked({"run", "-p", "hunter2", "-u", "me"}) ==
        std::vector<std::string>{"run", "-p", "xxxxxxx", "-u", "me"});
  CHECK(masked({"--password", "pw1"}) == std::vector<std::string>{"--password", "xxx"});
  CHECK(masked({"--password=s3cret"}) == std::vector<std::string>{"--password=xxxxxx"});
  CHECK(masked({"-ps3cret", "-P3306"}) == std::vector<std::string>{"-pxxxxxx", "-P3306"});
  CHECK(masked({"--dsn", "mysql://u:pa55@h:3306/db"}) ==
        std::vector<std::string>{"--dsn", "mysql://u:xxxx@h:3306/db"});
  CHECK(masked({"--before-dsn", "mysql://u@h/db"}) ==
        std::vector<std::string>{"--before-dsn", "mysql://u@h/db"});
  CHECK(masked({"-p"}) == std::vector<std::string>{"-p"});  // nothing after it
}

TEST_CASE("secrets are redacted from messages", "[unit][cli][secrets]") {
  forget_remembered_secrets();  // what earlier in-process runs' password_command printed
  const std::vector<std::string> secrets =
      secrets_in({"-p", "hunter2", "--dsn", "mysql://u:pa55@h/d"});
  CHECK(redact("bad password hunter2 for pa55", secrets) == "bad password *** for ***");
  CHECK(secrets_in({"-p", "ab"}).empty());  // too short to redact without masking everything
  // What a password_command printed, from then on.
  remember_secret("iam-token-0123");
  CHECK(redact("denied for iam-token-0123", secrets_in({})) == "denied for ***");
  forget_remembered_secrets();
  CHECK(secrets_in({}).empty());
}

}  // namespace
}  // namespace sqlmeasure
