#include <cstdio>
#include <stdexcept>
#include <string>

#include "tools/live/node.hpp"

namespace lockstep::live {

NodeArgs parse_node_args(const std::vector<std::string>& args) {
  NodeArgs a;
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    const std::string& k = args[i];
    const std::string& v = args[i + 1];
    if (k == "--scenario")
      a.scenario = v;
    else if (k == "--seed")
      a.seed = std::stoull(v);
    else if (k == "--node")
      a.node = static_cast<sim::NodeIndex>(std::stoul(v));
    else if (k == "--time-scale")
      a.time_scale = std::stod(v);
    else if (k == "--cookie")
      a.cookie = std::stoull(v, nullptr, 16);
    else if (k == "--run-dir")
      a.run_dir = v;
    else if (k == "--incarnation")
      a.incarnation = static_cast<uint32_t>(std::stoul(v));
    else if (k == "--port")
      a.port = static_cast<uint16_t>(std::stoul(v));
    else if (k == "--event-fd")
      a.event_fd = std::stoi(v);
    else
      throw std::invalid_argument("node mode: unknown argument " + k);
  }
  if (args.size() % 2 != 0) throw std::invalid_argument("node mode: odd argument count");
  if (a.scenario.empty() || a.run_dir.empty() || !(a.time_scale > 0)) {
    throw std::invalid_argument("node mode: --scenario, --run-dir and --time-scale are required");
  }
  return a;
}

std::vector<std::string> node_args_to_argv(const NodeArgs& a) {
  char cookie[17];
  char scale[32];
  std::snprintf(scale, sizeof scale, "%.17g", a.time_scale);  // exact: both ends convert times
  std::snprintf(cookie, sizeof cookie, "%016llx", static_cast<unsigned long long>(a.cookie));
  return {"--scenario",    a.scenario,
          "--seed",        std::to_string(a.seed),
          "--node",        std::to_string(a.node),
          "--time-scale",  scale,
          "--cookie",      cookie,
          "--run-dir",     a.run_dir,
          "--incarnation", std::to_string(a.incarnation),
          "--port",        std::to_string(a.port),
          "--event-fd",    std::to_string(a.event_fd)};
}

}  // namespace lockstep::live
