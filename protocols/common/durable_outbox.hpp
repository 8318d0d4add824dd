// Persist before you reply: messages that must not leave before the writes made so far are
// durable wait here for their sync (Raft §5, "Rules for servers": a server persists currentTerm,
// votedFor and its log before responding to an RPC). With the default storage model every sync
// completes at once and a message leaves immediately, so a protocol that routes its sends through
// an outbox behaves exactly as before until a scenario models the disk. `send_now` models the bug
// of acknowledging first.
#pragma once

#include <cassert>
#include <deque>

#include "sim/core/process.hpp"

namespace lockstep::protocols {

class DurableOutbox {
 public:
  // Sends `message` once every write made so far is durable (at once when it already is).
  // Messages wait without payloads only: a payload lives no longer than the handler.
  void send(sim::Context& ctx, sim::NodeIndex to, const sim::Message& message, bool send_now) {
    assert(message.payload.empty() && "an outbox holds header-only messages");
    if (send_now || (waiting_.empty() && ctx.durable().durable(synced_))) {
      ctx.send(to, message);
      return;
    }
    waiting_.push_back({synced_, to, message});
  }
  // After writes: the ticket later sends wait for.
  void synced(sim::StorageTicket ticket) { synced_ = ticket; }
  // From Process::on_durable: sends what waited for tickets up to `ticket`, in order.
  void on_durable(sim::Context& ctx) {
    while (!waiting_.empty() && ctx.durable().durable(waiting_.front().ticket)) {
      ctx.send(waiting_.front().to, waiting_.front().message);
      waiting_.pop_front();
    }
  }
  size_t waiting() const { return waiting_.size(); }

 private:
  struct Waiting {
    sim::StorageTicket ticket;
    sim::NodeIndex to;
    sim::Message message;
  };
  sim::StorageTicket synced_ = 0;
  std::deque<Waiting> waiting_;
};

}  // namespace lockstep::protocols
