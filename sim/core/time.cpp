#include "sim/core/time.hpp"

#include <cstdio>

#include "sim/core/int128.hpp"

namespace lockstep::sim {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t ns;
};
// Longest suffixes first so "ms" is not read as "m".
constexpr Unit kUnits[] = {{"ns", 1},
                           {"us", 1'000},
                           {"ms", 1'000'000},
                           {"s", 1'000'000'000},
                           {"m", 60'000'000'000},
                           {"h", 3'600'000'000'000}};

}  // namespace

std::optional<Duration> parse_duration(std::string_view text, bool* overflow) {
  if (overflow != nullptr) *overflow = false;
  if (text == "0") return Duration{0};
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  size_t digits_end = 0;
  while (digits_end < text.size() &&
         ((text[digits_end] >= '0' && text[digits_end] <= '9') || text[digits_end] == '.')) {
    ++digits_end;
  }
  std::string_view number = text.substr(0, digits_end);
  std::string_view suffix = text.substr(digits_end);
  if (number.empty() || suffix.empty()) return std::nullopt;
  const Unit* unit = nullptr;
  for (const Unit& u : kUnits) {
    if (suffix == u.suffix) unit = &u;
  }
  if (unit == nullptr) return std::nullopt;
  // Integer and fraction parsed separately: exact, no floating point, in 128 bits so that a
  // value too large for int64 nanoseconds is reported as such, not wrapped.
  int128 whole = 0;
  int64_t fraction = 0;
  int64_t fraction_scale = 1;
  bool seen_dot = false;
  bool seen_digit = false;
  bool too_large = false;
  for (char c : number) {
    if (c == '.') {
      if (seen_dot) return std::nullopt;
      seen_dot = true;
      continue;
    }
    seen_digit = true;
    if (!seen_dot) {
      whole = whole * 10 + (c - '0');
      if (whole > INT64_MAX) {
        too_large = true;
        whole = INT64_MAX;
      }
    } else if (fraction_scale < 1'000'000'000'000) {
      fraction = fraction * 10 + (c - '0');
      fraction_scale *= 10;
    }
  }
  if (!seen_digit) return std::nullopt;
  const int128 frac_ns = static_cast<int128>(fraction) * unit->ns / fraction_scale;
  const int128 ns = whole * unit->ns + frac_ns;
  if (too_large || ns > INT64_MAX) {
    if (overflow != nullptr) *overflow = true;
    return std::nullopt;
  }
  const auto exact = static_cast<int64_t>(ns);
  return Duration{negative ? -exact : exact};
}

std::string format_duration(Duration d) {
  if (d.ns == 0) return "0s";
  const bool negative = d.ns < 0;
  const int64_t v = negative ? -d.ns : d.ns;
  std::string out;
  // Seconds with as many decimals as needed when >= 1s; otherwise the largest exact unit.
  if (v >= 1'000'000'000) {
    char buf[48];
    int64_t frac = v % 1'000'000'000;
    if (frac == 0) {
      std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(v / 1'000'000'000));
    } else {
      std::snprintf(buf, sizeof buf, "%lld.%09lld", static_cast<long long>(v / 1'000'000'000),
                    static_cast<long long>(frac));
      std::string s = buf;
      while (s.back() == '0') s.pop_back();
      std::snprintf(buf, sizeof buf, "%ss", s.c_str());
    }
    out = buf;
  } else if (v % 1'000'000 == 0) {
    out = std::to_string(v / 1'000'000) + "ms";
  } else if (v % 1'000 == 0) {
    out = std::to_string(v / 1'000) + "us";
  } else {
    out = std::to_string(v) + "ns";
  }
  return negative ? "-" + out : out;
}

std::string format_seconds(int64_t ns) {
  char buf[48];
  const bool negative = ns < 0;
  const int64_t v = negative ? -ns : ns;
  std::snprintf(buf, sizeof buf, "%s%lld.%03llds", negative ? "-" : "",
                static_cast<long long>(v / 1'000'000'000),
                static_cast<long long>((v % 1'000'000'000) / 1'000'000));
  return buf;
}

}  // namespace lockstep::sim
