// Explore results as data: the JSON form (deterministic, so merged shards and an unsharded run
// give the same document), merging shards, and the human summary.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "tools/engine/explore.hpp"

namespace lockstep::tools {

// The JSON form: deterministic (sorted keys, runs by seed, no timings). `summary` is derived
// from `runs`, so merged shards and an unsharded run give the same document.
nlohmann::json explore_json(const ExploreResult& result);
// The same document, streamed to `write` a run at a time (exactly explore_json(result).dump(2)
// and a newline), so a large exploration never holds its whole JSON in memory.
void write_explore_json(const ExploreResult& result,
                        const std::function<void(std::string_view)>& write);
// Parses explore_json output; throws sim::InputError naming `file` on anything else.
ExploreResult explore_from_json(const nlohmann::json& j, const std::string& file);
// Combines shards of one exploration; throws sim::InputError when they do not belong together.
ExploreResult merge_explorations(const std::vector<ExploreResult>& parts,
                                 const std::vector<std::string>& files);

// The human summary: per checker holds/violated/inconclusive and the first failing seeds; per
// metric p50/p90/p99/max across seeds.
std::string explore_summary(const ExploreResult& result);

}  // namespace lockstep::tools
