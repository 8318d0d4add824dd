// Unit tests of the lease-lock client, driven by hand through a FakeContext.
#include <gtest/gtest.h>

#include "protocols/lease_lock/client.hpp"
#include "tests/protocols/lease_lock_fixture.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::protocols::testing {
namespace {

using lease_lock::Acquire;
using lease_lock::Client;
using lease_lock::ClientTimer;
using lease_lock::Deny;
using lease_lock::Grant;
using lease_lock::MsgType;
using lease_lock::Release;
using lease_lock::Renew;
using lease_lock::RenewFail;
using lease_lock::RenewOk;
using lease_lock::Write;

constexpr sim::TimerSlot slot(ClientTimer t) { return static_cast<sim::TimerSlot>(t); }

class ClientTest : public ::testing::Test {
 protected:
  Client make(lease_lock::Config config = default_config(), sim::Duration hold = ms(3900)) {
    return Client(config, lease_lock::Workload::from(constant_workload(hold)), kServer, kResource);
  }

  // Boots the client and lets its first ACQUIRE fire; returns the Acquire it sent.
  Acquire start_and_request(Client& client) {
    client.on_start(ctx);
    EXPECT_EQ(ctx.due(slot(ClientTimer::acquire)), at(sec(1)));
    ctx.fire(client, slot(ClientTimer::acquire));
    auto sent = ctx.take_sends();
    EXPECT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent.at(0).to, kServer);
    return body_of<Acquire>(sent.at(0), MsgType::acquire);
  }

  // Requests and receives a grant for `token` `latency` after the request left.
  void acquire(Client& client, uint64_t token, sim::Duration latency = ms(10)) {
    const Acquire req = start_and_request(client);
    ctx.advance(latency);
    ctx.deliver(client, kServer, msg(MsgType::grant, Grant{req.attempt, token}));
    ASSERT_TRUE(client.holding());
  }

  std::vector<Write> writes(const std::vector<Sent>& sent) {
    std::vector<Write> out;
    for (const Sent& s : sent) {
      if (s.message.type == static_cast<uint16_t>(MsgType::write)) {
        EXPECT_EQ(s.to, kResource);
        out.push_back(s.message.as<Write>());
      }
    }
    return out;
  }

  // The last message of `type` among `sent` (timers due at one instant fire in the order they
  // were set, so a renewal and a write can share an instant).
  template <class T>
  static T last_sent(const std::vector<Sent>& sent, MsgType type) {
    for (auto it = sent.rbegin(); it != sent.rend(); ++it) {
      if (it->message.type == static_cast<uint16_t>(type)) return it->message.as<T>();
    }
    ADD_FAILURE() << "no message of type " << static_cast<int>(type);
    return T{};
  }

  FakeContext ctx{lock_nodes(), kC1};
};

TEST_F(ClientTest, LeaseLock_Client_FullCycle_AcquiresWritesRenewsAndReleases) {
  Client client = make();
  const Acquire req = start_and_request(client);
  EXPECT_EQ(ctx.count(obs::lock_requested), 1u);
  EXPECT_EQ(ctx.due(slot(ClientTimer::retry)), at(sec(1) + ms(500)));

  ctx.advance(ms(10));
  ctx.deliver(client, kServer, msg(MsgType::grant, Grant{req.attempt, 7}));
  ASSERT_TRUE(client.holding());
  EXPECT_FALSE(client.waiting());
  EXPECT_FALSE(ctx.pending(slot(ClientTimer::retry)));
  const Observation* acquired = ctx.last(obs::lock_acquired);
  ASSERT_NE(acquired, nullptr);
  EXPECT_EQ(acquired->get(fld::token), 7);
  EXPECT_EQ(acquired->get(fld::lease_ns), sec(10).ns);
  // Counted from when the request left (t=1s), not from when the grant arrived.
  EXPECT_EQ(ctx.due(slot(ClientTimer::lease_end)), at(sec(11)));
  EXPECT_EQ(ctx.due(slot(ClientTimer::write)), at(ms(1010)));
  EXPECT_EQ(ctx.due(slot(ClientTimer::renew)), at(ms(4010)));
  EXPECT_EQ(ctx.due(slot(ClientTimer::hold_end)), at(ms(4910)));

  // Up to the renewal: writes every 500ms with growing seq, then one Renew.
  ctx.run_until(client, at(ms(4010)));
  auto sent = ctx.take_sends();
  const auto w = writes(sent);
  ASSERT_EQ(w.size(), 7u);  // 1.01s .. 4.01s
  for (size_t i = 0; i < w.size(); ++i) {
    EXPECT_EQ(w[i].token, 7u);
    EXPECT_EQ(w[i].seq, i + 1);
  }
  const Renew renew = last_sent<Renew>(sent, MsgType::renew);
  EXPECT_EQ(renew.token, 7u);
  EXPECT_GT(renew.attempt, req.attempt);

  ctx.advance(ms(10));
  ctx.deliver(client, kServer, msg(MsgType::renew_ok, RenewOk{renew.attempt, 7}));
  EXPECT_EQ(ctx.count(obs::lock_renewed), 1u);
  EXPECT_EQ(ctx.due(slot(ClientTimer::lease_end)), at(ms(14010)));

  ctx.run_until(client, at(ms(4910)));
  EXPECT_FALSE(client.holding());
  sent = ctx.take_sends();
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(body_of<Release>(sent.back(), MsgType::release).token, 7u);
  EXPECT_EQ(ctx.count(obs::lock_released), 1u);
  for (ClientTimer t :
       {ClientTimer::lease_end, ClientTimer::renew, ClientTimer::write, ClientTimer::hold_end}) {
    EXPECT_FALSE(ctx.pending(slot(t)));
  }
  EXPECT_EQ(ctx.due(slot(ClientTimer::acquire)), at(ms(5910)));
}

TEST_F(ClientTest, LeaseLock_Client_Deny_RetriesAfterRetryEveryWithoutNewRequest) {
  Client client = make();
  const Acquire first = start_and_request(client);
  ctx.advance(ms(10));
  ctx.deliver(client, kServer, msg(MsgType::deny, Deny{first.attempt}));
  EXPECT_FALSE(client.holding());
  EXPECT_TRUE(client.waiting());
  EXPECT_FALSE(ctx.pending(slot(ClientTimer::retry)));
  EXPECT_EQ(ctx.due(slot(ClientTimer::acquire)), at(ms(1510)));

  ctx.fire(client, slot(ClientTimer::acquire));
  const auto sent = ctx.take_sends();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_GT(body_of<Acquire>(sent[0], MsgType::acquire).attempt, first.attempt);
  EXPECT_EQ(ctx.count(obs::lock_requested), 1u);
}

TEST_F(ClientTest, LeaseLock_Client_NoAnswer_ResendsAsNewAttemptAndIgnoresStaleGrant) {
  Client client = make();
  const Acquire first = start_and_request(client);
  ctx.fire(client, slot(ClientTimer::retry));
  auto sent = ctx.take_sends();
  ASSERT_EQ(sent.size(), 1u);
  const Acquire second = body_of<Acquire>(sent[0], MsgType::acquire);
  EXPECT_GT(second.attempt, first.attempt);
  EXPECT_EQ(ctx.count(obs::lock_requested), 1u);
  EXPECT_TRUE(ctx.pending(slot(ClientTimer::retry)));

  ctx.deliver(client, kServer, msg(MsgType::grant, Grant{first.attempt, 3}));
  EXPECT_FALSE(client.holding());
  EXPECT_EQ(ctx.count(obs::lock_acquired), 0u);

  ctx.deliver(client, kServer, msg(MsgType::grant, Grant{second.attempt, 3}));
  EXPECT_TRUE(client.holding());
  // Counted from the second request (t=1.5s).
  EXPECT_EQ(ctx.due(slot(ClientTimer::lease_end)), at(ms(11500)));
}

TEST_F(ClientTest, LeaseLock_Client_DuplicateGrantWhileHolding_IsIgnored) {
  Client client = make();
  const Acquire req = start_and_request(client);
  ctx.deliver(client, kServer, msg(MsgType::grant, Grant{req.attempt, 4}));
  ctx.deliver(client, kServer, msg(MsgType::grant, Grant{req.attempt, 4}));
  EXPECT_EQ(ctx.count(obs::lock_acquired), 1u);
}

TEST_F(ClientTest, LeaseLock_Client_LeaseEndWithoutRenewal_StopsWriting) {
  lease_lock::Config config = default_config();
  config.safety_margin = sec(1);
  Client client = make(config, sec(60));
  acquire(client, 5);
  // safety_margin: the client's view ends 1s before request time + lease.
  EXPECT_EQ(ctx.due(slot(ClientTimer::lease_end)), at(sec(10)));

  ctx.run_until(client, at(sec(10)));  // renewals go out but no answer comes back
  EXPECT_FALSE(client.holding());
  EXPECT_EQ(ctx.count(obs::lock_expired), 1u);
  EXPECT_EQ(ctx.last(obs::lock_expired)->get(fld::token), 5);
  EXPECT_FALSE(ctx.pending(slot(ClientTimer::write)));
  EXPECT_FALSE(ctx.pending(slot(ClientTimer::renew)));
  EXPECT_FALSE(ctx.pending(slot(ClientTimer::hold_end)));
  EXPECT_EQ(ctx.due(slot(ClientTimer::acquire)), at(sec(11)));

  ctx.take_sends();
  ctx.run_until(client, at(ms(10900)));
  EXPECT_TRUE(writes(ctx.take_sends()).empty());
}

TEST_F(ClientTest, LeaseLock_Client_RenewalFailure_StopsHolding) {
  Client client = make(default_config(), sec(60));
  acquire(client, 9);
  ctx.run_until(client, at(ms(4010)));
  const Renew renew = last_sent<Renew>(ctx.take_sends(), MsgType::renew);

  ctx.deliver(client, kServer, msg(MsgType::renew_fail, RenewFail{renew.attempt, 8}));
  EXPECT_TRUE(client.holding()) << "a RenewFail for another token is not ours";

  ctx.deliver(client, kServer, msg(MsgType::renew_fail, RenewFail{renew.attempt, 9}));
  EXPECT_FALSE(client.holding());
  EXPECT_EQ(ctx.count(obs::lock_lost), 1u);
  EXPECT_EQ(ctx.last(obs::lock_lost)->get(fld::token), 9);
  for (ClientTimer t :
       {ClientTimer::lease_end, ClientTimer::renew, ClientTimer::write, ClientTimer::hold_end}) {
    EXPECT_FALSE(ctx.pending(slot(t)));
  }
  EXPECT_TRUE(ctx.pending(slot(ClientTimer::acquire)));
}

TEST_F(ClientTest, LeaseLock_Client_RenewOkForOlderRenewal_DoesNotExtend) {
  Client client = make(default_config(), sec(60));
  acquire(client, 2);
  ctx.run_until(client, at(ms(4010)));
  const Renew first = last_sent<Renew>(ctx.take_sends(), MsgType::renew);
  ctx.run_until(client, at(ms(7010)));
  const Renew second = last_sent<Renew>(ctx.take_sends(), MsgType::renew);
  ASSERT_GT(second.attempt, first.attempt);

  const auto before = ctx.due(slot(ClientTimer::lease_end));
  ctx.deliver(client, kServer, msg(MsgType::renew_ok, RenewOk{first.attempt, 2}));
  EXPECT_EQ(ctx.due(slot(ClientTimer::lease_end)), before);
  EXPECT_EQ(ctx.count(obs::lock_renewed), 0u);

  ctx.deliver(client, kServer, msg(MsgType::renew_ok, RenewOk{second.attempt, 2}));
  EXPECT_EQ(ctx.due(slot(ClientTimer::lease_end)), at(ms(17010)));
}

TEST_F(ClientTest, LeaseLock_Client_GrantArrivingAfterItsLease_IsNotActedOn) {
  Client client = make();
  const Acquire req = start_and_request(client);
  ctx.advance(sec(10));  // the grant spent the whole lease in flight
  ctx.deliver(client, kServer, msg(MsgType::grant, Grant{req.attempt, 1}));
  EXPECT_FALSE(client.holding());
  EXPECT_TRUE(client.waiting());
  EXPECT_EQ(ctx.count(obs::lock_acquired), 0u);
  EXPECT_FALSE(ctx.pending(slot(ClientTimer::write)));
  EXPECT_EQ(ctx.due(slot(ClientTimer::acquire)), at(ms(11500)));
}

// The hazard the lease-lock scenarios are about: belief is cleared by a timer, and after a pause
// the timers that came due during it fire in due order, so the write due first still goes out.
TEST_F(ClientTest, LeaseLock_Client_AfterPause_WriteDueBeforeLeaseEndStillGoesOut) {
  Client client = make(default_config(), sec(60));
  acquire(client, 3);
  ctx.fire(client, slot(ClientTimer::write));
  ctx.take_sends();

  ctx.advance(sec(15));  // paused: nothing ran
  const auto fired = ctx.run_until(client, ctx.mono());
  ASSERT_FALSE(fired.empty());
  EXPECT_EQ(fired.front(), slot(ClientTimer::write));
  const auto w = writes(ctx.take_sends());
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].token, 3u);
  EXPECT_FALSE(client.holding());
  EXPECT_EQ(ctx.count(obs::lock_expired), 1u);
}

TEST_F(ClientTest, LeaseLock_Client_Restart_NeverReusesAttemptNumbers) {
  sim::DurableStore store;
  FakeContext first_boot(lock_nodes(), kC1, &store);
  Client before = make();
  before.on_start(first_boot);
  first_boot.fire(before, slot(ClientTimer::acquire));
  const Acquire a1 = body_of<Acquire>(first_boot.take_sends().at(0), MsgType::acquire);

  FakeContext second_boot(lock_nodes(), kC1, &store);
  Client after = make();
  after.on_start(second_boot);
  second_boot.fire(after, slot(ClientTimer::acquire));
  const Acquire a2 = body_of<Acquire>(second_boot.take_sends().at(0), MsgType::acquire);
  EXPECT_NE(a1.attempt, a2.attempt);

  // A late grant answering the first boot's request does not make the new instance a holder.
  second_boot.deliver(after, kServer, msg(MsgType::grant, Grant{a1.attempt, 1}));
  EXPECT_FALSE(after.holding());
}

}  // namespace
}  // namespace lockstep::protocols::testing
