#include "checkers/linearizable/history_jsonl.hpp"

#include <algorithm>
#include <cassert>
#include <nlohmann/json.hpp>
#include <optional>

namespace lockstep::checkers::linearizable {
namespace {

using nlohmann::json;

constexpr std::string_view kFields[] = {"process", "type", "f", "key", "value", "expect", "time"};
constexpr std::string_view kKnownFields = "process, type, f, key, value, expect, time";

std::string where(const std::string& file, int64_t line, std::string_view field) {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (!field.empty()) out += "field '" + std::string(field) + "': ";
  return out;
}

// One line being read: its object, and the error it raises.
class Line {
 public:
  Line(const json& j, const std::string& file, int64_t number)
      : j_(j), file_(file), number_(number) {}

  [[noreturn]] void fail(std::string_view field, const std::string& problem) const {
    throw HistoryError(file_, number_, field, problem);
  }
  bool has(std::string_view field) const { return j_.contains(field); }

  // A name: a string, or an integer written as one ("process": 3 names process "3").
  std::optional<std::string> name(std::string_view field) const {
    if (!has(field)) return std::nullopt;
    const json& v = j_.at(field);
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    fail(field, "must be a string or an integer, got " + std::string(v.type_name()));
  }
  // An integer or null (kNil); nullopt when absent.
  std::optional<int64_t> value(std::string_view field) const {
    if (!has(field)) return std::nullopt;
    const json& v = j_.at(field);
    if (v.is_null()) return kNil;
    if (v.is_number_integer() && !(v.is_number_unsigned() && v.get<uint64_t>() > INT64_MAX)) {
      const int64_t x = v.get<int64_t>();
      if (x == kNil) fail(field, "is out of range");
      return x;
    }
    fail(field, "must be an integer or null, got " + std::string(v.type_name()));
  }
  std::string word(std::string_view field) const {
    if (!has(field)) fail(field, "is missing");
    const json& v = j_.at(field);
    if (!v.is_string()) fail(field, "must be a string, got " + std::string(v.type_name()));
    return v.get<std::string>();
  }
  void only_known_fields() const {
    for (const auto& [k, v] : j_.items()) {
      if (std::find(std::begin(kFields), std::end(kFields), k) == std::end(kFields)) {
        fail(k, "unknown field (the fields are " + std::string(kKnownFields) + ")");
      }
    }
  }

 private:
  const json& j_;
  const std::string& file_;
  int64_t number_;
};

std::optional<Outcome> completion_of(std::string_view type) {
  if (type == "ok") return Outcome::ok;
  if (type == "fail") return Outcome::fail;
  if (type == "info") return Outcome::info;
  return std::nullopt;
}

std::string known_ops(Model m) {
  std::string out;
  for (int c = 1; c <= 5; ++c) {
    const Fn f = *fn_from_code(c);
    if (model_knows(m, f)) out += (out.empty() ? "" : ", ") + std::string(fn_name(f));
  }
  return out;
}

Fn fn_of(const Line& l, Model model) {
  const std::string name = l.word("f");
  const std::optional<Fn> f = fn_from_name(name);
  if (!f.has_value()) {
    l.fail("f", "unknown operation '" + name +
                    "' (the operations are acquire, release, read, "
                    "write, cas)");
  }
  if (!model_knows(model, *f)) {
    l.fail("f", "the " + std::string(model_name(model)) + " model has no '" + name +
                    "' (it knows " + known_ops(model) + ")");
  }
  return *f;
}

class Reader {
 public:
  Reader(const std::string& file, Model model, const HistoryLimits& limits)
      : file_(file), model_(model), limits_(limits) {}
  void line(std::string_view text, int64_t number);
  History finish() { return b_.finish(); }

 private:
  size_t intern(const Line& l, std::string_view field, const std::string& name, bool process);
  void invoke(const Line& l, size_t process, int64_t at, int64_t number);
  void complete(const Line& l, size_t process, Outcome outcome, int64_t at, int64_t number);

  const std::string& file_;
  Model model_;
  const HistoryLimits& limits_;
  HistoryBuilder b_;
  size_t processes_ = 0;
  size_t keys_ = 0;
};

size_t Reader::intern(const Line& l, std::string_view field, const std::string& name,
                      bool process) {
  const size_t id = process ? b_.process(name) : b_.key(name);
  size_t& count = process ? processes_ : keys_;
  count = std::max(count, id + 1);
  if (count > limits_.max_names) {
    l.fail(field, "more than " + std::to_string(limits_.max_names) + " distinct names");
  }
  return id;
}

void Reader::line(std::string_view text, int64_t number) {
  if (text.size() > limits_.max_line_bytes) {
    throw HistoryError(file_, number, "",
                       "line longer than " + std::to_string(limits_.max_line_bytes) + " bytes");
  }
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for 1e999
    throw HistoryError(file_, number, "", "not valid JSON (" + std::string(e.what()) + ")");
  }
  if (!j.is_object()) throw HistoryError(file_, number, "", "expected a JSON object");
  const Line l(j, file_, number);
  l.only_known_fields();
  const std::optional<std::string> process = l.name("process");
  if (!process.has_value()) l.fail("process", "is missing");
  const std::string type = l.word("type");
  const std::optional<int64_t> at = l.value("time");
  if (!at.has_value()) l.fail("time", "is missing");
  if (*at == kNil || *at < 0) l.fail("time", "must be a non-negative integer (nanoseconds)");
  const size_t p = intern(l, "process", *process, true);
  if (type == "invoke") return invoke(l, p, *at, number);
  const std::optional<Outcome> outcome = completion_of(type);
  if (!outcome.has_value()) {
    l.fail("type", "unknown type '" + type + "' (the types are invoke, ok, fail, info)");
  }
  complete(l, p, *outcome, *at, number);
}

void Reader::invoke(const Line& l, size_t process, int64_t at, int64_t number) {
  const Fn f = fn_of(l, model_);
  const size_t key = intern(l, "key", l.name("key").value_or(std::string(kDefaultKey)), false);
  const std::optional<int64_t> value = l.value("value");
  const std::optional<int64_t> expect = l.value("expect");
  if ((f == Fn::write || f == Fn::cas) && (!value.has_value() || *value == kNil)) {
    l.fail("value", std::string("a ") + std::string(fn_name(f)) +
                        " invocation needs the integer value it writes");
  }
  if (f == Fn::cas && !expect.has_value()) {
    l.fail("expect", "a cas invocation needs the value it compares against (null for none)");
  }
  if (f != Fn::cas && expect.has_value()) l.fail("expect", "only a cas has one");
  const HistoryBuilder::Problem problem =
      b_.invoke(process, f, key, value.value_or(kNil), expect.value_or(kNil), at, number);
  if (!problem.ok()) l.fail(problem.field, problem.text);
}

void Reader::complete(const Line& l, size_t process, Outcome outcome, int64_t at, int64_t number) {
  const std::optional<Fn> f = l.has("f") ? std::optional<Fn>(fn_of(l, model_)) : std::nullopt;
  std::optional<size_t> key;
  if (const std::optional<std::string> name = l.name("key")) key = intern(l, "key", *name, false);
  const std::optional<int64_t> value = l.value("value");
  const std::optional<size_t> open = b_.open(process);
  const bool read_ok = outcome == Outcome::ok && open.has_value() && b_.op_at(*open).f == Fn::read;
  if (read_ok && !value.has_value()) {
    l.fail("value", "a read's ok must carry the value read (null for none)");
  }
  const HistoryBuilder::Problem problem = b_.complete(process, outcome, f, key, value, at, number);
  if (!problem.ok()) l.fail(problem.field, problem.text);
}

}  // namespace

HistoryError::HistoryError(const std::string& file, int64_t line, std::string_view field,
                           const std::string& problem)
    : std::runtime_error(where(file, line, field) + problem) {}

History read_history(std::istream& in, const std::string& file, Model model,
                     const HistoryLimits& limits) {
  Reader reader(file, model, limits);
  std::string text;
  int64_t number = 0;
  bool any = false;
  while (std::getline(in, text)) {
    ++number;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    reader.line(text, number);
    any = true;
  }
  if (!any) throw HistoryError(file, 0, "", "holds no operations");
  return reader.finish();
}

}  // namespace lockstep::checkers::linearizable
