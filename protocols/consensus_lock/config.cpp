#include "protocols/consensus_lock/config.hpp"

#include <stdexcept>
#include <string>

#include "protocols/common/fields.hpp"

namespace lockstep::protocols::consensus_lock {
namespace {

[[noreturn]] void reject(std::string_view name, std::string_view why) {
  throw std::invalid_argument("consensus_lock: param '" + std::string(name) + "' " +
                              std::string(why));
}

bool fixed_by_service(std::string_view name) {
  return name == "replicate" || name == "propose_every";
}

}  // namespace

Config Config::from(const sim::Params& params) {
  Config c;
  c.ttl = params.duration("ttl");
  c.request_timeout = params.duration("request_timeout");
  c.backoff = params.range("backoff");
  c.fencing = params.boolean("fencing");
  c.record_writes = params.boolean("record_writes");
  c.session_deadline = params.boolean("session_deadline");
  if (c.ttl < sim::Duration::millis(3)) reject("ttl", "must be at least 3ms");
  if (c.request_timeout <= sim::Duration::zero()) reject("request_timeout", "must be above 0s");
  if (c.backoff.min <= sim::Duration::zero()) reject("backoff", "must start above 0s");
  if (c.backoff.max < c.backoff.min) reject("backoff", "must not end before it starts");
  return c;
}

Workload Workload::from(const sim::Params& params) {
  Workload w;
  w.acquire_every = params.distribution("acquire_every");
  w.hold = params.distribution("hold");
  w.write_every = params.duration("write_every");
  if (w.write_every <= sim::Duration::zero()) reject("write_every", "must be above 0s");
  return w;
}

raft::Config raft_config(const sim::Params& params) {
  sim::Params p = params;
  p.set("replicate", true);
  p.set("propose_every", sim::Duration::zero());
  return raft::Config::from(p);
}

std::vector<sim::ParamSpec> param_specs() {
  using sim::ParamType;
  std::vector<sim::ParamSpec> out;
  for (const sim::ParamSpec& p : raft::param_specs()) {
    if (!fixed_by_service(p.name)) out.push_back(p);
  }
  out.push_back({"ttl", ParamType::duration, "5s",
                 "A session lease's time to live: the leader revokes a lease (deleting its lock "
                 "key) when no keepalive refreshed it for this long."});
  out.push_back({"request_timeout", ParamType::duration, "300ms",
                 "A client retries a request at the next server when no answer came this soon."});
  out.push_back({"backoff", ParamType::duration_range, "[20ms, 1s]",
                 "A retry waits the backoff plus jitter up to it; it starts at the first value "
                 "and doubles per timeout up to the second."});
  out.push_back({"fencing", ParamType::boolean, "true",
                 "The resource rejects a write whose token (the lock key's create revision) is "
                 "below the highest it accepted."});
  out.push_back({"record_writes", ParamType::boolean, "false",
                 "The resource answers each write, and a holder records its writes in the client "
                 "history as register ops on key 2 (the lock is key 1): the first write of a "
                 "tenure as a write, each later one as the compare-and-set from the holder's own "
                 "last value that exclusive access means. Check them with linearizable's `mixed` "
                 "model."});
  out.push_back({"session_deadline", ParamType::boolean, "false",
                 "The client keeps its session lease's deadline by its own monotonic clock, "
                 "counted from when the last answered keepalive (or the acquire that opened the "
                 "session) was sent, and gives the lock up when it passes; a keepalive left "
                 "unanswered moves to the next server. As etcd's client lease keepalive "
                 "(Session.Done) does, counted conservatively; false: only a refused keepalive "
                 "ends a hold, so a holder whose leader died keeps believing."});
  return out;
}

std::vector<sim::ParamSpec> workload_specs() {
  using sim::ParamType;
  return {
      {"acquire_every", ParamType::distribution, "{exponential: 2s}",
       "Delay before a client tries to acquire, after it starts and after it lets go."},
      {"hold", ParamType::distribution, "{uniform: [1s, 4s]}",
       "How long a client keeps the lock before it releases it."},
      {"write_every", ParamType::duration, "500ms",
       "Gap between two writes to the resource while a client believes it holds the lock."},
  };
}

Observations Observations::resolve(const sim::Vocabulary& v) {
  return {kind_id(v, "lock.requested"), kind_id(v, "lock.acquired"), kind_id(v, "lock.released"),
          kind_id(v, "lock.lost"),      key_id(v, "token"),          key_id(v, "lease_ns")};
}

}  // namespace lockstep::protocols::consensus_lock
