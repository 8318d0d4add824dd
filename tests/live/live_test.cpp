// `lockstep live` as a user runs it: real processes, sockets and signals. Each test checks that
// the run meets its scenario's expectations (or the property it names), and that no node process
// or bound port is left behind afterwards (/proc).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/support.hpp"

namespace lockstep::testing {
namespace {

namespace fs = std::filesystem;

std::string bin() {
  const char* b = std::getenv("LOCKSTEP_BIN");
  EXPECT_NE(b, nullptr) << "LOCKSTEP_BIN is set by meson";
  return b ? b : "lockstep";
}

std::vector<fs::path>& made_dirs() {
  static std::vector<fs::path> dirs;
  return dirs;
}

// The tests' directories go when the whole test program ends (kept while a test runs, so a
// failing one can be looked at by running it alone).
class RemoveTestDirs : public ::testing::Environment {
 public:
  void TearDown() override {
    for (const fs::path& d : made_dirs()) fs::remove_all(d);
  }
};
[[maybe_unused]] ::testing::Environment* const kRemoveTestDirs =
    ::testing::AddGlobalTestEnvironment(new RemoveTestDirs);

fs::path fresh_dir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("lockstep-live-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  made_dirs().push_back(dir);
  return dir;
}

struct LiveRun {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
  nlohmann::json json() const { return nlohmann::json::parse(out); }
};

// Runs `lockstep ARGS`, stdout and stderr kept apart (the JSON report is on stdout).
LiveRun lockstep(const std::string& args, const fs::path& dir) {
  const fs::path err = dir / "stderr.txt";
  const std::string cmd = bin() + " " + args + " 2>" + err.string();
  FILE* pipe = ::popen(cmd.c_str(), "r");
  LiveRun r;
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_file(err);
  return r;
}

// Processes whose command line names `needle` (a run dir is unique to one run).
std::vector<int> processes_naming(const std::string& needle) {
  std::vector<int> out;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = read_file(e.path() / "cmdline");
    for (char& c : cmdline) {
      if (c == '\0') c = ' ';
    }
    if (cmdline.find("--node-mode") != std::string::npos &&
        cmdline.find(needle) != std::string::npos) {
      out.push_back(std::stoi(name));
    }
  }
  return out;
}

// Whether some UDP socket of this machine is bound to 127.0.0.1:`port` (/proc/net/udp).
bool udp_port_bound(int port) {
  std::istringstream in(read_file("/proc/net/udp"));
  std::string line;
  std::getline(in, line);  // the header
  char want[16];
  std::snprintf(want, sizeof want, ":%04X", port);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local;
    fields >> slot >> local;
    if (local.size() > 5 && local.substr(local.size() - 5) == want) return true;
  }
  return false;
}

void expect_nothing_left(const nlohmann::json& report) {
  const std::string run_dir = report["live"]["run_dir"];
  EXPECT_TRUE(processes_naming(run_dir).empty()) << "node processes outlived the run";
  for (int port : report["live"]["ports"]) {
    EXPECT_FALSE(udp_port_bound(port)) << "port " << port << " still bound";
  }
}

std::string verdict(const nlohmann::json& report, const std::string& checker) {
  if (!report["verdicts"].contains(checker)) return "absent";
  return report["verdicts"][checker]["verdict"];
}

double metric(const nlohmann::json& report, const std::string& name) {
  if (!report["metrics"].contains(name)) return -1;
  return report["metrics"][name]["value"];
}

TEST(Live, PausedHolderWithoutFencing_ViolatesBothSafetyProperties_FromARealSigstop) {
  const fs::path dir = fresh_dir("pause");
  const fs::path trace = dir / "trace.jsonl";
  const LiveRun r = lockstep(
      "live scenarios/lease-lock/pause-without-fencing.yaml --time-scale 0.2 "
      "--json --trace " +
          trace.string() + " --run-dir " + (dir / "run").string(),
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json j = r.json();
  EXPECT_EQ(verdict(j, "mutual_exclusion"), "violated");
  EXPECT_EQ(verdict(j, "fenced_writes"), "violated");
  EXPECT_EQ(verdict(j, "liveness"), "holds");
  // The pause really happened: the coordinator traced it and the paused client wrote late.
  const std::string text = read_file(trace);
  EXPECT_NE(text.find("\"fault.pause\""), std::string::npos);
  EXPECT_NE(text.find("\"fault.resume\""), std::string::npos);
  expect_nothing_left(j);

  // `lockstep check` reads the live trace and reaches the same verdicts.
  const LiveRun c = lockstep("check " + trace.string() +
                                 " --checker mutual_exclusion --checker fenced_writes"
                                 " --checker liveness:within=15s --expect mutual_exclusion=violated"
                                 " --expect fenced_writes=violated --json",
                             dir);
  ASSERT_EQ(c.exit_code, 0) << c.out << c.err;
  const nlohmann::json k = c.json();
  for (const char* name : {"mutual_exclusion", "fenced_writes", "liveness"}) {
    EXPECT_EQ(verdict(k, name), verdict(j, name)) << name;
  }
}

TEST(Live, CleanLeaseLock_MeetsItsExpectations) {
  const fs::path dir = fresh_dir("clean");
  const LiveRun r = lockstep("live scenarios/lease-lock/clean.yaml --time-scale 0.1 --json", dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json j = r.json();
  EXPECT_EQ(verdict(j, "mutual_exclusion"), "holds");
  EXPECT_EQ(verdict(j, "fenced_writes"), "holds");
  EXPECT_GT(metric(j, "lock.acquisitions"), 5);
  expect_nothing_left(j);
}

TEST(Live, RaftLeaderCrash_ElectsANewLeaderAndTheRestartedNodeRejoins) {
  const fs::path dir = fresh_dir("raft");
  const LiveRun r = lockstep("live scenarios/raft/leader-crash.yaml --time-scale 0.25 --json", dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json j = r.json();
  EXPECT_EQ(verdict(j, "election_safety"), "holds");
  EXPECT_EQ(verdict(j, "leader_liveness"), "holds");
  EXPECT_EQ(j["live"]["restarts"], 1);
  EXPECT_GE(metric(j, "leader.elections"), 2) << "a new leader after the crash";
  expect_nothing_left(j);
}

// Starts `lockstep ARGS` in the background; returns its pid.
pid_t start_background(const std::string& args, const fs::path& out) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const std::string cmd = "exec " + bin() + " " + args + " >" + out.string() + " 2>&1";
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

// The node ports of a live run, once its coordinator wrote them (bounded wait).
std::vector<int> wait_for_ports(const fs::path& run_dir) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < give_up) {
    std::ifstream in(run_dir / "ports");
    std::vector<int> ports;
    for (int p = 0; in >> p;) ports.push_back(p);
    if (!ports.empty()) return ports;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return {};
}

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Live, AForeignDatagramIsDroppedAndCounted) {
  const fs::path dir = fresh_dir("foreign");
  const fs::path run_dir = dir / "run";
  const pid_t pid = start_background(
      "live scenarios/lease-lock/pause-without-fencing.yaml "
      "--time-scale 0.05 --json --run-dir " +
          run_dir.string(),
      dir / "out.json");
  const std::vector<int> ports = wait_for_ports(run_dir);
  ASSERT_EQ(ports.size(), 4u);
  const int s = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(ports[0]));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const char junk[] = "not a lockstep datagram, wrong cookie and all";
  for (int i = 0; i < 3; ++i) {
    ::sendto(s, junk, sizeof junk, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  }
  ::close(s);
  ASSERT_EQ(wait_exit(pid), 0) << read_file(dir / "out.json");
  const nlohmann::json j = nlohmann::json::parse(read_file(dir / "out.json"));
  EXPECT_EQ(j["live"]["foreign_datagrams"], 3);
  // The run itself was not disturbed.
  EXPECT_EQ(verdict(j, "fenced_writes"), "violated");
  expect_nothing_left(j);
}

TEST(Live, SigtermKillsEveryNodeProcess) {
  const fs::path dir = fresh_dir("sigterm");
  const fs::path run_dir = dir / "run";
  const pid_t pid = start_background(
      "live scenarios/lease-lock/clean.yaml --time-scale 0.5 --run-dir " + run_dir.string(),
      dir / "out.txt");
  const std::vector<int> ports = wait_for_ports(run_dir);
  ASSERT_EQ(ports.size(), 5u);
  ASSERT_EQ(processes_naming(run_dir.string()).size(), 5u) << "the nodes are running";
  ::kill(pid, SIGTERM);
  EXPECT_EQ(wait_exit(pid), 2) << read_file(dir / "out.txt");
  EXPECT_NE(read_file(dir / "out.txt").find("interrupted"), std::string::npos);
  EXPECT_TRUE(processes_naming(run_dir.string()).empty());
  for (int port : ports) EXPECT_FALSE(udp_port_bound(port)) << port;
}

TEST(Live, AScenarioItCannotHonourIsRefusedNamingTheKey) {
  const fs::path dir = fresh_dir("refuse");
  const fs::path file = dir / "stall.yaml";
  std::ofstream(file) << "duration: 5s\nprotocol: {name: raft}\nnodes: 3\nfaults:\n"
                         "  - {at: 1s, disk_stall: n1, for: 1s}\n"
                         "checkers: [election_safety]\n";
  const LiveRun r = lockstep("live " + file.string(), dir);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("faults[0].disk_stall"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(":5:"), std::string::npos) << r.err;  // file:line:col
  EXPECT_TRUE(processes_naming(dir.string()).empty());
}

// The trace's events as JSON objects (the header line excluded).
std::vector<nlohmann::json> trace_events(const fs::path& trace) {
  std::vector<nlohmann::json> out;
  std::istringstream in(read_file(trace));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

// A fault on an event (`on:`), a partition and a clock step, all applied for real: the pause
// follows c1's first acquisition, the partition drops traffic on the receiving side until it
// heals, and c1's wall clock reads 1s ahead of its monotonic one after the step.
TEST(Live, TriggeredPausePartitionAndClockStep_AreAppliedToTheRealNodes) {
  const fs::path dir = fresh_dir("faults");
  const fs::path file = dir / "faults.yaml";
  std::ofstream(file)
      << "duration: 20s\n"
         "protocol: {name: lease_lock, params: {lease: 2s, renew_every: 500ms, fencing: true}}\n"
         "nodes:\n  - {id: lock, role: server}\n  - {id: store, role: resource}\n"
         "  - {id: c1, role: client}\n  - {id: c2, role: client}\n"
         "network: {latency: 1ms}\n"
         "workload: {acquire_every: 200ms, hold: 3s, write_every: 100ms}\n"
         "faults:\n"
         "  - {on: {kind: lock.acquired, node: c1}, after: 100ms, pause: c1, for: 4s}\n"
         "  - {at: 10s, partition: [[c2], [lock, store, c1]], heal_after: 3s}\n"
         "  - {at: 14s, clock_step: c1, by: 1s}\n"
         "checkers: [fenced_writes]\n";
  const fs::path trace = dir / "trace.jsonl";
  const LiveRun r =
      lockstep("live " + file.string() + " --time-scale 0.2 --json --trace " + trace.string(), dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(verdict(r.json(), "fenced_writes"), "holds");  // fencing is on
  int64_t acquired = -1, paused = -1, partitioned = -1, healed = -1, stepped = -1;
  int drops_in_partition = 0, stepped_readings = 0, wrong_readings = 0;
  for (const nlohmann::json& e : trace_events(trace)) {
    const std::string kind = e["kind"];
    const int64_t t = e["t"];
    const bool c1 = e["node"] == "c1";
    if (kind == "lock.acquired" && c1 && acquired < 0) acquired = t;
    if (kind == "fault.pause" && paused < 0) paused = t;
    if (kind == "fault.partition") partitioned = t;
    if (kind == "fault.heal" && partitioned >= 0 && healed < 0) healed = t;
    if (kind == "fault.clock_step") stepped = t;
    if (kind == "net.drop" && e["text"] == "partition" && partitioned >= 0 && healed < 0) {
      ++drops_in_partition;
    }
    // The new transform reaches c1 over its control pipe, so c1's events in the short gap
    // after the coordinator's fault.clock_step may still carry the old reading; once c1 reads
    // the stepped clock it never reads the old one again (docs/live.md, "What is emulated").
    if (c1 && stepped >= 0 && kind != "fault.clock_step") {
      const int64_t ahead = e["wall"].get<int64_t>() - e["mono"].get<int64_t>();
      if (ahead == 1'000'000'000) {
        ++stepped_readings;
      } else if (stepped_readings > 0 || ahead != 0) {
        ++wrong_readings;  // back to the old reading, or a reading that is neither
      }
    }
  }
  ASSERT_GE(acquired, 0);
  EXPECT_GE(paused, acquired + 100'000'000) << "the trigger fires 100ms after the acquisition";
  EXPECT_GE(partitioned, 10'000'000'000);
  EXPECT_GE(healed, 13'000'000'000);  // due 3s after the planned start (timers never fire early)
  EXPECT_GT(drops_in_partition, 0);
  EXPECT_GT(stepped_readings, 0);
  EXPECT_EQ(wrong_readings, 0);
}

}  // namespace
}  // namespace lockstep::testing
