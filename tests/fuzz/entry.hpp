// The two fuzzing entry points, shared by the libFuzzer harnesses (clang) and the crash-corpus
// replay gtest (any compiler): each feeds one input the way the CLI would, and lets through only
// what an input may legitimately cause, an input error. Anything else (another exception, an
// assertion, a sanitizer report, a hang) is a bug the fuzzer reports.
#pragma once

#include <string_view>

namespace lockstep::fuzz {

// Loads `text` as a scenario, resolves its plan and constructs its checkers.
void scenario_input(std::string_view text);

// Reads `text` as a JSONL trace and streams it through the default checkers.
void trace_input(std::string_view text);

}  // namespace lockstep::fuzz
