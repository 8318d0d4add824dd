// The live datagram decoder against random and mutated bytes: it must reject what is not a frame
// of this run, accept what is, and never crash (a node reads whatever reaches its port).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "protocols/lease_lock/messages.hpp"
#include "protocols/raft/messages.hpp"
#include "sim/core/rng.hpp"
#include "tools/live/frame.hpp"

namespace lockstep::live {
namespace {

constexpr uint64_t kCookie = 0x1234'5678'9abc'def0ull;

std::vector<std::byte> a_grant_frame() {
  const sim::Message m = protocols::lease_lock::make_message(protocols::lease_lock::MsgType::grant,
                                                             protocols::lease_lock::Grant{7, 42});
  return encode_frame(kCookie, 2, 99, protocols::lease_lock::encode(m));
}

TEST(LiveFrame, AFrameOfTheRunRoundTrips) {
  const Codec codec = *codec_for("lease_lock");
  const std::optional<Frame> f = parse_frame(a_grant_frame(), kCookie, 4, codec);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->from, 2u);
  EXPECT_EQ(f->msg_id, 99);
  EXPECT_EQ(f->message.type, static_cast<uint16_t>(protocols::lease_lock::MsgType::grant));
  EXPECT_EQ(f->message.as<protocols::lease_lock::Grant>().token, 42u);
}

TEST(LiveFrame, AnotherRunsCookieAnUnknownSenderOrATruncatedBodyIsRejected) {
  const Codec codec = *codec_for("lease_lock");
  const std::vector<std::byte> good = a_grant_frame();
  EXPECT_FALSE(parse_frame(good, kCookie + 1, 4, codec).has_value());
  EXPECT_FALSE(parse_frame(good, kCookie, 2, codec).has_value());  // sender 2 of a 2-node run
  std::vector<std::byte> cut(good.begin(), good.end() - 1);
  EXPECT_FALSE(parse_frame(cut, kCookie, 4, codec).has_value());
  EXPECT_FALSE(parse_frame({}, kCookie, 4, codec).has_value());
}

TEST(LiveFrame, EveryProtocolInTheRegistryHasACodec) {
  for (const char* p :
       {"lease_lock", "heartbeat", "raft", "bully", "lease_election", "token_ring"}) {
    EXPECT_TRUE(codec_for(p).has_value()) << p;
  }
  EXPECT_FALSE(codec_for("no_such_protocol").has_value());
}

// Random datagrams, and valid frames with random bytes flipped, cut or appended: the decoder
// answers every one without crashing, and a random datagram is never taken for a frame.
TEST(LiveFrame, RandomAndMutatedBytesNeverCrashTheDecoder) {
  sim::Rng rng(2026);
  int accepted_random = 0;
  for (const char* p :
       {"lease_lock", "heartbeat", "raft", "bully", "lease_election", "token_ring"}) {
    const Codec codec = *codec_for(p);
    for (int i = 0; i < 20000; ++i) {
      std::vector<std::byte> bytes(rng.next_u64() % 120);
      for (std::byte& b : bytes) b = static_cast<std::byte>(rng.next_u64());
      if (parse_frame(bytes, kCookie, 5, codec).has_value()) ++accepted_random;
    }
  }
  EXPECT_EQ(accepted_random, 0);
  const Codec codec = *codec_for("lease_lock");
  const std::vector<std::byte> good = a_grant_frame();
  for (int i = 0; i < 50000; ++i) {
    std::vector<std::byte> bytes = good;
    const uint64_t how = rng.next_u64() % 3;
    if (how == 0)
      bytes[rng.next_u64() % bytes.size()] ^= static_cast<std::byte>(1 + rng.next_u64() % 255);
    if (how == 1) bytes.resize(rng.next_u64() % (bytes.size() + 1));
    if (how == 2) bytes.push_back(static_cast<std::byte>(rng.next_u64()));
    const std::optional<Frame> f = parse_frame(bytes, kCookie, 4, codec);
    if (f.has_value()) {
      EXPECT_LT(f->from, 4u);
    }
  }
}

}  // namespace
}  // namespace lockstep::live
