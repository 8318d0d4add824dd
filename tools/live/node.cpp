#include "tools/live/node.hpp"

#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "sim/core/clock.hpp"
#include "sim/core/network.hpp"
#include "sim/core/world.hpp"
#include "sim/io/loader.hpp"
#include "sim/scenario/plan.hpp"
#include "tools/engine/runner.hpp"
#include "tools/live/asio.hpp"
#include "tools/live/file_storage.hpp"
#include "tools/live/frame.hpp"
#include "tools/live/records.hpp"

namespace lockstep::live {
namespace asio = boost::asio;
using asio::ip::udp;

int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {

// Commands from the coordinator, one per line on stdin:
//   go EPOCH_NS PORT...            start: true time 0 is EPOCH_NS on CLOCK_MONOTONIC
//   block DELTA FROM TO [FROM TO]  links blocked (+1) or unblocked (-1) by a fault
//   degrade FAULT                  the plan's link fault FAULT starts; restore FAULT ends it
//   clock DRIFT_PPB STEPS_NS BASE_TRUE_NS BASE_MONO_NS   the clock transform, whole
//   quit
class LiveNode final : public sim::Context {
 public:
  LiveNode(const NodeArgs& args, sim::WorldConfig config, sim::Plan plan)
      : args_(args),
        config_(std::move(config)),
        plan_(std::move(plan)),
        directory_([&] {
          std::vector<sim::NodeInfo> infos;
          for (const sim::NodeConfig& n : config_.nodes) infos.push_back({n.id, n.role});
          return infos;
        }()),
        id_(config_.nodes.at(args.node).id),
        network_(config_.network, config_.nodes.size(),
                 sim::Rng::stream(plan_.seed, "live-network:" + id_ + suffix())),
        rng_(sim::Rng::stream(plan_.seed, "node:" + id_ + suffix())),
        storage_(args.run_dir + "/" + id_ + ".journal"),
        payloads_(1 << 20, 256 << 20),
        socket_(io_),
        control_(io_, ::dup(STDIN_FILENO)) {
    const sim::NodeClock& c = plan_.clocks.at(args.node);
    clock_ = sim::Clock{c.drift_ppb, c.offset_ns, 0};
    codec_ = *codec_for(config_.protocol);
    for (sim::TimerSlot s = 0; s < sim::kMaxTimerSlots; ++s) {
      timers_.push_back(std::make_unique<asio::steady_timer>(io_));
    }
  }

  int run();

  // sim::Context
  sim::NodeIndex self() const override { return args_.node; }
  const sim::Directory& directory() const override { return directory_; }
  sim::LocalTime now(sim::ClockKind kind) const override {
    const sim::Instant t = now_true();
    return kind == sim::ClockKind::monotonic ? clock_.monotonic(t) : clock_.wall(t);
  }
  void send(sim::NodeIndex to, const sim::Message& message) override;
  sim::Payload payload(std::span<const std::byte> bytes) override {
    const sim::Payload p = payloads_.make(bytes);
    if (!p.empty()) made_.push_back(p);
    return p;
  }
  void set_timer(sim::TimerSlot slot, sim::Duration after) override;
  void cancel_timer(sim::TimerSlot slot) override {
    assert(slot < sim::kMaxTimerSlots);
    ++timer_gen_[slot];
    timer_live_[slot] = false;
    timers_[slot]->cancel();
  }
  sim::Storage& durable() override { return storage_; }
  sim::Rng& rng() override { return rng_; }
  const sim::Vocabulary& vocabulary() const override { return *config_.vocabulary; }
  void observe(sim::Kind kind, std::initializer_list<sim::Field> fields,
               std::string_view text) override {
    emit(kind, fields, text);
  }

 private:
  std::string suffix() const {
    return args_.incarnation == 0 ? std::string() : "#" + std::to_string(args_.incarnation);
  }
  sim::Instant now_true() const {
    const double since = static_cast<double>(monotonic_ns() - epoch_ns_);
    return sim::Instant{static_cast<int64_t>(std::floor(since / args_.time_scale))};
  }
  std::chrono::steady_clock::time_point real_at(sim::Instant t) const {
    const auto ns = epoch_ns_ + static_cast<int64_t>(std::ceil(t.ns * args_.time_scale));
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
  }
  void emit(sim::Kind kind, std::initializer_list<sim::Field> fields, std::string_view text = {});
  void write_record(const EventRecord& r, std::string_view text);
  void end_handler() {
    for (const sim::Payload& p : made_) payloads_.release(p);
    made_.clear();
  }
  void bind();
  void receive();
  void on_datagram(std::span<const std::byte> bytes);
  void deliver(const Frame& f);
  void read_control();
  void on_command(const std::string& line);
  void start(std::istringstream& in);
  void arm(sim::TimerSlot slot);
  void fire(sim::TimerSlot slot, uint32_t gen);

  NodeArgs args_;
  sim::WorldConfig config_;
  sim::Plan plan_;
  sim::Directory directory_;
  std::string id_;
  sim::Network network_;  // the receiving side's emulation: latency, loss, duplicates, blocks
  sim::Rng rng_;
  FileStorage storage_;
  sim::PayloadPool payloads_;
  std::vector<sim::Payload> made_;
  sim::Clock clock_;
  Codec codec_;
  std::unique_ptr<sim::Process> process_;

  asio::io_context io_;
  udp::socket socket_;
  asio::posix::stream_descriptor control_;
  asio::streambuf control_buf_;
  std::vector<std::unique_ptr<asio::steady_timer>> timers_;
  std::array<uint32_t, sim::kMaxTimerSlots> timer_gen_{};
  std::array<bool, sim::kMaxTimerSlots> timer_live_{};
  std::array<sim::LocalTime, sim::kMaxTimerSlots> timer_due_{};
  std::array<std::byte, kMaxDatagram> rx_{};
  udp::endpoint rx_from_;
  std::vector<std::vector<std::byte>> early_;  // datagrams that came before `go`
  std::vector<uint16_t> ports_;
  int64_t epoch_ns_ = 0;
  bool started_ = false;
  uint32_t next_msg_ = 0;
  int64_t foreign_ = 0;
};

void LiveNode::write_record(const EventRecord& r, std::string_view text) {
  std::string out(reinterpret_cast<const char*>(&r), sizeof r);
  out.append(text);
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::write(args_.event_fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::_Exit(3);  // the coordinator is gone: nobody would hear this node
    done += static_cast<size_t>(n);
  }
}

void LiveNode::emit(sim::Kind kind, std::initializer_list<sim::Field> fields,
                    std::string_view text) {
  assert(fields.size() <= sim::Event::kMaxFields);
  EventRecord r;
  r.tag = RecordTag::event;
  r.node = args_.node;
  const sim::Instant t = now_true();
  r.at_ns = t.ns;
  r.mono_ns = clock_.monotonic(t).ns;
  r.wall_ns = clock_.wall(t).ns;
  r.kind = static_cast<uint16_t>(kind);
  for (const sim::Field& f : fields) {
    r.keys[r.field_count] = static_cast<uint16_t>(f.key);
    r.values[r.field_count++] = f.value;
  }
  if (text.size() > kMaxRecordText) text = text.substr(0, kMaxRecordText);
  r.text_len = static_cast<uint32_t>(text.size());
  write_record(r, text);
}

void LiveNode::send(sim::NodeIndex to, const sim::Message& message) {
  assert(to < ports_.size());
  // Unique across nodes and restarts: node, incarnation, then a count.
  const int64_t msg_id = (int64_t{args_.node} << 40) | (int64_t{args_.incarnation & 0xff} << 32) |
                         int64_t{next_msg_++};
  emit(sim::Kind::net_send,
       {{sim::Key::to, to}, {sim::Key::msg, message.type}, {sim::Key::msg_id, msg_id}});
  const std::vector<std::byte> frame =
      encode_frame(args_.cookie, args_.node, msg_id, codec_.encode(message));
  boost::system::error_code ec;
  socket_.send_to(asio::buffer(frame.data(), frame.size()),
                  udp::endpoint(asio::ip::address_v4::loopback(), ports_[to]), 0, ec);
  // A send error (a full socket buffer) loses the datagram, as a real network may.
}

void LiveNode::set_timer(sim::TimerSlot slot, sim::Duration after) {
  assert(slot < sim::kMaxTimerSlots);
  assert(after.ns >= 0);
  ++timer_gen_[slot];
  timer_live_[slot] = true;
  timer_due_[slot] = clock_.monotonic(now_true()) + after;
  arm(slot);
}

// The timer fires when the node's monotonic clock reaches its due reading, converted through
// the clock's transform to the real clock (set again when a clock fault changes the transform).
void LiveNode::arm(sim::TimerSlot slot) {
  const sim::Instant at = clock_.when_monotonic_reaches(timer_due_[slot], now_true());
  timers_[slot]->expires_at(real_at(at));
  timers_[slot]->async_wait([this, slot, gen = timer_gen_[slot]](boost::system::error_code ec) {
    if (!ec) fire(slot, gen);
  });
}

void LiveNode::fire(sim::TimerSlot slot, uint32_t gen) {
  if (gen != timer_gen_[slot] || !timer_live_[slot]) return;  // replaced or cancelled
  timer_live_[slot] = false;
  emit(sim::Kind::timer_fire, {{sim::Key::slot, slot}});
  process_->on_timer(*this, slot);
  end_handler();
}

void LiveNode::bind() {
  socket_.open(udp::v4());
  // Loopback only: nothing outside this machine can reach a node.
  socket_.bind(udp::endpoint(asio::ip::address_v4::loopback(), args_.port));
  EventRecord hello;
  hello.tag = RecordTag::hello;
  hello.node = args_.node;
  hello.values[0] = socket_.local_endpoint().port();
  write_record(hello, {});
}

void LiveNode::receive() {
  socket_.async_receive_from(
      asio::buffer(rx_.data(), rx_.size()), rx_from_,
      [this](boost::system::error_code ec, size_t n) {
        if (!ec) on_datagram(std::span<const std::byte>(rx_.data(), n));
        receive();  // errors (an ICMP report on loopback) do not stop the node
      });
}

void LiveNode::on_datagram(std::span<const std::byte> bytes) {
  if (!started_) {
    early_.emplace_back(bytes.begin(), bytes.end());
    return;
  }
  const std::optional<Frame> f = parse_frame(bytes, args_.cookie, ports_.size(), codec_);
  if (!f.has_value()) {
    EventRecord r;
    r.tag = RecordTag::foreign;
    r.node = args_.node;
    r.values[0] = ++foreign_;
    write_record(r, {});
    return;
  }
  const sim::Route route = network_.route(f->from, args_.node, now_true());
  if (route.dropped != sim::DropReason::none) {
    emit(sim::Kind::net_drop,
         {{sim::Key::from, f->from},
          {sim::Key::msg, f->message.type},
          {sim::Key::msg_id, f->msg_id}},
         sim::drop_reason_name(route.dropped));
    return;
  }
  for (uint8_t c = 0; c < route.copies; ++c) {
    auto timer = std::make_shared<asio::steady_timer>(io_);
    timer->expires_at(real_at(sim::Instant{route.deliver_at_ns[c]}));
    timer->async_wait([this, timer, frame = *f](boost::system::error_code ec) {
      if (!ec) deliver(frame);
    });
  }
}

void LiveNode::deliver(const Frame& f) {
  const int64_t type = f.message.type;
  if (!network_.reachable(f.from, args_.node)) {  // a partition began while it was delayed
    emit(sim::Kind::net_drop,
         {{sim::Key::from, f.from}, {sim::Key::msg, type}, {sim::Key::msg_id, f.msg_id}},
         sim::drop_reason_name(sim::DropReason::partition));
    return;
  }
  emit(sim::Kind::net_deliver,
       {{sim::Key::from, f.from}, {sim::Key::msg, type}, {sim::Key::msg_id, f.msg_id}});
  process_->on_message(*this, f.from, f.message);
  end_handler();
}

void LiveNode::read_control() {
  asio::async_read_until(control_, control_buf_, '\n',
                         [this](boost::system::error_code ec, size_t) {
                           if (ec) {  // the coordinator is gone
                             io_.stop();
                             return;
                           }
                           std::istream in(&control_buf_);
                           std::string line;
                           std::getline(in, line);
                           on_command(line);
                           if (!io_.stopped()) read_control();
                         });
}

void LiveNode::start(std::istringstream& in) {
  in >> epoch_ns_;
  for (uint32_t p = 0; in >> p;) ports_.push_back(static_cast<uint16_t>(p));
  if (ports_.size() != config_.nodes.size()) throw std::runtime_error("go: wrong port count");
  started_ = true;
  const sim::NodeConfig& node = config_.nodes[args_.node];
  process_ = config_.make(sim::NodeSetup{args_.node, directory_[args_.node], directory_,
                                         node.params, config_.workload});
  // A restart is traced by the coordinator (fault.restart), as the simulator does.
  if (args_.incarnation == 0) emit(sim::Kind::node_start, {});
  process_->on_start(*this);
  end_handler();
  std::vector<std::vector<std::byte>> early;
  early.swap(early_);
  for (const auto& d : early) on_datagram(d);
}

void LiveNode::on_command(const std::string& line) {
  std::istringstream in(line);
  std::string op;
  in >> op;
  if (op == "go") return start(in);
  if (op == "quit") return io_.stop();
  if (op == "block") {
    int delta = 0;
    in >> delta;
    std::vector<std::pair<sim::NodeIndex, sim::NodeIndex>> links;
    for (sim::NodeIndex a = 0, b = 0; in >> a >> b;) links.push_back({a, b});
    return network_.block(links, delta > 0 ? 1 : -1);
  }
  size_t fault = 0;
  if (op == "degrade" && in >> fault && fault < plan_.faults.size()) {
    const sim::PlannedFault& f = plan_.faults[fault];
    if (!f.links.empty()) network_.degrade(f.links[0].first, f.links[0].second, f.change, fault);
    return;
  }
  if (op == "restore" && in >> fault) return network_.restore(fault);
  if (op == "clock") {
    in >> clock_.drift_ppb >> clock_.steps_ns >> clock_.base_true_ns >> clock_.base_mono_ns;
    // The transform changed: every live timer is due at another real instant.
    for (sim::TimerSlot s = 0; s < sim::kMaxTimerSlots; ++s) {
      if (!timer_live_[s]) continue;
      ++timer_gen_[s];
      arm(s);
    }
  }
}

int LiveNode::run() {
  bind();
  receive();
  read_control();
  io_.run();
  return 0;
}

}  // namespace

int node_main(const NodeArgs& args) {
  try {
    const sim::Catalog catalog = tools::make_catalog();
    const sim::Scenario scenario = sim::load_scenario(args.scenario, catalog);
    sim::WorldConfig config = sim::world_config(scenario);
    sim::Plan plan = sim::resolve_plan(scenario, args.seed);
    if (args.node >= config.nodes.size() || !codec_for(config.protocol)) {
      std::fprintf(stderr, "lockstep live node: no node %u or no codec\n", args.node);
      return 2;
    }
    LiveNode node(args, std::move(config), std::move(plan));
    return node.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lockstep live node %u: %s\n", args.node, e.what());
    return 2;
  }
}

}  // namespace lockstep::live
