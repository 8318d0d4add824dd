#include "sim/scenario/plan.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

#include "sim/core/rng.hpp"

namespace lockstep::sim {
namespace {

std::string target_name(const Target& t, const std::vector<NodeSpec>& nodes) {
  if (!t.role.empty()) return t.role;
  assert(t.node < nodes.size());
  return nodes[t.node].id;
}

std::string join_group(const std::vector<NodeIndex>& group, const std::vector<NodeSpec>& nodes) {
  std::string out = "{";
  for (size_t i = 0; i < group.size(); ++i) {
    if (i > 0) out += ' ';
    out += nodes[group[i]].id;
  }
  return out + "}";
}

PlannedFault from_spec(const FaultSpec& spec, Instant at) {
  PlannedFault f{spec.type,  at,      spec.target, spec.length, spec.groups,
                 spec.links, spec.by, {},          false};
  return f;
}

// A random split of `pool` into two non-empty groups (pool has at least two nodes).
std::vector<std::vector<NodeIndex>> random_split(std::vector<NodeIndex> pool, Rng& rng) {
  assert(pool.size() >= 2);
  // Fisher-Yates with our own draws, then cut at a random point in [1, n-1].
  for (size_t i = pool.size() - 1; i > 0; --i) {
    std::swap(pool[i], pool[rng.below(i + 1)]);
  }
  const size_t cut = 1 + rng.below(pool.size() - 1);
  std::vector<NodeIndex> a(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(cut));
  std::vector<NodeIndex> b(pool.begin() + static_cast<std::ptrdiff_t>(cut), pool.end());
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return {a, b};
}

void expand_nemesis(const NemesisSpec& n, const Scenario& s, Rng& rng,
                    std::vector<PlannedFault>& out) {
  std::vector<NodeIndex> pool = n.targets;
  if (pool.empty()) {
    for (NodeIndex i = 0; i < s.nodes.size(); ++i) pool.push_back(i);
  }
  assert(!n.kinds.empty());
  Instant t = n.from + Duration{std::max<int64_t>(1, n.every_ns.sample_int(rng))};
  // A limit on everything: a nemesis cannot flood a run.
  for (int produced = 0; t < n.until && produced < 100'000; ++produced) {
    PlannedFault f{};
    f.type = n.kinds[rng.below(n.kinds.size())];
    f.at = t;
    f.from_nemesis = true;
    f.length = Duration{std::max<int64_t>(0, n.length_ns.sample_int(rng))};
    f.target.node = pool[rng.below(pool.size())];
    switch (f.type) {
      case FaultType::partition: {
        std::vector<NodeIndex> all;
        for (NodeIndex i = 0; i < s.nodes.size(); ++i) all.push_back(i);
        if (all.size() < 2) break;
        f.groups = random_split(all, rng);
        f.target = {};
        break;
      }
      case FaultType::cut: {
        NodeIndex other = pool[rng.below(pool.size())];
        if (other != f.target.node) f.links.push_back({f.target.node, other});
        f.target = {};
        break;
      }
      case FaultType::clock_step:
        f.by = Duration{n.step_ns.sample_int(rng)};
        f.length.reset();
        break;
      case FaultType::crash:
      case FaultType::pause:
      case FaultType::isolate:
        break;
    }
    out.push_back(std::move(f));
    t += Duration{std::max<int64_t>(1, n.every_ns.sample_int(rng))};
  }
}

}  // namespace

std::string describe_fault(const PlannedFault& f, const std::vector<NodeSpec>& nodes) {
  std::string out(fault_type_name(f.type));
  switch (f.type) {
    case FaultType::crash:
    case FaultType::pause:
    case FaultType::isolate:
      out += " " + target_name(f.target, nodes);
      break;
    case FaultType::clock_step:
      out += " " + target_name(f.target, nodes) + " by " + format_duration(f.by);
      break;
    case FaultType::partition:
      for (size_t i = 0; i < f.groups.size(); ++i) {
        out += (i == 0 ? " " : " | ") + join_group(f.groups[i], nodes);
      }
      break;
    case FaultType::cut:
      for (size_t i = 0; i < f.links.size(); ++i) {
        out +=
            (i == 0 ? " " : ", ") + nodes[f.links[i].first].id + "->" + nodes[f.links[i].second].id;
      }
      break;
  }
  if (f.length) {
    switch (f.type) {
      case FaultType::crash:
        out += ", restart after " + format_duration(*f.length);
        break;
      case FaultType::pause:
        out += " for " + format_duration(*f.length);
        break;
      case FaultType::clock_step:
        break;
      default:
        out += ", heal after " + format_duration(*f.length);
        break;
    }
  }
  return out;
}

Scenario apply_swarm(const Scenario& scenario, uint64_t seed, std::string* choices) {
  Scenario out = scenario;
  if (!scenario.swarm.declared) return out;
  const SwarmSpec& sw = scenario.swarm;
  Rng rng = Rng::stream(seed, "swarm");
  std::string text;
  if (!sw.kinds.empty()) {
    std::vector<FaultType> enabled;
    for (FaultType k : sw.kinds) {
      if (rng.chance(0.5)) enabled.push_back(k);
    }
    if (enabled.empty()) enabled.push_back(sw.kinds[rng.below(sw.kinds.size())]);
    text += "kinds [";
    for (size_t i = 0; i < enabled.size(); ++i) {
      text += (i ? ", " : "") + std::string(fault_type_name(enabled[i]));
    }
    text += "]";
    for (NemesisSpec& n : out.nemeses) n.kinds = enabled;
  }
  if (sw.every) {
    const Duration mean{rng.between(sw.every->first.ns, sw.every->second.ns)};
    text += (text.empty() ? "" : ", ") + std::string("every exponential(mean ") +
            format_duration(mean) + ")";
    for (NemesisSpec& n : out.nemeses) {
      n.every_ns = Distribution{Distribution::Kind::exponential, static_cast<double>(mean.ns), 0};
    }
  }
  if (sw.loss) {
    const double loss = sw.loss->first + (sw.loss->second - sw.loss->first) * rng.unit();
    char buf[48];
    std::snprintf(buf, sizeof buf, "loss %.4f", loss);
    text += (text.empty() ? "" : ", ") + std::string(buf);
    out.network.loss = loss;
  }
  if (choices != nullptr) *choices = text;
  return out;
}

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
  for (const FaultSpec& spec : scenario.faults) {
    const Instant at{fault_times.between(spec.at_min.ns, spec.at_max.ns)};
    plan.faults.push_back(from_spec(spec, at));
  }
  Rng nemesis = Rng::stream(seed, "nemesis");
  for (const NemesisSpec& n : scenario.nemeses) expand_nemesis(n, scenario, nemesis, plan.faults);
  std::stable_sort(plan.faults.begin(), plan.faults.end(),
                   [](const PlannedFault& a, const PlannedFault& b) { return a.at < b.at; });
  for (PlannedFault& f : plan.faults) f.description = describe_fault(f, scenario.nodes);
  return plan;
}

}  // namespace lockstep::sim
