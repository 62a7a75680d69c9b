#include "instances/io/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "instances/core/error.hpp"
#include "instances/io/atomic_write.hpp"

namespace relugap {

FileBytes::FileBytes(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("io.open", path, 0, std::string("cannot open file: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    const auto n = static_cast<std::size_t>(st.st_size);
    void* p = ::mmap(nullptr, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p != MAP_FAILED) {
      (void)::madvise(p, n, MADV_SEQUENTIAL);
      map_ = p;
      size_ = n;
    }
  }
  ::close(fd);
  if (map_ == nullptr) copy_ = read_file(path);  // not a regular file, empty, or not mappable
}

FileBytes::~FileBytes() {
  if (map_ != nullptr) ::munmap(map_, size_);
}

}  // namespace relugap
