// fairness: grants follow the order in which the lock service saw the requests (lock.enqueued),
// and the verdict names the grant that overtook the most waiters. Also the herd metric: watch
// notifications per deletion of a lock node.
#include <gtest/gtest.h>

#include "checkers/metrics.hpp"
#include "tests/checkers/script.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::checkers::testing {
namespace {

using sim::Verdict;

constexpr double kEnd = 30;

const sim::Kind kEnqueued = ::lockstep::testing::kind_named("lock.enqueued");
const sim::Kind kFired = ::lockstep::testing::kind_named("watch.fired");
const sim::Key kSeq = ::lockstep::testing::key_named("seq");

TEST(Fairness, GrantsInRequestOrder_Hold) {
  Script s;
  s.add(1, "lock", kEnqueued, {{fld::client, s.n("c1")}})
      .add(1.1, "lock", kEnqueued, {{fld::client, s.n("c2")}})
      .add(1.2, "lock", kEnqueued, {{fld::client, s.n("c3")}})
      .add(1.3, "c1", obs::lock_acquired, {{fld::token, 1}})
      .add(2, "c2", obs::lock_acquired, {{fld::token, 2}})
      .add(3, "c3", obs::lock_acquired, {{fld::token, 3}});
  const CheckResult r = s.check("fairness", kEnd);
  EXPECT_EQ(r.checker, "fairness");
  EXPECT_EQ(r.verdict, Verdict::holds);
  EXPECT_TRUE(r.evidence.empty());
}

TEST(Fairness, AGrantAheadOfEarlierRequests_IsViolatedAndNamesTheLargestOvertaking) {
  Script s;
  s.add(1, "lock", kEnqueued, {{fld::client, s.n("c1")}})
      .add(1.1, "lock", kEnqueued, {{fld::client, s.n("c2")}})
      .add(1.2, "lock", kEnqueued, {{fld::client, s.n("c3")}})
      .add(1.3, "c2", obs::lock_acquired, {{fld::token, 1}})  // overtakes c1: 1
      .add(2, "c3", obs::lock_acquired, {{fld::token, 2}})    // overtakes c1: 1
      .add(2.5, "lock", kEnqueued, {{fld::client, s.n("c2")}})
      .add(2.6, "lock", kEnqueued, {{fld::client, s.n("c3")}})
      .add(3, "c3", obs::lock_acquired, {{fld::token, 3}});  // overtakes c1 and c2: 2
  const CheckResult r = s.check("fairness", kEnd);
  ASSERT_EQ(r.verdict, Verdict::violated);
  EXPECT_NE(r.explanation.find("c3 acquired the lock at 3.000s ahead of 2 clients"),
            std::string::npos)
      << r.explanation;
  EXPECT_NE(r.explanation.find("the earliest, c1, since 1.000s"), std::string::npos)
      << r.explanation;
  EXPECT_NE(r.explanation.find("3 grants in all"), std::string::npos) << r.explanation;
  ASSERT_EQ(r.evidence.size(), 2u);
  EXPECT_EQ(r.evidence[1].at, secs(3));
}

TEST(Fairness, ACrashedWaiterLeavesTheQueue) {
  Script s;
  s.add(1, "lock", kEnqueued, {{fld::client, s.n("c1")}})
      .add(1.1, "lock", kEnqueued, {{fld::client, s.n("c2")}})
      .add(1.2, "c1", sim::Kind::fault_crash)
      .add(1.3, "c2", obs::lock_acquired, {{fld::token, 1}});
  EXPECT_EQ(s.check("fairness", kEnd).verdict, Verdict::holds);
}

TEST(Fairness, EnqueuedAgain_GoesToTheBack) {
  Script s;
  s.add(1, "lock", kEnqueued, {{fld::client, s.n("c1")}})
      .add(1.1, "lock", kEnqueued, {{fld::client, s.n("c2")}})
      .add(1.2, "lock", kEnqueued, {{fld::client, s.n("c1")}})  // c1's session was lost
      .add(1.3, "c2", obs::lock_acquired, {{fld::token, 1}});
  EXPECT_EQ(s.check("fairness", kEnd).verdict, Verdict::holds);
}

double metric(const Metrics& m, std::string_view name) {
  for (const Metric& x : m.values()) {
    if (x.name == name) return x.value;
  }
  ADD_FAILURE() << "no metric " << name;
  return -1;
}

bool has_metric(const Metrics& m, std::string_view name) {
  for (const Metric& x : m.values()) {
    if (x.name == name) return true;
  }
  return false;
}

TEST(HerdMetric, CountsNotificationsPerDeletion) {
  Script s;
  // Deletion of seq 1 wakes three waiters at once; of seq 2, one.
  s.add(2, "lock", kFired, {{fld::client, s.n("c1")}, {kSeq, 1}})
      .add(2, "lock", kFired, {{fld::client, s.n("c2")}, {kSeq, 1}})
      .add(2, "lock", kFired, {{fld::client, s.n("c3")}, {kSeq, 1}})
      .add(3, "lock", kFired, {{fld::client, s.n("c3")}, {kSeq, 2}});
  Metrics m;
  s.feed(m, kEnd);
  EXPECT_EQ(metric(m, "lock.herd.max"), 3);
  EXPECT_DOUBLE_EQ(metric(m, "lock.herd.per_release"), 2.0);
}

TEST(HerdMetric, AbsentWithoutWatches) {
  Script s;
  s.add(1, "c1", obs::lock_acquired, {{fld::token, 1}});
  Metrics m;
  s.feed(m, kEnd);
  EXPECT_FALSE(has_metric(m, "lock.herd.max"));
}

}  // namespace
}  // namespace lockstep::checkers::testing
