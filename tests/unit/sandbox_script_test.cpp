// scripts/sandbox on a port someone else holds: it says so at once, naming the holder and
// SANDBOX_PORT, and makes nothing (it used to wait 60 s and say "server did not start").
// No server is started: the check comes before anything else.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>

#include "support/db_fixture.h"
#include "support/process.h"
#include "support/scoped_env.h"
#include "support/temp_dir.h"

using namespace sqlmeasure;

namespace {

// A TCP listener on 127.0.0.1 at a port the kernel picks, closed at the end.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(fd_, 4) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
  }
  ~Listener() { ::close(fd_); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  [[nodiscard]] unsigned port() const { return port_; }

 private:
  int fd_ = -1;
  unsigned port_ = 0;
};

}  // namespace

TEST_CASE("scripts/sandbox start on a port in use fails at once, naming SANDBOX_PORT",
          "[unit][sandbox]") {
  Listener taken;
  testing::TempDir scratch("sandbox-port");
  const std::string dir = scratch / "sandbox";  // must not be made
  const std::string port = std::to_string(taken.port());
  testing::ScopedEnv sandbox_port("SANDBOX_PORT", port);
  testing::ScopedEnv sandbox_dir("SANDBOX_DIR", dir);
  const auto start = std::chrono::steady_clock::now();
  testing::Process sandbox("/bin/bash", {testing::source_dir() + "/scripts/sandbox", "start"},
                           scratch / "out", scratch / "err");
  const int code = sandbox.wait(std::chrono::seconds(20));
  const auto took = std::chrono::steady_clock::now() - start;
  const std::string err = testing::read_text(scratch / "err");
  INFO("stderr: " << err);
  CHECK(code == 2);
  CHECK(took < std::chrono::seconds(5));
  CHECK(err.starts_with("sandbox: port " + port + " is already in use (by "));
  CHECK(err.find("choose another with SANDBOX_PORT=") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir));
}
