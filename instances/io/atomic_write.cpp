#include "instances/io/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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

using Rewrite = ByteSink::Rewrite;

/// Temporary file beside `path`; produce(emit, rewrite) writes through emit
/// (and overwrites written bytes through rewrite); fsync; rename.
void atomic_emit(const std::string& path, const std::function<void(const Emit&, const Rewrite&)>& produce) {
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
  const Rewrite rewrite = [&](std::uint64_t at, const char* p, std::size_t left) {
    while (left > 0) {
      ssize_t n = ::pwrite(fd, p, left, static_cast<off_t>(at));
      if (n < 0) {
        if (errno == EINTR) continue;
        fail("io.write", path, 0, sys_reason("write failed"));
      }
      p += n;
      at += static_cast<std::uint64_t>(n);
      left -= static_cast<std::size_t>(n);
    }
  };
  try {
    produce(emit, rewrite);
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
  atomic_emit(path, [&](const Emit& emit, const Rewrite&) { emit(bytes.data(), bytes.size()); });
}

void write_chunks_atomic(const std::string& path, const std::function<bool(std::string& chunk)>& next) {
  atomic_emit(path, [&](const Emit& emit, const Rewrite&) {
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
  atomic_emit(path, [&](const Emit& emit, const Rewrite&) {
    TextSink sink(emit);
    write(sink);
    sink.flush();
  });
}

ByteSink::ByteSink(Emit emit, Rewrite rewrite)
    : emit_(std::move(emit)), rewrite_(std::move(rewrite)), buf_(new char[kBuffer]) {}

ByteSink::~ByteSink() { delete[] buf_; }

void ByteSink::put(const void* p, std::size_t n) {
  const char* s = static_cast<const char*>(p);
  while (n > 0) {
    if (used_ == kBuffer) flush();
    const std::size_t k = std::min(n, kBuffer - used_);
    std::memcpy(buf_ + used_, s, k);
    used_ += k;
    s += k;
    n -= k;
  }
}

void ByteSink::patch(std::uint64_t at, const void* p, std::size_t n) {
  const char* s = static_cast<const char*>(p);
  if (at < emitted_) {  // the part already in the file
    const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(n, emitted_ - at));
    rewrite_(at, s, k);
    at += k;
    s += k;
    n -= k;
  }
  if (n > 0) std::memcpy(buf_ + (at - emitted_), s, n);
}

void ByteSink::flush() {
  if (used_ > 0) emit_(buf_, used_);
  emitted_ += used_;
  used_ = 0;
}

void write_binary_atomic(const std::string& path, const std::function<void(ByteSink&)>& write) {
  atomic_emit(path, [&](const Emit& emit, const Rewrite& rewrite) {
    ByteSink sink(emit, rewrite);
    write(sink);
    sink.flush();
  });
}

std::string binary_bytes(const std::function<void(ByteSink&)>& write) {
  std::string out;
  ByteSink sink([&](const char* p, std::size_t n) { out.append(p, n); },
                [&](std::uint64_t at, const char* p, std::size_t n) { std::memcpy(out.data() + at, p, n); });
  write(sink);
  sink.flush();
  return out;
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
