// Writes a scenario back as YAML (contract v1) with every random choice of one seed resolved:
// concrete fault times and targets (the nemesis expanded), concrete clocks, no swarm ranges.
// Loading the text and running it with the same seed reproduces the run, event for event; this
// is what failure artifacts are made of.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/plan.hpp"
#include "sim/scenario/scenario.hpp"

namespace lockstep::sim {

std::string write_resolved_scenario(const Scenario& scenario, const Plan& plan, uint64_t seed,
                                    const ArtifactInfo& artifact);

// Hashes of the top-level sections of `text` (as write_resolved_scenario writes it) that shape
// a run, in the order of keys::kSectionHashes; a section the text lacks is left out.
std::vector<std::pair<std::string, std::string>> run_section_hashes(const std::string& text);

// A param value as a scenario writes it: "10s", "true", "[150ms, 300ms]", "{exponential: 2s}".
std::string param_yaml(const ParamValue& value);
std::string distribution_yaml(const Distribution& d, bool duration);

// Writes `text` to `path` through a temporary file renamed into place. False on any failure,
// leaving no file behind.

}  // namespace lockstep::sim
