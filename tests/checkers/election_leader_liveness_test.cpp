// leader_liveness {within}: once faults stop and a majority of the election nodes is up and
// connected, a confirmed leader appears within `within` and stays leader, confirmed, to the end.
#include <gtest/gtest.h>

#include "tests/checkers/election_script.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::checkers::testing {
namespace {

using sim::Kind;
using sim::Verdict;

constexpr double kEnd = 60;

CheckResult check(const ElectionScript& s, const char* within = "5s", double end = kEnd) {
  return s.check("leader_liveness", end, std::string(within));
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- Holds -----------------------------------------------------------------------------------

TEST(LeaderLiveness, FailoverAfterLeaderCrash_Holds) {
  ElectionScript s;
  s.elected(1, "n1", 1)
      .confirmed_every(1.5, 10, 1, "n1", 1)
      .node_fault(10, "n1", Kind::fault_crash, 0)
      .elected(12, "n2", 2)
      .confirmed_every(12.5, kEnd, 1, "n2", 2)
      .node_fault(15, "n1", Kind::fault_restart, 0);
  const CheckResult r = check(s);
  EXPECT_EQ(r.checker, "leader_liveness");
  EXPECT_EQ(r.verdict, Verdict::holds) << r.explanation;
  EXPECT_TRUE(r.explanation.empty());
}

TEST(LeaderLiveness, NoFaults_JudgedFromTheStart_Holds) {
  ElectionScript s;
  s.elected(1, "n1", 1).confirmed_every(2, kEnd, 2, "n1", 1);
  EXPECT_EQ(check(s).verdict, Verdict::holds);
}

TEST(LeaderLiveness, ChurnInsideTheWindow_Holds) {
  ElectionScript s;
  s.node_fault(10, "n4", Kind::fault_crash, 0)
      .elected(11, "n1", 2)  // never confirmed, replaced: fine before T + within
      .elected(13, "n2", 3)
      .confirmed_every(14, kEnd, 1, "n2", 3);
  EXPECT_EQ(check(s).verdict, Verdict::holds) << check(s).explanation;
}

TEST(LeaderLiveness, ConfirmationWithoutTerm_Counts) {
  ElectionScript s;
  s.elected(1, "n1", 1);
  for (double t = 2; t < kEnd; t += 2) s.add(t, "n1", obs::leader_confirmed);
  EXPECT_EQ(check(s).verdict, Verdict::holds);
}

// ---- Inconclusive ----------------------------------------------------------------------------

TEST(LeaderLiveness, RunEndsBeforeLastFaultPlusWithin_Inconclusive) {
  ElectionScript s;
  s.elected(1, "n1", 1)
      .confirmed_every(2, kEnd, 1, "n1", 1)
      .node_fault(55, "n5", Kind::fault_clock_step, 0);
  const CheckResult r = check(s, "10s");
  ASSERT_EQ(r.verdict, Verdict::inconclusive);
  EXPECT_TRUE(has(r.explanation,
                  "The run ended at 60.000s, only 5.000s after the last fault at "
                  "55.000s, less than within=10s"))
      << r.explanation;
  EXPECT_TRUE(has(r.explanation, "run until at least 65.000s")) << r.explanation;
  ASSERT_EQ(r.evidence.size(), 1u);
  EXPECT_TRUE(has(s.line(r.evidence[0]), "55.000s n5 fault.clock_step"));
}

TEST(LeaderLiveness, MajorityCrashed_InconclusiveNamingThem) {
  ElectionScript s;
  s.elected(1, "n1", 1)
      .node_fault(10, "n3", Kind::fault_crash, 0)
      .node_fault(11, "n4", Kind::fault_crash, 1)
      .node_fault(12, "n5", Kind::fault_pause, 2);
  const CheckResult r = check(s);
  ASSERT_EQ(r.verdict, Verdict::inconclusive);
  EXPECT_TRUE(has(r.explanation,
                  "No majority (3 of 5 election nodes) was up, unpaused and "
                  "mutually connected after the last fault at 12.000s (crashed: "
                  "n3, n4; paused: n5)"))
      << r.explanation;
}

TEST(LeaderLiveness, PartitionWithoutMajoritySide_InconclusiveListingBlockedLinks) {
  ElectionScript s;
  s.elected(1, "n1", 1).partition(10, {{"n1", "n2"}, {"n3"}, {"n4", "n5"}}, 0);
  const CheckResult r = check(s);
  ASSERT_EQ(r.verdict, Verdict::inconclusive);
  EXPECT_TRUE(has(r.explanation,
                  "blocked links: n1->n3, n1->n4, n1->n5, n2->n3, "
                  "n2->n4, n2->n5 and 10 more"))
      << r.explanation;
}

// Every node up, but the links that work form a ring n1-n2-n3-n4-n5-n1: no three nodes all reach
// each other, so there is no connected majority.
TEST(LeaderLiveness, CutsLeavingOnlyARing_Inconclusive) {
  ElectionScript s;
  s.elected(1, "n1", 1).confirmed_every(2, kEnd, 1, "n1", 1);
  s.cut(10, {{"n1", "n3"}, {"n1", "n4"}, {"n2", "n4"}, {"n2", "n5"}, {"n5", "n3"}}, 0);
  const CheckResult r = check(s);
  EXPECT_EQ(r.verdict, Verdict::inconclusive) << r.explanation;
  EXPECT_TRUE(has(r.explanation, "No majority")) << r.explanation;
}

// The store neither votes nor counts: 3 of the 5 election nodes are a majority even with n1, n2
// and the store down, and a store crash is no reason to expect less.
TEST(LeaderLiveness, StoreDoesNotCountTowardsTheMajority) {
  ElectionScript s;
  s.elected(1, "n3", 1)
      .confirmed_every(2, kEnd, 1, "n3", 1)
      .node_fault(10, "n1", Kind::fault_crash, 0)
      .node_fault(10, "n2", Kind::fault_crash, 1)
      .node_fault(10, "store", Kind::fault_crash, 2);
  EXPECT_EQ(check(s).verdict, Verdict::holds) << check(s).explanation;
}

// ---- Partitions and the majority side ---------------------------------------------------------

TEST(LeaderLiveness, PermanentPartition_MajoritySideElects_Holds) {
  ElectionScript s;
  s.elected(1, "n1", 1)
      .confirmed_every(2, 10, 1, "n1", 1)
      .partition(10, {{"n1", "n2"}, {"n3", "n4", "n5"}}, 0)
      .elected(13, "n4", 2)
      .confirmed_every(13.5, kEnd, 1, "n4", 2);
  EXPECT_EQ(check(s).verdict, Verdict::holds) << check(s).explanation;
}

TEST(LeaderLiveness, PermanentPartition_MinorityLeaderKeepsBelieving_Violated) {
  ElectionScript s;
  s.elected(1, "n1", 1)
      .confirmed_every(2, 10, 1, "n1", 1)
      .partition(10, {{"n1", "n2"}, {"n3", "n4", "n5"}}, 0);
  const CheckResult r = check(s);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_TRUE(has(r.explanation,
                  "n1 led term 1 but was last confirmed at 9.000s, 51.000s before "
                  "the run ended at 60.000s, more than within=5s after the last "
                  "fault at 10.000s"))
      << r.explanation;
  EXPECT_TRUE(has(r.explanation,
                  "n1 was cut off from a majority, and the others did not "
                  "replace it, while a majority (n3, n4, n5) was up and connected"))
      << r.explanation;
}

TEST(LeaderLiveness, HealedPartition_CountsFromTheHeal) {
  ElectionScript s;
  s.partition(5, {{"n1", "n2"}, {"n3", "n4", "n5"}}, 0)
      .heal(20, 0)
      .elected(24, "n1", 3)
      .confirmed_every(24.5, kEnd, 1, "n1", 3);
  EXPECT_EQ(check(s).verdict, Verdict::holds) << check(s).explanation;
  ElectionScript late;
  late.partition(5, {{"n1", "n2"}, {"n3", "n4", "n5"}}, 0)
      .heal(20, 0)
      .elected(26, "n1", 3)
      .confirmed_every(26.5, kEnd, 1, "n1", 3);
  const CheckResult r = check(late);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_TRUE(has(r.explanation,
                  "No node led at 25.000s (within=5s after the last fault at "
                  "20.000s); then n1 was elected leader of term 3 at 26.000s"))
      << r.explanation;
}

// ---- Violations ------------------------------------------------------------------------------

TEST(LeaderLiveness, ElectedButNeverConfirmed_Violated) {
  ElectionScript s;
  s.node_fault(10, "n5", Kind::fault_crash, 0).elected(12, "n2", 4);
  const CheckResult r = check(s);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_TRUE(has(r.explanation,
                  "n2 was elected leader of term 4 at 12.000s but not confirmed "
                  "by a majority (leader.confirmed) by 15.000s (within=5s after "
                  "the last fault at 10.000s); it was never confirmed"))
      << r.explanation;
  EXPECT_TRUE(has(r.explanation, "while a majority (n1, n2, n3, n4) was up and connected"))
      << r.explanation;
  ASSERT_GE(r.evidence.size(), 2u);
  EXPECT_TRUE(has(s.line(r.evidence[0]), "10.000s n5 fault.crash"));
  EXPECT_TRUE(has(s.line(r.evidence[1]), "12.000s n2 leader.elected term=4"));
}

TEST(LeaderLiveness, ConfirmedOnlyAfterTheDeadline_Violated) {
  ElectionScript s;
  s.node_fault(10, "n5", Kind::fault_crash, 0)
      .elected(12, "n2", 4)
      .confirmed_every(18, kEnd, 1, "n2", 4);
  const CheckResult r = check(s);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_TRUE(has(r.explanation, "; its first confirmation came only at 18.000s")) << r.explanation;
}

TEST(LeaderLiveness, NoLeaderEver_Violated) {
  ElectionScript s;
  s.started(3, "n1", 1).started(6, "n2", 2);
  const CheckResult r = check(s);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_TRUE(has(r.explanation,
                  "No node led at 5.000s (within=5s after the start of the run, "
                  "which had no faults); none was elected before the run ended at "
                  "60.000s"))
      << r.explanation;
}

TEST(LeaderLiveness, LeadershipMovesToANewTermAfterTheDeadline_Violated) {
  ElectionScript s;
  s.node_fault(10, "n5", Kind::fault_crash, 0)
      .elected(11, "n1", 2)
      .confirmed_every(12, 30, 1, "n1", 2)
      .elected(30, "n2", 3)
      .confirmed_every(31, kEnd, 1, "n2", 3);
  const CheckResult r = check(s);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_TRUE(has(r.explanation,
                  "n1 led term 2 (confirmed at 12.000s) but leadership did not "
                  "stay after 15.000s (within=5s after the last fault at 10.000s): "
                  "n2 was elected leader of term 3 at 30.000s, replacing n1 (term "
                  "2)"))
      << r.explanation;
  EXPECT_TRUE(has(r.explanation, "Leadership that keeps moving is unavailability"))
      << r.explanation;
  EXPECT_TRUE(has(s.line(r.evidence.back()), "30.000s n2 leader.elected term=3"));
}

TEST(LeaderLiveness, SameLeaderReElectedInANewTerm_Violated) {
  ElectionScript s;
  s.elected(1, "n1", 1)
      .confirmed_every(2, 30, 1, "n1", 1)
      .elected(30, "n1", 2)
      .confirmed_every(31, kEnd, 1, "n1", 2);
  const CheckResult r = check(s);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_TRUE(has(r.explanation,
                  "n1 was elected leader of term 2 at 30.000s, replacing n1 (term "
                  "1)"))
      << r.explanation;
}

TEST(LeaderLiveness, LeaderStepsDownAfterTheDeadline_Violated) {
  ElectionScript s;
  s.elected(1, "n1", 1)
      .confirmed_every(2, 40, 1, "n1", 1)
      .stepped_down(40, "n1", 1, "lost quorum")
      .elected(41, "n2", 2)
      .confirmed_every(42, kEnd, 1, "n2", 2);
  const CheckResult r = check(s);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_TRUE(has(r.explanation,
                  "n1 (leader of term 1) stepped down at 40.000s (\"lost "
                  "quorum\")"))
      << r.explanation;
}

// A crash is a fault, so the leader's crash restarts the clock: the others must elect a new
// leader within `within` of it.
TEST(LeaderLiveness, LeaderCrashesAfterT_NoNewLeader_Violated) {
  ElectionScript s;
  s.node_fault(5, "n5", Kind::fault_pause, 0)
      .node_fault(6, "n5", Kind::fault_resume, 0)
      .elected(7, "n1", 2)
      .confirmed_every(8, 30, 1, "n1", 2)
      .node_fault(30, "n1", Kind::fault_crash, 1);
  const CheckResult r = check(s);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_TRUE(has(r.explanation,
                  "No node led at 35.000s (within=5s after the last fault at "
                  "30.000s); the last change before: n1 (leader of term 2) crashed "
                  "at 30.000s; none was elected before the run ended"))
      << r.explanation;
  EXPECT_TRUE(has(r.explanation, "majority (n2, n3, n4, n5)")) << r.explanation;
}

TEST(LeaderLiveness, LeaderCrashesAfterT_NewLeaderInTime_Holds) {
  ElectionScript s;
  s.elected(7, "n1", 2)
      .confirmed_every(8, 30, 1, "n1", 2)
      .node_fault(30, "n1", Kind::fault_crash, 1)
      .elected(33, "n2", 3)
      .confirmed_every(33.5, kEnd, 1, "n2", 3);
  EXPECT_EQ(check(s).verdict, Verdict::holds) << check(s).explanation;
}

TEST(LeaderLiveness, ConfirmationGapLongerThanWithin_Violated) {
  ElectionScript s;
  s.elected(1, "n1", 1)
      .confirmed_every(2, 30, 1, "n1", 1)
      .confirmed_every(42, kEnd, 1, "n1", 1);  // nothing from 29s to 42s
  const CheckResult r = check(s);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_TRUE(has(r.explanation,
                  "n1 led term 1 but went unconfirmed from 29.000s to 42.000s "
                  "(13.000s), more than within=5s"))
      << r.explanation;
  ASSERT_EQ(r.evidence.size(), 3u);
  EXPECT_TRUE(has(s.line(r.evidence[1]), "29.000s n1 leader.confirmed"));
  EXPECT_TRUE(has(s.line(r.evidence[2]), "42.000s n1 leader.confirmed"));
}

TEST(LeaderLiveness, GapBeforeTheDeadline_DoesNotCount) {
  ElectionScript s;
  s.elected(1, "n1", 1)
      .confirmed(2, "n1", 1)
      .node_fault(10, "n5", Kind::fault_clock_step, 0)
      .confirmed_every(14, kEnd, 1, "n1", 1);  // 2s -> 14s gap ends before 15s
  EXPECT_EQ(check(s).verdict, Verdict::holds) << check(s).explanation;
}

TEST(LeaderLiveness, PausedLeaderNotReplaced_ViolatedSayingItWasPaused) {
  ElectionScript s;
  s.elected(1, "n1", 1)
      .confirmed_every(2, 30, 1, "n1", 1)
      .node_fault(30, "n1", Kind::fault_pause, 0);
  const CheckResult r = check(s);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_TRUE(has(r.explanation, "n1 led term 1 but was last confirmed at 29.000s"))
      << r.explanation;
  EXPECT_TRUE(has(r.explanation, "n1 was paused, and the others did not replace it"))
      << r.explanation;
  EXPECT_TRUE(has(r.explanation, "majority (n2, n3, n4, n5)")) << r.explanation;
}

TEST(LeaderLiveness, ConfirmationsOfAStaleLeader_DoNotCount) {
  ElectionScript s;
  s.elected(1, "n1", 1)
      .isolate(10, "n1", 0)
      .elected(12, "n2", 2)
      .confirmed_every(11, kEnd, 1, "n1", 1);  // n1 believes it still leads term 1
  const CheckResult r = check(s);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_TRUE(has(r.explanation, "n2 was elected leader of term 2 at 12.000s but not confirmed"))
      << r.explanation;
}

}  // namespace
}  // namespace lockstep::checkers::testing

namespace lockstep::checkers::testing {
namespace {

// A stale node announcing an older term (it missed the newer election) does not take leadership
// away from the confirmed leader of the newer term: single_leader reports that overlap.
TEST(LeaderLiveness, StaleElectionOfAnOlderTerm_DoesNotReplaceTheLeader_Holds) {
  ElectionScript s;
  s.elected(1, "n1", 5)
      .confirmed_every(2, kEnd, 1, "n1", 5)
      .elected(20, "n2", 4)
      .add(20.2, "n2", obs::leader_stepped_down, {{fld::term, 4}}, "higher_term");
  const CheckResult r = s.check("leader_liveness", kEnd, std::string("5s"));
  EXPECT_EQ(r.verdict, Verdict::holds) << r.explanation;
}

}  // namespace
}  // namespace lockstep::checkers::testing
