#include "tools/trace/fast_line.hpp"

#include <bit>
#include <cstring>

namespace lockstep::tools {

// What is read so far of one line; every step fails (false) on a byte the writer never writes
// there, and the full reader takes the line over.
struct FastLine::Cursor {
  const char* p;
  const char* end;

  bool eat(char ch) {
    if (p == end || *p != ch) return false;
    ++p;
    return true;
  }
  // A word known at compile time, compared with a memcmp of constant size (inlined).
  template <size_t N>
  bool literal(const char (&word)[N]) {
    constexpr size_t n = N - 1;
    if (static_cast<size_t>(end - p) < n || std::memcmp(p, word, n) != 0) return false;
    p += n;
    return true;
  }
  // A string of printable ASCII without escapes (anything else: the full reader decodes it).
  bool string(std::string_view& out) {
    if (!eat('"')) return false;
    for (const char* start = p; p != end; ++p) {
      const auto ch = static_cast<unsigned char>(*p);
      if (ch == '"') {
        out = std::string_view(start, static_cast<size_t>(p++ - start));
        return true;
      }
      if (ch < 0x20 || ch > 0x7e || ch == '\\') return false;
    }
    return false;
  }
  // Whether the 8 bytes at `at` are all digits, and if so their value. Each step adds
  // neighbouring groups (bytes, then pairs, then quads) within a 64-bit word; no group carries
  // into the next, as no partial value exceeds its group's width.
  static bool eight_digits(const char* at, uint64_t* value) {
    uint64_t x;
    std::memcpy(&x, at, sizeof x);
    static_assert(std::endian::native == std::endian::little, "the first digit is the low byte");
    constexpr uint64_t kHigh = 0xF0F0F0F0F0F0F0F0ull;
    constexpr uint64_t kZeros = 0x3030303030303030ull;
    if ((x & kHigh) != kZeros || ((x + 0x0606060606060606ull) & kHigh) != kZeros) return false;
    x -= kZeros;
    x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFull;    // two-digit groups
    x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFull;  // four-digit groups
    *value = (x * 10000 + (x >> 32)) & 0xFFFFFFFFull;   // eight digits
    return true;
  }
  // -?(0|[1-9][0-9]*) with at most 18 digits, so it cannot overflow; a fraction or an exponent
  // fails where the caller expects ',' or '}'.
  bool integer(int64_t& out) {
    const bool negative = p != end && *p == '-';
    if (negative) ++p;
    if (p == end || *p < '0' || *p > '9') return false;
    int64_t v = 0;
    if (*p == '0') {
      ++p;
      if (p != end && *p >= '0' && *p <= '9') return false;  // a leading zero is not JSON
    } else {
      int digits = 0;
      uint64_t eight = 0;
      while (end - p >= 8 && eight_digits(p, &eight)) {  // a time or an id: 8 digits at once
        digits += 8;
        if (digits > 18) return false;
        v = v * 100'000'000 + static_cast<int64_t>(eight);
        p += 8;
      }
      for (; p != end && *p >= '0' && *p <= '9'; ++p) {
        if (++digits > 18) return false;
        v = v * 10 + (*p - '0');
      }
    }
    out = negative ? -v : v;
    return true;
  }
};

template <class T>
void FastLine::Names<T>::add(std::string_view name, T value) {
  if (2 * (count_ + 1) > slots_.size()) grow();
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash(name) & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (!slot.used) {
      slot = Slot{name, value, true};
      ++count_;
      return;
    }
    if (slot.name == name) return;
  }
}

template <class T>
bool FastLine::Names<T>::find(std::string_view name, T& out) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash(name) & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (!slot.used) return false;
    if (slot.name.size() == name.size() && slot.name == name) {
      out = slot.value;
      return true;
    }
  }
}

template <class T>
void FastLine::Names<T>::grow() {
  std::vector<Slot> old(2 * slots_.size());
  old.swap(slots_);
  count_ = 0;
  for (const Slot& slot : old) {
    if (slot.used) add(slot.name, slot.value);
  }
}

FastLine::FastLine(const sim::Vocabulary& vocabulary, std::span<const std::string> nodes,
                   std::span<const std::string> messages)
    : vocabulary_(vocabulary), message_count_(messages.size()) {
  for (size_t i = 0; i < nodes.size(); ++i) {
    nodes_.add(nodes[i], static_cast<sim::NodeIndex>(i));
  }
  for (size_t i = 0; i < messages.size(); ++i) {
    messages_.add(messages[i], static_cast<int64_t>(i));
  }
  for (size_t i = 0; i < vocabulary.kind_count(); ++i) {
    kinds_.add(vocabulary.name(static_cast<sim::Kind>(i)), static_cast<sim::Kind>(i));
  }
  for (size_t i = 0; i < vocabulary.key_count(); ++i) {
    keys_.add(vocabulary.name(static_cast<sim::Key>(i)), static_cast<sim::Key>(i));
  }
}

namespace {
constexpr unsigned kT = 1, kNode = 2, kMono = 4, kWall = 8, kKind = 16, kText = 32;

// The bit of one of the six keys every event may have, or 0 for a field's key.
unsigned fixed_key(std::string_view key) {
  switch (key.size()) {
    case 1:
      return key[0] == 't' ? kT : 0;
    case 4:
      if (key == "node") return kNode;
      if (key == "mono") return kMono;
      if (key == "wall") return kWall;
      if (key == "kind") return kKind;
      return key == "text" ? kText : 0;
    default:
      return 0;
  }
}

template <class Map, class Value>
bool find(const Map& map, std::string_view name, Value& out) {
  return map.find(name, out);
}
}  // namespace

bool FastLine::field(Cursor& c, sim::Key key, sim::Event& out) const {
  int64_t value = 0;
  switch (vocabulary_.type(key)) {
    case sim::FieldType::node: {
      std::string_view name;
      sim::NodeIndex node = 0;
      if (!c.string(name) || !find(nodes_, name, node)) return false;
      value = node;
      break;
    }
    case sim::FieldType::message_type:
      if (c.p != c.end && *c.p == '"') {
        std::string_view name;
        if (!c.string(name) || !find(messages_, name, value)) return false;
      } else {
        if (!c.integer(value) || value < 0) return false;
        if (message_count_ > 0 && static_cast<size_t>(value) >= message_count_) return false;
      }
      break;
    case sim::FieldType::boolean:
      if (c.literal("true")) {
        value = 1;
      } else if (!c.literal("false")) {
        return false;
      }
      break;
    case sim::FieldType::duration_ns:
    case sim::FieldType::integer:
      if (!c.integer(value)) return false;
      break;
  }
  out.fields[out.field_count++] = sim::Field{key, value};
  return true;
}

// One member's value, by the same rules as the full reader's EventParser::parse; a key given
// twice is left to the full reader, which names it.
bool FastLine::value(Cursor& c, std::string_view key, sim::Event& out, std::string_view& text,
                     unsigned& seen) const {
  const auto once = [&seen](unsigned bit) {
    if ((seen & bit) != 0) return false;
    seen |= bit;
    return true;
  };
  int64_t n = 0;
  std::string_view s;
  switch (fixed_key(key)) {
    case kT:
      if (!once(kT) || !c.integer(n) || n < 0) return false;
      out.at = sim::Instant{n};
      return true;
    case kNode:
      if (!once(kNode)) return false;
      if (c.literal("null")) {
        out.node = sim::kNoNode;
        return true;
      }
      return c.string(s) && find(nodes_, s, out.node);
    case kMono:
    case kWall:
      if (!once(fixed_key(key)) || !c.integer(n)) return false;
      (key[0] == 'm' ? out.mono : out.wall) = sim::LocalTime{n};
      return true;
    case kKind:
      return once(kKind) && c.string(s) && find(kinds_, s, out.kind);
    case kText:
      return once(kText) && c.string(text);
    default:
      break;
  }
  sim::Key k{};
  if (!keys_.find(key, k) || out.field_count == sim::Event::kMaxFields) return false;
  for (uint8_t i = 0; i < out.field_count; ++i) {
    if (out.fields[i].key == k) return false;
  }
  return field(c, k, out);
}

bool FastLine::read(std::string_view line, sim::Event& out, std::string_view& text) const {
  Cursor c{line.data(), line.data() + line.size()};
  out = sim::Event{};
  text = {};
  unsigned seen = 0;
  // The writer's head, {"t":..,"node":..,"mono":..,"wall":..,"kind":.., matched as written;
  // where a line departs from it, the members left are read by key.
  int64_t n = 0;
  std::string_view s;
  if (!c.literal(R"({"t":)")) {
    if (!c.eat('{')) return false;
  } else if (c.integer(n) && n >= 0 && c.literal(R"(,"node":)")) {
    out.at = sim::Instant{n};
    if (c.literal("null")) {
      out.node = sim::kNoNode;
    } else if (!c.string(s) || !find(nodes_, s, out.node)) {
      return false;
    }
    seen = kT | kNode;
    if (c.literal(R"(,"mono":)") && c.integer(n)) {
      out.mono = sim::LocalTime{n};
      if (c.literal(R"(,"wall":)") && c.integer(n)) {
        out.wall = sim::LocalTime{n};
        if (!c.literal(R"(,"kind":)") || !c.string(s) || !find(kinds_, s, out.kind)) return false;
        seen |= kMono | kWall | kKind;
      } else {
        return false;
      }
    } else {
      return false;
    }
    if (c.eat('}')) return done(c, out, seen);
    if (!c.eat(',')) return false;
  } else {
    return false;
  }
  for (;;) {
    std::string_view key;
    if (!c.string(key) || !c.eat(':') || !value(c, key, out, text, seen)) return false;
    if (c.eat(',')) continue;
    if (!c.eat('}')) return false;
    return done(c, out, seen);
  }
}

// The end of a line whose members are all read: nothing may follow, t, node and kind must be
// there, and a real system's log may know only one clock (the missing readings default to true
// time, as in the full reader).
bool FastLine::done(const Cursor& c, sim::Event& out, unsigned seen) {
  if (c.p != c.end || (seen & (kT | kNode | kKind)) != (kT | kNode | kKind)) return false;
  if ((seen & kMono) == 0) out.mono = sim::LocalTime{out.at.ns};
  if ((seen & kWall) == 0) out.wall = sim::LocalTime{out.at.ns};
  return true;
}

}  // namespace lockstep::tools
