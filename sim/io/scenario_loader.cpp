// Loads a scenario file (contract v1, DESIGN.md §5) into a typed, validated Scenario. Sections
// are read strictly (sim/yaml_util.hpp) and resolved against the Catalog (protocol params, roles,
// node ids, fault targets, checkers) so a run never starts from a file with a typo in it.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "sim/io/loader.hpp"
#include "sim/io/scenario_keys.hpp"
#include "sim/io/yaml_guard.hpp"
#include "sim/io/yaml_util.hpp"
#include "sim/scenario/scenario.hpp"

namespace lockstep::sim::loader {
namespace {

// The key tables are sim/io/scenario_keys.hpp's, which `lockstep schema` writes as a JSON Schema.
constexpr auto kTopKeys = keys::names_of(keys::kTop);

// ---- Document and header ---------------------------------------------------------------------

// "a/scenarios/lease-lock/pause.yaml" -> "lease-lock/pause"; "x/foo.yaml" -> "foo".
std::string default_name(const std::string& file) {
  constexpr std::string_view kDir = "scenarios/";
  const size_t dir = file.rfind(kDir);
  std::string name = dir == std::string::npos ? std::filesystem::path(file).stem().string()
                                              : file.substr(dir + kDir.size());
  for (std::string_view suffix : {".yaml", ".yml"}) {
    if (name.ends_with(suffix)) name.resize(name.size() - suffix.size());
  }
  return name.empty() ? "unnamed" : name;
}

YAML::Node parse_document(const std::string& text, const std::string& file) {
  guard_yaml(text, file);  // malformed or oversized input stops here, before yaml-cpp
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    const int line = e.mark.is_null() ? 1 : e.mark.line + 1;
    const int column = e.mark.is_null() ? 1 : e.mark.column + 1;
    throw InputError(file, line, column, "", "yaml syntax error: " + e.msg);
  }
  if (docs.empty() || docs.front().IsNull()) {
    throw InputError(file, 1, 1, "",
                     "the scenario file is empty; it needs at least 'protocol:' and 'nodes:'");
  }
  if (docs.size() > 1) {
    const SourcePos pos = yaml_util::position_of(docs[1], {1, 1});
    throw InputError(file, pos.line, pos.column, "",
                     "a scenario file holds one YAML document, but a second one starts here");
  }
  if (!docs.front().IsMap()) {
    const SourcePos pos = yaml_util::position_of(docs.front(), {1, 1});
    const char* got = docs.front().IsSequence() ? "a list" : "a single value";
    throw InputError(file, pos.line, pos.column, "",
                     std::string("the top level of a scenario must be a mapping of keys "
                                 "(name:, protocol:, nodes:, ...), got ") +
                         got);
  }
  return docs.front();
}

uint64_t read_seed(const Value& v) {
  const std::string& text = v.plain_scalar("a non-negative integer");
  uint64_t seed = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (ec != std::errc() || end != text.data() + text.size()) {
    v.fail("expected a non-negative integer seed, got " + v.describe());
  }
  return seed;
}

void read_header(const Mapping& top, Scenario& s) {
  s.name = default_name(s.file);
  if (auto v = top.get("name")) {
    s.name = yaml_util::read_string(*v, "a scenario name");
    if (s.name.empty()) v->fail("the scenario name must not be empty");
    // Names become artifact file names (at most 255 bytes on common file systems).
    if (s.name.size() > kMaxNameBytes) {
      v->fail("the scenario name is " + std::to_string(s.name.size()) + " bytes; the limit is " +
              std::to_string(kMaxNameBytes));
    }
  }
  if (auto v = top.get("summary")) s.summary = yaml_util::read_string(*v, "a one-line summary");
  if (auto v = top.get("seed")) s.seed = read_seed(*v);
  if (auto v = top.get("duration")) {
    s.duration = yaml_util::read_duration(*v);
    if (s.duration.ns <= 0) v->fail("the run's duration must be positive, got " + v->describe());
  }
}

// ---- Protocol, clocks, nodes -----------------------------------------------------------------

// Where each param was first given, for protocol errors found when a run starts.
void record_params(const Value& v, Loader& l) {
  const Mapping params(v, "a mapping of params");
  for (const Entry& e : params.entries()) {
    const std::string name = "." + e.key.node().Scalar();
    const bool seen = std::any_of(l.out.param_pos.begin(), l.out.param_pos.end(),
                                  [&](const auto& p) { return p.first.ends_with(name); });
    if (!seen) l.out.param_pos.emplace_back(e.key.path(), e.key.pos());
  }
}

void read_protocol(const Value& v, Loader& l) {
  static constexpr auto kKeys = keys::names_of(keys::kProtocol);
  const Mapping m(v, "a mapping {name: PROTOCOL, params: {...}}");
  m.allow_only(kKeys, "protocol key");
  const Value name_value = m.require("name");
  const std::string name = yaml_util::read_string(name_value, "a protocol name");
  const ProtocolSpec* spec = l.catalog.protocol(name);
  if (spec == nullptr) {
    std::vector<std::string_view> known;
    for (const ProtocolSpec& p : l.catalog.protocols()) known.push_back(p.name);
    name_value.fail("unknown protocol '" + name + "'" + yaml_util::hint(name, known));
  }
  assert(!spec->roles.empty() && "a protocol declares at least one role");
  l.out.protocol = name;
  l.out.protocol_spec = spec;
  l.out.vocabulary = l.catalog.vocabulary();
  l.out.claims = l.catalog.claims_of(*spec);
  l.base_params = yaml_util::defaults_of(spec->params, l.protocol_owner());
  if (auto p = m.get("params")) {
    yaml_util::override_params(l.base_params, *p, spec->params, "param", l.protocol_owner());
    record_params(*p, l);
  }
  l.out.protocol_pos = v.pos();
}

// Clock defaults before `clocks:` is read: no drift, no offset, draws kept in range.
ClockSpec default_clock() {
  ClockSpec clock;
  clock.drift_ppm.min = yaml_util::kPpmAmount.lo;
  clock.drift_ppm.max = yaml_util::kPpmAmount.hi;
  clock.offset_ns.min = 0;
  return clock;
}

// `{drift_ppm: DIST, offset: DIST}` over `base`, key by key.
ClockSpec read_clock(const Value& v, ClockSpec base) {
  static constexpr auto kKeys = keys::names_of(keys::kClock);
  const Mapping m(v, "a clock {drift_ppm: ..., offset: ...}");
  m.allow_only(kKeys, "clock key");
  if (auto d = m.get("drift_ppm"))
    base.drift_ppm = yaml_util::read_distribution(*d, yaml_util::kPpmAmount);
  if (auto o = m.get("offset"))
    base.offset_ns = yaml_util::read_distribution(*o, yaml_util::kDurationAmount);
  return base;
}

// The role claims a protocol declares: the role targets faults may name.
std::vector<std::string_view> claim_roles(const ProtocolSpec& spec) {
  std::vector<std::string_view> out;
  for (const ClaimSpec& c : spec.claims) out.push_back(c.role);
  return out;
}

// `{write_latency: DIST, fsync_latency: DIST, on_crash: keep|lose_unsynced, torn_append: BOOL}`
// over `base`, key by key. Absent, a host's writes are durable at once (the default model).
StorageSpec read_storage(const Value& v, StorageSpec base) {
  static constexpr auto kKeys = keys::names_of(keys::kStorage);
  const Mapping m(v, "a storage model {write_latency: ..., fsync_latency: ..., on_crash: ...}");
  m.allow_only(kKeys, "storage key");
  if (auto x = m.get("write_latency")) {
    base.write_latency_ns = yaml_util::read_distribution(*x, yaml_util::kDurationAmount);
  }
  if (auto x = m.get("fsync_latency")) {
    base.fsync_latency_ns = yaml_util::read_distribution(*x, yaml_util::kDurationAmount);
  }
  if (auto x = m.get("on_crash")) {
    base.on_crash = yaml_util::read_choice(*x, "keep|lose_unsynced") == "keep"
                        ? StorageSpec::OnCrash::keep
                        : StorageSpec::OnCrash::lose_unsynced;
  }
  if (auto x = m.get("torn_append")) base.torn_append = yaml_util::read_bool(*x);
  if (base.torn_append && base.on_crash == StorageSpec::OnCrash::keep) {
    m.get("torn_append")
        .value_or(v)
        .fail(
            "torn_append needs on_crash: lose_unsynced (a crash that keeps every write tears "
            "none)");
  }
  return base;
}

void check_node_id(const Value& v, const std::string& id, const Loader& l) {
  if (id.empty()) v.fail("a node id must not be empty");
  // Ids appear on every trace line, whose length `check` bounds.
  if (id.size() > kMaxIdBytes) {
    v.fail("a node id is at most " + std::to_string(kMaxIdBytes) + " characters, got " +
           std::to_string(id.size()));
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) v.fail("node ids use only letters, digits, '_', '.' and '-', got '" + id + "'");
  }
  if (auto it = l.ids.find(id); it != l.ids.end()) {
    v.fail("duplicate node id '" + id + "' (first declared at line " +
           std::to_string(l.node_pos[it->second].line) + ")");
  }
  const std::vector<std::string_view> targets = claim_roles(l.protocol());
  if (std::find(targets.begin(), targets.end(), id) != targets.end()) {
    v.fail("node id '" + id + "' is also a fault target of " + l.protocol_owner() +
           "; pick another id");
  }
}

std::string read_role(const Value& v, const ProtocolSpec& spec) {
  const std::string role = yaml_util::read_string(v, "a role name");
  std::vector<std::string_view> known;
  for (const RoleSpec& r : spec.roles) known.push_back(r.name);
  if (std::find(known.begin(), known.end(), role) != known.end()) return role;
  v.fail("unknown role '" + role + "' for protocol " + std::string(spec.name) +
         yaml_util::hint(role, known));
}

void add_node(Loader& l, NodeSpec node, SourcePos pos) {
  assert(l.out.nodes.size() < kMaxNodes);
  const NodeIndex index = static_cast<NodeIndex>(l.out.nodes.size());
  [[maybe_unused]] const bool inserted = l.ids.emplace(node.id, index).second;
  assert(inserted && "node ids are checked for duplicates before they are added");
  l.node_pos.push_back(pos);
  l.out.nodes.push_back(std::move(node));
}

void read_node(const Value& v, Loader& l) {
  static constexpr auto kKeys = keys::names_of(keys::kNode);
  const Mapping m(v, "a node {id: ID, role: ROLE, clock: {...}, storage: {...}, params: {...}}");
  m.allow_only(kKeys, "node key");
  const Value id_value = m.require("id");
  NodeSpec node{yaml_util::read_string(id_value, "a node id"),
                std::string(l.protocol().roles.front().name), l.clocks, l.base_params, l.storage};
  check_node_id(id_value, node.id, l);
  if (auto r = m.get("role")) node.role = read_role(*r, l.protocol());
  if (auto c = m.get("clock")) {
    node.clock = read_clock(*c, l.clocks);
    hint_small_drift(*c, l);
  }
  if (auto s = m.get("storage")) node.storage = read_storage(*s, l.storage);
  if (auto p = m.get("params")) {
    yaml_util::override_params(node.params, *p, l.protocol().params, "param", l.protocol_owner());
    record_params(*p, l);
  }
  add_node(l, std::move(node), v.pos());
}

// `nodes: N` gives n1..nN in the protocol's first role.
void read_node_count(const Value& v, Loader& l) {
  const std::string& text = v.scalar("a node count or a list of nodes");
  const std::optional<int64_t> count = yaml_util::parse_integer(text);
  if (!count)
    v.fail("expected a node count (1.." + std::to_string(kMaxNodes) + ") or a list of nodes, got " +
           v.describe());
  if (*count < 1) v.fail("a scenario needs at least 1 node, got " + text);
  if (*count > static_cast<int64_t>(kMaxNodes)) {
    v.fail("too many nodes: " + text + " (the limit is " + std::to_string(kMaxNodes) + ")");
  }
  for (int64_t i = 1; i <= *count; ++i) {
    // Appended rather than `"n" + std::to_string(i)`, which trips GCC 12's -Wrestrict at -O3.
    std::string id = "n";
    id.append(std::to_string(i));
    NodeSpec node{std::move(id), std::string(l.protocol().roles.front().name), l.clocks,
                  l.base_params, l.storage};
    assert(l.ids.find(node.id) == l.ids.end());
    add_node(l, std::move(node), v.pos());
  }
}

void read_nodes(const Value& v, Loader& l) {
  l.out.nodes_pos = v.pos();
  if (!v.is_list()) {
    read_node_count(v, l);
    return;
  }
  const std::vector<Value> items = v.list("a list of nodes", kMaxNodes);
  if (items.empty()) v.fail("a scenario needs at least 1 node");
  for (const Value& item : items) read_node(item, l);
}

}  // namespace

// ---- References to nodes ---------------------------------------------------------------------

std::vector<std::string_view> node_ids(const Loader& l) {
  std::vector<std::string_view> ids;
  for (const NodeSpec& n : l.out.nodes) ids.push_back(n.id);
  return ids;
}

NodeIndex resolve_node(const Value& v, const Loader& l) {
  const std::string& id = v.scalar("a node id");
  if (auto it = l.ids.find(id); it != l.ids.end()) return it->second;
  v.fail("unknown node '" + id + "'" + yaml_util::hint(id, node_ids(l)));
}

Target resolve_target(const Value& v, const Loader& l) {
  const std::string& name = v.scalar("a node id or a role target");
  if (auto it = l.ids.find(name); it != l.ids.end()) return Target{it->second, ""};
  const std::vector<std::string_view> roles = claim_roles(l.protocol());
  if (std::find(roles.begin(), roles.end(), name) != roles.end()) return Target{kNoNode, name};
  std::vector<std::string_view> known = node_ids(l);
  known.insert(known.end(), roles.begin(), roles.end());
  v.fail("unknown node or role target '" + name + "'" + yaml_util::hint(name, known));
}

namespace {

// ---- Network ---------------------------------------------------------------------------------

Ordering read_ordering(const Value& v) {
  return yaml_util::read_choice(v, "any|fifo") == "fifo" ? Ordering::fifo : Ordering::any;
}

LinkSpec read_link(const Value& v, const Loader& l) {
  static constexpr auto kKeys = keys::names_of(keys::kLink);
  const Mapping m(v, "a link {from: ID, to: ID, ...}");
  m.allow_only(kKeys, "link key");
  const Value to = m.require("to");
  LinkSpec link{resolve_node(m.require("from"), l), resolve_node(to, l), {}, {}, {}, {}};
  if (link.from == link.to) to.fail("a link joins two different nodes; both ends are the same");
  if (auto x = m.get("latency"))
    link.latency_ns = yaml_util::read_distribution(*x, yaml_util::kDurationAmount);
  if (auto x = m.get("loss")) link.loss = yaml_util::read_probability(*x);
  if (auto x = m.get("duplicate")) link.duplicate = yaml_util::read_probability(*x);
  if (auto x = m.get("ordering")) link.ordering = read_ordering(*x);
  return link;
}

// Defaults: latency 1ms, no loss, no duplication, any order.
NetworkSpec default_network() {
  NetworkSpec net;
  net.latency_ns.min = 0;
  return net;
}

NetworkSpec read_network(const Value& v, const Loader& l) {
  static constexpr auto kKeys = keys::names_of(keys::kNetwork);
  const Mapping m(v, "a network mapping {latency: ..., loss: ..., links: [...]}");
  m.allow_only(kKeys, "network key");
  NetworkSpec net = default_network();
  if (auto x = m.get("latency"))
    net.latency_ns = yaml_util::read_distribution(*x, yaml_util::kDurationAmount);
  if (auto x = m.get("loss")) net.loss = yaml_util::read_probability(*x);
  if (auto x = m.get("duplicate")) net.duplicate = yaml_util::read_probability(*x);
  if (auto x = m.get("ordering")) net.ordering = read_ordering(*x);
  if (auto x = m.get("links")) {
    std::vector<SourcePos> seen;
    for (const Value& item : x->list("a list of links", kMaxLinks)) {
      LinkSpec link = read_link(item, l);
      for (size_t i = 0; i < net.links.size(); ++i) {
        if (net.links[i].from != link.from || net.links[i].to != link.to) continue;
        item.fail("duplicate link " + l.out.nodes[link.from].id + " -> " + l.out.nodes[link.to].id +
                  " (first at line " + std::to_string(seen[i].line) + ")");
      }
      seen.push_back(item.pos());
      net.links.push_back(std::move(link));
    }
  }
  return net;
}

// ---- Checkers and expectations ---------------------------------------------------------------

CheckerConfig read_checker(const Value& item, const Loader& l) {
  Value name_value = item;
  std::optional<Value> params;
  if (item.is_map()) {
    const Mapping m(item, "a checker");
    if (m.entries().size() != 1) {
      item.fail("a checker is a name, or {name: {param: value}} with exactly one name");
    }
    name_value = m.entries().front().key;
    params = m.entries().front().value;
  }
  const std::string name = yaml_util::read_string(name_value, "a checker name");
  const CheckerSpec* spec = l.catalog.checker(name);
  if (spec == nullptr) {
    std::vector<std::string_view> known;
    for (const CheckerSpec& c : l.catalog.checkers()) known.push_back(c.name);
    name_value.fail("unknown checker '" + name + "'" + yaml_util::hint(name, known));
  }
  const std::string owner = "checker " + name;
  CheckerConfig config{name, yaml_util::defaults_of(spec->params, owner)};
  if (params) yaml_util::override_params(config.params, *params, spec->params, "param", owner);
  return config;
}

// The latest instant a fault can still change the run: a fault's latest `at`, plus its length
// when it heals, restarts or resumes (a clock step has none); a nemesis's faults start before
// `until` and last up to its length's upper hint. Faults that never fire do not count.
Instant latest_fault_end(const Scenario& s) {
  Instant latest{0};
  for (const FaultSpec& f : s.faults) {
    if (Duration{f.at_min.ns} >= s.duration || f.on.has_value()) continue;  // triggers: unknown
    Instant end = f.at_max;
    if (f.length_ns.has_value() && f.type != FaultType::clock_step) {
      end += Duration{static_cast<int64_t>(std::max(0.0, f.length_ns->upper_hint()))};
    }
    latest = std::max(latest, end);
  }
  for (const NemesisSpec& n : s.nemeses) {
    if (Duration{n.from.ns} >= s.duration) continue;
    Instant end = std::min(n.until, Instant{s.duration.ns});
    const bool lasts = std::any_of(n.kinds.begin(), n.kinds.end(),
                                   [](FaultType t) { return t != FaultType::clock_step; });
    if (lasts) end += Duration{static_cast<int64_t>(std::max(0.0, n.length_ns.upper_hint()))};
    latest = std::max(latest, end);
  }
  return latest;
}

// A checker that judges only the time after the last fault: with less than 2 x within left it is
// mostly inconclusive, or judges a stretch too short to mean much.
void warn_short_window(const Value& item, const CheckerConfig& config, Loader& l) {
  const CheckerSpec* spec = l.catalog.checker(config.name);
  assert(spec != nullptr);
  if (!spec->judges_after_faults || !config.params.has("within")) return;
  const Duration within = config.params.duration("within");
  const Instant last = latest_fault_end(l.out);
  const Duration left = Duration{l.out.duration.ns} - Duration{last.ns};
  if (left >= within * 2) return;
  const std::string run = format_duration(l.out.duration);
  const std::string what =
      last == Instant{0}
          ? "the run has no faults and lasts " + run
          : "the faults can last until " + format_duration(Duration{last.ns}) + ", which leaves " +
                (left.ns > 0 ? format_duration(left) : std::string("nothing")) + " of the " + run +
                " run";
  l.out.warnings.push_back(item.path() + " (line " + std::to_string(item.pos().line) +
                           "): " + what + ", less than 2 x within (" + format_duration(within * 2) +
                           "): " + config.name +
                           " judges only the time after the last fault, so "
                           "make duration at least " +
                           format_duration(Duration{last.ns} + within * 2));
}

void read_checkers(const Value& v, Loader& l) {
  std::vector<SourcePos> seen;
  for (const Value& item : v.list("a list of checkers", kMaxCheckers)) {
    CheckerConfig config = read_checker(item, l);
    for (size_t i = 0; i < l.out.checkers.size(); ++i) {
      if (l.out.checkers[i].name != config.name) continue;
      item.fail("checker '" + config.name + "' is listed twice (first at line " +
                std::to_string(seen[i].line) + ")");
    }
    seen.push_back(item.pos());
    warn_short_window(item, config, l);
    warn_unrelated_checker(item, config, l);
    l.out.checkers.push_back(std::move(config));
  }
}

// holds | violated | inconclusive | any (any: the verdict is reported, not judged).
Expected read_expected(const Value& v) {
  static constexpr auto& kWords = keys::kExpectations;
  const std::string& word = v.scalar("holds, violated, inconclusive or any");
  if (word == "any") return std::nullopt;
  if (auto verdict = verdict_from_name(word)) return *verdict;
  v.fail("expected holds, violated, inconclusive or any, got " + v.describe() +
         yaml_util::hint(word, kWords));
}

void read_expect(const Value& v, Loader& l) {
  const Mapping m(v, "a mapping checker: holds | violated | inconclusive | any");
  std::vector<std::string_view> configured;
  for (const CheckerConfig& c : l.out.checkers) configured.push_back(c.name);
  for (const Entry& e : m.entries()) {
    const std::string& name = e.key.node().Scalar();
    if (std::find(configured.begin(), configured.end(), name) == configured.end()) {
      if (l.catalog.checker(name) != nullptr) {
        e.key.fail("checker '" + name +
                   "' is not configured; add it under 'checkers:' or drop this expectation");
      }
      e.key.fail("unknown checker '" + name + "'" + yaml_util::hint(name, configured));
    }
    l.out.expect.push_back(Expectation{name, read_expected(e.value)});
  }
}

// ---- Swarm ranges and artifact provenance ------------------------------------------------------

std::pair<double, double> read_pair(const Value& v, std::string_view what,
                                    const std::function<double(const Value&)>& read_one) {
  const std::vector<Value> items = v.list("a range [low, high]", 2);
  if (items.size() != 2) v.fail("expected a range [low, high] of " + std::string(what));
  const double low = read_one(items[0]);
  const double high = read_one(items[1]);
  if (low > high) v.fail("the range is reversed: low must not exceed high");
  return {low, high};
}

void read_swarm(const Value& v, Loader& l) {
  static constexpr auto kKeys = keys::names_of(keys::kSwarm);
  const Mapping m(v,
                  "a mapping {kinds: [...], every: [a, b], loss: [p, q], latency: [a, b], "
                  "drift_ppm: [a, b], shift: [a, b]}");
  m.allow_only(kKeys, "swarm key");
  SwarmSpec& sw = l.out.swarm;
  sw.declared = true;
  sw.pos = v.pos();
  if (auto x = m.get("kinds")) sw.kinds = read_nemesis_kinds(*x);
  if (auto x = m.get("every")) {
    const auto [lo, hi] = read_pair(*x, "durations", [](const Value& item) {
      return static_cast<double>(yaml_util::read_duration(item).ns);
    });
    if (lo <= 0) x->fail("the gap between nemesis faults must be positive");
    sw.every = {Duration{static_cast<int64_t>(lo)}, Duration{static_cast<int64_t>(hi)}};
  }
  if (auto x = m.get("loss")) {
    sw.loss = read_pair(*x, "probabilities",
                        [](const Value& item) { return yaml_util::read_probability(item); });
  }
  const auto durations = [](const Value& x, bool signed_ok) {
    const auto [lo, hi] = read_pair(x, "durations", [&](const Value& item) {
      return static_cast<double>(yaml_util::read_duration(item, signed_ok
                                                                    ? yaml_util::Sign::any
                                                                    : yaml_util::Sign::non_negative)
                                     .ns);
    });
    return std::pair{Duration{static_cast<int64_t>(lo)}, Duration{static_cast<int64_t>(hi)}};
  };
  if (auto x = m.get("latency")) sw.latency = durations(*x, false);
  if (auto x = m.get("shift")) sw.shift = durations(*x, true);
  if (auto x = m.get("drift_ppm")) {
    sw.drift_ppm = read_pair(*x, "ppm values", [](const Value& item) {
      return yaml_util::read_amount(item, yaml_util::kPpmAmount);
    });
  }
  if ((sw.kinds.size() > 0 || sw.every.has_value()) && l.out.nemeses.empty()) {
    v.fail("swarm 'kinds' and 'every' vary the nemesis, but 'faults:' has no nemesis entry");
  }
}

}  // namespace
}  // namespace lockstep::sim::loader

namespace lockstep::sim {

using namespace loader;

Scenario load_scenario_text(const std::string& text, const std::string& file,
                            const Catalog& catalog, const std::vector<Override>& overrides) {
  YAML::Node root = parse_document(text, file);
  apply_overrides(root, overrides, file);
  const Mapping top(Value(file, root, "", yaml_util::position_of(root, {1, 1})), "a mapping");
  top.allow_only(kTopKeys, "top-level key");
  Scenario s;
  s.file = file;
  Loader l{catalog, s, {}, default_clock(), {}, {}, {}};
  read_header(top, s);
  read_protocol(top.require("protocol"), l);
  if (auto v = top.get("clocks")) {
    l.clocks = read_clock(*v, l.clocks);
    hint_small_drift(*v, l);
  }
  if (auto v = top.get("storage")) l.storage = read_storage(*v, l.storage);
  read_nodes(top.require("nodes"), l);
  s.network = default_network();
  if (auto v = top.get("network")) s.network = read_network(*v, l);
  s.workload = yaml_util::defaults_of(l.protocol().workload, "workload of " + s.protocol);
  if (auto v = top.get("workload")) {
    yaml_util::override_params(s.workload, *v, l.protocol().workload, "workload key",
                               l.protocol_owner());
  }
  if (auto v = top.get("faults")) {
    for (const Value& item : v->list("a list of faults", kMaxFaults)) read_fault(item, l);
  }
  if (auto v = top.get("checkers")) read_checkers(*v, l);
  if (auto v = top.get("expect")) read_expect(*v, l);
  if (auto v = top.get("swarm")) read_swarm(*v, l);
  if (auto v = top.get("artifact")) read_artifact(*v, l);
  if (auto v = top.get("sweep")) read_sweep(*v, l);
  assert(!s.nodes.empty());
  assert(s.protocol_spec != nullptr);
  return s;
}

Scenario load_scenario(const std::string& path, const Catalog& catalog) {
  const std::string text = read_regular_file(path, YamlLimits{}.max_bytes, "scenario file");
  return load_scenario_text(text, path, catalog);
}

}  // namespace lockstep::sim
