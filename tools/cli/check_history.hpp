// `lockstep check --history FILE --model lock|register|cas|mixed`: is a client history,
// recorded from a simulated run or a real system (docs/history-format.md), linearizable? Exit 0
// when it is, 1 when it is not, 2 for a malformed history or usage, 3 when the search could not
// decide.
#pragma once

#include <cstdint>
#include <string>

namespace lockstep::tools {

inline constexpr int kExitInconclusive = 3;

struct HistoryCheckArgs {
  std::string file;
  std::string model;
  int64_t max_steps = 0;  // 0: the default bound
  bool json = false;
};

int check_history(const HistoryCheckArgs& a);

}  // namespace lockstep::tools
