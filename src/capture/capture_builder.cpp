// From logged statements to screens (docs/capture.md, "Screens", "Queries"): each statement is
// read as a template, attributed to a request — one traceparent, or consecutive statements of
// one thread with the same tags —, and each finished request adds to its screen: which
// fingerprints it issued, how many times each, where, and the values of each statement.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <utility>

#include "on_both_cores.h"
#include "sqlmeasure/capture.h"
#include "sqlmeasure/query_shape.h"
#include "sqlmeasure/sql_guard.h"
#include "sqlmeasure/sql_lexer.h"
#include "sqlmeasure/sql_statements.h"
#include "sqlmeasure/text.h"
#include "statement_reader.h"
#include "text_hash.h"

namespace sqlmeasure {
namespace {

// Distinct value rows tracked per query shape, beyond which only known rows are counted: what
// bounds memory on a log of millions of statements with unique ids. A query's shapes (its
// IN-lists' lengths) share twice that, and 256 bytes a row on average: rows beyond it go only
// to the shape issued most so far, the one whose values are replayed — so IN-lists of 40
// lengths cost what one costs, and long ones no more than short ones.
std::size_t rows_tracked(std::size_t max_values) {
  return std::max<std::size_t>(1000, max_values * 20);
}
constexpr std::size_t kRowBytes = 256;
// What a row counts against that budget besides its literals and values: what it cost when it
// kept its literals in a string of its own and its values read (a vector), as it once did —
// so that the rows kept stay the same.
constexpr std::size_t kRowCost =
    sizeof(std::string) + 2 * sizeof(std::uint64_t) + sizeof(std::vector<ParamValue>);

// Statements after which a request is cut, whatever its tags say.
constexpr std::size_t kMaxRequestStatements = 100'000;
// Every so many events, requests idle for a minute (or --gap, if longer) end.
constexpr std::uint64_t kSweepEvery = 65'536;
constexpr std::int64_t kStaleAfterUs = 60'000'000;
// The (screen, template) pairs whose query and shape are remembered: 2^kShapeBits.
constexpr unsigned kShapeBits = 13;
// Finished requests kept to be used again (their buffers), at most.
constexpr std::size_t kSpareRequests = 64;
constexpr std::size_t kSpareStatements = 1024;
constexpr std::size_t kSpareBytes = 64 * 1024;
// The largest `times` a scenario file may say.
constexpr int kMaxTimes = 100'000;

std::vector<std::string_view> literals_of(std::string_view literals) {
  std::vector<std::string_view> out;
  for (LiteralReader reader(literals); !reader.done();) out.push_back(reader.next());
  return out;
}

// A statement of a request: its template, and where its literals are in the request's.
struct Issued {
  const Template* shape = nullptr;
  std::size_t literals_at = 0, literals_size = 0;
};

// One shape of a fingerprint's SQL (an IN-list of one length): its statements and values.
struct Shape {
  std::uint64_t statements = 0;
  std::uint64_t first_seen = 0;
  std::string first_literals;  // of its first statement
  std::vector<bool> varies;    // a parameter whose literal ever differed
  std::size_t varying = 0;     // how many do: once all, no statement need be compared
  struct Row {
    std::uint32_t literals_at = 0, literals_size = 0;  // in row_literals
    std::uint64_t count = 0, first_seen = 0;
  };
  std::vector<Row> rows;
  // The rows' literals (append_literal's form; read into values when written), one after the
  // other: one allocation for all, where a string each cost a malloc to add and a free at exit.
  std::string row_literals;
  [[nodiscard]] std::string_view row_literals_of(const Row& row) const {
    return std::string_view(row_literals).substr(row.literals_at, row.literals_size);
  }
  // The rows by the hash of their literals, open addressing (a power of two, at most half
  // full): a lookup costs one cache miss, where a node-based map costs several — it is done
  // for every statement.
  struct Slot {
    std::uint32_t hash = 0;  // the low half of the literals' hash: eight bytes a slot
    std::uint32_t row = 0;   // index + 1; 0: empty
  };
  std::vector<Slot> index;

  Row* find_row(std::string_view literals, std::uint64_t hash) {
    if (index.empty()) return nullptr;
    const std::size_t mask = index.size() - 1;
    for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
      const Slot& slot = index[at];
      if (slot.row == 0) return nullptr;
      if (slot.hash == static_cast<std::uint32_t>(hash) &&
          row_literals_of(rows[slot.row - 1]) == literals) {
        return &rows[slot.row - 1];
      }
    }
  }

  void add_row(std::string_view literals, std::uint64_t seen, std::uint64_t hash) {
    if ((rows.size() + 1) * 2 > index.size()) {
      std::vector<Slot> old = std::move(index);
      // Small at first: most shapes of a log of many routes hold a row or two.
      index.assign(std::max<std::size_t>(8, old.size() * 2), Slot{});
      for (const Slot& slot : old) {
        if (slot.row != 0) place(slot);
      }
    }
    rows.push_back(Row{static_cast<std::uint32_t>(row_literals.size()),
                       static_cast<std::uint32_t>(literals.size()), 1, seen});
    row_literals.append(literals);
    place(Slot{static_cast<std::uint32_t>(hash), static_cast<std::uint32_t>(rows.size())});
  }

  void place(const Slot& slot) {
    const std::size_t mask = index.size() - 1;
    std::size_t at = slot.hash & mask;
    while (index[at].row != 0) at = (at + 1) & mask;
    index[at] = slot;
  }
};

struct QueryStats {
  const std::string* fingerprint = nullptr;
  std::uint64_t first_seen = 0;
  std::uint64_t statements = 0, requests = 0;
  std::map<int, std::uint64_t> counts;  // per request that issued it: count → requests
  double position_sum = 0;              // of its first issue in each request
  std::unordered_map<const Template*, Shape> shapes;
  std::size_t rows = 0, row_bytes = 0;  // value rows of all its shapes, and their size
  const Shape* most_issued = nullptr;   // its shape with the most statements so far
};

struct ScreenStats {
  std::string tags;
  std::uint64_t first_seen = 0, requests = 0;
  std::unordered_map<std::uint32_t, QueryStats> queries;  // by fingerprint id
  std::map<std::string, std::uint64_t> skipped;
};

// The statements of one request so far.
struct Request {
  std::string screen;  // key of the screen it adds to (kThread: decided when it ends)
  std::string tags;    // kTags: the tags' text, should its screen have been set aside
  std::string key;     // what ends it when it changes
  std::int64_t last_time_us = -1;
  ScreenStats* stats = nullptr;  // kTags: its screen's, while stats_generation is current
  std::uint64_t stats_generation = 0;
  std::vector<Issued> statements;
  // The literals of its statements, one after the other: one buffer, not one string each.
  std::string literals;
  std::map<std::string, std::uint64_t> skipped;

  // Empty again, its buffers kept for the next request.
  void clear() {
    screen.clear();
    tags.clear();
    key.clear();
    last_time_us = -1;
    stats = nullptr;
    stats_generation = 0;
    statements.clear();
    literals.clear();
    skipped.clear();
  }

  void issue(const Template& shape, std::string_view statement_literals) {
    statements.push_back(Issued{&shape, literals.size(), statement_literals.size()});
    literals.append(statement_literals);
  }
  [[nodiscard]] std::string_view statement_literals(const Issued& statement) const {
    return std::string_view(literals).substr(statement.literals_at, statement.literals_size);
  }
};

}  // namespace

std::string screen_name_from(const std::vector<std::string>& values) {
  std::string name;
  for (const std::string& value : values) {
    if (value.empty()) continue;
    if (!name.empty()) name += '_';
    for (char c : ascii_lower(value)) {
      name += (is_ascii_letter(c) || is_sql_digit(c) || c == '_') ? c : '_';
    }
  }
  std::string tidy;
  for (char c : name) {
    if (c == '_' && (tidy.empty() || tidy.back() == '_')) continue;
    tidy += c;
  }
  while (!tidy.empty() && tidy.back() == '_') tidy.pop_back();
  if (tidy.size() > kMaxNameLength - 4) tidy.resize(kMaxNameLength - 4);  // room for _NNN
  return tidy.empty() ? "screen" : tidy;
}

struct CaptureBuilder::State {
  explicit State(CaptureOptions options_in)
      : options(std::move(options_in)), reader(options), tag_slots(options.screen_tags) {}
  CaptureOptions options;
  std::uint64_t sequence = 0;  // events so far: the order of first appearance
  // Statements added to screens so far: the order of first appearance of queries, shapes and
  // value rows (a request's statements are added together, when it ends: one `sequence`).
  std::uint64_t statements_added = 0;
  std::map<std::string, ScreenStats> screens;       // by key (tags text, fingerprint, sequence)
  std::uint64_t screens_generation = 1;             // one more each time screens are set aside
  std::unordered_map<std::uint64_t, Request> open;  // by thread: requests without a trace
  struct Trace {
    Request request;
    int threads = 0;  // connections serving it now
  };
  std::unordered_map<std::string, Trace> traces;                                // by "trace:<id>"
  std::vector<std::unordered_map<std::string, Trace>::node_type> spare_traces;  // trace_of's
  // Thread → the trace it serves (a key in `traces`, which lives as long as a thread serves it).
  struct Serving {
    std::string key;
    Trace* trace = nullptr;
  };
  std::unordered_map<std::uint64_t, Serving> serving;
  StatementReader reader;  // for add(event)
  TagSlots tag_slots;      // what the comments `reader` told apart say
  ReadEvent own_event;     // for add(event): buffers reused
  std::string own_buffer;  // its literals and new tag comment (read() appends them)
  CaptureResult result;
  // What fetch_rows_ahead found of a statement: its query and shape, when both were there
  // before the request's statements are counted (found once, not again when it is).
  struct Ahead {
    std::uint64_t hash = 0;  // of the statement's literals
    QueryStats* query = nullptr;
    Shape* shape = nullptr;
  };
  std::vector<Ahead> statements_ahead;  // finish_request's, by statement (reused)
  // finish_request's fingerprints of a request and how many times each (reused).
  struct Counted {
    std::uint32_t fingerprint;
    int count;
  };
  std::vector<Counted> counted_scratch;
  std::string served_before;  // traced_request's (reused: no string made per request)
  // A screen's query and shape of a template, found again for each request without the two
  // node-based maps' lookups (a division and a cache miss or two each): direct-mapped by
  // (screen, template). Valid while no screen has been set aside since (generation): until
  // then a query or shape, once made, stays where it is.
  struct ShapeEntry {
    const ScreenStats* screen = nullptr;
    const Template* shape = nullptr;
    std::uint64_t generation = 0;
    QueryStats* query = nullptr;
    Shape* stats = nullptr;
  };
  std::vector<ShapeEntry> shape_entries = std::vector<ShapeEntry>(std::size_t{1} << kShapeBits);
  ShapeEntry& shape_entry(const ScreenStats& screen, const Template& shape) {
    const std::uint64_t key =
        reinterpret_cast<std::uintptr_t>(&screen) * 31 + reinterpret_cast<std::uintptr_t>(&shape);
    return shape_entries[(key ^ (key >> 17)) * 0x9e3779b97f4a7c15ull >> (64 - kShapeBits)];
  }
  // Finished, emptied, for take_request (reserved: Recycle's push_back never allocates).
  std::vector<Request> spare_requests = [] {
    std::vector<Request> spare;
    spare.reserve(kSpareRequests);
    return spare;
  }();

  void add(const ReadEvent& event, std::string_view buffer) {
    ++result.events;
    ++sequence;
    if (screens.size() > options.screens_tracked) set_aside_screens();
    if (result.events % kSweepEvery == 0) close_stale(event.time_us);
    if (event.kind != ReadEvent::Kind::kStatement) {
      if (event.kind == ReadEvent::Kind::kEndsSession) close(event.thread);
      // Connect, Init DB, Prepare, Close stmt, Ping, ...: not replayed, not worth a line
      // each in the summary.
      return;
    }
    const Template& shape = *event.shape;
    const std::string& why = *event.why;
    const std::string_view literals = buffer.substr(event.literals_at, event.literals_size);
    Request* request = nullptr;
    switch (options.group_by) {
      case CaptureOptions::GroupBy::kTags: {
        const ReadTags& tags = tag_slots.of(event, buffer);
        if (tags.found && !tags.utf8) {
          ++result.skipped["query tags that are not UTF-8"];
          return;
        }
        if (tags.screen.empty()) {
          ++result.skipped[why.empty() ? "untagged (--group-by thread or query reads it)" : why];
          return;
        }
        // Without a traceparent, a pooled connection serving one screen again and again is
        // cut into requests at idle gaps, as --group-by thread does.
        if (tags.trace.empty()) {
          close_if_idle(event.thread, event.time_us);
          request = &request_for(event.thread, tags.screen, tags.screen, event.time_us);
        } else {
          request = &traced_request(event.thread, tags.screen, tags.trace, event.time_us);
        }
        // The screen's entry, made by its first statement: looked up once per request, not
        // once per statement, while no screen has been set aside since.
        if (request->stats == nullptr || request->stats_generation != screens_generation ||
            request->stats->tags.empty()) {
          ScreenStats& stats = screen_stats(tags.screen);
          if (stats.tags.empty()) stats.tags = tags.text;  // as first seen
          request->stats = &stats;
          request->stats_generation = screens_generation;
        }
        if (request->tags.empty()) request->tags = tags.text;
        break;
      }
      case CaptureOptions::GroupBy::kThread: {
        close_if_idle(event.thread, event.time_us);
        request = &request_for(event.thread, "", "thread", event.time_us);
        break;
      }
      case CaptureOptions::GroupBy::kQuery:
        if (!why.empty()) {
          ++result.skipped[why];
          return;
        }
        break;
    }
    if (!why.empty()) {
      ++request->skipped[why];
      return;
    }
    if (!shape.unusable.empty()) {
      ++(request != nullptr ? request->skipped : result.skipped)[shape.unusable];
      return;
    }
    if (options.group_by == CaptureOptions::GroupBy::kQuery) {
      Request single = take_request();
      single.screen = *shape.fingerprint_text;
      single.issue(shape, literals);
      finish_request(std::move(single));
      return;
    }
    request->issue(shape, literals);
    // A request that never ends (a connection never idle, never quitting) is cut, so that
    // memory stays bounded.
    if (request->statements.size() >= kMaxRequestStatements) {
      if (request->key.starts_with("trace:")) {
        cut_trace(request->key);
      } else {
        close(event.thread);
      }
    }
  }

  // The request of a traceparent, which `thread` serves now: one request however many
  // connections of a pool its statements went through (Go's database/sql spreads one
  // request's queries over several). It ends when no connection serves it any more.
  Request& traced_request(std::uint64_t thread, const std::string& screen, const std::string& key,
                          std::int64_t time_us) {
    close_untraced(thread);
    Serving& current = serving[thread];
    if (current.key != key) {
      served_before.assign(current.key);
      current.key.assign(key);
      current.trace = nullptr;
      if (!served_before.empty()) release(served_before);
      Trace& trace = trace_of(key);
      ++trace.threads;
      if (trace.request.key.empty()) {
        trace.request = take_request();
        trace.request.screen = screen;
        trace.request.key = key;
      }
      current.trace = &trace;
    }
    Trace& trace = *current.trace;
    if (trace.request.screen != screen) cut_trace(key, screen);  // a traceparent reused
    if (time_us >= 0) trace.request.last_time_us = time_us;
    return trace.request;
  }

  // A connection no longer serves the trace: the last one to leave ends its request.
  void release(const std::string& key) {
    const auto found = traces.find(key);
    if (found == traces.end() || --found->second.threads > 0) return;
    Request request = std::move(found->second.request);
    forget_trace(found);
    finish_request(std::move(request));
  }

  // The entry of the trace `key`, made if there is none: of a node a trace before used when
  // there is one (its key's buffer too), not two allocations for each request.
  Trace& trace_of(const std::string& key) {
    if (const auto found = traces.find(key); found != traces.end()) return found->second;
    if (spare_traces.empty()) return traces.try_emplace(key).first->second;
    auto node = std::move(spare_traces.back());
    spare_traces.pop_back();
    node.key().assign(key);
    node.mapped().threads = 0;
    return traces.insert(std::move(node)).position->second;
  }

  // The trace's entry goes (its request already moved out); its node is kept for trace_of.
  void forget_trace(std::unordered_map<std::string, Trace>::iterator entry) {
    auto node = traces.extract(entry);
    if (spare_traces.size() < kSpareRequests && node.key().capacity() <= kSpareBytes) {
      spare_traces.push_back(std::move(node));
    }
  }

  // The trace's request so far ends, and another starts (for `screen`, or the same one).
  void cut_trace(const std::string& key, const std::string& screen = "") {
    Trace& trace = traces.at(key);
    Request request = std::move(trace.request);
    trace.request = take_request();
    trace.request.screen = screen.empty() ? request.screen : screen;
    trace.request.key = key;
    finish_request(std::move(request));
  }

  // Ends a trace's request whoever serves it (the sweep of idle requests, the end of a log).
  void end_trace(const std::string& key) {
    for (auto& [thread, served] : serving) {
      if (served.key == key) served = Serving{};
    }
    const auto found = traces.find(key);
    if (found == traces.end()) return;
    Request request = std::move(found->second.request);
    forget_trace(found);
    finish_request(std::move(request));
  }

  // Ends the thread's request when it has been idle longer than --gap.
  void close_if_idle(std::uint64_t thread, std::int64_t time_us) {
    const auto found = open.find(thread);
    if (found != open.end() && found->second.last_time_us >= 0 && time_us >= 0 &&
        time_us - found->second.last_time_us > options.gap_us) {
      close(thread);
    }
  }

  // Ends every request idle for longer than the horizon (in thread order: deterministic): a
  // slow log has no Quit, and connections come and go, so without this every connection
  // ever seen would keep its last request open until the end of the log.
  void close_stale(std::int64_t now_us) {
    if (now_us < 0) return;
    const std::int64_t horizon = std::max<std::int64_t>(options.gap_us, kStaleAfterUs);
    std::vector<std::uint64_t> stale;
    for (const auto& [thread, request] : open) {
      if (request.last_time_us >= 0 && now_us - request.last_time_us > horizon) {
        stale.push_back(thread);
      }
    }
    std::sort(stale.begin(), stale.end());
    for (std::uint64_t thread : stale) close_untraced(thread);
    std::vector<std::string> stale_traces;
    for (const auto& [key, trace] : traces) {
      if (trace.request.last_time_us >= 0 && now_us - trace.request.last_time_us > horizon) {
        stale_traces.push_back(key);
      }
    }
    std::sort(stale_traces.begin(), stale_traces.end());
    for (const std::string& key : stale_traces) end_trace(key);
  }

  Request& request_for(std::uint64_t thread, const std::string& screen, const std::string& key,
                       std::int64_t time_us) {
    leave_trace(thread);  // a statement without a trace: it serves none any more
    auto found = open.find(thread);
    if (found != open.end() && (found->second.key != key || found->second.screen != screen)) {
      close(thread);
      found = open.end();
    }
    if (found == open.end()) {
      found = open.emplace(thread, take_request()).first;
      found->second.screen = screen;
      found->second.key = key;
    }
    if (time_us >= 0) found->second.last_time_us = time_us;
    return found->second;
  }

  // Lossy counting: the half of the screens with the fewest requests (the oldest first among
  // equals) is dropped, and the most requests a dropped one had is kept, to be said. A route
  // seen again starts over. Called between events only, when no reference to a screen is held.
  void set_aside_screens() {
    using Entry = std::map<std::string, ScreenStats>::iterator;
    std::vector<Entry> entries;
    entries.reserve(screens.size());
    for (auto at = screens.begin(); at != screens.end(); ++at) entries.push_back(at);
    const auto fewer = [](const Entry& a, const Entry& b) {
      return a->second.requests != b->second.requests ? a->second.requests < b->second.requests
                                                      : a->second.first_seen < b->second.first_seen;
    };
    const std::size_t drop = entries.size() / 2;
    std::nth_element(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(drop),
                     entries.end(), fewer);
    for (std::size_t i = 0; i < drop; ++i) {
      const ScreenStats& stats = entries[i]->second;
      result.set_aside_requests = std::max(result.set_aside_requests, stats.requests);
      for (const auto& [why, count] : stats.skipped) result.skipped[why] += count;
      screens.erase(entries[i]);
    }
    result.screens_set_aside += drop;
    ++screens_generation;
  }

  ScreenStats& screen_stats(const std::string& key) {
    auto [stats, added] = screens.try_emplace(key);
    if (added) stats->second.first_seen = sequence;
    return stats->second;
  }

  // The thread's request ends, and it leaves the trace it served.
  void close(std::uint64_t thread) {
    close_untraced(thread);
    leave_trace(thread);
  }

  // The thread no longer serves the trace it did.
  void leave_trace(std::uint64_t thread) {
    const auto served = serving.find(thread);
    if (served == serving.end()) return;
    const std::string key = std::move(served->second.key);
    serving.erase(served);
    if (!key.empty()) release(key);
  }

  void close_untraced(std::uint64_t thread) {
    const auto found = open.find(thread);
    if (found == open.end()) return;
    Request request = std::move(found->second);
    open.erase(found);
    finish_request(std::move(request));
  }

  // A request made of one used before, when there is one: its buffers (the statements, their
  // literals, the screen's key) are not allocated again for each request.
  Request take_request() {
    if (spare_requests.empty()) return Request{};
    Request request = std::move(spare_requests.back());
    spare_requests.pop_back();
    return request;
  }

  void finish_request(Request request) {
    struct Recycle {
      State& state;
      Request& request;
      ~Recycle() {
        // (Not a request of thousands of statements: its buffers would stay that large.)
        if (state.spare_requests.size() >= kSpareRequests ||
            request.statements.capacity() > kSpareStatements ||
            request.literals.capacity() > kSpareBytes || request.screen.capacity() > kSpareBytes ||
            request.tags.capacity() > kSpareBytes || request.key.capacity() > kSpareBytes) {
          return;
        }
        request.clear();
        state.spare_requests.push_back(std::move(request));
      }
    } recycle{*this, request};
    if (options.group_by == CaptureOptions::GroupBy::kThread) {
      if (request.statements.empty()) {
        for (const auto& [why, count] : request.skipped) result.skipped[why] += count;
        return;
      }
      std::vector<const std::string*> seen;  // fingerprints, in order of first issue
      for (const Issued& statement : request.statements) {
        const std::string* fingerprint = statement.shape->fingerprint_text;
        if (std::find(seen.begin(), seen.end(), fingerprint) == seen.end()) {
          seen.push_back(fingerprint);
        }
      }
      std::string joined;
      for (const std::string* fingerprint : seen) {
        if (!joined.empty()) joined += '\n';
        joined += *fingerprint;
      }
      request.screen = std::move(joined);
    }
    // Tagged: the screen's entry its first statement found, while no screen has been set aside
    // since (a lookup by its key in the map of screens for each request, else).
    ScreenStats& screen = request.stats != nullptr && request.stats_generation == screens_generation
                              ? *request.stats
                              : screen_stats(request.screen);
    if (screen.tags.empty()) screen.tags = std::move(request.tags);
    for (const auto& [why, count] : request.skipped) screen.skipped[why] += count;
    if (request.statements.empty()) return;  // only skipped statements: counted, no request
    ++screen.requests;
    // Fingerprint → count, first statement: in order of first issue, so that positions
    // count distinct fingerprints (a loop of 20 is one position).
    std::vector<Counted>& issued = counted_scratch;
    issued.clear();
    fetch_rows_ahead(screen, request);
    for (std::size_t i = 0; i < request.statements.size(); ++i) {
      const Issued& statement = request.statements[i];
      const std::uint32_t id = statement.shape->fingerprint;
      auto at = std::find_if(issued.begin(), issued.end(),
                             [id](const Counted& counted) { return counted.fingerprint == id; });
      if (at == issued.end()) at = issued.insert(issued.end(), Counted{id, 0});
      ++at->count;
      add_statement(screen, *statement.shape, request.statement_literals(statement),
                    statements_ahead[i]);
    }
    for (std::size_t position = 0; position < issued.size(); ++position) {
      QueryStats& query = screen.queries.at(issued[position].fingerprint);
      ++query.requests;
      ++query.counts[issued[position].count];
      query.position_sum += static_cast<double>(position);
    }
  }

  // Each statement's value row is a lookup in a table too large for the cache, then in the
  // row it names: a miss each, one after the other. Asked of the memory for all the request's
  // statements first (nothing changes here), they arrive together.
  void fetch_rows_ahead(ScreenStats& screen, const Request& request) {
    statements_ahead.resize(request.statements.size());
    const Template* last = nullptr;
    QueryStats* query = nullptr;
    Shape* shape = nullptr;
    for (std::size_t i = 0; i < request.statements.size(); ++i) {
      const Issued& statement = request.statements[i];
      if (statement.shape != last) {  // a loop issues one shape again and again
        last = statement.shape;
        query = nullptr;
        shape = nullptr;
        ShapeEntry& entry = shape_entry(screen, *last);
        if (entry.screen == &screen && entry.shape == last &&
            entry.generation == screens_generation) {
          query = entry.query;
          shape = entry.stats;
        } else if (const auto found_query = screen.queries.find(last->fingerprint);
                   found_query != screen.queries.end()) {
          const auto found = found_query->second.shapes.find(last);
          if (found != found_query->second.shapes.end()) {
            query = &found_query->second;
            shape = &found->second;
            entry = ShapeEntry{&screen, last, screens_generation, query, shape};
          }
        }
      }
      const std::uint64_t hash = text_hash(request.statement_literals(statement));
      statements_ahead[i] = Ahead{hash, query, shape};
      if (shape != nullptr && !shape->index.empty()) {
        __builtin_prefetch(&shape->index[hash & (shape->index.size() - 1)]);
      }
    }
    for (const Ahead& next : statements_ahead) {
      if (next.shape == nullptr || next.shape->index.empty()) continue;
      const Shape::Slot& slot = next.shape->index[next.hash & (next.shape->index.size() - 1)];
      if (slot.row != 0 && slot.hash == static_cast<std::uint32_t>(next.hash)) {
        __builtin_prefetch(&next.shape->rows[slot.row - 1]);
      }
    }
  }

  void add_statement(ScreenStats& screen, const Template& issued, std::string_view literals,
                     const Ahead& ahead) {
    const std::uint64_t hash = ahead.hash;
    const std::uint64_t seen = ++statements_added;
    bool added = false, new_shape = false;
    QueryStats* query_at = ahead.query;
    Shape* shape_at = ahead.shape;
    if (query_at == nullptr) {
      auto [found, query_added] = screen.queries.try_emplace(issued.fingerprint);
      query_at = &found->second;
      added = query_added;
      auto [found_shape, shape_added] = query_at->shapes.try_emplace(&issued);
      shape_at = &found_shape->second;
      new_shape = shape_added;
      shape_entry(screen, issued) =
          ShapeEntry{&screen, &issued, screens_generation, query_at, shape_at};
    }
    QueryStats& query = *query_at;
    if (added) {
      query.first_seen = seen;
      query.fingerprint = issued.fingerprint_text;
    }
    ++query.statements;
    Shape& shape = *shape_at;
    if (new_shape) {
      shape.first_seen = seen;
      shape.first_literals = literals;
      shape.varies.assign(issued.params.size(), false);
    }
    ++shape.statements;
    if (query.most_issued == nullptr || shape.statements > query.most_issued->statements) {
      query.most_issued = &shape;
    }
    if (shape.varying < shape.varies.size() && literals != shape.first_literals) {
      LiteralReader each(literals), first(shape.first_literals);
      for (std::size_t i = 0; i < shape.varies.size() && !each.done() && !first.done(); ++i) {
        if (each.next() != first.next() && !shape.varies[i]) {
          shape.varies[i] = true;
          ++shape.varying;
        }
      }
    }
    if (Shape::Row* row = shape.find_row(literals, hash)) {
      ++row->count;
    } else if (const std::size_t tracked = rows_tracked(options.max_values);
               shape.rows.size() < tracked && query.rows < 2 * tracked &&
               query.row_bytes < 2 * tracked * kRowBytes &&
               ((query.rows < tracked && query.row_bytes < tracked * kRowBytes) ||
                &shape == query.most_issued)) {
      std::size_t values = 0;
      for (LiteralReader each(literals); !each.done(); each.next()) ++values;
      ++query.rows;
      query.row_bytes += kRowCost + 2 * literals.size() + values * sizeof(ParamValue);
      shape.add_row(literals, seen, hash);
    }
  }

  static int median_count(const std::map<int, std::uint64_t>& counts, std::uint64_t requests) {
    std::uint64_t seen = 0;
    for (const auto& [count, times] : counts) {
      seen += times;
      if (seen * 2 >= requests) return count;
    }
    return counts.empty() ? 1 : counts.rbegin()->first;
  }

  CapturedQuery captured_query(const std::string& fingerprint, const QueryStats& stats) const {
    CapturedQuery out;
    out.fingerprint = fingerprint;
    out.statements = stats.statements;
    out.requests = stats.requests;
    // At most what a scenario allows (docs/scenarios.md).
    out.times = std::clamp(median_count(stats.counts, stats.requests), 1, kMaxTimes);
    // The most frequent shape (an IN-list at its most frequent length); ties: the first seen.
    const Shape* best = nullptr;
    const Template* best_template = nullptr;
    for (const auto& [of, shape] : stats.shapes) {
      if (best == nullptr || shape.statements > best->statements ||
          (shape.statements == best->statements && shape.first_seen < best->first_seen)) {
        best = &shape;
        best_template = of;
      }
    }
    const std::string& best_sql = best_template->sql;
    const std::vector<std::string_view> first_literals = literals_of(best->first_literals);
    // Parameters that never varied go back into the SQL as the literal they were.
    std::vector<Placeholder> placeholders = find_placeholders(best_sql);
    std::string sql;
    std::size_t copied = 0;
    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < placeholders.size() && i < best_template->params.size(); ++i) {
      sql += best_sql.substr(copied, placeholders[i].offset - copied);
      // --no-literals: a string (or binary) value is never written, not even as a constant of
      // the SQL.
      const ParamValue::Kind kind = literal_value(first_literals.at(i)).kind;
      const bool string_literal =
          kind == ParamValue::Kind::kString || kind == ParamValue::Kind::kBinary;
      if (best->varies[i] || (options.no_literals && string_literal)) {
        sql += best_sql.substr(placeholders[i].offset, placeholders[i].length);
        kept.push_back(i);
        out.params.push_back(best_template->params[i]);
        out.columns.push_back(best_template->columns[i]);
      } else {
        // Bytes that are not UTF-8 go back as the hex literal of the same bytes: a scenario
        // file (UTF-8) cannot hold them as they were.
        const std::string_view literal = first_literals.at(i);
        if (is_utf8(literal)) {
          sql += literal;
        } else {
          sql += "X'" + literal_value(literal).text + "'";
        }
      }
      copied = placeholders[i].offset + placeholders[i].length;
    }
    sql += best_sql.substr(copied);
    out.sql = std::move(sql);
    if (!kept.empty()) {
      std::vector<const Shape::Row*> rows;
      for (const Shape::Row& row : best->rows) rows.push_back(&row);
      std::stable_sort(rows.begin(), rows.end(), [](const Shape::Row* a, const Shape::Row* b) {
        return a->count != b->count ? a->count > b->count : a->first_seen < b->first_seen;
      });
      // Distinct over the kept parameters (a constant one dropped can make two rows one).
      std::set<std::vector<std::string>> seen;
      for (const Shape::Row* row : rows) {
        if (out.value_rows.size() >= options.max_values) break;
        const std::vector<std::string_view> literals = literals_of(best->row_literals_of(*row));
        std::vector<ParamValue> values;
        std::vector<std::string> key;
        for (std::size_t i : kept) {
          values.push_back(literal_value(literals.at(i)));
          key.push_back(values.back().text);
        }
        if (seen.insert(key).second) out.value_rows.push_back(std::move(values));
      }
    }
    return out;
  }

  // What a query is named after: its first table ("works"), else "query".
  static std::string query_name_base(const std::string& sql) {
    const QueryShape shape = read_query_shape(sql);
    return shape.tables.empty() ? "query" : screen_name_from({shape.tables[0].table});
  }

  // `base`, made unique in the screen: "works", "works_2", ...
  static std::string query_name(const std::string& base, std::set<std::string>& used) {
    std::string name = base;
    for (int n = 2; used.contains(name); ++n) name = fmt::format("{}_{}", base, n);
    used.insert(name);
    return name;
  }

  // A tagged screen's name, from its key: the values of the tags that name it, each ended by
  // '\x1f' (not the tags' text read again: a value may hold a quote or "*/").
  static std::string screen_name(const std::string& key) {
    std::vector<std::string> values;
    std::size_t start = 0;
    for (std::size_t end = key.find('\x1f'); end != std::string::npos;
         end = key.find('\x1f', start)) {
      values.push_back(key.substr(start, end - start));
      start = end + 1;
    }
    return screen_name_from(values);
  }

  // Every open request ends, in thread order (deterministic).
  void close_all() {
    std::vector<std::uint64_t> threads;
    for (const auto& [thread, request] : open) threads.push_back(thread);
    for (const auto& [thread, served] : serving) threads.push_back(thread);
    std::sort(threads.begin(), threads.end());
    threads.erase(std::unique(threads.begin(), threads.end()), threads.end());
    for (std::uint64_t thread : threads) close(thread);
    std::vector<std::string> left;  // none, unless a count went astray
    for (const auto& [key, trace] : traces) left.push_back(key);
    std::sort(left.begin(), left.end());
    for (const std::string& key : left) end_trace(key);
  }

  CaptureResult finish() {
    close_all();
    // Screens in order of first appearance get their names; a collision gets _2, _3, ...
    std::vector<const std::pair<const std::string, ScreenStats>*> ordered;
    for (const auto& entry : screens) ordered.push_back(&entry);
    std::sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
      return a->second.first_seen < b->second.first_seen;
    });
    // Each query of each screen with requests, read back from its counts: on both cores (they
    // are independent; the counts no longer change).
    struct Made {
      const std::string* fingerprint = nullptr;
      const QueryStats* stats = nullptr;
      CapturedQuery query;
      std::string name_base;
    };
    std::vector<Made> made;
    std::vector<std::pair<const std::pair<const std::string, ScreenStats>*, std::size_t>> kept;
    for (const auto* entry : ordered) {
      const ScreenStats& stats = entry->second;
      if (stats.requests == 0) {
        if (options.group_by == CaptureOptions::GroupBy::kTags && !stats.tags.empty()) {
          auto& left_out = result.left_out[screen_name(entry->first)];
          for (const auto& [why, count] : stats.skipped) left_out[why] += count;
        } else {
          for (const auto& [why, count] : stats.skipped) result.skipped[why] += count;
        }
        continue;
      }
      kept.emplace_back(entry, made.size());
      const std::size_t first = made.size();
      for (const auto& [fingerprint, query] : stats.queries) {
        made.push_back(Made{query.fingerprint, &query, {}, {}});
      }
      std::sort(made.begin() + static_cast<std::ptrdiff_t>(first), made.end(),
                [](const Made& a, const Made& b) {
                  const double pa = a.stats->position_sum / static_cast<double>(a.stats->requests);
                  const double pb = b.stats->position_sum / static_cast<double>(b.stats->requests);
                  return pa != pb ? pa < pb : a.stats->first_seen < b.stats->first_seen;
                });
    }
    run_on_both_cores(made.size(), [&](std::size_t i) {
      made[i].query = captured_query(*made[i].fingerprint, *made[i].stats);
      made[i].name_base = query_name_base(made[i].query.sql);
    });
    std::set<std::string> names;
    for (std::size_t k = 0; k < kept.size(); ++k) {
      const auto& [entry, first] = kept[k];
      const std::size_t end = k + 1 < kept.size() ? kept[k + 1].second : made.size();
      const ScreenStats& stats = entry->second;
      CapturedScreen screen;
      screen.tags = stats.tags;
      screen.requests = stats.requests;
      screen.skipped = stats.skipped;
      std::set<std::string> query_names;
      for (std::size_t i = first; i < end; ++i) {
        made[i].query.name = query_name(made[i].name_base, query_names);
        screen.queries.push_back(std::move(made[i].query));
      }
      const std::string base = options.group_by == CaptureOptions::GroupBy::kTags
                                   ? screen_name(entry->first)
                                   : screen.queries.front().name;
      std::string name = base;
      for (int n = 2; names.contains(name); ++n) name = fmt::format("{}_{}", base, n);
      if (name != base && options.group_by == CaptureOptions::GroupBy::kTags) {
        result.renamed.push_back(fmt::format("{} ({})", name, stats.tags));
      }
      names.insert(name);
      screen.name = std::move(name);
      result.screens.push_back(std::move(screen));
    }
    std::sort(result.screens.begin(), result.screens.end(),
              [](const CapturedScreen& a, const CapturedScreen& b) { return a.name < b.name; });
    return std::move(result);
  }
};

CaptureBuilder::CaptureBuilder(CaptureOptions options)
    : state_(std::make_unique<State>(std::move(options))) {}

CaptureBuilder::~CaptureBuilder() = default;

void CaptureBuilder::add(const LogEvent& event) {
  state_->own_buffer.clear();
  state_->reader.read(event, state_->own_event, state_->own_buffer);
  state_->add(state_->own_event, state_->own_buffer);
}

void CaptureBuilder::add(const ReadEvent& event, std::string_view buffer) {
  state_->add(event, buffer);
}

StatementReader& CaptureBuilder::statement_reader() { return state_->reader; }

void CaptureBuilder::end_of_log() { state_->close_all(); }

CaptureResult CaptureBuilder::finish() { return state_->finish(); }

}  // namespace sqlmeasure
