#include "instances/io/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "instances/core/error.hpp"

namespace relugap {

namespace {
std::string sys_reason(const std::string& what) { return what + ": " + std::strerror(errno); }
}  // namespace

namespace {
using Emit = std::function<void(const char*, std::size_t)>;

/// Temporary file beside `path`; produce(emit) writes through emit; fsync; rename.
void atomic_emit(const std::string& path, const std::function<void(const Emit&)>& produce) {
  std::string tmpl = path + ".tmp.XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) fail("io.write", path, 0, sys_reason("cannot create temporary file"));
  std::string tmp(name.data());
  const Emit emit = [&](const char* p, std::size_t left) {
    while (left > 0) {
      ssize_t n = ::write(fd, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        fail("io.write", path, 0, sys_reason("write failed"));
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  };
  try {
    produce(emit);
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    std::string r = sys_reason("sync failed");
    ::unlink(tmp.c_str());
    fail("io.write", path, 0, r);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string r = sys_reason("rename failed");
    ::unlink(tmp.c_str());
    fail("io.write", path, 0, r);
  }
}
}  // namespace

void write_bytes_atomic(const std::string& path, const std::string& bytes) {
  atomic_emit(path, [&](const Emit& emit) { emit(bytes.data(), bytes.size()); });
}

void write_chunks_atomic(const std::string& path, const std::function<bool(std::string& chunk)>& next) {
  atomic_emit(path, [&](const Emit& emit) {
    std::string chunk;
    bool more = true;
    while (more) {
      chunk.clear();
      more = next(chunk);
      emit(chunk.data(), chunk.size());
    }
  });
}

void write_text_atomic(const std::string& path, const std::function<void(TextSink&)>& write) {
  atomic_emit(path, [&](const Emit& emit) {
    TextSink sink(emit);
    write(sink);
    sink.flush();
  });
}

void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& write) {
  std::ostringstream os;
  write(os);
  if (!os) fail("io.write", path, 0, "formatting the output failed");
  write_bytes_atomic(path, std::move(os).str());
}

std::string read_file(const std::string& path) {
  // One read(2) loop into a string of the file's size (no stream copies); a
  // pipe or a file that grows while read is still read to its end.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("io.open", path, 0, sys_reason("cannot open file"));
  struct stat st {};
  std::string out;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) out.resize(static_cast<std::size_t>(st.st_size));
  std::size_t have = 0;
  while (true) {
    if (have == out.size()) out.resize(out.size() < (1u << 16) ? (1u << 16) : out.size() * 2);
    const ssize_t n = ::read(fd, out.data() + have, out.size() - have);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string r = sys_reason("read error");
      ::close(fd);
      fail("io.read", path, 0, r);
    }
    if (n == 0) break;
    have += static_cast<std::size_t>(n);
  }
  ::close(fd);
  out.resize(have);
  return out;
}

}  // namespace relugap
