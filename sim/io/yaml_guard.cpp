// The YAML pre-pass (sim/io/yaml_guard.hpp): one pass of libyaml's event parser with a stack of
// open collections, so every check is linear in the input. Why libyaml: it is the reference C
// implementation, is packaged with Debian (libyaml-dev) next to yaml-cpp, rejects the inputs
// that make yaml-cpp 0.7's scanner loop (a lone `,`, `- a\n,`), and checks UTF-8 and control
// characters; yaml-cpp still builds the model the loader reads (DESIGN.md).
#include "sim/io/yaml_guard.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace lockstep::sim {
namespace {

// 1-based line and column of byte `offset` (columns count bytes).
SourcePos position_at(std::string_view text, size_t offset) {
  SourcePos pos{1, 1};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

struct Frame {
  bool mapping = false;
  bool expect_key = true;  // in a mapping: the next node is a key
  size_t keys = 0;
  size_t start_nodes = 0;  // node count when the collection opened, for anchor sizes
  std::string anchor;
  bool flow = false;  // [a, b] or {a: b}
};

class Guard {
 public:
  Guard(std::string_view text, const std::string& file, const YamlLimits& limits)
      : text_(text), file_(file), limits_(limits) {}

  void run();

 private:
  [[noreturn]] void fail(const yaml_mark_t& mark, const std::string& why) const {
    throw InputError(file_, static_cast<int>(mark.line) + 1, static_cast<int>(mark.column) + 1, "",
                     why);
  }
  [[noreturn]] void fail_parse(const yaml_parser_t& p) const;
  void count(const yaml_mark_t& mark, size_t n);
  void node_starts(const yaml_event_t& e);
  void on_event(const yaml_event_t& e);
  void check_key(const yaml_event_t& e) const;
  void check_name_end(const yaml_mark_t& mark, const yaml_char_t* name) const;
  void check_continuation(const yaml_event_t& e) const;

  std::string_view text_;
  const std::string& file_;
  const YamlLimits& limits_;
  std::vector<Frame> stack_;
  std::map<std::string, size_t, std::less<>> anchor_sizes_;
  size_t nodes_ = 0;
};

void Guard::fail_parse(const yaml_parser_t& p) const {
  std::string why = "yaml syntax error: ";
  why += p.problem != nullptr ? p.problem : "malformed input";
  if (p.context != nullptr) why += std::string(" (") + p.context + ")";
  if (p.error == YAML_READER_ERROR) {
    const SourcePos pos = position_at(text_, p.problem_offset);
    throw InputError(file_, pos.line, pos.column, "", why);
  }
  fail(p.problem_mark, why);
}

void Guard::count(const yaml_mark_t& mark, size_t n) {
  if (n > limits_.max_nodes - nodes_) {
    fail(mark, "the document is too large: more than " + std::to_string(limits_.max_nodes) +
                   " values (aliases counted as expanded)");
  }
  nodes_ += n;
}

bool is_null_word(const yaml_event_t& e) {
  if (e.data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return false;
  const std::string_view v(reinterpret_cast<const char*>(e.data.scalar.value),
                           e.data.scalar.length);
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

void Guard::check_key(const yaml_event_t& e) const {
  switch (e.type) {
    case YAML_SCALAR_EVENT:
      if (is_null_word(e)) fail(e.start_mark, "keys must be plain words, got an empty (null) key");
      return;
    case YAML_SEQUENCE_START_EVENT:
      fail(e.start_mark, "keys must be plain words, got a list as a key");
    case YAML_MAPPING_START_EVENT:
      fail(e.start_mark, "keys must be plain words, got a mapping as a key");
    case YAML_ALIAS_EVENT:
      fail(e.start_mark, "keys must be plain words, got an alias (*name) as a key");
    default:
      return;
  }
}

// libyaml ends an anchor or alias name at the first character that is not a letter, digit, '-'
// or '_'; yaml-cpp 0.7 reads on to the next space or flow indicator. So `&a:b ,` is the anchor
// `a` on the scalar `:b ,` to libyaml but the anchor `a:b` followed by a lone `,` to yaml-cpp,
// whose scanner then loops forever. Where the two would read different names, refuse the input.
void Guard::check_name_end(const yaml_mark_t& mark, const yaml_char_t* name) const {
  const size_t at = mark.index;
  if (at >= text_.size() || (text_[at] != '&' && text_[at] != '*')) return;
  const size_t end = at + 1 + std::strlen(reinterpret_cast<const char*>(name));
  if (end >= text_.size()) return;
  const char next = text_[end];
  if (next == ' ' || next == '\t' || next == '\n' || next == '\r' ||
      std::string_view(",[]{}").find(next) != std::string_view::npos) {
    return;
  }
  const SourcePos pos = position_at(text_, end);
  throw InputError(file_, pos.line, pos.column, "",
                   std::string("yaml syntax error: the ") +
                       (text_[at] == '&' ? "anchor" : "alias") + " name '" +
                       std::string(text_.substr(at, end - at)) + "' is followed by '" + next +
                       "'; names are letters, digits, '-' and '_', and a space must follow them");
}

// libyaml continues a plain value outside brackets onto a line that starts with ',' (`&x a\n,`
// is the anchored scalar "a ,"); yaml-cpp 0.7 reads that ',' as a lone flow entry and its
// scanner loops forever (found by the fuzzer). The same happens when the line starts with an
// anchor or a tag and a ',' follows (`&x a\n&m,v`, `&x a\n!m,`: found by the fuzzer again), so
// a continuation line may not start with ',', '&', '!' or '*' (an alias, which yaml-cpp would
// read as one and fail on). Refuse such a line, at its first character.
void Guard::check_continuation(const yaml_event_t& e) const {
  if (e.data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return;
  for (const Frame& f : stack_) {
    if (f.flow) return;
  }
  const size_t end = std::min(e.end_mark.index, text_.size());
  for (size_t at = text_.find('\n', e.start_mark.index); at < end; at = text_.find('\n', at)) {
    const size_t first = text_.find_first_not_of(" \t\r\n", at);
    if (first == std::string_view::npos || first >= end) return;
    if (std::string_view(",&!*").find(text_[first]) != std::string_view::npos) {
      const SourcePos pos = position_at(text_, first);
      throw InputError(file_, pos.line, pos.column, "",
                       std::string("yaml syntax error: a line that continues a plain value "
                                   "starts with '") +
                           text_[first] + "'; quote the value or join the lines");
    }
    at = first;
  }
}

// A scalar, alias or collection start: key rules, tags, counts.
void Guard::node_starts(const yaml_event_t& e) {
  if (!stack_.empty() && stack_.back().mapping) {
    Frame& f = stack_.back();
    if (f.expect_key) {
      check_key(e);
      if (++f.keys > limits_.max_keys) {
        fail(e.start_mark, "too many keys in one mapping (the limit is " +
                               std::to_string(limits_.max_keys) + ")");
      }
    }
    f.expect_key = !f.expect_key;
  }
  const yaml_char_t* tag = nullptr;
  if (e.type == YAML_SCALAR_EVENT) tag = e.data.scalar.tag;
  if (e.type == YAML_SEQUENCE_START_EVENT) tag = e.data.sequence_start.tag;
  if (e.type == YAML_MAPPING_START_EVENT) tag = e.data.mapping_start.tag;
  if (tag != nullptr) {
    fail(e.start_mark, "explicit tags such as '" + std::string(reinterpret_cast<const char*>(tag)) +
                           "' are not supported; write the value plainly");
  }
}

void Guard::on_event(const yaml_event_t& e) {
  switch (e.type) {
    case YAML_SCALAR_EVENT: {
      node_starts(e);
      count(e.start_mark, 1);
      check_continuation(e);
      if (e.data.scalar.anchor != nullptr) {
        check_name_end(e.start_mark, e.data.scalar.anchor);
        anchor_sizes_[reinterpret_cast<const char*>(e.data.scalar.anchor)] = 1;
      }
      return;
    }
    case YAML_ALIAS_EVENT: {
      check_name_end(e.start_mark, e.data.alias.anchor);
      node_starts(e);
      const auto it = anchor_sizes_.find(reinterpret_cast<const char*>(e.data.alias.anchor));
      if (it == anchor_sizes_.end()) fail(e.start_mark, "an alias names an anchor not defined");
      count(e.start_mark, it->second);
      return;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
      node_starts(e);
      count(e.start_mark, 1);
      if (stack_.size() >= limits_.max_depth) {
        fail(e.start_mark,
             "nested too deeply (the limit is " + std::to_string(limits_.max_depth) + " levels)");
      }
      const bool mapping = e.type == YAML_MAPPING_START_EVENT;
      const yaml_char_t* anchor =
          mapping ? e.data.mapping_start.anchor : e.data.sequence_start.anchor;
      if (anchor != nullptr) check_name_end(e.start_mark, anchor);
      const bool flow = mapping ? e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                                : e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
      stack_.push_back(Frame{mapping, true, 0, nodes_ - 1,
                             anchor != nullptr ? reinterpret_cast<const char*>(anchor) : "", flow});
      return;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
      const Frame f = std::move(stack_.back());
      stack_.pop_back();
      if (!f.anchor.empty()) anchor_sizes_[f.anchor] = nodes_ - f.start_nodes;
      return;
    }
    default:
      return;
  }
}

void check_line_ends(std::string_view text, const std::string& file) {
  for (size_t i = text.find('\r'); i != std::string_view::npos; i = text.find('\r', i + 1)) {
    if (i + 1 < text.size() && text[i + 1] == '\n') continue;
    const SourcePos pos = position_at(text, i);
    throw InputError(file, pos.line, pos.column, "",
                     "a line ends with a lone carriage return; use LF or CRLF line ends");
  }
}

void Guard::run() {
  if (text_.size() > limits_.max_bytes) {
    throw InputError(file_, 1, 1, "",
                     "the file is " + std::to_string(text_.size()) + " bytes; the limit is " +
                         std::to_string(limits_.max_bytes));
  }
  check_line_ends(text_, file_);
  yaml_parser_t parser;
  if (yaml_parser_initialize(&parser) == 0) throw std::bad_alloc();
  struct Closer {
    yaml_parser_t* p;
    ~Closer() { yaml_parser_delete(p); }
  } closer{&parser};
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text_.data()),
                               text_.size());
  for (bool done = false; !done;) {
    yaml_event_t event;
    if (yaml_parser_parse(&parser, &event) == 0) fail_parse(parser);
    struct EventCloser {
      yaml_event_t* e;
      ~EventCloser() { yaml_event_delete(e); }
    } event_closer{&event};
    done = event.type == YAML_STREAM_END_EVENT;
    on_event(event);
  }
}

}  // namespace

void guard_yaml(std::string_view text, const std::string& file, const YamlLimits& limits) {
  Guard(text, file, limits).run();
}

std::string irregular_file_reason(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::strerror(errno);
  if (S_ISDIR(st.st_mode)) return "it is a directory";
  if (!S_ISREG(st.st_mode)) return "not a regular file (a device, FIFO or socket)";
  return "";
}

std::string read_regular_file(const std::string& path, size_t max_bytes, std::string_view what) {
  const auto fail_as = [&](const char* verb, const std::string& why) -> InputError {
    return InputError(path, 0, 0, "", std::string(verb) + std::string(what) + ": " + why);
  };
  const auto fail = [&](const std::string& why) { return fail_as("cannot open ", why); };
  if (const std::string why = irregular_file_reason(path); !why.empty()) throw fail(why);
  struct stat st {};
  // O_NONBLOCK: should the path turn into a FIFO after the stat, the open does not wait.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw fail(std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) throw fail("not a regular file");
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw fail_as("cannot read ", std::strerror(errno));
    if (n == 0) break;
    if (static_cast<size_t>(n) > max_bytes - out.size()) {
      throw fail_as("cannot read ",
                    "it is larger than the limit of " + std::to_string(max_bytes) + " bytes");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace lockstep::sim
