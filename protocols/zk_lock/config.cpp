#include "protocols/zk_lock/config.hpp"

#include "protocols/common/param_checks.hpp"

namespace lockstep::protocols::zk_lock {
namespace {

Variant variant_named(const std::string& name) {
  if (name == "herd") return Variant::herd;
  if (name == "race") return Variant::race;
  return Variant::recipe;
}

}  // namespace

Config Config::from(const sim::Params& params) {
  Config c;
  c.session_timeout = params.duration("session_timeout");
  c.ping_every = params.duration("ping_every");
  c.request_timeout = params.duration("request_timeout");
  c.variant = variant_named(params.choice("variant"));
  c.find_on_retry = params.boolean("find_on_retry");
  c.lock_delay = params.duration("lock_delay");
  c.grace = params.duration("grace");
  c.fencing = params.boolean("fencing");
  c.check_sequencer = params.boolean("check_sequencer");
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
      {"session_timeout",
       ParamType::duration,
       "4s",
       "The server expires a session it has not heard from for this long, and deletes its "
       "ephemeral nodes.",
       {},
       &checks::positive_duration},
      {"ping_every",
       ParamType::duration,
       "1s",
       "How often a client pings to keep its session alive.",
       {},
       &checks::positive_duration},
      {"request_timeout",
       ParamType::duration,
       "500ms",
       "A client repeats a request that got no reply within this long.",
       {},
       &checks::positive_duration},
      {"variant", ParamType::choice, "recipe",
       "recipe: watch the predecessor; herd: every waiter watches the lowest node; race: one "
       "plain node that waiters race to create.",
       "recipe|herd|race"},
      {"find_on_retry", ParamType::boolean, "true",
       "After a create went unanswered the client first looks for a node its session owns."},
      {"lock_delay", ParamType::duration, "0s",
       "When a holder's session expires its lock node stays this long before it is deleted "
       "(Chubby's lock-delay)."},
      {"grace", ParamType::duration, "0s",
       "When a client's own view of its session runs out it keeps its belief this much longer, "
       "hoping to reach the server (Chubby's grace period, jeopardy)."},
      {"fencing", ParamType::boolean, "false",
       "The resource rejects a write whose token (czxid) is below the highest it has accepted."},
      {"check_sequencer", ParamType::boolean, "false",
       "The resource asks the server whether a write's token is still the lock holder's before "
       "accepting it."},
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

}  // namespace lockstep::protocols::zk_lock
