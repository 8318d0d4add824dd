// Faults in words, as the trace's fault events and the run report show them: "pause c1 for 15s".
#include <cassert>
#include <cstdio>

#include "sim/scenario/plan_internal.hpp"

namespace lockstep::sim {
namespace {

std::string join_group(const std::vector<NodeIndex>& group, const std::vector<NodeSpec>& nodes) {
  std::string out = "{";
  for (size_t i = 0; i < group.size(); ++i) {
    if (i > 0) out += ' ';
    out += nodes[group[i]].id;
  }
  return out + "}";
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string link_text(const std::vector<std::pair<NodeIndex, NodeIndex>>& links,
                      const std::vector<NodeSpec>& nodes) {
  std::string out;
  for (size_t i = 0; i < links.size(); ++i) {
    out += (i == 0 ? " " : ", ") + nodes[links[i].first].id + "->" + nodes[links[i].second].id;
  }
  return out;
}

std::string what(const PlannedFault& f, const std::vector<NodeSpec>& nodes) {
  using plan_detail::target_name;
  std::string out(fault_type_name(f.type));
  switch (f.type) {
    case FaultType::crash:
    case FaultType::pause:
    case FaultType::isolate:
    case FaultType::disk_stall:
      return out + " " + target_name(f.target, nodes);
    case FaultType::clock_step:
      return out + " " + target_name(f.target, nodes) + " by " + format_duration(f.by);
    case FaultType::clock_rate:
      return out + " " + target_name(f.target, nodes) + " to " +
             number(static_cast<double>(f.to_ppb) / 1000.0) + "ppm";
    case FaultType::disk_slow:
      return out + " " + target_name(f.target, nodes) + " x" + number(f.factor);
    case FaultType::partition:
    case FaultType::partial_partition:
      for (size_t i = 0; i < f.groups.size(); ++i) {
        out += (i == 0 ? " " : " | ") + join_group(f.groups[i], nodes);
      }
      return out;
    case FaultType::cut:
      return out + link_text(f.links, nodes);
    case FaultType::link:
      out += link_text(f.links, nodes);
      if (f.change.latency_ns) out += " latency " + f.change.latency_ns->describe(true);
      if (f.change.loss) out += " loss " + number(*f.change.loss);
      return out;
    case FaultType::drop:
      out +=
          " " + (f.drop.name.empty() ? "message" : f.drop.name) + " #" + std::to_string(f.drop.nth);
      if (f.drop.from != kNoNode) out += " from " + nodes[f.drop.from].id;
      if (f.drop.to != kNoNode) out += " to " + nodes[f.drop.to].id;
      return out;
  }
  return out;
}

}  // namespace

std::string describe_fault(const PlannedFault& f, const std::vector<NodeSpec>& nodes) {
  std::string out = what(f, nodes);
  if (f.length) {
    switch (f.type) {
      case FaultType::crash:
        out += ", restart after " + format_duration(*f.length);
        break;
      case FaultType::pause:
      case FaultType::disk_stall:
      case FaultType::disk_slow:
      case FaultType::clock_rate:
      case FaultType::link:
        out += " for " + format_duration(*f.length);
        break;
      case FaultType::clock_step:
      case FaultType::drop:
        break;
      default:
        out += ", heal after " + format_duration(*f.length);
        break;
    }
  }
  if (f.trigger) out += " " + f.trigger->text;
  return out;
}

}  // namespace lockstep::sim
