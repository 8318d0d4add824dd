// election_safety: at most one leader per term.
#include <gtest/gtest.h>

#include "tests/checkers/election_script.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::checkers::testing {
namespace {

using sim::Verdict;

constexpr double kEnd = 60;

TEST(ElectionSafety, OneLeaderPerTerm_Holds) {
  ElectionScript s;
  s.elected(1, "n1", 1).elected(5, "n2", 2).elected(5.5, "n2", 2).elected(9, "n1", 3);
  const CheckResult r = s.check("election_safety", kEnd);
  EXPECT_EQ(r.checker, "election_safety");
  EXPECT_EQ(r.verdict, Verdict::holds);
  EXPECT_TRUE(r.explanation.empty());
  EXPECT_TRUE(r.evidence.empty());
}

TEST(ElectionSafety, NoElectionAtAll_Holds) {
  ElectionScript s;
  s.started(1, "n1", 1).started(2, "n2", 2);
  EXPECT_EQ(s.check("election_safety", kEnd).verdict, Verdict::holds);
}

TEST(ElectionSafety, TwoLeadersOfOneTerm_ViolatedNamingBothTermAndTimes) {
  ElectionScript s;
  s.clock_offset(0.25).elected(3, "n1", 4).elected(7, "n3", 5).elected(8, "n2", 4);
  const CheckResult r = s.check("election_safety", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("n1 (elected at 3.000s true time, 3.250s on its monotonic clock) "
                               "and n2 (elected at 8.000s true time, 8.250s on its monotonic "
                               "clock) were both elected leader of term 4"),
            std::string::npos)
      << r.explanation;
  EXPECT_NE(r.explanation.find("one vote per term"), std::string::npos) << r.explanation;
  ASSERT_EQ(r.evidence.size(), 2u);
  EXPECT_NE(s.line(r.evidence[0]).find("3.000s n1 leader.elected term=4"), std::string::npos);
  EXPECT_NE(s.line(r.evidence[1]).find("8.000s n2 leader.elected term=4"), std::string::npos);
}

TEST(ElectionSafety, FirstViolationIsKept) {
  ElectionScript s;
  s.elected(1, "n1", 1)
      .elected(2, "n2", 1)
      .elected(3, "n3", 1)
      .elected(4, "n4", 2)
      .elected(5, "n5", 2);
  const CheckResult r = s.check("election_safety", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("n1 (elected at 1.000s"), std::string::npos);
  EXPECT_NE(r.explanation.find("n2 (elected at 2.000s"), std::string::npos);
  EXPECT_EQ(r.explanation.find("n3"), std::string::npos) << r.explanation;
}

TEST(ElectionSafety, ElectionWithoutTerm_IsIgnored) {
  ElectionScript s;
  s.add(1, "n1", obs::leader_elected).add(2, "n2", obs::leader_elected);
  EXPECT_EQ(s.check("election_safety", kEnd).verdict, Verdict::holds);
}

// The checker remembers the 4096 highest terms; an election in a term it forgot cannot be
// compared, so it does not claim the property holds.
TEST(ElectionSafety, ElectionInAForgottenTerm_Inconclusive) {
  ElectionScript s;
  for (int64_t t = 1; t <= 5000; ++t) s.elected(static_cast<double>(t) / 100, "n1", t);
  s.elected(51, "n2", 3);
  const CheckResult r = s.check("election_safety", kEnd);
  ASSERT_EQ(r.verdict, Verdict::inconclusive);
  EXPECT_NE(r.explanation.find("1 leader election(s) named a term at or below 904"),
            std::string::npos)
      << r.explanation;
  EXPECT_NE(r.explanation.find("n2's at 51.000s"), std::string::npos) << r.explanation;
  ASSERT_EQ(r.evidence.size(), 1u);
}

TEST(ElectionSafety, ViolationInRememberedTermsBeatsForgottenOnes) {
  ElectionScript s;
  for (int64_t t = 1; t <= 5000; ++t) s.elected(static_cast<double>(t) / 100, "n1", t);
  s.elected(51, "n2", 3).elected(52, "n3", 5000);
  EXPECT_EQ(s.check("election_safety", kEnd).verdict, Verdict::violated);
}

}  // namespace
}  // namespace lockstep::checkers::testing
