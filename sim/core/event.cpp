#include "sim/core/event.hpp"

namespace lockstep::sim {
namespace {

constexpr std::string_view kKindNames[] = {
#define X(id, name) name,
    LOCKSTEP_EVENT_KINDS(X)
#undef X
};

struct KeyInfo {
  std::string_view name;
  FieldType type;
};
constexpr KeyInfo kKeys[] = {
#define X(id, name, type) {name, FieldType::type},
    LOCKSTEP_FIELD_KEYS(X)
#undef X
};

}  // namespace

std::string_view kind_name(Kind kind) { return kKindNames[static_cast<size_t>(kind)]; }

std::optional<Kind> kind_from_name(std::string_view name) {
  for (size_t i = 0; i < kKindCount; ++i) {
    if (kKindNames[i] == name) return static_cast<Kind>(i);
  }
  return std::nullopt;
}

std::string_view key_name(Key key) { return kKeys[static_cast<size_t>(key)].name; }
FieldType key_type(Key key) { return kKeys[static_cast<size_t>(key)].type; }

std::optional<Key> key_from_name(std::string_view name) {
  for (size_t i = 0; i < kKeyCount; ++i) {
    if (kKeys[i].name == name) return static_cast<Key>(i);
  }
  return std::nullopt;
}

}  // namespace lockstep::sim
