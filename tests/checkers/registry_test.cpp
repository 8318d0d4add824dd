// The checker table: the names and params the loader and `lockstep list` rely on.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "checkers/checker.hpp"

namespace lockstep::checkers {
namespace {

TEST(CheckerRegistry, Specs_ListEveryCheckerAndTheLivenessCheckersTakeWithin) {
  const std::vector<sim::CheckerSpec> specs = checker_specs();
  const std::vector<std::string> names = {"mutual_exclusion", "fenced_writes", "liveness",
                                          "election_safety",  "single_leader", "leader_liveness",
                                          "linearizable",     "fairness",      "log_safety"};
  ASSERT_EQ(specs.size(), names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(specs[i].name, names[i]);
    EXPECT_FALSE(specs[i].meaning.empty()) << names[i];
    const bool takes_within = names[i] == "liveness" || names[i] == "leader_liveness";
    if (names[i] == "linearizable") continue;  // its params: linearizable_checker_test.cpp
    if (!takes_within) {
      EXPECT_TRUE(specs[i].params.empty()) << names[i];
      continue;
    }
    ASSERT_EQ(specs[i].params.size(), 1u) << names[i];
    EXPECT_EQ(specs[i].params[0].name, "within");
    EXPECT_EQ(specs[i].params[0].type, sim::ParamType::duration);
    EXPECT_EQ(specs[i].params[0].default_yaml, "10s");
  }
}

TEST(CheckerRegistry, MakeChecker_NonPositiveWithinThrows) {
  sim::CheckerConfig config;
  config.name = "leader_liveness";
  config.params.set("within", sim::Duration::zero());
  EXPECT_THROW(make_checker(config), std::invalid_argument);
}

TEST(CheckerRegistry, MakeChecker_BuildsEveryListedCheckerUnderItsOwnName) {
  for (const sim::CheckerSpec& spec : checker_specs()) {
    sim::CheckerConfig config;
    config.name = std::string(spec.name);
    std::unique_ptr<Checker> checker;
    ASSERT_NO_THROW(checker = make_checker(config)) << spec.name;
    ASSERT_NE(checker, nullptr) << spec.name;
    // An empty run: the checker that answers is the one asked for.
    sim::TraceInfo info;
    checker->begin(info);
    checker->end(sim::Instant{1'000'000'000});
    EXPECT_EQ(checker->result().checker, spec.name);
  }
}

TEST(CheckerRegistry, MakeChecker_UnknownNameThrows) {
  sim::CheckerConfig config;
  config.name = "mutual_exclusoin";
  EXPECT_THROW(make_checker(config), std::invalid_argument);
}

}  // namespace
}  // namespace lockstep::checkers
