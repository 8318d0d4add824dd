// `--shard auto` (issue 16, item 8): the shard from each job runner's environment, as the recipes
// in docs/cli.md set it, and a clear error when nothing or half of it is set.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tools/engine/shard.hpp"

namespace lockstep::tools {
namespace {

Shard shard_with(const std::map<std::string, std::string>& vars, const std::string& arg = "auto") {
  return parse_shard(arg, [&](const char* name) -> const char* {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  });
}

std::string error_with(const std::map<std::string, std::string>& vars) {
  try {
    shard_with(vars);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

TEST(Shard, ExplicitIsOneBased) {
  const Shard s = shard_with({}, "2/4");
  EXPECT_EQ(s.index, 1u);
  EXPECT_EQ(s.count, 4u);
  for (const char* bad : {"0/4", "5/4", "1/0", "2", "a/b", "2/4x", "-1/4"}) {
    EXPECT_THROW(shard_with({}, bad), std::invalid_argument) << bad;
  }
}

TEST(Shard, LockstepShardWinsOverTheRunners) {
  const Shard s =
      shard_with({{"LOCKSTEP_SHARD", "3/5"}, {"CI_NODE_INDEX", "1"}, {"CI_NODE_TOTAL", "2"}});
  EXPECT_EQ(s.index, 2u);
  EXPECT_EQ(s.count, 5u);
  EXPECT_EQ(s.source, "LOCKSTEP_SHARD");
}

// Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX is 0-based; the count comes from the Job spec.
TEST(Shard, KubernetesIndexedJob) {
  const Shard s = shard_with({{"JOB_COMPLETION_INDEX", "0"}, {"LOCKSTEP_SHARD_COUNT", "4"}});
  EXPECT_EQ(s.index, 0u);
  EXPECT_EQ(s.count, 4u);
  EXPECT_EQ(shard_with({{"JOB_COMPLETION_INDEX", "3"}, {"LOCKSTEP_SHARD_COUNT", "4"}}).index, 3u);
  EXPECT_NE(error_with({{"JOB_COMPLETION_INDEX", "4"}, {"LOCKSTEP_SHARD_COUNT", "4"}})
                .find("outside the 4 shards"),
            std::string::npos);
  EXPECT_NE(error_with({{"JOB_COMPLETION_INDEX", "1"}}).find("LOCKSTEP_SHARD_COUNT is not"),
            std::string::npos);
}

// Slurm arrays: the task id counts from SLURM_ARRAY_TASK_MIN (--array=1-N or 0-(N-1)).
TEST(Shard, SlurmArrayFromItsMinimum) {
  const Shard one = shard_with({{"SLURM_ARRAY_TASK_ID", "1"},
                                {"SLURM_ARRAY_TASK_MIN", "1"},
                                {"SLURM_ARRAY_TASK_COUNT", "8"}});
  EXPECT_EQ(one.index, 0u);
  EXPECT_EQ(one.count, 8u);
  EXPECT_EQ(shard_with({{"SLURM_ARRAY_TASK_ID", "7"},
                        {"SLURM_ARRAY_TASK_MIN", "0"},
                        {"SLURM_ARRAY_TASK_COUNT", "8"}})
                .index,
            7u);
  EXPECT_NE(error_with({{"SLURM_ARRAY_TASK_ID", "3"},
                        {"SLURM_ARRAY_TASK_MIN", "1"},
                        {"SLURM_ARRAY_TASK_COUNT", "4"},
                        {"SLURM_ARRAY_TASK_STEP", "2"}})
                .find("contiguous"),
            std::string::npos);
}

// GitLab `parallel: N`: CI_NODE_INDEX counts from 1.
TEST(Shard, GitLabParallel) {
  const Shard s = shard_with({{"CI_NODE_INDEX", "2"}, {"CI_NODE_TOTAL", "3"}});
  EXPECT_EQ(s.index, 1u);
  EXPECT_EQ(s.count, 3u);
  EXPECT_NE(error_with({{"CI_NODE_INDEX", "0"}, {"CI_NODE_TOTAL", "3"}}).find("1-based"),
            std::string::npos);
  EXPECT_NE(error_with({{"CI_NODE_INDEX", "x"}, {"CI_NODE_TOTAL", "3"}}).find("integer"),
            std::string::npos);
}

TEST(Shard, NothingSetIsAnErrorNamingEveryRecipe) {
  const std::string e = error_with({});
  for (const char* v :
       {"LOCKSTEP_SHARD", "JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "CI_NODE_INDEX"}) {
    EXPECT_NE(e.find(v), std::string::npos) << e;
  }
}

}  // namespace
}  // namespace lockstep::tools
