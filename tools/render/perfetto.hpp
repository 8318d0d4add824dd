// A run as a Chrome trace-event JSON file (`run --perfetto out.json`) that ui.perfetto.dev and
// chrome://tracing open: each node is a process with tracks for its lock holdings, leaderships,
// pauses and crashes (complete "X" slices), cut links, its events (instant "i" events) and its
// network traffic, where every message is a flow ("s" at the send, "f" at the delivery or drop).
// A lock server's own view of each lease it granted is a slice on a child track per client
// (perfetto_leases.cpp). Events that belong to no node (partitions, cuts, heals) go to a "world"
// process; the checkers' verdicts go to a "verdicts" process, one track per checker, written at
// commit(). Timestamps are microseconds of true time with nanosecond decimals. Streamed to disk as
// the run goes; messages beyond a budget are counted, not drawn.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "checkers/checker.hpp"
#include "checkers/words.hpp"
#include "sim/core/trace.hpp"
#include "sim/io/atomic_file.hpp"
#include "tools/trace/trace_reader.hpp"

namespace lockstep::tools {

struct LeaseWord;  // an event kind that opens or ends a server's lease (perfetto_leases.cpp)

struct PerfettoLimits {
  uint64_t max_messages = 200'000;  // flows drawn; later messages are only counted
  uint64_t max_instants = 500'000;  // instant events written; later ones are only counted
};

class PerfettoSink : public sim::TraceSink {
 public:
  explicit PerfettoSink(std::string path, PerfettoLimits limits = {});

  // False when the temporary file could not be created (checked before a run starts).
  bool ok() const { return file_.ok(); }
  void begin(const sim::TraceInfo& info) override;
  void on_event(const sim::Event& e) override;
  void end(sim::Instant end) override;
  // Writes the verdicts (the run's checker results, in the report's order), finishes the JSON and
  // renames it into place; false on any I/O failure. Call after end().
  bool commit(const std::vector<checkers::CheckResult>& results = {});

  // The tracks of each node's process, as thread ids; a server's lease tracks (one per client and
  // kind of lease) take ids from kLeases up, in the order they first appear.
  enum Track : int { kLock = 1, kLeader = 2, kState = 3, kLinks = 4, kEvents = 5, kNet = 6 };
  static constexpr int kLeases = 100;

 private:
  struct Open {
    int64_t t0 = 0;
    std::string name;
    std::string args;  // a JSON object
  };
  // A lease as the server that granted it sees it, open until the server's end event for it.
  struct Lease {
    Open open;
    std::optional<int64_t> id;  // the value of the word's id field (token, seq, session)
    bool exclusive = false;     // a lock grant: the server grants one holder at a time
  };
  // (server, client, lease family) -> the open lease; one at a time on each track.
  using LeaseKey = std::tuple<sim::NodeIndex, int64_t, std::string>;
  struct ResolvedLeaseWord {
    sim::Kind kind;
    const LeaseWord* word;
    sim::Key who, id, token;
  };

  struct NodeState {
    std::optional<Open> lock, leader, pause, down, cut;
    std::optional<int64_t> lock_token, leader_term;
    int pauses = 0;
    int links_down = 0;
  };

  void emit(std::string_view json_object);
  void name_thread(int pid, int tid, std::string_view name);
  void complete(int pid, int tid, const Open& open, int64_t t1);
  void instant(const sim::Event& e);
  void on_lock(const sim::Event& e);
  void on_fault(const sim::Event& e);
  void on_net(const sim::Event& e);
  void mark_drawn(int64_t id);
  bool drawn(int64_t id) const;
  void on_link(const sim::Event& e, int delta);
  void close_all(sim::NodeIndex node, int64_t t);
  // perfetto_leases.cpp
  void resolve_lease_words();
  void on_lease(const sim::Event& e);
  void close_lease(const LeaseKey& key, int64_t t, std::string_view ended_by);
  void close_leases_of(sim::NodeIndex server, int64_t t, std::string_view ended_by,
                       bool exclusive_only);
  int lease_track(const LeaseKey& key);
  // perfetto.cpp: the verdicts process
  void write_verdicts(const std::vector<checkers::CheckResult>& results);
  std::string verdict_marker(const checkers::CheckResult& r, int p, int tid, int64_t at) const;
  std::string evidence_json(const checkers::Evidence& ev) const;
  std::string args_of(const sim::Event& e) const;
  void append_args(std::string& out, const sim::Event& e) const;
  int pid(sim::NodeIndex node) const;

  sim::AtomicFile file_;
  PerfettoLimits limits_;
  sim::TraceInfo info_;
  checkers::Words w_;  // the protocol words it draws, resolved from info_
  std::vector<NodeState> nodes_;
  std::set<int64_t> flows_;                     // msg_ids with an "s" and no "f" yet
  std::vector<bool> drawn_dense_;               // msg_ids drawn (below 2^26)
  std::set<int64_t> drawn_other_;               // msg_ids drawn (any other)
  std::vector<ResolvedLeaseWord> lease_words_;  // the words of this trace's protocol
  std::map<LeaseKey, Lease> leases_;
  std::map<std::pair<sim::NodeIndex, std::string>, int> lease_tracks_;  // (server, track name)
  std::vector<int> lease_tracks_used_;  // by server: tids handed out so far
  uint64_t messages_ = 0, messages_hidden_ = 0, instants_ = 0, instants_hidden_ = 0;
  bool first_ = true;
  std::string pending_;  // objects not yet written (a block at a time)
  std::string scratch_;  // the object being formatted on the message path
  // Names quoted once per run: nodes and message types as JSON strings, and each message type's
  // slice and flow names (the last entry is for a message of no known type).
  struct NetNames {
    std::string send, deliver, drop, plain;
  };
  std::vector<std::string> quoted_nodes_, quoted_messages_;
  std::vector<NetNames> net_names_;
  int64_t end_ns_ = 0;
};

}  // namespace lockstep::tools
