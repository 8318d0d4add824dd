#include "tools/trace/trace_reader.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <vector>

#include "sim/io/yaml_util.hpp"

namespace lockstep::tools {
namespace {

// The header is read as a document; event lines are read by a SAX handler (LineSax below) that
// keeps their fields in the order written, so evidence lines and the trace hash of a re-read
// trace match the run's exactly.
using Json = nlohmann::json;

constexpr std::string_view kHeaderKeys[] = {"schema_version", "scenario", "protocol", "seed",
                                            "duration_ns",    "nodes",    "messages"};
constexpr std::string_view kNodeKeys[] = {"id", "role"};
constexpr std::string_view kEventKeys[] = {"t", "node", "mono", "wall", "kind", "text"};

std::string format_error(const std::string& file, int64_t line, std::string_view field,
                         const std::string& problem) {
  std::string out = file + ":" + std::to_string(line) + ": ";
  if (!field.empty()) out += "field '" + std::string(field) + "': ";
  return out + problem;
}

// `j` as JSON text in ASCII: bytes that are not UTF-8 become U+FFFD (escaped), so neither the
// dump nor a message cut from it can hold invalid UTF-8 (nlohmann throws on it by default).
std::string ascii_dump(const Json& j) {
  return j.dump(-1, ' ', true, Json::error_handler_t::replace);
}

// A JSON value as a user wrote it, shortened for an error message.
std::string shown(const Json& j) {
  std::string text = ascii_dump(j);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

std::string type_of(const Json& j) {
  if (j.is_null()) return "null";
  if (j.is_boolean()) return "a boolean (" + shown(j) + ")";
  if (j.is_number()) return "a number (" + shown(j) + ")";
  if (j.is_string()) return "a string (" + shown(j) + ")";
  if (j.is_array()) return "a list";
  return "an object";
}

// Parses one line, rejecting duplicate keys in its top-level object (nlohmann would keep the
// last silently, and a trace that says two things must not be read as one of them).
Json parse_line(const std::string& text, std::string& duplicate) {
  std::vector<std::string> keys;
  const Json::parser_callback_t on_key = [&](int depth, nlohmann::json::parse_event_t event,
                                             Json& parsed) {
    if (event == nlohmann::json::parse_event_t::key && depth == 1 && parsed.is_string()) {
      const std::string& key = parsed.get_ref<const std::string&>();
      if (std::find(keys.begin(), keys.end(), key) != keys.end() && duplicate.empty()) {
        duplicate = key;
      }
      keys.push_back(key);
    }
    return true;
  };
  return Json::parse(text, on_key);
}

std::string json_error_text(const nlohmann::json::parse_error& e) {
  std::string what = e.what();
  // "[json.exception.parse_error.101] parse error at line 1, column 7: ..." -> "column 7: ..."
  const size_t at = what.find("column ");
  if (at != std::string::npos) what = what.substr(at);
  return "not valid JSON: " + what;
}

}  // namespace

TraceError::TraceError(const std::string& file, int64_t line, std::string_view field,
                       const std::string& problem)
    : std::runtime_error(format_error(file, line, field, problem)), line_(line), field_(field) {}

// ---- Reading ------------------------------------------------------------------------------------

TraceReader::TraceReader(std::istream& in, std::string file, const sim::Catalog* catalog,
                         TraceLimits limits)
    : in_(in), file_(std::move(file)), catalog_(catalog), limits_(limits) {
  if (catalog_ != nullptr) info_.vocabulary = catalog_->vocabulary();
  read_header();
}

void TraceReader::fail(std::string_view field, const std::string& problem) const {
  throw TraceError(file_, std::max<int64_t>(line_, 1), field, problem);
}

// Moves the unread bytes to the front of buf_ and reads more after them; false when the input
// has nothing more (then eof_ is set).
bool TraceReader::fill() {
  if (buf_.empty()) buf_.resize(std::max<size_t>(size_t{1} << 20, limits_.max_line_bytes + 2));
  std::copy(buf_.begin() + static_cast<ptrdiff_t>(pos_),
            buf_.begin() + static_cast<ptrdiff_t>(end_), buf_.begin());
  end_ -= pos_;
  pos_ = 0;
  const std::streamsize got =
      in_.rdbuf()->sgetn(buf_.data() + end_, static_cast<std::streamsize>(buf_.size() - end_));
  if (got <= 0) {
    eof_ = true;
    return false;
  }
  end_ += static_cast<size_t>(got);
  return true;
}

// The next line into current_ (without its newline or a trailing '\r'); false at the end of
// input. A line longer than the limit is an error before it is held in memory whole.
bool TraceReader::read_line() {
  current_ = {};
  if (pos_ == end_ && (eof_ || !fill())) return false;
  ++line_;
  for (size_t searched = 0;;) {
    const char* start = buf_.data() + pos_;
    const size_t have = end_ - pos_;
    const void* nl = std::memchr(start + searched, '\n', have - searched);
    const size_t len =
        nl != nullptr ? static_cast<size_t>(static_cast<const char*>(nl) - start) : have;
    if (len > limits_.max_line_bytes) {
      fail("", "line longer than " + std::to_string(limits_.max_line_bytes) + " bytes");
    }
    if (nl != nullptr || eof_ || !fill()) {
      current_ = std::string_view(buf_.data() + pos_, len);
      pos_ += nl != nullptr ? len + 1 : len;
      break;
    }
    searched = len;  // fill() moved the line to the front; look on only in the new bytes
  }
  if (!current_.empty() && current_.back() == '\r') current_.remove_suffix(1);
  return true;
}

namespace {

using Fail = std::function<void(std::string_view, const std::string&)>;

int64_t json_int(const Json& j, std::string_view field, const Fail& fail) {
  if (!j.is_number_integer()) fail(field, "expected an integer, got " + type_of(j));
  if (j.is_number_unsigned() &&
      j.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    fail(field, "integer out of range: " + shown(j));
  }
  return j.get<int64_t>();
}

void check_keys(const Json& j, std::span<const std::string_view> known, const std::string& prefix,
                std::string_view noun, const Fail& fail) {
  for (const auto& [key, value] : j.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    fail(prefix + key, "unknown " + std::string(noun) + sim::yaml_util::hint(key, known));
  }
}

void read_nodes(const Json& nodes, size_t limit, sim::TraceInfo& info, NameIndex& index,
                const Fail& fail) {
  if (!nodes.is_array()) fail("nodes", "expected a list of {id, role}, got " + type_of(nodes));
  if (nodes.size() > limit) fail("nodes", "more than " + std::to_string(limit) + " nodes");
  for (size_t i = 0; i < nodes.size(); ++i) {
    const std::string path = "nodes[" + std::to_string(i) + "]";
    const Json& n = nodes[i];
    if (!n.is_object()) fail(path, "expected {\"id\": ..., \"role\": ...}, got " + type_of(n));
    check_keys(n, kNodeKeys, path + ".", "node field", fail);
    const auto id = n.find("id");
    if (id == n.end()) fail(path + ".id", "missing");
    if (!id->is_string() || id->get_ref<const std::string&>().empty()) {
      fail(path + ".id", "expected a non-empty string, got " + type_of(*id));
    }
    const std::string& name = id->get_ref<const std::string&>();
    if (!index.emplace(name, info.node_ids.size()).second) {
      fail(path + ".id", "duplicate node id '" + name + "'");
    }
    std::string role;
    if (const auto r = n.find("role"); r != n.end()) {
      if (!r->is_string()) fail(path + ".role", "expected a string, got " + type_of(*r));
      role = r->get<std::string>();
    }
    info.node_ids.push_back(name);
    info.node_roles.push_back(role);
  }
}

void read_messages(const Json& m, size_t limit, sim::TraceInfo& info, NameIndex& index,
                   const Fail& fail) {
  if (!m.is_array()) fail("messages", "expected a list of names, got " + type_of(m));
  if (m.size() > limit) fail("messages", "more than " + std::to_string(limit) + " names");
  for (size_t i = 0; i < m.size(); ++i) {
    if (!m[i].is_string()) {
      fail("messages[" + std::to_string(i) + "]", "expected a string, got " + type_of(m[i]));
    }
    index.emplace(m[i].get<std::string>(), i);  // a repeated name means its first index
    info.messages.push_back(m[i].get<std::string>());
  }
}

}  // namespace

void TraceReader::read_header() {
  const Fail failer = [this](std::string_view f, const std::string& p) { fail(f, p); };
  if (!read_line()) {
    line_ = 1;
    fail("", "the trace is empty; its first line must be the header {\"schema_version\":1,...}");
  }
  Json h;
  std::string duplicate;
  try {
    h = parse_line(std::string(current_), duplicate);
  } catch (const nlohmann::json::parse_error& e) {
    fail("", "header " + json_error_text(e));
  } catch (const nlohmann::json::exception& e) {
    // A number too large for a double (found by tests/fuzz) is out_of_range, not a parse error.
    fail("", std::string("header is not valid JSON: ") + e.what());
  }
  if (!h.is_object()) fail("", "the header must be a JSON object, got " + type_of(h));
  if (!duplicate.empty()) fail(duplicate, "given twice");
  if (!h.contains("schema_version")) {
    fail("schema_version", h.contains("kind") ? "missing: the first line must be the header "
                                                "{\"schema_version\":1,...}, not an event"
                                              : "missing: every trace starts with it");
  }
  check_keys(h, kHeaderKeys, "", "header field", failer);
  const int64_t version = json_int(h["schema_version"], "schema_version", failer);
  if (version != 1) {
    fail("schema_version",
         "unsupported version " + std::to_string(version) + " (this lockstep reads version 1)");
  }
  for (const std::string_view key : {"scenario", "protocol"}) {
    const auto it = h.find(key);
    if (it == h.end()) continue;
    if (!it->is_string()) fail(key, "expected a string, got " + type_of(*it));
    (key == "scenario" ? info_.scenario : info_.protocol) = it->get<std::string>();
  }
  if (h.contains("seed")) {
    const int64_t seed = json_int(h["seed"], "seed", failer);
    if (seed < 0) fail("seed", "must not be negative");
    info_.seed = static_cast<uint64_t>(seed);
  }
  if (h.contains("duration_ns")) {
    duration_ns_ = json_int(h["duration_ns"], "duration_ns", failer);
    if (*duration_ns_ <= 0) fail("duration_ns", "must be positive");
    info_.duration_ns = *duration_ns_;
  }
  if (!h.contains("nodes")) fail("nodes", "missing: the header lists every node as {id, role}");
  read_nodes(h["nodes"], limits_.max_nodes, info_, node_index_, failer);
  if (h.contains("messages")) {
    read_messages(h["messages"], limits_.max_messages, info_, message_index_, failer);
  }
  if (info_.scenario.empty()) info_.scenario = file_;
  checks_ = std::make_unique<EventChecks>(*info_.vocabulary, catalog_);
  fast_ = std::make_unique<FastLine>(*info_.vocabulary, info_.node_ids, info_.messages);
  const sim::ProtocolSpec* spec =
      catalog_ != nullptr ? catalog_->protocol(info_.protocol) : nullptr;
  if (spec != nullptr) {
    // The protocol's role claims, as a run gives them (connectivity counts leader claimants).
    for (const std::string& role : info_.node_roles) {
      std::vector<std::string>& claims = info_.node_claims.emplace_back();
      for (const sim::RoleSpec& r : spec->roles) {
        if (r.name != role) continue;
        for (std::string_view c : r.claims) claims.emplace_back(c);
      }
    }
  }
}

sim::Instant TraceReader::end() const { return sim::Instant{duration_ns_.value_or(last_t_)}; }

namespace {

// One top-level member of an event line, read by the SAX handler below: events are flat objects,
// so a line is read without building a JSON document (reading is most of what `check` does).
struct Value {
  enum class Type : uint8_t { null, boolean, integer, floating, string, list, object };
  explicit Value(Type t = Type::null) : type(t) {}
  Type type;
  bool boolean = false;
  int64_t integer = 0;
  bool out_of_range = false;  // an integer above int64's range
  std::string text;           // a string's value, or a number as written
};

struct Member {
  std::string key;
  Value value;
};

std::string describe(const Value& v) {
  const auto cut = [](std::string s) { return s.size() > 40 ? s.substr(0, 37) + "..." : s; };
  switch (v.type) {
    case Value::Type::null:
      return "null";
    case Value::Type::boolean:
      return std::string("a boolean (") + (v.boolean ? "true" : "false") + ")";
    case Value::Type::integer:
    case Value::Type::floating:
      return "a number (" + cut(v.text) + ")";
    case Value::Type::string:
      return "a string (" + cut(ascii_dump(Json(v.text))) + ")";
    case Value::Type::list:
      return "a list";
    case Value::Type::object:
      return "an object";
  }
  return "?";
}

// Collects the top-level members of one line (nested values only by type), the first key given
// twice, and the first syntax error.
// The most top-level members an event line may have (six keys and four fields are the most a
// valid one has).
constexpr size_t kMaxMembers = 64;

class LineSax final : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::vector<Member> members;
  bool too_many = false;  // stopped at kMaxMembers
  std::optional<Value::Type> root;
  std::string duplicate;
  std::string error;

  bool null() override { return put(Value{}); }
  bool boolean(bool b) override {
    Value v{Value::Type::boolean};
    v.boolean = b;
    return put(std::move(v));
  }
  bool number_integer(number_integer_t n) override {
    Value v{Value::Type::integer};
    v.integer = n;
    v.text = std::to_string(n);
    return put(std::move(v));
  }
  bool number_unsigned(number_unsigned_t n) override {
    Value v{Value::Type::integer};
    v.out_of_range = n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    v.integer = v.out_of_range ? 0 : static_cast<int64_t>(n);
    v.text = std::to_string(n);
    return put(std::move(v));
  }
  bool number_float(number_float_t, const string_t& text) override {
    Value v{Value::Type::floating};
    v.text = text;
    return put(std::move(v));
  }
  bool string(string_t& text) override {
    Value v{Value::Type::string};
    v.text = std::move(text);
    return put(std::move(v));
  }
  bool binary(binary_t&) override { return put(Value{Value::Type::list}); }
  bool start_object(std::size_t) override { return open(Value::Type::object); }
  bool start_array(std::size_t) override { return open(Value::Type::list); }
  bool end_object() override { return --depth_, true; }
  bool end_array() override { return --depth_, true; }
  bool key(string_t& k) override {
    if (depth_ != 1) return true;
    // An event has a handful of fields; a bound keeps the duplicate scan below linear.
    if (members.size() >= kMaxMembers) {
      too_many = true;
      return false;
    }
    for (const Member& m : members) {
      if (m.key == k && duplicate.empty()) duplicate = k;
    }
    members.push_back(Member{std::move(k), Value{}});
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error = e.what();
    return false;
  }

 private:
  bool put(Value v) {
    if (depth_ == 0) root = v.type;
    if (depth_ == 1 && !members.empty()) members.back().value = std::move(v);
    return true;
  }
  bool open(Value::Type type) {
    put(Value{type});
    ++depth_;
    return true;
  }
  int depth_ = 0;
};

// Reading one event line: its members into `out`, checked against the header.
class EventParser {
 public:
  EventParser(const sim::TraceInfo& info, const NameIndex& nodes, const NameIndex& messages,
              const Fail& fail)
      : info_(info), nodes_(nodes), messages_(messages), fail_(fail) {}

  void parse(const std::vector<Member>& members, sim::Event& out, std::string& text);

 private:
  int64_t integer(const Value& v, std::string_view field) const {
    if (v.type != Value::Type::integer) fail_(field, "expected an integer, got " + describe(v));
    if (v.out_of_range) fail_(field, "integer out of range: " + v.text);
    return v.integer;
  }
  sim::NodeIndex node(const Value& v, std::string_view field) const;
  int64_t message_type(const Value& v, std::string_view field) const;
  void typed_field(const std::string& key, const Value& v, sim::Event& out) const;
  void kind(const Value& v, sim::Event& out) const;

  const sim::TraceInfo& info_;
  const NameIndex& nodes_;
  const NameIndex& messages_;
  const Fail& fail_;
};

sim::NodeIndex EventParser::node(const Value& v, std::string_view field) const {
  if (v.type != Value::Type::string) {
    fail_(field, "expected a node id (a string), got " + describe(v));
  }
  const auto it = nodes_.find(v.text);
  if (it == nodes_.end()) {
    std::vector<std::string_view> known(info_.node_ids.begin(), info_.node_ids.end());
    fail_(field, "unknown node '" + v.text + "' (not in the header's nodes)" +
                     sim::yaml_util::hint(v.text, known));
  }
  return static_cast<sim::NodeIndex>(it->second);
}

int64_t EventParser::message_type(const Value& v, std::string_view field) const {
  if (v.type == Value::Type::integer) {
    const int64_t i = integer(v, field);
    if (i < 0) fail_(field, "a message type index must not be negative");
    if (!info_.messages.empty() && static_cast<size_t>(i) >= info_.messages.size()) {
      fail_(field, "message type index " + std::to_string(i) + " is beyond the header's " +
                       std::to_string(info_.messages.size()) + " messages");
    }
    return i;
  }
  if (v.type != Value::Type::string) {
    fail_(field, "expected a message type name, got " + describe(v));
  }
  const auto it = messages_.find(v.text);
  if (it == messages_.end()) {
    std::vector<std::string_view> known(info_.messages.begin(), info_.messages.end());
    fail_(field, "unknown message type '" + v.text + "' (not in the header's messages)" +
                     sim::yaml_util::hint(v.text, known));
  }
  return static_cast<int64_t>(it->second);
}

void EventParser::typed_field(const std::string& key, const Value& v, sim::Event& out) const {
  const sim::Vocabulary& vocabulary = *info_.vocabulary;
  const std::optional<sim::Key> k = vocabulary.find_key(key);
  if (!k.has_value()) {
    std::vector<std::string_view> known(std::begin(kEventKeys), std::end(kEventKeys));
    for (size_t i = 0; i < vocabulary.key_count(); ++i) {
      known.push_back(vocabulary.name(static_cast<sim::Key>(i)));
    }
    fail_(key, "unknown field" + sim::yaml_util::hint(key, known));
  }
  if (out.field_count == sim::Event::kMaxFields) {
    fail_(key,
          "too many fields: an event carries at most " + std::to_string(sim::Event::kMaxFields));
  }
  int64_t value = 0;
  switch (vocabulary.type(*k)) {
    case sim::FieldType::node:
      value = node(v, key);
      break;
    case sim::FieldType::message_type:
      value = message_type(v, key);
      break;
    case sim::FieldType::boolean:
      if (v.type != Value::Type::boolean) fail_(key, "expected true or false, got " + describe(v));
      value = v.boolean ? 1 : 0;
      break;
    case sim::FieldType::duration_ns:
    case sim::FieldType::integer:
      value = integer(v, key);
      break;
  }
  out.fields[out.field_count++] = sim::Field{*k, value};
}

void EventParser::kind(const Value& v, sim::Event& out) const {
  if (v.type != Value::Type::string) fail_("kind", "expected a kind name, got " + describe(v));
  const sim::Vocabulary& vocabulary = *info_.vocabulary;
  const std::optional<sim::Kind> kind = vocabulary.find_kind(v.text);
  if (!kind.has_value()) {
    std::vector<std::string_view> known;
    for (size_t i = 0; i < vocabulary.kind_count(); ++i) {
      known.push_back(vocabulary.name(static_cast<sim::Kind>(i)));
    }
    fail_("kind", "unknown kind '" + v.text + "'" + sim::yaml_util::hint(v.text, known));
  }
  out.kind = *kind;
}

void EventParser::parse(const std::vector<Member>& members, sim::Event& out, std::string& text) {
  out = sim::Event{};
  bool has_t = false, has_node = false, has_kind = false, has_mono = false, has_wall = false;
  for (const auto& [key, value] : members) {
    if (key == "t") {
      out.at = sim::Instant{integer(value, key)};
      if (out.at.ns < 0) fail_(key, "must not be negative");
      has_t = true;
    } else if (key == "node") {
      out.node = value.type == Value::Type::null ? sim::kNoNode : node(value, key);
      has_node = true;
    } else if (key == "mono" || key == "wall") {
      (key == "mono" ? out.mono : out.wall) = sim::LocalTime{integer(value, key)};
      (key == "mono" ? has_mono : has_wall) = true;
    } else if (key == "kind") {
      kind(value, out);
      has_kind = true;
    } else if (key == "text") {
      if (value.type != Value::Type::string)
        fail_(key, "expected a string, got " + describe(value));
      text = value.text;
    } else {
      typed_field(key, value, out);
    }
  }
  if (!has_t) fail_("t", "missing (true time in nanoseconds)");
  if (!has_kind) fail_("kind", "missing");
  if (!has_node) fail_("node", "missing (a node id, or null for events of no node)");
  // A real system's log may know only one clock: the missing readings default to true time.
  if (!has_mono) out.mono = sim::LocalTime{out.at.ns};
  if (!has_wall) out.wall = sim::LocalTime{out.at.ns};
}

}  // namespace

// A line the fast path did not take: read by the JSON parser, with every error worded.
bool TraceReader::slow_event(sim::Event& out, std::string& text) {
  if (current_.find_first_not_of(" \t") == std::string::npos) {
    fail("", "empty line; every line after the header is one JSON event object");
  }
  LineSax sax;
  if (!nlohmann::json::sax_parse(current_.begin(), current_.end(), &sax)) {
    if (sax.too_many) {
      fail("", "too many fields: an event line has at most " + std::to_string(kMaxMembers));
    }
    std::string what = sax.error;
    const size_t at = what.find("column ");
    fail("", "not valid JSON: " + (at == std::string::npos ? what : what.substr(at)));
  }
  if (sax.root != Value::Type::object) {
    Value root{sax.root.value_or(Value::Type::null)};
    root.text = std::string(current_);
    fail("", "expected a JSON object per line, got " + describe(root));
  }
  if (!sax.duplicate.empty()) fail(sax.duplicate, "given twice");
  const Fail failer = [this](std::string_view f, const std::string& p) { fail(f, p); };
  EventParser(info_, node_index_, message_index_, failer).parse(sax.members, out, text);
  return true;
}

bool TraceReader::next(sim::Event& out) {
  if (!read_line()) return false;
  std::string_view text;
  std::string slow_text;
  if (limits_.fast_path && fast_->read(current_, out, text)) {
    ++fast_lines_;
  } else {
    slow_event(out, slow_text);
    text = slow_text;
  }
  const Fail failer = [this](std::string_view f, const std::string& p) { fail(f, p); };
  checks_->check(out, line_, current_, failer);
  if (out.at.ns < last_t_) {
    fail("t", "time goes backwards: " + std::to_string(out.at.ns) + " after " +
                  std::to_string(last_t_) + " on the line before");
  }
  if (duration_ns_.has_value() && out.at.ns > *duration_ns_) {
    fail("t", std::to_string(out.at.ns) + " is after the header's duration_ns (" +
                  std::to_string(*duration_ns_) + ")");
  }
  last_t_ = out.at.ns;
  if (!text.empty()) {
    auto it = texts_.find(text);
    if (it == texts_.end()) {
      text_bytes_ += text.size();
      if (text_bytes_ > limits_.max_text_bytes) fail("text", "too much distinct event text");
      it = texts_.emplace(text).first;
    }
    out.text = *it;
  }
  return true;
}

uint64_t feed_trace(TraceReader& reader, std::span<sim::TraceSink* const> sinks) {
  for (sim::TraceSink* s : sinks) s->begin(reader.info());
  uint64_t count = 0;
  sim::Event e;
  while (reader.next(e)) {
    ++count;
    for (sim::TraceSink* s : sinks) s->on_event(e);
  }
  const sim::Instant end = reader.end();
  for (sim::TraceSink* s : sinks) s->end(end);
  return count;
}

}  // namespace lockstep::tools
