// A lock-service client: opens a session (a lease and its lock key) and waits for the lock, keeps
// the lease alive, writes to the guarded resource with the key's revision as the fencing token
// while it believes it holds the lock, then releases (revokes the lease). It talks to any server,
// follows leader hints, and retries a request that timed out at the next server after a backoff
// with jitter. Like etcd's concurrency.Mutex, nothing stops a paused holder from believing it
// still holds the lock when it resumes: only a keepalive refused tells it the lease is gone.
// With `record_writes` the client waits for the resource's answer to each write and records the
// writes in its history (see write()).
#pragma once

#include <cstdint>
#include <vector>

#include "protocols/common/history.hpp"
#include "protocols/consensus_lock/config.hpp"
#include "protocols/consensus_lock/messages.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::consensus_lock {

enum class ClientTimer : sim::TimerSlot {
  next,
  timeout,
  retry,
  keepalive,
  write,
  write_timeout,
  session,  // session_deadline: the lease ran out by this client's own clock
};

class Client final : public sim::Process {
 public:
  Client(const Config& config, const Workload& workload) : config_(config), workload_(workload) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  enum class State : uint8_t { idle, acquiring, holding, releasing };
  State state() const { return state_; }
  uint64_t token() const { return token_; }

 private:
  void start_acquire(sim::Context& ctx);
  void start_release(sim::Context& ctx);
  void send_request(sim::Context& ctx);
  void on_timeout(sim::Context& ctx);
  void on_acquire_reply(sim::Context& ctx, const Reply& r);
  void on_release_reply(sim::Context& ctx, const Reply& r);
  void on_keepalive_reply(sim::Context& ctx, const Reply& r);
  void follow_hint(sim::Context& ctx, const Reply& r);
  void lost(sim::Context& ctx);
  void become_idle(sim::Context& ctx);
  void write(sim::Context& ctx);
  void send_write(sim::Context& ctx, uint64_t seq);
  void record_write(sim::Context& ctx, HistoryStep step) const;
  void on_write_reply(sim::Context& ctx, const ResourceAck& ack);
  void close_write(sim::Context& ctx, HistoryStep step);
  void send_keepalive(sim::Context& ctx);
  // session_deadline: the lease is good until `sent` + ttl by this clock.
  void extend_session(sim::Context& ctx, sim::LocalTime sent);

  Config config_;
  Workload workload_;
  Observations obs_{};
  History history_;
  std::vector<sim::NodeIndex> servers_;
  sim::NodeIndex resource_ = sim::kNoNode;
  size_t target_ = 0;  // index into servers_
  State state_ = State::idle;
  uint64_t req_ = 0;
  uint64_t lease_ = 0;
  uint64_t token_ = 0;
  uint64_t seq_ = 0;
  // record_writes: the write whose answer is awaited (0: none), and the value this holder last
  // saw the resource take (0: none this tenure, so its next write is a plain write).
  uint64_t open_seq_ = 0;
  int64_t last_value_ = 0;
  bool release_pending_ = false;  // the hold ended while a write was open
  // session_deadline: when the request that may open a session, and the keepalive in flight,
  // were sent (this client's monotonic clock), and whether that keepalive is still unanswered.
  sim::LocalTime request_sent_{};
  sim::LocalTime keepalive_sent_{};
  bool keepalive_open_ = false;
  sim::Duration backoff_;
};

}  // namespace lockstep::protocols::consensus_lock
