#include "sim/scenario/plan.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

#include "sim/core/rng.hpp"
#include "sim/scenario/plan_internal.hpp"

namespace lockstep::sim {

namespace plan_detail {

std::string target_name(const Target& t, const std::vector<NodeSpec>& nodes) {
  if (!t.role.empty()) return t.role;
  assert(t.node < nodes.size());
  return nodes[t.node].id;
}

}  // namespace plan_detail

namespace {

// A duration a fault names by distribution: constants draw nothing (so plans of files without
// random lengths stay as they were), others from the faults' own `fault_params` stream.
Duration resolve(const Distribution& d, Rng& rng, bool signed_ok = false) {
  const int64_t ns = d.is_constant() ? static_cast<int64_t>(d.a) : d.sample_int(rng);
  return Duration{signed_ok ? ns : std::max<int64_t>(0, ns)};
}

PlannedFault from_spec(const FaultSpec& spec, Instant at, Rng& params) {
  PlannedFault f{};
  f.type = spec.type;
  f.at = at;
  f.target = spec.target;
  if (spec.length_ns) f.length = resolve(*spec.length_ns, params);
  f.groups = spec.groups;
  f.links = spec.links;
  f.by = resolve(spec.by_ns, params, true);
  f.to_ppb = spec.to_ppb;
  f.factor = spec.factor;
  f.change = spec.change;
  f.drop = spec.drop;
  if (spec.on) {
    f.trigger = spec.on->trigger;
    f.trigger->after = resolve(spec.on->after_ns, params);
    f.trigger->text += ", after " + format_duration(f.trigger->after);
  }
  return f;
}

}  // namespace

WorldConfig world_config(const Scenario& s) {
  assert(s.protocol_spec != nullptr);
  WorldConfig c;
  c.scenario = s.name;
  c.protocol = s.protocol;
  c.duration = s.duration;
  for (const NodeSpec& n : s.nodes) {
    NodeConfig node{n.id, n.role, n.params, {}, n.storage};
    for (const RoleSpec& r : s.protocol_spec->roles) {
      if (r.name != n.role) continue;
      for (std::string_view claim : r.claims) node.claims.emplace_back(claim);
    }
    c.nodes.push_back(std::move(node));
  }
  c.network = s.network;
  c.workload = s.workload;
  c.make = s.protocol_spec->make;
  for (std::string_view m : s.protocol_spec->messages) c.messages.emplace_back(m);
  c.claims = s.claims;
  c.vocabulary = s.vocabulary;
  return c;
}

Plan resolve_plan(const Scenario& scenario, uint64_t seed) {
  Plan plan;
  plan.seed = seed;
  Rng clocks = Rng::stream(seed, "clocks");
  for (const NodeSpec& node : scenario.nodes) {
    const double drift_ppm = node.clock.drift_ppm.sample(clocks);
    const double offset_ns = node.clock.offset_ns.sample(clocks);
    plan.clocks.push_back(
        {static_cast<int64_t>(std::llround(drift_ppm * 1000.0)), static_cast<int64_t>(offset_ns)});
  }
  Rng fault_times = Rng::stream(seed, "faults");
  Rng fault_params = Rng::stream(seed, "fault_params");
  for (const FaultSpec& spec : scenario.faults) {
    const Instant at{fault_times.between(spec.at_min.ns, spec.at_max.ns)};
    plan.faults.push_back(from_spec(spec, at, fault_params));
  }
  Rng nemesis = Rng::stream(seed, "nemesis");
  for (const NemesisSpec& n : scenario.nemeses) {
    plan_detail::expand_nemesis(n, scenario, nemesis, plan.faults);
  }
  // Triggered faults have no time of their own; they keep their declared place after the rest.
  std::stable_sort(plan.faults.begin(), plan.faults.end(),
                   [](const PlannedFault& a, const PlannedFault& b) {
                     if (a.trigger.has_value() != b.trigger.has_value()) return !a.trigger;
                     return a.at < b.at;
                   });
  for (PlannedFault& f : plan.faults) f.description = describe_fault(f, scenario.nodes);
  return plan;
}

}  // namespace lockstep::sim
