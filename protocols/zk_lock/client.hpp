// A zk_lock client: opens a session and keeps it alive with pings, then runs the lock recipe
// (or one of its variants) on the server, writes to the resource while it believes it holds the
// lock, and deletes its node to release.
#pragma once

#include <cstdint>
#include <vector>

#include "protocols/zk_lock/config.hpp"
#include "protocols/zk_lock/messages.hpp"
#include "protocols/zk_lock/observations.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::zk_lock {

enum class ClientTimer : sim::TimerSlot {
  connect_retry,  // the connect went unanswered
  ping,           // time to ping
  session_end,    // the client's own view of its session (then of its grace) runs out
  acquire,        // time to ask for the lock
  request,        // the pending lock request went unanswered
  write,          // time to write to the resource
  hold_end,       // done with the lock: release it
};
static_assert(7 <= sim::kMaxTimerSlots);

enum class Phase : uint8_t { idle, creating, finding, checking, waiting, holding, removing };

// As in the other lock clients, belief is a flag a timer clears, so a paused holder's due write
// goes out before it learns its session is gone: the hazard the pause scenario shows.
class Client final : public sim::Process {
 public:
  Client(const Config& config, const Workload& workload, sim::NodeIndex server,
         sim::NodeIndex resource);

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  Phase phase() const { return phase_; }
  uint64_t session() const { return session_; }
  uint64_t seq() const { return seq_; }
  uint64_t token() const { return token_; }
  uint64_t watched() const { return watched_; }

 private:
  void connect(sim::Context& ctx);
  void on_connected(sim::Context& ctx, const Connected& c);
  void on_pong(sim::Context& ctx, const Pong& p);
  void on_session_end(sim::Context& ctx);
  void lose_session(sim::Context& ctx, bool by_server);
  void on_node_reply(sim::Context& ctx, const NodeReply& r);
  void on_check_reply(sim::Context& ctx, const CheckReply& r);
  void on_notify(sim::Context& ctx, const Notify& n);
  void on_request_timeout(sim::Context& ctx);
  void start(sim::Context& ctx);
  void send_create(sim::Context& ctx);
  void send_find(sim::Context& ctx);
  void send_check(sim::Context& ctx);
  void send_remove(sim::Context& ctx);
  void wait_for(sim::Context& ctx, uint64_t seq);
  void hold(sim::Context& ctx);
  void release(sim::Context& ctx);
  void arm_session_end(sim::Context& ctx);
  void schedule(sim::Context& ctx, sim::Duration after);

  Config config_;
  Workload workload_;
  Observations obs_{};
  sim::NodeIndex server_;
  sim::NodeIndex resource_;

  uint64_t req_ = 0;  // starts at boots << 32: a restarted client never reuses a number
  uint64_t connect_attempt_ = 0;
  sim::LocalTime connect_sent_at_;
  bool first_session_ = true;
  uint64_t session_ = 0;  // 0: none
  sim::LocalTime valid_until_;
  bool jeopardy_ = false;

  Phase phase_ = Phase::idle;
  bool waiting_ = false;  // between lock.requested and lock.acquired
  uint64_t seq_ = 0;      // our lock node
  uint64_t token_ = 0;    // its czxid
  uint64_t watched_ = 0;
  // Notifications that arrived while a request that may set their watch was in flight.
  static constexpr size_t kMaxEarly = 64;
  std::vector<uint64_t> early_;
  uint64_t writes_ = 0;
};

}  // namespace lockstep::protocols::zk_lock
