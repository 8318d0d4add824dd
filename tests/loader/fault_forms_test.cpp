// The runtime-v2 keys of a scenario file, read strictly: storage models, triggered faults, drops,
// clock rates, disk faults, link degradation, partial partitions, distributions for lengths, the
// nemesis's new kinds and role targets, and the new swarm ranges. Every bad form names its
// file:line:col and key path.
#include <gtest/gtest.h>

#include "protocols/registry.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/scenario.hpp"

namespace lockstep::sim {
namespace {

const Catalog& catalog() {
  static const Catalog c(protocols::protocol_specs(), {{"mutual_exclusion", "x", {}}});
  return c;
}

const char* kHead = R"(protocol: {name: lease_lock}
nodes:
  - {id: lock, role: server}
  - {id: store, role: resource}
  - {id: c1, role: client}
)";

Scenario load(const std::string& tail) {
  return load_scenario_text(std::string(kHead) + tail, "t.yaml", catalog());
}

std::string error_of(const std::string& tail) {
  try {
    load(tail);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(StorageKeys, AStorageModelIsReadWithPerNodeOverrides) {
  const Scenario s = load_scenario_text(R"(protocol: {name: lease_lock}
storage: {fsync_latency: {uniform: [2ms, 10ms]}, on_crash: lose_unsynced}
nodes:
  - {id: lock, role: server, storage: {fsync_latency: 50ms}}
  - {id: store, role: resource}
  - {id: c1, role: client}
)",
                                        "t.yaml", catalog());
  EXPECT_EQ(s.nodes[0].storage.fsync_latency_ns.a, 50e6);
  EXPECT_EQ(s.nodes[0].storage.on_crash, StorageSpec::OnCrash::lose_unsynced);
  EXPECT_EQ(s.nodes[1].storage.fsync_latency_ns.kind, Distribution::Kind::uniform);
  EXPECT_TRUE(s.nodes[1].storage.modelled());
}

TEST(StorageKeys, BadFormsNameTheirPosition) {
  const std::string head = "protocol: {name: lease_lock}\nnodes: 2\n";
  const auto err = [&](const std::string& storage) {
    try {
      load_scenario_text(head + storage, "t.yaml", catalog());
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(err("storage: {fsync: 1ms}\n").find("t.yaml:3:11: storage.fsync: unknown storage key"),
            std::string::npos)
      << err("storage: {fsync: 1ms}\n");
  EXPECT_NE(err("storage: {on_crash: forget}\n").find("t.yaml:3:21"), std::string::npos);
  EXPECT_NE(err("storage: {fsync_latency: -1ms}\n").find("t.yaml:3:26"), std::string::npos);
  EXPECT_NE(err("storage: {torn_append: true}\n").find("lose_unsynced"), std::string::npos);
}

TEST(TriggerKeys, ATriggerIsReadWithItsKindNodeNthWhereAndAfter) {
  const Scenario s = load(
      "faults:\n  - {on: {kind: lock.acquired, node: holder, nth: 3, where: {token: 2}}, after: "
      "{uniform: [1ms, 5ms]}, pause: c1, for: 2s}\n");
  ASSERT_EQ(s.faults.size(), 1u);
  ASSERT_TRUE(s.faults[0].on.has_value());
  const Trigger& t = s.faults[0].on->trigger;
  EXPECT_EQ(s.vocabulary->name(t.kind), "lock.acquired");
  EXPECT_EQ(t.node.role, "holder");
  EXPECT_EQ(t.nth, 3);
  ASSERT_EQ(t.where.size(), 1u);
  EXPECT_EQ(t.where[0].value, 2);
  EXPECT_EQ(s.faults[0].on->after_ns.kind, Distribution::Kind::uniform);
}

struct Bad {
  const char* name;
  const char* faults;  // the `faults:` list items
  const char* where;   // expected "file:line:col: key.path" prefix
  const char* what;    // a phrase of the message
};

class BadFault : public ::testing::TestWithParam<Bad> {};

TEST_P(BadFault, IsRefusedAtItsPositionWithAReason) {
  const Bad& b = GetParam();
  const std::string e = error_of(std::string("faults:\n") + b.faults);
  EXPECT_NE(e.find(b.where), std::string::npos) << e;
  EXPECT_NE(e.find(b.what), std::string::npos) << e;
}

INSTANTIATE_TEST_SUITE_P(
    Forms, BadFault,
    ::testing::Values(
        Bad{"AtAndOn", "  - {at: 1s, on: {kind: lock.acquired}, crash: c1}\n", "t.yaml:7:18",
            "not both"},
        Bad{"NeitherAtNorOn", "  - {crash: c1}\n", "t.yaml:7:5", "needs 'at: TIME' or 'on:"},
        Bad{"AfterWithoutOn", "  - {at: 1s, after: 1s, crash: c1}\n", "t.yaml:7:21",
            "goes with 'on'"},
        Bad{"UnknownTriggerKind", "  - {on: {kind: lock.aquired}, crash: c1}\n", "t.yaml:7:17",
            "did you mean 'lock.acquired'"},
        Bad{"UnknownTriggerKey", "  - {on: {kind: lock.acquired, count: 2}, crash: c1}\n",
            "t.yaml:7:32", "unknown trigger key"},
        Bad{"ZeroNth", "  - {on: {kind: lock.acquired, nth: 0}, crash: c1}\n", "t.yaml:7:37",
            "nth counts from 1"},
        Bad{"UnknownWhereField", "  - {on: {kind: lock.acquired, where: {tokn: 1}}, crash: c1}\n",
            "t.yaml:7:40", "unknown field 'tokn'"},
        Bad{"WhereNodeUnknown", "  - {on: {kind: lock.granted, where: {holder: c9}}, crash: c1}\n",
            "t.yaml:7:47", "unknown node 'c9'"},
        Bad{"UnknownDropMessage", "  - {at: 1s, drop: {message: grnat}}\n", "t.yaml:7:30",
            "did you mean 'grant'"},
        Bad{"DropWithLength", "  - {at: 1s, drop: {message: grant}, for: 1s}\n", "t.yaml:7:38",
            "does not apply to drop"},
        Bad{"ClockRateWithoutPpm", "  - {at: 1s, clock_rate: c1}\n", "t.yaml:7:5",
            "needs 'to_ppm'"},
        Bad{"ClockRateStops", "  - {at: 1s, clock_rate: c1, to_ppm: -1000000}\n", "t.yaml:7:38",
            "above -1000000"},
        Bad{"DiskStallWithoutFor", "  - {at: 1s, disk_stall: lock}\n", "t.yaml:7:5", "needs 'for'"},
        Bad{"DiskSlowFactorBelowOne", "  - {at: 1s, disk_slow: lock, factor: 0.5, for: 1s}\n",
            "t.yaml:7:39", "factor must be in [1, 1000000]"},
        Bad{"LinkWithoutChange", "  - {at: 1s, link: {from: c1, to: lock}, for: 1s}\n",
            "t.yaml:7:20", "changes 'latency', 'loss' or both"},
        Bad{"LinkToItself", "  - {at: 1s, link: {from: c1, to: c1, loss: 1}, for: 1s}\n",
            "t.yaml:7:35", "two different nodes"},
        Bad{"LinkLossOverOne", "  - {at: 1s, link: {from: c1, to: lock, loss: 2}, for: 1s}\n",
            "t.yaml:7:47", "expected a probability"},
        Bad{"PartialPartitionThreeGroups",
            "  - {at: 1s, partial_partition: [[c1], [lock], [store]]}\n", "t.yaml:7:33",
            "exactly 2 groups"},
        Bad{"NegativeForDistribution", "  - {at: 1s, pause: c1, for: {uniform: [-1s, 1s]}}\n",
            "t.yaml:7:41", "must not be negative"},
        Bad{"NemesisUnknownKind", "  - nemesis: {kinds: [link_slwo]}\n", "t.yaml:7:23",
            "did you mean 'link_slow'"},
        Bad{"NemesisUnknownTarget", "  - nemesis: {kinds: [crash], targets: [leader]}\n",
            "t.yaml:7:41", "unknown node or role target 'leader'"},
        Bad{"NemesisSlowFactor", "  - nemesis: {kinds: [link_slow], slow_factor: 0}\n",
            "t.yaml:7:48", "slow_factor must be in"}));

TEST(SwarmKeys, LatencyDriftAndShiftRangesAreRead) {
  const Scenario s = load(
      "faults:\n  - {at: 5s, pause: c1, for: 1s}\nswarm: {latency: [1ms, 10ms], drift_ppm: [-100, "
      "100], shift: [0s, 2s]}\n");
  ASSERT_TRUE(s.swarm.latency.has_value());
  EXPECT_EQ(s.swarm.latency->second, Duration::millis(10));
  ASSERT_TRUE(s.swarm.drift_ppm.has_value());
  EXPECT_EQ(s.swarm.drift_ppm->first, -100);
  ASSERT_TRUE(s.swarm.shift.has_value());
  EXPECT_NE(error_of("swarm: {latency: [10ms, 1ms]}\n").find("reversed"), std::string::npos);
}

}  // namespace
}  // namespace lockstep::sim
