#include "sim/core/network.hpp"

#include <algorithm>
#include <cassert>
#include <stdexcept>

namespace lockstep::sim {

std::string_view drop_reason_name(DropReason r) {
  constexpr std::string_view kNames[] = {"none", "loss", "partition", "down", "fault"};
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

void Network::block(const std::vector<std::pair<NodeIndex, NodeIndex>>& links, int delta,
                    std::vector<std::pair<NodeIndex, NodeIndex>>* changed) {
  assert(delta == 1 || delta == -1);
  if (blocked_.empty()) blocked_.assign(n_ * n_, 0);
  for (const auto& [from, to] : links) {
    uint32_t& count = blocked_[index(from, to)];
    assert(delta > 0 || count > 0);
    assert(count < UINT32_MAX);
    const bool was_reachable = count == 0;
    count = static_cast<uint32_t>(static_cast<int64_t>(count) + delta);
    if (changed != nullptr && was_reachable != (count == 0)) changed->push_back({from, to});
  }
}

void Network::degrade(NodeIndex from, NodeIndex to, const LinkChange& change, size_t fault) {
  assert(from < n_ && to < n_ && from != to);
  if (link_config_.empty()) link_config_.assign(n_ * n_, 0);
  if (base_config_.empty()) base_config_ = link_config_;
  const size_t link = index(from, to);
  const LinkConfig& now = configs_[link_config_[link]];
  LinkConfig c{change.latency_ns.value_or(now.latency_ns), change.loss.value_or(now.loss),
               now.duplicate, now.ordering};
  uint16_t slot = 0;
  if (!free_configs_.empty()) {
    slot = free_configs_.back();
    free_configs_.pop_back();
    configs_[slot] = c;
  } else {
    if (configs_.size() >= UINT16_MAX) {
      throw std::length_error("more than 65535 link settings at once; fewer link faults");
    }
    configs_.push_back(c);
    slot = static_cast<uint16_t>(configs_.size() - 1);
  }
  if (c.ordering == Ordering::fifo && last_delivery_ns_.empty())
    last_delivery_ns_.assign(n_ * n_, 0);
  degraded_.push_back({fault, link, slot});
  link_config_[link] = slot;
}

void Network::restore(size_t fault) {
  const auto it = std::find_if(degraded_.begin(), degraded_.end(),
                               [&](const Degradation& d) { return d.fault == fault; });
  if (it == degraded_.end()) return;
  const size_t link = it->link;
  free_configs_.push_back(it->config);
  degraded_.erase(it);
  link_config_[link] = base_config_[link];
  for (const Degradation& d : degraded_) {
    if (d.link == link) link_config_[link] = d.config;  // the latest still in force
  }
}

}  // namespace lockstep::sim
