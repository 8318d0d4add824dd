#include <cassert>
#include <stdexcept>
#include <string>

#include "sim/core/vocabulary.hpp"

namespace lockstep::sim {
namespace {

// The kernel's names, by id (the order of Kind and Key).
constexpr std::string_view kKernelKindNames[kKernelKinds] = {
    "net.send",      "net.deliver",      "net.drop",         "net.link_down",
    "net.link_up",   "timer.fire",       "node.start",       "fault.crash",
    "fault.restart", "fault.pause",      "fault.resume",     "fault.partition",
    "fault.cut",     "fault.isolate",    "fault.heal",       "fault.clock_step",
    "fault.skipped", "fault.clock_rate", "fault.disk_stall", "fault.disk_slow",
    "fault.link",    "storage.sync",     "storage.durable",  "storage.lost",
};

struct KernelKey {
  std::string_view name;
  FieldType type;
};
constexpr KernelKey kKernelKeyNames[kKernelKeys] = {
    {"to", FieldType::node},          {"from", FieldType::node},
    {"msg", FieldType::message_type}, {"msg_id", FieldType::integer},
    {"slot", FieldType::integer},     {"fault", FieldType::integer},
    {"target", FieldType::node},      {"by_ns", FieldType::duration_ns},
    {"ppm", FieldType::integer},      {"ticket", FieldType::integer},
    {"writes", FieldType::integer},
};

}  // namespace

Vocabulary::Vocabulary() {
  for (std::string_view name : kKernelKindNames) kinds_.emplace_back(name);
  for (const KernelKey& k : kKernelKeyNames) keys_.push_back({std::string(k.name), k.type});
  assert(kinds_.size() == kKernelKinds);
  assert(keys_.size() == kKernelKeys);
}

std::shared_ptr<const Vocabulary> Vocabulary::kernel() {
  // Immutable once built: every trace without a catalog reads the same kernel names.
  static const std::shared_ptr<const Vocabulary> kKernel = std::make_shared<const Vocabulary>();
  return kKernel;
}

Kind Vocabulary::declare_kind(std::string_view name) {
  if (name.empty()) throw std::invalid_argument("an event kind needs a name");
  if (auto id = find_kind(name)) return *id;
  if (kinds_.size() >= kMaxEntries) throw std::invalid_argument("too many event kinds");
  kinds_.emplace_back(name);
  return static_cast<Kind>(kinds_.size() - 1);
}

Key Vocabulary::declare_key(std::string_view name, FieldType type) {
  if (name.empty()) throw std::invalid_argument("a field needs a name");
  if (auto id = find_key(name)) {
    if (keys_[static_cast<size_t>(*id)].type != type) {
      throw std::invalid_argument("field '" + std::string(name) +
                                  "' is declared twice with different types");
    }
    return *id;
  }
  if (keys_.size() >= kMaxEntries) throw std::invalid_argument("too many field keys");
  keys_.push_back({std::string(name), type});
  return static_cast<Key>(keys_.size() - 1);
}

std::optional<Kind> Vocabulary::find_kind(std::string_view name) const {
  for (size_t i = 0; i < kinds_.size(); ++i) {
    if (kinds_[i] == name) return static_cast<Kind>(i);
  }
  return std::nullopt;
}

std::optional<Key> Vocabulary::find_key(std::string_view name) const {
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i].name == name) return static_cast<Key>(i);
  }
  return std::nullopt;
}

std::string_view Vocabulary::name(Kind kind) const {
  const auto i = static_cast<size_t>(kind);
  return i < kinds_.size() ? std::string_view(kinds_[i]) : std::string_view("?");
}

std::string_view Vocabulary::name(Key key) const {
  const auto i = static_cast<size_t>(key);
  return i < keys_.size() ? std::string_view(keys_[i].name) : std::string_view("?");
}

FieldType Vocabulary::type(Key key) const {
  const auto i = static_cast<size_t>(key);
  assert(i < keys_.size());
  return keys_[i].type;
}

}  // namespace lockstep::sim
