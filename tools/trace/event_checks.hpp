// What a trace can get wrong beyond the format of one line (issue 17): an event that happened on
// a node but names none (`"node": null` on a lock.acquired would hide the holder from every
// checker and flip a verdict), a message sent twice under one msg_id, a delivery of a message
// never sent, and a line repeated verbatim. The trace reader runs these on every event.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/scenario/catalog.hpp"

namespace lockstep::tools {

class EventChecks {
 public:
  using Fail = std::function<void(std::string_view field, const std::string& problem)>;

  // Kinds that need a node: the kernel's message kinds and every protocol observation.
  EventChecks(const sim::Vocabulary& vocabulary, const sim::Catalog* catalog);

  // `line` is the event's line number, `text` its line as written; calls `fail` (which throws)
  // on the first problem.
  void check(const sim::Event& e, int64_t line, std::string_view text, const Fail& fail);

 private:
  std::vector<bool> needs_node_;  // by kind
  std::optional<sim::Key> msg_id_;
  // msg_id -> the line of its net.send (0: not sent): ids below kDense, as a run numbers them,
  // by index; any other id in the map.
  static constexpr int64_t kDense = int64_t{1} << 26;
  std::vector<int64_t> sent_dense_;
  std::unordered_map<int64_t, int64_t> sent_;
  // The line of id's send, or 0; `line` > 0 records one.
  int64_t& sent_line(int64_t id);
  bool was_sent(int64_t id) const;
  std::string previous_;  // the previous event line, as written
};

}  // namespace lockstep::tools
