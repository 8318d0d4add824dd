// The linearizability search on hand-written histories (Herlihy & Wing 1990 §2 for the
// definition; Lowe 2017 for the search) and on random histories generated from a sequential
// execution, which are linearizable by construction until one result is corrupted.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "checkers/linearizable/search.hpp"
#include "tests/checkers/linearizable_test_history.hpp"

namespace lockstep::checkers::linearizable::testing {
namespace {

Result verdict(const History& h, Model m, Limits limits = {}) { return check(h, m, limits).result; }

// ---- register ----------------------------------------------------------------------------

TEST(LinearizableRegister, SequentialReadsOfTheLastWrite_Linearizable) {
  const History h =
      Hist().read("c1", kNil, 0, 5).write("c1", 1, 10, 20).read("c2", 1, 30, 40).done();
  EXPECT_EQ(verdict(h, Model::register_), Result::linearizable);
}

TEST(LinearizableRegister, StaleReadAfterANewerWriteCompleted_NotLinearizable) {
  const History h = Hist()
                        .write("c1", 1, 0, 10)
                        .write("c1", 2, 20, 30)
                        .read("c2", 1, 40, 50)  // c1's write of 2 had completed
                        .done();
  const Report r = check(h, Model::register_);
  ASSERT_EQ(r.result, Result::not_linearizable);
  EXPECT_EQ(r.culprit, 2u) << "the stale read is what cannot take effect";
  EXPECT_EQ(r.state, 2);
  ASSERT_FALSE(r.closest.empty());
  EXPECT_EQ(r.closest.back(), 1u);
  EXPECT_NE(std::find(r.window.begin(), r.window.end(), 2u), r.window.end());
  const std::string text = explain(r, h, Model::register_);
  EXPECT_NE(text.find("c2 read -> 1"), std::string::npos) << text;
  EXPECT_NE(text.find("the value is 2 by then"), std::string::npos) << text;
}

TEST(LinearizableRegister, ReadConcurrentWithAWrite_MaySeeEitherValue) {
  for (int64_t seen : {1, 2}) {
    const History h =
        Hist().write("c1", 1, 0, 5).write("c1", 2, 10, 30).read("c2", seen, 12, 18).done();
    EXPECT_EQ(verdict(h, Model::register_), Result::linearizable) << "read " << seen;
  }
  const History never =
      Hist().write("c1", 1, 0, 5).write("c1", 2, 10, 30).read("c2", 3, 12, 18).done();
  EXPECT_EQ(verdict(never, Model::register_), Result::not_linearizable);
}

TEST(LinearizableRegister, OpsThatOnlyTouchAtAnInstant_AreConcurrent) {
  // The write completes at 10 and the read is invoked at 10: either order is allowed.
  const History h = Hist().write("c1", 1, 0, 10).read("c2", kNil, 10, 20).done();
  EXPECT_EQ(verdict(h, Model::register_), Result::linearizable);
  const History apart = Hist().write("c1", 1, 0, 10).read("c2", kNil, 11, 20).done();
  EXPECT_EQ(verdict(apart, Model::register_), Result::not_linearizable);
}

TEST(LinearizableRegister, NewThenOldInversionBetweenTwoReaders_NotLinearizable) {
  // Both reads overlap the write of 1, but once c2 saw 1, c3's later read cannot see 0.
  const History h = Hist()
                        .write("c1", 0, 0, 5)
                        .write("c1", 1, 10, 100)
                        .read("c2", 1, 20, 30)
                        .read("c3", 0, 40, 50)
                        .done();
  EXPECT_EQ(verdict(h, Model::register_), Result::not_linearizable);
  const History swapped = Hist()
                              .write("c1", 0, 0, 5)
                              .write("c1", 1, 10, 100)
                              .read("c2", 0, 20, 30)
                              .read("c3", 1, 40, 50)
                              .done();
  EXPECT_EQ(verdict(swapped, Model::register_), Result::linearizable);
}

TEST(LinearizableRegister, UnknownWrite_MayTakeEffectLateOrNever) {
  const History late = Hist()
                           .write("c1", 1, 10, 20, Outcome::info)
                           .read("c2", kNil, 30, 40)
                           .read("c2", 1, 500, 510)
                           .done();
  EXPECT_EQ(verdict(late, Model::register_), Result::linearizable);
  const History never =
      Hist().write("c1", 1, 10, 20, Outcome::info).read("c2", kNil, 500, 510).done();
  EXPECT_EQ(verdict(never, Model::register_), Result::linearizable);
}

TEST(LinearizableRegister, UnknownWrite_CannotTakeEffectBeforeItsInvocation) {
  const History h = Hist().read("c2", 1, 0, 5).write("c1", 1, 10, 20, Outcome::info).done();
  EXPECT_EQ(verdict(h, Model::register_), Result::not_linearizable);
}

TEST(LinearizableRegister, FailedWrite_NeverTakesEffect) {
  const History h = Hist().write("c1", 1, 0, 10, Outcome::fail).read("c2", 1, 20, 30).done();
  EXPECT_EQ(verdict(h, Model::register_), Result::not_linearizable);
}

// ---- compare-and-set --------------------------------------------------------------------

TEST(LinearizableCas, TwoConcurrentCasFromOneValue_OnlyOneMaySucceed) {
  const History both =
      Hist().write("c1", 0, 0, 5).cas("c1", 0, 1, 10, 30).cas("c2", 0, 2, 15, 25).done();
  EXPECT_EQ(verdict(both, Model::cas), Result::not_linearizable);
  const History one = Hist()
                          .write("c1", 0, 0, 5)
                          .cas("c1", 0, 1, 10, 30)
                          .cas("c2", 0, 2, 15, 25, Outcome::fail)
                          .read("c3", 1, 40, 50)
                          .done();
  EXPECT_EQ(verdict(one, Model::cas), Result::linearizable);
}

TEST(LinearizableCas, CasChainsInRealTimeOrder) {
  const History h = Hist()
                        .write("c1", 0, 0, 5)
                        .cas("c2", 0, 1, 10, 20)
                        .cas("c3", 1, 2, 30, 40)
                        .read("c1", 2, 50, 60)
                        .done();
  EXPECT_EQ(verdict(h, Model::cas), Result::linearizable);
  const History stale =
      Hist().write("c1", 0, 0, 5).cas("c2", 0, 1, 10, 20).cas("c3", 0, 2, 30, 40).done();
  const Report r = check(stale, Model::cas);
  ASSERT_EQ(r.result, Result::not_linearizable);
  EXPECT_EQ(r.culprit, 2u);
  EXPECT_NE(explain(r, stale, Model::cas).find("compare-and-set succeeded"), std::string::npos);
}

// ---- lock ------------------------------------------------------------------------------------

TEST(LinearizableLock, AcquireReleaseAcquire_Linearizable) {
  const History h = Hist().acquire("c1", 0, 10).release("c1", 12, 15).acquire("c2", 20, 30).done();
  EXPECT_EQ(verdict(h, Model::lock), Result::linearizable);
}

TEST(LinearizableLock, TwoHoldersWithoutARelease_NotLinearizable) {
  const History h = Hist().acquire("c1", 0, 10).acquire("c2", 20, 30).done();
  const Report r = check(h, Model::lock);
  ASSERT_EQ(r.result, Result::not_linearizable);
  EXPECT_EQ(r.culprit, 1u);
  EXPECT_NE(explain(r, h, Model::lock).find("held by c1"), std::string::npos)
      << explain(r, h, Model::lock);
}

TEST(LinearizableLock, AcquireConcurrentWithTheRelease_Linearizable) {
  const History h = Hist().acquire("c1", 0, 10).release("c1", 10, 30).acquire("c2", 20, 25).done();
  EXPECT_EQ(verdict(h, Model::lock), Result::linearizable);
}

TEST(LinearizableLock, ReleaseByANonHolder_NotLinearizable) {
  const History h = Hist().acquire("c1", 0, 10).release("c2", 20, 30).done();
  EXPECT_EQ(verdict(h, Model::lock), Result::not_linearizable);
}

TEST(LinearizableLock, UnknownAcquireOfACrashedClient_NeedNotHaveTakenEffect) {
  const History h =
      Hist().acquire("c1", 0, 10, Outcome::info).acquire("c2", 20, 30).release("c2", 40, 50).done();
  EXPECT_EQ(verdict(h, Model::lock), Result::linearizable);
  // c2 holds the lock to the end: c1's acquire can only never have taken effect.
  const History held = Hist().acquire("c1", 0, 10, Outcome::info).acquire("c2", 20, 30).done();
  EXPECT_EQ(verdict(held, Model::lock), Result::linearizable);
}

TEST(LinearizableLock, OpsOfTheSameClientNeverOverlap) {
  HistoryBuilder b;
  const size_t c1 = b.process("c1");
  const size_t l = b.key("l");
  ASSERT_TRUE(b.invoke(c1, Fn::acquire, l, kNil, kNil, 0, 0).ok());
  const HistoryBuilder::Problem p = b.invoke(c1, Fn::release, l, kNil, kNil, 5, 1);
  EXPECT_EQ(p.field, "process");
  EXPECT_NE(p.text.find("still open"), std::string::npos) << p.text;
}

// ---- mixed: a lock key and a register key in one history ------------------------------------

// The paused-holder shape: c1 holds the lock and updates the register from its own last value;
// c2 is granted the lock while c1 still believes it holds it, and overwrites; c1's next update,
// invoked after c2's write completed, succeeds against a value no longer there.
History paused_holder(Outcome stale) {
  return Hist()
      .acquire("c1", 0, 10)
      .write("c1", 11, 12, 15, Outcome::ok, "r")
      .acquire("c2", 20, 30)
      .write("c2", 21, 31, 35, Outcome::ok, "r")
      .cas("c1", 11, 12, 40, 45, stale, "r")
      .done();
}

TEST(LinearizableMixed, EachKeyIsCheckedAgainstTheModelOfItsOps) {
  const History h = paused_holder(Outcome::ok);
  const Report r = check(h, Model::mixed);
  ASSERT_EQ(r.result, Result::not_linearizable);
  const std::string text = explain(r, h, Model::mixed);
  // The lock key is found first and explained as a lock; the register is named after it.
  EXPECT_NE(text.find("On key 'l'"), std::string::npos) << text;
  EXPECT_NE(text.find("held by c1"), std::string::npos) << text;
  ASSERT_EQ(r.also_violated.size(), 1u);
  EXPECT_EQ(h.keys[r.also_violated[0].key], "r");
  EXPECT_EQ(r.also_violated[0].culprit, 4u);  // c1's stale update
  EXPECT_NE(text.find("Key 'r' is not linearizable either: c1 cas 11->12"), std::string::npos)
      << text;
  EXPECT_NE(text.find("succeeded against a value that was not there"), std::string::npos) << text;
}

TEST(LinearizableMixed, AStaleUpdateRefusedByFencing_LeavesOnlyTheLockViolated) {
  const History h = paused_holder(Outcome::fail);
  const Report r = check(h, Model::mixed);
  ASSERT_EQ(r.result, Result::not_linearizable);
  EXPECT_EQ(h.keys[r.key], "l");
  EXPECT_TRUE(r.also_violated.empty());
  // Without the lock ops, the register alone is linearizable with the refused update and not
  // without it.
  const History reg_ok = Hist()
                             .write("c1", 11, 12, 15, Outcome::ok, "r")
                             .write("c2", 21, 31, 35, Outcome::ok, "r")
                             .cas("c1", 11, 12, 40, 45, Outcome::fail, "r")
                             .done();
  EXPECT_EQ(verdict(reg_ok, Model::mixed), Result::linearizable);
  const History reg_bad = Hist()
                              .write("c1", 11, 12, 15, Outcome::ok, "r")
                              .write("c2", 21, 31, 35, Outcome::ok, "r")
                              .cas("c1", 11, 12, 40, 45, Outcome::ok, "r")
                              .done();
  const Report bad = check(reg_bad, Model::mixed);
  ASSERT_EQ(bad.result, Result::not_linearizable);
  EXPECT_NE(explain(bad, reg_bad, Model::mixed).find("compare-and-set succeeded"),
            std::string::npos);
}

TEST(LinearizableKeys, AKeyWithLockAndRegisterOps_IsMalformed) {
  HistoryBuilder b;
  const size_t c1 = b.process("c1");
  const size_t k = b.key("k");
  ASSERT_TRUE(b.invoke(c1, Fn::acquire, k, kNil, kNil, 0, 0).ok());
  ASSERT_TRUE(b.complete(c1, Outcome::ok, Fn::acquire, k, kNil, 5, 1).ok());
  const HistoryBuilder::Problem p = b.invoke(c1, Fn::write, k, 3, kNil, 10, 2);
  EXPECT_EQ(p.field, "key");
  EXPECT_EQ(p.text,
            "key 'k' has lock operations (acquire, release), so it takes no write; a key is a "
            "lock or a register");
}

// ---- per key, memo, bound --------------------------------------------------------------------

TEST(LinearizableKeys, EachKeyIsItsOwnRegister) {
  // Mixing the keys into one register would make the read of y see x's write.
  const History h = Hist()
                        .write("c1", 1, 0, 10, Outcome::ok, "x")
                        .read("c2", kNil, 20, 30, Outcome::ok, "y")
                        .read("c2", 1, 40, 50, Outcome::ok, "x")
                        .done();
  EXPECT_EQ(verdict(h, Model::register_), Result::linearizable);
  const History bad = Hist()
                          .write("c1", 1, 0, 10, Outcome::ok, "x")
                          .write("c1", 7, 20, 30, Outcome::ok, "y")
                          .read("c2", 1, 40, 50, Outcome::ok, "y")
                          .done();
  const Report r = check(bad, Model::register_);
  ASSERT_EQ(r.result, Result::not_linearizable);
  EXPECT_EQ(bad.keys[r.key], "y");
  EXPECT_EQ(r.keys, 2u);
}

TEST(LinearizableSearch, ManyConcurrentWrites_TheMemoKeepsTheSearchSmall) {
  // 12 overlapping writes, then a read of a value none wrote: 12! orders, 2^12 x 12 memo states.
  Hist hist;
  for (int i = 0; i < 12; ++i) hist.write("c" + std::to_string(i), i, i, 1000);
  hist.read("r", 99, 2000, 2010);
  const History h = hist.done();
  const Report r = check(h, Model::register_);
  EXPECT_EQ(r.result, Result::not_linearizable);
  EXPECT_LT(r.steps, 2'000'000u) << "without the memo this would be 12! orders";
  EXPECT_EQ(r.culprit, 12u);
}

TEST(LinearizableSearch, TheStepBound_GivesInconclusiveWithTheReason) {
  Hist hist;
  for (int i = 0; i < 12; ++i) hist.write("c" + std::to_string(i), i, i, 1000);
  hist.read("r", 99, 2000, 2010);
  const History h = hist.done();
  Limits tight;
  tight.max_steps = 100;
  const Report r = check(h, Model::register_, tight);
  ASSERT_EQ(r.result, Result::inconclusive);
  EXPECT_EQ(r.steps, 101u);
  const std::string text = explain(r, h, Model::register_);
  EXPECT_NE(text.find("the search reached its bound of 100 steps"), std::string::npos) << text;
  EXPECT_NE(text.find("key 'x'"), std::string::npos) << text;
}

TEST(LinearizableSearch, TheMemoBound_GivesInconclusive) {
  Hist hist;
  for (int i = 0; i < 12; ++i) hist.write("c" + std::to_string(i), i, i, 1000);
  hist.read("r", 99, 2000, 2010);
  const History h = hist.done();
  Limits tight;
  tight.max_memo_bytes = 64 << 10;
  const Report r = check(h, Model::register_, tight);
  ASSERT_EQ(r.result, Result::inconclusive);
  EXPECT_NE(r.reason.find("memo"), std::string::npos) << r.reason;
}

TEST(LinearizableSearch, AnUndecidedKeyDoesNotHideAViolationOnAnother) {
  Hist hist;
  for (int i = 0; i < 12; ++i) hist.write("c" + std::to_string(i), i, i, 1000, Outcome::ok, "a");
  hist.read("r", 99, 2000, 2010, Outcome::ok, "a");
  hist.write("w", 1, 0, 10, Outcome::ok, "b").read("v", 2, 20, 30, Outcome::ok, "b");
  const History h = hist.done();
  Limits tight;
  tight.max_memo_bytes = 64 << 10;
  const Report r = check(h, Model::register_, tight);
  ASSERT_EQ(r.result, Result::not_linearizable);
  EXPECT_EQ(h.keys[r.key], "b");
}

// ---- random histories from sequential executions ---------------------------------------------

struct Generated {
  History history;
  std::vector<size_t> reads_ok;  // indices of ok reads (corruption targets)
};

// `n` ops over `keys` keys of a cas register by `procs` processes, each op taking effect at
// 10 * i in a sequential execution and observed over an interval around that instant; process
// p runs ops p, p + procs, ..., so its intervals never overlap. Some ops end with an unknown
// outcome, some unknown writes never take effect, and a cas whose compare failed is a fail.
Generated generate(uint64_t seed, int n, int procs, int keys, int info_per_10 = 1) {
  std::mt19937_64 rng(seed);
  auto below = [&](uint64_t k) { return static_cast<int64_t>(rng() % k); };
  std::vector<int64_t> state(static_cast<size_t>(keys), kNil);
  HistoryBuilder b;
  Generated g;
  const int64_t reach = 5 * procs - 1;
  for (int i = 0; i < n; ++i) {
    const size_t p = b.process("c" + std::to_string(i % procs));
    const size_t k = b.key("k" + std::to_string(below(static_cast<uint64_t>(keys))));
    const int64_t at = 10 * static_cast<int64_t>(i) + 100;
    const int64_t t0 = at - below(static_cast<uint64_t>(reach) + 1);
    const int64_t t1 = at + below(static_cast<uint64_t>(reach) + 1);
    const int64_t kind = below(10);
    int64_t& s = state[k];
    Outcome o = Outcome::ok;
    if (kind < 4) {  // read
      EXPECT_TRUE(b.invoke(p, Fn::read, k, kNil, kNil, t0, -1).ok());
      g.reads_ok.push_back(b.open(p).value());
      EXPECT_TRUE(b.complete(p, o, Fn::read, k, s, t1, -1).ok());
      continue;
    }
    const int64_t v = 1000 * i;
    const bool is_cas = kind >= 7;
    const int64_t expect = below(2) == 0 ? s : s + 1;  // matches or, usually, does not
    if (below(10) < info_per_10) o = Outcome::info;
    const bool takes_effect = !is_cas || expect == s;
    if (!takes_effect) o = Outcome::fail;
    if (o == Outcome::info && below(3) == 0) {
      // An unknown write that never took effect: its value is never read.
      EXPECT_TRUE(b.invoke(p, Fn::write, k, v + 1, kNil, t0, -1).ok());
      EXPECT_TRUE(b.complete(p, o, Fn::write, k, std::nullopt, t1, -1).ok());
      continue;
    }
    EXPECT_TRUE(b.invoke(p, is_cas ? Fn::cas : Fn::write, k, v, expect, t0, -1).ok());
    EXPECT_TRUE(b.complete(p, o, std::nullopt, k, std::nullopt, t1, -1).ok());
    if (takes_effect) s = v;
  }
  g.history = b.finish();
  return g;
}

TEST(LinearizableRandom, HistoriesOfASequentialExecution_AreLinearizable_UntilOneReadLies) {
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    Generated g = generate(seed, 300, 5, 3);
    ASSERT_FALSE(g.reads_ok.empty());
    const Report good = check(g.history, Model::cas);
    ASSERT_EQ(good.result, Result::linearizable)
        << "seed " << seed << ": " << explain(good, g.history, Model::cas);
    // A read that returns a value no op ever wrote cannot be linearized anywhere.
    const size_t victim = g.reads_ok[seed % g.reads_ok.size()];
    g.history.ops[victim].value = 7;
    const Report bad = check(g.history, Model::cas);
    ASSERT_EQ(bad.result, Result::not_linearizable) << "seed " << seed;
    EXPECT_EQ(bad.key, g.history.ops[victim].key) << "seed " << seed;
    EXPECT_EQ(bad.culprit, victim)
        << "seed " << seed << ": " << explain(bad, g.history, Model::cas);
  }
}

TEST(LinearizableRandom, ManyUnknownOutcomes_StayLinearizable_UntilOneReadLies) {
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    Generated g = generate(seed, 150, 8, 2, /*info_per_10=*/4);
    ASSERT_FALSE(g.reads_ok.empty());
    const Report good = check(g.history, Model::cas);
    ASSERT_EQ(good.result, Result::linearizable)
        << "seed " << seed << ": " << explain(good, g.history, Model::cas);
    const size_t victim = g.reads_ok[seed % g.reads_ok.size()];
    g.history.ops[victim].value = 7;
    EXPECT_EQ(check(g.history, Model::cas).result, Result::not_linearizable) << "seed " << seed;
  }
}

TEST(LinearizableSearch, UnknownWritesNobodyObserved_AreLeftOut) {
  // 40 unknown writes of values no read returns, all open at once: each could take effect
  // anywhere, 2^40 subsets, unless they are left out.
  Hist hist;
  for (int i = 0; i < 40; ++i)
    hist.write("w" + std::to_string(i), 100 + i, i, i + 1, Outcome::info);
  hist.write("c1", 1, 50, 60).read("c2", 1, 70, 80).write("c1", 2, 90, 100).read("c2", 2, 110, 120);
  hist.write("u", 3, 130, 140, Outcome::info).read("c2", 3, 150, 160);  // observed: kept
  const History h = hist.done();
  const Report r = check(h, Model::register_);
  EXPECT_EQ(r.result, Result::linearizable);
  EXPECT_EQ(r.left_out, 40u);
  EXPECT_LT(r.steps, 100u);
}

TEST(LinearizableSearch, AnUnknownWriteIsSetAsideAfterItsLastObserver) {
  // 16 unknown writes, each of a value another write also writes and a read then returns; a final
  // read no order allows. Were each unknown write still free to take effect until the end, the
  // failure would try all 2^16 subsets of them.
  Hist hist;
  for (int i = 0; i < 16; ++i) {
    hist.write("c", i, 100 * i, 100 * i + 5);
    hist.write("w" + std::to_string(i), i, 100 * i, 100 * i + 10, Outcome::info);
    hist.read("r", i, 100 * i + 20, 100 * i + 30);
  }
  hist.read("r", 999, 5000, 5010);
  const History h = hist.done();
  const Report r = check(h, Model::register_);
  EXPECT_EQ(r.result, Result::not_linearizable);
  EXPECT_EQ(r.left_out, 0u);
  EXPECT_LT(r.steps, 1000u);
}

TEST(LinearizableLock, AnUnknownAcquireItsProcessReleasesLater_IsKept) {
  // c1's release succeeded, so its unknown acquire must have taken effect first.
  const History h = Hist().acquire("c1", 0, 10, Outcome::info).release("c1", 20, 30).done();
  const Report r = check(h, Model::lock);
  EXPECT_EQ(r.result, Result::linearizable);
  EXPECT_EQ(r.left_out, 0u);
  const History blocked =
      Hist().acquire("c1", 0, 10, Outcome::info).acquire("c2", 12, 14).release("c1", 20, 30).done();
  EXPECT_EQ(verdict(blocked, Model::lock), Result::not_linearizable);
}

}  // namespace
}  // namespace lockstep::checkers::linearizable::testing
