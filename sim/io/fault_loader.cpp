// The `faults:` section of a scenario file: fixed faults (at a time or a per-seed window) and
// nemesis entries, each kind with exactly the keys it takes.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <iterator>
#include <string>
#include <vector>

#include "sim/io/loader.hpp"
#include "sim/io/scenario_keys.hpp"

namespace lockstep::sim::loader {
namespace {

// ---- Faults ----------------------------------------------------------------------------------

// The key tables are sim/io/scenario_keys.hpp's, which `lockstep schema` writes as a JSON Schema.
constexpr auto kFaultKeys = keys::names_of(keys::kFault);
constexpr auto& kFaultKinds = keys::kFaultKinds;
constexpr auto& kNemesisKinds = keys::kNemesisKinds;

// The keys each fault kind takes besides `at`/`on`/`after` (the first of `required` must be
// there), and an example for errors.
struct KindRule {
  std::string_view kind;
  std::vector<std::string_view> extras;
  std::vector<std::string_view> required;
  std::string_view example;
};
const std::vector<KindRule>& kind_rules() {
  static const std::vector<KindRule> kRules = {
      {"crash", {"restart_after"}, {}, "{at: 10s, crash: n1, restart_after: 5s}"},
      {"pause", {"for"}, {"for"}, "{at: 12s, pause: n1, for: 15s}"},
      {"isolate", {"heal_after"}, {}, "{at: 10s, isolate: n1, heal_after: 5s}"},
      {"clock_step", {"by"}, {"by"}, "{at: 30s, clock_step: n1, by: -2s}"},
      {"clock_rate", {"to_ppm", "for"}, {"to_ppm"}, "{at: 20s, clock_rate: n1, to_ppm: 300000}"},
      {"disk_stall", {"for"}, {"for"}, "{at: 30s, disk_stall: n1, for: 2s}"},
      {"disk_slow",
       {"factor", "for"},
       {"factor", "for"},
       "{at: 30s, disk_slow: n1, factor: 10, for: 5s}"},
      {"partition", {"heal_after"}, {}, "{at: 20s, partition: [[n1], [n2, n3]], heal_after: 5s}"},
      {"partial_partition",
       {"heal_after"},
       {},
       "{at: 20s, partial_partition: [[n1], [n2]], heal_after: 5s}"},
      {"cut", {"heal_after"}, {}, "{at: 25s, cut: [{from: n1, to: n2}], heal_after: 5s}"},
      {"link",
       {"for"},
       {"for"},
       "{at: 10s, link: {from: n1, to: n2, latency: 200ms, loss: 0.3}, for: 5s}"},
      {"drop", {}, {}, "{at: 10s, drop: {message: grant, from: lock, to: c2, nth: 1}}"},
      {"nemesis", {}, {}, "{nemesis: {kinds: [crash, partition], every: 5s}}"},
  };
  return kRules;
}

FaultType fault_type_of(std::string_view kind) {
  if (kind == "link_slow") return FaultType::link;
  for (size_t i = 0; i < kFaultTypes; ++i) {
    if (fault_type_name(static_cast<FaultType>(i)) == kind) return static_cast<FaultType>(i);
  }
  assert(false && "fault kinds are validated before they are mapped");
  return FaultType::crash;
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
    std::string kinds;
    for (std::string_view k : kFaultKinds) kinds += (kinds.empty() ? "" : ", ") + std::string(k);
    m.self().fail("a fault needs exactly one of: " + kinds);
  }
  return *found;
}

const KindRule& rule_for(std::string_view kind) {
  const std::vector<KindRule>& rules = kind_rules();
  const auto rule =
      std::find_if(rules.begin(), rules.end(), [&](const KindRule& r) { return r.kind == kind; });
  assert(rule != rules.end() && "every fault kind has a rule");
  return *rule;
}

std::string takes_text(const KindRule& rule) {
  if (rule.extras.empty()) return "no other keys";
  std::string out;
  for (std::string_view x : rule.extras) out += (out.empty() ? "'" : ", '") + std::string(x) + "'";
  return out;
}

// Keys other than the timing, the kind and the kind's extras do not apply to this kind.
void check_fault_keys(const Mapping& m, const KindRule& rule) {
  const bool nemesis = rule.kind == "nemesis";
  for (const Entry& e : m.entries()) {
    const std::string& key = e.key.node().Scalar();
    if (key == rule.kind) continue;
    if (std::find(rule.extras.begin(), rule.extras.end(), key) != rule.extras.end()) continue;
    if ((key == "at" || key == "on" || key == "after") && !nemesis) continue;
    if (key == "at" || key == "on") {
      e.key.fail("a nemesis entry has no '" + key +
                 "'; set its window with 'from' and 'until' inside it");
    }
    e.key.fail("'" + key + "' does not apply to " + std::string(rule.kind) + " (" +
               std::string(rule.kind) + " takes " + takes_text(rule) + "), e.g. " +
               std::string(rule.example));
  }
  for (std::string_view need : rule.required) {
    if (!m.get(need)) {
      m.self().fail(std::string(rule.kind) + " needs '" + std::string(need) + "', e.g. " +
                    std::string(rule.example));
    }
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
  static constexpr auto kKeys = keys::names_of(keys::kCut);
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

// Node ids or role claims (resolved when each fault fires), each at most once.
std::vector<Target> read_nemesis_targets(const Value& v, const Loader& l) {
  std::vector<Target> targets;
  for (const Value& item : v.list("a list of node ids or role targets", kMaxNodes)) {
    const Target t = resolve_target(item, l);
    for (const Target& seen : targets) {
      if (seen.node == t.node && seen.role == t.role)
        item.fail("'" + item.describe() + "' is listed twice");
    }
    targets.push_back(t);
  }
  if (targets.empty()) v.fail("a nemesis needs at least one target (or no 'targets' for all)");
  return targets;
}

// Defaults: every {exponential: 5s}, from 0, until the end, for {uniform: [1s, 5s]}, step
// {uniform: [-2s, 2s]}, every node a target.
NemesisSpec read_nemesis(const Value& v, SourcePos pos, const Loader& l) {
  static constexpr auto kKeys = keys::names_of(keys::kNemesis);
  using yaml_util::kDurationAmount;
  const Mapping m(v, "a nemesis {kinds: [...], every: ..., ...}");
  m.allow_only(kKeys, "nemesis key");
  NemesisSpec n{read_nemesis_kinds(m.require("kinds")),
                Distribution{Distribution::Kind::exponential, 5e9, 0, 0},
                Instant{0},
                Instant{l.out.duration.ns},
                Distribution{Distribution::Kind::uniform, 1e9, 5e9, 0},
                Distribution{Distribution::Kind::uniform, -2e9, 2e9},
                Distribution{Distribution::Kind::uniform, -200'000, 200'000},
                10,
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
  if (auto x = m.get("rate_ppm"))
    n.rate_ppm = yaml_util::read_distribution(*x, yaml_util::kPpmAmount);
  if (auto x = m.get("slow_factor")) {
    n.slow_factor = yaml_util::read_number(*x);
    if (!(n.slow_factor >= 1 && n.slow_factor <= 1e6))
      x->fail("slow_factor must be in [1, 1000000]");
  }
  if (auto x = m.get("targets")) n.targets = read_nemesis_targets(*x, l);
  return n;
}

// `{from: a, to: b, latency: DIST, loss: P}`: one directed link and what changes on it.
void read_link_change(const Value& v, FaultSpec& f, const Loader& l) {
  static constexpr auto kKeys = keys::names_of(keys::kLinkChange);
  const Mapping m(v, "a link {from: a, to: b, latency: ..., loss: ...}");
  m.allow_only(kKeys, "link key");
  const Value to = m.require("to");
  f.links = {{resolve_node(m.require("from"), l), resolve_node(to, l)}};
  if (f.links[0].first == f.links[0].second) to.fail("a link joins two different nodes");
  if (auto x = m.get("latency")) {
    f.change.latency_ns = yaml_util::read_distribution(*x, yaml_util::kDurationAmount);
  }
  if (auto x = m.get("loss")) f.change.loss = yaml_util::read_probability(*x);
  if (!f.change.latency_ns && !f.change.loss)
    v.fail("a link fault changes 'latency', 'loss' or both");
}

uint16_t message_type(const Value& v, const Loader& l) {
  const std::string& name = v.scalar("a message type name");
  const std::vector<std::string_view>& names = l.protocol().messages;
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    v.fail("unknown message type '" + name + "' of " + l.protocol_owner() +
           yaml_util::hint(name, names));
  }
  return static_cast<uint16_t>(it - names.begin());
}

int64_t read_nth(const Value& v) {
  const int64_t nth = yaml_util::read_integer(v);
  if (nth < 1 || nth > 1'000'000'000) v.fail("nth counts from 1 (the first), got " + v.describe());
  return nth;
}

// `{field: value}`: each a field the vocabulary knows, its value read by the field's type.
std::vector<Field> read_where(const Value& v, const Loader& l, std::string& text) {
  const Mapping m(v, "fields the event must carry {field: value}");
  const Vocabulary& vocabulary = *l.out.vocabulary;
  std::vector<Field> out;
  for (const Entry& e : m.entries()) {
    const std::string& name = e.key.node().Scalar();
    const std::optional<Key> key = vocabulary.find_key(name);
    if (!key) e.key.fail("unknown field '" + name + "'");
    int64_t value = 0;
    switch (vocabulary.type(*key)) {
      case FieldType::node:
        value = resolve_node(e.value, l);
        break;
      case FieldType::message_type:
        value = message_type(e.value, l);
        break;
      case FieldType::boolean:
        value = yaml_util::read_bool(e.value) ? 1 : 0;
        break;
      case FieldType::duration_ns:
        value = yaml_util::read_duration(e.value, yaml_util::Sign::any).ns;
        break;
      case FieldType::integer:
        value = yaml_util::read_integer(e.value);
        break;
    }
    if (out.size() == Event::kMaxFields) e.key.fail("an event carries at most 4 fields");
    out.push_back({*key, value});
    text += " " + name + "=" + e.value.node().Scalar();
  }
  return out;
}

// `{message: NAME, from: a, to: b, nth: k}`: the kth such message is lost.
DropRule read_drop(const Value& v, const Loader& l) {
  static constexpr auto kKeys = keys::names_of(keys::kDrop);
  const Mapping m(v, "a message to drop {message: NAME, from: a, to: b, nth: 1}");
  m.allow_only(kKeys, "drop key");
  DropRule r;
  r.message = message_type(m.require("message"), l);
  r.name = std::string(l.protocol().messages[r.message]);
  if (auto x = m.get("from")) r.from = resolve_node(*x, l);
  if (auto x = m.get("to")) r.to = resolve_node(*x, l);
  if (auto x = m.get("nth")) r.nth = read_nth(*x);
  return r;
}

void read_fault_kind(const Mapping& m, const Entry& kind, FaultSpec& f, const Loader& l) {
  using yaml_util::kDurationAmount;
  f.type = fault_type_of(kind.key.node().Scalar());
  switch (f.type) {
    case FaultType::partition:
      f.groups = read_groups(kind.value, l);
      break;
    case FaultType::partial_partition:
      f.groups = read_groups(kind.value, l);
      if (f.groups.size() != 2) kind.value.fail("a partial partition names exactly 2 groups");
      break;
    case FaultType::cut:
      f.links = read_cuts(kind.value, l);
      break;
    case FaultType::link:
      read_link_change(kind.value, f, l);
      break;
    case FaultType::drop:
      f.drop = read_drop(kind.value, l);
      break;
    default:
      f.target = resolve_target(kind.value, l);
      break;
  }
  if (auto x = m.get("by"))
    f.by_ns = yaml_util::read_distribution(*x, yaml_util::kSignedDurationAmount);
  if (auto x = m.get("to_ppm")) {
    const double ppm = yaml_util::read_number(*x);
    if (!(ppm > -1'000'000 && ppm <= 10'000'000))
      x->fail("to_ppm must be above -1000000 (a clock that stops) and at most 10000000");
    f.to_ppb = static_cast<int64_t>(std::llround(ppm * 1000.0));
  }
  if (auto x = m.get("factor")) {
    f.factor = yaml_util::read_number(*x);
    if (!(f.factor >= 1 && f.factor <= 1e6)) x->fail("factor must be in [1, 1000000]");
  }
  for (std::string_view key : {"restart_after", "for", "heal_after"}) {
    if (auto x = m.get(key)) f.length_ns = yaml_util::read_distribution(*x, kDurationAmount);
  }
}

// `on: {kind: K, node: N|role, nth: k, where: {field: value}}`: the event the fault waits for.
Trigger read_trigger(const Value& v, const Loader& l) {
  static constexpr auto kKeys = keys::names_of(keys::kTrigger);
  const Mapping m(v, "a trigger {kind: KIND, node: N, nth: 1, where: {field: value}}");
  m.allow_only(kKeys, "trigger key");
  const Vocabulary& vocabulary = *l.out.vocabulary;
  Trigger t;
  const Value kind = m.require("kind");
  const std::string& name = kind.scalar("an event kind such as lock.acquired");
  const std::optional<Kind> id = vocabulary.find_kind(name);
  if (!id) {
    std::vector<std::string_view> known;
    for (size_t i = 0; i < vocabulary.kind_count(); ++i)
      known.push_back(vocabulary.name(static_cast<Kind>(i)));
    kind.fail("unknown event kind '" + name + "'" + yaml_util::hint(name, known));
  }
  t.kind = *id;
  t.text = "on the ";
  if (auto x = m.get("nth")) t.nth = read_nth(*x);
  t.text += t.nth == 1 ? "first " : "#" + std::to_string(t.nth) + " ";
  t.text += name;
  if (auto x = m.get("node")) {
    t.node = resolve_target(*x, l);
    t.text += " of " + (t.node.role.empty() ? l.out.nodes[t.node.node].id : t.node.role);
  }
  if (auto x = m.get("where")) t.where = read_where(*x, l, t.text);
  return t;
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
  const std::optional<Value> at = m.get("at");
  const std::optional<Value> on = m.get("on");
  if (at && on) on->fail("a fault fires at a time ('at') or on an event ('on'), not both");
  if (!at && !on)
    m.self().fail("a fault needs 'at: TIME' or 'on: {kind: ...}', e.g. " +
                  std::string(rule.example));
  if (auto after = m.get("after"); after && !on)
    after->fail("'after' goes with 'on' (the delay after the event)");
  read_fault_kind(m, kind, f, l);
  if (on) {
    f.on = TriggerSpec{read_trigger(*on, l), Distribution::constant_of(0)};
    if (auto x = m.get("after"))
      f.on->after_ns = yaml_util::read_distribution(*x, yaml_util::kDurationAmount);
    f.at_min = f.at_max = Instant{0};
  } else {
    read_at(*at, f);
  }
  if (!on && Duration{f.at_min.ns} >= l.out.duration) {
    l.out.warnings.push_back(v.path() + " (line " + std::to_string(v.pos().line) + "): at " +
                             format_duration(Duration{f.at_min.ns}) +
                             " is not before the end of the run (" +
                             format_duration(l.out.duration) + "); it never fires");
  }
  l.out.faults.push_back(std::move(f));
}

}  // namespace lockstep::sim::loader
