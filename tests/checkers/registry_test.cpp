// The checker table: the names and params the loader and `lockstep list` rely on.
#include <gtest/gtest.h>

#include <stdexcept>

#include "checkers/checker.hpp"

namespace lockstep::checkers {
namespace {

TEST(CheckerRegistry, Specs_ListTheThreeCheckersWithLivenessWithin) {
  const std::vector<sim::CheckerSpec> specs = checker_specs();
  ASSERT_EQ(specs.size(), 3u);
  EXPECT_EQ(specs[0].name, "mutual_exclusion");
  EXPECT_EQ(specs[1].name, "fenced_writes");
  EXPECT_EQ(specs[2].name, "liveness");
  EXPECT_TRUE(specs[0].params.empty());
  EXPECT_TRUE(specs[1].params.empty());
  ASSERT_EQ(specs[2].params.size(), 1u);
  EXPECT_EQ(specs[2].params[0].name, "within");
  EXPECT_EQ(specs[2].params[0].type, sim::ParamType::duration);
  EXPECT_EQ(specs[2].params[0].default_yaml, "10s");
  for (const sim::CheckerSpec& spec : specs) EXPECT_FALSE(spec.meaning.empty()) << spec.name;
}

TEST(CheckerRegistry, MakeChecker_BuildsEveryListedChecker) {
  for (const sim::CheckerSpec& spec : checker_specs()) {
    sim::CheckerConfig config;
    config.name = std::string(spec.name);
    EXPECT_NE(make_checker(config), nullptr) << spec.name;
  }
}

TEST(CheckerRegistry, MakeChecker_UnknownNameThrows) {
  sim::CheckerConfig config;
  config.name = "mutual_exclusoin";
  EXPECT_THROW(make_checker(config), std::invalid_argument);
}

}  // namespace
}  // namespace lockstep::checkers
