// Property tests over seeds: for every scenario, each checker it expects to hold holds on every
// explored seed (with --swarm where the scenario declares swarm ranges), and each checker it
// documents as violated is found violated within a stated budget of seeds. Failure artifacts
// kept under scenarios/regressions/ replay to their recorded trace hash.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "tests/support/support.hpp"
#include "tools/engine/artifact.hpp"
#include "tools/engine/explore.hpp"

namespace lockstep::tools {
namespace {

namespace fs = std::filesystem;
using lockstep::testing::yaml_files_under;

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  return lockstep::testing::param_name(info.param);
}

constexpr uint64_t kSeeds = 200;         // per scenario, for the `holds` properties
constexpr uint64_t kFindBudget = 5'000;  // seeds within which a documented failure must show
constexpr uint64_t kFindChunk = 200;     // searched a chunk at a time, stopping when found

std::vector<std::string> explored_scenarios() {
  std::vector<std::string> out;
  for (const std::string& f : yaml_files_under("scenarios")) {
    if (f.find("scenarios/regressions/") == std::string::npos) out.push_back(f);
  }
  return out;
}

class OverSeeds : public ::testing::TestWithParam<std::string> {
 protected:
  sim::Catalog catalog_ = make_catalog();
};

TEST_P(OverSeeds, ExpectedHoldsOnEverySeedAndDocumentedFailuresAreFound) {
  const sim::Scenario s = sim::load_scenario(GetParam(), catalog_);
  ExploreOptions o;
  o.seeds = kSeeds;
  o.jobs = 2;
  o.swarm = s.swarm.declared;
  const ExploreResult r = explore(s, o);
  ASSERT_EQ(r.runs.size(), kSeeds);
  const std::string replay_flags = o.swarm ? " --swarm" : "";
  for (const sim::Expectation& e : s.expect) {
    std::vector<uint64_t> violated_seeds;
    for (const SeedResult& run : r.runs) {
      for (const auto& [name, verdict] : run.verdicts) {
        if (name == e.checker && verdict == sim::Verdict::violated) {
          violated_seeds.push_back(run.seed);
        }
      }
    }
    if (e.verdict == sim::Verdict::holds) {
      EXPECT_TRUE(violated_seeds.empty())
          << GetParam() << ": " << e.checker << " is expected to hold but was violated on "
          << violated_seeds.size() << " of " << kSeeds << " seeds; replay: lockstep run "
          << GetParam() << " --seed " << violated_seeds.front() << replay_flags;
    } else if (e.verdict == sim::Verdict::violated) {
      // Rare failures (a race that one seed in a thousand loses) are searched for further.
      ExploreOptions more = o;
      while (violated_seeds.empty() && more.from + more.seeds < 1 + kFindBudget) {
        more.from += more.seeds;
        more.seeds = kFindChunk;
        const ExploreResult chunk = explore(s, more);
        for (const SeedResult& run : chunk.runs) {
          for (const auto& [name, verdict] : run.verdicts) {
            if (name == e.checker && verdict == sim::Verdict::violated) {
              violated_seeds.push_back(run.seed);
            }
          }
        }
      }
      EXPECT_FALSE(violated_seeds.empty())
          << GetParam() << ": the documented " << e.checker << " violation was not found in the "
          << "first " << kFindBudget << " seeds";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, OverSeeds, ::testing::ValuesIn(explored_scenarios()),
                         test_name);

class Regression : public ::testing::TestWithParam<std::string> {
 protected:
  sim::Catalog catalog_ = make_catalog();
};

TEST_P(Regression, ReplaysToItsRecordedTraceHash) {
  const sim::Scenario s = sim::load_scenario(GetParam(), catalog_);
  const ReplayOutcome out = replay_artifact(s);
  EXPECT_TRUE(out.reproduced) << GetParam() << ": expected trace hash " << out.expected_hash
                              << ", got " << out.actual_hash << "\n"
                              << out.divergence << "\nreplay: lockstep replay " << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Artifacts, Regression,
                         ::testing::ValuesIn(yaml_files_under("scenarios/regressions")), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Regression);

}  // namespace
}  // namespace lockstep::tools
