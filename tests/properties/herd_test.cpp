// The herd metric over seeds: the Locks recipe wakes exactly one waiter per release (each waits
// for its predecessor only), while the "watch the lock node" variant wakes every waiter: N - 1
// with N clients always queued.
#include <gtest/gtest.h>

#include <string>

#include "tools/engine/explore.hpp"
#include "tools/engine/runner.hpp"

namespace lockstep::tools {
namespace {

constexpr uint64_t kSeeds = 100;

double metric(const SeedResult& run, std::string_view name) {
  for (const checkers::Metric& m : run.metrics()) {
    if (m.name == name) return m.value;
  }
  ADD_FAILURE() << "seed " << run.seed << " has no metric " << name;
  return -1;
}

ExploreResult explore_file(const std::string& file) {
  const sim::Catalog catalog = make_catalog();
  const sim::Scenario s = sim::load_scenario(file, catalog);
  ExploreOptions o;
  o.seeds = kSeeds;
  o.jobs = 2;
  return explore(s, o);
}

TEST(HerdOverSeeds, Recipe_WakesOneWaiterPerRelease) {
  const ExploreResult r = explore_file("scenarios/zk-lock/queued.yaml");
  ASSERT_EQ(r.runs.size(), kSeeds);
  for (const SeedResult& run : r.runs) {
    EXPECT_EQ(metric(run, "lock.herd.max"), 1) << "seed " << run.seed;
    EXPECT_EQ(metric(run, "lock.herd.per_release"), 1) << "seed " << run.seed;
  }
}

TEST(HerdOverSeeds, WatchingTheLockNode_WakesEveryOtherClient) {
  const ExploreResult r = explore_file("scenarios/zk-lock/herd.yaml");
  ASSERT_EQ(r.runs.size(), kSeeds);
  constexpr double kClients = 5;
  for (const SeedResult& run : r.runs) {
    EXPECT_EQ(metric(run, "lock.herd.max"), kClients - 1) << "seed " << run.seed;
  }
}

}  // namespace
}  // namespace lockstep::tools
