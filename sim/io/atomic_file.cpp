#include "sim/io/atomic_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace lockstep::sim {
namespace {

// The temporaries not yet committed, so that a fatal signal (Ctrl-C, kill, an assertion's abort)
// removes them before the process dies: a signal handler can reach only globals, and unlink() is
// async-signal-safe. More live outputs than slots are simply not cleaned on a signal.
constexpr size_t kSlots = 64;
std::array<std::atomic<char*>, kSlots> g_live{};
constexpr std::array<int, 4> kFatal = {SIGINT, SIGTERM, SIGHUP, SIGABRT};
std::array<struct sigaction, kFatal.size()> g_previous{};

void on_fatal_signal(int sig) {
  for (size_t i = 0; i < kFatal.size(); ++i) {
    if (kFatal[i] != sig) continue;
    const struct sigaction& prev = g_previous[i];
    const bool handled =
        !(prev.sa_flags & SA_SIGINFO) && prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN;
    if (handled) {
      prev.sa_handler(sig);  // someone else (explore) handles it and keeps running
      return;
    }
    if (prev.sa_handler == SIG_IGN) return;
  }
  for (auto& slot : g_live) {
    if (char* p = slot.load()) ::unlink(p);
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void install_cleanup_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (size_t i = 0; i < kFatal.size(); ++i) {
      struct sigaction sa {};
      sa.sa_handler = on_fatal_signal;
      sigemptyset(&sa.sa_mask);
      ::sigaction(kFatal[i], &sa, &g_previous[i]);
    }
  });
}

char* track(const std::string& temp) {
  install_cleanup_once();
  char* copy = ::strdup(temp.c_str());
  for (auto& slot : g_live) {
    char* expected = nullptr;
    if (slot.compare_exchange_strong(expected, copy)) return copy;
  }
  return copy;  // untracked, still freed by untrack()
}

void untrack(char* p) {
  if (p == nullptr) return;
  for (auto& slot : g_live) {
    char* expected = p;
    if (slot.compare_exchange_strong(expected, nullptr)) break;
  }
  std::free(p);
}

}  // namespace

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)), temp_path_(path_ + ".tmp") {
  // An existing output that is not a regular file (a device such as /dev/full, a FIFO, a
  // directory) is refused: renaming over it would replace it, writing to it may block.
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    failed_ = true;
    error_ = S_ISDIR(st.st_mode) ? "it is a directory" : "it exists and is not a regular file";
    return;
  }
  tracked_ = track(temp_path_);
  file_ = std::fopen(temp_path_.c_str(), "wb");
  failed_ = file_ == nullptr;
  if (failed_) error_ = std::strerror(errno);
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::remove(temp_path_.c_str());  // never committed: leave nothing half-written
  }
  untrack(tracked_);
}

void AtomicFile::write(std::string_view bytes) {
  if (failed_ || bytes.empty()) return;
  failed_ = std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size();
  if (failed_) error_ = std::strerror(errno);
}

bool AtomicFile::commit() {
  if (file_ == nullptr) return false;
  const bool flushed = std::fflush(file_) == 0;
  if (!flushed && error_.empty()) error_ = std::strerror(errno);
  const bool closed = std::fclose(file_) == 0;
  if (!closed && error_.empty()) error_ = std::strerror(errno);
  file_ = nullptr;
  const bool renamed =
      !failed_ && flushed && closed && std::rename(temp_path_.c_str(), path_.c_str()) == 0;
  if (!renamed) {
    if (error_.empty()) error_ = std::strerror(errno);
    std::remove(temp_path_.c_str());
    failed_ = true;
  }
  untrack(tracked_);
  tracked_ = nullptr;
  return renamed;
}

bool write_file_atomically(const std::string& path, std::string_view content) {
  AtomicFile f(path);
  f.write(content);
  return f.commit();
}

}  // namespace lockstep::sim
