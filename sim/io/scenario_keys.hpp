// The scenario file's key tables: every mapping the loader reads, with the keys it allows and
// how each key's value is written. The loaders check files against these tables (unknown keys,
// did-you-mean hints) and `lockstep schema` writes them as docs/scenario.schema.json, so the
// schema and the loader cannot disagree about which keys exist (tests/tools/schema_test.cpp).
// The values themselves are still read and checked by the loaders; `form` is what the schema
// says about them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace lockstep::sim::keys {

enum class Form : uint8_t {
  text,                  // a string
  seed,                  // a non-negative integer
  nodes,                 // a node count, or a list of `node` sections
  duration,              // 500ms, 2s (never negative)
  signed_duration,       // -2s
  duration_or_range,     // 10s, or [5s, 15s] drawn per seed
  probability,           // 0..1
  number,                // 0.5
  integer,               // 3
  boolean,               // true | false
  hash,                  // 16 lowercase hex digits
  choice,                // one of the words in `detail`, split by '|'
  duration_dist,         // a duration distribution: 2s | {exponential: 2s} | {uniform: [1s, 4s]}
  signed_duration_dist,  // the same, negative values allowed
  ppm_dist,              // a distribution of ppm values
  node,                  // a node id
  target,                // a node id or a role claim of the protocol (holder, leader)
  targets,               // a list of `target`
  groups,                // [[n1], [n2, n3]]
  section,               // the mapping named by `detail`
  sections,              // a list of the mappings named by `detail`
  cuts,                  // a list of `cut` mappings or [a, b] pairs
  nemesis_kinds,         // a list of kNemesisKinds words
  params,                // the protocol's (or a checker's) params
  workload,              // the protocol's workload keys
  checkers,              // a list of checker names or {name: {param: value}}
  expect,                // checker: holds | violated | inconclusive | any
  faults,                // a list of `fault` mappings
  where,                 // field: value (the protocol's fields)
  kind,                  // an event kind (lock.acquired)
  sweep,                 // key path: [value, ...] (the `sweep:` section)
  message,               // one of the protocol's message names
  hashes,                // a list of `hash`
  duration_pair,         // [low, high] of durations
  signed_duration_pair,  // [low, high] of durations, negative allowed
  probability_pair,      // [low, high] of probabilities
  ppm_pair,              // [low, high] of ppm values
  amount,                // inside a distribution: a value of the distribution's own amount
};

struct Key {
  std::string_view name;
  Form form;
  std::string_view detail = {};  // the choices of a `choice`, the section of a `section(s)`
};

// The key names of a table, in its order: what Mapping::allow_only takes.
template <size_t N>
constexpr std::array<std::string_view, N> names_of(const Key (&table)[N]) {
  std::array<std::string_view, N> out{};
  for (size_t i = 0; i < N; ++i) out[i] = table[i].name;
  return out;
}

inline constexpr Key kTop[] = {
    {"name", Form::text},
    {"summary", Form::text},
    {"seed", Form::seed},
    {"duration", Form::duration},
    {"protocol", Form::section, "protocol"},
    {"nodes", Form::nodes},
    {"clocks", Form::section, "clock"},
    {"storage", Form::section, "storage"},
    {"network", Form::section, "network"},
    {"faults", Form::faults},
    {"workload", Form::workload},
    {"checkers", Form::checkers},
    {"expect", Form::expect},
    {"swarm", Form::section, "swarm"},
    {"artifact", Form::section, "artifact"},
    {"sweep", Form::sweep},
};
inline constexpr Key kProtocol[] = {{"name", Form::text}, {"params", Form::params}};
inline constexpr Key kClock[] = {{"drift_ppm", Form::ppm_dist}, {"offset", Form::duration_dist}};
inline constexpr Key kStorage[] = {{"write_latency", Form::duration_dist},
                                   {"fsync_latency", Form::duration_dist},
                                   {"on_crash", Form::choice, "keep|lose_unsynced"},
                                   {"torn_append", Form::boolean}};
inline constexpr Key kNode[] = {{"id", Form::text},
                                {"role", Form::text},
                                {"clock", Form::section, "clock"},
                                {"storage", Form::section, "storage"},
                                {"params", Form::params}};
inline constexpr Key kLink[] = {{"from", Form::node},
                                {"to", Form::node},
                                {"latency", Form::duration_dist},
                                {"loss", Form::probability},
                                {"duplicate", Form::probability},
                                {"ordering", Form::choice, "any|fifo"}};
inline constexpr Key kNetwork[] = {{"latency", Form::duration_dist},
                                   {"loss", Form::probability},
                                   {"duplicate", Form::probability},
                                   {"ordering", Form::choice, "any|fifo"},
                                   {"links", Form::sections, "link"}};
inline constexpr Key kSwarm[] = {
    {"kinds", Form::nemesis_kinds},   {"every", Form::duration_pair},
    {"loss", Form::probability_pair}, {"latency", Form::duration_pair},
    {"drift_ppm", Form::ppm_pair},    {"shift", Form::signed_duration_pair}};
inline constexpr Key kArtifact[] = {{"source", Form::text},
                                    {"violated", Form::text},
                                    {"trace_hash", Form::hash},
                                    {"hash_version", Form::integer},
                                    {"swarm", Form::text},
                                    {"checkpoints", Form::hashes},
                                    {"checkpoint_every", Form::integer},
                                    {"section_hashes", Form::section, "section_hashes"}};

// The sections of a written artifact that shape its run, each hashed into `section_hashes`.
inline constexpr Key kSectionHashes[] = {{"seed", Form::hash},     {"duration", Form::hash},
                                         {"protocol", Form::hash}, {"nodes", Form::hash},
                                         {"network", Form::hash},  {"workload", Form::hash},
                                         {"faults", Form::hash}};

// A fault entry: its timing, exactly one kind key, and the kind's extras (fault_loader.cpp's
// kind rules say which extras go with which kind).
inline constexpr Key kFault[] = {{"at", Form::duration_or_range},
                                 {"on", Form::section, "trigger"},
                                 {"after", Form::duration_dist},
                                 {"crash", Form::target},
                                 {"pause", Form::target},
                                 {"isolate", Form::target},
                                 {"clock_step", Form::target},
                                 {"clock_rate", Form::target},
                                 {"disk_stall", Form::target},
                                 {"disk_slow", Form::target},
                                 {"partition", Form::groups},
                                 {"partial_partition", Form::groups},
                                 {"cut", Form::cuts},
                                 {"link", Form::section, "link_change"},
                                 {"drop", Form::section, "drop"},
                                 {"nemesis", Form::section, "nemesis"},
                                 {"restart_after", Form::duration_dist},
                                 {"for", Form::duration_dist},
                                 {"heal_after", Form::duration_dist},
                                 {"by", Form::signed_duration_dist},
                                 {"to_ppm", Form::number},
                                 {"factor", Form::number}};
// The kind keys of kFault, in the loader's order.
inline constexpr std::string_view kFaultKinds[] = {
    "crash",      "pause",     "isolate",   "clock_step",        "clock_rate",
    "disk_stall", "disk_slow", "partition", "partial_partition", "cut",
    "link",       "drop",      "nemesis"};
// What the nemesis can inject; link_slow is a `link` fault that multiplies the latency.
inline constexpr std::string_view kNemesisKinds[] = {
    "partition",         "crash",      "pause",    "clock_step", "isolate", "cut",
    "partial_partition", "clock_rate", "link_slow"};
inline constexpr Key kNemesis[] = {
    {"kinds", Form::nemesis_kinds}, {"every", Form::duration_dist},
    {"from", Form::duration},       {"until", Form::duration},
    {"for", Form::duration_dist},   {"step", Form::signed_duration_dist},
    {"rate_ppm", Form::ppm_dist},   {"slow_factor", Form::number},
    {"targets", Form::targets}};
inline constexpr Key kCut[] = {{"from", Form::node}, {"to", Form::node}};
inline constexpr Key kLinkChange[] = {{"from", Form::node},
                                      {"to", Form::node},
                                      {"latency", Form::duration_dist},
                                      {"loss", Form::probability}};
inline constexpr Key kDrop[] = {
    {"message", Form::message}, {"from", Form::node}, {"to", Form::node}, {"nth", Form::integer}};
inline constexpr Key kTrigger[] = {
    {"kind", Form::kind}, {"node", Form::target}, {"nth", Form::integer}, {"where", Form::where}};

// Distributions (sim/io/yaml_util.hpp): a plain value, or a mapping with exactly one of these.
inline constexpr std::string_view kDistributions[] = {"uniform", "exponential", "normal",
                                                      "lognormal"};
inline constexpr Key kNormal[] = {{"mean", Form::amount}, {"stddev", Form::amount}};
inline constexpr Key kLognormal[] = {{"median", Form::amount}, {"sigma", Form::number}};

// An expectation for a checker.
inline constexpr std::string_view kExpectations[] = {"holds", "violated", "inconclusive", "any"};

// Every section by the name `section` keys use, with the keys it cannot do without.
struct Section {
  std::string_view name;
  std::span<const Key> keys;
  std::span<const std::string_view> required;
  std::string_view meaning;
};
inline constexpr std::string_view kTopRequired[] = {"protocol", "nodes"};
inline constexpr std::string_view kNameRequired[] = {"name"};
inline constexpr std::string_view kIdRequired[] = {"id"};
inline constexpr std::string_view kEndsRequired[] = {"from", "to"};
inline constexpr std::string_view kKindsRequired[] = {"kinds"};
inline constexpr std::string_view kMessageRequired[] = {"message"};
inline constexpr std::string_view kKindRequired[] = {"kind"};
inline constexpr Section kSections[] = {
    {"scenario", kTop, kTopRequired, "a lockstep scenario file (docs/scenario-format.md)"},
    {"protocol", kProtocol, kNameRequired, "the protocol and its params"},
    {"clock", kClock, {}, "a clock model"},
    {"storage", kStorage, {}, "a storage model"},
    {"node", kNode, kIdRequired, "one node"},
    {"link", kLink, kEndsRequired, "one directed link's own network"},
    {"network", kNetwork, {}, "the network"},
    {"swarm", kSwarm, {}, "ranges drawn per seed by explore --swarm"},
    {"artifact", kArtifact, {}, "provenance written by explore and shrink"},
    {"section_hashes", kSectionHashes, {}, "a hash of each section as written"},
    {"fault", kFault, {}, "one fault, or a nemesis"},
    {"nemesis", kNemesis, kKindsRequired, "random faults over a window"},
    {"cut", kCut, kEndsRequired, "one directed link to cut"},
    {"link_change", kLinkChange, kEndsRequired, "one directed link and what changes on it"},
    {"drop", kDrop, kMessageRequired, "a message to lose"},
    {"trigger", kTrigger, kKindRequired, "the event a fault waits for"},
};

}  // namespace lockstep::sim::keys
