// Unit tests of the lease-lock server, driven by hand through a FakeContext.
#include <gtest/gtest.h>

#include <memory>

#include "protocols/lease_lock/server.hpp"
#include "tests/protocols/lease_lock_fixture.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::protocols::testing {
namespace {

using lease_lock::Acquire;
using lease_lock::Grant;
using lease_lock::MsgType;
using lease_lock::Release;
using lease_lock::Renew;
using lease_lock::RenewFail;
using lease_lock::RenewOk;
using lease_lock::Server;

constexpr sim::TimerSlot kLeaseCheck =
    static_cast<sim::TimerSlot>(lease_lock::ServerTimer::lease_check);

class ServerTest : public ::testing::Test {
 protected:
  // Boots (or reboots) the server on `store` with fresh clocks, as a restart does.
  void boot(lease_lock::Config config = default_config()) {
    ctx = std::make_unique<FakeContext>(lock_nodes(), kServer, &store);
    server = std::make_unique<Server>(config);
    server->on_start(*ctx);
  }

  // Sends an Acquire from `client`; returns the one reply.
  Sent acquire(sim::NodeIndex client, uint64_t attempt = 1) {
    ctx->deliver(*server, client, msg(MsgType::acquire, Acquire{attempt}));
    auto sent = ctx->take_sends();
    EXPECT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent.at(0).to, client);
    return sent.at(0);
  }

  // Expects `reply` to be a Grant; returns its token.
  static uint64_t granted(const Sent& reply) { return body_of<Grant>(reply, MsgType::grant).token; }
  static bool denied(const Sent& reply) {
    return reply.message.type == static_cast<uint16_t>(MsgType::deny);
  }

  Sent renew(sim::NodeIndex client, uint64_t token, uint64_t attempt = 2) {
    ctx->deliver(*server, client, msg(MsgType::renew, Renew{attempt, token}));
    auto sent = ctx->take_sends();
    EXPECT_EQ(sent.size(), 1u);
    return sent.at(0);
  }

  sim::DurableStore store;
  std::unique_ptr<FakeContext> ctx;
  std::unique_ptr<Server> server;
};

TEST_F(ServerTest, LeaseLock_Server_FirstAcquire_GrantsTokenOneDurably) {
  boot();
  const Sent reply = acquire(kC1, 42);
  EXPECT_EQ(body_of<Grant>(reply, MsgType::grant).attempt, 42u);
  EXPECT_EQ(granted(reply), 1u);
  EXPECT_EQ(store.get("counter"), 1);
  EXPECT_FALSE(store.contains("holder")) << "volatile by default";
  const Observation* g = ctx->last(obs::lock_granted);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->get(fld::holder), kC1);
  EXPECT_EQ(g->get(fld::token), 1);
  EXPECT_EQ(ctx->due(kLeaseCheck), at(sec(10)));
}

// Kleppmann's example numbers its leases 33 and 34; token_start lets a scenario begin there.
TEST_F(ServerTest, LeaseLock_Server_TokenStart_IsTheFirstTokenAndTheNextFollowsIt) {
  lease_lock::Config config = default_config();
  config.token_start = 33;
  boot(config);
  const uint64_t first = granted(acquire(kC1));
  EXPECT_EQ(first, 33u);
  ctx->deliver(*server, kC1, msg(MsgType::release, Release{first}));
  EXPECT_EQ(granted(acquire(kC2)), 34u);
  boot(config);  // a restart keeps counting from the durable counter, not from token_start
  EXPECT_EQ(granted(acquire(kC1, 5)), 35u);
}

TEST_F(ServerTest, LeaseLock_Server_AcquireWhileLeased_DeniesOtherClient) {
  boot();
  granted(acquire(kC1));
  ctx->advance(sec(9));
  EXPECT_TRUE(denied(acquire(kC2, 7)));
  const Observation* d = ctx->last(obs::lock_denied);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->get(fld::client), kC2);
  EXPECT_EQ(server->holder(), kC1);
}

TEST_F(ServerTest, LeaseLock_Server_DuplicateOfTheGrantedRequest_ResendsTheSameGrant) {
  boot();
  const uint64_t token = granted(acquire(kC1, 5));
  ctx->advance(sec(1));
  EXPECT_EQ(granted(acquire(kC1, 5)), token);
  EXPECT_EQ(ctx->count(obs::lock_granted), 1u) << "a duplicate is not a new grant";
  EXPECT_EQ(server->holder(), kC1);
}

// A holder's newer request means it let go; its Release may arrive after the new request. The
// new request must get a new token, so the late Release (old token) cannot end the new lease.
TEST_F(ServerTest, LeaseLock_Server_NewerRequestFromHolder_GetsNewTokenAndLateReleaseIsIgnored) {
  boot();
  const uint64_t first = granted(acquire(kC1, 1));
  ctx->advance(sec(2));
  const uint64_t second = granted(acquire(kC1, 2));
  EXPECT_GT(second, first);
  const Observation* ended = ctx->last(obs::lock_lease_ended);
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ(ended->get(fld::token), static_cast<int64_t>(first));
  EXPECT_EQ(ended->text, "superseded");
  ctx->deliver(*server, kC1, msg(MsgType::release, Release{first}));  // the overtaken Release
  EXPECT_EQ(server->holder(), kC1);
  EXPECT_EQ(server->token(), second);
  EXPECT_TRUE(denied(acquire(kC2)));
}

TEST_F(ServerTest, LeaseLock_Server_OlderRequestFromHolder_IsIgnored) {
  boot();
  const uint64_t token = granted(acquire(kC1, 9));
  ctx->deliver(*server, kC1, msg(MsgType::acquire, Acquire{8}));  // delayed, from before
  EXPECT_TRUE(ctx->take_sends().empty());
  EXPECT_EQ(server->token(), token);
}

TEST_F(ServerTest, LeaseLock_Server_AfterExpiry_GrantsNextClientAHigherToken) {
  boot();
  const uint64_t first = granted(acquire(kC1));
  ctx->advance(sec(10));
  const uint64_t second = granted(acquire(kC2));
  EXPECT_GT(second, first);
  const Observation* ended = ctx->last(obs::lock_lease_ended);
  ASSERT_NE(ended, nullptr);
  EXPECT_EQ(ended->get(fld::holder), kC1);
  EXPECT_EQ(ended->get(fld::token), static_cast<int64_t>(first));
  EXPECT_EQ(ended->text, "expired");
  EXPECT_EQ(server->holder(), kC2);
}

TEST_F(ServerTest, LeaseLock_Server_LeaseCheck_EndsLeaseOnlyOnceItHasRunOut) {
  boot();
  const uint64_t token = granted(acquire(kC1));
  ctx->advance(sec(4));
  EXPECT_EQ(renew(kC1, token).message.type, static_cast<uint16_t>(MsgType::renew_ok));
  ctx->fire(*server, kLeaseCheck);  // at 10s: renewed to 14s, so look again then
  EXPECT_EQ(ctx->count(obs::lock_lease_ended), 0u);
  EXPECT_EQ(ctx->due(kLeaseCheck), at(sec(14)));
  ctx->fire(*server, kLeaseCheck);
  EXPECT_EQ(ctx->count(obs::lock_lease_ended), 1u);
  EXPECT_EQ(server->holder(), sim::kNoNode);
}

TEST_F(ServerTest, LeaseLock_Server_Renew_SucceedsOnlyForLiveHolderWithItsToken) {
  boot();
  const uint64_t token = granted(acquire(kC1));
  const Sent ok = renew(kC1, token, 5);
  EXPECT_EQ(ok.to, kC1);
  const RenewOk body = body_of<RenewOk>(ok, MsgType::renew_ok);
  EXPECT_EQ(body.attempt, 5u);
  EXPECT_EQ(body.token, token);

  EXPECT_EQ(body_of<RenewFail>(renew(kC1, token + 1), MsgType::renew_fail).token, token + 1);
  EXPECT_EQ(renew(kC2, token).message.type, static_cast<uint16_t>(MsgType::renew_fail));
  ctx->advance(sec(10));
  EXPECT_EQ(renew(kC1, token).message.type, static_cast<uint16_t>(MsgType::renew_fail))
      << "a lease that ran out cannot be renewed";
}

TEST_F(ServerTest, LeaseLock_Server_Release_EndsLeaseAndFreesLock) {
  boot();
  const uint64_t token = granted(acquire(kC1));
  ctx->deliver(*server, kC1, msg(MsgType::release, Release{token + 1}));
  EXPECT_EQ(server->holder(), kC1) << "a release with another token is stale";
  ctx->deliver(*server, kC2, msg(MsgType::release, Release{token}));
  EXPECT_EQ(server->holder(), kC1) << "only the holder releases";

  ctx->deliver(*server, kC1, msg(MsgType::release, Release{token}));
  EXPECT_EQ(server->holder(), sim::kNoNode);
  EXPECT_EQ(ctx->last(obs::lock_lease_ended)->text, "released");
  EXPECT_FALSE(ctx->pending(kLeaseCheck));
  EXPECT_EQ(granted(acquire(kC2)), token + 1);
}

TEST_F(ServerTest, LeaseLock_Server_RestartGrace_RefusesAfterRestartButNotOnFirstBoot) {
  lease_lock::Config config = default_config();
  config.restart_grace = sec(5);
  boot(config);
  EXPECT_EQ(granted(acquire(kC1)), 1u) << "no grace on the first boot";

  boot(config);  // crash and restart
  EXPECT_TRUE(denied(acquire(kC2)));
  EXPECT_EQ(ctx->last(obs::lock_denied)->text, "restart_grace");
  ctx->advance(ms(4999));
  EXPECT_TRUE(denied(acquire(kC2)));
  ctx->advance(ms(1));
  EXPECT_EQ(granted(acquire(kC2)), 2u);
}

TEST_F(ServerTest, LeaseLock_Server_DurableState_RestoresHolderWithFullLease) {
  lease_lock::Config config = default_config();
  config.durable_state = true;
  boot(config);
  const uint64_t token = granted(acquire(kC1));
  ctx->advance(sec(8));

  boot(config);
  EXPECT_EQ(server->holder(), kC1);
  EXPECT_EQ(server->token(), token);
  EXPECT_TRUE(denied(acquire(kC2)));
  EXPECT_EQ(renew(kC1, token).message.type, static_cast<uint16_t>(MsgType::renew_ok));

  ctx->deliver(*server, kC1, msg(MsgType::release, Release{token}));
  EXPECT_FALSE(store.contains("holder")) << "a release clears the durable copy";
}

TEST_F(ServerTest, LeaseLock_Server_VolatileState_ForgetsHolderAfterRestart) {
  boot();
  const uint64_t token = granted(acquire(kC1));
  boot();
  EXPECT_EQ(server->holder(), sim::kNoNode);
  EXPECT_EQ(renew(kC1, token).message.type, static_cast<uint16_t>(MsgType::renew_fail));
  EXPECT_EQ(granted(acquire(kC2)), token + 1) << "the counter survives even when state does not";
}

TEST_F(ServerTest, LeaseLock_Server_TokenCounter_NeverGoesBackwardsAcrossRestarts) {
  uint64_t last = 0;
  for (int boot_no = 0; boot_no < 4; ++boot_no) {
    boot();
    for (sim::NodeIndex c : {kC1, kC2}) {
      const uint64_t token = granted(acquire(c));
      EXPECT_GT(token, last);
      last = token;
      ctx->deliver(*server, c, msg(MsgType::release, Release{token}));
    }
  }
  EXPECT_EQ(last, 8u);
  EXPECT_EQ(store.get("boots"), 4);
}

TEST_F(ServerTest, LeaseLock_Server_WallExpiryClock_WallStepForwardEndsLeaseEarly) {
  lease_lock::Config config = default_config();
  config.expiry_clock = sim::ClockKind::wall;
  boot(config);
  ctx->step_wall(sec(100));  // the wall clock reads nothing like the monotonic one
  granted(acquire(kC1));
  ctx->advance(sec(1));
  EXPECT_TRUE(denied(acquire(kC2)));
  ctx->step_wall(sec(10));
  EXPECT_EQ(granted(acquire(kC2)), 2u) << "the wall clock says the lease is over";
}

TEST_F(ServerTest, LeaseLock_Server_MonotonicExpiryClock_IgnoresWallStep) {
  boot();
  granted(acquire(kC1));
  ctx->advance(sec(1));
  ctx->step_wall(sec(10));
  EXPECT_TRUE(denied(acquire(kC2)));
}

TEST_F(ServerTest, LeaseLock_Server_WallExpiryClock_StepBackDelaysLeaseCheck) {
  lease_lock::Config config = default_config();
  config.expiry_clock = sim::ClockKind::wall;
  boot(config);
  ctx->step_wall(sec(100));
  granted(acquire(kC1));
  ctx->step_wall(-sec(3));
  ctx->fire(*server, kLeaseCheck);  // monotonic 10s, wall 107s of 110s
  EXPECT_EQ(server->holder(), kC1);
  EXPECT_EQ(ctx->due(kLeaseCheck), at(sec(13)));
}

}  // namespace
}  // namespace lockstep::protocols::testing
