// Tests of the strict scenario loader (contract v1) against a small fake catalog: a good file read
// field by field, and a table of malformed files whose first line states the expected error.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

#ifndef LOCKSTEP_TEST_DATA_DIR
#define LOCKSTEP_TEST_DATA_DIR "tests/data"
#endif

namespace lockstep::sim {
namespace {

using DistKind = Distribution::Kind;

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kSec = 1'000'000'000;

// A protocol "toy" with a param of every type, and three checkers; no real protocol is
// involved.
// A fault's length and clock step as the file gave them (constants).
std::optional<Duration> length_of(const sim::FaultSpec& f) {
  if (!f.length_ns) return std::nullopt;
  EXPECT_TRUE(f.length_ns->is_constant());
  return Duration{static_cast<int64_t>(f.length_ns->a)};
}
Duration by_of(const sim::FaultSpec& f) { return Duration{static_cast<int64_t>(f.by_ns.a)}; }

Catalog make_catalog() {
  ProtocolSpec toy;
  toy.name = "toy";
  toy.summary = "a fake protocol for loader tests";
  toy.roles = {{"server", "grants"}, {"client", "asks"}};
  toy.params = {
      {"fencing", ParamType::boolean, "false", "check tokens"},
      {"retries", ParamType::integer, "3", "attempts"},
      {"ratio", ParamType::number, "0.5", "a fraction"},
      {"lease", ParamType::duration, "10s", "lease length"},
      {"backoff", ParamType::duration_range, "[150ms, 300ms]", "retry backoff"},
      {"think", ParamType::distribution, "{exponential: 2s}", "think time"},
      {"expiry_clock", ParamType::choice, "monotonic", "which clock", "monotonic|wall"},
  };
  toy.workload = {
      {"acquire_every", ParamType::distribution, "{exponential: 2s}", "gap between acquires"},
      {"hold", ParamType::distribution, "{uniform: [1s, 4s]}", "hold time"},
      {"write_every", ParamType::duration, "500ms", "gap between writes"},
  };
  toy.observations = {{"lock.acquired", "client", {}, "holds"},
                      {"lock.released", "client", {}, "let go"}};
  toy.claims = {{"holder", {"lock.acquired"}, {"lock.released"}, "the holder"}};
  std::vector<sim::CheckerSpec> checkers = {
      {"mutual_exclusion", "one holder at a time", {}},
      {"liveness", "progress resumes", {{"within", ParamType::duration, "10s", "deadline"}}},
      {"leader_liveness",
       "a leader is confirmed and stays",
       {{"within", ParamType::duration, "10s", "deadline"}},
       true},
  };
  return Catalog({std::move(toy)}, std::move(checkers));
}

const Catalog& catalog() {
  static const Catalog c = make_catalog();
  return c;
}

std::string data_path(const std::string& relative) {
  return std::string(LOCKSTEP_TEST_DATA_DIR) + "/" + relative;
}

Scenario load_text(const std::string& text, const std::string& file = "t.yaml") {
  return load_scenario_text(text, file, catalog());
}

// The message a loader error carries, or "" when loading succeeds.
std::string error_of(const std::string& text, const std::string& file = "t.yaml") {
  try {
    load_text(text, file);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

void expect_dist(const Distribution& d, DistKind kind, double a, double b) {
  EXPECT_EQ(d.kind, kind);
  EXPECT_DOUBLE_EQ(d.a, a);
  EXPECT_DOUBLE_EQ(d.b, b);
}

class FullFile : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scenario_ = new Scenario(load_scenario(data_path("good/full.yaml"), catalog()));
  }
  static void TearDownTestSuite() {
    delete scenario_;
    scenario_ = nullptr;
  }
  const Scenario& s() const { return *scenario_; }
  static Scenario* scenario_;
};
Scenario* FullFile::scenario_ = nullptr;

TEST_F(FullFile, Header_ReadsSummarySeedDurationAndDerivesName) {
  EXPECT_EQ(s().file, data_path("good/full.yaml"));
  EXPECT_EQ(s().name, "full");  // no scenarios/ in the path: the file stem
  EXPECT_EQ(s().summary, "Exercises every key of contract v1.");
  EXPECT_EQ(s().seed, 42u);
  EXPECT_EQ(s().duration, Duration::seconds(90));
  EXPECT_EQ(s().protocol, "toy");
  EXPECT_EQ(s().protocol_spec, catalog().protocol("toy"));
}

TEST_F(FullFile, Nodes_KeepDeclarationOrderIdsAndRoles) {
  ASSERT_EQ(s().nodes.size(), 4u);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"lock", "server"}, {"c1", "client"}, {"c2", "server"}, {"store", "server"}};
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(s().nodes[i].id, want[i].first);
    EXPECT_EQ(s().nodes[i].role, want[i].second) << "c2 has no role: the first role applies";
  }
}

TEST_F(FullFile, Params_NodeOverridesProtocolOverridesDefaults) {
  const Params& lock = s().nodes[0].params;
  EXPECT_EQ(lock.duration("lease"), Duration::seconds(5));  // protocol.params
  EXPECT_TRUE(lock.boolean("fencing"));                     // protocol.params
  EXPECT_EQ(lock.integer("retries"), 3);                    // default
  EXPECT_DOUBLE_EQ(lock.number("ratio"), 0.5);
  EXPECT_EQ(lock.choice("expiry_clock"), "monotonic");
  EXPECT_EQ(lock.range("backoff").min, Duration::millis(150));
  EXPECT_EQ(lock.range("backoff").max, Duration::millis(300));
  expect_dist(lock.distribution("think"), DistKind::exponential, 2.0 * kSec, 0);

  const Params& c1 = s().nodes[1].params;
  EXPECT_EQ(c1.duration("lease"), Duration::seconds(7));  // the node's own wins
  EXPECT_EQ(c1.integer("retries"), 9);
  EXPECT_TRUE(c1.boolean("fencing"));  // not overridden by the node: protocol.params holds

  const Params& store = s().nodes[3].params;
  EXPECT_EQ(store.choice("expiry_clock"), "wall");
  EXPECT_EQ(store.range("backoff").min, Duration::seconds(1));
  EXPECT_EQ(store.range("backoff").max, Duration::seconds(2));
  EXPECT_DOUBLE_EQ(store.number("ratio"), 0.25);
  expect_dist(store.distribution("think"), DistKind::normal, 3.0 * kSec, 1.0 * kSec);
  EXPECT_EQ(store.distribution("think").min, 0) << "duration draws never go negative";
  EXPECT_EQ(store.duration("lease"), Duration::seconds(5));
}

TEST_F(FullFile, Clocks_NodeKeysOverrideDefaultsKeyByKey) {
  const ClockSpec& lock = s().nodes[0].clock;
  expect_dist(lock.drift_ppm, DistKind::uniform, -100, 100);
  EXPECT_EQ(lock.drift_ppm.min, -500'000);
  EXPECT_EQ(lock.drift_ppm.max, 500'000);
  expect_dist(lock.offset_ns, DistKind::lognormal, 10.0 * kMs, 0.5);
  EXPECT_EQ(lock.offset_ns.min, 0);

  const ClockSpec& c1 = s().nodes[1].clock;
  expect_dist(c1.drift_ppm, DistKind::constant, 200, 200);
  expect_dist(c1.offset_ns, DistKind::constant, 50.0 * kMs, 50.0 * kMs);

  const ClockSpec& c2 = s().nodes[2].clock;
  expect_dist(c2.drift_ppm, DistKind::uniform, -100, 100);  // from clocks:
  expect_dist(c2.offset_ns, DistKind::uniform, 1.0 * kMs, 2.0 * kMs);
}

TEST_F(FullFile, Network_ReadsDefaultsAndLinksWithResolvedIds) {
  const NetworkSpec& net = s().network;
  expect_dist(net.latency_ns, DistKind::uniform, 1.0 * kMs, 5.0 * kMs);
  EXPECT_EQ(net.latency_ns.min, 0);
  EXPECT_DOUBLE_EQ(net.loss, 0.01);
  EXPECT_DOUBLE_EQ(net.duplicate, 0.001);
  EXPECT_EQ(net.ordering, Ordering::fifo);
  ASSERT_EQ(net.links.size(), 2u);

  const LinkSpec& first = net.links[0];
  EXPECT_EQ(first.from, 1u);
  EXPECT_EQ(first.to, 0u);
  ASSERT_TRUE(first.latency_ns.has_value());
  expect_dist(*first.latency_ns, DistKind::constant, 30.0 * kMs, 30.0 * kMs);
  EXPECT_EQ(first.loss, 0.2);
  EXPECT_FALSE(first.duplicate.has_value());
  EXPECT_FALSE(first.ordering.has_value());

  const LinkSpec& second = net.links[1];
  EXPECT_EQ(second.from, 0u);
  EXPECT_EQ(second.to, 2u);
  ASSERT_TRUE(second.latency_ns.has_value());
  expect_dist(*second.latency_ns, DistKind::exponential, 4.0 * kMs, 0);
  EXPECT_FALSE(second.loss.has_value());
  EXPECT_EQ(second.duplicate, 0.5);
  EXPECT_EQ(second.ordering, Ordering::any);
}

TEST_F(FullFile, Faults_EachKindIsTyped) {
  ASSERT_EQ(s().faults.size(), 9u);
  const FaultSpec& pause = s().faults[0];
  EXPECT_EQ(pause.type, FaultType::pause);
  EXPECT_EQ(pause.at_min, Instant{12 * kSec});
  EXPECT_EQ(pause.at_max, Instant{12 * kSec});
  EXPECT_EQ(pause.target.node, 1u);
  EXPECT_TRUE(pause.target.role.empty());
  EXPECT_EQ(length_of(pause), Duration::seconds(15));
  EXPECT_EQ(pause.pos.line, 29);
  EXPECT_EQ(pause.pos.column, 5);

  const FaultSpec& partition = s().faults[1];
  EXPECT_EQ(partition.type, FaultType::partition);
  const std::vector<std::vector<NodeIndex>> groups = {{1}, {0, 2}};
  EXPECT_EQ(partition.groups, groups);
  EXPECT_EQ(length_of(partition), Duration::seconds(5));

  const FaultSpec& step = s().faults[4];
  EXPECT_EQ(step.type, FaultType::clock_step);
  EXPECT_EQ(step.target.node, 2u);
  EXPECT_EQ(by_of(step), Duration::seconds(-2)) << "clock_step's by may be negative";
  EXPECT_FALSE(length_of(step).has_value());
}

TEST_F(FullFile, Faults_CutTakesOneWayMapsAndTwoWayPairs) {
  const FaultSpec& one_way = s().faults[2];
  EXPECT_EQ(one_way.type, FaultType::cut);
  const std::vector<std::pair<NodeIndex, NodeIndex>> one = {{1, 0}};
  EXPECT_EQ(one_way.links, one);
  EXPECT_EQ(length_of(one_way), Duration::seconds(5));

  const FaultSpec& mixed = s().faults[3];
  const std::vector<std::pair<NodeIndex, NodeIndex>> both = {{2, 3}, {3, 2}, {3, 0}};
  EXPECT_EQ(mixed.links, both);
  EXPECT_FALSE(length_of(mixed).has_value()) << "no heal_after: the cut is permanent";
  EXPECT_EQ(mixed.at_min, Instant{0});
}

TEST_F(FullFile, Faults_AtRangeAndRoleTargetsStayUnresolved) {
  const FaultSpec& crash = s().faults[5];
  EXPECT_EQ(crash.type, FaultType::crash);
  EXPECT_EQ(crash.at_min, Instant{10 * kSec});
  EXPECT_EQ(crash.at_max, Instant{10 * kSec + 75 * kMs});
  EXPECT_EQ(crash.target.node, kNoNode);
  EXPECT_EQ(crash.target.role, "holder");
  EXPECT_EQ(length_of(crash), Duration::seconds(5));

  const FaultSpec& permanent = s().faults[6];
  EXPECT_EQ(permanent.target.node, 3u);
  EXPECT_FALSE(length_of(permanent).has_value());

  const FaultSpec& isolate = s().faults[7];
  EXPECT_EQ(isolate.type, FaultType::isolate);
  EXPECT_EQ(isolate.target.node, 0u);
  EXPECT_EQ(length_of(isolate), Duration::seconds(1));
}

TEST_F(FullFile, Faults_AtOrAfterTheEndWarns) {
  EXPECT_EQ(s().faults[8].at_min, Instant{95 * kSec});
  ASSERT_EQ(s().warnings.size(), 1u);
  EXPECT_NE(s().warnings[0].find("faults[10]"), std::string::npos) << s().warnings[0];
  EXPECT_NE(s().warnings[0].find("never fires"), std::string::npos) << s().warnings[0];
}

TEST_F(FullFile, Nemesis_DefaultsFillWhatTheFileOmits) {
  ASSERT_EQ(s().nemeses.size(), 2u);
  const NemesisSpec& n = s().nemeses[0];
  const std::vector<FaultType> kinds = {FaultType::partition, FaultType::crash};
  EXPECT_EQ(n.kinds, kinds);
  expect_dist(n.every_ns, DistKind::exponential, 5.0 * kSec, 0);
  EXPECT_EQ(n.from, Instant{0});
  EXPECT_EQ(n.until, Instant{90 * kSec}) << "until defaults to the run's duration";
  expect_dist(n.length_ns, DistKind::uniform, 1.0 * kSec, 5.0 * kSec);
  expect_dist(n.step_ns, DistKind::uniform, -2.0 * kSec, 2.0 * kSec);
  EXPECT_LT(n.step_ns.min, -2.0 * kSec) << "clock steps may go backwards: unclamped";
  ASSERT_EQ(n.targets.size(), 2u);
  EXPECT_EQ(n.targets[0].node, 1u);
  EXPECT_EQ(n.targets[1].node, 2u);
  EXPECT_TRUE(n.targets[0].role.empty());
  EXPECT_EQ(n.pos.line, 37);
}

TEST_F(FullFile, Nemesis_ExplicitKeysAreRead) {
  const NemesisSpec& n = s().nemeses[1];
  const std::vector<FaultType> kinds = {FaultType::pause, FaultType::clock_step,
                                        FaultType::isolate};
  EXPECT_EQ(n.kinds, kinds);
  expect_dist(n.every_ns, DistKind::constant, 2.0 * kSec, 2.0 * kSec);
  EXPECT_EQ(n.from, Instant{5 * kSec});
  EXPECT_EQ(n.until, Instant{50 * kSec});
  expect_dist(n.length_ns, DistKind::uniform, 1.0 * kSec, 2.0 * kSec);
  expect_dist(n.step_ns, DistKind::constant, 100.0 * kMs, 100.0 * kMs);
  EXPECT_TRUE(n.targets.empty()) << "no targets: every node";
}

TEST_F(FullFile, Workload_OverridesOnTopOfDefaults) {
  expect_dist(s().workload.distribution("acquire_every"), DistKind::exponential, 2.0 * kSec, 0);
  expect_dist(s().workload.distribution("hold"), DistKind::uniform, 1.0 * kSec, 4.0 * kSec);
  EXPECT_EQ(s().workload.duration("write_every"), Duration::millis(250));
}

TEST_F(FullFile, CheckersAndExpectations_AreReadInOrder) {
  ASSERT_EQ(s().checkers.size(), 2u);
  EXPECT_EQ(s().checkers[0].name, "mutual_exclusion");
  EXPECT_TRUE(s().checkers[0].params.entries().empty());
  EXPECT_EQ(s().checkers[1].name, "liveness");
  EXPECT_EQ(s().checkers[1].params.duration("within"), Duration::seconds(20));
  ASSERT_EQ(s().expect.size(), 2u);
  EXPECT_EQ(s().expect[0].checker, "mutual_exclusion");
  EXPECT_EQ(s().expect[0].verdict, Verdict::violated);
  EXPECT_EQ(s().expect[1].checker, "liveness");
  EXPECT_EQ(s().expect[1].verdict, Verdict::inconclusive);
}

TEST(MinimalFile, Defaults_ApplyEverywhere) {
  const Scenario s = load_scenario(data_path("good/minimal.yaml"), catalog());
  EXPECT_EQ(s.name, "minimal");
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.duration, Duration::seconds(60));
  ASSERT_EQ(s.nodes.size(), 3u);
  EXPECT_EQ(s.nodes[0].id, "n1");
  EXPECT_EQ(s.nodes[2].id, "n3");
  EXPECT_EQ(s.nodes[2].role, "server") << "nodes: N takes the protocol's first role";
  EXPECT_EQ(s.nodes[0].params.duration("lease"), Duration::seconds(10));
  expect_dist(s.nodes[0].clock.drift_ppm, DistKind::constant, 0, 0);
  expect_dist(s.nodes[0].clock.offset_ns, DistKind::constant, 0, 0);
  expect_dist(s.network.latency_ns, DistKind::constant, 1.0 * kMs, 1.0 * kMs);
  EXPECT_EQ(s.network.latency_ns.min, 0);
  EXPECT_EQ(s.network.loss, 0);
  EXPECT_EQ(s.network.duplicate, 0);
  EXPECT_EQ(s.network.ordering, Ordering::any);
  EXPECT_TRUE(s.network.links.empty());
  EXPECT_TRUE(s.faults.empty());
  EXPECT_TRUE(s.nemeses.empty());
  EXPECT_EQ(s.workload.duration("write_every"), Duration::millis(500));
  ASSERT_EQ(s.checkers.size(), 1u);
  EXPECT_EQ(s.checkers[0].params.duration("within"), Duration::seconds(10));
  EXPECT_TRUE(s.expect.empty());
  EXPECT_TRUE(s.warnings.empty());
}

// ---- Malformed files -------------------------------------------------------------------------

// What a bad file's first line promises: `# error: LINE:COL KEYPATH | substring`.
struct ExpectedError {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key_path;  // "-" in the file: none
  std::string substring;
};

ExpectedError parse_header(const std::string& path) {
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  const std::string prefix = "# error: ";
  EXPECT_EQ(header.rfind(prefix, 0), 0u) << path << ": first line must start with " << prefix;
  const size_t colon = header.find(':', prefix.size());
  const size_t space = header.find(' ', colon);
  const size_t bar = header.find(" | ", space);
  EXPECT_NE(bar, std::string::npos) << path << ": header needs ' | '";
  if (bar == std::string::npos) return {};
  ExpectedError e;
  e.file = path;
  e.line = std::stoi(header.substr(prefix.size(), colon - prefix.size()));
  e.column = std::stoi(header.substr(colon + 1, space - colon - 1));
  e.key_path = header.substr(space + 1, bar - space - 1);
  if (e.key_path == "-") e.key_path.clear();
  e.substring = header.substr(bar + 3);
  return e;
}

std::vector<std::string> bad_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(data_path("bad"))) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());  // a stable test order
  return files;
}

class BadFile : public ::testing::TestWithParam<std::string> {};

TEST_P(BadFile, Load_ThrowsInputErrorNamingPositionKeyAndCause) {
  const ExpectedError want = parse_header(GetParam());
  ASSERT_FALSE(want.substring.empty());
  try {
    load_scenario(GetParam(), catalog());
    FAIL() << GetParam() << " loaded, but it should not";
  } catch (const InputError& e) {
    const std::string what = e.what();
    std::string prefix = want.file + ":";
    if (want.line > 0)
      prefix += std::to_string(want.line) + ":" + std::to_string(want.column) + ":";
    prefix += " " + (want.key_path.empty() ? "" : want.key_path + ":");
    EXPECT_EQ(what.rfind(prefix, 0), 0u) << "want prefix: " << prefix << "\n got: " << what;
    EXPECT_NE(what.find(want.substring), std::string::npos)
        << "want substring: " << want.substring << "\n got: " << what;
    EXPECT_EQ(e.file(), want.file);
    EXPECT_EQ(e.key_path(), want.key_path);
  }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = std::filesystem::path(info.param).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Loader, BadFile, ::testing::ValuesIn(bad_files()), test_name);

TEST(BadFiles, Corpus_HasAtLeastTwentyDistinctErrors) {
  const std::vector<std::string> files = bad_files();
  EXPECT_GE(files.size(), 20u);
  std::vector<std::string> substrings;
  for (const std::string& f : files) substrings.push_back(parse_header(f).substring);
  std::sort(substrings.begin(), substrings.end());
  EXPECT_EQ(std::adjacent_find(substrings.begin(), substrings.end()), substrings.end())
      << "two bad files expect the same error";
}

// ---- Errors outside the table ------------------------------------------------------------------

TEST(LoadScenario, MissingFile_NamesFileAndSystemReason) {
  const std::string path = data_path("no/such/file.yaml");
  try {
    load_scenario(path, catalog());
    FAIL() << "a missing file loaded";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              path + ": cannot open scenario file: " + std::strerror(ENOENT));
    EXPECT_EQ(e.line(), 0);
    EXPECT_TRUE(e.key_path().empty());
  }
}

TEST(LoadScenario, Directory_IsNotAScenarioFile) {
  try {
    load_scenario(data_path("good"), catalog());
    FAIL() << "a directory loaded";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open scenario file"), std::string::npos);
  }
}

TEST(LoadScenarioText, Errors_NameTheGivenFile) {
  const std::string what = error_of("protocol: {name: toy}\nnodes: 0\n", "my/file.yaml");
  EXPECT_EQ(what, "my/file.yaml:2:8: nodes: a scenario needs at least 1 node, got 0");
}

TEST(LoadScenarioText, InputError_ExposesItsParts) {
  try {
    load_text("protocol: {name: toy}\nnodes: 2\nseed: x\n");
    FAIL() << "loaded";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "t.yaml");
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.column(), 7);
    EXPECT_EQ(e.key_path(), "seed");
    EXPECT_EQ(e.detail(), "expected a non-negative integer seed, got 'x'");
    EXPECT_EQ(std::string(e.what()), "t.yaml:3:7: seed: " + e.detail());
  }
}

TEST(LoadScenarioText, DefaultName_IsThePathUnderScenariosWithoutSuffix) {
  const std::string body = "protocol: {name: toy}\nnodes: 1\n";
  EXPECT_EQ(load_text(body, "/repo/scenarios/lease-lock/pause.yaml").name, "lease-lock/pause");
  EXPECT_EQ(load_text(body, "scenarios/a/scenarios/b.yml").name, "b");
  EXPECT_EQ(load_text(body, "some/dir/plain.yaml").name, "plain");
  EXPECT_EQ(load_text("name: given\n" + body, "scenarios/x.yaml").name, "given");
}

TEST(LoadScenarioText, Distributions_ReadEveryForm) {
  const Scenario s = load_text(
      "protocol: {name: toy}\nnodes: 1\n"
      "clocks: {drift_ppm: {normal: {mean: 5, stddev: 2}}, offset: {exponential: 3ms}}\n"
      "network: {latency: {lognormal: {median: 2ms, sigma: 0.25}}}\n");
  expect_dist(s.nodes[0].clock.drift_ppm, DistKind::normal, 5, 2);
  expect_dist(s.nodes[0].clock.offset_ns, DistKind::exponential, 3.0 * kMs, 0);
  expect_dist(s.network.latency_ns, DistKind::lognormal, 2.0 * kMs, 0.25);
  EXPECT_EQ(s.network.latency_ns.min, 0);
}

TEST(LoadScenarioText, Durations_AcceptEveryUnitAndZero) {
  const std::string head = "protocol: {name: toy}\nnodes: 1\nworkload: {write_every: ";
  const std::vector<std::pair<std::string, Duration>> cases = {
      {"500us", Duration::micros(500)}, {"150ms", Duration::millis(150)},
      {"2s", Duration::seconds(2)},     {"1.5s", Duration::millis(1500)},
      {"3m", Duration::seconds(180)},   {"0", Duration::zero()}};
  for (const auto& [text, want] : cases) {
    EXPECT_EQ(load_text(head + text + "}\n").workload.duration("write_every"), want) << text;
  }
}

TEST(LoadScenarioText, UnknownKey_WithoutNearMatchListsKnownKeys) {
  const std::string what = error_of("protocol: {name: toy}\nnodes: 2\nnetwork: {zzzzzz: 1}\n");
  EXPECT_NE(what.find("unknown network key 'zzzzzz'; expected one of: latency, loss"),
            std::string::npos)
      << what;
}

TEST(LoadScenarioText, CheckerWithoutParams_RejectsAnyParam) {
  const std::string what =
      error_of("protocol: {name: toy}\nnodes: 2\ncheckers: [{mutual_exclusion: {x: 1}}]\n");
  EXPECT_NE(what.find("checkers[0].mutual_exclusion.x: unknown param 'x' for checker "
                      "mutual_exclusion; it takes none"),
            std::string::npos)
      << what;
}

TEST(LoadScenarioText, Limits_RejectTooManyLinks) {
  std::string text = "protocol: {name: toy}\nnodes: 2\nnetwork:\n  links:\n";
  for (int i = 0; i < 1001; ++i) text += "    - {from: n1, to: n2}\n";
  const std::string what = error_of(text);
  EXPECT_NE(what.find("network.links: too many entries: 1001 (the limit is 1000)"),
            std::string::npos)
      << what;
}

TEST(LoadScenarioText, NodeIdNamedLikeARoleTarget_IsRejected) {
  const std::string what = error_of("protocol: {name: toy}\nnodes: [{id: holder}]\n");
  EXPECT_NE(what.find("is also a fault target"), std::string::npos) << what;
}

TEST(LoadScenarioText, EmptySections_ReadAsEmpty) {
  const Scenario s =
      load_text("protocol: {name: toy}\nnodes: 2\nnetwork:\nfaults:\ncheckers: []\n");
  EXPECT_TRUE(s.faults.empty());
  EXPECT_TRUE(s.checkers.empty());
  EXPECT_EQ(s.network.loss, 0);
}

TEST(LoadScenarioText, Pair_WithThreeItemsNamesTheCount) {
  const std::string what =
      error_of("protocol: {name: toy}\nnodes: 2\nnetwork: {latency: {uniform: [1ms, 2ms, 3ms]}}\n");
  EXPECT_NE(what.find("t.yaml:3:30: network.latency.uniform: expected [min, max], got a list of 3"),
            std::string::npos)
      << what;
}

TEST(LoadScenarioText, NemesisStep_MayBeNegative) {
  const Scenario s = load_text(
      "protocol: {name: toy}\nnodes: 2\nfaults:\n  - nemesis: {kinds: [clock_step], step: -1s}\n");
  ASSERT_EQ(s.nemeses.size(), 1u);
  expect_dist(s.nemeses[0].step_ns, DistKind::constant, -1.0 * kSec, -1.0 * kSec);
}

// ParamSpec::check: a value of the right type that the protocol cannot use is refused at the
// value's position, in protocol params and in a node's overrides alike; a usable one loads.
std::string odd_only(const ParamValue& v) {
  return std::get<int64_t>(v) % 2 == 0 ? "must be odd" : "";
}

TEST(LoadScenarioText, ParamCheck_RejectsAtTheValuesPosition) {
  ProtocolSpec checked;
  checked.name = "checked";
  checked.summary = "a protocol with a checked param";
  checked.roles = {{"node", "does nothing"}};
  checked.params = {{"n", ParamType::integer, "1", "an odd number", {}, &odd_only}};
  const Catalog c({std::move(checked)}, {});
  const auto error = [&](const std::string& text) -> std::string {
    try {
      load_scenario_text(text, "t.yaml", c);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(error("protocol: {name: checked, params: {n: 4}}\nnodes: 1\n"),
            "t.yaml:1:39: protocol.params.n: must be odd");
  EXPECT_EQ(error("protocol: {name: checked}\nnodes: [{id: a, params: {n: 2}}]\n"),
            "t.yaml:2:29: nodes[0].params.n: must be odd");
  EXPECT_EQ(error("protocol: {name: checked, params: {n: 3}}\nnodes: 1\n"), "");
}

TEST(LoadScenarioText, CountOfNodes_AcceptsTheLimit) {
  const Scenario s = load_text("protocol: {name: toy}\nnodes: 10000\n");
  ASSERT_EQ(s.nodes.size(), 10'000u);
  EXPECT_EQ(s.nodes.back().id, "n10000");
}

// ---- The leader_liveness window warning ------------------------------------------------------

// A file with `faults` (YAML list items, one per line) and leader_liveness {within: 10s}.
Scenario with_leader_liveness(const std::string& duration, const std::string& faults,
                              const std::string& checker = "leader_liveness") {
  return load_text("protocol: {name: toy}\nnodes: 3\nduration: " + duration + "\nfaults:\n" +
                   faults + "checkers:\n  - mutual_exclusion\n  - " + checker +
                   ": {within: 10s}\n");
}

TEST(LeaderLivenessWindow, FaultHealingTooCloseToTheEnd_Warns) {
  // The crash may come as late as 20s and restarts 25s later: faults last until 45s.
  const Scenario s =
      with_leader_liveness("60s", "  - {at: [10s, 20s], crash: n1, restart_after: 25s}\n");
  ASSERT_EQ(s.warnings.size(), 1u);
  const std::string& w = s.warnings[0];
  EXPECT_NE(w.find("checkers[1] (line 8): the faults can last until 45s, which leaves 15s of the "
                   "60s run, less than 2 x within (20s)"),
            std::string::npos)
      << w;
  EXPECT_NE(w.find("make duration at least 65s"), std::string::npos) << w;
}

TEST(LeaderLivenessWindow, EnoughTimeAfterTheLastFault_DoesNotWarn) {
  EXPECT_TRUE(with_leader_liveness("65s", "  - {at: [10s, 20s], crash: n1, restart_after: 25s}\n")
                  .warnings.empty());
  // A clock step has no length: it counts at its own time.
  EXPECT_TRUE(
      with_leader_liveness("60s", "  - {at: 40s, clock_step: n1, by: 2s}\n").warnings.empty());
}

TEST(LeaderLivenessWindow, PermanentFaultCountsFromItsTime) {
  const Scenario s = with_leader_liveness("60s", "  - {at: 45s, partition: [[n1], [n2, n3]]}\n");
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_NE(s.warnings[0].find("until 45s, which leaves 15s"), std::string::npos) << s.warnings[0];
}

TEST(LeaderLivenessWindow, NemesisCountsUntilPlusItsLongestFault) {
  const Scenario s = with_leader_liveness(
      "60s", "  - nemesis: {kinds: [crash], until: 40s, for: {uniform: [1s, 5s]}}\n");
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_NE(s.warnings[0].find("until 45s"), std::string::npos) << s.warnings[0];
  // Clock steps do not last: a clock-step-only nemesis ends at `until`.
  EXPECT_TRUE(with_leader_liveness("60s", "  - nemesis: {kinds: [clock_step], until: 40s}\n")
                  .warnings.empty());
}

TEST(LeaderLivenessWindow, NoFaultsAndAShortRun_Warns) {
  const Scenario s = with_leader_liveness("15s", "");
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_NE(s.warnings[0].find("the run has no faults and lasts 15s, less than 2 x within (20s)"),
            std::string::npos)
      << s.warnings[0];
}

TEST(LeaderLivenessWindow, OtherCheckers_DoNotWarn) {
  EXPECT_TRUE(with_leader_liveness("15s", "", "liveness").warnings.empty());
}

TEST(Verdicts, Names_RoundTrip) {
  for (Verdict v : {Verdict::holds, Verdict::violated, Verdict::inconclusive}) {
    EXPECT_EQ(verdict_from_name(verdict_name(v)), v);
  }
  EXPECT_FALSE(verdict_from_name("pass").has_value());
  EXPECT_EQ(fault_type_name(FaultType::clock_step), "clock_step");
  EXPECT_EQ(fault_type_name(FaultType::partition), "partition");
}

}  // namespace
}  // namespace lockstep::sim
