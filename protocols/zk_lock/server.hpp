// The coordination server: sessions kept alive by pings and expired when silent, ephemeral
// (sequential) nodes under one lock path that go with their session, and one-shot watches on a
// node's deletion. A single server: replication is not what these scenarios are about.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "protocols/zk_lock/config.hpp"
#include "protocols/zk_lock/messages.hpp"
#include "protocols/zk_lock/observations.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::zk_lock {

enum class ServerTimer : sim::TimerSlot {
  session_check,  // the earliest session deadline came due
  lock_delay,     // the earliest delayed deletion came due
};

// Durable: the transaction counter, so a czxid is never handed out twice.
inline constexpr std::string_view kZxidKey = "zxid";
// Durable: the last session id handed out, so a restarted server never reuses one. ZooKeeper
// gets the same from seeding its session ids with the server id and the clock
// (SessionTrackerImpl.initializeNextSession); a reused id let a client's pings keep an old,
// forgotten session alive on a new client's session and mixed up their watches.
inline constexpr std::string_view kSessionKey = "session";

class Server final : public sim::Process {
 public:
  explicit Server(const Config& config) : config_(config) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  struct Session {
    sim::NodeIndex client = sim::kNoNode;
    sim::Duration timeout;
    sim::LocalTime last_heard;
  };
  struct ZNode {
    uint64_t session = 0;
    sim::NodeIndex client = sim::kNoNode;
    uint64_t czxid = 0;
    bool doomed = false;  // its session expired; deleted when the lock delay ends
  };
  const std::map<uint64_t, ZNode>& nodes() const { return nodes_; }
  const std::map<uint64_t, Session>& sessions() const { return sessions_; }
  size_t watch_count() const;

 private:
  uint64_t next_zxid(sim::Context& ctx);
  // Marks the session alive; false when it is unknown or expired.
  bool touch(sim::Context& ctx, uint64_t session);
  void on_connect(sim::Context& ctx, sim::NodeIndex from, const Connect& c);
  void on_ping(sim::Context& ctx, sim::NodeIndex from, const Ping& p);
  void on_create(sim::Context& ctx, sim::NodeIndex from, const Create& c);
  void on_find(sim::Context& ctx, sim::NodeIndex from, const Find& f);
  void on_check(sim::Context& ctx, sim::NodeIndex from, const Check& c);
  void on_remove(sim::Context& ctx, sim::NodeIndex from, const Remove& r);
  void on_validate(sim::Context& ctx, sim::NodeIndex from, const Validate& v);
  void expire_sessions(sim::Context& ctx);
  void expire(sim::Context& ctx, uint64_t session);
  void delete_node(sim::Context& ctx, uint64_t seq, std::string_view why);
  void watch(uint64_t seq, uint64_t session);
  void arm_session_check(sim::Context& ctx);
  void arm_lock_delay(sim::Context& ctx);
  void reply_node(sim::Context& ctx, sim::NodeIndex to, uint64_t req, Status status,
                  uint64_t seq = 0, uint64_t czxid = 0);

  Config config_;
  Observations obs_{};
  uint64_t zxid_ = 0;
  uint64_t next_seq_ = 0;  // the lock path's sequence counter (its cversion)
  uint64_t next_session_ = 0;
  std::map<uint64_t, Session> sessions_;                    // by id
  std::map<uint64_t, ZNode> nodes_;                         // by sequence number, lowest first
  std::map<uint64_t, std::set<uint64_t>> watches_;          // node seq -> sessions watching it
  std::map<sim::LocalTime, std::vector<uint64_t>> doomed_;  // deletion time -> node seqs
  std::set<uint64_t> asked_;  // race: sessions whose request is known but not yet granted
};

}  // namespace lockstep::protocols::zk_lock
