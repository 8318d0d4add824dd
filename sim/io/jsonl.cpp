#include "sim/io/jsonl.hpp"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <cstring>

namespace lockstep::sim {
namespace {

void append_field(std::string& out, const Field& f, const TraceInfo& info) {
  out += ",\"";
  out += info.key_name(f.key);
  out += "\":";
  switch (info.key_type(f.key)) {
    case FieldType::node:
      if (f.value >= 0 && static_cast<size_t>(f.value) < info.node_ids.size()) {
        append_json_string(out, info.node_ids[static_cast<size_t>(f.value)]);
      } else {
        append_decimal(out, f.value);
      }
      break;
    case FieldType::boolean:
      out += f.value != 0 ? "true" : "false";
      break;
    case FieldType::message_type:
      if (f.value >= 0 && static_cast<size_t>(f.value) < info.messages.size()) {
        append_json_string(out, info.messages[static_cast<size_t>(f.value)]);
      } else {
        append_decimal(out, f.value);
      }
      break;
    case FieldType::integer:
    case FieldType::duration_ns:
      append_decimal(out, f.value);
      break;
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

std::string event_to_json(const Event& e, const TraceInfo& info) {
  std::string out;
  out.reserve(160);
  out += "{\"t\":";
  append_decimal(out, e.at.ns);
  out += ",\"node\":";
  if (e.node == kNoNode) {
    out += "null";
  } else {
    append_json_string(out, info.node_name(e.node));
  }
  out += ",\"mono\":";
  append_decimal(out, e.mono.ns);
  out += ",\"wall\":";
  append_decimal(out, e.wall.ns);
  out += ",\"kind\":";
  append_json_string(out, info.kind_name(e.kind));
  for (uint8_t i = 0; i < e.field_count; ++i) append_field(out, e.fields[i], info);
  if (!e.text.empty()) {
    out += ",\"text\":";
    append_json_string(out, e.text);
  }
  out += '}';
  return out;
}

std::string trace_header_json(const TraceInfo& info) {
  std::string out = "{\"schema_version\":1,\"scenario\":";
  append_json_string(out, info.scenario);
  out += ",\"protocol\":";
  append_json_string(out, info.protocol);
  out += ",\"seed\":";
  out += std::to_string(info.seed);
  out += ",\"duration_ns\":";
  append_decimal(out, info.duration_ns);
  out += ",\"nodes\":[";
  for (size_t i = 0; i < info.node_ids.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"id\":";
    append_json_string(out, info.node_ids[i]);
    out += ",\"role\":";
    append_json_string(out, i < info.node_roles.size() ? info.node_roles[i] : "");
    out += '}';
  }
  out += "],\"messages\":[";
  for (size_t i = 0; i < info.messages.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, info.messages[i]);
  }
  out += "]}";
  return out;
}

namespace {

// Lines are written in blocks of this many bytes; a line longer than a block is formatted by
// event_to_json and written alone.
constexpr size_t kBlock = size_t{1} << 20;

std::string quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

char* put(char* out, std::string_view s) {
  std::memcpy(out, s.data(), s.size());
  return out + s.size();
}

// Decimal digits of `u` (at least one): the bit length gives the count to within one, and one
// comparison with a power of ten settles it.
int decimal_digits(uint64_t u) {
  static constexpr uint64_t kPow10[20] = {1ull,
                                          10ull,
                                          100ull,
                                          1000ull,
                                          10000ull,
                                          100000ull,
                                          1000000ull,
                                          10000000ull,
                                          100000000ull,
                                          1000000000ull,
                                          10000000000ull,
                                          100000000000ull,
                                          1000000000000ull,
                                          10000000000000ull,
                                          100000000000000ull,
                                          1000000000000000ull,
                                          10000000000000000ull,
                                          100000000000000000ull,
                                          1000000000000000000ull,
                                          10000000000000000000ull};
  const int t = ((64 - __builtin_clzll(u | 1)) * 1233) >> 12;  // 1233 / 4096 ~ log10(2)
  return std::max(1, t + 1 - (u < kPow10[t] ? 1 : 0));
}

constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// `u` < 10^8 in decimal, two digits per division.
char* put_small(char* out, uint64_t u) {
  assert(u < 100000000);
  char* end = out + decimal_digits(u);
  char* p = end;
  while (u >= 100) {
    p -= 2;
    std::memcpy(p, kPairs + 2 * (u % 100), 2);
    u /= 100;
  }
  if (u >= 10) {
    std::memcpy(p - 2, kPairs + 2 * u, 2);
  } else {
    p[-1] = static_cast<char>('0' + u);
  }
  return end;
}

// `u` < 10^8 as exactly eight digits, leading zeros included: four independent pairs, so the
// divisions (multiplications by constants) do not wait on each other.
void put8(char* out, uint64_t u) {
  assert(u < 100000000);
  const uint64_t high = u / 10000;
  const uint64_t low = u % 10000;
  std::memcpy(out, kPairs + 2 * (high / 100), 2);
  std::memcpy(out + 2, kPairs + 2 * (high % 100), 2);
  std::memcpy(out + 4, kPairs + 2 * (low / 100), 2);
  std::memcpy(out + 6, kPairs + 2 * (low % 100), 2);
}

// `v` in decimal as std::to_chars writes it. The trace's integers are mostly 10-12 digit times:
// they are cut into eight-digit groups written side by side instead of one chain of divisions.
char* put_int(char* out, int64_t v) {
  constexpr uint64_t k8 = 100000000;
  uint64_t u = static_cast<uint64_t>(v);
  if (v < 0) {
    *out++ = '-';
    u = 0 - u;
  }
  if (u < k8) return put_small(out, u);
  if (u < k8 * k8) {
    out = put_small(out, u / k8);
    put8(out, u % k8);
    return out + 8;
  }
  out = put_small(out, u / (k8 * k8));  // at most 1844
  put8(out, u / k8 % k8);
  put8(out + 8, u % k8);
  return out + 16;
}

}  // namespace

void append_decimal(std::string& out, int64_t v) {
  char buf[20];  // 20 characters hold every int64
  out.append(buf, static_cast<size_t>(put_int(buf, v) - buf));
}

JsonlSink::JsonlSink(std::string path) : file_(std::move(path)), out_(file_, kBlock) {}

void JsonlSink::begin(const TraceInfo& info) {
  info_ = &info;
  names_ = Names{};
  for (const std::string& id : info.node_ids) names_.nodes.push_back(quoted(id));
  for (const std::string& m : info.messages) names_.messages.push_back(quoted(m));
  for (const auto* list : {&names_.nodes, &names_.messages}) {
    for (const std::string& name : *list) names_.longest = std::max(names_.longest, name.size());
  }
  learn_vocabulary();
  used_ = 0;
  std::string header = trace_header_json(info);
  header += '\n';
  out_.write(header);
}

// The kinds and keys known so far (a vocabulary may only grow, so a table is only extended).
void JsonlSink::learn_vocabulary() {
  const Vocabulary& v = *info_->vocabulary;
  for (size_t i = names_.kinds.size(); i < v.kind_count(); ++i) {
    names_.kinds.push_back(",\"kind\":" + quoted(v.name(static_cast<Kind>(i))));
    names_.longest = std::max(names_.longest, names_.kinds.back().size());
  }
  for (size_t i = names_.keys.size(); i < v.key_count(); ++i) {
    names_.keys.push_back(",\"" + std::string(v.name(static_cast<Key>(i))) + "\":");
    names_.key_types.push_back(v.type(static_cast<Key>(i)));
    names_.longest = std::max(names_.longest, names_.keys.back().size());
  }
}

// One field, as append_field writes it.
char* JsonlSink::field(char* out, const Field& f) {
  out = put(out, names_.keys[static_cast<size_t>(f.key)]);
  const auto index = static_cast<size_t>(f.value);
  switch (names_.key_types[static_cast<size_t>(f.key)]) {
    case FieldType::node:
      return f.value >= 0 && index < names_.nodes.size() ? put(out, names_.nodes[index])
                                                         : put_int(out, f.value);
    case FieldType::boolean:
      return put(out, f.value != 0 ? "true" : "false");
    case FieldType::message_type:
      return f.value >= 0 && index < names_.messages.size() ? put(out, names_.messages[index])
                                                            : put_int(out, f.value);
    case FieldType::integer:
    case FieldType::duration_ns:
      break;
  }
  return put_int(out, f.value);
}

void JsonlSink::on_event(const Event& e) {
  assert(info_ != nullptr);
  if (static_cast<size_t>(e.kind) >= names_.kinds.size()) learn_vocabulary();
  for (uint8_t i = 0; i < e.field_count; ++i) {
    if (static_cast<size_t>(e.fields[i].key) >= names_.keys.size()) learn_vocabulary();
  }
  // At most: the head with three integers and a node, the kind, the fields, the text (each byte
  // escaped to at most six) and the newline.
  const size_t most =
      64 + 3 * 20 + (1 + Event::kMaxFields) * (names_.longest + 20) + 6 * e.text.size() + 16;
  if (most > kBlock) {
    flush();
    out_.write(event_to_json(e, *info_) + "\n");
    return;
  }
  if (used_ + most > kBlock) flush();
  char* out = out_.data() + used_;
  out = put(out, "{\"t\":");
  // Without drift or offset the three times are one number: its digits are copied, not formatted
  // again.
  const char* digits = out;
  out = put_int(out, e.at.ns);
  const auto t_len = static_cast<size_t>(out - digits);
  out = put(out, ",\"node\":");
  out = e.node == kNoNode
            ? put(out, "null")
            : put(out, e.node < names_.nodes.size() ? std::string_view(names_.nodes[e.node])
                                                    : std::string_view("\"?\""));
  out = put(out, ",\"mono\":");
  const char* mono = out;
  out = e.mono.ns == e.at.ns ? put(out, {digits, t_len}) : put_int(out, e.mono.ns);
  const auto mono_len = static_cast<size_t>(out - mono);
  out = put(out, ",\"wall\":");
  out = e.wall.ns == e.mono.ns ? put(out, {mono, mono_len}) : put_int(out, e.wall.ns);
  out = put(out, names_.kinds[static_cast<size_t>(e.kind)]);
  for (uint8_t i = 0; i < e.field_count; ++i) out = field(out, e.fields[i]);
  if (!e.text.empty()) {
    std::string text = ",\"text\":";
    append_json_string(text, e.text);
    out = put(out, text);
  }
  *out++ = '}';
  *out++ = '\n';
  used_ = static_cast<size_t>(out - out_.data());
}

void JsonlSink::flush() {
  out_.hand_over(used_);
  used_ = 0;
}

bool JsonlSink::commit() {
  flush();
  out_.finish();
  return file_.commit();
}

}  // namespace lockstep::sim
