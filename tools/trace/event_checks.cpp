#include "tools/trace/event_checks.hpp"

#include <algorithm>
#include <optional>

namespace lockstep::tools {

EventChecks::EventChecks(const sim::Vocabulary& vocabulary, const sim::Catalog* catalog)
    : needs_node_(vocabulary.kind_count(), false), msg_id_(vocabulary.find_key("msg_id")) {
  for (sim::Kind k : {sim::Kind::net_send, sim::Kind::net_deliver, sim::Kind::net_drop}) {
    needs_node_[static_cast<size_t>(k)] = true;
  }
  if (catalog == nullptr) return;
  for (const sim::ProtocolSpec& p : catalog->protocols()) {
    for (const sim::ObservationSpec& o : p.observations) {
      if (auto k = vocabulary.find_kind(o.kind)) needs_node_[static_cast<size_t>(*k)] = true;
    }
  }
}

void EventChecks::check(const sim::Event& e, int64_t line, std::string_view text,
                        const Fail& fail) {
  const auto kind = static_cast<size_t>(e.kind);
  if (e.node == sim::kNoNode && kind < needs_node_.size() && needs_node_[kind]) {
    fail("node", "null, but this kind of event happens on a node (which one is missing)");
  }
  if (text == previous_) {
    fail("", "the same event as line " + std::to_string(line - 1) + " (a duplicated line)");
  }
  previous_.assign(text);
  if (!msg_id_) return;
  const std::optional<int64_t> id = e.get(*msg_id_);
  if (!id) return;
  if (e.kind == sim::Kind::net_send) {
    int64_t& sent = sent_line(*id);
    if (sent != 0) {
      fail("msg_id",
           std::to_string(*id) + " was already used by the send on line " + std::to_string(sent));
    }
    sent = line;
  } else if (e.kind == sim::Kind::net_deliver && !was_sent(*id)) {
    fail("msg_id", std::to_string(*id) + " was never sent (no net.send before this line)");
  }
}

int64_t& EventChecks::sent_line(int64_t id) {
  if (id < 0 || id >= kDense) return sent_[id];
  const auto i = static_cast<size_t>(id);
  if (i >= sent_dense_.size()) sent_dense_.resize(std::max(2 * sent_dense_.size(), i + 1024));
  return sent_dense_[i];
}

bool EventChecks::was_sent(int64_t id) const {
  if (id < 0 || id >= kDense) return sent_.contains(id);
  const auto i = static_cast<size_t>(id);
  return i < sent_dense_.size() && sent_dense_[i] != 0;
}

}  // namespace lockstep::tools
