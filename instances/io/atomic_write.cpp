#include "instances/io/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <sstream>
#include <system_error>
#include <thread>
#include <vector>

#include "instances/core/assert.hpp"
#include "instances/core/error.hpp"

namespace relugap {

namespace {
std::string sys_reason(const std::string& what) { return what + ": " + std::strerror(errno); }
}  // namespace

namespace {

/// Writes n bytes at file offset `at`, retrying short writes and EINTR;
/// returns 0 or the errno of the failure.
int pwrite_all(int fd, const char* p, std::size_t n, std::uint64_t at) {
  while (n > 0) {
    const ssize_t k = ::pwrite(fd, p, n, static_cast<off_t>(at));
    if (k < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += k;
    at += static_cast<std::uint64_t>(k);
    n -= static_cast<std::size_t>(k);
  }
  return 0;
}

/// A BlockOut that writes its buffers to a file from a second thread, in the
/// order they are handed over, while the caller fills the next one. kBuffers
/// buffers of kBlockBytes: the caller waits only when all of them are queued
/// (the disk, or the page cache, is slower than the formatting). Rewrites are
/// queued behind the buffers handed over before them. The first failure of the
/// thread (its errno) is thrown to the caller at its next take(), rewrite() or
/// finish() as io.write naming `path`; the thread writes nothing after it.
/// Writeback of each written block is started at once (sync_file_range), so
/// the disk works while the next blocks are formatted and the final fsync has
/// little left to do.
class ThreadOut final : public BlockOut {
 public:
  static constexpr int kBuffers = 4;
  ThreadOut(int fd, std::string path) : fd_(fd), path_(std::move(path)) {
    for (auto& b : bufs_) {
      b = std::make_unique_for_overwrite<char[]>(kBlockBytes);
      free_.push_back(b.get());
    }
    try {
      thread_ = std::thread([this] { run(); });
    } catch (const std::system_error&) {  // no thread to be had: write in the caller's thread
      threaded_ = false;
    }
  }
  ThreadOut(const ThreadOut&) = delete;
  ThreadOut& operator=(const ThreadOut&) = delete;
  /// Stops the thread; jobs still queued are dropped (after finish() there are none; without it the file is
  /// being given up).
  ~ThreadOut() override {
    if (!threaded_) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  [[nodiscard]] std::size_t capacity() const override { return kBlockBytes; }
  char* first() override { return acquire(); }
  char* take(char* full, std::size_t n) override {
    if (!threaded_) return write_now(full, n);
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.push_back(Job{full, n, appended_, {}});
    }
    appended_ += n;
    wake_.notify_all();
    return acquire();
  }
  void rewrite(std::uint64_t at, const char* p, std::size_t n) override {
    if (!threaded_) {
      if (const int e = pwrite_all(fd_, p, n, at); e != 0)
        fail("io.write", path_, 0, std::string("write failed: ") + std::strerror(e));
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      throw_if_failed();
      jobs_.push_back(Job{nullptr, n, at, std::string(p, n)});
    }
    wake_.notify_all();
  }
  /// Waits until every job is written; throws the thread's failure.
  void finish() {
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [&] { return (jobs_.empty() && !busy_) || err_ != 0; });
    throw_if_failed();
  }

 private:
  struct Job {
    char* buf;  // nullptr: a rewrite of `bytes`
    std::size_t n;
    std::uint64_t at;
    std::string bytes;
  };
  char* acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [&] { return !free_.empty() || err_ != 0; });
    throw_if_failed();
    char* b = free_.back();
    free_.pop_back();
    return b;
  }
  void throw_if_failed() const {  // under mu_
    if (err_ != 0) fail("io.write", path_, 0, std::string("write failed: ") + std::strerror(err_));
  }
  void run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      wake_.wait(lock, [&] { return !jobs_.empty() || stop_; });
      if (stop_) return;
      Job job = std::move(jobs_.front());
      jobs_.pop_front();
      busy_ = true;
      const bool skip = err_ != 0;  // nothing is written after a failure
      lock.unlock();
      int e = 0;
      if (!skip) {
        e = pwrite_all(fd_, job.buf != nullptr ? job.buf : job.bytes.data(), job.n, job.at);
        if (e == 0 && job.buf != nullptr) start_writeback(job.at + job.n);
      }
      lock.lock();
      busy_ = false;
      if (e != 0 && err_ == 0) err_ = e;
      if (job.buf != nullptr) free_.push_back(job.buf);
      done_.notify_all();
    }
  }

  /// Starts writing the whole pages before `end` that are not on their way yet
  /// (a page the next block still writes to is left for later).
  void start_writeback([[maybe_unused]] std::uint64_t end) {
#ifdef SYNC_FILE_RANGE_WRITE
    const std::uint64_t to = end & ~std::uint64_t{4095};
    if (to > synced_) {
      ::sync_file_range(fd_, static_cast<off_t>(synced_), static_cast<off_t>(to - synced_), SYNC_FILE_RANGE_WRITE);
      synced_ = to;
    }
#endif
  }
  /// Without a thread (std::thread could not start one): writes at once.
  char* write_now(char* full, std::size_t n) {
    if (const int e = pwrite_all(fd_, full, n, appended_); e != 0)
      fail("io.write", path_, 0, std::string("write failed: ") + std::strerror(e));
    appended_ += n;
    start_writeback(appended_);
    return full;
  }

  int fd_;
  std::string path_;
  bool threaded_ = true;
  std::uint64_t synced_ = 0;  // the thread's (or write_now's caller's) side only
  std::unique_ptr<char[]> bufs_[kBuffers];
  std::mutex mu_;
  std::condition_variable wake_, done_;
  std::deque<Job> jobs_;
  std::vector<char*> free_;
  std::uint64_t appended_ = 0;  // caller's side only
  int err_ = 0;                 // under mu_
  bool busy_ = false, stop_ = false;
  std::thread thread_;
};

/// Temporary file beside `path`; produce(fd) writes it (and throws on
/// failure); fsync; rename. On any failure the temporary file is removed.
void atomic_file(const std::string& path, const std::function<void(int fd)>& produce) {
  std::string tmpl = path + ".tmp.XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) fail("io.write", path, 0, sys_reason("cannot create temporary file"));
  std::string tmp(name.data());
  try {
    produce(fd);
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

/// Writes through a ThreadOut: produce(out) fills and hands over buffers,
/// then everything queued is written before the fsync.
void atomic_threaded(const std::string& path, const std::function<void(ThreadOut&)>& produce) {
  atomic_file(path, [&](int fd) {
    ThreadOut out(fd, path);
    produce(out);
    out.finish();
  });
}

/// Writes bytes at the end of the file (a plain write loop, in this thread).
void write_all(int fd, const std::string& path, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t k = ::write(fd, p, n);
    if (k < 0) {
      if (errno == EINTR) continue;
      fail("io.write", path, 0, sys_reason("write failed"));
    }
    p += k;
    n -= static_cast<std::size_t>(k);
  }
}
}  // namespace

void write_bytes_atomic(const std::string& path, const std::string& bytes) {
  atomic_file(path, [&](int fd) { write_all(fd, path, bytes.data(), bytes.size()); });
}

void write_chunks_atomic(const std::string& path, const std::function<bool(std::string& chunk)>& next) {
  atomic_file(path, [&](int fd) {
    std::string chunk;
    bool more = true;
    while (more) {
      chunk.clear();
      more = next(chunk);
      write_all(fd, path, chunk.data(), chunk.size());
    }
  });
}

EmitOut::EmitOut(Emit emit, Rewrite rewrite, std::size_t capacity)
    : emit_(std::move(emit)),
      rewrite_(std::move(rewrite)),
      cap_(capacity),
      buf_(std::make_unique_for_overwrite<char[]>(capacity)) {}

char* EmitOut::take(char* full, std::size_t n) {
  emit_(full, n);
  return full;
}

void EmitOut::rewrite(std::uint64_t at, const char* p, std::size_t n) {
  RELUGAP_ASSERT(rewrite_ != nullptr, "EmitOut: no rewrite function");
  rewrite_(at, p, n);
}

TextSink::TextSink(BlockOut& out) : out_(&out), buf_(out.first()), at_(buf_) {
  RELUGAP_ASSERT(out.capacity() >= kFlush + kSlack, "TextSink: buffers too small");
}

TextSink::TextSink(Emit emit)
    : owned_(std::make_unique<EmitOut>(std::move(emit), nullptr, kFlush + kSlack)),
      out_(owned_.get()),
      buf_(out_->first()),
      at_(buf_) {}

TextSink::~TextSink() = default;

TextSink& TextSink::put_long(std::string_view s) {
  while (!s.empty()) {
    const std::size_t room = kFlush + kSlack - static_cast<std::size_t>(at_ - buf_);
    const std::size_t k = std::min(room, s.size());
    std::memcpy(at_, s.data(), k);
    at_ += k;
    s.remove_prefix(k);
    maybe_flush();
  }
  return *this;
}

void write_text_atomic(const std::string& path, const std::function<void(TextSink&)>& write) {
  atomic_threaded(path, [&](ThreadOut& out) {
    TextSink sink(out);
    write(sink);
    sink.flush();
  });
}

ByteSink::ByteSink(BlockOut& out) : out_(&out), cap_(out.capacity()), buf_(out.first()) {}

ByteSink::ByteSink(Emit emit, Rewrite rewrite)
    : owned_(std::make_unique<EmitOut>(std::move(emit), std::move(rewrite), kBuffer)),
      out_(owned_.get()),
      cap_(kBuffer),
      buf_(out_->first()) {}

ByteSink::~ByteSink() = default;

void ByteSink::put_long(const void* p, std::size_t n) {
  const char* s = static_cast<const char*>(p);
  while (n > 0) {
    if (used_ == cap_) flush();
    const std::size_t k = std::min(n, cap_ - used_);
    std::memcpy(buf_ + used_, s, k);
    used_ += k;
    s += k;
    n -= k;
  }
}

void ByteSink::patch(std::uint64_t at, const void* p, std::size_t n) {
  const char* s = static_cast<const char*>(p);
  if (at < emitted_) {  // the part already handed on
    const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(n, emitted_ - at));
    out_->rewrite(at, s, k);
    at += k;
    s += k;
    n -= k;
  }
  if (n > 0) std::memcpy(buf_ + (at - emitted_), s, n);
}

void ByteSink::flush() {
  if (used_ > 0) buf_ = out_->take(buf_, used_);
  emitted_ += used_;
  used_ = 0;
}

void write_binary_atomic(const std::string& path, const std::function<void(ByteSink&)>& write) {
  atomic_threaded(path, [&](ThreadOut& out) {
    ByteSink sink(out);
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
