// libFuzzer harness for the JSONL history reader and the search behind it: any input either
// reads (and then checks, within a small bound) or is refused with a HistoryError; nothing else
// may escape, crash or trip an assertion. Build with clang (tests/fuzz/meson.build), then run
// `build/tests/fuzz/history_fuzz -max_total_time=60 tests/data/histories/`.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "checkers/linearizable/history_jsonl.hpp"
#include "checkers/linearizable/search.hpp"

namespace lin = lockstep::checkers::linearizable;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // The first byte picks the model, so every model's refusals are explored.
  const lin::Model models[] = {lin::Model::lock, lin::Model::register_, lin::Model::cas,
                               lin::Model::mixed};
  const lin::Model model = models[size == 0 ? 0 : data[0] % 4];
  std::istringstream in(text);
  lin::HistoryLimits limits;
  limits.max_line_bytes = 4096;
  limits.max_names = 1000;
  try {
    const lin::History h = lin::read_history(in, "fuzz.jsonl", model, limits);
    lin::Limits bound;
    bound.max_steps = 10'000;
    bound.max_memo_bytes = size_t{16} << 20;
    const lin::Report r = lin::check(h, model, bound);
    (void)lin::explain(r, h, model);
  } catch (const lin::HistoryError&) {
  }
  return 0;
}
