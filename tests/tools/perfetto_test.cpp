// `run --perfetto`'s verdicts and server-side lease slices (issue 16 item 5), on
// scenarios/lease-lock/pause-without-fencing.yaml: the paused holder c1 keeps believing after the
// lock server ended its lease and granted c2. Every expected time is read from the run's JSONL
// trace, not written here, so the test follows the scenario if its numbers move.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "tests/support/support.hpp"
#include "tests/tools/perfetto_valid.hpp"
#include "tools/engine/runner.hpp"
#include "tools/render/perfetto.hpp"

namespace lockstep::tools {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kPwf = "scenarios/lease-lock/pause-without-fencing.yaml";

// The run's three outputs: the JSONL trace, the Perfetto file's text and the report.
struct Outputs {
  std::vector<json> trace;  // every line after the header
  json header;
  std::string perfetto;
  RunReport report;
};

Outputs run_with_perfetto(const std::string& scenario, const std::string& name,
                          PerfettoLimits limits = {}) {
  static const sim::Catalog kCatalog = make_catalog();
  const fs::path dir =
      fs::temp_directory_path() / ("lockstep-perfetto-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string trace = (dir / (name + ".jsonl")).string();
  const std::string chrome = (dir / (name + ".json")).string();
  PerfettoSink perfetto(chrome, limits);
  EXPECT_TRUE(perfetto.ok());
  RunOptions options;
  options.trace_path = trace;
  options.extra_sinks.push_back(&perfetto);
  Outputs out;
  out.report = run_scenario(sim::load_scenario(scenario, kCatalog), options);
  EXPECT_TRUE(perfetto.commit(out.report.results));
  std::ifstream in(trace);
  std::string line;
  std::getline(in, line);
  out.header = json::parse(line);
  while (std::getline(in, line)) out.trace.push_back(json::parse(line));
  out.perfetto = lockstep::testing::read_file(chrome);
  fs::remove_all(dir);
  return out;
}

// A Perfetto timestamp ("ts", "dur": microseconds with three decimals) as nanoseconds.
int64_t ns(const json& micros) { return std::llround(micros.get<double>() * 1000.0); }

int pid_of(const json& chrome, const std::string& process) {
  for (const json& e : chrome["traceEvents"]) {
    if (e["ph"] == "M" && e["name"] == "process_name" &&
        e["args"]["name"].get<std::string>().starts_with(process)) {
      return e["pid"].get<int>();
    }
  }
  return -1;
}

std::vector<json> events_of(const json& chrome, int pid, const std::string& ph) {
  std::vector<json> out;
  for (const json& e : chrome["traceEvents"]) {
    if (e["pid"] == pid && e["ph"] == ph) out.push_back(e);
  }
  return out;
}

struct Span {
  int64_t from = 0;
  int64_t to = 0;
};

// The first stretch in which two clients believe they hold the lock, from the trace's lock.*
// events: from the later acquisition to the first end of either belief.
std::optional<Span> first_overlap(const Outputs& o) {
  std::map<std::string, bool> believes;
  std::optional<Span> overlap;
  std::vector<std::string> pair;
  for (const json& e : o.trace) {
    const std::string kind = e["kind"];
    const std::string node = e.value("node", "");
    if (!overlap.has_value() && kind == "lock.acquired") {
      for (const auto& [other, yes] : believes) {
        if (yes && other != node) {
          overlap = Span{e["t"].get<int64_t>(), 0};
          pair = {other, node};
        }
      }
      believes[node] = true;
      continue;
    }
    const bool ends = kind == "lock.released" || kind == "lock.expired" || kind == "lock.lost" ||
                      kind == "fault.crash";
    if (!ends) continue;
    if (overlap.has_value() && (node == pair[0] || node == pair[1])) {
      overlap->to = e["t"].get<int64_t>();
      return overlap;
    }
    believes[node] = false;
  }
  if (overlap.has_value()) overlap->to = o.header["duration_ns"].get<int64_t>();
  return overlap;
}

TEST(Perfetto, AViolationIsAGlobalMarkerAtTheOverlapsStartWithItsExplanationAndASliceOverIt) {
  const Outputs o = run_with_perfetto(kPwf, "verdict");
  const json chrome = json::parse(o.perfetto);
  expect_valid_perfetto(chrome, kPwf);
  const std::optional<Span> overlap = first_overlap(o);
  ASSERT_TRUE(overlap.has_value()) << "the scenario is meant to overlap";
  const int verdicts = pid_of(chrome, "verdicts");
  ASSERT_GE(verdicts, 0);
  const auto& results = o.report.results;
  const auto me = std::find_if(results.begin(), results.end(),
                               [](const auto& r) { return r.checker == "mutual_exclusion"; });
  ASSERT_NE(me, results.end());
  ASSERT_FALSE(me->explanation.empty());

  std::optional<json> marker, slice;
  for (const json& e : events_of(chrome, verdicts, "i")) {
    if (e["name"] == "mutual_exclusion VIOLATED") marker = e;
  }
  for (const json& e : events_of(chrome, verdicts, "X")) {
    if (e["name"].get<std::string>().starts_with("mutual_exclusion")) slice = e;
  }
  ASSERT_TRUE(marker.has_value()) << o.perfetto.substr(o.perfetto.size() - 2000);
  EXPECT_EQ(marker->at("s"), "g") << "a violation marks every track";
  EXPECT_EQ(ns(marker->at("ts")), overlap->from);
  EXPECT_EQ(marker->at("args")["verdict"], "violated");
  EXPECT_EQ(marker->at("args")["explanation"], me->explanation);
  ASSERT_EQ(marker->at("args")["evidence"].size(), me->evidence.size());
  EXPECT_EQ(marker->at("args")["evidence"][1]["kind"], "lock.acquired");
  ASSERT_TRUE(slice.has_value());
  EXPECT_EQ(ns(slice->at("ts")), overlap->from);
  EXPECT_EQ(ns(slice->at("ts")) + ns(slice->at("dur")), overlap->to);

  // Every other checker says where it stands at the run's end: fenced_writes violated,
  // liveness holds.
  bool liveness_holds = false;
  for (const json& e : events_of(chrome, verdicts, "i")) {
    if (e["name"] == "liveness holds") {
      liveness_holds = ns(e["ts"]) == o.header["duration_ns"].get<int64_t>();
    }
  }
  EXPECT_TRUE(liveness_holds);
}

// The server's view: a slice per lease from its lock.granted to the lock.lease_ended naming the
// same holder and token (or the run's end), on a "lease CLIENT" track of the server's process.
TEST(Perfetto, TheLockServersLeasesRunFromItsGrantToItsOwnEndOfThem) {
  const Outputs o = run_with_perfetto(kPwf, "leases");
  const json chrome = json::parse(o.perfetto);
  struct Expected {
    std::string name;
    int64_t from = 0, to = -1;
    std::string ended_by;
  };
  std::vector<Expected> expected;
  for (const json& e : o.trace) {
    if (e.value("node", "") != "lock") continue;
    const std::string name =
        e.value("holder", "") + " token " + std::to_string(e.value("token", -1));
    if (e["kind"] == "lock.granted") expected.push_back({name, e["t"].get<int64_t>(), -1, ""});
    if (e["kind"] != "lock.lease_ended") continue;
    for (Expected& x : expected) {
      if (x.name == name && x.to < 0)
        x = {name, x.from, e["t"].get<int64_t>(), e.value("text", "")};
    }
  }
  for (Expected& x : expected) {
    if (x.to < 0) x = {x.name, x.from, o.header["duration_ns"].get<int64_t>(), "run end"};
  }
  ASSERT_GE(expected.size(), 2u);
  std::map<int, std::string> track_names;
  const int lock = pid_of(chrome, "lock");
  for (const json& e : events_of(chrome, lock, "M")) {
    if (e["name"] == "thread_name") track_names[e["tid"].get<int>()] = e["args"]["name"];
  }
  std::vector<Expected> drawn;
  for (const json& e : events_of(chrome, lock, "X")) {
    if (e["tid"].get<int>() < PerfettoSink::kLeases) continue;
    const std::string name = e["name"];
    EXPECT_EQ(track_names[e["tid"].get<int>()], "lease " + name.substr(0, name.find(' ')))
        << e.dump();
    drawn.push_back(
        {name, ns(e["ts"]), ns(e["ts"]) + ns(e["dur"]), e["args"]["ended_by"].get<std::string>()});
  }
  std::sort(drawn.begin(), drawn.end(), [](auto& a, auto& b) { return a.from < b.from; });
  ASSERT_EQ(drawn.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(drawn[i].name, expected[i].name);
    EXPECT_EQ(drawn[i].from, expected[i].from) << expected[i].name;
    EXPECT_EQ(drawn[i].to, expected[i].to) << expected[i].name;
    EXPECT_EQ(drawn[i].ended_by, expected[i].ended_by) << expected[i].name;
  }
  // The story of the scenario: c1's lease ended on the server while c1 was paused, then c2's began.
  EXPECT_EQ(expected[0].name.substr(0, 2), "c1");
  EXPECT_EQ(expected[1].name.substr(0, 2), "c2");
  EXPECT_LE(expected[0].to, expected[1].from);
}

TEST(Perfetto, TheFileIsValidJsonAndTheSameBytesOnEveryRun) {
  const Outputs a = run_with_perfetto(kPwf, "a");
  const Outputs b = run_with_perfetto(kPwf, "b");
  json parsed;
  ASSERT_NO_THROW(parsed = json::parse(a.perfetto));
  expect_valid_perfetto(parsed, kPwf);
  // Compared by the first differing byte: printing two whole files would bury the answer.
  const auto [at, _] =
      std::mismatch(a.perfetto.begin(), a.perfetto.end(), b.perfetto.begin(), b.perfetto.end());
  EXPECT_TRUE(a.perfetto == b.perfetto)
      << "the two runs' files first differ at byte " << (at - a.perfetto.begin()) << ": "
      << a.perfetto.substr(at - a.perfetto.begin(), 80);
}

}  // namespace
}  // namespace lockstep::tools

namespace lockstep::tools {
namespace {

// Beyond the message budget a message is counted and not drawn at all: no send slice, no flow,
// and no delivery or drop slice either (which, drawn, would stand for a send that is not there).
TEST(Perfetto, AMessageBeyondTheBudgetIsNotDrawnAtAll) {
  PerfettoLimits limits;
  limits.max_messages = 10;
  const Outputs o = run_with_perfetto(kPwf, "budget", limits);
  const json chrome = json::parse(o.perfetto);
  int64_t sends = 0;
  for (const json& e : o.trace) sends += e["kind"] == "net.send" ? 1 : 0;
  ASSERT_GT(sends, 10);
  std::set<int64_t> drawn;
  int arrivals = 0;
  for (const json& e : chrome["traceEvents"]) {
    if (e["ph"] != "X" || e["tid"] != PerfettoSink::kNet || !e.contains("args")) continue;
    const std::string name = e["name"];
    if (!e["args"].contains("msg_id")) continue;
    const int64_t id = e["args"]["msg_id"];
    if (name.rfind("send ", 0) == 0) {
      drawn.insert(id);
    } else {
      ++arrivals;
      EXPECT_TRUE(drawn.contains(id)) << name << " of message " << id << ", never drawn sent";
    }
  }
  EXPECT_EQ(drawn.size(), 10u);
  EXPECT_GT(arrivals, 0);
  EXPECT_EQ(chrome["otherData"]["messages_not_drawn"], sends - 10);
}

}  // namespace
}  // namespace lockstep::tools
