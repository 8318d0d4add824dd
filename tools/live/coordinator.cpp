#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include "sim/scenario/plan.hpp"
#include "tools/live/coordinator_impl.hpp"
#include "tools/live/node.hpp"

namespace lockstep::live {

// A fresh random cookie per run (the live runtime is real; this is not a simulated choice).
uint64_t random_cookie() {
  std::random_device device;
  return (uint64_t{device()} << 32) ^ device() ^ static_cast<uint64_t>(monotonic_ns());
}

Coordinator::Coordinator(const sim::Scenario& scenario, const LiveOptions& options, uint64_t seed)
    : scenario_(scenario),
      options_(options),
      config_(sim::world_config(scenario)),
      plan_(sim::resolve_plan(scenario, seed)),
      cookie_(random_cookie()),
      signals_(io_, SIGINT, SIGTERM),
      end_timer_(io_),
      watchdog_(io_),
      links_(config_.network, config_.nodes.size(), sim::Rng(0)) {
  assert(options.time_scale > 0);
  assert(!options.self_exe.empty());
  run_dir_ = options.run_dir;
  if (run_dir_.empty()) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "lockstep-live-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("cannot create a run dir");
    run_dir_ = tmpl;
  } else {
    std::filesystem::create_directories(run_dir_);
  }
  claimants_.resize(config_.claims.size());
  fault_node_.assign(plan_.faults.size(), sim::kNoNode);
  fault_links_.resize(plan_.faults.size());
  fault_text_.resize(plan_.faults.size());
  for (sim::NodeIndex i = 0; i < config_.nodes.size(); ++i) {
    auto c = std::make_unique<Child>();
    c->index = i;
    c->clock = sim::Clock{plan_.clocks[i].drift_ppb, plan_.clocks[i].offset_ns, 0};
    children_.push_back(std::move(c));
  }
}

Coordinator::~Coordinator() { kill_all(); }

sim::Instant Coordinator::now_true() const {
  if (!started_) return sim::Instant{0};
  const double since = static_cast<double>(monotonic_ns() - epoch_ns_);
  return sim::Instant{std::max<int64_t>(0, std::llround(since / options_.time_scale))};
}

std::chrono::steady_clock::time_point Coordinator::real_at(sim::Instant t) const {
  const auto ns = epoch_ns_ + static_cast<int64_t>(std::ceil(t.ns * options_.time_scale));
  return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
}

void Coordinator::spawn(Child& c) {
  int control[2];
  int events[2];
  if (::pipe2(control, O_CLOEXEC) != 0 || ::pipe2(events, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  NodeArgs a;
  a.scenario = scenario_.file;
  a.seed = plan_.seed;
  a.node = c.index;
  a.time_scale = options_.time_scale;
  a.cookie = cookie_;
  a.run_dir = run_dir_;
  a.incarnation = c.incarnation;
  a.port = c.port;
  // Everything the child needs is built before fork: after it, only async-signal-safe calls.
  std::vector<std::string> words = {options_.self_exe, "live", "--node-mode"};
  for (std::string& w : node_args_to_argv(a)) words.push_back(std::move(w));
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t group = group_;
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::setpgid(0, group);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with the coordinator, however it ends
    if (::getppid() != parent) ::_exit(1);
    ::dup2(control[0], STDIN_FILENO);
    ::dup2(STDERR_FILENO, STDOUT_FILENO);  // the coordinator's stdout is its report alone
    if (events[1] == 3)
      ::fcntl(3, F_SETFD, 0);
    else
      ::dup2(events[1], 3);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  // One process group for every child (the first child leads it), so one kill reaches all;
  // the group may be gone when every member died: a restarted child then leads a new one.
  if (::setpgid(pid, group) != 0) ::setpgid(pid, pid);
  if (group_ == 0 || ::getpgid(pid) == pid) group_ = pid;
  ::close(control[0]);
  ::close(events[1]);
  // Never block the coordinator on a node that stopped reading (a paused one): a full command
  // pipe is an error, not a hang.
  ::fcntl(control[1], F_SETFL, O_NONBLOCK);
  c.pid = pid;
  c.control_fd = control[1];
  c.hello = false;
  c.up = true;
  c.foreign_before += c.foreign_now;
  c.foreign_now = 0;
  auto pipe = std::make_shared<Pipe>(
      Pipe{c.incarnation, asio::posix::stream_descriptor(io_, events[0]), {}, {}});
  c.pipe = pipe;
  read_events(c, std::move(pipe));
}

void Coordinator::read_events(Child& c, std::shared_ptr<Pipe> pipe) {
  Pipe& p = *pipe;
  p.fd.async_read_some(asio::buffer(p.chunk), [this, &c, pipe = std::move(pipe)](
                                                  boost::system::error_code ec, size_t n) {
    if (ec) {  // the end of this incarnation's pipe: expected only after the coordinator's kill
      if (pipe->incarnation == c.incarnation && c.up && !finished_) {
        fail("node " + config_.nodes[c.index].id + " exited on its own");
      }
      return;
    }
    on_bytes(c, *pipe, n);
    read_events(c, pipe);
  });
}

void Coordinator::on_bytes(Child& c, Pipe& p, size_t n) {
  p.buffer.insert(p.buffer.end(), p.chunk.begin(), p.chunk.begin() + static_cast<long>(n));
  size_t at = 0;
  while (p.buffer.size() - at >= sizeof(EventRecord)) {
    EventRecord r;
    std::memcpy(&r, p.buffer.data() + at, sizeof r);
    if (r.text_len > kMaxRecordText || r.field_count > sim::Event::kMaxFields) {
      return fail("node " + config_.nodes[c.index].id + " sent a malformed record");
    }
    if (p.buffer.size() - at < sizeof r + r.text_len) break;
    std::string text(p.buffer.data() + at + sizeof r, r.text_len);
    at += sizeof r + r.text_len;
    on_record(c, r, std::move(text));
  }
  p.buffer.erase(p.buffer.begin(), p.buffer.begin() + static_cast<long>(at));
}

void Coordinator::on_record(Child& c, const EventRecord& r, std::string text) {
  switch (r.tag) {
    case RecordTag::hello:
      c.port = static_cast<uint16_t>(r.values[0]);
      return on_hello(c);
    case RecordTag::foreign:
      c.foreign_now = r.values[0];
      return;
    case RecordTag::event:
      break;
    default:
      return fail("node " + config_.nodes[c.index].id + " sent an unknown record");
  }
  sim::Event e;
  e.at = sim::Instant{r.at_ns};
  e.node = c.index;  // a node speaks only for itself
  e.mono = sim::LocalTime{r.mono_ns};
  e.wall = sim::LocalTime{r.wall_ns};
  e.kind = static_cast<sim::Kind>(r.kind);
  for (uint16_t i = 0; i < r.field_count; ++i) {
    e.fields[e.field_count++] = {static_cast<sim::Key>(r.keys[i]), r.values[i]};
  }
  if (!text.empty()) {
    texts_.push_back(std::move(text));
    e.text = texts_.back();
  }
  add_event(e);
}

void Coordinator::add_event(const sim::Event& e) {
  events_.push_back(e);
  if (e.node != sim::kNoNode) track_roles(e.node, e.kind);
  if (!triggers_.empty()) check_triggers(e);
}

void Coordinator::emit(sim::NodeIndex node, sim::Kind kind,
                       std::initializer_list<sim::Field> fields, std::string_view text) {
  sim::Event e;
  e.at = now_true();
  e.node = node;
  if (node != sim::kNoNode) {
    e.mono = children_[node]->clock.monotonic(e.at);
    e.wall = children_[node]->clock.wall(e.at);
  }
  e.kind = kind;
  assert(fields.size() <= sim::Event::kMaxFields);
  for (const sim::Field& f : fields) e.fields[e.field_count++] = f;
  if (!text.empty()) {
    texts_.emplace_back(text);
    e.text = texts_.back();
  }
  add_event(e);
}

std::string ports_line(const std::vector<uint16_t>& ports) {
  std::string out;
  for (uint16_t p : ports) out += " " + std::to_string(p);
  return out;
}

void Coordinator::on_hello(Child& c) {
  c.hello = true;
  if (started_) {  // a restarted node: the links and clock in force, then the run's start
    for (const std::string& line : net_log_) command(c, line);
    send_clock(c);
    return command(c, "go " + std::to_string(epoch_ns_) + ports_line(ports()));
  }
  if (!std::all_of(children_.begin(), children_.end(), [](const auto& x) { return x->hello; })) {
    return;
  }
  std::ofstream(run_dir_ + "/ports") << ports_line(ports()) << "\n";
  started_ = true;
  epoch_ns_ = monotonic_ns();
  watchdog_.cancel();
  const std::string go = "go " + std::to_string(epoch_ns_) + ports_line(ports());
  broadcast(go);
  schedule_faults();
  end_timer_.expires_at(real_at(sim::Instant{config_.duration.ns}));
  end_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) finish();
  });
}

void Coordinator::command(Child& c, const std::string& line) {
  if (!c.up || c.control_fd < 0) return;
  const std::string out = line + "\n";
  // A pipe's small writes are atomic; a full one (64 KiB of commands to a paused node) fails.
  if (::write(c.control_fd, out.data(), out.size()) != static_cast<ssize_t>(out.size())) {
    if (!finished_) fail("cannot command node " + config_.nodes[c.index].id);
  }
}

void Coordinator::broadcast(const std::string& line) {
  for (auto& c : children_) command(*c, line);
}

void Coordinator::send_clock(Child& c) {
  const sim::Clock& k = c.clock;
  command(c, "clock " + std::to_string(k.drift_ppb) + " " + std::to_string(k.steps_ns) + " " +
                 std::to_string(k.base_true_ns) + " " + std::to_string(k.base_mono_ns));
}

void Coordinator::kill_child(Child& c) {
  if (c.pid > 0) {
    ::kill(c.pid, SIGKILL);
    int status = 0;
    while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (c.control_fd >= 0) ::close(c.control_fd);
  c.control_fd = -1;
  c.pid = -1;
  c.up = false;
  c.paused = 0;
}

void Coordinator::kill_all() {
  if (group_ > 0) ::kill(-group_, SIGKILL);
  for (auto& c : children_) {
    if (c->pid > 0) kill_child(*c);
  }
}

// Stops the run: every child is killed at once (a stopped one too), then what they had already
// written to their pipes is read to the end.
void Coordinator::finish() {
  if (finished_) return;
  finished_ = true;
  for (auto& c : children_) {
    if (c->pid > 0) ::kill(c->pid, SIGKILL);
  }
  for (auto& c : children_) {
    if (c->pid <= 0) continue;
    kill_child(*c);
    Pipe* p = c->pipe.get();
    if (p == nullptr) continue;
    boost::system::error_code ec;
    p->fd.non_blocking(false, ec);
    for (;;) {
      const size_t n = p->fd.read_some(asio::buffer(p->chunk), ec);
      if (ec || n == 0) break;
      on_bytes(*c, *p, n);
    }
  }
  io_.stop();
}

void Coordinator::fail(const std::string& why) {
  if (failure_.empty()) failure_ = why;
  finish();
}

std::vector<uint16_t> Coordinator::ports() const {
  std::vector<uint16_t> out;
  for (const auto& c : children_) out.push_back(c->port);
  return out;
}

int64_t Coordinator::foreign_datagrams() const {
  int64_t total = 0;
  for (const auto& c : children_) total += c->foreign_before + c->foreign_now;
  return total;
}

void Coordinator::run() {
  signals_.async_wait([this](boost::system::error_code ec, int) {
    if (ec) return;
    interrupted_ = true;
    finish();
  });
  // The hard bound on the run's wall time: should the coordinator ever hang, SIGALRM ends it,
  // and the kernel ends its children with it (PR_SET_PDEATHSIG).
  const double bound_s = options_.startup_timeout_s +
                         static_cast<double>(config_.duration.ns) * 1e-9 * options_.time_scale + 60;
  ::alarm(static_cast<unsigned>(std::ceil(bound_s)));
  for (auto& c : children_) spawn(*c);
  watchdog_.expires_after(
      std::chrono::milliseconds(static_cast<int64_t>(options_.startup_timeout_s * 1000)));
  watchdog_.async_wait([this](boost::system::error_code ec) {
    if (!ec && !started_) fail("the nodes did not all start within the startup timeout");
  });
  io_.run();
  ::alarm(0);
  kill_all();
  if (!failure_.empty()) throw std::runtime_error(failure_);
}

std::vector<sim::Event> Coordinator::sorted_events() const {
  std::vector<sim::Event> out;
  out.reserve(events_.size());
  // The simulator runs no event at or after the duration; neither does a live trace.
  for (const sim::Event& e : events_) {
    if (e.at.ns < config_.duration.ns) out.push_back(e);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const sim::Event& a, const sim::Event& b) { return a.at < b.at; });
  return out;
}

}  // namespace lockstep::live
