#include "protocols/lease_lock/config.hpp"

#include <stdexcept>
#include <string>

#include "protocols/common/param_checks.hpp"

namespace lockstep::protocols::lease_lock {
namespace {

sim::Duration positive(const sim::Params& params, std::string_view name) {
  const sim::Duration d = params.duration(name);
  if (d <= sim::Duration::zero()) {
    throw std::invalid_argument("lease_lock: param '" + std::string(name) +
                                "' must be greater than 0s");
  }
  return d;
}

sim::ClockKind clock_named(const std::string& name) {
  if (name == "monotonic") return sim::ClockKind::monotonic;
  if (name == "wall") return sim::ClockKind::wall;
  throw std::invalid_argument("lease_lock: expiry_clock must be monotonic or wall, not '" + name +
                              "'");
}

}  // namespace

Config Config::from(const sim::Params& params) {
  Config c;
  c.lease = positive(params, "lease");
  c.renew_every = positive(params, "renew_every");
  c.fencing = params.boolean("fencing");
  c.expiry_clock = clock_named(params.choice("expiry_clock"));
  c.restart_grace = params.duration("restart_grace");
  c.safety_margin = params.duration("safety_margin");
  c.durable_state = params.boolean("durable_state");
  c.retry_every = positive(params, "retry_every");
  c.token_start = static_cast<uint64_t>(params.integer("token_start"));
  return c;
}

Workload Workload::from(const sim::Params& workload) {
  Workload w;
  w.acquire_every = workload.distribution("acquire_every");
  w.hold = workload.distribution("hold");
  w.write_every = positive(workload, "write_every");
  return w;
}

std::vector<sim::ParamSpec> param_specs() {
  using sim::ParamType;
  return {
      {"lease", ParamType::duration, "10s",
       "How long a grant lasts, measured on the server's expiry clock from the grant or renewal."},
      {"renew_every", ParamType::duration, "3s",
       "How often the holder sends a renewal while it believes it holds the lock."},
      {"fencing", ParamType::boolean, "false",
       "The resource rejects a write whose token is below the highest token it has accepted."},
      {"expiry_clock", ParamType::choice, "monotonic",
       "Which of the server's clocks measures lease expiry (a wall clock can step).",
       "monotonic|wall"},
      {"restart_grace", ParamType::duration, "0s",
       "After a restart (not the first boot) the server grants nothing for this long."},
      {"safety_margin", ParamType::duration, "0s",
       "The client stops acting this much before its own view of the lease ends."},
      {"durable_state", ParamType::boolean, "false",
       "The server keeps holder and token across a crash; the token counter is always durable."},
      {"retry_every", ParamType::duration, "500ms",
       "A client whose request was denied or went unanswered asks again after this long."},
      {"token_start",
       ParamType::integer,
       "1",
       "The first fencing token the server hands out (to tell a story that starts mid-way, "
       "like the 33 and 34 of Kleppmann's example).",
       {},
       &checks::positive_integer},
  };
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

}  // namespace lockstep::protocols::lease_lock
