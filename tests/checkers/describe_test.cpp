// describe_event: the one-line rendering of an event used in every verdict's evidence.
#include <gtest/gtest.h>

#include "tests/checkers/script.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::checkers::testing {
namespace {

using sim::Key;
using sim::Kind;

TEST(DescribeEvent, LockAcquired_ShowsTimeNodeFieldsAndLocalClocks) {
  Script s;
  s.clock("c1", -0.002, 0.048);
  s.add(12.503, "c1", obs::lock_acquired, {{fld::token, 1}, {fld::lease_ns, span(10).ns}});
  EXPECT_EQ(describe_event(s.events()[0], s.info()),
            "12.503s c1 lock.acquired token=1 lease_ns=10s (local mono 12.501s, wall 12.551s)");
}

TEST(DescribeEvent, NodeAndMessageFields_RenderAsNames) {
  Script s;
  s.add(1, "c2", Kind::net_send, {{Key::to, s.n("lock")}, {Key::msg, 1}, {Key::msg_id, 7}})
      .add(2, "c2", Kind::net_send, {{Key::to, s.n("lock")}, {Key::msg, 9}, {Key::msg_id, 8}});
  EXPECT_EQ(describe_event(s.events()[0], s.info()),
            "1.000s c2 net.send to=lock msg=grant msg_id=7 (local mono 1.000s, wall 1.000s)");
  // An id the protocol did not name still shows, as its number.
  EXPECT_EQ(describe_event(s.events()[1], s.info()),
            "2.000s c2 net.send to=lock msg=9 msg_id=8 (local mono 2.000s, wall 2.000s)");
}

TEST(DescribeEvent, BooleanAndDurationFields_RenderByType) {
  Script s;
  s.add(3, "c3", obs::election_started, {{fld::term, 4}, {fld::prevote, 1}})
      .add(4, "c3", Kind::fault_clock_step, {{Key::fault, 2}, {Key::by_ns, span(-0.25).ns}});
  EXPECT_EQ(describe_event(s.events()[0], s.info()),
            "3.000s c3 election.started term=4 prevote=true (local mono 3.000s, wall 3.000s)");
  EXPECT_EQ(describe_event(s.events()[1], s.info()),
            "4.000s c3 fault.clock_step fault=2 by_ns=-250ms (local mono 4.000s, wall 4.000s)");
}

TEST(DescribeEvent, EventWithoutNode_OmitsNodeAndClocksAndQuotesText) {
  Script s;
  s.add(20, "", Kind::fault_partition, {{Key::fault, 3}}, "c1 | lock c2 store");
  EXPECT_EQ(describe_event(s.events()[0], s.info()),
            "20.000s fault.partition fault=3 \"c1 | lock c2 store\"");
}

TEST(DescribeEvent, TextOnNodeEvent_ComesBeforeTheLocalClocks) {
  Script s;
  s.add(5, "lock", obs::lock_lease_ended, {{fld::holder, s.n("c1")}, {fld::token, 1}}, "expired");
  EXPECT_EQ(describe_event(s.events()[0], s.info()),
            "5.000s lock lock.lease_ended holder=c1 token=1 \"expired\" (local mono 5.000s, wall "
            "5.000s)");
}

}  // namespace
}  // namespace lockstep::checkers::testing
