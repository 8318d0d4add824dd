// Runtime v2 end to end, through the engine as `lockstep run` does: faults placed by events and
// a single dropped message, what a stalled disk does to a leader's rotation, the new nemesis
// kinds with role targets, and that artifacts of triggered faults replay and shrink.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/io/jsonl.hpp"
#include "sim/io/scenario_writer.hpp"
#include "tests/sim/probe.hpp"
#include "tools/engine/artifact.hpp"
#include "tools/engine/runner.hpp"
#include "tools/engine/shrink.hpp"
#include "tools/results/report.hpp"

namespace lockstep::tools {
namespace {

class RuntimeV2 : public ::testing::Test {
 protected:
  sim::Scenario load(const std::string& file) { return sim::load_scenario(file, catalog_); }
  sim::Scenario load_text(const std::string& text, const std::string& name = "t.yaml") {
    return sim::load_scenario_text(text, name, catalog_);
  }
  RunReport run(const sim::Scenario& s, std::vector<sim::TraceSink*> sinks = {}) {
    RunOptions o;
    o.extra_sinks = std::move(sinks);
    return run_scenario(s, o);
  }
  sim::Catalog catalog_ = make_catalog();
};

TEST_F(RuntimeV2, ATriggeredCrashFiresRightAfterTheLeadersNthConfirmedHeartbeat) {
  const sim::Scenario s = load("scenarios/raft/crash-leader-after-heartbeat.yaml");
  ::lockstep::testing::Recorder r;
  const RunReport report = run(s, {&r});
  const sim::Kind confirmed = *s.vocabulary->find_kind("leader.confirmed");
  const std::vector<const ::lockstep::testing::Recorded*> crashes = r.of(sim::Kind::fault_crash);
  ASSERT_EQ(crashes.size(), 1u);
  // The 20th confirmation of the node that then crashed came exactly 1ms before the crash.
  int count = 0;
  int64_t twentieth = -1;
  for (const ::lockstep::testing::Recorded& e : r.events) {
    if (e.event.kind == confirmed && e.event.node == crashes[0]->event.node && ++count == 20) {
      twentieth = e.event.at.ns;
    }
  }
  EXPECT_EQ(crashes[0]->event.at.ns - twentieth, 1'000'000);
  EXPECT_TRUE(report.all_met());
}

TEST_F(RuntimeV2, ADropLosesExactlyTheChosenGrantReply) {
  const sim::Scenario s = load("scenarios/lease-lock/lost-grant-reply.yaml");
  ::lockstep::testing::Recorder r;
  run(s, {&r});
  std::vector<const ::lockstep::testing::Recorded*> by_fault;
  for (const ::lockstep::testing::Recorded* d : r.of(sim::Kind::net_drop)) {
    if (d->text == "fault") by_fault.push_back(d);
  }
  ASSERT_EQ(by_fault.size(), 1u);
  const sim::Event& e = by_fault[0]->event;
  EXPECT_EQ(e.get(sim::Key::msg), 1);  // grant
  EXPECT_EQ(e.get(sim::Key::to), 2);   // c1
  EXPECT_EQ(e.node, 0u);               // from lock
}

TEST_F(RuntimeV2, StalledDisksStretchTheLeadersRotationByTheStall) {
  const RunReport stalled = run(load("scenarios/raft/leader-crash-stalled-disks.yaml"));
  const RunReport healthy = run(load("scenarios/raft/leader-crash-healthy-disks.yaml"));
  const double with_stall = metric(stalled, "leader.rotation_time.max");
  const double without = metric(healthy, "leader.rotation_time.max");
  EXPECT_GE(with_stall, 2.0) << "no election can finish until the 2s stall ends";
  EXPECT_LT(without, 1.0);
}

TEST_F(RuntimeV2, AVoteAcknowledgedBeforeItsFsyncGivesTwoLeadersPersistingFirstDoesNot) {
  EXPECT_EQ(first_violated(run(load("scenarios/raft/vote-acked-before-fsync.yaml"))),
            "election_safety");
  EXPECT_TRUE(run(load("scenarios/raft/vote-persisted-before-reply.yaml")).all_met());
}

// Every new fault form is written back as the loader reads it, and the written scenario runs
// the same trace: what artifacts and shrink rely on.
TEST_F(RuntimeV2, EveryNewFaultFormIsWrittenBackAndRunsTheSameTrace) {
  const sim::Scenario s = load_text(R"(
protocol: {name: lease_lock}
nodes:
  - {id: lock, role: server}
  - {id: store, role: resource}
  - {id: c1, role: client}
  - {id: c2, role: client}
storage: {fsync_latency: {uniform: [1ms, 3ms]}, on_crash: lose_unsynced, torn_append: true}
duration: 30s
faults:
  - {on: {kind: lock.acquired, node: holder, nth: 2, where: {token: 2}}, after: 5ms,
     pause: holder, for: {uniform: [1s, 3s]}}
  - {at: 1s, drop: {message: grant, from: lock, to: c1, nth: 1}}
  - {at: 2s, clock_rate: c2, to_ppm: 250000, for: 5s}
  - {at: 3s, disk_stall: lock, for: 1s}
  - {at: 4s, disk_slow: lock, factor: 5, for: 2s}
  - {at: 5s, link: {from: c1, to: lock, latency: 50ms, loss: 0.5}, for: 3s}
  - {at: 6s, partial_partition: [[c1], [lock]], heal_after: 2s}
  - {at: [7s, 8s], clock_step: c1, by: {uniform: [-1s, 1s]}}
checkers: [mutual_exclusion]
)");
  const RunReport first = run(s);
  const std::string text = sim::write_resolved_scenario(s, first.plan, s.seed, {});
  const sim::Scenario back = load_text(text, "written.yaml");
  ASSERT_EQ(back.faults.size(), s.faults.size()) << text;
  EXPECT_EQ(run(back).hash, first.hash) << text;
}

TEST_F(RuntimeV2, ATriggeredFaultsArtifactReplaysAndShrinksKeepingTheTrigger) {
  const sim::Scenario paused = load("scenarios/lease-lock/pause-on-acquire.yaml");
  const Artifact a = make_artifact(paused, 1, false);
  const sim::Scenario loaded = load_text(a.text, "artifact.yaml");
  ASSERT_EQ(loaded.faults.size(), 1u);
  const ReplayOutcome out = replay_artifact(loaded);
  EXPECT_TRUE(out.reproduced) << out.divergence << "\n" << a.text;
  const ShrinkResult r = shrink(loaded, 1, "mutual_exclusion", [](const std::string&) {});
  ASSERT_EQ(r.scenario.faults.size(), 1u);
  EXPECT_TRUE(r.scenario.faults[0].on.has_value()) << "the trigger survives shrinking";
  EXPECT_LE(r.after.duration, r.before.duration);
  EXPECT_TRUE(replay_artifact(load_text(make_artifact(r.scenario, 1, false).text)).reproduced);
}

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// Triggered faults through the artifact machinery. The crash after the leader's 20th heartbeat
// round replays event for event. A crash triggered by a vote (vote-acked-crash-after-vote.yaml,
// two leaders in one term) and the lost grant reply (made to fail a 500ms liveness bound, which the
// run without the drop meets, so that there is something to shrink) replay and shrink, and
// shrinking keeps the trigger and the drop: without them nothing fails.
TEST_F(RuntimeV2, TriggeredCrashesAndTheDroppedGrantReplayAndShrink) {
  const sim::Scenario heartbeat = load("scenarios/raft/crash-leader-after-heartbeat.yaml");
  const Artifact h = make_artifact(heartbeat, heartbeat.seed, false);
  EXPECT_TRUE(replay_artifact(load_text(h.text, "artifact.yaml")).reproduced) << h.text;

  const std::string vote = file_text("scenarios/raft/vote-acked-crash-after-vote.yaml");
  const std::string drop = replaced(file_text("scenarios/lease-lock/lost-grant-reply.yaml"),
                                    "within: 15s", "within: 500ms");
  const std::vector<std::pair<std::string, std::string>> cases = {{vote, "election_safety"},
                                                                  {drop, "liveness"}};
  for (const auto& [text, checker] : cases) {
    const sim::Scenario s = load_text(text);
    ASSERT_NE(run(s).results.size(), 0u);
    const Artifact a = make_artifact(s, s.seed, false);
    const ReplayOutcome out = replay_artifact(load_text(a.text, "artifact.yaml"));
    EXPECT_TRUE(out.reproduced) << out.divergence << "\n" << a.text;
    const ShrinkResult r =
        shrink(load_text(a.text, "artifact.yaml"), s.seed, checker, [](const std::string&) {});
    ASSERT_EQ(r.scenario.faults.size(), 1u) << checker;
    const sim::FaultSpec& f = r.scenario.faults[0];
    EXPECT_TRUE(f.on.has_value() || f.type == sim::FaultType::drop) << checker;
    EXPECT_TRUE(
        replay_artifact(load_text(make_artifact(r.scenario, s.seed, false).text)).reproduced)
        << checker;
  }
}

TEST_F(RuntimeV2, ANemesisOfCutsPartialPartitionsAndRoleTargetsRuns) {
  const sim::Scenario s = load_text(R"(
protocol: {name: raft}
nodes: 5
duration: 30s
faults:
  - nemesis: {kinds: [cut, partial_partition, clock_rate, link_slow, crash], every: 1s,
              targets: [leader, n1, n2], for: {uniform: [100ms, 2s]}}
checkers: [election_safety]
)");
  ::lockstep::testing::Recorder r;
  const RunReport report = run(s, {&r});
  EXPECT_TRUE(report.all_met());
  EXPECT_FALSE(r.of(sim::Kind::fault_cut).empty());
  EXPECT_FALSE(r.of(sim::Kind::fault_partition).empty());
  EXPECT_FALSE(r.of(sim::Kind::fault_clock_rate).empty());
  EXPECT_FALSE(r.of(sim::Kind::fault_link).empty());
  bool leader_targeted = false;
  for (const sim::PlannedFault& f : report.plan.faults) {
    leader_targeted = leader_targeted || f.target.role == "leader";
  }
  EXPECT_TRUE(leader_targeted);
}

}  // namespace
}  // namespace lockstep::tools
