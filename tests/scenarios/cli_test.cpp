// The `lockstep` binary as a user runs it: exit codes, error messages for malformed input,
// what a run prints, and determinism across two separate processes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/support.hpp"

namespace {

namespace fs = std::filesystem;
using lockstep::testing::read_file;
using Result = lockstep::testing::CliResult;

Result lockstep(const std::string& args) { return lockstep::testing::run_lockstep(args); }

TEST(Cli, PauseWithoutFencingMeetsExpectationsAndNamesWhoDidWhat) {
  const Result r = lockstep("run scenarios/lease-lock/pause-without-fencing.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  // The paused client, the overlapping holder and the stale write that was accepted.
  EXPECT_NE(r.out.find("paused"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("c1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("c2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("resource.write"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lockstep run scenarios/lease-lock/pause-without-fencing.yaml --seed 1"),
            std::string::npos);
  EXPECT_TRUE(std::regex_search(r.out, std::regex("hash +[0-9a-f]{16}")));
}

TEST(Cli, AnUnmetExpectationExitsOne) {
  const fs::path dir = fs::temp_directory_path() / ("lockstep-cli-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string text = read_file("scenarios/lease-lock/pause-without-fencing.yaml");
  text.replace(text.find("mutual_exclusion: violated"), 26, "mutual_exclusion: holds");
  const std::string file = (dir / "flipped.yaml").string();
  std::ofstream(file) << text;
  const Result r = lockstep("run " + file);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("NOT MET"), std::string::npos) << r.out;
  fs::remove_all(dir);
}

TEST(Cli, TwoProcessesPrintTheSameHashAndWriteIdenticalTraces) {
  const fs::path dir = fs::temp_directory_path() / ("lockstep-cli2-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string a = (dir / "a.jsonl").string();
  const std::string b = (dir / "b.jsonl").string();
  const Result ra = lockstep("run scenarios/lease-lock/clean.yaml --seed 7 --trace " + a);
  const Result rb = lockstep("run scenarios/lease-lock/clean.yaml --seed 7 --trace " + b);
  std::smatch ma;
  std::smatch mb;
  ASSERT_TRUE(std::regex_search(ra.out, ma, std::regex("hash +([0-9a-f]{16})")));
  ASSERT_TRUE(std::regex_search(rb.out, mb, std::regex("hash +([0-9a-f]{16})")));
  EXPECT_EQ(ma[1], mb[1]);
  const std::string ta = read_file(a);
  EXPECT_FALSE(ta.empty());
  EXPECT_EQ(ta, read_file(b));
  EXPECT_EQ(ta.rfind("{\"schema_version\":1", 0), 0u);
  fs::remove_all(dir);
}

TEST(Cli, EveryMalformedScenarioExitsTwoWithFileLineAndColumn) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator("tests/data/bad")) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 15u);
  for (const std::string& f : files) {
    const Result r = lockstep("run " + f);
    EXPECT_EQ(r.exit_code, 2) << f << "\n" << r.out;
    EXPECT_TRUE(std::regex_search(
        r.out,
        std::regex("^" + std::regex_replace(f, std::regex("[.]"), "\\.") + ":[0-9]+:[0-9]+: ")))
        << f << "\n"
        << r.out;
  }
}

TEST(Cli, MissingFileUnknownCommandAndBadFlagsExitTwo) {
  EXPECT_EQ(lockstep("run no/such/file.yaml").exit_code, 2);
  EXPECT_NE(lockstep("run no/such/file.yaml").out.find("no/such/file.yaml"), std::string::npos);
  EXPECT_EQ(lockstep("frobnicate").exit_code, 2);
  EXPECT_EQ(lockstep("run scenarios/lease-lock/clean.yaml --seed notanumber").exit_code, 2);
  EXPECT_EQ(lockstep("run").exit_code, 2);
}

TEST(Cli, AFailedTraceWriteLeavesNoFileBehind) {
  const Result r = lockstep("run scenarios/lease-lock/clean.yaml --trace /nonexistent-dir/t.jsonl");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_FALSE(fs::exists("/nonexistent-dir/t.jsonl"));
}

TEST(Cli, ListShowsEveryLeaseLockParamWithItsDefault) {
  const Result r = lockstep("list");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* p : {"lease", "renew_every", "fencing", "expiry_clock", "restart_grace",
                        "safety_margin", "durable_state", "heartbeat", "mutual_exclusion",
                        "fenced_writes", "liveness", "partition", "clock_step"}) {
    EXPECT_NE(r.out.find(p), std::string::npos) << p;
  }
}

}  // namespace
