// A pre-pass every YAML input goes through before yaml-cpp builds its model: libyaml's parser
// reads the text once as events, so malformed input is refused with FILE:LINE:COL before
// yaml-cpp 0.7's scanner (which can loop forever on some malformed input) ever sees it, and the
// size of what the model would hold is bounded in linear time. Also the one way input files are
// read: regular files only, a bounded number of bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lockstep::sim {

struct YamlLimits {
  size_t max_bytes = 8u << 20;   // 8 MiB: far above any scenario or artifact
  size_t max_depth = 64;         // nested mappings and lists
  size_t max_nodes = 2'000'000;  // scalars and collections, aliases counted as expanded
  size_t max_keys = 100'000;     // keys in one mapping
};

// Throws InputError(file, line, col, "", why) when `text` is not well-formed YAML (one event
// stream as YAML 1.1 defines it), uses an explicit tag, has a key that is not a plain word
// (null, a list, a mapping, an alias), has lone-CR line ends, or exceeds `limits`.
void guard_yaml(std::string_view text, const std::string& file, const YamlLimits& limits = {});

// The whole content of the regular file at `path`, at most `max_bytes` long. A directory, a
// FIFO, a device, a symlink loop, a file that cannot be read or one that is too long is an
// InputError(path, 0, 0, "", "cannot open|read WHAT: REASON") raised without blocking.
std::string read_regular_file(const std::string& path, size_t max_bytes, std::string_view what);

// The same refusals for a file read as a stream (a trace): "" when `path` is a regular file,
// else the reason ("it is a directory", "not a regular file (...)", strerror).
std::string irregular_file_reason(const std::string& path);

}  // namespace lockstep::sim
