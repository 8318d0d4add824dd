// The JSONL form of a client history (docs/history-format.md): one event per line, an invocation
// or a completion. Every malformed line is refused as "FILE:LINE: field 'x': problem", and so is
// an operation the chosen model does not know.
#pragma once

#include <cstdint>
#include <istream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "checkers/linearizable/history.hpp"
#include "checkers/linearizable/model.hpp"

namespace lockstep::checkers::linearizable {

class HistoryError : public std::runtime_error {
 public:
  // line 0: the file as a whole; field empty: the line as a whole.
  HistoryError(const std::string& file, int64_t line, std::string_view field,
               const std::string& problem);
};

struct HistoryLimits {
  size_t max_line_bytes = 1 << 20;
  size_t max_names = 1'000'000;  // distinct processes, distinct keys
};

// The key of events that name none: a single-object history (one register, one lock).
inline constexpr std::string_view kDefaultKey = "default";

// Throws HistoryError. Ops still open at the end have an unknown outcome.
History read_history(std::istream& in, const std::string& file, Model model,
                     const HistoryLimits& limits = {});

}  // namespace lockstep::checkers::linearizable
