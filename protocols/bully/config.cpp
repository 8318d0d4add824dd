#include "protocols/bully/config.hpp"

#include <stdexcept>
#include <string>

namespace lockstep::protocols::bully {
namespace {

sim::Duration positive(const sim::Params& params, std::string_view name) {
  const sim::Duration d = params.duration(name);
  if (d <= sim::Duration::zero()) {
    throw std::invalid_argument("bully: param '" + std::string(name) + "' must be greater than 0s");
  }
  return d;
}

}  // namespace

Config Config::from(const sim::Params& params) {
  Config c;
  c.heartbeat = positive(params, "heartbeat");
  c.leader_timeout = positive(params, "leader_timeout");
  c.answer_timeout = positive(params, "answer_timeout");
  c.coordinator_timeout = positive(params, "coordinator_timeout");
  c.priority = params.integer("priority");
  if (c.priority < kPriorityFromIndex) {
    throw std::invalid_argument("bully: param 'priority' must be -1 (use the node's index) or " +
                                std::string("at least 0, got ") + std::to_string(c.priority));
  }
  return c;
}

std::vector<sim::ParamSpec> param_specs() {
  using sim::ParamType;
  return {
      {"heartbeat", ParamType::duration, "1s",
       "Gap between the coordinator's heartbeat rounds (sent to every other node)."},
      {"leader_timeout", ParamType::duration, "3s",
       "A node that hears no heartbeat from its coordinator for this long starts an election."},
      {"answer_timeout", ParamType::duration, "500ms",
       "An electing node that gets no Answer from a higher node within this long becomes "
       "coordinator."},
      {"coordinator_timeout", ParamType::duration, "2s",
       "An answered node that gets no Coordinator message within this long restarts its "
       "election."},
      {"priority", ParamType::integer, "-1",
       "The node's rank (higher wins, ties broken by node index); -1 ranks it by its index in "
       "the node list."},
  };
}

}  // namespace lockstep::protocols::bully
