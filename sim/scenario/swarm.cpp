// Swarm testing (Groce et al. 2012): per seed, draw which nemesis kinds are on, how often faults
// come, the network's loss and latency, the nodes' drift and a shift of the fixed faults, from
// the scenario's `swarm:` ranges and the seed's own `swarm` stream. Round-1 ranges draw first and
// as before, so their seeds keep their choices.
#include <cmath>
#include <cstdio>

#include "sim/scenario/plan.hpp"

namespace lockstep::sim {
namespace {

std::string with_comma(const std::string& text) { return text.empty() ? "" : ", "; }

void draw_v2(const SwarmSpec& sw, Rng& rng, Scenario& out, std::string& text) {
  if (sw.latency) {
    const Duration mean{rng.between(sw.latency->first.ns, sw.latency->second.ns)};
    out.network.latency_ns =
        Distribution{Distribution::Kind::uniform, static_cast<double>(mean.ns) / 2,
                     static_cast<double>(mean.ns) * 1.5};
    out.network.latency_ns.min = 0;
    text += with_comma(text) + "latency uniform[" + format_duration(mean / 2) + ", " +
            format_duration(mean + mean / 2) + "]";
  }
  if (sw.drift_ppm) {
    for (NodeSpec& n : out.nodes) {
      n.clock.drift_ppm =
          Distribution{Distribution::Kind::uniform, sw.drift_ppm->first, sw.drift_ppm->second};
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "drift uniform[%g, %g]ppm", sw.drift_ppm->first,
                  sw.drift_ppm->second);
    text += with_comma(text) + buf;
  }
  if (sw.shift) {
    const Duration shift{rng.between(sw.shift->first.ns, sw.shift->second.ns)};
    for (FaultSpec& f : out.faults) {
      f.at_min = Instant{std::max<int64_t>(0, (f.at_min + shift).ns)};
      f.at_max = Instant{std::max<int64_t>(0, (f.at_max + shift).ns)};
    }
    text += with_comma(text) + "faults shifted by " + format_duration(shift);
  }
}

}  // namespace

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
  draw_v2(sw, rng, out, text);
  if (choices != nullptr) *choices = text;
  return out;
}

}  // namespace lockstep::sim
