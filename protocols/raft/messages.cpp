#include "protocols/raft/messages.hpp"

#include <array>
#include <cassert>
#include <cstring>
#include <type_traits>

namespace lockstep::protocols::raft {
namespace {

// The encoding treats a body as a run of uint64 words, which holds only for bodies made of
// uint64 fields with no padding; these checks keep a future message from breaking that quietly.
template <class T>
constexpr size_t word_count() {
  static_assert(std::has_unique_object_representations_v<T>, "no padding in message bodies");
  static_assert(alignof(T) == 8 && sizeof(T) % 8 == 0, "message bodies are uint64 fields");
  static_assert(offsetof(T, term) == 0, "every body starts with its term");
  return sizeof(T) / 8;
}

constexpr size_t kMaxWords = sim::Message::kBodyBytes / 8;

// Per type (index = MsgType): the body's length in words, and which words are booleans.
struct Layout {
  size_t words;
  std::array<bool, kMaxWords> boolean;
};

constexpr std::array<Layout, kMsgTypeCount> kLayouts = {{
    {word_count<RequestVote>(), {false, false, true}},
    {word_count<Vote>(), {false, true, true}},
    {word_count<AppendEntries>(), {false, false}},
    {word_count<AppendResponse>(), {false, true, false}},
}};

}  // namespace

std::vector<std::string_view> message_names() {
  return {"request_vote", "vote", "append_entries", "append_response"};
}

uint64_t term_of(const sim::Message& message) {
  assert(message.type < kMsgTypeCount);
  assert(message.size >= sizeof(uint64_t));
  uint64_t term = 0;
  std::memcpy(&term, message.body.data(), sizeof(term));
  return term;
}

std::vector<std::byte> encode(const sim::Message& message) {
  assert(message.type < kMsgTypeCount);
  const size_t words = kLayouts[message.type].words;
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
  const Layout& layout = kLayouts[type];
  if (bytes.size() != 1 + layout.words * 8) return std::nullopt;

  std::array<uint64_t, kMaxWords> fields{};
  for (size_t w = 0; w < layout.words; ++w) {
    uint64_t v = 0;
    for (size_t b = 0; b < 8; ++b) {
      v |= static_cast<uint64_t>(bytes[1 + w * 8 + b]) << (8 * b);
    }
    if (layout.boolean[w] && v > 1) return std::nullopt;
    fields[w] = v;
  }
  sim::Message m;
  m.type = static_cast<uint16_t>(type);
  m.size = static_cast<uint16_t>(layout.words * 8);
  std::memcpy(m.body.data(), fields.data(), layout.words * 8);
  return m;
}

}  // namespace lockstep::protocols::raft
