// Which share of an exploration's seeds this process runs: `--shard i/n`, or `--shard auto`
// read from the job runner's environment (docs/cli.md has a recipe for each):
//   LOCKSTEP_SHARD=i/n                                   (1-based; wins over the others)
//   JOB_COMPLETION_INDEX + LOCKSTEP_SHARD_COUNT          (Kubernetes Indexed Jobs, 0-based)
//   SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT   (Slurm job arrays)
//   CI_NODE_INDEX / CI_NODE_TOTAL                        (GitLab `parallel:`, 1-based)
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace lockstep::tools {

struct Shard {
  uint64_t index = 0;  // 0-based
  uint64_t count = 1;
  std::string source;  // where it came from: "--shard", "LOCKSTEP_SHARD", "SLURM_ARRAY_TASK_ID"
};

using Environment = std::function<const char*(const char* name)>;

// Parses `arg` ("i/n" with 1 <= i <= n, or "auto"). Throws std::invalid_argument with a message
// naming the flag or the variables when it cannot.
Shard parse_shard(const std::string& arg, const Environment& env);

}  // namespace lockstep::tools
