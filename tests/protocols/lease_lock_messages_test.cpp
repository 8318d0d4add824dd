// The lease-lock wire encoding: exact layout, round trips, and rejection of damaged input.
#include <gtest/gtest.h>

#include <vector>

#include "protocols/lease_lock/messages.hpp"

namespace lockstep::protocols::lease_lock {
namespace {

std::vector<sim::Message> one_of_each() {
  constexpr uint64_t big = 0x0123456789abcdefull;
  return {
      make_message(MsgType::acquire, Acquire{big}),
      make_message(MsgType::grant, Grant{1, UINT64_MAX}),
      make_message(MsgType::deny, Deny{0}),
      make_message(MsgType::renew, Renew{big, 2}),
      make_message(MsgType::renew_ok, RenewOk{3, big}),
      make_message(MsgType::renew_fail, RenewFail{4, 5}),
      make_message(MsgType::release, Release{big}),
      make_message(MsgType::write, Write{6, big}),
  };
}

TEST(LeaseLockMessages, LeaseLock_Encode_IsTypeByteThenLittleEndianFields) {
  const auto bytes = encode(make_message(MsgType::grant, Grant{0x0102030405060708ull, 9}));
  ASSERT_EQ(bytes.size(), 17u);
  EXPECT_EQ(bytes[0], std::byte{1});
  EXPECT_EQ(bytes[1], std::byte{0x08});
  EXPECT_EQ(bytes[8], std::byte{0x01});
  EXPECT_EQ(bytes[9], std::byte{9});
  for (size_t i = 10; i < 17; ++i) EXPECT_EQ(bytes[i], std::byte{0});
}

TEST(LeaseLockMessages, LeaseLock_EncodeDecode_RoundTripsEveryType) {
  const auto messages = one_of_each();
  ASSERT_EQ(messages.size(), kMsgTypeCount);
  ASSERT_EQ(message_names().size(), kMsgTypeCount);
  for (const sim::Message& m : messages) {
    const auto decoded = decode(encode(m));
    ASSERT_TRUE(decoded.has_value()) << message_names()[m.type];
    EXPECT_EQ(decoded->type, m.type);
    EXPECT_EQ(decoded->size, m.size);
    EXPECT_EQ(decoded->body, m.body) << message_names()[m.type];
  }
}

TEST(LeaseLockMessages, LeaseLock_Decode_RejectsTruncatedOrPaddedInput) {
  for (const sim::Message& m : one_of_each()) {
    const auto bytes = encode(m);
    for (size_t len = 0; len < bytes.size(); ++len) {
      EXPECT_FALSE(decode(std::span(bytes).first(len)).has_value())
          << message_names()[m.type] << " cut to " << len;
    }
    auto longer = bytes;
    longer.push_back(std::byte{0});
    EXPECT_FALSE(decode(longer).has_value()) << message_names()[m.type] << " with a trailing byte";
  }
}

TEST(LeaseLockMessages, LeaseLock_Decode_RejectsUnknownTypeByte) {
  auto bytes = encode(make_message(MsgType::deny, Deny{1}));
  for (int type : {8, 9, 0x7f, 0xff}) {
    bytes[0] = static_cast<std::byte>(type);
    EXPECT_FALSE(decode(bytes).has_value()) << type;
  }
}

TEST(LeaseLockMessages, LeaseLock_Decode_ReadsTheLayoutOfTheTypeByte) {
  // A Deny's 9 bytes relabelled as an Acquire (same length) decode as an Acquire; relabelled as
  // a Grant (17 bytes) they are rejected.
  auto bytes = encode(make_message(MsgType::deny, Deny{77}));
  bytes[0] = static_cast<std::byte>(MsgType::acquire);
  const auto as_acquire = decode(bytes);
  ASSERT_TRUE(as_acquire.has_value());
  EXPECT_EQ(as_acquire->as<Acquire>().attempt, 77u);
  bytes[0] = static_cast<std::byte>(MsgType::grant);
  EXPECT_FALSE(decode(bytes).has_value());
}

}  // namespace
}  // namespace lockstep::protocols::lease_lock
