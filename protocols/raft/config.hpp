// Raft's parameters: their declarations (names, types, defaults, meanings) and
// the typed values one node reads from its Params.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/core/process.hpp"

namespace lockstep::protocols::raft {

inline constexpr std::string_view kRoleNode = "node";

// Protocol params (every one can be overridden per node; scenarios override log_length).
struct Config {
  sim::DurationRange election_timeout;
  sim::Duration heartbeat;
  bool prevote = false;
  bool check_quorum = false;
  bool persist_vote = true;
  bool ack_before_fsync = false;
  int64_t log_length = 0;
  bool replicate = false;
  sim::Duration propose_every = sim::Duration::zero();
  bool reset_timer_on_higher_term = true;

  // Reads every declared param; throws std::invalid_argument on values the protocol cannot run
  // with (a zero timeout or heartbeat would re-arm a timer forever at one instant).
  static Config from(const sim::Params& params);

  // The shortest election timeout: the lease a follower grants its leader (check_quorum, prevote)
  // and the window in which a leader must hear from a majority (check_quorum).
  sim::Duration min_timeout() const { return election_timeout.min; }
};

std::vector<sim::ParamSpec> param_specs();

}  // namespace lockstep::protocols::raft
