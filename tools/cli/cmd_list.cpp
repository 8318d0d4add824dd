// `lockstep list`: what this build can simulate and check, from the same tables the loader uses.
#include <cstdio>
#include <iostream>
#include <string>

#include "tools/cli/commands.hpp"
#include "tools/cli/help.hpp"
#include "tools/cli/list_json.hpp"
#include "tools/engine/runner.hpp"

namespace lockstep::tools {
namespace {

void print_params(const char* heading, const std::vector<sim::ParamSpec>& params) {
  if (params.empty()) return;
  std::printf("    %s:\n", heading);
  for (const sim::ParamSpec& p : params) {
    std::string type(sim::param_type_name(p.type));
    if (!p.choices.empty()) type = std::string(p.choices);
    std::printf("      %-16s %-22s default %-20s %s\n", std::string(p.name).c_str(), type.c_str(),
                std::string(p.default_yaml).c_str(), std::string(p.meaning).c_str());
  }
}

}  // namespace

int cmd_list(const std::vector<std::string>& args) {
  if (print_help_if_asked("list", args)) return 0;
  const bool json = args.size() == 1 && args.front() == "--json";
  if (!args.empty() && !json) {
    std::fprintf(stderr, "lockstep list: takes no arguments but --json\n");
    return 2;
  }
  const sim::Catalog catalog = make_catalog();
  if (json) {
    std::cout << list_json(catalog).dump(2) << "\n";
    return 0;
  }
  std::printf("protocols\n");
  for (const sim::ProtocolSpec& p : catalog.protocols()) {
    std::printf("  %s: %s\n", std::string(p.name).c_str(), std::string(p.summary).c_str());
    std::printf("    roles:\n");
    for (const sim::RoleSpec& r : p.roles) {
      std::printf("      %-16s %s\n", std::string(r.name).c_str(), std::string(r.meaning).c_str());
    }
    print_params("params", p.params);
    print_params("workload", p.workload);
    if (!p.claims.empty()) {
      std::printf("    fault targets:");
      for (const sim::ClaimSpec& c : p.claims) std::printf(" %s", std::string(c.role).c_str());
      std::printf(" (resolved when the fault fires)\n");
    }
  }
  std::printf("\ncheckers\n");
  for (const sim::CheckerSpec& c : catalog.checkers()) {
    std::printf("  %-18s %s\n", std::string(c.name).c_str(), std::string(c.meaning).c_str());
    print_params("params", c.params);
  }
  std::printf(
      "\nfault kinds (faults: [{at: TIME or [a, b], KIND: ...}])\n"
      "  crash: NODE        [restart_after: D]  the process dies; volatile state and timers are "
      "lost\n"
      "  pause: NODE        for: D              the process stops; clocks run on, deliveries and "
      "timers wait\n"
      "  partition: [[ids], [ids], ...]  [heal_after: D]  no traffic between groups\n"
      "  cut: [{from: a, to: b} | [a, b], ...]  [heal_after: D]  one-way ({from,to}) or both "
      "([a,b])\n"
      "  isolate: NODE      [heal_after: D]     no traffic to or from the node\n"
      "  clock_step: NODE   by: D (may be < 0)  the node's wall clock jumps\n"
      "  nemesis: {kinds, every, from, until, for, step, targets}  random faults drawn per seed\n"
      "  NODE may be a node id or a protocol's fault target (e.g. holder, leader)\n");
  return 0;
}

}  // namespace lockstep::tools
