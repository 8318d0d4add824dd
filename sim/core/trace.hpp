// The trace: every observable step of a run, fanned out to sinks (checkers, metrics, the JSONL
// writer) and folded into a stable 64-bit hash, the run's fingerprint.
#pragma once

#include <cassert>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
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
  // Whether on_event must see events of `kind`; a Trace asks once per kind, after begin(). A
  // sink answers false only for kinds that could not change anything it reports, so skipping
  // them saves a call per event and nothing else (tests/engine runs every scenario both ways).
  virtual bool wants(Kind /*kind*/) const { return true; }
  // Whether the sink needs only how many events of `kind` there were (asked after wants() says
  // true). A Trace then counts them itself and hands the count to counted() before end(), instead
  // of a call per event; a sink fed every event (feed_trace, route_every_event) counts them in
  // on_event, and must report the same either way.
  virtual bool only_counts(Kind /*kind*/) const { return false; }
  virtual void counted(Kind /*kind*/, uint64_t /*events*/) {}
};

// The trace hash's version: it changes whenever the same events would hash differently.
// 3: each event as a few 64-bit words -- true time, both clock readings, a header (node, field
// count, whether there is text, its kind's name code), each field's value plus its key's name
// code, its text's hash -- folded into four lanes with XXH64's round and merged with XXH64's
// avalanche: ~60 instructions an event. 2: one seeded XXH3-64 call over a byte encoding per
// event (~160). 1 (round 1): a multiply-xorshift fold over kind and key ids. Versions 2 and 3
// code kinds and keys by their names, so a trace's hash depends on what happened, not on how
// the catalog numbers its vocabulary.
inline constexpr int kTraceHashVersion = 3;

// A stable hash: the same events give the same value on every machine and build, however often
// value() is asked for along the way.
class TraceHash {
 public:
  // Learns the run's kind and key names (call before add).
  void begin(const TraceInfo& info);
  void add(const Event& e) {
    fold(e, lane_);
    ++events_;
  }
  // The hash of every event added so far.
  uint64_t value() const { return merge(lane_, events_); }
  // The hash of one event alone (to find the first event where two runs differ).
  uint64_t digest(const Event& e) const;

 private:
  static constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ull;
  static constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4Full;
  static constexpr uint64_t kSeed = 0x6c6f636b73746570ull;  // "lockstep"
  static uint64_t round(uint64_t acc, uint64_t word) {
    acc += word * kPrime2;
    acc = (acc << 31) | (acc >> 33);
    return acc * kPrime1;
  }
  static uint64_t text_code(std::string_view text);
  static uint64_t merge(const uint64_t* lanes, uint64_t events);

  // The event's words go to the lanes in a fixed order: time, clock readings and header to
  // lanes 0-3, field i to lane i, the text's hash to lane 0. The header says how many words
  // follow, so no two event sequences give the same word sequence.
  void fold(const Event& e, uint64_t* lanes) const {
    const auto kind = static_cast<size_t>(e.kind);
    assert(kind < kind_codes_.size() && "begin() learns every kind the run can emit");
    const uint64_t header = uint64_t{e.node} | (uint64_t{e.field_count} << 32) |
                            (uint64_t{!e.text.empty()} << 35) | (kind_codes_[kind] << 36);
    uint64_t l[4] = {round(lanes[0], static_cast<uint64_t>(e.at.ns)),
                     round(lanes[1], static_cast<uint64_t>(e.mono.ns)),
                     round(lanes[2], static_cast<uint64_t>(e.wall.ns)), round(lanes[3], header)};
    assert(e.field_count <= Event::kMaxFields);
    for (uint8_t i = 0; i < e.field_count; ++i) {
      const auto key = static_cast<size_t>(e.fields[i].key);
      assert(key < key_codes_.size());
      l[i] = round(l[i], static_cast<uint64_t>(e.fields[i].value) + key_codes_[key]);
    }
    if (!e.text.empty()) l[0] = round(l[0], text_code(e.text));
    for (int i = 0; i < 4; ++i) lanes[i] = l[i];
  }

  // Four independent lanes, so the multiplies of one event overlap instead of waiting on each
  // other; seeded as XXH64 seeds its lanes.
  uint64_t lane_[4] = {kSeed + kPrime1 + kPrime2, kSeed + kPrime2, kSeed, kSeed - kPrime1};
  uint64_t events_ = 0;
  std::vector<uint64_t> kind_codes_;  // by kind id: the hash of its name
  std::vector<uint64_t> key_codes_;   // by key id: the hash of its name
};

class Trace {
 public:
  void add_sink(TraceSink* sink) { sinks_.push_back(sink); }
  // Every sink sees every event, whatever its wants() says (to test that the answers are right).
  void route_every_event() { route_ = false; }
  void begin(const TraceInfo& info);
  void emit(const Event& e) {
    hash_.add(e);
    const auto kind = static_cast<size_t>(e.kind);
    assert(kind < per_kind_.size() && "begin() learns every kind the run can emit");
    ++per_kind_[kind];
    for (TraceSink* s : kind < routes_.size() ? routes_[kind] : sinks_) s->on_event(e);
  }
  void end(Instant at);
  uint64_t hash() const { return hash_.value(); }
  uint64_t count() const;

 private:
  std::vector<TraceSink*> sinks_;
  std::vector<std::vector<TraceSink*>> routes_;  // by kind id: the sinks that want it, in order
  // The kinds sinks only count (only_counts), with the sink to tell at end().
  std::vector<std::pair<Kind, TraceSink*>> counters_;
  bool route_ = true;
  TraceHash hash_;
  std::vector<uint64_t> per_kind_;  // events emitted, by kind id
};

std::string hash_hex(uint64_t h);

}  // namespace lockstep::sim
