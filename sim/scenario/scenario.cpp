// The small vocabulary of the scenario model: verdict and fault-kind names, and InputError's
// message format (FILE:LINE:COL: KEY.PATH: message), which every input error shares.
#include "sim/scenario/scenario.hpp"

#include <cassert>
#include <cctype>
#include <utility>

namespace lockstep::sim {
namespace {

// Parts a position or key path does not have are left out, so a missing file reads
// "FILE: cannot open ..." and a syntax error "FILE:3:7: yaml syntax error: ...".
std::string format_input_error(const std::string& file, int line, int column,
                               const std::string& key_path, const std::string& detail) {
  // Appended piece by piece: `"literal" + std::string` trips GCC 12's -Wrestrict at -O3.
  std::string out = file;
  if (line > 0) {
    out.append(":").append(std::to_string(line));
    out.append(":").append(std::to_string(column));
  }
  out.append(": ");
  if (!key_path.empty()) out.append(key_path).append(": ");
  out.append(detail);
  return out;
}

}  // namespace

std::string_view verdict_name(Verdict v) {
  constexpr std::string_view kNames[] = {"holds", "violated", "inconclusive"};
  const auto i = static_cast<size_t>(v);
  assert(i < std::size(kNames));
  return kNames[i];
}

std::string_view expected_name(const Expected& e) { return e ? verdict_name(*e) : "any"; }

std::optional<Verdict> verdict_from_name(std::string_view name) {
  for (Verdict v : {Verdict::holds, Verdict::violated, Verdict::inconclusive}) {
    if (verdict_name(v) == name) return v;
  }
  return std::nullopt;
}

InputError::InputError(std::string file, int line, int column, std::string key_path,
                       std::string what)
    : std::runtime_error(format_input_error(file, line, column, key_path, what)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      key_path_(std::move(key_path)),
      detail_(std::move(what)) {
  assert(line_ >= 0);
  assert(column_ >= 0);
}

}  // namespace lockstep::sim

namespace lockstep::sim {

namespace {

// `name` appears in `text` as a whole word (not `lease` inside `lease_lock`).
bool mentions(std::string_view text, std::string_view name) {
  const auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
    const size_t end = at + name.size();
    if ((at == 0 || !word(text[at - 1])) && (end == text.size() || !word(text[end]))) return true;
  }
  return false;
}

}  // namespace

std::pair<SourcePos, std::string> blame_protocol_error(const Scenario& s, std::string_view what) {
  for (const auto& [key, pos] : s.param_pos) {
    if (mentions(what, std::string_view(key).substr(key.rfind('.') + 1))) return {pos, key};
  }
  if (mentions(what, "role") || mentions(what, "node")) return {s.nodes_pos, "nodes"};
  return {s.protocol_pos, "protocol"};
}

}  // namespace lockstep::sim
