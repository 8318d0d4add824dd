#include "tools/live/frame.hpp"

#include <cassert>

#include "protocols/bully/messages.hpp"
#include "protocols/heartbeat/heartbeat.hpp"
#include "protocols/lease_election/messages.hpp"
#include "protocols/lease_lock/messages.hpp"
#include "protocols/raft/messages.hpp"
#include "protocols/token_ring/token_ring.hpp"

namespace lockstep::live {
namespace {

void put_le(std::vector<std::byte>& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xff));
}

uint64_t get_le(std::span<const std::byte> in, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(in[at + i]) << (8 * i);
  return v;
}

}  // namespace

// Each protocol already exposes its wire encoding next to its messages; this table only names
// them. A protocol missing here is refused by `lockstep live` with its name.
std::optional<Codec> codec_for(std::string_view protocol) {
  if (protocol == "lease_lock")
    return Codec{&protocols::lease_lock::encode, &protocols::lease_lock::decode};
  if (protocol == "heartbeat")
    return Codec{&protocols::heartbeat::encode, &protocols::heartbeat::decode};
  if (protocol == "raft") return Codec{&protocols::raft::encode, &protocols::raft::decode};
  if (protocol == "bully") return Codec{&protocols::bully::encode, &protocols::bully::decode};
  if (protocol == "lease_election") {
    return Codec{&protocols::lease_election::encode, &protocols::lease_election::decode};
  }
  if (protocol == "token_ring")
    return Codec{&protocols::token_ring::encode, &protocols::token_ring::decode};
  return std::nullopt;
}

std::vector<std::byte> encode_frame(uint64_t cookie, sim::NodeIndex from, int64_t msg_id,
                                    std::span<const std::byte> body) {
  std::vector<std::byte> out;
  out.reserve(kFrameHeader + body.size());
  put_le(out, cookie, 8);
  put_le(out, from, 4);
  put_le(out, static_cast<uint64_t>(msg_id), 8);
  out.insert(out.end(), body.begin(), body.end());
  assert(out.size() == kFrameHeader + body.size());
  return out;
}

std::optional<Frame> parse_frame(std::span<const std::byte> datagram, uint64_t cookie, size_t nodes,
                                 const Codec& codec) {
  assert(codec.decode != nullptr);
  if (datagram.size() <= kFrameHeader || datagram.size() > kMaxDatagram) return std::nullopt;
  if (get_le(datagram, 0, 8) != cookie) return std::nullopt;
  const auto from = static_cast<sim::NodeIndex>(get_le(datagram, 8, 4));
  if (from >= nodes) return std::nullopt;
  const auto msg_id = static_cast<int64_t>(get_le(datagram, 12, 8));
  if (msg_id < 0) return std::nullopt;
  std::optional<sim::Message> m = codec.decode(datagram.subspan(kFrameHeader));
  if (!m.has_value()) return std::nullopt;
  return Frame{from, msg_id, *m};
}

}  // namespace lockstep::live
