// Boost.Asio for the live runtime. Boost 1.74's Asio uses std::exchange under C++20 without
// including <utility> itself, so <utility> must come first (and include sorting must not move it).
#pragma once

// clang-format off
#include <utility>
#include <boost/asio.hpp>
// clang-format on
