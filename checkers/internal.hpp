// Helpers shared by the checkers and metrics in this folder: the built-in checkers' factories
// (for registry.cpp) and small trace-reading rules every checker must apply the same way.
// Private to checkers/; the public interface is checker.hpp and metrics.hpp.
#pragma once

#include <cassert>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checkers/checker.hpp"
#include "sim/core/event.hpp"
#include "sim/core/time.hpp"

namespace lockstep::checkers::detail {

// Node indices come from the trace; a bound keeps a corrupt trace from allocating gigabytes.
inline constexpr sim::NodeIndex kMaxNodes = 1u << 20;

std::unique_ptr<Checker> make_mutual_exclusion();
std::unique_ptr<Checker> make_fenced_writes();
std::unique_ptr<Checker> make_liveness(sim::Duration within);
std::unique_ptr<Checker> make_election_safety();
std::unique_ptr<Checker> make_single_leader();
std::unique_ptr<Checker> make_leader_liveness(sim::Duration within);
std::unique_ptr<Checker> make_linearizable(std::string_view model, int64_t max_steps);
std::unique_ptr<Checker> make_fairness();
std::unique_ptr<Checker> make_log_safety();

// Every fault.* event except fault.skipped (a role-targeted fault that found no target did
// nothing). Heals, resumes and restarts count: liveness is judged after the last of them.
inline bool is_fault_event(sim::Kind kind) {
  switch (kind) {
    case sim::Kind::fault_crash:
    case sim::Kind::fault_restart:
    case sim::Kind::fault_pause:
    case sim::Kind::fault_resume:
    case sim::Kind::fault_partition:
    case sim::Kind::fault_cut:
    case sim::Kind::fault_isolate:
    case sim::Kind::fault_heal:
    case sim::Kind::fault_clock_step:
    case sim::Kind::fault_clock_rate:
    case sim::Kind::fault_disk_stall:
    case sim::Kind::fault_disk_slow:
    case sim::Kind::fault_link:
      return true;
    default:
      return false;
  }
}

// lock.released/expired/lost end a belief only when they name the token believed (or no token):
// a late timer for an older lease must not end a newer belief and hide an overlap.
inline bool ends_belief(const sim::Event& e, std::optional<int64_t> held_token,
                        sim::Key token_key) {
  const std::optional<int64_t> token = e.get(token_key);
  return !token.has_value() || !held_token.has_value() || *token == *held_token;
}

// The per-node slot for `node`, grown on demand (tests and external traces may name nodes the
// TraceInfo does not list).
template <class T>
T& node_slot(std::vector<T>& slots, sim::NodeIndex node) {
  assert(node != sim::kNoNode);
  assert(node < kMaxNodes);
  if (node >= slots.size()) slots.resize(static_cast<size_t>(node) + 1);
  return slots[node];
}

// A length of time for an explanation: "13.000s", or exact ("250us") below a millisecond, where
// millisecond rounding would print a misleading "0.000s".
std::string format_length(sim::Duration d);

}  // namespace lockstep::checkers::detail
