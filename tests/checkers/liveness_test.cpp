// liveness {within}: after the last fault, the lock is never unused for longer than `within`
// while a client waits for it.
#include <gtest/gtest.h>

#include "tests/checkers/script.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::checkers::testing {
namespace {

using sim::Key;
using sim::Kind;
using sim::Verdict;

constexpr double kEnd = 60;

TEST(Liveness, QuickAcquireAfterFault_Holds) {
  Script s;
  s.add(5, "c3", Kind::fault_crash, {{Key::fault, 0}})
      .add(6, "c1", obs::lock_requested)
      .add(8, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(9, "c2", obs::lock_requested)
      .add(18.5, "c2", obs::lock_acquired, {{fld::token, 2}});
  const CheckResult r = s.check("liveness", kEnd);
  EXPECT_EQ(r.checker, "liveness");
  EXPECT_EQ(r.verdict, Verdict::holds);
  EXPECT_TRUE(r.explanation.empty());
}

TEST(Liveness, LongWaitAfterLastFault_ViolatedNamingClientAndWait) {
  Script s;
  s.add(20, "", Kind::fault_partition, {{Key::fault, 1}}, "c1 | lock c2 store")
      .add(22, "c2", obs::lock_requested)
      .add(25, "", Kind::fault_heal, {{Key::fault, 1}})
      .add(39, "c2", obs::lock_acquired, {{fld::token, 2}});
  const CheckResult r = s.check("liveness", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  const std::string& x = r.explanation;
  EXPECT_NE(x.find("No client held the lock from 22.000s to 39.000s while c2 waited for it "
                   "(since 22.000s), until c2 acquired it"),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("14.000s unused after the last fault at 25.000s, more than within=10s"),
            std::string::npos)
      << x;
  ASSERT_EQ(r.evidence.size(), 3u);
  EXPECT_NE(s.line(r.evidence[0]).find("22.000s c2 lock.requested"), std::string::npos);
  EXPECT_NE(s.line(r.evidence[1]).find("39.000s c2 lock.acquired token=2"), std::string::npos);
  EXPECT_NE(s.line(r.evidence[2]).find("25.000s fault.heal fault=1"), std::string::npos);
}

TEST(Liveness, WaitsBeforeTheLastFault_DoNotCount) {
  Script s;
  s.add(1, "c1", obs::lock_requested)
      .add(20, "c1", obs::lock_acquired, {{fld::token, 1}})  // 19s, all before the fault
      .add(21, "c2", obs::lock_requested)
      .add(25, "", Kind::fault_heal, {{Key::fault, 0}})
      .add(33, "c2", obs::lock_acquired, {{fld::token, 2}});  // 12s, but 8s after the fault
  EXPECT_EQ(s.check("liveness", kEnd).verdict, Verdict::holds);
}

TEST(Liveness, WaitStartingAfterLastFault_ViolatedCountedFromItsStart) {
  Script s;
  s.add(5, "c1", Kind::fault_pause, {{Key::fault, 0}})
      .add(30, "c1", obs::lock_requested)
      .add(42.5, "c1", obs::lock_acquired, {{fld::token, 1}});
  const CheckResult r = s.check("liveness", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("12.500s unused, all after the last fault at 5.000s"),
            std::string::npos)
      << r.explanation;
}

TEST(Liveness, StillWaitingAtRunEnd_Violated) {
  Script s;
  s.add(30, "c2", obs::lock_requested);
  const CheckResult r = s.check("liveness", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("No client held the lock from 30.000s to 60.000s while c2 waited "
                               "for it (since 30.000s), until the run ended: 30.000s unused in a "
                               "run with no faults"),
            std::string::npos)
      << r.explanation;
  EXPECT_EQ(r.evidence.size(), 1u);
}

TEST(Liveness, RunEndsTooSoonAfterLastFault_Inconclusive) {
  Script s;
  s.add(1, "c1", obs::lock_requested)
      .add(2, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(55, "c1", Kind::fault_crash, {{Key::fault, 0}});
  const CheckResult r = s.check("liveness", kEnd);
  ASSERT_EQ(r.verdict, Verdict::inconclusive);
  EXPECT_NE(r.explanation.find("only 5.000s after the last fault at 55.000s, less than "
                               "within=10s"),
            std::string::npos)
      << r.explanation;
  EXPECT_NE(r.explanation.find("run until at least 65.000s"), std::string::npos) << r.explanation;
}

TEST(Liveness, CrashedWaiter_NotCounted) {
  Script s;
  s.add(30, "c1", obs::lock_requested).add(31, "c1", Kind::fault_crash, {{Key::fault, 0}});
  EXPECT_EQ(s.check("liveness", kEnd).verdict, Verdict::holds);
}

TEST(Liveness, SkippedFault_IsNotTheLastFault) {
  Script s;
  s.add(55, "", Kind::fault_skipped, {{Key::fault, 0}}, "crash: no holder");
  EXPECT_EQ(s.check("liveness", kEnd).verdict, Verdict::holds);
}

// A long wait that looked like a violation is cleared when a later fault arrives.
TEST(Liveness, LongWaitFollowedByLaterFault_Holds) {
  Script s;
  s.add(1, "c1", obs::lock_requested)
      .add(15, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(20, "c3", Kind::fault_clock_step, {{Key::fault, 0}, {Key::by_ns, span(1).ns}});
  EXPECT_EQ(s.check("liveness", kEnd).verdict, Verdict::holds);
}

TEST(Liveness, WithinParam_IsHonoured) {
  Script s;
  s.add(10, "c1", obs::lock_requested).add(13, "c1", obs::lock_acquired, {{fld::token, 1}});
  EXPECT_EQ(s.check("liveness", kEnd).verdict, Verdict::holds);
  const CheckResult r = s.check("liveness", kEnd, "2s");
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("more than within=2s"), std::string::npos) << r.explanation;
}

// A stall names the client that has waited longest.
TEST(Liveness, SeveralWaiters_NamesTheLongestWaiting) {
  Script s;
  s.add(10, "c2", obs::lock_requested)
      .add(20, "c1", obs::lock_requested)
      .add(45, "c1", obs::lock_acquired, {{fld::token, 1}});
  const CheckResult r = s.check("liveness", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("while c2 waited for it (since 10.000s), until c1 acquired it"),
            std::string::npos)
      << r.explanation;
}

// Waiting behind a holder that keeps the lock for a long time is not a liveness failure.
TEST(Liveness, LongHoldWhileOthersWait_Holds) {
  Script s;
  s.add(2, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(3, "c2", obs::lock_requested)
      .add(40, "c1", obs::lock_released, {{fld::token, 1}})
      .add(41, "c2", obs::lock_acquired, {{fld::token, 2}});
  EXPECT_EQ(s.check("liveness", kEnd).verdict, Verdict::holds);
}

// Once the holder lets go, the clock starts: the lock unused for 12s while c2 waits.
TEST(Liveness, LockUnusedAfterReleaseWhileClientWaits_Violated) {
  Script s;
  s.add(2, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(3, "c2", obs::lock_requested)
      .add(40, "c1", obs::lock_expired, {{fld::token, 1}})
      .add(52, "c2", obs::lock_acquired, {{fld::token, 2}});
  const CheckResult r = s.check("liveness", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("from 40.000s to 52.000s while c2 waited for it (since 3.000s)"),
            std::string::npos)
      << r.explanation;
}

}  // namespace
}  // namespace lockstep::checkers::testing
