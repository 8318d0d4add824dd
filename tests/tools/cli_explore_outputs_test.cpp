// The `lockstep` binary as issue 16 asks for it: `list --json`, `explore --metrics` and `--csv`,
// sweeps from the command line and the file, `--shard auto` from a runner's environment, merge
// refusing a shard given twice, and the warning for a checker the protocol gives nothing to read.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/support.hpp"

namespace {

namespace fs = std::filesystem;
using lockstep::testing::read_file;
using lockstep::testing::run_lockstep;

constexpr const char* kClean = "scenarios/lease-lock/clean.yaml";
constexpr const char* kSweep = "scenarios/lease-lock/sweep-lease-against-pause.yaml";

#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

class CliExplore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("lockstep-cli-explore-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string at(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(CliExplore, ListJsonHasProtocolsParamsCheckersMetricsAndFaultKinds) {
  const auto r = run_lockstep("list --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["version"], 1);
  const auto lease = std::find_if(j["protocols"].begin(), j["protocols"].end(),
                                  [](const auto& p) { return p["name"] == "lease_lock"; });
  ASSERT_NE(lease, j["protocols"].end());
  const auto param = std::find_if((*lease)["params"].begin(), (*lease)["params"].end(),
                                  [](const auto& p) { return p["name"] == "lease"; });
  ASSERT_NE(param, (*lease)["params"].end());
  EXPECT_EQ((*param)["type"], "duration");
  EXPECT_FALSE((*param)["default"].get<std::string>().empty());
  EXPECT_FALSE((*param)["meaning"].get<std::string>().empty());
  EXPECT_EQ((*lease)["fault_targets"][0]["role"], "holder");
  EXPECT_EQ(j["checkers"][0]["name"], "mutual_exclusion");
  EXPECT_EQ(j["metrics"][0]["name"], "lock.acquisitions");
  EXPECT_EQ(j["metrics"][0]["openmetrics"], "lockstep_lock_acquisitions");
  EXPECT_EQ(j["fault_kinds"][0]["name"], "crash");
  EXPECT_EQ(run_lockstep("list --yaml").exit_code, 2);
}

// The aggregate and the rows agree with the JSON of the same exploration.
TEST_F(CliExplore, MetricsAndCsvAgreeWithTheJson) {
  const auto r =
      run_lockstep(std::string("explore ") + kClean + " --seeds 6 --json " + at("r.json") +
                   " --metrics " + at("r.prom") + " --csv " + at("r.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const nlohmann::json j = nlohmann::json::parse(read_file(at("r.json")));
  double sent = 0;
  std::string rows;
  for (const auto& run : j["runs"]) {
    sent += run["metrics"]["net.messages_sent"]["value"].get<double>();
    rows += std::to_string(run["seed"].get<uint64_t>()) + ",true,,holds,holds,holds," +
            run["trace_hash"].get<std::string>() + ",";
  }
  const std::string prom = read_file(at("r.prom"));
  char expected[128];
  std::snprintf(expected, sizeof expected,
                "lockstep_net_messages_sent_total{scenario=\"lease-lock/clean\"} %.0f\n", sent);
  EXPECT_HAS(prom, expected);
  EXPECT_HAS(prom, "# TYPE lockstep_lock_wait_time_p50_seconds summary\n");
  EXPECT_EQ(prom.substr(prom.size() - 6), "# EOF\n");
  const std::string csv = read_file(at("r.csv"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 7);
  std::string got;
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    size_t comma = 0;
    for (int i = 0; i < 7; ++i) comma = line.find(',', comma) + 1;
    got += line.substr(0, comma);
  }
  EXPECT_EQ(got, rows);
}

TEST_F(CliExplore, AnUnwritableMetricsOrCsvPathFailsBeforeAnySeedRuns) {
  for (const char* flag : {"--metrics", "--csv"}) {
    const auto r = run_lockstep(std::string("explore ") + kClean + " --seeds 100000 " + flag +
                                " /proc/nope/out");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_HAS(r.out, "/proc/nope/out: cannot create the file");
    EXPECT_EQ(r.out.find("explored"), std::string::npos) << r.out;
  }
}

TEST_F(CliExplore, SweepFromTheCommandLineWritesTheTableCsvJsonAndPlot) {
  const auto r = run_lockstep(std::string("explore ") + kClean +
                              " --seeds 4 --sweep protocol.params.lease=5s,20s"
                              " --sweep workload.hold=1s,2s --sweep-csv " +
                              at("t.csv") + " --json " + at("t.json") + " --plot " + at("t.svg") +
                              " --csv " + at("rows.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_HAS(r.out, "| protocol.params.lease | workload.hold | seeds | violated |");
  EXPECT_HAS(r.out, "| 5s | 1s | 4 | 0 | 0.000 | 0 |");
  EXPECT_HAS(r.out, "| 20s | 2s | 4 |");
  const std::string table = read_file(at("t.csv"));
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 5);
  const nlohmann::json j = nlohmann::json::parse(read_file(at("t.json")));
  ASSERT_EQ(j["sweep"]["rows"].size(), 4u);
  EXPECT_EQ(j["sweep"]["rows"][3]["values"]["workload.hold"], "2s");
  EXPECT_EQ(j["points"][1]["scenario"], "lease-lock/clean@lease=5s,hold=2s");
  EXPECT_EQ(j["points"][1]["runs"].size(), 4u);
  const std::string svg = read_file(at("t.svg"));
  EXPECT_HAS(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sweep-plot\"");
  EXPECT_HAS(svg, "class=\"legend-item\" data-series=\"hold=2s\"");
  const std::string rows = read_file(at("rows.csv"));
  EXPECT_EQ(rows.rfind("protocol.params.lease,workload.hold,seed,", 0), 0u) << rows;
  EXPECT_EQ(std::count(rows.begin(), rows.end(), '\n'), 17);
}

TEST_F(CliExplore, SweepValuesAreCheckedByTheLoaderAndBlamed) {
  auto r = run_lockstep(std::string("explore ") + kClean +
                        " --seeds 2 --sweep protocol.params.lease=5s,ten");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_HAS(r.out, "--sweep protocol.params.lease: at lease=ten: ");
  r = run_lockstep(std::string("explore ") + kClean +
                   " --seeds 2 --sweep protocol.params.leese=5s");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_HAS(r.out, "did you mean 'lease'");
  r = run_lockstep(std::string("explore ") + kClean + " --seeds 2 --plot " + at("p.svg"));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_HAS(r.out, "need a sweep");
  r = run_lockstep(std::string("explore ") + kSweep + " --seeds 2 --plot-metric lock.wiat");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_HAS(r.out, "no run reports this metric");
}

TEST_F(CliExplore, TheFilesSweepSectionRunsEveryPoint) {
  const auto r =
      run_lockstep(std::string("explore ") + kSweep + " --seeds 20 --sweep-csv " + at("s.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* v : {"| 5s |", "| 10s |", "| 15s |", "| 20s |", "| 30s |"}) EXPECT_HAS(r.out, v);
  // run ignores the section: the file as written, one seed.
  const auto run = run_lockstep(std::string("run ") + kSweep);
  EXPECT_EQ(run.exit_code, 0) << run.out;
}

class ShardAuto : public CliExplore {
 protected:
  void TearDown() override {
    for (const char* v :
         {"LOCKSTEP_SHARD", "JOB_COMPLETION_INDEX", "LOCKSTEP_SHARD_COUNT", "SLURM_ARRAY_TASK_ID",
          "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT", "CI_NODE_INDEX", "CI_NODE_TOTAL"}) {
      unsetenv(v);
    }
    CliExplore::TearDown();
  }
  // The seeds `explore --shard auto` ran, from its JSON.
  std::vector<uint64_t> seeds_run() {
    const auto r = run_lockstep(std::string("explore ") + kClean +
                                " --seeds 8 --shard auto --json " + at("a.json"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    std::vector<uint64_t> out;
    const nlohmann::json doc = nlohmann::json::parse(read_file(at("a.json")));
    for (const auto& run : doc["runs"]) {
      out.push_back(run["seed"].get<uint64_t>());
    }
    return out;
  }
};

// Each recipe in docs/cli.md sets the second of four shards: seeds 2 and 6 of 1..8.
TEST_F(ShardAuto, EachRunnersVariablesPickTheSameShard) {
  const std::vector<uint64_t> second{2, 6};
  setenv("LOCKSTEP_SHARD", "2/4", 1);
  EXPECT_EQ(seeds_run(), second);
  unsetenv("LOCKSTEP_SHARD");
  setenv("JOB_COMPLETION_INDEX", "1", 1);
  setenv("LOCKSTEP_SHARD_COUNT", "4", 1);
  EXPECT_EQ(seeds_run(), second);
  unsetenv("JOB_COMPLETION_INDEX");
  setenv("SLURM_ARRAY_TASK_ID", "2", 1);
  setenv("SLURM_ARRAY_TASK_MIN", "1", 1);
  setenv("SLURM_ARRAY_TASK_COUNT", "4", 1);
  EXPECT_EQ(seeds_run(), second);
  unsetenv("SLURM_ARRAY_TASK_ID");
  setenv("CI_NODE_INDEX", "2", 1);
  setenv("CI_NODE_TOTAL", "4", 1);
  EXPECT_EQ(seeds_run(), second);
}

TEST_F(ShardAuto, NothingSetIsExitTwoNamingTheVariables) {
  const auto r = run_lockstep(std::string("explore ") + kClean + " --seeds 8 --shard auto");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_HAS(r.out, "--shard auto found no shard in the environment");
  EXPECT_HAS(r.out, "SLURM_ARRAY_TASK_ID");
}

// Before: `merge s1.json s1.json` exited 0 with `completed: 5` of 10.
TEST_F(CliExplore, MergeRefusesTheSameShardTwice) {
  ASSERT_EQ(run_lockstep(std::string("explore ") + kClean + " --seeds 10 --shard 1/2 --json " +
                         at("s1.json"))
                .exit_code,
            0);
  const auto r = run_lockstep("merge " + at("s1.json") + " " + at("s1.json"));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_HAS(r.out, at("s1.json") + ": seed 1 is also in " + at("s1.json") +
                        " (the same file twice); each seed belongs to one shard");
  fs::copy_file(at("s1.json"), at("copy.json"));
  const auto copy = run_lockstep("merge " + at("s1.json") + " " + at("copy.json"));
  EXPECT_EQ(copy.exit_code, 2) << copy.out;
  EXPECT_HAS(copy.out, "(the same shard twice?)");
}

// Before: election_safety on a lease lock passed silently.
TEST_F(CliExplore, ACheckerTheProtocolGivesNothingToReadIsAWarningAtItsEntry) {
  std::string text = read_file(kClean);
  text.replace(text.find("  - fenced_writes\n"), 18, "  - fenced_writes\n  - election_safety\n");
  std::ofstream(at("unrelated.yaml")) << text;
  const auto r = run_lockstep("run " + at("unrelated.yaml"));
  EXPECT_HAS(r.out, "warning   " + at("unrelated.yaml") +
                        ":26:5: checkers[2]: checker election_safety reads leader.elected, which "
                        "protocol lease_lock never observes, so it can only hold; checkers that "
                        "judge lease_lock: mutual_exclusion, fenced_writes, liveness");
  const auto clean = run_lockstep(std::string("run ") + kClean);
  EXPECT_EQ(clean.out.find("warning"), std::string::npos) << clean.out;
}

}  // namespace

namespace {

class CliTraps : public CliExplore {};

// Before: `drift_ppm: 0.5` was accepted without a word (a rate written as a fraction).
TEST_F(CliTraps, DriftUnderOnePpmGetsAHintAtTheValue) {
  std::string text = read_file(kClean);
  text.replace(text.find("clocks: {drift_ppm: {uniform: [-100, 100]}"), 42,
               "clocks: {drift_ppm: 0.5");
  std::ofstream(at("drift.yaml")) << text;
  const auto r = run_lockstep("run " + at("drift.yaml"));
  EXPECT_HAS(r.out,
             at("drift.yaml") + ":15:21: clocks.drift_ppm: drift_ppm is in parts per million");
  EXPECT_HAS(r.out, "write 500000");
  const auto clean = run_lockstep(std::string("run ") + kClean);
  EXPECT_EQ(clean.out.find("parts per million"), std::string::npos) << clean.out;
}

// Before: shrink had no --checker and wrote X.shrunk.yaml beside a plain scenario.
TEST_F(CliTraps, ShrinkTargetsAChosenCheckerAndKeepsScenariosClean) {
  const std::string scenario = at("pause.yaml");
  fs::copy_file("scenarios/lease-lock/pause-without-fencing.yaml", scenario);
  auto r = run_lockstep("shrink " + scenario + " --checker fenced_writes --artifacts " + at("out"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_HAS(r.out, "while fenced_writes stays violated");
  const std::string shrunk = at("out") + "/pause-seed1.shrunk.yaml";
  EXPECT_TRUE(fs::exists(shrunk)) << r.out;
  EXPECT_FALSE(fs::exists(at("pause.shrunk.yaml")));
  EXPECT_HAS(read_file(shrunk), "violated: fenced_writes\n");
  r = run_lockstep("shrink " + scenario + " --checker liveness -o " + at("x.yaml"));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_HAS(r.out, "--checker liveness: not violated in " + scenario +
                        " with seed 1; violated: "
                        "mutual_exclusion, fenced_writes");
  r = run_lockstep("shrink " + scenario + " --checker log_safety -o " + at("x.yaml"));
  EXPECT_HAS(r.out, "not among the checkers of");
  r = run_lockstep("shrink " + scenario + " -o " + at("chosen.yaml"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(fs::exists(at("chosen.yaml")));
}

// Before: the printed replay command said `lockstep`, which is not on PATH in a build tree.
TEST_F(CliTraps, TheReplayCommandNamesTheBinaryAsInvoked) {
  const char* bin = std::getenv("LOCKSTEP_BIN");
  ASSERT_NE(bin, nullptr);
  const auto r = run_lockstep("run scenarios/lease-lock/pause-without-fencing.yaml");
  EXPECT_HAS(r.out, std::string("replay    ") + bin +
                        " run scenarios/lease-lock/pause-without-fencing.yaml --seed 1\n");
}

// Before: a summary with control characters went raw into the artifact, which other YAML
// parsers reject; yaml-cpp's emitter escapes them and the artifact reads back the same text.
TEST_F(CliTraps, ArtifactsEscapeControlCharactersInStrings) {
  std::string text = read_file("scenarios/lease-lock/pause-without-fencing.yaml");
  text = "name: ctl\nsummary: \"tab\\there, bell\\x07, del\\x7f, quote \\\" end\"\n" +
         text.substr(text.find("seed:"));
  std::ofstream(at("ctl.yaml")) << text;
  const auto r = run_lockstep("explore " + at("ctl.yaml") + " --seeds 1 --judge violation " +
                              "--artifacts " + at("art"));
  ASSERT_EQ(r.exit_code, 1) << r.out;
  const std::string art = read_file(at("art") + "/ctl-seed1.yaml");
  EXPECT_HAS(art, "summary: \"tab\\there, bell\\x07, del\\x7f, quote \\\" end\"\n");
  for (char c : art) {
    EXPECT_TRUE(c == '\n' || (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f))
        << "raw control character " << static_cast<int>(c);
  }
  EXPECT_EQ(run_lockstep("replay " + at("art") + "/ctl-seed1.yaml").exit_code, 0);
}

}  // namespace
