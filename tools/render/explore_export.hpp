// An exploration's results for other tools: its aggregate metrics as OpenMetrics text
// (`explore --metrics out.prom`) and one CSV row per seed (`explore --csv out.csv`).
#pragma once

#include <string>

#include "tools/engine/explore.hpp"

namespace lockstep::tools {

// Quantiles of a summary family, across seeds.
inline constexpr double kSummaryQuantiles[] = {0.5, 0.9, 0.99};

// True for a per-run count that adds up across seeds (lock.acquisitions); false for a value that
// only has a distribution across seeds (a time, a ratio, a per-run max or percentile).
bool is_counter(std::string_view name, std::string_view unit);

// Every metric over every completed seed: counts as counters (`_total`, summed), the others as
// summaries (quantiles 0.5/0.9/0.99 by nearest rank, `_sum`, `_count`); plus seeds run, seeds
// failed and verdicts per checker. Labelled with the scenario; ends with `# EOF`.
std::string explore_openmetrics(const ExploreResult& result);

// A header, then one row per seed by seed: seed, expectations_met, violated (the first violated
// checker), a verdict column per checker, trace_hash, events, then every metric (a column named
// `name [unit]`). RFC 4180 quoting.
std::string explore_csv(const ExploreResult& result);

}  // namespace lockstep::tools
