#pragma once
// A file's bytes for the readers, without a copy: a regular file is mapped read-only
// (mmap, pages populated up front), anything else (a pipe, /dev/stdin, an empty file) is
// read into memory with read_file. Reading a 27 MB LIBSVM file into a fresh string made
// the kernel zero 27 MB of new memory and copy the file into it (issue 20: the readers'
// largest cost after the page faults); a mapping shares the page cache's pages.
// The errors are read_file's: io.open, io.read. A mapped file that another process
// truncates while it is read ends the process with SIGBUS, as any mmap reader would.
#include <cstddef>
#include <string>
#include <string_view>

namespace relugap {

class FileBytes {
 public:
  explicit FileBytes(const std::string& path);
  ~FileBytes();
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  /// The bytes, valid while this object lives.
  [[nodiscard]] std::string_view view() const {
    return map_ != nullptr ? std::string_view(static_cast<const char*>(map_), size_) : std::string_view(copy_);
  }

 private:
  void* map_ = nullptr;
  std::size_t size_ = 0;
  std::string copy_;
};

}  // namespace relugap
