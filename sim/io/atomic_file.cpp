#include "sim/io/atomic_file.hpp"

namespace lockstep::sim {

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)), temp_path_(path_ + ".tmp") {
  file_ = std::fopen(temp_path_.c_str(), "wb");
  failed_ = file_ == nullptr;
}

AtomicFile::~AtomicFile() {
  if (file_ == nullptr) return;
  std::fclose(file_);
  std::remove(temp_path_.c_str());  // never committed: leave nothing half-written
}

void AtomicFile::write(std::string_view bytes) {
  if (failed_ || bytes.empty()) return;
  failed_ = std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size();
}

bool AtomicFile::commit() {
  if (file_ == nullptr) return false;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (failed_ || !closed || std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    std::remove(temp_path_.c_str());
    failed_ = true;
    return false;
  }
  return true;
}

bool write_file_atomically(const std::string& path, std::string_view content) {
  AtomicFile f(path);
  f.write(content);
  return f.commit();
}

}  // namespace lockstep::sim
