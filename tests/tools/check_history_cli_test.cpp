// `lockstep check --history FILE --model M` as a user runs it: the verdicts and their exit codes
// (0 linearizable, 1 not, 2 bad input, 3 inconclusive), and the FILE:LINE: field message.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/support.hpp"

namespace {

namespace fs = std::filesystem;
using Result = lockstep::testing::CliResult;

Result lockstep(const std::string& args) { return lockstep::testing::run_lockstep(args); }

constexpr const char* kData = "tests/data/histories/";

TEST(CheckHistoryCli, ALinearizableHistory_ExitsZero) {
  const Result r =
      lockstep(std::string("check --history ") + kData + "register-ok.jsonl --model register");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("verdict   LINEARIZABLE"), std::string::npos) << r.out;
}

TEST(CheckHistoryCli, AViolation_ExitsOneWithTheWindow) {
  const std::string file = std::string(kData) + "register-stale-read.jsonl";
  const Result r = lockstep("check --history " + file + " --model register");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("verdict   NOT LINEARIZABLE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(file + ":7,8  c3 read -> 1  0.005s .. 0.006s  <- cannot take effect"),
            std::string::npos)
      << r.out;
  const Result lock =
      lockstep(std::string("check --history ") + kData + "lock-two-holders.jsonl --model lock");
  EXPECT_EQ(lock.exit_code, 1) << lock.out;
  EXPECT_NE(lock.out.find("held by c2"), std::string::npos) << lock.out;
  const Result json = lockstep("check --history " + file + " --model register --json");
  EXPECT_EQ(json.exit_code, 1) << json.out;
  EXPECT_NE(json.out.find("\"verdict\": \"not_linearizable\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"culprit\": true"), std::string::npos) << json.out;
}

TEST(CheckHistoryCli, TheStepBound_ExitsThreeAndSaysWhy) {
  const Result r = lockstep(std::string("check --history ") + kData +
                            "register-stale-read.jsonl --model register --max-steps 2");
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("INCONCLUSIVE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bound of 2 steps"), std::string::npos) << r.out;
}

TEST(CheckHistoryCli, BadInput_ExitsTwoWithFileLineAndField) {
  const fs::path dir = fs::temp_directory_path() / ("lockstep-hist-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string bad = (dir / "bad.jsonl").string();
  std::ofstream(bad) << R"({"process":0,"type":"invoke","f":"read","time":1})"
                        "\n"
                        R"({"process":0,"type":"ok","f":"read","value":"one","time":2})"
                        "\n";
  const Result r = lockstep("check --history " + bad + " --model register");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find(bad + ":2: field 'value': must be an integer or null, got string"),
            std::string::npos)
      << r.out;
  const Result op =
      lockstep(std::string("check --history ") + kData + "register-ok.jsonl --model lock");
  EXPECT_EQ(op.exit_code, 2) << op.out;
  EXPECT_NE(op.out.find("register-ok.jsonl:1: field 'f': the lock model has no 'write'"),
            std::string::npos)
      << op.out;
  const Result model =
      lockstep(std::string("check --history ") + kData + "register-ok.jsonl --model queue");
  EXPECT_EQ(model.exit_code, 2) << model.out;
  EXPECT_NE(model.out.find("--model queue: unknown model (the models are lock|register|cas|mixed)"),
            std::string::npos)
      << model.out;
  const Result missing =
      lockstep("check --history " + (dir / "none.jsonl").string() + " --model register");
  EXPECT_EQ(missing.exit_code, 2) << missing.out;
  const Result mixed = lockstep(std::string("check t.jsonl --history ") + kData +
                                "register-ok.jsonl --model register");
  EXPECT_EQ(mixed.exit_code, 2) << mixed.out;
  fs::remove_all(dir);
}

}  // namespace
