// Strict reading of YAML input: every value carries its file, key path and position, so each
// error names FILE:LINE:COL and the key; mappings reject duplicate and unknown keys; scalars are
// read as exactly one type. Header-only so the loader builds from scenario{,_loader}.cpp alone.
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/params.hpp"
#include "sim/core/time.hpp"
#include "sim/io/scenario_keys.hpp"
#include "sim/scenario/scenario.hpp"

namespace lockstep::sim::yaml_util {

// Levenshtein distance, for "did you mean" hints. Inputs are short keys and ids.
inline size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      const size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The known word a typo most likely meant: the nearest within edit distance 2, or one that starts
// with the other (`drift` for `drift_ppm`). Ties go to the earlier candidate.
inline std::optional<std::string_view> closest(std::string_view word,
                                               std::span<const std::string_view> known) {
  std::optional<std::string_view> best;
  size_t best_distance = 3;
  for (std::string_view candidate : known) {
    size_t distance = edit_distance(word, candidate);
    const bool long_enough = std::min(word.size(), candidate.size()) >= 2;
    if (long_enough && (candidate.starts_with(word) || word.starts_with(candidate))) {
      distance = std::min<size_t>(distance, 2);
    }
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

// "; did you mean 'x'?" when a candidate is close, else the list of known words when short.
inline std::string hint(std::string_view word, std::span<const std::string_view> known) {
  if (auto near = closest(word, known)) return "; did you mean '" + std::string(*near) + "'?";
  if (known.empty() || known.size() > 16) return "";
  std::string out = "; expected one of: ";
  for (size_t i = 0; i < known.size(); ++i) out += (i ? ", " : "") + std::string(known[i]);
  return out;
}

inline std::string join_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

// A node's 1-based position; an empty value (`key:` with nothing after it) has no useful mark
// of its own, so it reports at `fallback`, its key's position.
inline SourcePos position_of(const YAML::Node& node, SourcePos fallback) {
  const YAML::Mark mark = node.Mark();
  if (node.IsNull() || mark.line < 0 || mark.column < 0) return fallback;
  return SourcePos{mark.line + 1, mark.column + 1};
}

// One YAML value with the file, key path and position every error about it must name.
class Value {
 public:
  Value(const std::string& file, YAML::Node node, std::string path, SourcePos pos)
      : file_(&file), node_(std::move(node)), path_(std::move(path)), pos_(pos) {}

  const YAML::Node& node() const { return node_; }
  const std::string& file() const { return *file_; }
  const std::string& path() const { return path_; }
  SourcePos pos() const { return pos_; }
  bool is_null() const { return !node_.IsDefined() || node_.IsNull(); }
  bool is_list() const { return node_.IsSequence(); }
  bool is_map() const { return node_.IsMap(); }

  [[noreturn]] void fail(const std::string& message) const {
    throw InputError(*file_, pos_.line, pos_.column, path_, message);
  }

  // What the value is, for "expected X, got Y" messages.
  std::string describe() const {
    if (is_null()) return "nothing";
    if (node_.IsSequence()) return "a list";
    if (node_.IsMap()) return "a mapping";
    return "'" + node_.Scalar() + "'";
  }

  // The scalar text; anything else is an error saying what was `expected`.
  const std::string& scalar(std::string_view expected) const {
    if (is_null() || !node_.IsScalar())
      fail("expected " + std::string(expected) + ", got " + describe());
    return node_.Scalar();
  }

  // The scalar text of a value that must be written plainly (a number, a duration, a boolean):
  // a quoted `"7"` is a string, not a number, and is refused.
  const std::string& plain_scalar(std::string_view expected) const {
    const std::string& text = scalar(expected);
    if (node_.Tag() != "?") {
      fail("expected " + std::string(expected) + ", got the quoted string " + describe() +
           "; write it without quotes");
    }
    return text;
  }

  // The list's items, each with its own path (`faults[2]`) and position. `limit` bounds input.
  // An empty value (`faults:`) reads as an empty list, as an empty mapping does.
  std::vector<Value> list(std::string_view expected, size_t limit) const {
    if (is_null()) return {};
    if (!node_.IsSequence()) fail("expected " + std::string(expected) + ", got " + describe());
    if (node_.size() > limit) {
      fail("too many entries: " + std::to_string(node_.size()) + " (the limit is " +
           std::to_string(limit) + ")");
    }
    std::vector<Value> items;
    items.reserve(node_.size());
    for (size_t i = 0; i < node_.size(); ++i) {
      const YAML::Node item = node_[i];
      items.emplace_back(*file_, item, path_ + "[" + std::to_string(i) + "]",
                         position_of(item, pos_));
    }
    return items;
  }

  // Exactly two items, as in `[a, b]`.
  std::pair<Value, Value> pair(std::string_view expected) const {
    if (!is_list()) fail("expected " + std::string(expected) + ", got " + describe());
    if (node_.size() != 2) {
      fail("expected " + std::string(expected) + ", got a list of " + std::to_string(node_.size()));
    }
    const std::vector<Value> items = list(expected, 2);
    return {items[0], items[1]};
  }

 private:
  const std::string* file_;
  YAML::Node node_;
  std::string path_;
  SourcePos pos_;
};

struct Entry {
  Value key;  // the key itself: unknown-key errors point here
  Value value;
};

// A mapping read strictly: keys are plain words given once. An empty value (`network:`) reads
// as an empty mapping so that every default applies.
class Mapping {
 public:
  Mapping(const Value& value, std::string_view expected) : self_(value) {
    if (value.is_null()) return;
    if (!value.is_map())
      value.fail("expected " + std::string(expected) + ", got " + value.describe());
    for (auto it = value.node().begin(); it != value.node().end(); ++it) add(it->first, it->second);
  }

  const Value& self() const { return self_; }
  const std::vector<Entry>& entries() const { return entries_; }

  // Rejects keys not in `known`: "unknown param 'leese' for protocol toy; did you mean 'lease'?".
  void allow_only(std::span<const std::string_view> known, std::string_view noun,
                  std::string_view owner = {}) const {
    for (const Entry& e : entries_) {
      const std::string& key = e.key.node().Scalar();
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string message = "unknown " + std::string(noun) + " '" + key + "'";
      if (!owner.empty()) message += " for " + std::string(owner);
      message += known.empty() ? std::string("; it takes none") : hint(key, known);
      e.key.fail(message);
    }
  }

  std::optional<Value> get(std::string_view key) const {
    const auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    return entries_[it->second].value;
  }

  Value require(std::string_view key) const {
    if (auto v = get(key)) return *v;
    self_.fail("missing required key '" + std::string(key) + "'");
  }

 private:
  void add(const YAML::Node& key, const YAML::Node& value) {
    const SourcePos key_pos = position_of(key, self_.pos());
    if (!key.IsScalar()) {
      throw InputError(self_.file(), key_pos.line, key_pos.column, self_.path(),
                       "keys must be plain words, got a " +
                           std::string(key.IsMap() ? "mapping" : "list") + " as a key");
    }
    const std::string path = join_path(self_.path(), key.Scalar());
    Value key_value(self_.file(), key, path, key_pos);
    // A map, not a scan of the entries so far: a file of 100,000 keys reads in linear-log time.
    const auto [it, inserted] = index_.emplace(key.Scalar(), entries_.size());
    if (!inserted) {
      key_value.fail("duplicate key '" + key.Scalar() + "' (first given at line " +
                     std::to_string(entries_[it->second].key.pos().line) + ")");
    }
    entries_.push_back(
        Entry{key_value, Value(self_.file(), value, path, position_of(value, key_pos))});
  }

  Value self_;
  std::vector<Entry> entries_;
  std::map<std::string, size_t, std::less<>> index_;  // key -> its entry
};

// ---- Scalars ---------------------------------------------------------------------------------

inline std::string read_string(const Value& v, std::string_view expected = "a string") {
  return v.scalar(expected);
}

inline bool read_bool(const Value& v) {
  const std::string& text = v.plain_scalar("true or false");
  if (text == "true") return true;
  if (text == "false") return false;
  v.fail("expected true or false, got " + v.describe());
}

inline std::optional<int64_t> parse_integer(std::string_view text) {
  int64_t out = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return out;
}

inline std::optional<double> parse_number(std::string_view text) {
  double out = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(out)) {
    return std::nullopt;
  }
  return out;
}

inline int64_t read_integer(const Value& v) {
  const std::string& text = v.plain_scalar("an integer");
  if (auto n = parse_integer(text)) return *n;
  v.fail("expected an integer, got " + v.describe());
}

inline double read_number(const Value& v) {
  const std::string& text = v.plain_scalar("a number");
  if (auto n = parse_number(text)) return *n;
  v.fail("expected a number, got " + v.describe());
}

inline double read_probability(const Value& v) {
  const double p = read_number(v);
  if (p < 0 || p > 1) v.fail("expected a probability between 0 and 1, got " + v.node().Scalar());
  return p;
}

enum class Sign : uint8_t { non_negative, any };

// The longest duration a file may give: 100 years. Simulated times are int64 nanoseconds (about
// 292 years), so a start plus a length, or a run's end plus a timer, always fits.
inline constexpr Duration kMaxDuration{100LL * 365 * 24 * 3'600'000'000'000LL};

inline Duration read_duration(const Value& v, Sign sign = Sign::non_negative) {
  const std::string& text = v.plain_scalar("a duration such as 500ms or 2s");
  bool overflow = false;
  const std::optional<Duration> d = parse_duration(text, &overflow);
  if (overflow || (d && (d->ns > kMaxDuration.ns || d->ns < -kMaxDuration.ns))) {
    v.fail("the duration " + text + " is too large; durations are limited to " +
           format_duration(kMaxDuration) + " (100 years) so that sums of them stay exact");
  }
  if (!d) {
    if (parse_number(text)) v.fail("durations need a unit, e.g. 10s (got '" + text + "')");
    v.fail("expected a duration such as 500ms or 2s, got " + v.describe());
  }
  if (sign == Sign::non_negative && d->ns < 0) v.fail("must not be negative, got " + text);
  return *d;
}

// `[a, b]` of durations with a <= b.
inline DurationRange read_range(const Value& v) {
  const auto [first, second] = v.pair("a range [min, max] of two durations");
  const DurationRange r{read_duration(first), read_duration(second)};
  if (r.min > r.max) {
    v.fail("reversed range: the first value (" + format_duration(r.min) +
           ") must not exceed the second (" + format_duration(r.max) + ")");
  }
  return r;
}

// One of the words in `choices` ("monotonic|wall").
inline std::string read_choice(const Value& v, std::string_view choices) {
  std::vector<std::string_view> words;
  for (size_t start = 0; start <= choices.size();) {
    const size_t bar = std::min(choices.find('|', start), choices.size());
    words.push_back(choices.substr(start, bar - start));
    start = bar + 1;
  }
  const std::string& text = v.scalar("one of " + std::string(choices));
  if (std::find(words.begin(), words.end(), text) != words.end()) return text;
  v.fail("expected one of " + std::string(choices) + ", got " + v.describe() + hint(text, words));
}

// ---- Distributions ---------------------------------------------------------------------------

// What a distribution's values are: durations (in ns) or plain numbers, and their allowed range.
// Draws are clamped to [lo, hi] too, so a normal latency never goes negative.
struct Amount {
  bool duration = true;
  double lo = 0;
  double hi = 1e300;
};
inline constexpr Amount kDurationAmount{true, 0, 1e300};
inline constexpr Amount kSignedDurationAmount{true, -1e300, 1e300};
inline constexpr Amount kPpmAmount{false, -500'000, 500'000};

inline std::string render_amount(double x, const Amount& amount) {
  if (amount.duration) return format_duration(Duration{static_cast<int64_t>(x)});
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

inline double read_amount(const Value& v, const Amount& amount) {
  double x = 0;
  if (amount.duration) {
    x = static_cast<double>(read_duration(v, Sign::any).ns);
  } else {
    x = read_number(v);
  }
  if (x < amount.lo && amount.lo == 0) v.fail("must not be negative, got " + v.node().Scalar());
  if (x < amount.lo || x > amount.hi) {
    v.fail("must be between " + render_amount(amount.lo, amount) + " and " +
           render_amount(amount.hi, amount) + ", got " + v.node().Scalar());
  }
  return x;
}

inline Distribution read_uniform(const Value& v, const Amount& amount) {
  const auto [first, second] = v.pair("[min, max]");
  Distribution d{Distribution::Kind::uniform, read_amount(first, amount),
                 read_amount(second, amount)};
  if (d.a > d.b) {
    v.fail("reversed range: the first value (" + first.node().Scalar() +
           ") must not exceed the second (" + second.node().Scalar() + ")");
  }
  return d;
}

inline Distribution read_exponential(const Value& v, const Amount& amount) {
  Distribution d{Distribution::Kind::exponential, read_amount(v, amount), 0};
  if (d.a <= 0) v.fail("the mean of an exponential must be positive, got " + v.node().Scalar());
  return d;
}

inline Distribution read_normal(const Value& v, const Amount& amount) {
  static constexpr auto kKeys = keys::names_of(keys::kNormal);
  const Mapping m(v, "{mean: m, stddev: s}");
  m.allow_only(kKeys, "key");
  const Amount spread{amount.duration, 0, amount.hi};
  return Distribution{Distribution::Kind::normal, read_amount(m.require("mean"), amount),
                      read_amount(m.require("stddev"), spread)};
}

inline Distribution read_lognormal(const Value& v, const Amount& amount) {
  static constexpr auto kKeys = keys::names_of(keys::kLognormal);
  const Mapping m(v, "{median: m, sigma: s}");
  m.allow_only(kKeys, "key");
  const Value median = m.require("median");
  const Value sigma = m.require("sigma");
  Distribution d{Distribution::Kind::lognormal, read_amount(median, amount), read_number(sigma)};
  if (d.a <= 0)
    median.fail("the median of a lognormal must be positive, got " + median.node().Scalar());
  if (d.b < 0) sigma.fail("sigma must not be negative, got " + sigma.node().Scalar());
  return d;
}

// A bare value (constant) or `{uniform | exponential | normal | lognormal: ...}`.
inline Distribution read_distribution(const Value& v, const Amount& amount) {
  static constexpr auto& kKinds = keys::kDistributions;
  Distribution d;
  if (v.is_map()) {
    const Mapping m(v, "a distribution");
    m.allow_only(kKinds, "distribution");
    if (m.entries().size() != 1) {
      v.fail("a distribution has exactly one of: uniform, exponential, normal, lognormal");
    }
    const Entry& e = m.entries().front();
    const std::string& kind = e.key.node().Scalar();
    if (kind == "uniform") d = read_uniform(e.value, amount);
    if (kind == "exponential") d = read_exponential(e.value, amount);
    if (kind == "normal") d = read_normal(e.value, amount);
    if (kind == "lognormal") d = read_lognormal(e.value, amount);
  } else {
    if (v.is_list()) {
      v.fail("expected a value or a distribution such as {uniform: [a, b]}, got a list");
    }
    d = Distribution::constant_of(read_amount(v, amount));
  }
  d.min = amount.lo;
  d.max = amount.hi;
  return d;
}

// ---- Params ----------------------------------------------------------------------------------

// A value of a `positive` param that is not greater than zero.
inline void check_positive(const Value& v, const ParamValue& value, const ParamSpec& spec) {
  if (!spec.positive) return;
  bool ok = true;
  if (const auto* d = std::get_if<Duration>(&value)) ok = d->ns > 0;
  if (const auto* r = std::get_if<DurationRange>(&value)) ok = r->min.ns > 0;
  if (const auto* i = std::get_if<int64_t>(&value)) ok = *i > 0;
  if (const auto* n = std::get_if<double>(&value)) ok = *n > 0;
  if (!ok) v.fail("must be greater than 0, got " + v.describe());
}

inline ParamValue read_param_value(const Value& v, const ParamSpec& spec);

inline ParamValue read_param(const Value& v, const ParamSpec& spec) {
  ParamValue value = read_param_value(v, spec);
  check_positive(v, value, spec);
  return value;
}

inline ParamValue read_param_value(const Value& v, const ParamSpec& spec) {
  switch (spec.type) {
    case ParamType::boolean:
      return read_bool(v);
    case ParamType::integer:
      return read_integer(v);
    case ParamType::number:
      return read_number(v);
    case ParamType::duration:
      return read_duration(v);
    case ParamType::duration_range:
      return read_range(v);
    case ParamType::distribution:
      return read_distribution(v, kDurationAmount);
    case ParamType::choice:
      return read_choice(v, spec.choices);
  }
  v.fail("unsupported param type");
}

// A default that does not parse as its own type is a programming error in the catalog.
inline ParamValue read_default(const ParamSpec& spec, std::string_view owner) {
  assert(!spec.default_yaml.empty() && "every ParamSpec needs a default");
  const std::string label = "<default of " + std::string(owner) + ">";
  try {
    const Value v(label, YAML::Load(std::string(spec.default_yaml)), std::string(spec.name),
                  SourcePos{});
    return read_param(v, spec);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lockstep: bad ParamSpec default: %s\n", e.what());
    assert(false && "a ParamSpec default_yaml must parse as its declared type");
    std::abort();
  }
}

inline Params defaults_of(std::span<const ParamSpec> specs, std::string_view owner) {
  Params params;
  for (const ParamSpec& spec : specs) params.set(std::string(spec.name), read_default(spec, owner));
  return params;
}

// Applies a `{name: value}` mapping over `params`; names and types are checked against `specs`.
inline void override_params(Params& params, const Value& v, std::span<const ParamSpec> specs,
                            std::string_view noun, std::string_view owner) {
  std::vector<std::string_view> names;
  for (const ParamSpec& spec : specs) names.push_back(spec.name);
  const Mapping m(v, "a mapping of " + std::string(noun) + "s");
  m.allow_only(names, noun, owner);
  for (const Entry& e : m.entries()) {
    const auto spec = std::find_if(specs.begin(), specs.end(), [&](const ParamSpec& s) {
      return s.name == e.key.node().Scalar();
    });
    assert(spec != specs.end());
    ParamValue value = read_param(e.value, *spec);
    if (spec->check != nullptr) {
      const std::string why = spec->check(value);
      if (!why.empty()) e.value.fail(why);
    }
    params.set(std::string(spec->name), std::move(value));
  }
}

}  // namespace lockstep::sim::yaml_util
