// The scenario loader's parts, shared by its files (sim/io/scenario_loader.cpp reads the file
// and most sections, sim/io/fault_loader.cpp the faults). Private to sim/io.
#pragma once

#include <cassert>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/io/yaml_util.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/scenario.hpp"

namespace lockstep::sim::loader {

using yaml_util::Entry;
using yaml_util::Mapping;
using yaml_util::Value;

// Limits on everything a file can ask for, each with a clear error when exceeded.
inline constexpr size_t kMaxNodes = 10'000;
inline constexpr size_t kMaxFaults = 100'000;
inline constexpr size_t kMaxLinks = 1'000;
inline constexpr size_t kMaxCheckers = 1'000;
inline constexpr size_t kMaxNameBytes = 128;  // a scenario name
inline constexpr size_t kMaxIdBytes = 64;     // a node id

// What the sections of one file share while it is being read.
struct Loader {
  const Catalog& catalog;
  Scenario& out;
  Params base_params;   // the protocol's defaults, overridden by protocol.params
  ClockSpec clocks;     // the `clocks:` defaults every node starts from
  StorageSpec storage;  // the `storage:` defaults every node starts from
  std::map<std::string, NodeIndex, std::less<>> ids;
  std::vector<SourcePos> node_pos;  // where each node was declared, for duplicate errors

  const ProtocolSpec& protocol() const {
    assert(out.protocol_spec != nullptr);
    return *out.protocol_spec;
  }
  std::string protocol_owner() const { return "protocol " + out.protocol; }
};

// Node ids in declaration order, for did-you-mean.
std::vector<std::string_view> node_ids(const Loader& l);
NodeIndex resolve_node(const Value& v, const Loader& l);
// A node id, or a role target the protocol claims (resolved when the fault fires).
Target resolve_target(const Value& v, const Loader& l);

// One entry of `faults:` (a fault or a nemesis), appended to l.out.
void read_fault(const Value& v, Loader& l);
void read_artifact(const Value& v, Loader& l);  // artifact_loader.cpp
void read_sweep(const Value& v, Loader& l);     // sweep_loader.cpp
// Warnings (hints.cpp): the protocol observes none of the words the checker reads; a clock's
// drift_ppm is under 1 ppm (a rate written as a fraction?).
void warn_unrelated_checker(const Value& item, const CheckerConfig& config, Loader& l);
void hint_small_drift(const Value& clock, Loader& l);
// Sets each override's value at its key path in `root`, creating mappings on the way.
void apply_overrides(YAML::Node& root, const std::vector<Override>& overrides,
                     const std::string& file);
// A nemesis's `kinds:` list (also what `swarm: kinds:` takes).
std::vector<FaultType> read_nemesis_kinds(const Value& v);

}  // namespace lockstep::sim::loader
