// The in-flight records (sim/core/in_flight.hpp): a message keeps only the bytes it carries, and
// comes back exactly as it was sent, for every body size, with and without a payload; slots are
// reused; the limit on messages in flight stops a run with a LimitError.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "sim/core/in_flight.hpp"

namespace lockstep::sim {
namespace {

Message message_of_size(uint16_t type, uint16_t size, uint8_t seed) {
  Message m;
  m.type = type;
  m.size = size;
  for (uint16_t i = 0; i < size; ++i) m.body[i] = static_cast<std::byte>(seed + i * 7);
  return m;
}

TEST(InFlight, EveryBodySizeWithAndWithoutAPayloadComesBackAsSent) {
  PayloadPool payloads(1 << 20, 1 << 20);
  InFlightPool pool;
  struct Sent {
    uint64_t slot;
    Message m;
  };
  std::vector<Sent> sent;
  for (int round = 0; round < 3; ++round) {  // the later rounds reuse freed slots
    for (uint16_t size = 0; size <= Message::kBodyBytes; ++size) {
      for (const bool with_payload : {false, true}) {
        Message m = message_of_size(static_cast<uint16_t>(size % 5), size,
                                    static_cast<uint8_t>(round * 50 + size));
        if (with_payload) {
          const std::vector<std::byte> bytes(size + 1, static_cast<std::byte>(size));
          m.payload = payloads.make(bytes);
        }
        const uint64_t id = 1000u * round + size * 2u + (with_payload ? 1u : 0u);
        sent.push_back({pool.put(m, static_cast<NodeIndex>(size + 3), id, 10'000), m});
      }
    }
    // Take back every other one now, the rest after the next round's puts.
    for (size_t i = 0; i < sent.size(); i += 2) {
      const Sent& s = sent[i];
      Message got;
      const InFlightPool::Header h = pool.take(s.slot, payloads, &got);
      EXPECT_EQ(h.from, s.m.size + 3u);
      EXPECT_EQ(h.type, s.m.type);
      EXPECT_EQ(got.type, s.m.type);
      ASSERT_EQ(got.size, s.m.size);
      EXPECT_EQ(std::memcmp(got.body.data(), s.m.body.data(), Message::kBodyBytes), 0)
          << "size " << s.m.size;  // the bytes past size are zero in both
      EXPECT_EQ(got.payload.handle(), s.m.payload.handle());
      EXPECT_EQ(got.payload.size(), s.m.payload.size());
      EXPECT_EQ(got.payload.bytes().data(), s.m.payload.bytes().data());
    }
    std::vector<Sent> kept;
    for (size_t i = 1; i < sent.size(); i += 2) kept.push_back(sent[i]);
    sent = kept;
  }
  for (const Sent& s : sent) {
    EXPECT_EQ(pool.payload_handle(s.slot), s.m.payload.handle());
    EXPECT_EQ(pool.header(s.slot).size, s.m.size);
    pool.give_back(s.slot);
  }
  EXPECT_EQ(pool.in_use(), 0u);
}

TEST(InFlight, TheLimitCountsRecordsInUseAndAFreedOneMayBeTakenAgain) {
  InFlightPool pool;
  const Message m = message_of_size(1, 8, 1);
  std::vector<uint64_t> slots;
  for (int i = 0; i < 3; ++i) slots.push_back(pool.put(m, 0, i, 3));
  EXPECT_THROW(pool.put(m, 0, 3, 3), LimitError);
  pool.give_back(slots[1]);
  EXPECT_EQ(pool.put(m, 0, 4, 3), slots[1]);  // the freed record, reused
  EXPECT_THROW(pool.put(message_of_size(1, 40, 2), 0, 5, 3), LimitError);  // in any size class
}

}  // namespace
}  // namespace lockstep::sim
