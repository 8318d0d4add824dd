// log_safety: State Machine Safety (Raft §5.4.3) and in-order apply, over log.applied.
#include <gtest/gtest.h>

#include "tests/checkers/election_script.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::checkers::testing {
namespace {

using ::lockstep::testing::key_named;
using ::lockstep::testing::kind_named;
using sim::Verdict;

constexpr double kEnd = 60;

struct LogScript {
  ElectionScript s;
  LogScript& applied(double at, std::string_view node, int64_t index, int64_t term, int64_t id) {
    s.add(at, node, kind_named("log.applied"),
          {{key_named("index"), index}, {key_named("term"), term}, {key_named("entry"), id}});
    return *this;
  }
  CheckResult check() const { return s.check("log_safety", kEnd); }
};

TEST(LogSafety, SameEntriesEverywhere_Holds) {
  LogScript l;
  l.applied(1, "n1", 1, 1, 10).applied(1.1, "n2", 1, 1, 10).applied(2, "n1", 2, 1, 11);
  l.applied(2.1, "n2", 2, 1, 11).applied(3, "n3", 1, 1, 10);
  const CheckResult r = l.check();
  EXPECT_EQ(r.checker, "log_safety");
  EXPECT_EQ(r.verdict, Verdict::holds);
  EXPECT_TRUE(r.evidence.empty());
}

TEST(LogSafety, DifferentEntryAtOneIndex_ViolatedNamingBoth) {
  LogScript l;
  l.applied(1, "n1", 1, 1, 10).applied(2, "n1", 2, 1, 11).applied(3, "n2", 1, 1, 10);
  l.applied(4, "n2", 2, 2, 20);  // a committed entry lost and replaced
  const CheckResult r = l.check();
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("n1 applied entry 11 of term 1"), std::string::npos)
      << r.explanation;
  EXPECT_NE(r.explanation.find("n2 applied entry 20 of term 2"), std::string::npos);
  EXPECT_NE(r.explanation.find("both at index 2"), std::string::npos);
  ASSERT_EQ(r.evidence.size(), 2u);
  EXPECT_EQ(r.deciding, 1u);
}

TEST(LogSafety, SameIdOtherTerm_IsADifferentEntry) {
  LogScript l;
  l.applied(1, "n1", 1, 1, 10).applied(2, "n2", 1, 2, 10);
  EXPECT_EQ(l.check().verdict, Verdict::violated);
}

TEST(LogSafety, RestartAppliesAgainFromOne_Holds) {
  LogScript l;
  l.applied(1, "n1", 1, 1, 10).applied(2, "n1", 2, 1, 11);
  l.s.add(3, "n1", sim::Kind::fault_crash).add(4, "n1", sim::Kind::fault_restart);
  l.applied(5, "n1", 1, 1, 10).applied(6, "n1", 2, 1, 11);
  EXPECT_EQ(l.check().verdict, Verdict::holds);
}

TEST(LogSafety, SkippedIndex_ViolatedOutOfOrder) {
  LogScript l;
  l.applied(1, "n1", 1, 1, 10).applied(2, "n1", 3, 1, 12);
  const CheckResult r = l.check();
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("in index order"), std::string::npos) << r.explanation;
}

}  // namespace
}  // namespace lockstep::checkers::testing
