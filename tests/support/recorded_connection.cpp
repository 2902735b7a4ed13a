#include "support/recorded_connection.h"

#include <algorithm>
#include <stdexcept>

#include "sqlmeasure/error.h"

namespace sqlmeasure::testing {
namespace {

// `text` with every occurrence of `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, std::string_view to) {
  if (from.empty()) return text;
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace

Connector Recorder::connector(Connector real) {
  return [this, real = std::move(real)](const ConnectionOptions& options) {
    return std::make_unique<RecordingConnection>(real(options), *this);
  };
}

Recording Recorder::recording() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return recording_;
}

void Recorder::add(ServerInfo server) {
  std::lock_guard<std::mutex> lock(mutex_);
  recording_.servers.push_back(std::move(server));
}

void Recorder::add(RecordedCall call) {
  std::lock_guard<std::mutex> lock(mutex_);
  recording_.calls.push_back(std::move(call));
}

RecordingConnection::RecordingConnection(std::unique_ptr<Connection> real, Recorder& recorder)
    : real_(std::move(real)), recorder_(recorder), server_(real_->server()) {
  server_.endpoint = kRecordedEndpoint;
  recorder_.add(server_);
}

template <typename Work>
auto RecordingConnection::recorded(RecordedCall::Kind kind, std::string_view sql, Work&& work) {
  RecordedCall call;
  call.kind = kind;
  call.sql = sql;
  try {
    auto answer = work(call);
    recorder_.add(std::move(call));
    return answer;
  } catch (const DatabaseError& error) {
    // The real endpoint is in the message ("socket /path: [1054] ..."): normalised like
    // server().endpoint, and the replay throws the same text.
    const std::string message = replaced(error.what(), real_->server().endpoint, kRecordedEndpoint);
    call.error = RecordedError{error.error_number(), error.sqlstate(), message,
                               error.connection_lost(), error.timed_out()};
    recorder_.add(call);
    throw DatabaseError(message, error.error_number(), error.sqlstate(), error.connection_lost(),
                        error.timed_out());
  }
}

Execution RecordingConnection::execute_timed(std::string_view sql, bool with_checksum) {
  return recorded(RecordedCall::Kind::kTimed, sql, [&](RecordedCall& call) {
    call.execution = real_->execute_timed(sql, with_checksum);
    return call.execution;
  });
}

ResultSet RecordingConnection::query(std::string_view sql) {
  return recorded(RecordedCall::Kind::kQuery, sql, [&](RecordedCall& call) {
    call.result = real_->query(sql);
    return call.result;
  });
}

void RecordingConnection::execute(std::string_view sql) {
  (void)recorded(RecordedCall::Kind::kExecute, sql, [&](RecordedCall&) {
    real_->execute(sql);
    return true;
  });
}

Replay::Replay(Recording recording) : recording_(std::move(recording)) {
  for (std::size_t i = 0; i < recording_.calls.size(); ++i) {
    const RecordedCall& call = recording_.calls[i];
    calls_by_text_[{call.kind, call.sql}].push_back(i);
  }
}

Connector Replay::connector() {
  return [this](const ConnectionOptions&) -> std::unique_ptr<Connection> {
    return std::make_unique<ReplayConnection>(*this, next_server());
  };
}

std::vector<std::string> Replay::unrecorded() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return unrecorded_;
}

ServerInfo Replay::next_server() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (recording_.servers.empty()) throw std::logic_error("the recording has no connection");
  const std::size_t index = std::min(connections_++, recording_.servers.size() - 1);
  return recording_.servers[index];
}

const RecordedCall& Replay::answer(RecordedCall::Kind kind, std::string_view sql) {
  std::lock_guard<std::mutex> lock(mutex_);
  const Key key{kind, std::string(sql)};
  const auto found = calls_by_text_.find(key);
  if (found == calls_by_text_.end()) {
    // Also kept aside: code under test may catch the exception and go on.
    std::string what = std::string(call_kind_name(kind)) + ": " + std::string(sql);
    unrecorded_.push_back(what);
    throw std::logic_error("ReplayConnection: not in the recording: " + what);
  }
  const std::vector<std::size_t>& answers = found->second;
  const std::size_t k = asked_[key]++;
  return recording_.calls[answers[std::min(k, answers.size() - 1)]];
}

ReplayConnection::ReplayConnection(Replay& replay, ServerInfo server)
    : replay_(replay), server_(std::move(server)) {}

namespace {

const RecordedCall& succeeded(const RecordedCall& call) {
  if (call.error) {
    throw DatabaseError(call.error->message, call.error->error_number, call.error->sqlstate,
                        call.error->connection_lost, call.error->timed_out);
  }
  return call;
}

}  // namespace

Execution ReplayConnection::execute_timed(std::string_view sql, bool /*with_checksum*/) {
  return succeeded(replay_.answer(RecordedCall::Kind::kTimed, sql)).execution;
}

ResultSet ReplayConnection::query(std::string_view sql) {
  return succeeded(replay_.answer(RecordedCall::Kind::kQuery, sql)).result;
}

void ReplayConnection::execute(std::string_view sql) {
  (void)succeeded(replay_.answer(RecordedCall::Kind::kExecute, sql));
}

}  // namespace sqlmeasure::testing
