// A validated, typed scenario (contract v1, DESIGN.md §5) as the loader produces it. Values that
// are random per seed (fault times given as [a, b], clock distributions, the nemesis) stay
// unresolved here; sim/plan.hpp resolves them for one seed before the run starts.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/distribution.hpp"
#include "sim/core/event.hpp"
#include "sim/core/fault.hpp"
#include "sim/core/network.hpp"
#include "sim/core/params.hpp"
#include "sim/core/time.hpp"
#include "sim/core/world.hpp"
#include "sim/scenario/catalog.hpp"

namespace lockstep::sim {

enum class Verdict : uint8_t { holds, violated, inconclusive };
std::string_view verdict_name(Verdict v);
std::optional<Verdict> verdict_from_name(std::string_view name);

// What a scenario expects of a checker: one verdict, or any (nullopt: "don't care", the checker
// runs and is reported but its verdict meets the expectation whatever it is).
using Expected = std::optional<Verdict>;
std::string_view expected_name(const Expected& e);  // holds | violated | inconclusive | any
inline bool expectation_met(const Expected& e, Verdict actual) { return !e || *e == actual; }

// A user-caused problem with an input file: where it is and which key.
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, int line, int column, std::string key_path, std::string what);
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& detail() const { return detail_; }

 private:
  std::string file_;
  int line_;
  int column_;
  std::string key_path_;
  std::string detail_;
};

struct SourcePos {
  int line = 0;    // 1-based; 0 when not from a file
  int column = 0;  // 1-based
};

struct ClockSpec {
  Distribution drift_ppm = Distribution::constant_of(0);  // parts per million
  Distribution offset_ns = Distribution::constant_of(0);  // initial wall-clock offset
};

struct NodeSpec {
  std::string id;
  std::string role;
  ClockSpec clock;
  Params params;        // the protocol's defaults, then the scenario's params, then this node's
  StorageSpec storage;  // the scenario's `storage:` defaults, then this node's
};

// A trigger as the file gives it; its `after` may be a distribution, drawn per seed.
struct TriggerSpec {
  Trigger trigger;  // trigger.after unused
  Distribution after_ns = Distribution::constant_of(0);
};

struct FaultSpec {
  FaultType type;
  Instant at_min;  // `at: 12s` gives at_min == at_max; `at: [a, b]` is drawn per seed
  Instant at_max;
  Target target;  // crash, pause, isolate, clock_step, clock_rate, disk_stall, disk_slow
  std::optional<Distribution> length_ns;               // restart_after / for / heal_after
  std::vector<std::vector<NodeIndex>> groups;          // partition, partial_partition
  std::vector<std::pair<NodeIndex, NodeIndex>> links;  // cut (directed), link (one)
  Distribution by_ns = Distribution::constant_of(0);   // clock_step
  int64_t to_ppb = 0;                                  // clock_rate
  double factor = 1;                                   // disk_slow
  LinkChange change;                                   // link
  DropRule drop;                                       // drop
  std::optional<TriggerSpec> on;                       // instead of `at`
  SourcePos pos;
};

// Random faults, resolved into concrete FaultSpecs per seed.
struct NemesisSpec {
  std::vector<FaultType> kinds;
  Distribution every_ns;  // gap between two faults
  Instant from;
  Instant until;
  Distribution length_ns;       // how long each fault lasts
  Distribution step_ns;         // clock_step size
  Distribution rate_ppm;        // clock_rate: the new drift, parts per million
  double slow_factor = 10;      // link_slow: latency multiplied by this
  std::vector<Target> targets;  // nodes or role claims; empty: every node
  SourcePos pos;
};

// Swarm testing (Groce et al. 2012): ranges from which `explore --swarm` draws, per seed, which
// nemesis fault kinds are enabled and how often faults come, the network's loss and latency,
// the nodes' drift, and a shift of every fixed fault's window.
struct SwarmSpec {
  bool declared = false;
  std::vector<FaultType> kinds;  // each enabled with probability 1/2 per seed (at least one)
  std::optional<std::pair<Duration, Duration>> every;    // mean gap between nemesis faults
  std::optional<std::pair<double, double>> loss;         // network loss probability
  std::optional<std::pair<Duration, Duration>> latency;  // mean latency m: uniform[m/2, 3m/2]
  std::optional<std::pair<double, double>> drift_ppm;    // each node's drift, uniform in it
  std::optional<std::pair<Duration, Duration>> shift;    // added to every fixed fault's `at`
  SourcePos pos;
};

// Present in a failure artifact written by `explore`/`shrink`: where it came from and the trace
// it must reproduce. Running an artifact needs none of this; `replay` checks it.
struct ArtifactInfo {
  bool present = false;
  std::string source;                    // the scenario file explored
  std::string violated;                  // the checker that was violated
  std::string trace_hash;                // 16 hex digits
  int hash_version = 2;                  // absent in artifacts written before version 3
  std::string swarm;                     // the swarm choices drawn for this seed, if any
  uint64_t checkpoint_every = 0;         // events between two running-hash checkpoints
  std::vector<std::string> checkpoints;  // running trace hash after every checkpoint_every events
  // Per section that shapes the run (keys::kSectionHashes), a hash of its text as written, so a replay
  // that does not reproduce can say which section was edited since. Empty in older artifacts.
  std::vector<std::pair<std::string, std::string>> section_hashes;
  SourcePos pos;
};

// One axis of a sweep (`explore --sweep KEY=V1,V2` or the file's `sweep:` section): the dotted
// key path it sets (protocol.params.lease; a number indexes a list: faults.0.for) and the values
// it takes, each as YAML text. The scenario as loaded is the base; explore runs each point.
struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
  SourcePos pos;                     // the key's position (0: from the command line)
  std::vector<SourcePos> value_pos;  // each value's, parallel to values
};

// A value put at a key path before the file is read (one point of a sweep).
struct Override {
  std::string key;
  std::string value;  // YAML text
};

struct CheckerConfig {
  std::string name;
  Params params;
};

struct Expectation {
  std::string checker;
  Expected verdict;
};

struct Scenario {
  std::string file;  // as given on the command line
  std::string name;
  std::string summary;
  uint64_t seed = 1;
  Duration duration = Duration::seconds(60);
  std::string protocol;
  const ProtocolSpec* protocol_spec = nullptr;  // points into the Catalog used to load
  std::shared_ptr<const Vocabulary> vocabulary = Vocabulary::kernel();  // the catalog's
  std::vector<RoleClaim> claims;  // the protocol's role claims, resolved in that vocabulary
  std::vector<NodeSpec> nodes;
  NetworkSpec network;
  std::vector<FaultSpec> faults;
  std::vector<NemesisSpec> nemeses;
  Params workload;
  std::vector<CheckerConfig> checkers;
  std::vector<Expectation> expect;
  SwarmSpec swarm;
  ArtifactInfo artifact;
  std::vector<SweepAxis> sweep;       // the file's `sweep:` section, in file order
  std::vector<std::string> warnings;  // non-fatal: printed by the CLI
  // Where the file set what protocols check only when a run starts, so that a protocol's refusal
  // (std::invalid_argument naming `param 'x'`) is reported at the key that is wrong: each param
  // where it was first given (protocol.params, then nodes[i].params), and the two sections.
  std::vector<std::pair<std::string, SourcePos>> param_pos;
  SourcePos protocol_pos;
  SourcePos nodes_pos;
};

// The position and key path to blame for a protocol's refusal `what` (see Scenario::param_pos):
// the param it names, else `nodes:` for role and node-count problems, else `protocol:`.
std::pair<SourcePos, std::string> blame_protocol_error(const Scenario& s, std::string_view what);

// Loads and validates one scenario file. Throws InputError naming file:line:col and the key.
Scenario load_scenario(const std::string& path, const Catalog& catalog);
// The same from text (for tests); `file` is used in error messages. `overrides` set values at
// key paths first, as if the file said so (sim/io/sweep_loader.cpp).
Scenario load_scenario_text(const std::string& text, const std::string& file,
                            const Catalog& catalog, const std::vector<Override>& overrides = {});

}  // namespace lockstep::sim
