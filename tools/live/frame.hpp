// The live runtime's datagrams: a per-run random cookie, the sender's node index and the message
// id, then the protocol's own wire encoding of the message (protocols/common/wire.hpp). A node
// accepts only datagrams that carry its run's cookie and a sender index of another node in the
// run (a node may message itself, as in the simulator) and whose body its protocol decodes;
// everything else is dropped and counted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "sim/core/process.hpp"

namespace lockstep::live {

// The encode / decode pair of one protocol's messages (its messages.hpp).
struct Codec {
  std::vector<std::byte> (*encode)(const sim::Message&) = nullptr;
  std::optional<sim::Message> (*decode)(std::span<const std::byte>) = nullptr;
};

// The codec of `protocol` (a registry name), or nullopt when the live runtime does not know it.
std::optional<Codec> codec_for(std::string_view protocol);

inline constexpr size_t kFrameHeader = 8 + 4 + 8;  // cookie, sender, message id
inline constexpr size_t kMaxDatagram = 64 * 1024;

struct Frame {
  sim::NodeIndex from;
  int64_t msg_id;
  sim::Message message;
};

std::vector<std::byte> encode_frame(uint64_t cookie, sim::NodeIndex from, int64_t msg_id,
                                    std::span<const std::byte> body);

// A frame of the run with `cookie` and `nodes` nodes, its body decoded with `codec`; or nullopt
// for anything else (wrong cookie, a sender index outside the run, a body the codec rejects).
std::optional<Frame> parse_frame(std::span<const std::byte> datagram, uint64_t cookie, size_t nodes,
                                 const Codec& codec);

}  // namespace lockstep::live
