#pragma once
// A real server's answers, recorded once and replayed in tests. RecordingConnection wraps a
// real Connection and notes every call and answer (support/recording.h); ReplayConnection
// answers from such a recording without a server: the k-th call of a SQL text gets the k-th
// answer recorded for that text (the last one again after that), errors included, so the
// tool's output replays byte for byte. A call that was never recorded throws
// std::logic_error naming it: the recording is stale and must be made again.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sqlmeasure/connection.h"
#include "support/recording.h"

namespace sqlmeasure::testing {

// Every recorded ServerInfo says this instead of the real socket or host, and so do the
// recorded error messages: no machine path ends up in a golden output.
inline constexpr std::string_view kRecordedEndpoint = "127.0.0.1:3306";

// The recording of every connection one connector opened. Connections may run on several
// threads (--concurrency), so their calls are appended under a lock.
class Recorder {
 public:
  // A connector that opens a real connection with `real` and records what happens on it.
  [[nodiscard]] Connector connector(Connector real);
  [[nodiscard]] Recording recording() const;

 private:
  friend class RecordingConnection;
  void add(ServerInfo server);
  void add(RecordedCall call);

  mutable std::mutex mutex_;
  Recording recording_;
};

class RecordingConnection final : public Connection {
 public:
  RecordingConnection(std::unique_ptr<Connection> real, Recorder& recorder);

  [[nodiscard]] const ServerInfo& server() const override { return server_; }
  Execution execute_timed(std::string_view sql, bool with_checksum) override;
  ResultSet query(std::string_view sql) override;
  void execute(std::string_view sql) override;
  [[nodiscard]] std::string quote(std::string_view text) override { return real_->quote(text); }
  // Not recorded: a replay has nothing to reopen.
  void reconnect() override { real_->reconnect(); }

 private:
  // Runs `work` on the real connection and records the call with its answer or error.
  template <typename Work>
  auto recorded(RecordedCall::Kind kind, std::string_view sql, Work&& work);

  std::unique_ptr<Connection> real_;
  Recorder& recorder_;
  ServerInfo server_;  // the real one, with kRecordedEndpoint
};

// The answers of one recording, shared by every connection the replay connector opens: the
// k-th connection gets the k-th recorded ServerInfo, the k-th call of a text its k-th answer.
class Replay {
 public:
  explicit Replay(Recording recording);
  [[nodiscard]] Connector connector();
  // The calls asked for that the recording does not hold, as "query: SELECT ...".
  [[nodiscard]] std::vector<std::string> unrecorded() const;

 private:
  friend class ReplayConnection;
  using Key = std::pair<RecordedCall::Kind, std::string>;
  [[nodiscard]] ServerInfo next_server();
  // The recorded answer to the next call of `sql`; throws std::logic_error if none.
  [[nodiscard]] const RecordedCall& answer(RecordedCall::Kind kind, std::string_view sql);

  mutable std::mutex mutex_;
  Recording recording_;
  std::map<Key, std::vector<std::size_t>> calls_by_text_;  // indices into recording_.calls
  std::map<Key, std::size_t> asked_;                       // calls of each text so far
  std::size_t connections_ = 0;
  std::vector<std::string> unrecorded_;
};

class ReplayConnection final : public Connection {
 public:
  ReplayConnection(Replay& replay, ServerInfo server);

  [[nodiscard]] const ServerInfo& server() const override { return server_; }
  Execution execute_timed(std::string_view sql, bool with_checksum) override;
  ResultSet query(std::string_view sql) override;
  void execute(std::string_view sql) override;
  [[nodiscard]] std::string quote(std::string_view text) override { return quote_offline(text); }
  void reconnect() override {}  // the recording goes on where it was

 private:
  Replay& replay_;
  ServerInfo server_;
};

}  // namespace sqlmeasure::testing
