#include "tools/engine/explore.hpp"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "sim/core/trace.hpp"

namespace lockstep::tools {
namespace {

SeedResult summarize(const RunReport& r, MetricNames& cache) {
  SeedResult s;
  s.seed = r.seed;
  for (const checkers::CheckResult& c : r.results) s.verdicts.push_back({c.checker, c.verdict});
  s.set_metrics(r.metrics, cache);
  s.hash = r.hash;
  s.events = r.events;
  s.expectations_met = r.all_met();
  s.swarm = r.swarm_choices;
  s.violated = first_violated(r);
  return s;
}

}  // namespace

std::string_view judge_name(Judge j) { return j == Judge::violation ? "violation" : "expectation"; }

void SeedResult::set_metrics(const std::vector<checkers::Metric>& metrics, MetricNames& cache) {
  const auto same = [&] {
    if (!cache || cache->size() != metrics.size()) return false;
    for (size_t i = 0; i < metrics.size(); ++i) {
      if ((*cache)[i].first != metrics[i].name || (*cache)[i].second != metrics[i].unit) {
        return false;
      }
    }
    return true;
  };
  if (!same()) {
    auto names = std::make_shared<std::vector<std::pair<std::string, std::string>>>();
    for (const checkers::Metric& m : metrics) names->emplace_back(m.name, m.unit);
    cache = std::move(names);
  }
  metric_names = cache;
  metric_values.clear();
  for (const checkers::Metric& m : metrics) metric_values.push_back(m.value);
}

std::vector<checkers::Metric> SeedResult::metrics() const {
  std::vector<checkers::Metric> out;
  for (size_t i = 0; i < metric_values.size(); ++i) {
    out.push_back({(*metric_names)[i].first, (*metric_names)[i].second, metric_values[i]});
  }
  return out;
}

uint64_t ExploreResult::failures() const {
  return static_cast<uint64_t>(std::count_if(runs.begin(), runs.end(),
                                             [&](const SeedResult& s) { return s.failed(judge); }));
}

std::vector<uint64_t> ExploreResult::failing_seeds() const {
  std::vector<uint64_t> out;
  for (const SeedResult& s : runs) {
    if (s.failed(judge)) out.push_back(s.seed);
  }
  return out;
}

std::vector<uint64_t> shard_seeds(uint64_t from, uint64_t seeds, uint64_t index, uint64_t count) {
  assert(count > 0 && index < count);
  std::vector<uint64_t> out;
  for (uint64_t i = index; i < seeds; i += count) out.push_back(from + i);
  return out;
}

ExploreResult explore(const sim::Scenario& scenario, const ExploreOptions& o) {
  const std::vector<uint64_t> seeds = shard_seeds(o.from, o.seeds, o.shard_index, o.shard_count);
  std::vector<std::optional<SeedResult>> results(seeds.size());
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> done{0};
  std::atomic<uint64_t> failures{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable finished;
  std::exception_ptr error;
  unsigned running = 0;

  const auto worker = [&] {
    MetricNames names;  // this worker's shared metric table
    for (;;) {
      if (stop.load() || (o.interrupted != nullptr && o.interrupted->load())) break;
      const size_t i = next.fetch_add(1);
      if (i >= seeds.size()) break;
      try {
        RunOptions options = RunOptions::with_seed(seeds[i]);
        options.swarm = o.swarm;
        results[i] = summarize(run_scenario(scenario, options), names);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!error) error = std::current_exception();
        stop = true;
        break;
      }
      if (results[i]->failed(o.judge)) {
        ++failures;
        if (o.stop_on_failure) stop = true;
      }
      ++done;
    }
    std::lock_guard lock(mutex);
    --running;
    finished.notify_all();
  };

  const auto started = std::chrono::steady_clock::now();
  const unsigned jobs =
      std::max(1u, std::min<unsigned>(o.jobs, static_cast<unsigned>(seeds.size())));
  std::vector<std::thread> threads;
  running = jobs;
  for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(worker);
  {
    std::unique_lock lock(mutex);
    while (running > 0) {
      finished.wait_for(lock, std::chrono::milliseconds(100));
      if (o.on_progress) o.on_progress(done.load(), seeds.size(), failures.load());
    }
  }
  for (std::thread& t : threads) t.join();
  if (error) std::rethrow_exception(error);

  ExploreResult r;
  r.scenario = scenario.name;
  r.file = scenario.file;
  r.from = o.from;
  r.seeds = o.seeds;
  r.swarm = o.swarm;
  r.judge = o.judge;
  r.interrupted = o.interrupted != nullptr && o.interrupted->load();
  for (std::optional<SeedResult>& s : results) {
    if (s.has_value()) r.runs.push_back(std::move(*s));
  }
  r.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return r;
}

}  // namespace lockstep::tools
