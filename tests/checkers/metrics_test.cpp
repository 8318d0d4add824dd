// Metrics: names in a fixed order and the values a small hand-computed trace must give.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "checkers/metrics.hpp"
#include "tests/checkers/script.hpp"

namespace lockstep::checkers::testing {
namespace {

using sim::Key;
using sim::Kind;

std::map<std::string, double> by_name(const Metrics& m) {
  std::map<std::string, double> out;
  for (const Metric& v : m.values()) out[v.name] = v.value;
  return out;
}

TEST(Metrics, EmptyTrace_AllZeroInFixedOrder) {
  Script s;
  Metrics m;
  s.feed(m, 10);
  const std::vector<std::string> expected = {"lock.acquisitions",      "lock.wait_time.p50",
                                             "lock.wait_time.p99",     "lock.wait_time.max",
                                             "lock.hold_time.p50",     "lock.hold_time.max",
                                             "lock.expirations",       "lock.lost",
                                             "resource.writes",        "resource.rejected",
                                             "resource.stale_writes",  "net.messages_sent",
                                             "net.messages_delivered", "net.messages_dropped",
                                             "faults.injected",        "leader.elections"};
  ASSERT_EQ(m.values().size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(m.values()[i].name, expected[i]);
    EXPECT_EQ(m.values()[i].value, 0) << expected[i];
  }
  EXPECT_EQ(m.values()[1].unit, "s");
  EXPECT_EQ(m.values()[0].unit, "count");
}

TEST(Metrics, SmallLockTrace_GivesHandComputedValues) {
  Script s;
  s.add(0, "c1", Kind::lock_requested)
      .add(0.5, "c2", Kind::lock_requested)
      .add(1, "c1", Kind::lock_acquired, {{Key::token, 1}})  // c1 waited 1s
      .add(2, "store", Kind::resource_write, {{Key::writer, s.n("c1")}, {Key::token, 1}})
      .add(5, "c1", Kind::lock_released, {{Key::token, 1}})  // c1 held 4s
      .add(6, "c2", Kind::lock_acquired, {{Key::token, 2}})  // c2 waited 5.5s
      .add(7, "store", Kind::resource_write, {{Key::writer, s.n("c2")}, {Key::token, 2}})
      .add(8, "store", Kind::resource_write, {{Key::writer, s.n("c1")}, {Key::token, 1}})
      .add(9, "store", Kind::resource_rejected,
           {{Key::writer, s.n("c1")}, {Key::token, 1}, {Key::highest, 2}})
      .add(10, "c1", Kind::fault_pause, {{Key::fault, 0}})
      .add(11, "c1", Kind::fault_resume, {{Key::fault, 0}})
      .add(12, "", Kind::fault_partition, {{Key::fault, 1}})
      .add(13, "", Kind::fault_heal, {{Key::fault, 1}})
      .add(14, "", Kind::fault_skipped, {{Key::fault, 2}})
      .add(16, "c2", Kind::lock_expired, {{Key::token, 2}})  // c2 held 10s
      .add(17, "c3", Kind::lock_requested)
      .add(18, "c3", Kind::lock_acquired, {{Key::token, 3}})  // c3 waited 1s
      .add(19, "c3", Kind::lock_lost, {{Key::token, 3}})      // c3 held 1s
      .add(20, "c1", Kind::net_send, {{Key::to, s.n("lock")}})
      .add(20, "c1", Kind::net_send, {{Key::to, s.n("lock")}})
      .add(21, "lock", Kind::net_deliver, {{Key::from, s.n("c1")}})
      .add(21, "lock", Kind::net_drop, {{Key::from, s.n("c1")}})
      .add(22, "c2", Kind::election_started, {{Key::term, 1}});
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
  EXPECT_EQ(v.at("net.messages_delivered"), 1);
  EXPECT_EQ(v.at("net.messages_dropped"), 1);
  EXPECT_EQ(v.at("faults.injected"), 2);  // pause + partition; resume, heal, skipped do not count
  EXPECT_EQ(v.at("leader.elections"), 1);
}

TEST(Metrics, CrashEndsHoldAndAbandonsWait) {
  Script s;
  s.add(0, "c1", Kind::lock_acquired, {{Key::token, 1}})
      .add(1, "c2", Kind::lock_requested)
      .add(3, "c1", Kind::fault_crash, {{Key::fault, 0}})
      .add(4, "c2", Kind::fault_crash, {{Key::fault, 1}})
      .add(5, "c2", Kind::fault_restart, {{Key::fault, 1}})
      .add(9, "c2", Kind::lock_acquired, {{Key::token, 2}});
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
    s.add(start, "c1", Kind::lock_requested)
        .add(start + i, "c1", Kind::lock_acquired, {{Key::token, i}})
        .add(start + i, "c1", Kind::lock_released, {{Key::token, i}});
  }
  Metrics m;
  s.feed(m, 200000);
  const auto v = by_name(m);
  EXPECT_DOUBLE_EQ(v.at("lock.wait_time.p50"), 50.0);
  EXPECT_DOUBLE_EQ(v.at("lock.wait_time.p99"), 99.0);
  EXPECT_DOUBLE_EQ(v.at("lock.wait_time.max"), 100.0);
  EXPECT_EQ(v.at("lock.hold_time.max"), 0);
}

}  // namespace
}  // namespace lockstep::checkers::testing
