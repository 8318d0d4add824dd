#include "sim/core/distribution.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/time.hpp"

namespace lockstep::sim {
namespace {

// Standard normal by Box-Muller. Uses libm's log, sqrt and cos: IEEE sqrt is exact and the
// glibc log/cos used by every supported build are the same code, so results agree across
// machines and build types (see docs/architecture.md, "Determinism").
double standard_normal(Rng& rng) {
  const double u1 = 1.0 - rng.unit();  // (0, 1]
  const double u2 = rng.unit();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

std::string render(double v, bool duration) {
  if (duration) return format_duration(Duration{static_cast<int64_t>(v)});
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

double Distribution::sample(Rng& rng) const {
  double v = a;
  switch (kind) {
    case Kind::constant:
      return a;
    case Kind::uniform:
      v = a + (b - a) * rng.unit();
      break;
    case Kind::exponential:
      v = -a * std::log(1.0 - rng.unit());
      break;
    case Kind::normal:
      v = a + b * standard_normal(rng);
      break;
    case Kind::lognormal:
      v = a * std::exp(b * standard_normal(rng));
      break;
  }
  return std::clamp(v, min, max);
}

double Distribution::upper_hint() const {
  switch (kind) {
    case Kind::constant:
      return a;
    case Kind::uniform:
      return b;
    case Kind::exponential:
      return a;
    case Kind::normal:
      return a + 3 * b;
    case Kind::lognormal:
      return a * std::exp(3 * b);
  }
  return a;
}

std::string Distribution::describe(bool duration) const {
  switch (kind) {
    case Kind::constant:
      return render(a, duration);
    case Kind::uniform:
      return "uniform[" + render(a, duration) + ", " + render(b, duration) + "]";
    case Kind::exponential:
      return "exponential(mean " + render(a, duration) + ")";
    case Kind::normal:
      return "normal(mean " + render(a, duration) + ", stddev " + render(b, duration) + ")";
    case Kind::lognormal:
      break;
  }
  return "lognormal(median " + render(a, duration) + ", sigma " + render(b, false) + ")";
}

}  // namespace lockstep::sim
