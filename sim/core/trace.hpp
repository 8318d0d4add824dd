// The trace: every observable step of a run, fanned out to sinks (checkers, metrics, the JSONL
// writer) and folded into a stable 64-bit hash, the run's fingerprint.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/event.hpp"
#include "sim/core/vocabulary.hpp"

namespace lockstep::sim {

// Static facts about a run that readers need to interpret events (names for indices).
struct TraceInfo {
  std::string scenario;
  std::string protocol;
  uint64_t seed = 0;
  int64_t duration_ns = 0;
  std::vector<std::string> node_ids;    // by NodeIndex
  std::vector<std::string> node_roles;  // by NodeIndex
  std::vector<std::string> messages;    // message type id -> name
  // The claims (holder, leader, ...) each node's role can make, by NodeIndex; empty when the
  // trace's protocol is unknown.
  std::vector<std::vector<std::string>> node_claims;
  // Kind and key names; the kernel's alone unless a catalog describes the protocol.
  std::shared_ptr<const Vocabulary> vocabulary = Vocabulary::kernel();

  std::string node_name(NodeIndex i) const {
    return i < node_ids.size() ? node_ids[i] : std::string("?");
  }
  std::string_view kind_name(Kind kind) const { return vocabulary->name(kind); }
  std::string_view key_name(Key key) const { return vocabulary->name(key); }
  FieldType key_type(Key key) const { return vocabulary->type(key); }
  // Whether `node` can make `claim` (true for every node when the protocol is unknown).
  bool can_claim(NodeIndex node, std::string_view claim) const;
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void begin(const TraceInfo& /*info*/) {}
  virtual void on_event(const Event& event) = 0;
  virtual void end(Instant /*end*/) {}
};

// The trace hash's version: it changes whenever the same events would hash differently.
// 2: XXH3-64 over a compact binary encoding of each event, chained, with kinds and keys coded by
// their names (so a trace's hash depends on what happened, not on how the catalog numbers its
// vocabulary). 1 (round 1): a multiply-xorshift fold over kind and key ids.
inline constexpr int kTraceHashVersion = 2;

// A stable hash: the same events give the same value on every machine and build.
class TraceHash {
 public:
  // Learns the run's kind and key names (call before add).
  void begin(const TraceInfo& info);
  void add(const Event& e);
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 0x6c6f636b73746570ull;  // "lockstep"
  std::vector<uint64_t> kind_codes_;    // by kind id: the hash of its name
  std::vector<uint64_t> key_codes_;     // by key id
};

class Trace {
 public:
  void add_sink(TraceSink* sink) { sinks_.push_back(sink); }
  void begin(const TraceInfo& info) {
    hash_.begin(info);
    for (TraceSink* s : sinks_) s->begin(info);
  }
  void emit(const Event& e) {
    hash_.add(e);
    ++count_;
    for (TraceSink* s : sinks_) s->on_event(e);
  }
  void end(Instant at) {
    for (TraceSink* s : sinks_) s->end(at);
  }
  uint64_t hash() const { return hash_.value(); }
  uint64_t count() const { return count_; }

 private:
  std::vector<TraceSink*> sinks_;
  TraceHash hash_;
  uint64_t count_ = 0;
};

std::string hash_hex(uint64_t h);

}  // namespace lockstep::sim
