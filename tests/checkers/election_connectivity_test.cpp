// Connectivity: who counts as an election node, who is available, and the exact search for a
// majority that is up, unpaused and mutually connected (leader_liveness and the metrics use it).
#include <gtest/gtest.h>

#include <vector>

#include "checkers/connectivity.hpp"
#include "tests/checkers/election_script.hpp"

namespace lockstep::checkers::testing {
namespace {

using detail::Connectivity;
using detail::MajorityFinding;
using sim::Kind;
using sim::NodeIndex;

// Feeds a script's trace to a Connectivity.
class Probe final : public sim::TraceSink {
 public:
  void begin(const sim::TraceInfo& info) override { links.begin(info); }
  void on_event(const sim::Event& e) override { links.on_event(e); }
  Connectivity links;
};

Connectivity after(const ElectionScript& s) {
  Probe p;
  s.feed(p, 60);
  return p.links;
}

TEST(Connectivity, ElectionNodes_AreTheNodesWhoseRoleCanClaimLeader) {
  const Connectivity c = after(ElectionScript(5));
  const std::vector<NodeIndex> want = {0, 1, 2, 3, 4};  // not the store (index 5)
  EXPECT_EQ(c.election_nodes(), want);
  EXPECT_EQ(c.majority(), 3u);
  EXPECT_EQ(after(ElectionScript(4)).majority(), 3u);
}

TEST(Connectivity, NoFaults_EveryoneIsTheMajority) {
  const MajorityFinding m = after(ElectionScript(5)).find_connected_majority();
  EXPECT_TRUE(m.found);
  EXPECT_TRUE(m.decided);
  EXPECT_EQ(m.members, (std::vector<NodeIndex>{0, 1, 2, 3, 4}));
}

TEST(Connectivity, Partition_FindsTheMajoritySide_HealRestoresEveryone) {
  ElectionScript s;
  s.partition(10, {{"n1", "n2"}, {"n3", "n4", "n5"}}, 0);
  const MajorityFinding m = after(s).find_connected_majority();
  ASSERT_TRUE(m.found);
  EXPECT_EQ(m.members, (std::vector<NodeIndex>{2, 3, 4}));
  s.heal(20, 0);
  EXPECT_EQ(after(s).find_connected_majority().members.size(), 5u);
  EXPECT_TRUE(after(s).blocked_among_available().empty());
}

TEST(Connectivity, CrashedAndPausedNodesAreUnavailable_RestartAndResumeRestore) {
  ElectionScript s;
  s.node_fault(1, "n1", Kind::fault_crash, 0)
      .node_fault(2, "n2", Kind::fault_pause, 1)
      .node_fault(3, "n2", Kind::fault_pause, 2)
      .node_fault(4, "n2", Kind::fault_resume, 1)  // one of two nested pauses ended
      .node_fault(5, "n3", Kind::fault_crash, 3);
  Connectivity c = after(s);
  EXPECT_TRUE(c.crashed(0));
  EXPECT_TRUE(c.paused(1));
  EXPECT_FALSE(c.available(2));
  EXPECT_TRUE(c.available(3));
  EXPECT_FALSE(c.find_connected_majority().found);
  EXPECT_TRUE(c.find_connected_majority().decided);
  s.node_fault(6, "n1", Kind::fault_restart, 0);
  c = after(s);
  EXPECT_FALSE(c.crashed(0));
  EXPECT_EQ(c.find_connected_majority().members, (std::vector<NodeIndex>{0, 3, 4}));
  s.node_fault(7, "n2", Kind::fault_resume, 2).node_fault(8, "n3", Kind::fault_restart, 3);
  EXPECT_EQ(after(s).find_connected_majority().members.size(), 5u);
}

// One-way cuts n1->n3, n1->n4, n2->n4, n2->n5, n5->n3 leave two-way links only around the ring
// n1-n2-n3-n4-n5-n1: every pair of three nodes includes a cut pair.
ElectionScript ring() {
  ElectionScript s;
  s.cut(10, {{"n1", "n3"}, {"n1", "n4"}, {"n2", "n4"}, {"n2", "n5"}, {"n5", "n3"}}, 0);
  return s;
}

TEST(Connectivity, OnlyARingOfLinks_HasNoConnectedMajority) {
  const MajorityFinding m = after(ring()).find_connected_majority();
  EXPECT_FALSE(m.found);
  EXPECT_TRUE(m.decided);
  EXPECT_EQ(after(ring()).blocked_among_available().size(), 5u);
}

TEST(Connectivity, SearchOutOfBudget_IsUndecided) {
  const MajorityFinding m = after(ring()).find_connected_majority(/*budget=*/1);
  EXPECT_FALSE(m.found);
  EXPECT_FALSE(m.decided);
}

TEST(Connectivity, LargePartition_IsDecidedWithoutBranching) {
  ElectionScript s(101);
  std::vector<std::string> small;
  std::vector<std::string> large;
  for (int i = 1; i <= 101; ++i) (i <= 50 ? small : large).push_back("n" + std::to_string(i));
  s.partition(10, {small, large}, 0);
  const MajorityFinding m = after(s).find_connected_majority(/*budget=*/2);
  ASSERT_TRUE(m.found);
  ASSERT_EQ(m.members.size(), 51u);
  EXPECT_EQ(m.members.front(), 50u);
}

TEST(Connectivity, ReachesMajority_NeedsBothDirectionsToAMajority) {
  ElectionScript s;
  s.cut(10, {{"n1", "n3"}, {"n3", "n1"}}, 0);
  EXPECT_TRUE(after(s).reaches_majority(0));  // n1, n2, n4, n5
  s.cut(11, {{"n4", "n1"}}, 1);
  EXPECT_TRUE(after(s).reaches_majority(0));  // n1, n2, n5
  s.cut(12, {{"n1", "n5"}}, 2);
  EXPECT_FALSE(after(s).reaches_majority(0));  // n1, n2
  EXPECT_TRUE(after(s).reaches_majority(1));
  ElectionScript iso;
  iso.isolate(5, "n2", 0);
  EXPECT_FALSE(after(iso).reaches_majority(1));
}

}  // namespace
}  // namespace lockstep::checkers::testing
