#include "sim/core/network.hpp"

#include <cassert>

namespace lockstep::sim {

std::string_view drop_reason_name(DropReason r) {
  constexpr std::string_view kNames[] = {"none", "loss", "partition", "down"};
  const auto i = static_cast<size_t>(r);
  assert(i < std::size(kNames));
  return kNames[i];
}

Network::Network(const NetworkSpec& spec, size_t node_count, Rng rng) : n_(node_count), rng_(rng) {
  configs_.push_back({spec.latency_ns, spec.loss, spec.duplicate, spec.ordering});
  bool any_fifo = spec.ordering == Ordering::fifo;
  if (!spec.links.empty()) {
    link_config_.assign(n_ * n_, 0);
    for (const LinkSpec& l : spec.links) {
      assert(l.from < n_ && l.to < n_);
      const LinkConfig& base = configs_[link_config_[index(l.from, l.to)]];
      LinkConfig c{l.latency_ns.value_or(base.latency_ns), l.loss.value_or(base.loss),
                   l.duplicate.value_or(base.duplicate), l.ordering.value_or(base.ordering)};
      any_fifo = any_fifo || c.ordering == Ordering::fifo;
      configs_.push_back(c);
      link_config_[index(l.from, l.to)] = static_cast<uint16_t>(configs_.size() - 1);
    }
  }
  if (any_fifo) last_delivery_ns_.assign(n_ * n_, 0);
}

int64_t Network::draw_latency(const LinkConfig& c, NodeIndex from, NodeIndex to, Instant now) {
  int64_t latency = c.latency_ns.is_constant() ? static_cast<int64_t>(c.latency_ns.a)
                                               : c.latency_ns.sample_int(rng_);
  if (latency < 0) latency = 0;
  int64_t at = now.ns + latency;
  if (c.ordering == Ordering::fifo) {
    // FIFO per directed link: never overtake the previous message on this link.
    int64_t& last = last_delivery_ns_[index(from, to)];
    if (at < last) at = last;
    last = at;
  }
  return at;
}

Route Network::route(NodeIndex from, NodeIndex to, Instant now) {
  assert(from < n_ && to < n_);
  Route r;
  if (!reachable(from, to)) {
    r.dropped = DropReason::partition;
    return r;
  }
  const LinkConfig& c = config(from, to);
  if (c.loss > 0 && rng_.chance(c.loss)) {
    r.dropped = DropReason::loss;
    return r;
  }
  r.copies = 1;
  r.deliver_at_ns[0] = draw_latency(c, from, to, now);
  if (c.duplicate > 0 && rng_.chance(c.duplicate)) {
    r.copies = 2;
    r.deliver_at_ns[1] = draw_latency(c, from, to, now);
  }
  return r;
}

void Network::block(const std::vector<std::pair<NodeIndex, NodeIndex>>& links, int delta,
                    std::vector<std::pair<NodeIndex, NodeIndex>>* changed) {
  assert(delta == 1 || delta == -1);
  if (blocked_.empty()) blocked_.assign(n_ * n_, 0);
  for (const auto& [from, to] : links) {
    uint16_t& count = blocked_[index(from, to)];
    assert(delta > 0 || count > 0);
    assert(count < UINT16_MAX);
    const bool was_reachable = count == 0;
    count = static_cast<uint16_t>(count + delta);
    if (changed != nullptr && was_reachable != (count == 0)) changed->push_back({from, to});
  }
}

}  // namespace lockstep::sim
