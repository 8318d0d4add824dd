// The words the built-in checkers and the renderers read in a trace. Kernel kinds have fixed ids;
// protocol words (lock.acquired, leader.elected, ...) are looked up by name in the trace's
// vocabulary when a checker begins, so any protocol that declares a word feeds every checker that
// reads it, and a word the trace's protocol does not declare simply never occurs.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/core/event.hpp"
#include "sim/core/vocabulary.hpp"

namespace lockstep::checkers {

// Every kind a checker distinguishes: the kernel's (same order as sim::Kind), then the words.
enum class K : uint8_t {
  net_send,
  net_deliver,
  net_drop,
  net_link_down,
  net_link_up,
  timer_fire,
  node_start,
  fault_crash,
  fault_restart,
  fault_pause,
  fault_resume,
  fault_partition,
  fault_cut,
  fault_isolate,
  fault_heal,
  fault_clock_step,
  fault_skipped,
  fault_clock_rate,
  fault_disk_stall,
  fault_disk_slow,
  fault_link,
  storage_sync,
  storage_durable,
  storage_lost,
  lock_requested,
  lock_acquired,
  lock_renewed,
  lock_lost,
  lock_expired,
  lock_released,
  lock_granted,
  lock_denied,
  lock_lease_ended,
  resource_write,
  resource_rejected,
  election_started,
  vote_granted,
  leader_elected,
  leader_confirmed,
  leader_stepped_down,
  term_changed,
  op_invoke,  // client history (protocols/common/history.hpp)
  op_ok,
  op_fail,
  op_info,
  lock_enqueued,
  watch_fired,
  other,  // a kind no built-in checker reads
};

class Words {
 public:
  Words() { resolve(*sim::Vocabulary::kernel()); }
  explicit Words(const sim::Vocabulary& v) { resolve(v); }

  void resolve(const sim::Vocabulary& v);
  K operator()(sim::Kind kind) const {
    const auto i = static_cast<size_t>(kind);
    return i < of_kind_.size() ? of_kind_[i] : K::other;
  }

  // Field keys (kNoKey when the trace's protocol does not declare them).
  sim::Key token = sim::kNoKey;
  sim::Key holder = sim::kNoKey;
  sim::Key client = sim::kNoKey;
  sim::Key writer = sim::kNoKey;
  sim::Key highest = sim::kNoKey;
  sim::Key lease_ns = sim::kNoKey;
  sim::Key term = sim::kNoKey;
  sim::Key candidate = sim::kNoKey;
  sim::Key prevote = sim::kNoKey;
  sim::Key op_f = sim::kNoKey;  // client history: f, key, value, expect
  sim::Key op_key = sim::kNoKey;
  sim::Key op_value = sim::kNoKey;
  sim::Key op_expect = sim::kNoKey;
  sim::Key seq = sim::kNoKey;

 private:
  std::vector<K> of_kind_;  // by kind id
};

}  // namespace lockstep::checkers
