// single_leader: at most one node believes it leads at any true instant.
#include <gtest/gtest.h>

#include "tests/checkers/election_script.hpp"

namespace lockstep::checkers::testing {
namespace {

using sim::Kind;
using sim::Verdict;

constexpr double kEnd = 60;

TEST(SingleLeader, CleanHandoffs_Hold) {
  ElectionScript s;
  s.elected(1, "n1", 1)
      .stepped_down(10, "n1", 1)
      .elected(10, "n2", 2)  // same instant, after the step-down: a clean handoff
      .node_fault(20, "n2", Kind::fault_crash, 0)
      .elected(22, "n3", 3);
  const CheckResult r = s.check("single_leader", kEnd);
  EXPECT_EQ(r.checker, "single_leader");
  EXPECT_EQ(r.verdict, Verdict::holds);
  EXPECT_TRUE(r.explanation.empty());
}

TEST(SingleLeader, ReElectedWithoutSteppingDown_IsOneBelief) {
  ElectionScript s;
  s.elected(1, "n1", 1).elected(5, "n1", 2).stepped_down(8, "n1", 2).elected(9, "n2", 3);
  EXPECT_EQ(s.check("single_leader", kEnd).verdict, Verdict::holds);
}

TEST(SingleLeader, PausedStaleLeader_ViolatedWithLengthDifferentTermsAndPause) {
  ElectionScript s;
  s.elected(2, "n1", 1)
      .node_fault(10, "n1", Kind::fault_pause, 0)
      .elected(14, "n2", 2)
      .node_fault(20, "n1", Kind::fault_resume, 0)
      .stepped_down(20.5, "n1", 1, "higher term 2 seen");
  const CheckResult r = s.check("single_leader", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  const std::string& x = r.explanation;
  EXPECT_NE(x.find("n1 (leader of term 1 since 2.000s true time, 2.000s on its monotonic clock) "
                   "and n2 (leader of term 2 since 14.000s"),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("both believed they led from 14.000s until 20.500s (6.500s of overlap, ended "
                   "by n1's leader.stepped_down \"higher term 2 seen\")"),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("The terms differ (term 1 and term 2): n1 is a stale leader still acting"),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("not an election-safety break"), std::string::npos) << x;
  EXPECT_NE(x.find("n1 was paused from 10.000s to 20.000s"), std::string::npos) << x;
  ASSERT_EQ(r.evidence.size(), 3u);
  EXPECT_NE(s.line(r.evidence[0]).find("2.000s n1 leader.elected term=1"), std::string::npos);
  EXPECT_NE(s.line(r.evidence[1]).find("14.000s n2 leader.elected term=2"), std::string::npos);
  EXPECT_NE(s.line(r.evidence[2]).find("20.500s n1 leader.stepped_down"), std::string::npos);
}

TEST(SingleLeader, IsolatedLeaderStillBelievingAtEnd_ViolatedStillOngoing) {
  ElectionScript s;
  s.elected(2, "n1", 1).isolate(10, "n1", 0).elected(13, "n3", 2);
  const CheckResult r = s.check("single_leader", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("from 13.000s until the run ended at 60.000s (47.000s of overlap, "
                               "still ongoing)"),
            std::string::npos)
      << r.explanation;
  EXPECT_NE(r.explanation.find("n1 was isolated from 10.000s on"), std::string::npos)
      << r.explanation;
  EXPECT_EQ(r.evidence.size(), 2u);
}

TEST(SingleLeader, SameTermOverlap_SaysElectionSafetyIsBrokenToo) {
  ElectionScript s;
  s.elected(2, "n1", 3).elected(4, "n2", 3).node_fault(7, "n2", Kind::fault_crash, 0);
  const CheckResult r = s.check("single_leader", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("(3.000s of overlap, ended by n2's fault.crash)"), std::string::npos)
      << r.explanation;
  EXPECT_NE(r.explanation.find("Both led term 3, so election safety is broken too"),
            std::string::npos)
      << r.explanation;
}

TEST(SingleLeader, CrashEndsBelief_NoOverlapAfterIt) {
  ElectionScript s;
  s.elected(2, "n1", 1)
      .node_fault(5, "n1", Kind::fault_crash, 0)
      .node_fault(6, "n1", Kind::fault_restart, 0)
      .elected(8, "n2", 2);
  EXPECT_EQ(s.check("single_leader", kEnd).verdict, Verdict::holds);
}

TEST(SingleLeader, ElectedThenStepDownAtSameInstant_IsZeroLengthOverlap) {
  ElectionScript s;
  s.elected(1, "n1", 1).elected(10, "n2", 2).stepped_down(10, "n1", 1);
  const CheckResult r = s.check("single_leader", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("(0.000s of overlap"), std::string::npos) << r.explanation;
}

}  // namespace
}  // namespace lockstep::checkers::testing
