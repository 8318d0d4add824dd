#include "protocols/raft/config.hpp"

#include <stdexcept>
#include <string>

namespace lockstep::protocols::raft {
namespace {

[[noreturn]] void reject(std::string_view name, std::string_view why) {
  throw std::invalid_argument("raft: param '" + std::string(name) + "' " + std::string(why));
}

}  // namespace

Config Config::from(const sim::Params& params) {
  Config c;
  c.election_timeout = params.range("election_timeout");
  c.heartbeat = params.duration("heartbeat");
  c.prevote = params.boolean("prevote");
  c.check_quorum = params.boolean("check_quorum");
  c.persist_vote = params.boolean("persist_vote");
  c.ack_before_fsync = params.boolean("ack_before_fsync");
  c.log_length = params.integer("log_length");
  c.replicate = params.boolean("replicate");
  c.propose_every = params.duration("propose_every");
  c.reset_timer_on_higher_term = params.boolean("reset_timer_on_higher_term");
  if (c.election_timeout.min <= sim::Duration::zero()) {
    reject("election_timeout", "must start above 0s");
  }
  if (c.election_timeout.max < c.election_timeout.min) {
    reject("election_timeout", "must not end before it starts");
  }
  if (c.heartbeat <= sim::Duration::zero()) reject("heartbeat", "must be greater than 0s");
  if (c.log_length < 0) reject("log_length", "must not be negative");
  if (c.log_length > 1000) reject("log_length", "must be at most 1000");
  if (c.propose_every > sim::Duration::zero() && !c.replicate) {
    reject("propose_every", "needs replicate: true");
  }
  return c;
}

std::vector<sim::ParamSpec> param_specs() {
  using sim::ParamType;
  return {
      {"election_timeout", ParamType::duration_range, "[150ms, 300ms]",
       "A follower that hears no leader for a timeout drawn uniformly from this range (anew "
       "each time) starts an election."},
      {"heartbeat", ParamType::duration, "50ms",
       "How often a leader sends empty AppendEntries to every other node."},
      {"prevote", ParamType::boolean, "false",
       "Before a real election a node runs a PreVote round, which bumps no term, and campaigns "
       "only if a majority would vote for it."},
      {"check_quorum", ParamType::boolean, "false",
       "A leader steps down when a majority has not answered it within the minimum election "
       "timeout, and a node that heard a leader that recently ignores RequestVote."},
      {"persist_vote", ParamType::boolean, "true",
       "currentTerm and votedFor are written to durable storage before any reply that depends "
       "on them; false keeps them in memory, lost on a crash."},
      {"ack_before_fsync", ParamType::boolean, "false",
       "Replies leave as soon as term and vote are written, before the write is durable (the "
       "persist-before-reply bug; only a storage model with fsync latency makes it matter)."},
      {"log_length", ParamType::integer, "0",
       "Entries (of term 0) this node's log starts with when its disk holds none: different "
       "initial logs for election studies. The up-to-date rule compares (last term, last "
       "index), so with replicate: false a voter refuses a candidate with a shorter log."},
      {"replicate", ParamType::boolean, "false",
       "AppendEntries carry log entries: the consistency check, conflict truncation, commit by "
       "a majority of the current term, apply in order, the log persisted before replying; a "
       "new leader appends a no-op. false: elections only, logs never change."},
      {"propose_every", ParamType::duration, "0s",
       "With replicate: the leader appends an entry this often (0s: never), a workload for "
       "log_safety."},
      {"reset_timer_on_higher_term", ParamType::boolean, "true",
       "A follower that adopts a higher term from a RequestVote it does not grant restarts its "
       "election timer (etcd does); false leaves the timer running (the Raft paper's reference "
       "implementation resets it only on granting a vote or hearing the leader)."},
  };
}

}  // namespace lockstep::protocols::raft
