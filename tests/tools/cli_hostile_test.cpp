// The `lockstep` binary against hostile paths and flags (issue 17): folders, FIFOs, devices,
// symlink loops, bad seeds, unwritable and non-regular outputs, a trace with a null lock holder.
// Each ends in exit 2 with the path and a reason, nothing left behind, never a hang or a crash.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/support.hpp"

namespace {

namespace fs = std::filesystem;
using Result = lockstep::testing::CliResult;

Result lockstep(const std::string& args) { return lockstep::testing::run_lockstep(args); }

constexpr const char* kClean = "scenarios/lease-lock/clean.yaml";

class CliHostile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("lockstep-cli-hostile-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string at(const std::string& name) const { return (dir_ / name).string(); }
  // No temporary is left anywhere in the test's folder.
  void expect_no_tmp() const {
    for (const auto& e : fs::recursive_directory_iterator(dir_)) {
      EXPECT_NE(e.path().extension(), ".tmp") << e.path();
    }
  }
  fs::path dir_;
};

#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

TEST_F(CliHostile, CheckOnATraceWithANullLockHolder_ExitsTwo) {
  std::ofstream(at("null.jsonl"))
      << R"({"schema_version":1,"protocol":"lease_lock","nodes":[{"id":"lock","role":"server"},)"
      << R"({"id":"c1","role":"client"},{"id":"c2","role":"client"}]})"
      << "\n"
      << R"({"t":1,"node":"c1","kind":"lock.acquired","token":1,"lease_ns":10000000000})"
      << "\n"
      << R"({"t":2,"node":null,"kind":"lock.acquired","token":2,"lease_ns":10000000000})"
      << "\n";
  const Result r = lockstep("check " + at("null.jsonl") + " --checker mutual_exclusion");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_HAS(r.out, at("null.jsonl") + ":3: field 'node': null, but this kind of event");
}

TEST_F(CliHostile, CheckAndMergeOnAFolder_ExitTwoNamingIt) {
  const Result check = lockstep("check " + dir_.string() + " --checker mutual_exclusion");
  EXPECT_EQ(check.exit_code, 2) << check.out;
  EXPECT_HAS(check.out, dir_.string() + ": cannot open the trace file: it is a directory");
  const Result merge = lockstep("merge " + dir_.string());
  EXPECT_EQ(merge.exit_code, 2) << merge.out;
  EXPECT_HAS(merge.out, "it is a directory");
}

TEST_F(CliHostile, FifoGivenToRunOrCheck_IsRefusedNotWaitedOn) {
  ASSERT_EQ(::mkfifo(at("f.yaml").c_str(), 0600), 0);
  const Result run = lockstep("run " + at("f.yaml"));
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_HAS(run.out, "not a regular file");
  const Result check = lockstep("check " + at("f.yaml") + " --checker mutual_exclusion");
  EXPECT_EQ(check.exit_code, 2) << check.out;
  EXPECT_HAS(check.out, "not a regular file");
}

TEST_F(CliHostile, DevZeroAndSymlinkLoops_AreInputErrors) {
  const Result zero = lockstep("run /dev/zero");
  EXPECT_EQ(zero.exit_code, 2) << zero.out;
  EXPECT_HAS(zero.out, "/dev/zero: cannot open scenario file: not a regular file");
  fs::create_symlink(at("b.yaml"), at("a.yaml"));
  fs::create_symlink(at("a.yaml"), at("b.yaml"));
  const Result loop = lockstep("run " + at("a.yaml"));
  EXPECT_EQ(loop.exit_code, 2) << loop.out;
  EXPECT_HAS(loop.out, "Too many levels of symbolic links");
  const Result folder = lockstep("run " + dir_.string());  // a folder holding only the loop
  EXPECT_NE(folder.exit_code, 134) << folder.out;
  EXPECT_EQ(folder.out.find("terminate called"), std::string::npos) << folder.out;
}

TEST_F(CliHostile, NegativeSeed_IsRefusedNotWrapped) {
  const Result r = lockstep(std::string("run ") + kClean + " --seed -1");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_HAS(r.out, "--seed takes a non-negative integer");
}

TEST_F(CliHostile, ADeviceAsOutput_IsRefusedNotReplaced) {
  for (const char* flag : {"--trace", "--metrics", "--timeline", "--log"}) {
    const Result r = lockstep(std::string("run ") + kClean + " " + flag + " /dev/full");
    EXPECT_EQ(r.exit_code, 2) << flag << ": " << r.out;
    EXPECT_HAS(r.out, "/dev/full: cannot create the");
    EXPECT_HAS(r.out, "not a regular file");
  }
  struct stat st {};
  ASSERT_EQ(::stat("/dev/full", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/full was replaced";
  fs::create_directories(at("out.jsonl"));
  const Result dir = lockstep(std::string("run ") + kClean + " --trace " + at("out.jsonl"));
  EXPECT_EQ(dir.exit_code, 2) << dir.out;
  EXPECT_HAS(dir.out, "it is a directory");
  expect_no_tmp();
}

TEST_F(CliHostile, KilledRun_LeavesNoTemporaryFiles) {
  // A long run, interrupted as a user would: every output's temporary goes with it.
  std::ofstream(at("long.yaml")) << lockstep::testing::read_file(kClean) << "\n";
  std::string text = lockstep::testing::read_file(at("long.yaml"));
  text.replace(text.find("duration: 120s"), 14, "duration: 2000000s");
  std::ofstream(at("long.yaml")) << text;
  const std::string cmd = std::string("timeout -s INT 1 ") + std::getenv("LOCKSTEP_BIN") + " run " +
                          at("long.yaml") + " --trace " + at("t.jsonl") + " --metrics " +
                          at("m.txt") + " --log " + at("l.txt") + " --timeline " + at("t.html") +
                          " > /dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  EXPECT_NE(status, 0);
  expect_no_tmp();
  EXPECT_FALSE(fs::exists(at("t.jsonl")));
}

TEST_F(CliHostile, InterruptedExplore_KeepsItsJsonAndTheArtifactsOfFailuresFound) {
  const std::string cmd = std::string("timeout --preserve-status -s INT 3 ") +
                          std::getenv("LOCKSTEP_BIN") +
                          " explore scenarios/lease-lock/pause-without-fencing.yaml --seeds "
                          "100000 --json " +
                          at("r.json") + " --judge violation --artifacts " + at("art") +
                          " --max-artifacts 2 > /dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  EXPECT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const std::string json = lockstep::testing::read_file(at("r.json"));
  EXPECT_HAS(json, "\"interrupted\": true");
  size_t artifacts = 0;
  if (fs::exists(at("art"))) {
    for (const auto& e : fs::directory_iterator(at("art"))) artifacts += e.is_regular_file();
  }
  EXPECT_EQ(artifacts, 2u) << "the failing seeds already run keep their artifacts";
  expect_no_tmp();
}

TEST_F(CliHostile, ProtocolParamErrors_NameFileLineAndColumn) {
  std::ofstream(at("ring.yaml"))
      << "protocol:\n  name: token_ring\n  params: {hold: 0s}\nnodes: 4\n";
  const Result ring = lockstep("run " + at("ring.yaml"));
  EXPECT_EQ(ring.exit_code, 2) << ring.out;
  EXPECT_HAS(ring.out, at("ring.yaml") + ":3:12: protocol.params.hold: token_ring: param 'hold'");
  std::ofstream(at("two.yaml"))
      << "protocol: {name: lease_lock}\nnodes:\n  - {id: a, role: server}\n"
      << "  - {id: b, role: server}\n  - {id: c, role: client}\n";
  const Result two = lockstep("run " + at("two.yaml"));
  EXPECT_EQ(two.exit_code, 2) << two.out;
  EXPECT_HAS(two.out, at("two.yaml") + ":3:3: nodes: lease_lock:");
}

// Issue 17's remaining overflow cases, as scenarios: a heartbeat interval whose multiples overflow,
// a client clock at half speed with an acquire delay of centuries, and a nemesis that partitions
// two nodes every nanosecond. The first two are refused at their key; the third runs to its end.
TEST_F(CliHostile, OverflowingIntervalsAndAFaultEveryNanosecond_EndCleanly) {
  std::ofstream(at("hb.yaml")) << "duration: 10s\nprotocol: {name: heartbeat, params: {interval: "
                                  "2000000h}}\nnodes: 5\n";
  const Result hb = lockstep("run " + at("hb.yaml"));
  EXPECT_EQ(hb.exit_code, 2) << hb.out;
  EXPECT_HAS(hb.out, at("hb.yaml") +
                         ":2:48: protocol.params.interval: the duration 2000000h is "
                         "too large");
  std::ofstream(at("drift.yaml"))
      << "duration: 60s\nprotocol: {name: lease_lock}\nnodes:\n  - {id: s1, role: server}\n"
      << "  - {id: r1, role: resource}\n"
      << "  - {id: c1, role: client, clock: {drift_ppm: -500000}}\n"
      << "workload: {acquire_every: 2000000h}\n";
  const Result drift = lockstep("run " + at("drift.yaml"));
  EXPECT_EQ(drift.exit_code, 2) << drift.out;
  EXPECT_HAS(drift.out, at("drift.yaml") + ":7:27: workload.acquire_every: the duration");
  std::ofstream(at("nemesis.yaml"))
      << "duration: 2s\nprotocol: {name: heartbeat, params: {interval: 10ms}}\nnodes: 2\n"
      << "faults:\n  - nemesis: {kinds: [partition], every: 1ns}\n";
  const Result nemesis = lockstep("run " + at("nemesis.yaml") + " --json");
  EXPECT_EQ(nemesis.exit_code, 0) << nemesis.out;
  EXPECT_HAS(nemesis.out, "\"trace_hash\"");
}

// Issue 17: `write_every: 1ns` ran for minutes before any limit fired. Its explosion starts only
// once the client holds the lock (after about 1.7 s of quiet), so the average pace is diluted;
// the pace since the last check stops it at the second check.
TEST_F(CliHostile, AWriteEveryNanosecond_IsStoppedByItsPace) {
  std::ofstream(at("w.yaml")) << "duration: 60s\nprotocol: {name: lease_lock}\nnodes:\n"
                              << "  - {id: s1, role: server}\n  - {id: r1, role: resource}\n"
                              << "  - {id: c1, role: client}\n"
                              << "workload: {hold: 50s, write_every: 1ns}\n";
  const Result w = lockstep("run " + at("w.yaml"));
  EXPECT_EQ(w.exit_code, 2) << w.out;
  EXPECT_HAS(w.out, at("w.yaml") + ": 8388608 events by 1.");
  EXPECT_HAS(w.out, "(an event explosion)");
  EXPECT_HAS(w.out, "; at this pace the run would take about ");
}

// Issue 17: an event explosion ran for minutes with nothing on the screen. A run now reports how
// far it got every N events (on a terminal by default), and reporting leaves the run unchanged.
TEST_F(CliHostile, Progress_ReportsHowFarTheRunGotWithoutChangingIt) {
  std::ofstream(at("mesh.yaml"))
      << "duration: 20s\nprotocol: {name: heartbeat, params: {interval: 10ms}}\nnodes: 5\n"
      << "network: {latency: 1ms}\n";
  const Result quiet = lockstep("run " + at("mesh.yaml") + " --json");
  const Result loud = lockstep("run " + at("mesh.yaml") + " --json --progress 10000");
  EXPECT_EQ(quiet.exit_code, 0) << quiet.out;
  EXPECT_EQ(loud.exit_code, 0) << loud.out;
  EXPECT_HAS(loud.out, at("mesh.yaml") + ": 3.999s of 20s simulated, 10000 events\n");
  EXPECT_HAS(loud.out, ": 19.999s of 20s simulated, 50000 events\n");
  const auto hash = [](const std::string& out) { return out.substr(out.find("\"trace_hash\"")); };
  EXPECT_EQ(hash(quiet.out).substr(0, 32), hash(loud.out).substr(0, 32));
  EXPECT_EQ(quiet.out.find("simulated"), std::string::npos) << quiet.out;
  EXPECT_EQ(lockstep("run " + at("mesh.yaml") + " --progress -1").exit_code, 2);
}

// Issue 17: a user presses Ctrl-C twice. The second one must not lose what the first one kept:
// the run stops, and the JSON is a whole document that says it was interrupted. The signals are
// sent once explore has printed its first progress line, so its handler is in place.
TEST_F(CliHostile, ExploreInterruptedTwice_StillLeavesAWholeJsonDocument) {
  const std::string script = std::string("'") + std::getenv("LOCKSTEP_BIN") +
                             "' explore scenarios/lease-lock/clean.yaml --seeds 2000 --json '" +
                             at("r.json") + "' >/dev/null 2>'" + at("err") + "' & p=$!\n" +
                             "until grep -q '^explore:' '" + at("err") +
                             "'; do kill -0 $p 2>/dev/null || break; done\n" +
                             "kill -INT $p; kill -INT $p; wait $p; exit $?\n";
  std::ofstream(at("twice.sh")) << script;
  const int status = std::system(("sh " + at("twice.sh")).c_str());
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 130) << lockstep::testing::read_file(at("err"));
  const nlohmann::json j = nlohmann::json::parse(lockstep::testing::read_file(at("r.json")));
  EXPECT_EQ(j.at("interrupted"), true);
  EXPECT_LT(j.at("summary").at("completed").get<uint64_t>(), 2000u);
  expect_no_tmp();
}

}  // namespace
