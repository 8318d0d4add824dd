#include "tools/live/file_storage.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace lockstep::live {
namespace {

// A journal record: op (1 byte), name length (4), name, number (8), bytes length (4), bytes.
// `number` is the put's value or the truncate's kept count; `bytes` the append's record.
constexpr size_t kFixed = 1 + 4 + 8 + 4;
constexpr uint32_t kMaxName = 1 << 16;
constexpr uint32_t kMaxBytes = 1 << 24;

void put_le(std::vector<std::byte>& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xff));
}

uint64_t get_le(const std::vector<std::byte>& in, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(in[at + i]) << (8 * i);
  return v;
}

void write_all(int fd, const std::vector<std::byte>& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error(std::string("storage write: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
}

}  // namespace

FileStorage::FileStorage(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw std::runtime_error("cannot open " + path_ + ": " + std::strerror(errno));
  replay();
}

FileStorage::~FileStorage() {
  if (fd_ >= 0) ::close(fd_);
}

void FileStorage::replay() {
  std::vector<std::byte> data;
  std::byte buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data.insert(data.end(), buf, buf + n);
  }
  size_t at = 0;
  while (data.size() - at >= kFixed) {
    const auto op = static_cast<Op>(data[at]);
    const auto name_len = static_cast<uint32_t>(get_le(data, at + 1, 4));
    if (name_len > kMaxName || data.size() - at < kFixed + name_len) break;
    const std::string name(reinterpret_cast<const char*>(data.data() + at + 5), name_len);
    const uint64_t number = get_le(data, at + 5 + name_len, 8);
    const auto bytes_len = static_cast<uint32_t>(get_le(data, at + 13 + name_len, 4));
    if (bytes_len > kMaxBytes || data.size() - at < kFixed + name_len + bytes_len) break;
    const std::span<const std::byte> bytes(data.data() + at + kFixed + name_len, bytes_len);
    if (op == Op::put)
      state_.put(name, static_cast<int64_t>(number));
    else if (op == Op::erase)
      state_.erase(name);
    else if (op == Op::append)
      state_.append(name, bytes);
    else if (op == Op::truncate)
      state_.truncate(name, number);
    else
      break;
    at += kFixed + name_len + bytes_len;
    ++replayed_;
  }
  // Whatever follows the last whole record was cut short by a crash: drop it, append after.
  if (::ftruncate(fd_, static_cast<off_t>(at)) != 0 || ::lseek(fd_, 0, SEEK_END) < 0) {
    throw std::runtime_error("cannot repair " + path_ + ": " + std::strerror(errno));
  }
}

void FileStorage::write_record(Op op, std::string_view name, uint64_t number,
                               std::span<const std::byte> bytes) {
  assert(name.size() <= kMaxName);
  assert(bytes.size() <= kMaxBytes);
  std::vector<std::byte> out;
  out.reserve(kFixed + name.size() + bytes.size());
  out.push_back(static_cast<std::byte>(op));
  put_le(out, name.size(), 4);
  for (char c : name) out.push_back(static_cast<std::byte>(c));
  put_le(out, number, 8);
  put_le(out, bytes.size(), 4);
  out.insert(out.end(), bytes.begin(), bytes.end());
  write_all(fd_, out);
  // Durable before the protocol goes on: the default model makes every write durable at once.
  if (::fdatasync(fd_) != 0) {
    throw std::runtime_error("fdatasync " + path_ + ": " + std::strerror(errno));
  }
}

void FileStorage::put(std::string_view key, int64_t value) {
  write_record(Op::put, key, static_cast<uint64_t>(value), {});
  state_.put(key, value);
}

void FileStorage::erase(std::string_view key) {
  write_record(Op::erase, key, 0, {});
  state_.erase(key);
}

void FileStorage::append(std::string_view log, std::span<const std::byte> record) {
  write_record(Op::append, log, 0, record);
  state_.append(log, record);
}

void FileStorage::truncate(std::string_view log, size_t keep) {
  write_record(Op::truncate, log, keep, {});
  state_.truncate(log, keep);
}

}  // namespace lockstep::live
