// The `faults:` section of a scenario file: fixed faults (at a time or a per-seed window) and
// nemesis entries, each kind with exactly the keys it takes.
#include <algorithm>
#include <cassert>
#include <iterator>
#include <string>
#include <vector>

#include "sim/io/loader.hpp"

namespace lockstep::sim::loader {
namespace {

// ---- Faults ----------------------------------------------------------------------------------

constexpr std::string_view kFaultKeys[] = {
    "at",  "crash",   "pause",         "isolate", "clock_step", "partition",
    "cut", "nemesis", "restart_after", "for",     "heal_after", "by"};
constexpr std::string_view kFaultKinds[] = {"crash",     "pause", "isolate", "clock_step",
                                            "partition", "cut",   "nemesis"};
constexpr std::string_view kNemesisKinds[] = {"partition", "crash", "pause", "clock_step",
                                              "isolate"};

// The one extra key each fault kind takes (empty: none), and an example for errors.
struct KindRule {
  std::string_view kind;
  std::string_view extra;
  bool extra_required;
  std::string_view example;
};
constexpr KindRule kKindRules[] = {
    {"crash", "restart_after", false, "{at: 10s, crash: n1, restart_after: 5s}"},
    {"pause", "for", true, "{at: 12s, pause: n1, for: 15s}"},
    {"isolate", "heal_after", false, "{at: 10s, isolate: n1, heal_after: 5s}"},
    {"clock_step", "by", true, "{at: 30s, clock_step: n1, by: -2s}"},
    {"partition", "heal_after", false, "{at: 20s, partition: [[n1], [n2, n3]], heal_after: 5s}"},
    {"cut", "heal_after", false, "{at: 25s, cut: [{from: n1, to: n2}], heal_after: 5s}"},
    {"nemesis", "", false, "{nemesis: {kinds: [crash, partition], every: 5s}}"},
};

FaultType fault_type_of(std::string_view kind) {
  constexpr FaultType kTypes[] = {FaultType::crash, FaultType::pause,   FaultType::partition,
                                  FaultType::cut,   FaultType::isolate, FaultType::clock_step};
  const FaultType* type = std::find_if(std::begin(kTypes), std::end(kTypes),
                                       [&](FaultType t) { return fault_type_name(t) == kind; });
  assert(type != std::end(kTypes) && "fault kinds are validated before they are mapped");
  return *type;
}

// The entry's one fault-kind key; none or two are errors.
const Entry& find_kind(const Mapping& m) {
  const Entry* found = nullptr;
  for (const Entry& e : m.entries()) {
    const std::string& key = e.key.node().Scalar();
    if (std::find(std::begin(kFaultKinds), std::end(kFaultKinds), key) == std::end(kFaultKinds)) {
      continue;
    }
    if (found != nullptr) {
      e.key.fail("one fault per entry, but this one has both '" + found->key.node().Scalar() +
                 "' and '" + key + "'; split it into two entries");
    }
    found = &e;
  }
  if (found == nullptr) {
    m.self().fail(
        "a fault needs exactly one of: crash, pause, isolate, clock_step, partition, cut, "
        "nemesis");
  }
  return *found;
}

const KindRule& rule_for(std::string_view kind) {
  const KindRule* rule = std::find_if(std::begin(kKindRules), std::end(kKindRules),
                                      [&](const KindRule& r) { return r.kind == kind; });
  assert(rule != std::end(kKindRules) && "every fault kind has a rule");
  return *rule;
}

// Keys other than `at`, the kind and the kind's extra do not apply to this kind of fault.
void check_fault_keys(const Mapping& m, const KindRule& rule) {
  for (const Entry& e : m.entries()) {
    const std::string& key = e.key.node().Scalar();
    if (key == rule.kind || (key == rule.extra && !rule.extra.empty())) continue;
    if (key == "at" && rule.kind != "nemesis") continue;
    if (key == "at") {
      e.key.fail("a nemesis entry has no 'at'; set its window with 'from' and 'until' inside it");
    }
    std::string takes = rule.extra.empty() ? "no other keys" : "'" + std::string(rule.extra) + "'";
    e.key.fail("'" + key + "' does not apply to " + std::string(rule.kind) + " (" +
               std::string(rule.kind) + " takes " + takes + "), e.g. " + std::string(rule.example));
  }
  if (rule.extra_required && !m.get(rule.extra)) {
    m.self().fail(std::string(rule.kind) + " needs '" + std::string(rule.extra) + "', e.g. " +
                  std::string(rule.example));
  }
}

void read_at(const Value& v, FaultSpec& f) {
  if (v.is_list()) {
    const DurationRange r = yaml_util::read_range(v);
    f.at_min = Instant{r.min.ns};
    f.at_max = Instant{r.max.ns};
    return;
  }
  const Duration at = yaml_util::read_duration(v);
  f.at_min = Instant{at.ns};
  f.at_max = Instant{at.ns};
}

// `[[ids], [ids], ...]`: at least two non-empty groups, each node in at most one.
std::vector<std::vector<NodeIndex>> read_groups(const Value& v, const Loader& l) {
  const std::vector<Value> groups =
      v.list("a list of node groups such as [[n1], [n2, n3]]", kMaxNodes);
  if (groups.size() < 2) {
    v.fail("a partition needs at least 2 groups, got " + std::to_string(groups.size()));
  }
  std::vector<int64_t> group_of(l.out.nodes.size(), -1);
  std::vector<std::vector<NodeIndex>> out;
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::vector<Value> members = groups[g].list("a list of node ids", kMaxNodes);
    if (members.empty()) groups[g].fail("a partition group must not be empty");
    out.emplace_back();
    for (const Value& member : members) {
      const NodeIndex node = resolve_node(member, l);
      if (group_of[node] >= 0) {
        member.fail("node '" + l.out.nodes[node].id + "' is in two partition groups (" +
                    std::to_string(group_of[node]) + " and " + std::to_string(g) +
                    "); a node can be on one side only");
      }
      group_of[node] = static_cast<int64_t>(g);
      out.back().push_back(node);
    }
  }
  return out;
}

// Items are `{from: a, to: b}` (one direction) or `[a, b]` (both directions).
std::vector<std::pair<NodeIndex, NodeIndex>> read_cuts(const Value& v, const Loader& l) {
  static constexpr std::string_view kKeys[] = {"from", "to"};
  const std::vector<Value> items = v.list("a list of links: {from: a, to: b} or [a, b]", kMaxLinks);
  if (items.empty()) v.fail("a cut needs at least one link");
  std::vector<std::pair<NodeIndex, NodeIndex>> links;
  for (const Value& item : items) {
    if (item.is_map()) {
      const Mapping m(item, "{from: a, to: b}");
      m.allow_only(kKeys, "cut key");
      links.emplace_back(resolve_node(m.require("from"), l), resolve_node(m.require("to"), l));
    } else if (item.is_list()) {
      const auto [a, b] = item.pair("a pair [a, b] of node ids");
      const NodeIndex first = resolve_node(a, l);
      const NodeIndex second = resolve_node(b, l);
      links.emplace_back(first, second);
      links.emplace_back(second, first);
    } else {
      item.fail("expected {from: a, to: b} (one direction) or [a, b] (both directions), got " +
                item.describe());
    }
    if (links.back().first == links.back().second)
      item.fail("a cut link joins two different nodes");
  }
  return links;
}

}  // namespace

std::vector<FaultType> read_nemesis_kinds(const Value& v) {
  std::vector<FaultType> kinds;
  for (const Value& item : v.list("a list of fault kinds", std::size(kNemesisKinds))) {
    const std::string& kind = item.scalar("a fault kind");
    if (std::find(std::begin(kNemesisKinds), std::end(kNemesisKinds), kind) ==
        std::end(kNemesisKinds)) {
      item.fail("the nemesis cannot inject '" + kind + "'" + yaml_util::hint(kind, kNemesisKinds));
    }
    const FaultType type = fault_type_of(kind);
    if (std::find(kinds.begin(), kinds.end(), type) != kinds.end()) {
      item.fail("'" + kind + "' is listed twice");
    }
    kinds.push_back(type);
  }
  if (kinds.empty()) v.fail("the nemesis needs at least one fault kind");
  return kinds;
}

namespace {

std::vector<NodeIndex> read_nemesis_targets(const Value& v, const Loader& l) {
  std::vector<NodeIndex> targets;
  for (const Value& item : v.list("a list of node ids", kMaxNodes)) {
    const NodeIndex node = resolve_node(item, l);
    if (std::find(targets.begin(), targets.end(), node) != targets.end()) {
      item.fail("node '" + l.out.nodes[node].id + "' is listed twice");
    }
    targets.push_back(node);
  }
  return targets;
}

// Defaults: every {exponential: 5s}, from 0, until the end, for {uniform: [1s, 5s]}, step
// {uniform: [-2s, 2s]}, every node a target.
NemesisSpec read_nemesis(const Value& v, SourcePos pos, const Loader& l) {
  static constexpr std::string_view kKeys[] = {"kinds", "every", "from",   "until",
                                               "for",   "step",  "targets"};
  using yaml_util::kDurationAmount;
  const Mapping m(v, "a nemesis {kinds: [...], every: ..., ...}");
  m.allow_only(kKeys, "nemesis key");
  NemesisSpec n{read_nemesis_kinds(m.require("kinds")),
                Distribution{Distribution::Kind::exponential, 5e9, 0, 0},
                Instant{0},
                Instant{l.out.duration.ns},
                Distribution{Distribution::Kind::uniform, 1e9, 5e9, 0},
                Distribution{Distribution::Kind::uniform, -2e9, 2e9},
                {},
                pos};
  if (auto x = m.get("every")) {
    n.every_ns = yaml_util::read_distribution(*x, kDurationAmount);
    if (n.every_ns.upper_hint() <= 0) x->fail("the gap between nemesis faults must be positive");
  }
  if (auto x = m.get("from")) n.from = Instant{yaml_util::read_duration(*x).ns};
  if (auto x = m.get("until")) n.until = Instant{yaml_util::read_duration(*x).ns};
  if (n.from >= n.until) {
    m.get("until")
        .value_or(m.get("from").value_or(v))
        .fail("the nemesis window is empty: 'from' (" + format_duration(Duration{n.from.ns}) +
              ") must be before 'until' (" + format_duration(Duration{n.until.ns}) + ")");
  }
  if (auto x = m.get("for")) n.length_ns = yaml_util::read_distribution(*x, kDurationAmount);
  if (auto x = m.get("step"))
    n.step_ns = yaml_util::read_distribution(*x, yaml_util::kSignedDurationAmount);
  if (auto x = m.get("targets")) n.targets = read_nemesis_targets(*x, l);
  return n;
}

void read_fault_kind(const Mapping& m, const Entry& kind, FaultSpec& f, const Loader& l) {
  f.type = fault_type_of(kind.key.node().Scalar());
  switch (f.type) {
    case FaultType::partition:
      f.groups = read_groups(kind.value, l);
      break;
    case FaultType::cut:
      f.links = read_cuts(kind.value, l);
      break;
    default:
      f.target = resolve_target(kind.value, l);
      break;
  }
  if (f.type == FaultType::clock_step) {
    f.by = yaml_util::read_duration(m.require("by"), yaml_util::Sign::any);
    return;
  }
  const std::string_view extra = rule_for(fault_type_name(f.type)).extra;
  if (auto x = m.get(extra)) f.length = yaml_util::read_duration(*x);
}

}  // namespace

void read_fault(const Value& v, Loader& l) {
  const Mapping m(v, "a fault such as {at: 10s, crash: n1}");
  m.allow_only(kFaultKeys, "fault key");
  const Entry& kind = find_kind(m);
  const KindRule& rule = rule_for(kind.key.node().Scalar());
  check_fault_keys(m, rule);
  if (rule.kind == "nemesis") {
    NemesisSpec n = read_nemesis(kind.value, v.pos(), l);
    if (Duration{n.from.ns} >= l.out.duration) {
      l.out.warnings.push_back(v.path() + " (line " + std::to_string(v.pos().line) +
                               "): the nemesis starts at or after the end of the run");
    }
    l.out.nemeses.push_back(std::move(n));
    return;
  }
  FaultSpec f{};
  f.pos = v.pos();
  read_at(m.require("at"), f);
  read_fault_kind(m, kind, f, l);
  if (Duration{f.at_min.ns} >= l.out.duration) {
    l.out.warnings.push_back(v.path() + " (line " + std::to_string(v.pos().line) + "): at " +
                             format_duration(Duration{f.at_min.ns}) +
                             " is not before the end of the run (" +
                             format_duration(l.out.duration) + "); it never fires");
  }
  l.out.faults.push_back(std::move(f));
}

}  // namespace lockstep::sim::loader
