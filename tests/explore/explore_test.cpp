// explore, merge, failure artifacts, replay and shrink, as the issue defines them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/io/scenario_writer.hpp"
#include "tools/engine/artifact.hpp"
#include "tools/engine/shrink.hpp"
#include "tools/results/explore_json.hpp"

namespace lockstep::tools {
namespace {

namespace fs = std::filesystem;

class Explore : public ::testing::Test {
 protected:
  sim::Scenario load(const std::string& file) { return sim::load_scenario(file, catalog_); }
  sim::Scenario load_text(const std::string& text) {
    return sim::load_scenario_text(text, "artifact.yaml", catalog_);
  }
  sim::Catalog catalog_ = make_catalog();
};

ExploreOptions seeds(uint64_t n, unsigned jobs = 1) {
  ExploreOptions o;
  o.seeds = n;
  o.jobs = jobs;
  return o;
}

TEST_F(Explore, ResultsDoNotDependOnTheNumberOfWorkers) {
  const sim::Scenario s = load("scenarios/lease-lock/clean.yaml");
  const std::string one = explore_json(explore(s, seeds(40, 1))).dump();
  const std::string two = explore_json(explore(s, seeds(40, 2))).dump();
  const std::string three = explore_json(explore(s, seeds(40, 3))).dump();
  EXPECT_EQ(one, two);
  EXPECT_EQ(one, three);
  EXPECT_NE(one.find("\"completed\":40"), std::string::npos);
}

// explore --json streams its document a run at a time (issue 17: 200,000 seeds as one JSON
// document took gigabytes); the streamed bytes are exactly the document's.
TEST_F(Explore, StreamedJson_IsByteForByteTheDocument) {
  const sim::Scenario s = load("tests/data/explore/pause-with-noise.yaml");
  ExploreOptions o = seeds(12);
  o.swarm = true;
  ExploreResult r = explore(s, o);
  for (bool interrupted : {false, true}) {
    r.interrupted = interrupted;
    std::string streamed;
    write_explore_json(r, [&](std::string_view b) { streamed.append(b); });
    EXPECT_EQ(streamed, explore_json(r).dump(2) + "\n");
  }
  r.runs.clear();
  std::string empty;
  write_explore_json(r, [&](std::string_view b) { empty.append(b); });
  EXPECT_EQ(empty, explore_json(r).dump(2) + "\n");
}

// Per seed an exploration keeps values only: the metric names and units are one shared table.
TEST_F(Explore, SeedsShareOneMetricTable) {
  const ExploreResult r = explore(load("scenarios/lease-lock/clean.yaml"), seeds(6));
  ASSERT_EQ(r.runs.size(), 6u);
  ASSERT_TRUE(r.runs[0].metric_names);
  EXPECT_FALSE(r.runs[0].metric_values.empty());
  for (const SeedResult& run : r.runs) EXPECT_EQ(run.metric_names, r.runs[0].metric_names);
  const ExploreResult back = explore_from_json(explore_json(r), "r.json");
  for (const SeedResult& run : back.runs) EXPECT_EQ(run.metric_names, back.runs[0].metric_names);
  EXPECT_EQ(explore_json(back).dump(), explore_json(r).dump());
}

TEST_F(Explore, MergedShardsEqualTheUnshardedResult) {
  const sim::Scenario s = load("tests/data/explore/pause-with-noise.yaml");
  ExploreOptions whole = seeds(30);
  whole.swarm = true;
  std::vector<ExploreResult> parts;
  for (uint64_t i = 0; i < 3; ++i) {
    ExploreOptions o = whole;
    o.shard_index = i;
    o.shard_count = 3;
    parts.push_back(explore_from_json(explore_json(explore(s, o)), "shard.json"));
    EXPECT_EQ(parts.back().runs.size(), 10u);
  }
  const nlohmann::json merged = explore_json(merge_explorations(parts, {"a", "b", "c"}));
  EXPECT_EQ(merged.dump(), explore_json(explore(s, whole)).dump());
}

TEST_F(Explore, MergeRefusesPartsOfDifferentExplorations) {
  const sim::Scenario s = load("scenarios/lease-lock/clean.yaml");
  ExploreResult a = explore(s, seeds(4));
  ExploreOptions other = seeds(4);
  other.from = 100;
  ExploreResult b = explore(s, other);
  EXPECT_THROW(merge_explorations({a, b}, {"a.json", "b.json"}), sim::InputError);
}

TEST_F(Explore, ShardsDealSeedsRoundRobinAndCoverEverySeedOnce) {
  std::vector<uint64_t> all;
  for (uint64_t i = 0; i < 4; ++i) {
    for (uint64_t s : shard_seeds(10, 11, i, 4)) all.push_back(s);
  }
  std::sort(all.begin(), all.end());
  std::vector<uint64_t> expected;
  for (uint64_t s = 10; s < 21; ++s) expected.push_back(s);
  EXPECT_EQ(all, expected);
  EXPECT_EQ(shard_seeds(10, 11, 1, 4), (std::vector<uint64_t>{11, 15, 19}));
}

TEST_F(Explore, SwarmDrawsDifferentChoicesPerSeedAndRecordsThem) {
  const sim::Scenario s = load("tests/data/explore/pause-with-noise.yaml");
  ExploreOptions o = seeds(12);
  o.swarm = true;
  const ExploreResult r = explore(s, o);
  std::set<std::string> choices;
  for (const SeedResult& run : r.runs) {
    EXPECT_NE(run.swarm.find("kinds ["), std::string::npos) << run.swarm;
    EXPECT_NE(run.swarm.find("loss "), std::string::npos) << run.swarm;
    choices.insert(run.swarm);
  }
  EXPECT_GT(choices.size(), 6u);
}

TEST_F(Explore, StopOnFailureStopsEarly) {
  const sim::Scenario s = load("scenarios/lease-lock/pause-without-fencing.yaml");
  ExploreOptions o = seeds(500);
  o.stop_on_failure = true;
  o.judge = Judge::violation;
  const ExploreResult r = explore(s, o);
  EXPECT_LT(r.runs.size(), 500u);
  EXPECT_GE(r.failures(), 1u);
}

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A seed fails when it does not meet the scenario's expect:, so a scenario that demonstrates a
// violation passes on every seed that shows it; `any` is met by every verdict; --judge
// violation counts violated checkers, whatever the scenario expects.
TEST_F(Explore, SeedsAreJudgedByTheScenariosExpectations) {
  const sim::Scenario s = load("scenarios/lease-lock/pause-without-fencing.yaml");
  ExploreOptions o = seeds(20);
  EXPECT_EQ(explore(s, o).failures(), 0u) << "every seed shows the violation it expects";
  o.stop_on_failure = true;
  EXPECT_EQ(explore(s, o).runs.size(), 20u) << "an expected violation is not a failure";
  o.stop_on_failure = false;
  o.judge = Judge::violation;
  EXPECT_EQ(explore(s, o).failures(), 20u);

  std::string text = file_text("scenarios/lease-lock/pause-without-fencing.yaml");
  const size_t at = text.find("  mutual_exclusion: violated");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("  mutual_exclusion: violated").size(), "  mutual_exclusion: holds");
  ExploreOptions by_expectation = seeds(20);
  const ExploreResult wrong = explore(load_text(text), by_expectation);
  EXPECT_EQ(wrong.failures(), 20u);
  EXPECT_EQ(wrong.failing_seeds().front(), 1u);
  EXPECT_NE(explore_summary(wrong).find("20 did not meet the scenario's expect:"),
            std::string::npos);
  text.replace(at, std::string("  mutual_exclusion: holds").size(), "  mutual_exclusion: any");
  EXPECT_EQ(explore(load_text(text), by_expectation).failures(), 0u);
}

TEST_F(Explore, AnInterruptedExplorationReportsOnlyCompletedSeeds) {
  const sim::Scenario s = load("scenarios/lease-lock/clean.yaml");
  std::atomic<bool> interrupted{true};  // as if Ctrl-C came before the first seed
  ExploreOptions o = seeds(50);
  o.interrupted = &interrupted;
  const ExploreResult r = explore(s, o);
  EXPECT_TRUE(r.interrupted);
  EXPECT_TRUE(r.runs.empty());
  EXPECT_EQ(explore_json(r).value("interrupted", false), true);
}

TEST_F(Explore, AFailingSeedsArtifactReplaysToTheSameHash) {
  const sim::Scenario s = load("tests/data/explore/pause-with-noise.yaml");
  ExploreOptions o = seeds(5);
  o.swarm = true;
  o.judge = Judge::violation;
  const ExploreResult r = explore(s, o);
  ASSERT_FALSE(r.failing_seeds().empty());
  const uint64_t seed = r.failing_seeds().front();
  const Artifact a = make_artifact(s, seed, true);
  EXPECT_EQ(a.report.hash, r.runs.front().hash) << "the artifact records the explored run";
  const sim::Scenario loaded = load_text(a.text);
  EXPECT_TRUE(loaded.nemeses.empty()) << "every random choice is resolved";
  EXPECT_FALSE(loaded.swarm.declared);
  EXPECT_EQ(loaded.artifact.violated, "mutual_exclusion");
  const ReplayOutcome out = replay_artifact(loaded);
  EXPECT_TRUE(out.reproduced) << out.divergence;
  EXPECT_EQ(out.actual_hash, sim::hash_hex(a.report.hash));
}

// Issue 16: replay after an edited latency pointed at the first event of a 64-event window,
// which was unchanged. An artifact now records a hash of each section that shapes the run, and
// a replay that does not reproduce names the sections edited since.
TEST_F(Explore, ReplayOfATamperedArtifactNamesTheEditedSectionAndWhereTheTraceDeparts) {
  const sim::Scenario s = load("scenarios/lease-lock/pause-without-fencing.yaml");
  const Artifact a = make_artifact(s, 3, false);
  ASSERT_NE(a.text.find("  section_hashes:\n    seed: \""), std::string::npos) << a.text;
  // Move the pause later: the run is the same until then, and differs after.
  std::string text = a.text;
  const size_t at = text.find("{at: 5s, pause: holder");
  ASSERT_NE(at, std::string::npos) << text;
  text.replace(at, 9, "{at: 6s,");
  const ReplayOutcome out = replay_artifact(load_text(text));
  EXPECT_FALSE(out.reproduced);
  EXPECT_NE(out.divergence.find("the artifact was edited after it was written: its 'faults' "
                                "section differs from the one its trace was recorded with"),
            std::string::npos)
      << out.divergence;
  EXPECT_NE(out.divergence.find("the traces part within events #"), std::string::npos);
  EXPECT_EQ(out.divergence.find("#1 to"), std::string::npos) << "not at the very start";
  // The latency edit of the issue, and a second section at once.
  std::string latency = a.text;
  const size_t net = latency.find("\nnetwork:\n  latency: ");
  ASSERT_NE(net, std::string::npos) << latency;
  const size_t value = net + std::string("\nnetwork:\n  latency: ").size();
  latency.replace(value, latency.find('\n', value) - value, "{uniform: [1ms, 9ms]}");
  latency.replace(latency.find("\nduration: "), 11, "\nduration: 1");
  const ReplayOutcome edited = replay_artifact(load_text(latency));
  EXPECT_FALSE(edited.reproduced);
  EXPECT_NE(edited.divergence.find("its 'duration', 'network' sections differ from those"),
            std::string::npos)
      << edited.divergence;
  // An untouched artifact reproduces, and one whose edit the run does not notice (the summary)
  // reproduces too: only the sections that shape the run are compared.
  EXPECT_TRUE(replay_artifact(load_text(a.text)).reproduced);
}

TEST_F(Explore, ReplayOfAnArtifactOfAnotherHashVersionSaysTheHashesCannotBeCompared) {
  const sim::Scenario s = load("scenarios/lease-lock/pause-without-fencing.yaml");
  const Artifact a = make_artifact(s, 3, false);
  const std::string now = "hash_version: " + std::to_string(sim::kTraceHashVersion);
  ASSERT_NE(a.text.find(now), std::string::npos) << "artifacts record their hash version";
  EXPECT_TRUE(replay_artifact(load_text(a.text)).reproduced);
  for (const std::string& older : {std::string("hash_version: 2"), std::string()}) {
    std::string text = a.text;
    text.replace(text.find(now), now.size(), older);  // absent: written before version 3
    const ReplayOutcome out = replay_artifact(load_text(text));
    EXPECT_FALSE(out.reproduced) << older;
    EXPECT_NE(out.divergence.find("cannot be compared"), std::string::npos) << out.divergence;
  }
}

TEST_F(Explore, ReplayRefusesAScenarioThatIsNotAnArtifact) {
  EXPECT_THROW(replay_artifact(load("scenarios/lease-lock/clean.yaml")), sim::InputError);
}

TEST_F(Explore, ShrinkKeepsTheViolationWithFewerFaultsAndAShorterRun) {
  const sim::Scenario s = load("tests/data/explore/pause-with-noise.yaml");
  const Artifact a = make_artifact(s, 1, false);
  const sim::Scenario artifact = load_text(a.text);
  ASSERT_GT(artifact.faults.size(), 10u);
  std::vector<std::string> log;
  const ShrinkResult r =
      shrink(artifact, 1, "mutual_exclusion", [&](const std::string& l) { log.push_back(l); });
  EXPECT_EQ(r.after.faults, 1u);
  EXPECT_EQ(r.scenario.faults.front().type, sim::FaultType::pause);
  EXPECT_LT(r.after.duration, r.before.duration);
  EXPECT_LT(r.after.events, r.before.events);
  EXPECT_FALSE(log.empty());
  const Artifact shrunk = make_artifact(r.scenario, 1, false);
  EXPECT_EQ(first_violated(shrunk.report), "mutual_exclusion");
  EXPECT_TRUE(replay_artifact(load_text(shrunk.text)).reproduced);
}

TEST_F(Explore, ShrinkDropsNodesTheFailureDoesNotNeed) {
  // A third client that never matters to the paused holder's overlap.
  std::string text =
      make_artifact(load("scenarios/lease-lock/pause-without-fencing.yaml"), 1, false).text;
  const size_t c2 = text.find("  - {id: c2, role: client");
  ASSERT_NE(c2, std::string::npos);
  text.insert(c2, "  - {id: c0, role: client, clock: {drift_ppm: 0, offset: 0s}}\n");
  const sim::Scenario s = load_text(text);
  ASSERT_EQ(s.nodes.size(), 5u);
  const ShrinkResult r = shrink(s, 1, "mutual_exclusion", [](const std::string&) {});
  EXPECT_LT(r.after.nodes, 5u);
}

}  // namespace
}  // namespace lockstep::tools

namespace lockstep::tools {
namespace {

// A protocol that is deliberately not deterministic: each run's nodes wait longer than the last
// run's did, as if they read something outside the simulation.
class Drifting : public sim::Process {
 public:
  explicit Drifting(int64_t wait_ms) : wait_ms_(wait_ms) {}
  void on_start(sim::Context& ctx) override { ctx.set_timer(0, sim::Duration::millis(wait_ms_)); }
  void on_message(sim::Context&, sim::NodeIndex, const sim::Message&) override {}
  void on_timer(sim::Context& ctx, sim::TimerSlot) override {
    ctx.set_timer(0, sim::Duration::millis(wait_ms_));
  }

 private:
  int64_t wait_ms_;
};

TEST(CheckDeterminism, NamesTheFirstEventWhereTwoRunsOfOneSeedDiffer) {
  int64_t runs = 0;
  sim::ProtocolSpec spec;
  spec.name = "drifting";
  spec.roles = {{"node", "waits a little longer every run"}};
  spec.messages = {"none"};
  spec.make = [&runs](const sim::NodeSetup& n) {
    if (n.index == 0) ++runs;
    return std::make_unique<Drifting>(100 + runs);
  };
  sim::Scenario s;
  s.name = "drifting";
  s.file = "drifting.yaml";
  s.protocol = "drifting";
  s.protocol_spec = &spec;
  s.duration = sim::Duration::seconds(1);
  s.nodes.push_back({"n1", "node", {}, {}, {}});
  RunReport first;
  const std::string divergence = check_determinism(s, RunOptions{}, &first);
  ASSERT_FALSE(divergence.empty());
  // Both runs start the node alike; the first timer fires at 101ms in one and 102ms in the next.
  EXPECT_NE(divergence.find("first differ at event #2"), std::string::npos) << divergence;
  EXPECT_NE(divergence.find("run 2: 0.102s n1 timer.fire"), std::string::npos) << divergence;
  EXPECT_NE(divergence.find("run 3: 0.103s n1 timer.fire"), std::string::npos) << divergence;
}

TEST(CheckDeterminism, EveryScenarioFileAgreesWithItself) {
  const sim::Catalog catalog = make_catalog();
  for (const char* f : {"scenarios/lease-lock/clean.yaml", "scenarios/raft/leader-crash.yaml",
                        "scenarios/lease-election/clock-offsets.yaml"}) {
    RunReport first;
    EXPECT_EQ(check_determinism(sim::load_scenario(f, catalog), RunOptions{}, &first), "") << f;
    EXPECT_GT(first.trace_events, 0u);
  }
}

}  // namespace
}  // namespace lockstep::tools
