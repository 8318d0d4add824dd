// Failure artifacts: a failing seed written as a self-contained scenario file (every random
// choice resolved, the seed, the violated checker, the expected trace hash and running-hash
// checkpoints), and replaying one to prove it still reproduces, event for event.
#pragma once

#include <cstdint>
#include <string>

#include "sim/scenario/scenario.hpp"
#include "tools/engine/runner.hpp"

namespace lockstep::tools {

// Events between two checkpoints start here and double until there are at most this many.
inline constexpr uint64_t kCheckpointEvery = 64;
inline constexpr size_t kMaxCheckpoints = 2048;

struct Artifact {
  std::string text;  // the YAML
  RunReport report;  // the run it records
};

// Runs `scenario` with `seed` (drawing its swarm ranges when `swarm`) and renders the artifact.
// The artifact's expect: is what this run gave, so running the artifact meets it. `violated`
// names the checker it records (shrink's target); empty: the first violated.
Artifact make_artifact(const sim::Scenario& scenario, uint64_t seed, bool swarm,
                       const std::string& violated = "");

// "lease-lock/pause" seed 7 -> "lease-lock-pause-seed7.yaml".
std::string artifact_file_name(const std::string& scenario_name, uint64_t seed);

struct ReplayOutcome {
  bool reproduced = false;
  std::string expected_hash;
  std::string actual_hash;
  std::string divergence;  // where the traces part, when not reproduced
  RunReport report;
};

// Throws sim::InputError when `scenario` is not an artifact (no `artifact:` with a trace hash).
ReplayOutcome replay_artifact(const sim::Scenario& scenario);

}  // namespace lockstep::tools
