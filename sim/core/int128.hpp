// 128-bit integers for exact intermediate products (clock drift, unbiased bounded draws).
// A GCC/Clang extension; `__extension__` keeps -Wpedantic builds clean.
#pragma once

namespace lockstep::sim {
__extension__ typedef __int128 int128;
__extension__ typedef unsigned __int128 uint128;
}  // namespace lockstep::sim
