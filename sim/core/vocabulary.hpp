// The names of a run's event kinds and field keys. It starts with the kernel's own (net.*,
// timer.*, node.*, fault.* and their keys, at fixed ids); protocols declare theirs (the catalog
// adds them in registry order), so a kind's id is a small integer on the hot path and a name in
// every file. Declaring a name twice gives the same id, so protocols share words such as
// lock.acquired, and the checkers that read those words find them by name.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/event.hpp"

namespace lockstep::sim {

class Vocabulary {
 public:
  // At most this many kinds and keys (ids are 16-bit, and the last id means "none").
  static constexpr size_t kMaxEntries = 4096;

  Vocabulary();

  // The kernel's vocabulary alone, shared and immutable (for traces no catalog describes).
  static std::shared_ptr<const Vocabulary> kernel();

  // The id of `name`, added when new. Throws std::invalid_argument on an empty name, on a key
  // declared again with another type, or beyond kMaxEntries.
  Kind declare_kind(std::string_view name);
  Key declare_key(std::string_view name, FieldType type);

  std::optional<Kind> find_kind(std::string_view name) const;
  std::optional<Key> find_key(std::string_view name) const;
  std::string_view name(Kind kind) const;
  std::string_view name(Key key) const;
  FieldType type(Key key) const;
  size_t kind_count() const { return kinds_.size(); }
  size_t key_count() const { return keys_.size(); }

 private:
  struct KeyEntry {
    std::string name;
    FieldType type;
  };
  std::vector<std::string> kinds_;  // by id
  std::vector<KeyEntry> keys_;      // by id
};

}  // namespace lockstep::sim
