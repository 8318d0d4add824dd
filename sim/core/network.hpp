// The simulated network: per-link latency, loss, duplication and ordering, and reachability
// (partitions, one-way cuts, isolation). Reachability is a count per directed link, so
// overlapping faults heal independently: a link carries traffic again only when every fault
// that blocked it has healed.
#pragma once

#include <cassert>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/core/distribution.hpp"
#include "sim/core/event.hpp"
#include "sim/core/fault.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"

namespace lockstep::sim {

enum class Ordering : uint8_t { any, fifo };

struct LinkSpec {
  NodeIndex from;
  NodeIndex to;
  std::optional<Distribution> latency_ns;
  std::optional<double> loss;
  std::optional<double> duplicate;
  std::optional<Ordering> ordering;
};

struct NetworkSpec {
  Distribution latency_ns = Distribution::constant_of(1'000'000);
  double loss = 0;
  double duplicate = 0;
  Ordering ordering = Ordering::any;
  std::vector<LinkSpec> links;
};

enum class DropReason : uint8_t { none, loss, partition, down, fault };
std::string_view drop_reason_name(DropReason r);

struct Route {
  DropReason dropped = DropReason::none;
  uint8_t copies = 0;  // 1, or 2 when duplicated
  int64_t deliver_at_ns[2] = {0, 0};
};

class Network {
 public:
  Network(const NetworkSpec& spec, size_t node_count, Rng rng);

  // Decides the fate of a message sent now from `from` to `to` (inline: it runs per message).
  Route route(NodeIndex from, NodeIndex to, Instant now) {
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
  bool reachable(NodeIndex from, NodeIndex to) const {
    return blocked_.empty() || blocked_[index(from, to)] == 0;
  }
  // Adds (+1) or removes (-1) one block on each directed link. Appends to `changed` every link
  // whose reachability flipped (in the order given), so the trace can record connectivity.
  void block(const std::vector<std::pair<NodeIndex, NodeIndex>>& links, int delta,
             std::vector<std::pair<NodeIndex, NodeIndex>>* changed = nullptr);
  // A link fault: the directed link takes `change`'s latency and loss until restore(fault).
  // Overlapping degradations of one link stack: the latest one still in force applies.
  void degrade(NodeIndex from, NodeIndex to, const LinkChange& change, size_t fault);
  void restore(size_t fault);

 private:
  struct LinkConfig {
    Distribution latency_ns;
    double loss;
    double duplicate;
    Ordering ordering;
  };
  size_t index(NodeIndex from, NodeIndex to) const { return size_t{from} * n_ + to; }
  const LinkConfig& config(NodeIndex from, NodeIndex to) const {
    return link_config_.empty() ? configs_[0] : configs_[link_config_[index(from, to)]];
  }
  int64_t draw_latency(const LinkConfig& c, NodeIndex from, NodeIndex to, Instant now) {
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

  size_t n_;
  Rng rng_;
  std::vector<LinkConfig> configs_;    // [0] is the default
  std::vector<uint16_t> link_config_;  // n*n, only when links override the default
  std::vector<uint32_t> blocked_;      // n*n, allocated at the first block
  struct Degradation {
    size_t fault;
    size_t link;      // index(from, to)
    uint16_t config;  // its entry in configs_
  };
  std::vector<Degradation> degraded_;
  std::vector<uint16_t> base_config_;      // n*n: each link's config without degradations
  std::vector<uint16_t> free_configs_;     // entries of configs_ that degradations gave back
  std::vector<int64_t> last_delivery_ns_;  // n*n, only when some link is fifo
};

}  // namespace lockstep::sim
