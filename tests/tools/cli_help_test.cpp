// `lockstep CMD --help` for every command, and `lockstep --version`: what a user types first.
#include <gtest/gtest.h>

#include <string>

#include "sim/core/trace.hpp"
#include "tests/support/support.hpp"

namespace {

using lockstep::testing::run_lockstep;

class CommandHelp : public ::testing::TestWithParam<std::string> {};

// Each command answers --help (and -h) with exit 0, its own synopsis, and its options; before
// this, `run --help` was "unrecognised option" and exit 2.
TEST_P(CommandHelp, PrintsTheCommandsSynopsisAndOptionsAndExitsZero) {
  const std::string command = GetParam();
  for (const char* flag : {"--help", "-h"}) {
    const auto r = run_lockstep(command + " " + flag);
    EXPECT_EQ(r.exit_code, 0) << command << " " << flag << "\n" << r.out;
    EXPECT_NE(r.out.find("usage: lockstep " + command), std::string::npos) << r.out;
    if (command != "list") {
      EXPECT_NE(r.out.find(command + " options"), std::string::npos) << r.out;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Every, CommandHelp,
                         ::testing::Values("run", "explore", "merge", "replay", "shrink", "check",
                                           "live", "docs", "list"));

// `docs check --help` says what a page may claim, not only which flags exist (issue 15).
TEST(DocsHelp, ListsTheClaimFormsAndTheCacheOptions) {
  const auto r = run_lockstep("docs check --help");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  for (const char* part :
       {"`CHECKER: holds on 500/500 seeds`", "`CHECKER: violated on >= 1 of 2000 seeds`",
        "`p99(METRIC) <= 15s over 500 seeds`", "`PARAM = VALUE`", "lockstep:tables",
        "lockstep:dashboard", "page:line", "--no-cache", "--cache"}) {
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
  }
}

TEST(Version, NamesTheProgramTheTraceHashAndTheTimelineDataVersions) {
  const auto r = run_lockstep("--version");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("lockstep 0."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("trace hash: version " + std::to_string(lockstep::sim::kTraceHashVersion)),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("timeline data: version 3"), std::string::npos) << r.out;
}

TEST(Usage, ListsEveryCommandAndPointsAtPerCommandHelp) {
  const auto r = run_lockstep("");
  EXPECT_EQ(r.exit_code, 2);
  for (const char* c :
       {"run ", "explore ", "merge ", "replay ", "shrink ", "check ", "live ", "docs ", "list"}) {
    EXPECT_NE(r.out.find(std::string("  ") + c), std::string::npos) << c << "\n" << r.out;
  }
  EXPECT_NE(r.out.find("--help for one"), std::string::npos);
}

}  // namespace
