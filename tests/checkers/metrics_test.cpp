// Metrics: which groups a run shows, names in a fixed order, and the values small hand-computed
// lock and election traces must give.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "checkers/metrics.hpp"
#include "tests/checkers/election_script.hpp"
#include "tests/checkers/script.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::checkers::testing {
namespace {

using sim::Key;
using sim::Kind;

std::map<std::string, double> by_name(const Metrics& m) {
  std::map<std::string, double> out;
  for (const Metric& v : m.values()) out[v.name] = v.value;
  return out;
}

std::vector<std::string> names(const Metrics& m) {
  std::vector<std::string> out;
  for (const Metric& v : m.values()) out.push_back(v.name);
  return out;
}

const std::vector<std::string> kLockNames = {
    "lock.acquisitions",  "lock.wait_time.p50", "lock.wait_time.p99",
    "lock.wait_time.max", "lock.hold_time.p50", "lock.hold_time.max",
    "lock.expirations",   "lock.lost",          "lock.messages_per_acquisition",
    "resource.writes",    "resource.rejected",  "resource.stale_writes"};
const std::vector<std::string> kElectionNames = {"leader.rotation_time.p50",
                                                 "leader.rotation_time.max",
                                                 "leader.tenure.p50",
                                                 "leader.tenure.max",
                                                 "leader.time_without",
                                                 "leader.elections",
                                                 "leader.terms",
                                                 "leader.split_votes",
                                                 "leader.prevotes"};
const std::vector<std::string> kAlwaysNames = {"net.messages_sent", "net.messages_delivered",
                                               "net.messages_dropped", "faults.injected"};

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(Metrics, EmptyTrace_OnlyNetAndFaultMetricsAllZero) {
  Script s;
  Metrics m;
  s.feed(m, 10);
  EXPECT_EQ(names(m), kAlwaysNames);
  for (const Metric& v : m.values()) {
    EXPECT_EQ(v.value, 0) << v.name;
    EXPECT_EQ(v.unit, "count") << v.name;
  }
}

TEST(Metrics, LockRun_ShowsLockGroupButNoElectionMetrics) {
  Script s;
  s.add(1, "c1", obs::lock_requested).add(2, "c1", Kind::fault_crash, {{Key::fault, 0}});
  Metrics m;
  s.feed(m, 10);
  EXPECT_EQ(names(m), concat(kLockNames, kAlwaysNames));
  EXPECT_EQ(m.values()[1].unit, "s");
  EXPECT_EQ(m.values()[0].unit, "count");
}

TEST(Metrics, NoAcquisition_MessagesPerAcquisitionIsZeroNotInfinite) {
  Script s;
  s.add(1, "c1", obs::lock_requested)
      .add(2, "c1", Kind::net_send, {{Key::to, s.n("lock")}})
      .add(3, "c1", Kind::net_send, {{Key::to, s.n("lock")}});
  Metrics m;
  s.feed(m, 10);
  const auto v = by_name(m);
  EXPECT_EQ(v.at("lock.acquisitions"), 0);
  EXPECT_EQ(v.at("net.messages_sent"), 2);
  EXPECT_EQ(v.at("lock.messages_per_acquisition"), 0);
  for (const Metric& x : m.values()) {
    if (x.name == "lock.messages_per_acquisition") {
      EXPECT_EQ(x.unit, "ratio");
    }
  }
}

TEST(Metrics, ElectionRun_ShowsElectionGroupButNoLockMetrics) {
  ElectionScript s;
  s.add(1, "n2", obs::vote_granted, {{fld::term, 1}, {fld::candidate, s.n("n1")}});
  Metrics m;
  s.feed(m, 10);
  EXPECT_EQ(names(m), concat(kElectionNames, kAlwaysNames));
  for (const Metric& v : m.values()) {
    const bool seconds =
        v.name.find("time") != std::string::npos || v.name.find("tenure") != std::string::npos;
    EXPECT_EQ(v.unit, seconds ? "s" : "count") << v.name;
  }
}

TEST(Metrics, SmallLockTrace_GivesHandComputedValues) {
  Script s;
  s.add(0, "c1", obs::lock_requested)
      .add(0.5, "c2", obs::lock_requested)
      .add(1, "c1", obs::lock_acquired, {{fld::token, 1}})  // c1 waited 1s
      .add(2, "store", obs::resource_write, {{fld::writer, s.n("c1")}, {fld::token, 1}})
      .add(5, "c1", obs::lock_released, {{fld::token, 1}})  // c1 held 4s
      .add(6, "c2", obs::lock_acquired, {{fld::token, 2}})  // c2 waited 5.5s
      .add(7, "store", obs::resource_write, {{fld::writer, s.n("c2")}, {fld::token, 2}})
      .add(8, "store", obs::resource_write, {{fld::writer, s.n("c1")}, {fld::token, 1}})
      .add(9, "store", obs::resource_rejected,
           {{fld::writer, s.n("c1")}, {fld::token, 1}, {fld::highest, 2}})
      .add(10, "c1", Kind::fault_pause, {{Key::fault, 0}})
      .add(11, "c1", Kind::fault_resume, {{Key::fault, 0}})
      .add(12, "", Kind::fault_partition, {{Key::fault, 1}})
      .add(13, "", Kind::fault_heal, {{Key::fault, 1}})
      .add(14, "", Kind::fault_skipped, {{Key::fault, 2}})
      .add(16, "c2", obs::lock_expired, {{fld::token, 2}})  // c2 held 10s
      .add(17, "c3", obs::lock_requested)
      .add(18, "c3", obs::lock_acquired, {{fld::token, 3}})  // c3 waited 1s
      .add(19, "c3", obs::lock_lost, {{fld::token, 3}})      // c3 held 1s
      .add(20, "c1", Kind::net_send, {{Key::to, s.n("lock")}})
      .add(20, "c1", Kind::net_send, {{Key::to, s.n("lock")}})
      .add(21, "lock", Kind::net_deliver, {{Key::from, s.n("c1")}})
      .add(21, "lock", Kind::net_drop, {{Key::from, s.n("c1")}});
  Metrics m;
  s.feed(m, 30);
  const auto v = by_name(m);
  EXPECT_EQ(v.at("lock.acquisitions"), 3);
  // Waits {1, 1, 5.5}: nearest rank p50 -> 2nd, p99 -> 3rd.
  EXPECT_DOUBLE_EQ(v.at("lock.wait_time.p50"), 1.0);
  EXPECT_DOUBLE_EQ(v.at("lock.wait_time.p99"), 5.5);
  EXPECT_DOUBLE_EQ(v.at("lock.wait_time.max"), 5.5);
  // Holds {1, 4, 10}.
  EXPECT_DOUBLE_EQ(v.at("lock.hold_time.p50"), 4.0);
  EXPECT_DOUBLE_EQ(v.at("lock.hold_time.max"), 10.0);
  EXPECT_EQ(v.at("lock.expirations"), 1);
  EXPECT_EQ(v.at("lock.lost"), 1);
  EXPECT_EQ(v.at("resource.writes"), 3);
  EXPECT_EQ(v.at("resource.rejected"), 1);
  EXPECT_EQ(v.at("resource.stale_writes"), 1);
  EXPECT_EQ(v.at("net.messages_sent"), 2);
  EXPECT_DOUBLE_EQ(v.at("lock.messages_per_acquisition"), 2.0 / 3.0);  // 2 sent, 3 acquired
  EXPECT_EQ(v.at("net.messages_delivered"), 1);
  EXPECT_EQ(v.at("net.messages_dropped"), 1);
  EXPECT_EQ(v.at("faults.injected"), 2);  // pause + partition; resume, heal, skipped do not count
}

TEST(Metrics, CrashEndsHoldAndAbandonsWait) {
  Script s;
  s.add(0, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(1, "c2", obs::lock_requested)
      .add(3, "c1", Kind::fault_crash, {{Key::fault, 0}})
      .add(4, "c2", Kind::fault_crash, {{Key::fault, 1}})
      .add(5, "c2", Kind::fault_restart, {{Key::fault, 1}})
      .add(9, "c2", obs::lock_acquired, {{fld::token, 2}});
  Metrics m;
  s.feed(m, 30);
  const auto v = by_name(m);
  EXPECT_DOUBLE_EQ(v.at("lock.hold_time.max"), 3.0);
  EXPECT_EQ(v.at("lock.wait_time.max"), 0);  // c2's wait was abandoned by its crash
  EXPECT_EQ(v.at("faults.injected"), 2);
}

TEST(Metrics, Percentiles_AreNearestRank) {
  Script s;
  // Waits of 1s..100s for one client each turn: p50 is the 50th, p99 the 99th.
  for (int i = 1; i <= 100; ++i) {
    const double start = i * 1000.0;
    s.add(start, "c1", obs::lock_requested)
        .add(start + i, "c1", obs::lock_acquired, {{fld::token, i}})
        .add(start + i, "c1", obs::lock_released, {{fld::token, i}});
  }
  Metrics m;
  s.feed(m, 200000);
  const auto v = by_name(m);
  EXPECT_DOUBLE_EQ(v.at("lock.wait_time.p50"), 50.0);
  EXPECT_DOUBLE_EQ(v.at("lock.wait_time.p99"), 99.0);
  EXPECT_DOUBLE_EQ(v.at("lock.wait_time.max"), 100.0);
  EXPECT_EQ(v.at("lock.hold_time.max"), 0);
}

// Failover, tenure and election counters on a trace worked out by hand (times in seconds):
//   n1 leads 2..10 (crash); n2 leads 13..35.5 (steps down); n4 leads 34.5..60 (run end).
//   Losses of the current leader: n1's crash at 10 (n2 elected at 13: 3s), n2's pause at 20
//   (cancelled by its confirmation at 21.5), n2 cut off from the majority at 30 (n4 elected at
//   34.5: 4.5s). Nobody led from 10 to 13.
TEST(Metrics, SmallElectionTrace_GivesHandComputedValues) {
  ElectionScript s;
  s.started(1, "n1", 1, /*prevote=*/true)
      .started(1.1, "n1", 1)
      .add(1.2, "n2", obs::vote_granted, {{fld::term, 1}, {fld::candidate, s.n("n1")}})
      .elected(2, "n1", 1)
      .confirmed(3, "n1", 1)
      .node_fault(10, "n1", Kind::fault_crash, 0)
      .started(11, "n3", 2)  // a split vote: term 2 elects nobody
      .started(12, "n2", 3)
      .elected(13, "n2", 3)
      .node_fault(14, "n1", Kind::fault_restart, 0)
      .node_fault(20, "n2", Kind::fault_pause, 1)
      .node_fault(21, "n2", Kind::fault_resume, 1)
      .confirmed(21.5, "n2", 3)
      .partition(30, {{"n2"}, {"n1", "n3", "n4", "n5"}}, 2)
      .started(34, "n4", 4)
      .elected(34.5, "n4", 4)
      .add(34.6, "n3", obs::term_changed, {{fld::term, 4}})
      .heal(35, 2)
      .stepped_down(35.5, "n2", 3)
      .add(50, "n5", obs::term_changed, {{fld::term, 5}});
  Metrics m;
  s.feed(m, 60);
  const auto v = by_name(m);
  EXPECT_EQ(v.count("lock.acquisitions"), 0u);
  EXPECT_DOUBLE_EQ(v.at("leader.rotation_time.p50"), 3.0);  // samples {3, 4.5}
  EXPECT_DOUBLE_EQ(v.at("leader.rotation_time.max"), 4.5);
  EXPECT_DOUBLE_EQ(v.at("leader.tenure.p50"), 22.5);  // samples {8, 22.5, 25.5}
  EXPECT_DOUBLE_EQ(v.at("leader.tenure.max"), 25.5);
  EXPECT_DOUBLE_EQ(v.at("leader.time_without"), 3.0);
  EXPECT_EQ(v.at("leader.elections"), 4);
  EXPECT_EQ(v.at("leader.prevotes"), 1);
  EXPECT_EQ(v.at("leader.terms"), 5);
  EXPECT_EQ(v.at("leader.split_votes"), 1);
  EXPECT_EQ(v.at("faults.injected"), 3);  // crash, pause, partition
}

TEST(Metrics, IsolatingTheLeaderStartsARotation_AClockStepDoesNot) {
  ElectionScript s;
  s.elected(1, "n1", 1)
      .add(5, "n1", Kind::fault_clock_step, {{Key::fault, 0}, {Key::by_ns, 1'000'000'000}})
      .elected(7, "n2", 2)  // no loss of n1 was seen: no rotation sample
      .isolate(10, "n2", 1)
      .elected(12.5, "n3", 3);
  Metrics m;
  s.feed(m, 20);
  const auto v = by_name(m);
  EXPECT_DOUBLE_EQ(v.at("leader.rotation_time.max"), 2.5);
  EXPECT_DOUBLE_EQ(v.at("leader.rotation_time.p50"), 2.5);
  EXPECT_EQ(v.at("leader.time_without"), 0);  // n1, n2 and n3 never stepped down
}

TEST(Metrics, TimeWithoutLeader_CountsOnlyAfterTheFirstElectionAndUntilTheEnd) {
  ElectionScript s;
  s.started(5, "n1", 1).elected(8, "n1", 1).stepped_down(12, "n1", 1);
  Metrics m;
  s.feed(m, 20);
  const auto v = by_name(m);
  EXPECT_DOUBLE_EQ(v.at("leader.time_without"), 8.0);  // 12..20; 0..8 was before any leader
  EXPECT_DOUBLE_EQ(v.at("leader.tenure.max"), 4.0);
  EXPECT_EQ(v.at("leader.rotation_time.max"), 0);  // the loss at 12 never ended
}

}  // namespace
}  // namespace lockstep::checkers::testing
