// Exploring many seeds of one scenario: runs are independent, so worker threads run them in
// parallel, each run single-threaded and deterministic; results are kept by seed, so nothing
// about them depends on the number of workers. Sharded results merge into exactly what one
// unsharded exploration gives.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "tools/engine/runner.hpp"

namespace lockstep::tools {

// What makes a seed a failure: by default, that it did not meet the scenario's `expect:` (a
// scenario that expects a violation fails on the seeds where it held); `violation` keeps the
// older rule, any violated checker, whatever the scenario expects.
enum class Judge : uint8_t { expectation, violation };
std::string_view judge_name(Judge j);

struct ExploreOptions {
  uint64_t from = 1;         // the first seed
  uint64_t seeds = 100;      // how many seeds, before sharding
  unsigned jobs = 1;         // worker threads
  uint64_t shard_index = 0;  // this shard, 0-based
  uint64_t shard_count = 1;  // seeds are dealt round-robin to shards
  bool swarm = false;
  bool stop_on_failure = false;
  Judge judge = Judge::expectation;
  const std::atomic<bool>* interrupted = nullptr;  // set from a signal handler
  // Called from the calling thread about ten times a second while workers run.
  std::function<void(uint64_t done, uint64_t total, uint64_t failures)> on_progress;
};

// Metric names and units: the same for every seed of one scenario, so the seeds of an
// exploration share one table and keep only their values (200,000 seeds fit in memory).
using MetricNames = std::shared_ptr<const std::vector<std::pair<std::string, std::string>>>;

struct SeedResult {
  uint64_t seed = 0;
  std::vector<std::pair<std::string, sim::Verdict>> verdicts;  // in checker order
  MetricNames metric_names;                                    // (name, unit), shared
  std::vector<double> metric_values;                           // parallel to *metric_names

  // Stores `metrics`, reusing `cache` when its names and units are the same (else updating it).
  void set_metrics(const std::vector<checkers::Metric>& metrics, MetricNames& cache);
  std::vector<checkers::Metric> metrics() const;
  uint64_t hash = 0;
  uint64_t events = 0;
  bool expectations_met = true;
  std::string swarm;     // what --swarm drew
  std::string violated;  // the first violated checker, if any

  bool failed(Judge judge) const {
    return judge == Judge::violation ? !violated.empty() : !expectations_met;
  }
};

struct ExploreResult {
  std::string scenario;
  std::string file;
  uint64_t from = 1;
  uint64_t seeds = 0;  // requested, before sharding
  bool swarm = false;
  Judge judge = Judge::expectation;
  std::vector<SeedResult> runs;  // by seed
  bool interrupted = false;
  double wall_seconds = 0;  // not part of the JSON: it would differ between shards

  uint64_t failures() const;
  std::vector<uint64_t> failing_seeds() const;
};

// The seeds shard `index` of `count` runs, in order.
std::vector<uint64_t> shard_seeds(uint64_t from, uint64_t seeds, uint64_t index, uint64_t count);

// Throws sim::InputError when the scenario cannot run.
ExploreResult explore(const sim::Scenario& scenario, const ExploreOptions& options);

}  // namespace lockstep::tools
