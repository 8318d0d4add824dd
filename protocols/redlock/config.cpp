#include "protocols/redlock/config.hpp"

#include <cmath>

#include "protocols/common/param_checks.hpp"

namespace lockstep::protocols::redlock {

// The Redlock description (redis.io, "Distributed Locks with Redis", "The Redlock algorithm"):
// the validity time is the TTL minus the time acquiring took minus a drift allowance; its
// reference implementation takes the allowance as ttl * drift_factor + 2 ms.
sim::Duration Config::drift() const {
  const auto scaled =
      static_cast<int64_t>(std::llround(static_cast<double>(ttl.ns) * drift_factor));
  return sim::Duration{scaled} + drift_constant;
}

Config Config::from(const sim::Params& params) {
  Config c;
  c.ttl = params.duration("ttl");
  c.server_timeout = params.duration("server_timeout");
  c.drift_factor = params.number("drift_factor");
  c.drift_constant = params.duration("drift_constant");
  c.retry_delay = params.range("retry_delay");
  c.expiry_clock =
      params.choice("expiry_clock") == "wall" ? sim::ClockKind::wall : sim::ClockKind::monotonic;
  c.persistence = params.boolean("persistence");
  c.restart_delay = params.duration("restart_delay");
  c.token = params.boolean("token");
  c.fencing = params.boolean("fencing");
  c.start_after = params.duration("start_after");
  return c;
}

Workload Workload::from(const sim::Params& workload) {
  return {workload.distribution("acquire_every"), workload.distribution("hold"),
          workload.duration("write_every")};
}

std::vector<sim::ParamSpec> param_specs() {
  using sim::ParamType;
  return {
      {"ttl",
       ParamType::duration,
       "10s",
       "The key's time to live on each server (SET key value NX PX ttl).",
       {},
       &checks::positive_duration},
      {"server_timeout",
       ParamType::duration,
       "50ms",
       "How long a client waits for one server's answer before it tries the next.",
       {},
       &checks::positive_duration},
      {"drift_factor",
       ParamType::number,
       "0.01",
       "Clock-drift allowance as a fraction of ttl, subtracted from the validity time.",
       {},
       &checks::fraction},
      {"drift_constant", ParamType::duration, "2ms",
       "A constant added to the drift allowance (the reference implementation's 2 ms)."},
      {"retry_delay",
       ParamType::duration_range,
       "[50ms, 200ms]",
       "A client that failed to get a majority tries again after a delay drawn from this range.",
       {},
       &checks::positive_range},
      {"expiry_clock", ParamType::choice, "wall",
       "Which of a server's clocks expires keys (Redis expires by the wall clock).",
       "monotonic|wall"},
      {"persistence", ParamType::boolean, "false",
       "A server keeps its key (value and expiry) across a crash, as with fsync'd AOF."},
      {"restart_delay", ParamType::duration, "0s",
       "After a restart a server answers nothing for this long (the 'delayed restarts' fix)."},
      {"token", ParamType::boolean, "false",
       "Servers number their grants and the client writes the largest number of its majority "
       "(Redlock has no token; this exists to show what fencing would need)."},
      {"fencing", ParamType::boolean, "false",
       "The resource rejects a write whose token is below the highest it has accepted."},
      {"start_after", ParamType::duration, "0s",
       "A client waits this long before its first attempt (set per node to order clients)."},
  };
}

std::vector<sim::ParamSpec> workload_specs() {
  using sim::ParamType;
  return {
      {"acquire_every", ParamType::distribution, "{exponential: 2s}",
       "Delay before a client tries to acquire, after it starts and after it lets go."},
      {"hold", ParamType::distribution, "{uniform: [1s, 4s]}",
       "How long a client keeps the lock before it releases it."},
      {"write_every",
       ParamType::duration,
       "500ms",
       "Gap between two writes to the resource while a client believes it holds the lock.",
       {},
       &checks::positive_duration},
  };
}

}  // namespace lockstep::protocols::redlock
