// The example protocol of docs/adding-a-protocol.md: the token starts at the first node, moves
// on after `hold`, and a late copy of a token makes a second holder unless receivers dedupe.
#include <gtest/gtest.h>

#include "protocols/token_ring/token_ring.hpp"
#include "tests/protocols/fake_context.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::protocols::testing {
namespace {

using token_ring::Node;
using token_ring::Token;

std::vector<sim::NodeInfo> ring() { return {{"n1", "node"}, {"n2", "node"}, {"n3", "node"}}; }

token_ring::Config config(bool dedupe) {
  return token_ring::Config{sim::Duration::millis(100), dedupe};
}

sim::Message token(uint64_t seq) { return sim::Message::of(token_ring::kTokenType, Token{seq}); }

TEST(TokenRing, TokenRing_FirstNodeStartsWithTheTokenAndPassesItAfterHold) {
  FakeContext ctx(ring(), 0);
  Node node(config(false));
  node.on_start(ctx);
  EXPECT_TRUE(node.holding());
  ASSERT_EQ(ctx.count(obs::lock_acquired), 1u);
  EXPECT_EQ(ctx.last(obs::lock_acquired)->get(fld::token), 1);
  ctx.run_for(node, sim::Duration::millis(100));
  EXPECT_FALSE(node.holding());
  EXPECT_EQ(ctx.count(obs::lock_released), 1u);
  const std::vector<Sent> sent = ctx.take_sends();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, 1u);
  EXPECT_EQ(sent[0].message.as<Token>().seq, 2u);
}

TEST(TokenRing, TokenRing_TheLastNodePassesToTheFirst) {
  FakeContext ctx(ring(), 2);
  Node node(config(false));
  node.on_start(ctx);
  EXPECT_FALSE(node.holding());  // only the first node starts with it
  ctx.deliver(node, 1, token(3));
  ctx.run_for(node, sim::Duration::millis(100));
  const std::vector<Sent> sent = ctx.take_sends();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, 0u);
}

TEST(TokenRing, TokenRing_WithoutDedupe_ALateCopyMakesThisNodeHoldAgain) {
  FakeContext ctx(ring(), 1);
  Node node(config(false));
  node.on_start(ctx);
  ctx.deliver(node, 0, token(2));
  ctx.run_for(node, sim::Duration::millis(100));  // passed on as 3
  ctx.deliver(node, 0, token(2));                 // the duplicate, late
  EXPECT_TRUE(node.holding());
  EXPECT_EQ(ctx.count(obs::lock_acquired), 2u);
}

TEST(TokenRing, TokenRing_WithDedupe_ALateCopyIsIgnored) {
  FakeContext ctx(ring(), 1);
  Node node(config(true));
  node.on_start(ctx);
  ctx.deliver(node, 0, token(2));
  ctx.run_for(node, sim::Duration::millis(100));
  ctx.deliver(node, 0, token(2));
  EXPECT_FALSE(node.holding());
  EXPECT_EQ(ctx.count(obs::lock_acquired), 1u);
  ctx.deliver(node, 0, token(5));  // a newer token is still taken
  EXPECT_TRUE(node.holding());
}

TEST(TokenRing, TokenRing_WireFormRoundTripsAndRejectsOtherLengths) {
  const sim::Message m = token(42);
  const std::vector<std::byte> bytes = token_ring::encode(m);
  EXPECT_EQ(bytes.size(), 9u);
  const std::optional<sim::Message> back = token_ring::decode(bytes);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->as<Token>().seq, 42u);
  EXPECT_FALSE(token_ring::decode(std::span(bytes).first(8)).has_value());
}

}  // namespace
}  // namespace lockstep::protocols::testing
