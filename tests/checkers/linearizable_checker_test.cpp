// The `linearizable` checker over a trace: the client history contract (op.invoke / op.ok /
// op.fail / op.info from the client node, f / key / value / expect fields, a crash leaves the
// open op unknown), found by name in the trace's vocabulary.
#include <gtest/gtest.h>

#include <memory>

#include "tests/checkers/script.hpp"

namespace lockstep::checkers::testing {
namespace {

// The catalog's words plus the history's, declared as a protocol whose clients record one does.
struct HistoryWords {
  HistoryWords() {
    auto v = std::make_shared<sim::Vocabulary>(*::lockstep::testing::catalog_vocabulary());
    invoke = v->declare_kind("op.invoke");
    ok = v->declare_kind("op.ok");
    fail = v->declare_kind("op.fail");
    info = v->declare_kind("op.info");
    f = v->declare_key("f", sim::FieldType::integer);
    key = v->declare_key("key", sim::FieldType::integer);
    value = v->declare_key("value", sim::FieldType::integer);
    expect = v->declare_key("expect", sim::FieldType::integer);
    vocabulary = v;
  }
  std::shared_ptr<const sim::Vocabulary> vocabulary;
  sim::Kind invoke, ok, fail, info;
  sim::Key f, key, value, expect;
};
const HistoryWords& words() {
  static const HistoryWords kWords;
  return kWords;
}

constexpr int64_t kAcquire = 1, kRelease = 2, kRead = 3, kWrite = 4, kCas = 5;

class History : public ::testing::Test {
 protected:
  History() { s.vocabulary(words().vocabulary); }
  const HistoryWords& w = words();
  Script s;

  void write(double t0, double t1, std::string_view node, int64_t v, int64_t key = 0) {
    s.add(t0, node, w.invoke, {{w.f, kWrite}, {w.key, key}, {w.value, v}});
    s.add(t1, node, w.ok, {{w.f, kWrite}, {w.key, key}, {w.value, v}});
  }
  void read(double t0, double t1, std::string_view node, int64_t v, int64_t key = 0) {
    s.add(t0, node, w.invoke, {{w.f, kRead}, {w.key, key}});
    s.add(t1, node, w.ok, {{w.f, kRead}, {w.key, key}, {w.value, v}});
  }
  CheckResult run(const std::string& model, double end_s = 100,
                  std::optional<int64_t> max_steps = std::nullopt) {
    sim::CheckerConfig config;
    config.name = "linearizable";
    config.params.set("model", model);
    if (max_steps.has_value()) config.params.set("max_steps", *max_steps);
    std::unique_ptr<Checker> checker = make_checker(config);
    s.feed(*checker, end_s);
    return checker->result();
  }
};

TEST_F(History, ATraceWithoutAHistory_IsInconclusiveAndSaysSo) {
  Script plain;  // the catalog's vocabulary: no protocol declares op.* there
  plain.add(1, "c1", obs::lock_acquired, {{fld::token, 1}});
  sim::CheckerConfig config;
  config.name = "linearizable";
  std::unique_ptr<Checker> checker = make_checker(config);
  plain.feed(*checker, 10);
  const CheckResult r = checker->result();
  EXPECT_EQ(r.verdict, sim::Verdict::inconclusive);
  EXPECT_NE(r.explanation.find("No history in this trace"), std::string::npos) << r.explanation;
}

TEST_F(History, ConcurrentReadsAndWrites_Hold) {
  write(1, 2, "c1", 1);
  s.add(3, "c1", w.invoke, {{w.f, kWrite}, {w.key, 0}, {w.value, 2}});
  read(3.5, 4, "c2", 1);  // concurrent with the write of 2: may see 1
  s.add(5, "c1", w.ok, {{w.f, kWrite}, {w.key, 0}, {w.value, 2}});
  read(6, 7, "c3", 2);
  const CheckResult r = run("register");
  EXPECT_EQ(r.verdict, sim::Verdict::holds) << r.explanation;
}

TEST_F(History, AStaleRead_IsViolatedWithTheOpsAsEvidence) {
  write(1, 2, "c1", 1);
  write(3, 4, "c1", 2);
  read(5, 6, "c2", 1);
  const CheckResult r = run("register");
  ASSERT_EQ(r.verdict, sim::Verdict::violated);
  EXPECT_NE(r.explanation.find("c2 read -> 1 (invoked at 5.000s, completed at 6.000s)"),
            std::string::npos)
      << r.explanation;
  ASSERT_TRUE(r.deciding.has_value());
  EXPECT_EQ(r.evidence[*r.deciding].kind, w.ok);
  EXPECT_EQ(r.evidence[*r.deciding].at, secs(6));
  EXPECT_EQ(r.evidence[*r.deciding].node, static_cast<sim::NodeIndex>(s.n("c2")));
  ASSERT_TRUE(r.interval.has_value());
  EXPECT_EQ(r.interval->to, secs(6));
  EXPECT_LE(r.interval->from, secs(3)) << "the write of 2 is part of the window";
}

TEST_F(History, ACrashLeavesTheOpenOpUnknown) {
  s.add(1, "c1", w.invoke, {{w.f, kWrite}, {w.key, 0}, {w.value, 5}});
  s.add(2, "c1", sim::Kind::fault_crash);
  // After its restart c1 runs a new op: legal only because the crash closed the old one.
  read(5, 6, "c1", 5);
  read(7, 8, "c2", 5);
  const CheckResult r = run("register");
  EXPECT_EQ(r.verdict, sim::Verdict::holds) << r.explanation;
}

TEST_F(History, AnInfoOpMayTakeEffectOrNot_AFailedOneNever) {
  s.add(1, "c1", w.invoke, {{w.f, kWrite}, {w.key, 0}, {w.value, 5}});
  s.add(2, "c1", w.info, {{w.f, kWrite}, {w.key, 0}});
  read(3, 4, "c2", 5);
  EXPECT_EQ(run("register").verdict, sim::Verdict::holds);
  Script failed;
  failed.vocabulary(w.vocabulary);
  s = failed;
  s.add(1, "c1", w.invoke, {{w.f, kWrite}, {w.key, 0}, {w.value, 5}});
  s.add(2, "c1", w.fail, {{w.f, kWrite}, {w.key, 0}});
  read(3, 4, "c2", 5);
  EXPECT_EQ(run("register").verdict, sim::Verdict::violated);
}

TEST_F(History, EachKeyIsCheckedAlone) {
  write(1, 2, "c1", 1, /*key=*/10);
  read(3, 4, "c2", 1, /*key=*/10);
  write(5, 6, "c1", 2, /*key=*/20);
  read(7, 8, "c2", 1, /*key=*/20);
  const CheckResult r = run("register");
  ASSERT_EQ(r.verdict, sim::Verdict::violated);
  EXPECT_NE(r.explanation.find("On key '20'"), std::string::npos) << r.explanation;
}

TEST_F(History, TheLockModel_FindsTwoHolders) {
  s.add(1, "c1", w.invoke, {{w.f, kAcquire}, {w.key, 0}});
  s.add(2, "c1", w.ok, {{w.f, kAcquire}, {w.key, 0}, {w.value, 1}});
  s.add(3, "c2", w.invoke, {{w.f, kAcquire}, {w.key, 0}});
  s.add(4, "c2", w.ok, {{w.f, kAcquire}, {w.key, 0}, {w.value, 2}});
  const CheckResult r = run("lock");
  ASSERT_EQ(r.verdict, sim::Verdict::violated);
  EXPECT_NE(r.explanation.find("held by c1"), std::string::npos) << r.explanation;
  s.add(5, "c2", w.invoke, {{w.f, kRelease}, {w.key, 0}});
  EXPECT_EQ(run("lock").verdict, sim::Verdict::violated);
}

TEST_F(History, TheCasModel_ChecksTheExpectedValue) {
  write(1, 2, "c1", 0);
  s.add(3, "c2", w.invoke, {{w.f, kCas}, {w.key, 0}, {w.value, 1}, {w.expect, 0}});
  s.add(4, "c2", w.ok, {{w.f, kCas}, {w.key, 0}});
  s.add(5, "c3", w.invoke, {{w.f, kCas}, {w.key, 0}, {w.value, 2}, {w.expect, 0}});
  s.add(6, "c3", w.ok, {{w.f, kCas}, {w.key, 0}});
  EXPECT_EQ(run("cas").verdict, sim::Verdict::violated);
}

TEST_F(History, AnOpTheModelDoesNotKnow_IsInconclusiveNamingTheParam) {
  read(1, 2, "c1", 0);
  const CheckResult r = run("lock");
  EXPECT_EQ(r.verdict, sim::Verdict::inconclusive);
  EXPECT_NE(r.explanation.find("a read is not an operation of the lock model"), std::string::npos)
      << r.explanation;
}

TEST_F(History, AMalformedHistory_IsInconclusiveWithWhereAndWhy) {
  s.add(1, "c1", w.ok, {{w.f, kRead}, {w.key, 0}, {w.value, 1}});
  const CheckResult r = run("register");
  EXPECT_EQ(r.verdict, sim::Verdict::inconclusive);
  EXPECT_NE(r.explanation.find("malformed at 1.000s (c1 op.ok): 'c1' completes an op (ok) it "
                               "never invoked"),
            std::string::npos)
      << r.explanation;
}

TEST_F(History, TheStepBound_IsAParam) {
  for (int i = 0; i < 3; ++i) {
    const std::string node = "c" + std::to_string(i + 1);
    s.add(1 + 0.1 * i, node, w.invoke, {{w.f, kWrite}, {w.key, 0}, {w.value, i}});
  }
  for (int i = 0; i < 3; ++i) {
    s.add(5, "c" + std::to_string(i + 1), w.ok, {{w.f, kWrite}, {w.key, 0}, {w.value, i}});
  }
  read(6, 7, "c1", 9);
  EXPECT_EQ(run("register").verdict, sim::Verdict::violated);
  const CheckResult r = run("register", 100, 3);
  EXPECT_EQ(r.verdict, sim::Verdict::inconclusive);
  EXPECT_NE(r.explanation.find("bound of 3 steps"), std::string::npos) << r.explanation;
}

TEST(LinearizableRegistry, DeclaresItsParams) {
  bool found = false;
  for (const sim::CheckerSpec& spec : checker_specs()) {
    if (spec.name != "linearizable") continue;
    found = true;
    ASSERT_EQ(spec.params.size(), 2u);
    EXPECT_EQ(spec.params[0].name, "model");
    EXPECT_EQ(spec.params[0].choices, "lock|register|cas|mixed");
    EXPECT_EQ(spec.params[1].name, "max_steps");
  }
  EXPECT_TRUE(found);
  sim::CheckerConfig bad;
  bad.name = "linearizable";
  bad.params.set("model", std::string("queue"));
  EXPECT_THROW(make_checker(bad), std::invalid_argument);
}

}  // namespace
}  // namespace lockstep::checkers::testing
