#include "sim/core/world.hpp"

#include <algorithm>
#include <cassert>
#include <string>
#include <vector>

#include "sim/core/clock.hpp"
#include "sim/core/network.hpp"
#include "sim/core/process.hpp"
#include "sim/core/scheduler.hpp"

namespace lockstep::sim {

namespace {

struct InFlight {
  Message message;
  NodeIndex from;
  NodeIndex to;
  uint64_t id;
};

}  // namespace

struct World::Impl {
  class HostContext;

  struct Host {
    NodeIndex index = 0;
    Clock clock;
    bool up = true;
    int paused = 0;  // nested pauses: resumes when every pause has ended
    uint32_t incarnation = 0;
    std::array<uint32_t, kMaxTimerSlots> timer_gen{};
    std::unique_ptr<Process> process;
    std::unique_ptr<HostContext> context;
    DurableStore durable;
    Rng rng;
    std::vector<QueuedEvent> deferred;  // deliveries and timers held while paused
  };

  class HostContext final : public Context {
   public:
    HostContext(Impl& world, NodeIndex self) : w_(world), self_(self) {}
    NodeIndex self() const override { return self_; }
    const Directory& directory() const override { return w_.directory; }
    LocalTime now(ClockKind clock) const override {
      const Clock& c = w_.hosts[self_].clock;
      return clock == ClockKind::monotonic ? c.monotonic(w_.now) : c.wall(w_.now);
    }
    void send(NodeIndex to, const Message& m) override { w_.send(self_, to, m); }
    Payload payload(std::span<const std::byte> bytes) override { return w_.make_payload(bytes); }
    void set_timer(TimerSlot slot, Duration after) override { w_.set_timer(self_, slot, after); }
    void cancel_timer(TimerSlot slot) override {
      assert(slot < kMaxTimerSlots);
      ++w_.hosts[self_].timer_gen[slot];
    }
    DurableStore& durable() override { return w_.hosts[self_].durable; }
    Rng& rng() override { return w_.hosts[self_].rng; }
    const Vocabulary& vocabulary() const override { return *w_.config.vocabulary; }
    void observe(Kind kind, std::initializer_list<Field> fields, std::string_view text) override {
      w_.observe(self_, kind, fields, text);
    }

   private:
    Impl& w_;
    NodeIndex self_;
  };

  const WorldConfig config;
  const Plan& plan;
  Trace& trace;
  WorldLimits limits;
  Directory directory;
  TraceInfo info;
  Scheduler queue;
  Network network;
  std::vector<Host> hosts;
  std::vector<InFlight> pool;
  std::vector<uint32_t> free_slots;
  PayloadPool payloads;
  std::vector<Payload> made;  // payloads made by the running handler, released when it returns
  Instant now;
  uint64_t next_msg_id = 0;
  uint64_t events = 0;
  // Per role claim of the protocol (config.claims): who claims it, most recent last.
  std::vector<std::vector<NodeIndex>> claimants;
  // Per planned fault: the node it was applied to and the links it blocked, for its heal.
  std::vector<NodeIndex> fault_node;
  std::vector<std::vector<std::pair<NodeIndex, NodeIndex>>> fault_links;
  std::vector<std::string> fault_text;

  Impl(WorldConfig c, const Plan& p, Trace& t, WorldLimits l);

  Event make_event(NodeIndex node, Kind kind) const {
    Event e;
    e.at = now;
    e.node = node;
    if (node != kNoNode) {
      e.mono = hosts[node].clock.monotonic(now);
      e.wall = hosts[node].clock.wall(now);
    }
    e.kind = kind;
    return e;
  }
  void emit(NodeIndex node, Kind kind, std::initializer_list<Field> fields,
            std::string_view text = {}) {
    Event e = make_event(node, kind);
    assert(fields.size() <= Event::kMaxFields);
    for (const Field& f : fields) e.fields[e.field_count++] = f;
    e.text = text;
    trace.emit(e);
  }

  void observe(NodeIndex self, Kind kind, std::initializer_list<Field> fields,
               std::string_view text) {
    track_roles(self, kind);
    emit(self, kind, fields, text);
  }
  void track_roles(NodeIndex node, Kind kind);
  void forget_roles(NodeIndex node);

  void send(NodeIndex from, NodeIndex to, const Message& m);
  void set_timer(NodeIndex node, TimerSlot slot, Duration after);
  uint32_t allocate_slot(const InFlight& f);
  Payload make_payload(std::span<const std::byte> bytes);
  // Drops the running handler's own references to the payloads it made.
  void end_handler() {
    for (const Payload& p : made) payloads.release(p);
    made.clear();
  }

  void boot(Host& h);
  void dispatch(const QueuedEvent& ev);
  void deliver(const QueuedEvent& ev);
  void fire_timer(const QueuedEvent& ev);
  void fault_start(size_t index);
  void fault_end(size_t index);
  NodeIndex resolve(const Target& t) const;
  void crash(NodeIndex node, size_t index);
  // Blocks (+1) or unblocks (-1) the fault's links and traces every link whose reachability
  // flipped, after the fault event itself, so a trace reader can follow connectivity.
  void change_links(size_t index, int delta);
  std::vector<std::pair<NodeIndex, NodeIndex>> flipped;
  void run();
};

World::Impl::Impl(WorldConfig c, const Plan& p, Trace& t, WorldLimits l)
    : config(std::move(c)),
      plan(p),
      trace(t),
      limits(l),
      directory([&] {
        std::vector<NodeInfo> infos;
        for (const NodeConfig& n : config.nodes) infos.push_back({n.id, n.role});
        return infos;
      }()),
      network(config.network, config.nodes.size(), Rng::stream(p.seed, "network")),
      payloads(l.max_payload_bytes, l.max_payload_live) {
  assert(config.make != nullptr);
  assert(p.clocks.size() == config.nodes.size());
  info.scenario = config.scenario;
  info.protocol = config.protocol;
  info.seed = p.seed;
  info.duration_ns = config.duration.ns;
  for (const NodeConfig& n : config.nodes) {
    info.node_ids.push_back(n.id);
    info.node_roles.push_back(n.role);
  }
  info.messages = config.messages;
  info.vocabulary = config.vocabulary;
  for (const NodeConfig& n : config.nodes) info.node_claims.push_back(n.claims);
  claimants.resize(config.claims.size());
  hosts.resize(config.nodes.size());
  for (NodeIndex i = 0; i < hosts.size(); ++i) {
    Host& h = hosts[i];
    h.index = i;
    h.clock = Clock{p.clocks[i].drift_ppb, p.clocks[i].offset_ns, 0};
    h.rng = Rng::stream(p.seed, "node:" + config.nodes[i].id);
    h.context = std::make_unique<HostContext>(*this, i);
  }
  fault_node.assign(p.faults.size(), kNoNode);
  fault_links.resize(p.faults.size());
  fault_text.resize(p.faults.size());
  queue.reserve(1024);
}

void World::Impl::track_roles(NodeIndex node, Kind kind) {
  for (size_t c = 0; c < config.claims.size(); ++c) {
    const RoleClaim& claim = config.claims[c];
    const bool starts =
        std::find(claim.start.begin(), claim.start.end(), kind) != claim.start.end();
    const bool ends = std::find(claim.end.begin(), claim.end.end(), kind) != claim.end.end();
    if (!starts && !ends) continue;
    std::erase(claimants[c], node);
    if (starts) claimants[c].push_back(node);
  }
}

void World::Impl::forget_roles(NodeIndex node) {
  for (std::vector<NodeIndex>& nodes : claimants) std::erase(nodes, node);
}

uint32_t World::Impl::allocate_slot(const InFlight& f) {
  if (!free_slots.empty()) {
    const uint32_t slot = free_slots.back();
    free_slots.pop_back();
    pool[slot] = f;
    return slot;
  }
  if (pool.size() >= limits.max_in_flight) {
    throw LimitError("more than " + std::to_string(limits.max_in_flight) +
                     " messages in flight at once; lower the message rate or the duration");
  }
  pool.push_back(f);
  return static_cast<uint32_t>(pool.size() - 1);
}

Payload World::Impl::make_payload(std::span<const std::byte> bytes) {
  try {
    const Payload p = payloads.make(bytes);
    if (!p.empty()) made.push_back(p);
    return p;
  } catch (const PayloadLimitError& e) {
    throw LimitError(e.what());
  }
}

void World::Impl::send(NodeIndex from, NodeIndex to, const Message& m) {
  assert(to < hosts.size());
  const uint64_t id = next_msg_id++;
  const int64_t type = m.type;
  const int64_t msg_id = static_cast<int64_t>(id);
  emit(from, Kind::net_send, {{Key::to, to}, {Key::msg, type}, {Key::msg_id, msg_id}});
  const Route r = network.route(from, to, now);
  if (r.dropped != DropReason::none) {
    emit(from, Kind::net_drop, {{Key::to, to}, {Key::msg, type}, {Key::msg_id, msg_id}},
         drop_reason_name(r.dropped));
    return;
  }
  for (uint8_t c = 0; c < r.copies; ++c) {
    payloads.retain(m.payload);  // each copy in flight holds the payload
    const uint32_t slot = allocate_slot(InFlight{m, from, to, id});
    queue.push(r.deliver_at_ns[c], EventType::deliver, to, slot);
  }
}

void World::Impl::set_timer(NodeIndex node, TimerSlot slot, Duration after) {
  assert(slot < kMaxTimerSlots);
  assert(after.ns >= 0);
  Host& h = hosts[node];
  const uint32_t gen = ++h.timer_gen[slot];
  const LocalTime target = h.clock.monotonic(now) + after;
  const Instant at = h.clock.when_monotonic_reaches(target, now);
  queue.push(at.ns, EventType::timer, node, uint64_t{gen} | (uint64_t{h.incarnation} << 32), slot);
}

void World::Impl::boot(Host& h) {
  const NodeConfig& node = config.nodes[h.index];
  h.process =
      config.make(NodeSetup{h.index, directory[h.index], directory, node.params, config.workload});
  assert(h.process != nullptr);
  h.up = true;
  h.process->on_start(*h.context);
  end_handler();
}

void World::Impl::deliver(const QueuedEvent& ev) {
  Host& h = hosts[ev.node];
  if (h.up && h.paused > 0) {
    h.deferred.push_back(ev);
    return;
  }
  // Copy out and free the slot first: the handler may send, which may grow the pool.
  const InFlight f = pool[ev.data];
  free_slots.push_back(static_cast<uint32_t>(ev.data));
  const int64_t type = f.message.type;
  const int64_t msg_id = static_cast<int64_t>(f.id);
  if (!h.up || !network.reachable(f.from, f.to)) {
    const DropReason why = h.up ? DropReason::partition : DropReason::down;
    emit(f.to, Kind::net_drop, {{Key::from, f.from}, {Key::msg, type}, {Key::msg_id, msg_id}},
         drop_reason_name(why));
    payloads.release(f.message.payload);
    return;
  }
  emit(f.to, Kind::net_deliver, {{Key::from, f.from}, {Key::msg, type}, {Key::msg_id, msg_id}});
  h.process->on_message(*h.context, f.from, f.message);
  payloads.release(f.message.payload);  // the copy that arrived lived as long as its handler
  end_handler();
}

void World::Impl::fire_timer(const QueuedEvent& ev) {
  Host& h = hosts[ev.node];
  const auto gen = static_cast<uint32_t>(ev.data);
  const auto incarnation = static_cast<uint32_t>(ev.data >> 32);
  // Lazy cancellation: a timer from an earlier life or replaced in its slot is skipped.
  if (!h.up || incarnation != h.incarnation || gen != h.timer_gen[ev.aux]) return;
  if (h.paused > 0) {
    h.deferred.push_back(ev);
    return;
  }
  emit(ev.node, Kind::timer_fire, {{Key::slot, ev.aux}});
  h.process->on_timer(*h.context, ev.aux);
  end_handler();
}

NodeIndex World::Impl::resolve(const Target& t) const {
  if (t.role.empty()) return t.node;
  const auto claim = std::find_if(config.claims.begin(), config.claims.end(),
                                  [&](const RoleClaim& c) { return c.role == t.role; });
  assert(claim != config.claims.end() && "the loader admits only role targets the protocol claims");
  // The most recent claimant: the one the rest of the system currently treats as holder/leader.
  const std::vector<NodeIndex>& nodes =
      claimants[static_cast<size_t>(claim - config.claims.begin())];
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
    if (hosts[*it].up) return *it;
  }
  return kNoNode;
}

void World::Impl::crash(NodeIndex node, size_t index) {
  Host& h = hosts[node];
  h.up = false;
  h.paused = 0;
  for (const QueuedEvent& ev : h.deferred) {
    if (ev.type != EventType::deliver) continue;
    payloads.release(pool[ev.data].message.payload);
    free_slots.push_back(static_cast<uint32_t>(ev.data));
  }
  h.deferred.clear();
  h.process.reset();  // volatile state is gone; durable storage stays with the host
  ++h.incarnation;
  forget_roles(node);
  emit(node, Kind::fault_crash, {{Key::fault, static_cast<int64_t>(index)}}, fault_text[index]);
}

void World::Impl::change_links(size_t index, int delta) {
  flipped.clear();
  network.block(fault_links[index], delta, &flipped);
  const Kind kind = delta > 0 ? Kind::net_link_down : Kind::net_link_up;
  for (const auto& [from, to] : flipped) {
    emit(kNoNode, kind,
         {{Key::from, from}, {Key::to, to}, {Key::fault, static_cast<int64_t>(index)}});
  }
}

void World::Impl::fault_start(size_t index) {
  const PlannedFault& f = plan.faults[index];
  const auto fault_id = static_cast<int64_t>(index);
  fault_text[index] = f.description;
  NodeIndex node = kNoNode;
  if (f.type == FaultType::crash || f.type == FaultType::pause || f.type == FaultType::isolate ||
      f.type == FaultType::clock_step) {
    node = resolve(f.target);
    if (!f.target.role.empty() && node != kNoNode) {
      fault_text[index] += " (" + config.nodes[node].id + ")";
    }
    if (node == kNoNode || !hosts[node].up) {
      fault_text[index] += node == kNoNode ? ": no " + f.target.role + " now" : ": already down";
      emit(node, Kind::fault_skipped, {{Key::fault, fault_id}}, fault_text[index]);
      return;
    }
  }
  fault_node[index] = node;
  std::vector<std::pair<NodeIndex, NodeIndex>>& links = fault_links[index];
  switch (f.type) {
    case FaultType::crash:
      crash(node, index);
      break;
    case FaultType::pause:
      ++hosts[node].paused;
      emit(node, Kind::fault_pause, {{Key::fault, fault_id}}, fault_text[index]);
      break;
    case FaultType::clock_step:
      hosts[node].clock.steps_ns += f.by.ns;
      emit(node, Kind::fault_clock_step, {{Key::fault, fault_id}, {Key::by_ns, f.by.ns}},
           fault_text[index]);
      break;
    case FaultType::isolate:
      for (NodeIndex other = 0; other < hosts.size(); ++other) {
        if (other == node) continue;
        links.push_back({node, other});
        links.push_back({other, node});
      }
      emit(node, Kind::fault_isolate, {{Key::fault, fault_id}}, fault_text[index]);
      change_links(index, +1);
      break;
    case FaultType::partition:
      for (size_t a = 0; a < f.groups.size(); ++a) {
        for (size_t b = 0; b < f.groups.size(); ++b) {
          if (a == b) continue;
          for (NodeIndex x : f.groups[a]) {
            for (NodeIndex y : f.groups[b]) links.push_back({x, y});
          }
        }
      }
      emit(kNoNode, Kind::fault_partition, {{Key::fault, fault_id}}, fault_text[index]);
      change_links(index, +1);
      break;
    case FaultType::cut:
      links = f.links;
      emit(kNoNode, Kind::fault_cut, {{Key::fault, fault_id}}, fault_text[index]);
      change_links(index, +1);
      break;
  }
  if (f.length && f.type != FaultType::clock_step) {
    queue.push((now + *f.length).ns, EventType::fault_end, node, index);
  }
}

void World::Impl::fault_end(size_t index) {
  const PlannedFault& f = plan.faults[index];
  const auto fault_id = static_cast<int64_t>(index);
  const NodeIndex node = fault_node[index];
  switch (f.type) {
    case FaultType::crash: {
      Host& h = hosts[node];
      if (h.up) return;
      emit(node, Kind::fault_restart, {{Key::fault, fault_id}}, fault_text[index]);
      boot(h);
      break;
    }
    case FaultType::pause: {
      Host& h = hosts[node];
      if (!h.up || h.paused == 0) return;  // crashed meanwhile: the pause died with it
      emit(node, Kind::fault_resume, {{Key::fault, fault_id}}, fault_text[index]);
      if (--h.paused > 0) return;
      // What waited runs now, in the order it was due.
      std::vector<QueuedEvent> waiting;
      waiting.swap(h.deferred);
      for (const QueuedEvent& ev : waiting) queue.push(now.ns, ev.type, ev.node, ev.data, ev.aux);
      break;
    }
    case FaultType::isolate:
    case FaultType::partition:
    case FaultType::cut:
      emit(f.type == FaultType::isolate ? node : kNoNode, Kind::fault_heal,
           {{Key::fault, fault_id}}, fault_text[index]);
      change_links(index, -1);
      break;
    case FaultType::clock_step:
      break;
  }
}

void World::Impl::dispatch(const QueuedEvent& ev) {
  switch (ev.type) {
    case EventType::deliver:
      deliver(ev);
      break;
    case EventType::timer:
      fire_timer(ev);
      break;
    case EventType::fault_start:
      fault_start(static_cast<size_t>(ev.data));
      break;
    case EventType::fault_end:
      fault_end(static_cast<size_t>(ev.data));
      break;
  }
}

void World::Impl::run() {
  trace.begin(info);
  // Nodes boot at 0s before anything queued runs, so a fault at 0s finds them up; messages
  // they sent on boot are checked against reachability again on delivery.
  for (size_t i = 0; i < plan.faults.size(); ++i) {
    queue.push(plan.faults[i].at.ns, EventType::fault_start, kNoNode, i);
  }
  for (Host& h : hosts) {
    emit(h.index, Kind::node_start, {});
    boot(h);
  }
  const int64_t end_ns = config.duration.ns;
  while (!queue.empty() && queue.top().at_ns < end_ns) {
    const QueuedEvent ev = queue.pop();
    assert(ev.at_ns >= now.ns);
    now = Instant{ev.at_ns};
    dispatch(ev);
    if (++events > limits.max_events) {
      throw LimitError("more than " + std::to_string(limits.max_events) +
                       " events in one run; shorten the duration or lower the message rate");
    }
  }
  now = Instant{end_ns};
  trace.end(now);
}

World::World(WorldConfig config, const Plan& plan, Trace& trace, WorldLimits limits)
    : impl_(std::make_unique<Impl>(std::move(config), plan, trace, limits)) {}
World::~World() = default;
void World::run() { impl_->run(); }
uint64_t World::events_processed() const { return impl_->events; }
const TraceInfo& World::info() const { return impl_->info; }

}  // namespace lockstep::sim
