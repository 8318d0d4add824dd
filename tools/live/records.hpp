// What a node process tells its coordinator over its event pipe: fixed-size records, each
// followed by `text_len` bytes of text. Both ends are the same binary on the same machine, so
// the record travels in host byte order. The coordinator's commands go the other way as lines
// of text on the node's stdin (see node.cpp).
#pragma once

#include <cstdint>

#include "sim/core/event.hpp"

namespace lockstep::live {

enum class RecordTag : uint32_t {
  event = 1,    // a trace event the node observed
  hello = 2,    // values[0]: the UDP port the node bound
  foreign = 3,  // values[0]: datagrams dropped as foreign so far (in this incarnation)
};

struct EventRecord {
  RecordTag tag = RecordTag::event;
  uint32_t node = sim::kNoNode;
  int64_t at_ns = 0;  // true time: (CLOCK_MONOTONIC - run start) / time scale
  int64_t mono_ns = 0;
  int64_t wall_ns = 0;
  uint16_t kind = 0;
  uint16_t field_count = 0;
  uint32_t text_len = 0;
  uint16_t keys[sim::Event::kMaxFields] = {};
  int64_t values[sim::Event::kMaxFields] = {};
};

inline constexpr uint32_t kMaxRecordText = 4096;

}  // namespace lockstep::live
