// The `lockstep` binary as a user runs it for `check` and the run outputs (--timeline, --perfetto,
// --metrics, --log): exit codes, messages, and files that appear whole or not at all.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

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

class CliOutputs : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("lockstep-cli-out-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string at(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

constexpr const char* kPwf = "scenarios/lease-lock/pause-without-fencing.yaml";

std::string hash_in(const std::string& out) {
  std::smatch m;
  return std::regex_search(out, m, std::regex("hash +([0-9a-f]{16})")) ? m[1].str() : "";
}

TEST_F(CliOutputs, CheckReachesTheRunsVerdictsOnItsTrace) {
  const Result run = lockstep(std::string("run ") + kPwf + " --trace " + at("t.jsonl"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const std::string checkers =
      " --checker mutual_exclusion --checker fenced_writes --checker liveness:within=15s";
  const Result plain = lockstep("check " + at("t.jsonl") + checkers);
  EXPECT_EQ(plain.exit_code, 1) << "violations are failures unless expected:\n" << plain.out;
  EXPECT_TRUE(std::regex_search(plain.out, std::regex("mutual_exclusion +VIOLATED")));
  EXPECT_TRUE(std::regex_search(plain.out, std::regex("liveness +HOLDS")));
  EXPECT_EQ(hash_in(plain.out), hash_in(run.out)) << "the trace carries the whole run";
  const Result expected = lockstep("check " + at("t.jsonl") + checkers +
                                   " --expect mutual_exclusion=violated"
                                   " --expect fenced_writes=violated");
  EXPECT_EQ(expected.exit_code, 0) << expected.out;
  const Result json = lockstep("check " + at("t.jsonl") + checkers + " --json");
  EXPECT_NE(json.out.find("\"verdict\": \"violated\""), std::string::npos) << json.out;
}

TEST_F(CliOutputs, CheckRejectsACorruptTraceWithLineAndField) {
  std::ofstream(at("bad.jsonl"))
      << "{\"schema_version\":1,\"nodes\":[{\"id\":\"c1\",\"role\":\"client\"}]}\n"
      << "{\"t\":1,\"node\":\"c1\",\"kind\":\"lock.requested\"}\n"
      << "{\"t\":2,\"node\":\"c1\",\"kind\":\"lock.aquired\",\"token\":1}\n";
  const Result r = lockstep("check " + at("bad.jsonl") + " --checker mutual_exclusion");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find(at("bad.jsonl") + ":3: field 'kind': unknown kind 'lock.aquired'; did "
                                         "you mean 'lock.acquired'?"),
            std::string::npos)
      << r.out;
}

TEST_F(CliOutputs, CheckUsageMistakesExitTwo) {
  std::ofstream(at("ok.jsonl")) << "{\"schema_version\":1,\"nodes\":[{\"id\":\"c1\"}]}\n";
  const Result typo = lockstep("check " + at("ok.jsonl") + " --checker mutual_exclusio");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.out.find("did you mean 'mutual_exclusion'"), std::string::npos) << typo.out;
  const Result expect = lockstep("check " + at("ok.jsonl") +
                                 " --checker mutual_exclusion --expect fenced_writes=violated");
  EXPECT_EQ(expect.exit_code, 2);
  EXPECT_NE(expect.out.find("not a --checker here"), std::string::npos) << expect.out;
  const Result verdict = lockstep("check " + at("ok.jsonl") +
                                  " --checker mutual_exclusion --expect mutual_exclusion=broken");
  EXPECT_EQ(verdict.exit_code, 2) << verdict.out;
  const Result missing = lockstep("check " + at("nope.jsonl"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.out.find("cannot open"), std::string::npos) << missing.out;
  const Result fine = lockstep("check " + at("ok.jsonl") + " --checker mutual_exclusion");
  EXPECT_EQ(fine.exit_code, 0) << fine.out;
}

TEST_F(CliOutputs, RunWritesEveryOutputFile) {
  const Result r =
      lockstep(std::string("run ") + kPwf + " --timeline " + at("t.html") + " --perfetto " +
               at("p.json") + " --metrics " + at("m.prom") + " --log=" + at("story.txt"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(read_file(at("t.html")).find("id=\"timeline-data\""), std::string::npos);
  EXPECT_NE(read_file(at("p.json")).find("\"traceEvents\""), std::string::npos);
  EXPECT_TRUE(read_file(at("m.prom")).ends_with("# EOF\n"));
  EXPECT_NE(read_file(at("story.txt")).find("STALE WRITE c1 #1"), std::string::npos);
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_NE(e.path().extension(), ".tmp") << "left behind: " << e.path();
  }
}

TEST_F(CliOutputs, LogPrintsTheStoryBeforeTheReport) {
  const Result r = lockstep(std::string("run ") + kPwf + " --log");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const size_t story = r.out.find("ACQUIRED #1");
  const size_t report = r.out.find("verdicts");
  ASSERT_NE(story, std::string::npos) << r.out;
  EXPECT_LT(story, report);
  const Result json = lockstep(std::string("run ") + kPwf + " --json --log");
  EXPECT_EQ(json.exit_code, 2) << json.out;
}

TEST_F(CliOutputs, AnUnwritableOutputFailsBeforeTheRunAndLeavesNothing) {
  const Result r = lockstep(std::string("run ") + kPwf + " --timeline " + at("no/such/t.html"));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("cannot create"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("verdicts"), std::string::npos) << "the run should not have started";
  const Result folder = lockstep("run scenarios/lease-lock --timeline " + at("t.html"));
  EXPECT_EQ(folder.exit_code, 2) << folder.out;
  EXPECT_FALSE(fs::exists(at("t.html")));
}

}  // namespace
