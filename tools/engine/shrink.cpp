#include "tools/engine/shrink.hpp"

#include <algorithm>
#include <cassert>

#include "sim/core/world.hpp"
#include "tools/engine/runner.hpp"

namespace lockstep::tools {
namespace {

using sim::Duration;
using sim::FaultSpec;
using sim::NodeIndex;
using sim::Scenario;

constexpr int64_t kDurationResolutionNs = 100'000'000;  // 100ms
constexpr int64_t kLengthResolutionNs = 10'000'000;     // 10ms

class Shrinker {
 public:
  Shrinker(uint64_t seed, std::string checker, std::function<void(const std::string&)> log)
      : seed_(seed), checker_(std::move(checker)), log_(std::move(log)) {}

  // True when `s` still violates the checker. A candidate the protocol refuses (a client
  // without its server) or that exceeds a limit simply does not fail.
  bool fails(const Scenario& s, uint64_t* events = nullptr) {
    ++runs;
    try {
      const RunReport r = run_scenario(s, RunOptions::with_seed(seed_));
      if (events != nullptr) *events = r.events;
      for (const checkers::CheckResult& c : r.results) {
        if (c.checker == checker_) return c.verdict == sim::Verdict::violated;
      }
      return false;
    } catch (const sim::InputError&) {
      return false;
    } catch (const sim::LimitError&) {
      return false;
    }
  }

  void ddmin_faults(Scenario& s);
  void shorten_duration(Scenario& s);
  void shorten_windows(Scenario& s);
  void drop_nodes(Scenario& s);

  uint64_t runs = 0;

 private:
  Scenario with_faults(const Scenario& s, const std::vector<FaultSpec>& faults) {
    Scenario c = s;
    c.faults = faults;
    return c;
  }

  uint64_t seed_;
  std::string checker_;
  std::function<void(const std::string&)> log_;

  friend ShrinkResult shrink(const Scenario&, uint64_t, const std::string&,
                             const std::function<void(const std::string&)>&);
};

// Zeller's ddmin: try each chunk alone, then each complement, refining the granularity.
void Shrinker::ddmin_faults(Scenario& s) {
  std::vector<FaultSpec> faults = s.faults;
  if (faults.empty()) return;
  if (fails(with_faults(s, {}))) {
    s.faults.clear();
    log_("removed every fault: it fails without any");
    return;
  }
  size_t n = 2;
  while (faults.size() >= 2) {
    const size_t chunk = (faults.size() + n - 1) / n;
    bool reduced = false;
    for (size_t start = 0; start < faults.size() && !reduced; start += chunk) {
      const size_t end = std::min(faults.size(), start + chunk);
      std::vector<FaultSpec> subset(faults.begin() + static_cast<std::ptrdiff_t>(start),
                                    faults.begin() + static_cast<std::ptrdiff_t>(end));
      std::vector<FaultSpec> complement(faults.begin(),
                                        faults.begin() + static_cast<std::ptrdiff_t>(start));
      complement.insert(complement.end(), faults.begin() + static_cast<std::ptrdiff_t>(end),
                        faults.end());
      if (fails(with_faults(s, subset))) {
        faults = subset;
        n = 2;
        reduced = true;
      } else if (n > 2 && fails(with_faults(s, complement))) {
        faults = complement;
        n = std::max<size_t>(n - 1, 2);
        reduced = true;
      }
    }
    if (reduced) continue;
    if (n >= faults.size()) break;
    n = std::min(faults.size(), n * 2);
  }
  if (faults.size() < s.faults.size()) {
    log_("faults: " + std::to_string(s.faults.size()) + " -> " + std::to_string(faults.size()));
  }
  s.faults = faults;
}

// Binary search for the shortest duration that still fails (failing is not strictly monotone
// in the duration, so the result is checked, not assumed).
void Shrinker::shorten_duration(Scenario& s) {
  int64_t lo = kDurationResolutionNs;  // may not fail
  int64_t hi = s.duration.ns;          // fails
  while (hi - lo > kDurationResolutionNs) {
    const int64_t mid = lo + (hi - lo) / 2;
    Scenario c = s;
    c.duration = Duration{mid};
    if (fails(c)) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  if (hi < s.duration.ns) {
    log_("duration: " + sim::format_duration(s.duration) + " -> " +
         sim::format_duration(Duration{hi}));
    s.duration = Duration{hi};
  }
}

void Shrinker::shorten_windows(Scenario& s) {
  for (size_t i = 0; i < s.faults.size(); ++i) {
    const std::optional<sim::Distribution>& length = s.faults[i].length_ns;
    if (!length.has_value() || !length->is_constant()) continue;  // artifacts hold constants
    const Duration before{static_cast<int64_t>(length->a)};
    int64_t lo = 0;
    int64_t hi = before.ns;
    while (hi - lo > kLengthResolutionNs) {
      const int64_t mid = lo + (hi - lo) / 2;
      Scenario c = s;
      c.faults[i].length_ns = sim::Distribution::constant_of(static_cast<double>(mid));
      if (fails(c)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    if (hi < before.ns) {
      log_("fault " + std::to_string(i) + " window: " + sim::format_duration(before) + " -> " +
           sim::format_duration(Duration{hi}));
      s.faults[i].length_ns = sim::Distribution::constant_of(static_cast<double>(hi));
    }
  }
}

// `s` without node `gone`: faults and links that name it lose it (or go), indices shift.
std::optional<Scenario> without_node(const Scenario& s, NodeIndex gone) {
  Scenario c = s;
  c.nodes.erase(c.nodes.begin() + gone);
  const auto remap = [&](NodeIndex i) { return i > gone ? i - 1 : i; };
  std::vector<FaultSpec> faults;
  for (FaultSpec f : s.faults) {
    if (f.target.role.empty() && f.target.node != sim::kNoNode) {
      if (f.target.node == gone) continue;
      f.target.node = remap(f.target.node);
    }
    std::vector<std::vector<NodeIndex>> groups;
    for (auto& g : f.groups) {
      std::vector<NodeIndex> kept;
      for (NodeIndex n : g) {
        if (n != gone) kept.push_back(remap(n));
      }
      if (!kept.empty()) groups.push_back(kept);
    }
    std::vector<std::pair<NodeIndex, NodeIndex>> links;
    for (auto [a, b] : f.links) {
      if (a != gone && b != gone) links.push_back({remap(a), remap(b)});
    }
    const bool grouped =
        f.type == sim::FaultType::partition || f.type == sim::FaultType::partial_partition;
    if (grouped && groups.size() < 2) continue;
    const bool linked = f.type == sim::FaultType::cut || f.type == sim::FaultType::link;
    if (linked && links.empty()) continue;
    // A drop or a trigger tied to the node goes with it.
    if (f.drop.from == gone || f.drop.to == gone) continue;
    if (f.drop.from != sim::kNoNode) f.drop.from = remap(f.drop.from);
    if (f.drop.to != sim::kNoNode) f.drop.to = remap(f.drop.to);
    if (f.on && f.on->trigger.node.role.empty() && f.on->trigger.node.node != sim::kNoNode) {
      if (f.on->trigger.node.node == gone) continue;
      f.on->trigger.node.node = remap(f.on->trigger.node.node);
    }
    bool names_gone = false;
    if (f.on) {
      for (sim::Field& w : f.on->trigger.where) {
        if (s.vocabulary->type(w.key) != sim::FieldType::node) continue;
        names_gone = names_gone || w.value == static_cast<int64_t>(gone);
        if (w.value > static_cast<int64_t>(gone)) --w.value;
      }
    }
    if (names_gone) continue;
    f.groups = groups;
    f.links = links;
    faults.push_back(f);
  }
  c.faults = faults;
  std::vector<sim::LinkSpec> links;
  for (sim::LinkSpec l : s.network.links) {
    if (l.from == gone || l.to == gone) continue;
    l.from = remap(l.from);
    l.to = remap(l.to);
    links.push_back(l);
  }
  c.network.links = links;
  if (c.nodes.empty()) return std::nullopt;
  return c;
}

void Shrinker::drop_nodes(Scenario& s) {
  for (size_t i = s.nodes.size(); i-- > 0;) {
    std::optional<Scenario> c = without_node(s, static_cast<NodeIndex>(i));
    if (c && fails(*c)) {
      log_("removed node " + s.nodes[i].id);
      s = *c;
    }
  }
}

ShrinkStats stats_of(const Scenario& s, uint64_t events) {
  return {s.faults.size(), s.duration, s.nodes.size(), events};
}

}  // namespace

ShrinkResult shrink(const Scenario& scenario, uint64_t seed, const std::string& checker,
                    const std::function<void(const std::string&)>& log) {
  assert(scenario.nemeses.empty() && "shrink works on concrete fault lists");
  for ([[maybe_unused]] const FaultSpec& f : scenario.faults) assert(f.at_min == f.at_max);
  Shrinker k(seed, checker, log);
  ShrinkResult out;
  uint64_t events = 0;
  if (!k.fails(scenario, &events)) {
    throw sim::InputError(
        scenario.file, 0, 0, "",
        "seed " + std::to_string(seed) + " does not violate " + checker + ": nothing to shrink");
  }
  out.before = stats_of(scenario, events);
  Scenario s = scenario;
  // Nodes go before durations and windows are cut: a window trimmed to the bone for one set of
  // nodes leaves no slack for the timing changes that removing a node brings.
  k.ddmin_faults(s);
  k.drop_nodes(s);
  k.ddmin_faults(s);  // fewer nodes can make more faults unnecessary
  k.shorten_duration(s);
  k.shorten_windows(s);
  [[maybe_unused]] const bool still = k.fails(s, &events);
  assert(still && "every accepted step was checked to fail");
  out.after = stats_of(s, events);
  out.scenario = s;
  out.runs = k.runs;
  return out;
}

}  // namespace lockstep::tools
