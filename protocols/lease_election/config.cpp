#include "protocols/lease_election/config.hpp"

#include <stdexcept>
#include <string>

namespace lockstep::protocols::lease_election {
namespace {

sim::Duration positive(const sim::Params& params, std::string_view name) {
  const sim::Duration d = params.duration(name);
  if (d <= sim::Duration::zero()) {
    throw std::invalid_argument("lease_election: param '" + std::string(name) +
                                "' must be greater than 0s");
  }
  return d;
}

}  // namespace

Config Config::from(const sim::Params& params) {
  Config c;
  c.lease_duration = positive(params, "lease_duration");
  c.renew_deadline = positive(params, "renew_deadline");
  c.retry_period = positive(params, "retry_period");
  c.fencing = params.boolean("fencing");
  // The leader must give up before anyone else may take over, and must get at least one more
  // try before it gives up: the same checks client-go's NewLeaderElector makes.
  if (c.renew_deadline >= c.lease_duration) {
    throw std::invalid_argument(
        "lease_election: renew_deadline must be shorter than lease_duration");
  }
  if (c.retry_period >= c.renew_deadline) {
    throw std::invalid_argument("lease_election: retry_period must be shorter than renew_deadline");
  }
  return c;
}

Workload Workload::from(const sim::Params& workload) {
  Workload w;
  w.write_every = positive(workload, "write_every");
  return w;
}

std::vector<sim::ParamSpec> param_specs() {
  using sim::ParamType;
  return {
      {"lease_duration", ParamType::duration, "15s",
       "A non-leader takes over once the lease record has not changed for this long, measured "
       "on its own monotonic clock from when it saw the record change."},
      {"renew_deadline", ParamType::duration, "10s",
       "The leader stops acting when it has not renewed successfully for this long (measured "
       "from when it sent its last successful renewal)."},
      {"retry_period", ParamType::duration, "2s",
       "Every candidate tries this often: the leader renews, the others read the record and "
       "acquire it if it has expired."},
      {"fencing", ParamType::boolean, "false",
       "The resource rejects a write whose token (the leader's term) is below the highest it "
       "has accepted."},
  };
}

std::vector<sim::ParamSpec> workload_specs() {
  using sim::ParamType;
  return {
      {"write_every", ParamType::duration, "500ms",
       "Gap between two writes to the resource while a candidate believes it leads."},
  };
}

}  // namespace lockstep::protocols::lease_election
