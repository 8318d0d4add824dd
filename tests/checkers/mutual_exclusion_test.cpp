// mutual_exclusion: verdicts and the explanation a person reads, on synthetic traces.
#include <gtest/gtest.h>

#include "tests/checkers/script.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::checkers::testing {
namespace {

using sim::Key;
using sim::Kind;
using sim::Verdict;

constexpr double kEnd = 60;

TEST(MutualExclusion, CleanHandoff_Holds) {
  Script s;
  s.add(1, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(5, "c1", obs::lock_released, {{fld::token, 1}})
      .add(6, "c2", obs::lock_acquired, {{fld::token, 2}})
      .add(8, "c2", obs::lock_expired, {{fld::token, 2}})
      .add(9, "c1", obs::lock_acquired, {{fld::token, 3}});
  const CheckResult r = s.check("mutual_exclusion", kEnd);
  EXPECT_EQ(r.checker, "mutual_exclusion");
  EXPECT_EQ(r.verdict, Verdict::holds);
  EXPECT_TRUE(r.explanation.empty());
  EXPECT_TRUE(r.evidence.empty());
}

TEST(MutualExclusion, OverlappingBeliefs_ViolatedWithBothHoldersAndOverlapLength) {
  Script s;
  s.clock("c1", -0.5, 0).clock("c2", 0.25, 0);
  s.add(2, "c1", obs::lock_acquired, {{fld::token, 1}, {fld::lease_ns, span(10).ns}})
      .add(13, "c2", obs::lock_acquired, {{fld::token, 2}})
      .add(16, "c1", obs::lock_expired, {{fld::token, 1}})
      .add(17, "c2", obs::lock_released, {{fld::token, 2}});
  const CheckResult r = s.check("mutual_exclusion", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  const std::string& x = r.explanation;
  EXPECT_NE(x.find("c1 (token 1, acquired at 2.000s true time, 1.500s on its monotonic clock)"),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("c2 (token 2, acquired at 13.000s true time, 13.250s on its monotonic clock)"),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("from 13.000s until 16.000s (3.000s of overlap, ended by c1's lock.expired)"),
            std::string::npos)
      << x;
  ASSERT_EQ(r.evidence.size(), 3u);
  EXPECT_NE(s.line(r.evidence[0]).find("2.000s c1 lock.acquired token=1"), std::string::npos);
  EXPECT_NE(s.line(r.evidence[1]).find("13.000s c2 lock.acquired token=2"), std::string::npos);
  EXPECT_NE(s.line(r.evidence[2]).find("16.000s c1 lock.expired token=1"), std::string::npos);
}

TEST(MutualExclusion, CrashEndsBelief_Holds) {
  Script s;
  s.add(2, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(5, "c1", Kind::fault_crash, {{Key::fault, 0}})
      .add(12, "c2", obs::lock_acquired, {{fld::token, 2}});
  EXPECT_EQ(s.check("mutual_exclusion", kEnd).verdict, Verdict::holds);
}

TEST(MutualExclusion, LostLeaseEndsBelief_Holds) {
  Script s;
  s.add(2, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(5, "c1", obs::lock_lost, {{fld::token, 1}})
      .add(6, "c2", obs::lock_acquired, {{fld::token, 2}});
  EXPECT_EQ(s.check("mutual_exclusion", kEnd).verdict, Verdict::holds);
}

TEST(MutualExclusion, PausedHolder_KeepsBelievingAndExplanationNamesThePause) {
  Script s;
  s.add(2, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(12, "c1", Kind::fault_pause, {{Key::fault, 0}})
      .add(13, "c2", obs::lock_acquired, {{fld::token, 2}})
      .add(27, "c1", Kind::fault_resume, {{Key::fault, 0}})
      .add(27, "c1", obs::lock_expired, {{fld::token, 1}});
  const CheckResult r = s.check("mutual_exclusion", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("14.000s of overlap"), std::string::npos) << r.explanation;
  EXPECT_NE(r.explanation.find("c1 was paused from 12.000s to 27.000s and only then saw its "
                               "lease end"),
            std::string::npos)
      << r.explanation;
  EXPECT_NE(r.explanation.find("fence"), std::string::npos) << r.explanation;
}

TEST(MutualExclusion, SteppedClock_ExplanationNamesTheStep) {
  Script s;
  s.add(2, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(5, "c1", Kind::fault_clock_step, {{Key::fault, 0}, {Key::by_ns, span(-2).ns}})
      .add(10, "c2", obs::lock_acquired, {{fld::token, 2}})
      .add(11, "c1", obs::lock_expired, {{fld::token, 1}});
  const CheckResult r = s.check("mutual_exclusion", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("c1's wall clock was stepped by -2s during its lease"),
            std::string::npos)
      << r.explanation;
}

// Issue 16 trap: the explanation advised fencing when fencing was on. The resource's rejection
// of the paused holder's write comes after the overlap ended, and still counts.
TEST(MutualExclusion, PausedHolderWithFencing_SaysFencingWorkedInsteadOfAdvisingIt) {
  Script s;
  s.add(2, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(12, "c1", Kind::fault_pause, {{Key::fault, 0}})
      .add(13, "c2", obs::lock_acquired, {{fld::token, 2}})
      .add(27, "c1", Kind::fault_resume, {{Key::fault, 0}})
      .add(27, "c1", obs::lock_expired, {{fld::token, 1}})
      .add(27.1, "store", obs::resource_rejected,
           {{fld::writer, s.n("c1")}, {fld::token, 1}, {fld::highest, 2}});
  const CheckResult r = s.check("mutual_exclusion", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("a lease alone cannot stop a paused holder; the resource's fencing "
                               "rejected 1 stale write of c1's, so the overlap did the resource "
                               "no harm"),
            std::string::npos)
      << r.explanation;
  EXPECT_EQ(r.explanation.find("fence the resource"), std::string::npos) << r.explanation;
}

// Issue 16 trap: a clock step on the lock server (the Redlock clock jump, Kleppmann 2016) made
// it grant early, and the explanation did not name it.
TEST(MutualExclusion, ServerClockStep_ExplanationNamesTheStepOnTheServer) {
  Script s;
  s.add(2, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(3, "lock", Kind::fault_clock_step, {{Key::fault, 0}, {Key::by_ns, span(15).ns}})
      .add(4, "c2", obs::lock_acquired, {{fld::token, 2}})
      .add(9, "c1", obs::lock_released, {{fld::token, 1}});
  const CheckResult r = s.check("mutual_exclusion", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("lock's wall clock was stepped by 15s at 3.000s, after c1 "
                               "acquired and before c2 did"),
            std::string::npos)
      << r.explanation;
  EXPECT_NE(r.explanation.find("count leases on a monotonic clock and fence the resource"),
            std::string::npos)
      << r.explanation;
}

TEST(MutualExclusion, SlowClock_ExplanationComparesLocalAndTrueLeaseTime) {
  Script s;
  s.add(2, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(12, "c2", obs::lock_acquired, {{fld::token, 2}})
      .clock("c1", -0.01, 0)
      .add(12.5, "c1", obs::lock_expired, {{fld::token, 1}});
  const CheckResult r = s.check("mutual_exclusion", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("c1's monotonic clock counted 10.490s of its lease while 10.500s "
                               "truly passed"),
            std::string::npos)
      << r.explanation;
}

// Events at one instant are processed in trace order: release then acquire is a clean handoff.
TEST(MutualExclusion, ReleaseThenAcquireAtSameInstant_Holds) {
  Script s;
  s.add(2, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(5, "c1", obs::lock_released, {{fld::token, 1}})
      .add(5, "c2", obs::lock_acquired, {{fld::token, 2}});
  EXPECT_EQ(s.check("mutual_exclusion", kEnd).verdict, Verdict::holds);
}

// ...and acquire then release at one instant is an overlap of zero length: both believed.
TEST(MutualExclusion, AcquireThenReleaseAtSameInstant_ViolatedWithZeroOverlap) {
  Script s;
  s.add(2, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(5, "c2", obs::lock_acquired, {{fld::token, 2}})
      .add(5, "c1", obs::lock_released, {{fld::token, 1}});
  const CheckResult r = s.check("mutual_exclusion", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("(0.000s of overlap"), std::string::npos) << r.explanation;
}

TEST(MutualExclusion, OverlapLastingToRunEnd_SaysItWasStillOngoing) {
  Script s;
  s.add(2, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(40, "c2", obs::lock_acquired, {{fld::token, 2}});
  const CheckResult r = s.check("mutual_exclusion", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("until the run ended at 60.000s (20.000s of overlap, still "
                               "ongoing)"),
            std::string::npos)
      << r.explanation;
  EXPECT_EQ(r.evidence.size(), 2u);
}

// A late expiry for an older token must not end a newer belief and hide the overlap.
TEST(MutualExclusion, StaleTokenExpiry_DoesNotEndNewerBelief) {
  Script s;
  s.add(2, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(3, "c1", obs::lock_expired, {{fld::token, 1}})
      .add(4, "c1", obs::lock_acquired, {{fld::token, 3}})
      .add(5, "c1", obs::lock_expired, {{fld::token, 1}})
      .add(6, "c2", obs::lock_acquired, {{fld::token, 4}});
  const CheckResult r = s.check("mutual_exclusion", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("c1 (token 3"), std::string::npos) << r.explanation;
}

// The first overlap is the one reported, even when later ones are longer.
TEST(MutualExclusion, SeveralOverlaps_ReportsTheFirst) {
  Script s;
  s.add(1, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(2, "c2", obs::lock_acquired, {{fld::token, 2}})
      .add(3, "c1", obs::lock_released, {{fld::token, 1}})
      .add(4, "c3", obs::lock_acquired, {{fld::token, 3}});
  const CheckResult r = s.check("mutual_exclusion", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("from 2.000s until 3.000s (1.000s of overlap"), std::string::npos)
      << r.explanation;
  EXPECT_EQ(r.explanation.find("c3"), std::string::npos) << r.explanation;
}

}  // namespace
}  // namespace lockstep::checkers::testing
