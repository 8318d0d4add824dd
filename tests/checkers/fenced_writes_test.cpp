// fenced_writes: the resource must never accept a token older than one it already accepted.
#include <gtest/gtest.h>

#include "tests/checkers/script.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::checkers::testing {
namespace {

using sim::Key;
using sim::Kind;
using sim::Verdict;

constexpr double kEnd = 60;

TEST(FencedWrites, StaleWriteAccepted_ViolatedNamingBothWriters) {
  Script s;
  s.add(3, "store", obs::resource_write, {{fld::writer, s.n("c1")}, {fld::token, 1}})
      .add(14.5, "store", obs::resource_write, {{fld::writer, s.n("c2")}, {fld::token, 2}})
      .add(27.1, "store", obs::resource_write, {{fld::writer, s.n("c1")}, {fld::token, 1}});
  const CheckResult r = s.check("fenced_writes", kEnd);
  EXPECT_EQ(r.checker, "fenced_writes");
  ASSERT_EQ(r.verdict, Verdict::violated);
  const std::string& x = r.explanation;
  EXPECT_NE(x.find("store accepted a write from c1 with token 1 at 27.100s after it had accepted "
                   "c2's write with token 2 at 14.500s"),
            std::string::npos)
      << x;
  EXPECT_NE(x.find("Fence the resource"), std::string::npos) << x;
  ASSERT_EQ(r.evidence.size(), 2u);
  EXPECT_NE(s.line(r.evidence[0]).find("14.500s store resource.write writer=c2 token=2"),
            std::string::npos);
  EXPECT_NE(s.line(r.evidence[1]).find("27.100s store resource.write writer=c1 token=1"),
            std::string::npos);
}

TEST(FencedWrites, SeveralStaleWrites_ReportsFirstAndCountsAll) {
  Script s;
  s.add(1, "store", obs::resource_write, {{fld::writer, s.n("c2")}, {fld::token, 5}})
      .add(2, "store", obs::resource_write, {{fld::writer, s.n("c1")}, {fld::token, 3}})
      .add(3, "store", obs::resource_write, {{fld::writer, s.n("c3")}, {fld::token, 4}});
  const CheckResult r = s.check("fenced_writes", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("from c1 with token 3 at 2.000s"), std::string::npos)
      << r.explanation;
  EXPECT_NE(r.explanation.find("(2 stale writes in all)"), std::string::npos) << r.explanation;
}

TEST(FencedWrites, StaleWriteRejected_HoldsAndSaysFencingWorked) {
  Script s;
  s.add(14.5, "store", obs::resource_write, {{fld::writer, s.n("c2")}, {fld::token, 2}})
      .add(27.1, "store", obs::resource_rejected,
           {{fld::writer, s.n("c1")}, {fld::token, 1}, {fld::highest, 2}});
  const CheckResult r = s.check("fenced_writes", kEnd);
  EXPECT_EQ(r.verdict, Verdict::holds);
  EXPECT_NE(r.explanation.find("rejected 1 stale write and accepted none"), std::string::npos)
      << r.explanation;
  EXPECT_TRUE(r.evidence.empty());
}

TEST(FencedWrites, EqualTokenAcceptedTwice_Holds) {
  Script s;
  s.add(1, "store", obs::resource_write, {{fld::writer, s.n("c1")}, {fld::token, 1}})
      .add(2, "store", obs::resource_write, {{fld::writer, s.n("c1")}, {fld::token, 1}})
      .add(3, "store", obs::resource_write, {{fld::writer, s.n("c2")}, {fld::token, 2}})
      .add(4, "store", obs::resource_write, {{fld::writer, s.n("c2")}, {fld::token, 2}});
  const CheckResult r = s.check("fenced_writes", kEnd);
  EXPECT_EQ(r.verdict, Verdict::holds);
  EXPECT_TRUE(r.explanation.empty());
}

TEST(FencedWrites, NoWrites_HoldsSilently) {
  Script s;
  s.add(1, "c1", obs::lock_acquired, {{fld::token, 1}});
  const CheckResult r = s.check("fenced_writes", kEnd);
  EXPECT_EQ(r.verdict, Verdict::holds);
  EXPECT_TRUE(r.explanation.empty());
}

}  // namespace
}  // namespace lockstep::checkers::testing
