#include "tools/engine/shard.hpp"

#include <charconv>
#include <optional>
#include <stdexcept>

namespace lockstep::tools {
namespace {

std::optional<uint64_t> number(std::string_view text) {
  uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

[[noreturn]] void fail(const std::string& why) { throw std::invalid_argument(why); }

// "i/n", 1-based.
Shard one_based(std::string_view text, const std::string& source) {
  const size_t slash = text.find('/');
  const auto i = slash == std::string_view::npos ? std::nullopt : number(text.substr(0, slash));
  const auto n = slash == std::string_view::npos ? std::nullopt : number(text.substr(slash + 1));
  if (!i || !n || *n == 0 || *i == 0 || *i > *n) {
    fail(source + " takes i/n with 1 <= i <= n, e.g. 2/4; got '" + std::string(text) + "'");
  }
  return {*i - 1, *n, source};
}

// A variable that must hold a number, or nullopt when unset.
std::optional<uint64_t> read(const Environment& env, const char* name) {
  const char* v = env(name);
  if (v == nullptr) return std::nullopt;
  const auto n = number(v);
  if (!n) fail(std::string(name) + " must be a non-negative integer, got '" + v + "'");
  return n;
}

Shard checked(uint64_t index, std::optional<uint64_t> count, const char* index_name,
              const char* count_name, uint64_t shown_index) {
  if (!count) {
    fail(std::string(index_name) + " is set but " + count_name +
         " is not: --shard auto needs both (see docs/cli.md)");
  }
  if (*count == 0 || index >= *count) {
    fail(std::string(index_name) + "=" + std::to_string(shown_index) + " is outside the " +
         std::to_string(*count) + " shards " + count_name + " gives");
  }
  return {index, *count, index_name};
}

Shard from_environment(const Environment& env) {
  if (const char* v = env("LOCKSTEP_SHARD")) return one_based(v, "LOCKSTEP_SHARD");
  if (const auto k = read(env, "JOB_COMPLETION_INDEX")) {
    return checked(*k, read(env, "LOCKSTEP_SHARD_COUNT"), "JOB_COMPLETION_INDEX",
                   "LOCKSTEP_SHARD_COUNT", *k);
  }
  if (const auto id = read(env, "SLURM_ARRAY_TASK_ID")) {
    const uint64_t min = read(env, "SLURM_ARRAY_TASK_MIN").value_or(0);
    if (const auto step = read(env, "SLURM_ARRAY_TASK_STEP"); step && *step != 1) {
      fail("SLURM_ARRAY_TASK_STEP is " + std::to_string(*step) +
           ": --shard auto needs a contiguous array (--array=1-N, no :step)");
    }
    if (*id < min) fail("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN");
    return checked(*id - min, read(env, "SLURM_ARRAY_TASK_COUNT"), "SLURM_ARRAY_TASK_ID",
                   "SLURM_ARRAY_TASK_COUNT", *id);
  }
  if (const auto g = read(env, "CI_NODE_INDEX")) {
    if (*g == 0) fail("CI_NODE_INDEX is 1-based; got 0");
    return checked(*g - 1, read(env, "CI_NODE_TOTAL"), "CI_NODE_INDEX", "CI_NODE_TOTAL", *g);
  }
  fail(
      "--shard auto found no shard in the environment: set LOCKSTEP_SHARD=i/n, or run as a "
      "Kubernetes Indexed Job (JOB_COMPLETION_INDEX with LOCKSTEP_SHARD_COUNT), a Slurm array "
      "(SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT) or a GitLab parallel job (CI_NODE_INDEX, "
      "CI_NODE_TOTAL)");
}

}  // namespace

Shard parse_shard(const std::string& arg, const Environment& env) {
  if (arg == "auto") return from_environment(env);
  return one_based(arg, "--shard");
}

}  // namespace lockstep::tools
