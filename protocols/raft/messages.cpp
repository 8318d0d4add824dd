#include "protocols/raft/messages.hpp"

#include <array>
#include <cassert>
#include <cstring>
#include <type_traits>

#include "protocols/common/wire.hpp"

namespace lockstep::protocols::raft {
namespace {

// Index = MsgType; the bits mark boolean words (0 or 1 only on the wire).
constexpr std::array<wire::Layout, kMsgTypeCount> kLayouts = {{
    wire::layout_of<RequestVote>(0b1000),
    wire::layout_of<Vote>(0b110),
    wire::layout_with_payload<AppendEntries, Entry>(),
    wire::layout_of<AppendResponse>(0b01010),
}};

static_assert(offsetof(RequestVote, term) == 0 && offsetof(Vote, term) == 0 &&
                  offsetof(AppendEntries, term) == 0 && offsetof(AppendResponse, term) == 0,
              "every body starts with its term");

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
  return wire::encode(message, kLayouts);
}

std::optional<sim::Message> decode(std::span<const std::byte> bytes) {
  return wire::decode(bytes, kLayouts);
}

std::optional<wire::DecodedView> decode_view(std::span<const std::byte> bytes) {
  return wire::decode_view(bytes, kLayouts);
}

}  // namespace lockstep::protocols::raft
