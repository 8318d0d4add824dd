// The coordinator's inside, shared by its files (coordinator.cpp: children, records, the run;
// coordinator_faults.cpp: the fault schedule applied for real). Private to tools/live.
#pragma once

#include <sys/types.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/clock.hpp"
#include "sim/core/network.hpp"
#include "sim/core/trace.hpp"
#include "sim/core/world.hpp"
#include "tools/live/asio.hpp"
#include "tools/live/coordinator.hpp"
#include "tools/live/records.hpp"

namespace lockstep::live {

namespace asio = boost::asio;

class Coordinator {
 public:
  Coordinator(const sim::Scenario& scenario, const LiveOptions& options, uint64_t seed);
  ~Coordinator();  // kills and reaps every child still alive
  Coordinator(const Coordinator&) = delete;
  Coordinator& operator=(const Coordinator&) = delete;

  // Runs to the scenario's duration (scaled); the events, sorted by true time, are then in
  // events(). Throws std::runtime_error when a node fails to start or dies on its own.
  void run();
  std::vector<sim::Event> sorted_events() const;
  const sim::WorldConfig& config() const { return config_; }
  const sim::Plan& plan() const { return plan_; }
  std::vector<uint16_t> ports() const;
  int64_t foreign_datagrams() const;
  int64_t restarts() const { return restarts_; }
  bool interrupted() const { return interrupted_; }
  const std::string& run_dir() const { return run_dir_; }

 private:
  // One incarnation's event pipe; read to its end even after that incarnation was killed, so
  // what it said just before a crash is kept.
  struct Pipe {
    uint32_t incarnation;
    asio::posix::stream_descriptor fd;
    std::vector<char> buffer;  // bytes of a record not yet whole
    std::array<char, 1 << 16> chunk{};
  };

  struct Child {
    sim::NodeIndex index = 0;
    pid_t pid = -1;
    uint32_t incarnation = 0;
    uint16_t port = 0;
    bool up = false;             // started and not crashed
    bool hello = false;          // has bound its port this incarnation
    int paused = 0;              // nested pauses, as the simulator counts them
    int control_fd = -1;         // its stdin
    std::shared_ptr<Pipe> pipe;  // this incarnation's event pipe
    int64_t foreign_before = 0;  // foreign datagrams of earlier incarnations
    int64_t foreign_now = 0;
    sim::Clock clock;  // the mirror of the node's clock transform
    int64_t rate_before_ppb = 0;
  };

  // Children and records (coordinator.cpp).
  void spawn(Child& c);
  void read_events(Child& c, std::shared_ptr<Pipe> pipe);
  void on_bytes(Child& c, Pipe& p, size_t n);
  void on_record(Child& c, const EventRecord& r, std::string text);
  void on_hello(Child& c);
  void command(Child& c, const std::string& line);
  void broadcast(const std::string& line);
  void send_clock(Child& c);
  void kill_child(Child& c);
  void kill_all();
  void finish();
  void fail(const std::string& why);
  sim::Instant now_true() const;
  std::chrono::steady_clock::time_point real_at(sim::Instant t) const;

  // The trace the coordinator itself adds: fault events with the node's mirrored clocks.
  void emit(sim::NodeIndex node, sim::Kind kind, std::initializer_list<sim::Field> fields,
            std::string_view text = {});
  void add_event(const sim::Event& e);

  // Faults (coordinator_faults.cpp).
  void schedule_faults();
  void at(sim::Instant t, std::function<void()> action);
  void fault_start(size_t index, sim::Instant planned);
  void fault_end(size_t index);
  void start_node_fault(size_t index, sim::NodeIndex node);
  void start_link_fault(size_t index);
  sim::NodeIndex resolve(const sim::Target& t) const;
  sim::NodeIndex fault_node_now(size_t index);
  void change_links(size_t index, int delta);
  void crash(sim::NodeIndex node, size_t index);
  void restart(sim::NodeIndex node, size_t index);
  void track_roles(sim::NodeIndex node, sim::Kind kind);
  void check_triggers(const sim::Event& e);

  const sim::Scenario& scenario_;
  LiveOptions options_;
  sim::WorldConfig config_;
  sim::Plan plan_;
  uint64_t cookie_ = 0;
  std::string run_dir_;
  asio::io_context io_;
  asio::signal_set signals_;
  asio::steady_timer end_timer_;
  asio::steady_timer watchdog_;
  std::vector<std::unique_ptr<asio::steady_timer>> fault_timers_;
  std::vector<std::unique_ptr<Child>> children_;
  pid_t group_ = 0;
  int64_t epoch_ns_ = 0;
  bool started_ = false;
  bool finished_ = false;
  bool interrupted_ = false;
  std::string failure_;
  int64_t restarts_ = 0;

  std::vector<sim::Event> events_;    // in arrival order
  std::deque<std::string> texts_;     // the events' texts (stable addresses)
  sim::Network links_;                // only its reachability counts: which links are blocked
  std::vector<std::string> net_log_;  // every link command so far, replayed to a restarted node
  std::vector<std::vector<sim::NodeIndex>> claimants_;
  std::vector<sim::NodeIndex> fault_node_;
  std::vector<std::vector<std::pair<sim::NodeIndex, sim::NodeIndex>>> fault_links_;
  std::vector<std::string> fault_text_;
  struct Armed {
    size_t fault;
    int64_t seen = 0;
  };
  std::vector<Armed> triggers_;
};

}  // namespace lockstep::live
