#include "protocols/lease_election/messages.hpp"

#include <array>
#include <cassert>
#include <cstring>
#include <type_traits>

namespace lockstep::protocols::lease_election {
namespace {

// The encoding treats a body as a run of 64-bit words, which holds only for bodies made of
// 64-bit fields with no padding; these checks keep a future message from breaking that quietly.
template <class T>
constexpr size_t word_count() {
  static_assert(std::has_unique_object_representations_v<T>, "no padding in message bodies");
  static_assert(alignof(T) == 8 && sizeof(T) % 8 == 0, "message bodies are 64-bit fields");
  return sizeof(T) / 8;
}

// Index = MsgType. Lengths of each type's body, in 64-bit words.
constexpr std::array<size_t, kMsgTypeCount> kWords = {
    word_count<Get>(),      word_count<GetReply>(),       word_count<Update>(),
    word_count<UpdateOk>(), word_count<UpdateConflict>(), word_count<Write>(),
};

constexpr size_t kMaxWords = sim::Message::kBodyBytes / 8;

}  // namespace

std::vector<std::string_view> message_names() {
  return {"get", "get_reply", "update", "update_ok", "update_conflict", "write"};
}

std::vector<std::byte> encode(const sim::Message& message) {
  assert(message.type < kMsgTypeCount);
  const size_t words = kWords[message.type];
  assert(message.size == words * 8);
  std::array<uint64_t, kMaxWords> fields{};
  std::memcpy(fields.data(), message.body.data(), words * 8);

  std::vector<std::byte> out;
  out.reserve(1 + words * 8);
  out.push_back(static_cast<std::byte>(message.type));
  for (size_t w = 0; w < words; ++w) {
    for (int shift = 0; shift < 64; shift += 8) {
      out.push_back(static_cast<std::byte>((fields[w] >> shift) & 0xff));
    }
  }
  assert(out.size() == 1 + words * 8);
  return out;
}

std::optional<sim::Message> decode(std::span<const std::byte> bytes) {
  if (bytes.empty()) return std::nullopt;
  const auto type = static_cast<size_t>(bytes[0]);
  if (type >= kMsgTypeCount) return std::nullopt;
  const size_t words = kWords[type];
  if (bytes.size() != 1 + words * 8) return std::nullopt;

  std::array<uint64_t, kMaxWords> fields{};
  for (size_t w = 0; w < words; ++w) {
    uint64_t v = 0;
    for (size_t b = 0; b < 8; ++b) {
      v |= static_cast<uint64_t>(bytes[1 + w * 8 + b]) << (8 * b);
    }
    fields[w] = v;
  }
  sim::Message m;
  m.type = static_cast<uint16_t>(type);
  m.size = static_cast<uint16_t>(words * 8);
  std::memcpy(m.body.data(), fields.data(), words * 8);
  return m;
}

}  // namespace lockstep::protocols::lease_election
