// Every scenario under scenarios/ meets its `expect:`, and runs are deterministic: the same
// scenario and seed give the same trace hash and byte-identical JSONL traces.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/support.hpp"
#include "tools/engine/runner.hpp"

namespace lockstep::tools {
namespace {

namespace fs = std::filesystem;
using lockstep::testing::read_file;

std::vector<std::string> all_scenarios() {
  return lockstep::testing::yaml_files_under("scenarios");
}

class EveryScenario : public ::testing::TestWithParam<std::string> {
 protected:
  sim::Catalog catalog_ = make_catalog();
};

TEST_P(EveryScenario, MeetsItsExpectations) {
  const sim::Scenario s = sim::load_scenario(GetParam(), catalog_);
  ASSERT_FALSE(s.expect.empty()) << GetParam() << " has no expect: section";
  const RunReport r = run_scenario(s, {});
  for (size_t i = 0; i < r.expectations.size(); ++i) {
    const ExpectationOutcome& e = r.expectations[i];
    EXPECT_TRUE(e.met()) << GetParam() << ": " << e.checker << " expected "
                         << sim::expected_name(e.expected) << ", got "
                         << sim::verdict_name(e.actual) << "\n  " << r.results[i].explanation
                         << "\n  replay: " << r.replay_command();
  }
}

// A checker's interval is where its verdict happened: it never ends before it starts (the
// timeline and Perfetto draw it). leader_liveness once ended it at a deciding event from before
// the last fault (sizing/wan-undersized-raft).
TEST_P(EveryScenario, EveryCheckersIntervalRunsForward) {
  const sim::Scenario s = sim::load_scenario(GetParam(), catalog_);
  const RunReport r = run_scenario(s, {});
  for (const checkers::CheckResult& c : r.results) {
    if (!c.interval.has_value()) continue;
    EXPECT_LE(c.interval->from.ns, c.interval->to.ns) << GetParam() << ": " << c.checker;
  }
}

// The second run also hands every event to every checker and the metrics, whatever their
// wants() say: the kinds a sink declines must be ones that change nothing it reports.
TEST_P(EveryScenario, SameSeedGivesTheSameHashAndResultsTwiceInOneProcess) {
  const sim::Scenario s = sim::load_scenario(GetParam(), catalog_);
  const RunReport a = run_scenario(s, {});
  RunOptions every;
  every.route_every_event = true;
  const RunReport b = run_scenario(s, every);
  EXPECT_EQ(a.hash, b.hash);
  EXPECT_EQ(a.events, b.events);
  EXPECT_GT(a.events, 0u);
  ASSERT_EQ(a.results.size(), b.results.size());
  for (size_t i = 0; i < a.results.size(); ++i) {
    const checkers::CheckResult& x = a.results[i];
    const checkers::CheckResult& y = b.results[i];
    EXPECT_EQ(x.verdict, y.verdict) << GetParam() << ": " << x.checker;
    EXPECT_EQ(x.explanation, y.explanation) << GetParam() << ": " << x.checker;
    EXPECT_EQ(x.deciding, y.deciding) << GetParam() << ": " << x.checker;
    ASSERT_EQ(x.evidence.size(), y.evidence.size()) << GetParam() << ": " << x.checker;
    for (size_t j = 0; j < x.evidence.size(); ++j) {
      EXPECT_EQ(checkers::describe_event(x.evidence[j], a.info),
                checkers::describe_event(y.evidence[j], b.info))
          << GetParam() << ": " << x.checker;
    }
    EXPECT_EQ(x.interval.has_value(), y.interval.has_value()) << GetParam() << ": " << x.checker;
    if (x.interval.has_value() && y.interval.has_value()) {
      EXPECT_EQ(x.interval->from, y.interval->from) << GetParam() << ": " << x.checker;
      EXPECT_EQ(x.interval->to, y.interval->to) << GetParam() << ": " << x.checker;
    }
  }
  ASSERT_EQ(a.metrics.size(), b.metrics.size());
  for (size_t i = 0; i < a.metrics.size(); ++i) {
    EXPECT_EQ(a.metrics[i].name, b.metrics[i].name) << GetParam();
    EXPECT_EQ(a.metrics[i].value, b.metrics[i].value) << GetParam() << ": " << a.metrics[i].name;
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, EveryScenario, ::testing::ValuesIn(all_scenarios()),
                         [](const auto& info) {
                           return lockstep::testing::param_name(info.param);
                         });

// The Jepsen etcd 3.4.3 shape with the holders' writes in the history (record_writes, key 2):
// without fencing a resumed holder's update succeeds against the next holder's value, which the
// linearizable checker finds in the register writes themselves; with revision fencing the
// resource refuses it and the register is linearizable on every seed (the lock key is violated
// in both: two clients believe they hold it).
std::string linearizable_explanation(const RunReport& r) {
  for (const auto& c : r.results) {
    if (c.checker == "linearizable") return c.explanation;
  }
  return "";
}

TEST(ConsensusLockRegister, PausedHolderWithoutFencing_ViolatesTheRegisterAndFencingFixesIt) {
  const sim::Catalog catalog = make_catalog();
  const sim::Scenario bare =
      sim::load_scenario("scenarios/consensus-lock/paused-holder-without-fencing.yaml", catalog);
  const sim::Scenario fenced =
      sim::load_scenario("scenarios/consensus-lock/paused-holder-with-fencing.yaml", catalog);
  constexpr std::string_view kRegister = "Key '2' is not linearizable either: ";
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    const std::string bare_text =
        linearizable_explanation(run_scenario(bare, RunOptions::with_seed(seed)));
    EXPECT_NE(bare_text.find(kRegister), std::string::npos) << "seed " << seed << ": " << bare_text;
    EXPECT_NE(bare_text.find("compare-and-set succeeded against a value that was not there"),
              std::string::npos)
        << "seed " << seed << ": " << bare_text;
    const std::string fenced_text =
        linearizable_explanation(run_scenario(fenced, RunOptions::with_seed(seed)));
    EXPECT_NE(fenced_text.find("On key '1'"), std::string::npos) << fenced_text;
    EXPECT_EQ(fenced_text.find("Key '2'"), std::string::npos)
        << "seed " << seed << ": " << fenced_text;
  }
}

// The consensus lock's client learned that its lease was gone only from a refused keepalive,
// and a keepalive to a dead leader is never refused: with the leader crashed for good under a
// holder, or the holder cut off from every server, two clients believed they held the lock.
// session_deadline (etcd's client ends a session whose keepalives go unanswered for a TTL, and
// reconnects to another server) fixes both, on every seed checked; the bare files are the
// contrast that goes red if the fix stopped mattering.
sim::Verdict mutual_exclusion(const RunReport& r) {
  for (const auto& c : r.results) {
    if (c.checker == "mutual_exclusion") return c.verdict;
  }
  return sim::Verdict::inconclusive;
}

TEST(ConsensusLockSessionDeadline, AHolderWhoseKeepalivesGoUnansweredGivesTheLockUp) {
  const sim::Catalog catalog = make_catalog();
  for (const std::string name : {"leader-crash-while-holding", "holder-cut-off"}) {
    const sim::Scenario bare =
        sim::load_scenario("scenarios/consensus-lock/" + name + ".yaml", catalog);
    const sim::Scenario fixed =
        sim::load_scenario("scenarios/consensus-lock/" + name + "-session-deadline.yaml", catalog);
    int bare_violated = 0;
    for (uint64_t seed = 1; seed <= 20; ++seed) {
      bare_violated += mutual_exclusion(run_scenario(bare, RunOptions::with_seed(seed))) ==
                       sim::Verdict::violated;
      EXPECT_EQ(mutual_exclusion(run_scenario(fixed, RunOptions::with_seed(seed))),
                sim::Verdict::holds)
          << name << " seed " << seed;
    }
    EXPECT_GE(bare_violated, 15) << name;
  }
}

TEST(Determinism, DifferentSeedsGiveDifferentHashes) {
  const sim::Catalog catalog = make_catalog();
  const sim::Scenario s = sim::load_scenario("scenarios/lease-lock/clean.yaml", catalog);
  const uint64_t h1 = run_scenario(s, RunOptions::with_seed(1)).hash;
  const uint64_t h2 = run_scenario(s, RunOptions::with_seed(2)).hash;
  const uint64_t h3 = run_scenario(s, RunOptions::with_seed(3)).hash;
  EXPECT_NE(h1, h2);
  EXPECT_NE(h2, h3);
  EXPECT_NE(h1, h3);
}

TEST(Determinism, JsonlTracesOfTwoRunsAreByteIdentical) {
  const sim::Catalog catalog = make_catalog();
  const sim::Scenario s =
      sim::load_scenario("scenarios/lease-lock/pause-without-fencing.yaml", catalog);
  const fs::path dir = fs::temp_directory_path() / ("lockstep-det-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string a = (dir / "a.jsonl").string();
  const std::string b = (dir / "b.jsonl").string();
  RunOptions oa;
  oa.trace_path = a;
  RunOptions ob;
  ob.trace_path = b;
  const RunReport ra = run_scenario(s, oa);
  const RunReport rb = run_scenario(s, ob);
  const std::string ta = read_file(a);
  EXPECT_GT(ta.size(), 1000u);
  EXPECT_EQ(ta, read_file(b));
  EXPECT_EQ(ra.hash, rb.hash);
  // One line per trace event plus the header.
  EXPECT_EQ(static_cast<uint64_t>(std::count(ta.begin(), ta.end(), '\n')), ra.trace_events + 1);
  EXPECT_FALSE(fs::exists(a + ".tmp"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace lockstep::tools
