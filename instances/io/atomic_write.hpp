#pragma once
// Writers never leave a half-written file: they write a temporary file in the
// target's folder and rename it over the target once complete.
#include <charconv>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace relugap {

/// Calls write(stream) on a temporary file beside `path`, flushes and fsyncs
/// it, then renames it to `path`. On any exception (or stream failure) the
/// temporary file is removed and a Failure (id "io.write") is thrown; the
/// target is untouched.
void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& write);

/// Same for binary writers that want a raw FILE-like byte sink.
void write_bytes_atomic(const std::string& path, const std::string& bytes);

/// Same for a writer that produces its bytes piece by piece: `next(chunk)`
/// fills `chunk` (cleared before each call) and returns false after the last
/// piece. Each piece is written as it comes, so the file is never held whole
/// in memory.
void write_chunks_atomic(const std::string& path, const std::function<bool(std::string& chunk)>& next);

/// A buffered byte sink for write_text_atomic: text and numbers (std::to_chars,
/// no locale, no allocation per item) go into a buffer that is handed to the
/// file every kFlush bytes, so a writer streams at disk speed in O(1) memory.
class TextSink {
 public:
  using Emit = std::function<void(const char*, std::size_t)>;
  static constexpr std::size_t kFlush = std::size_t{1} << 20;
  explicit TextSink(Emit emit) : emit_(std::move(emit)) { buf_.reserve(kFlush + 256); }
  TextSink(const TextSink&) = delete;
  TextSink& operator=(const TextSink&) = delete;
  ~TextSink() = default;

  TextSink& put(std::string_view s) {
    buf_.append(s);
    return maybe_flush();
  }
  TextSink& put(char ch) {
    buf_.push_back(ch);
    return maybe_flush();
  }
  TextSink& put_u64(std::uint64_t v) { return num(v); }
  TextSink& put_i64(std::int64_t v) { return num(v); }
  /// Shortest text that reads back as exactly v (as format_double). Integers
  /// below 10^4 in magnitude (most values of the reductions) skip the
  /// shortest-double search: their shortest form is the plain integer.
  TextSink& put_f64(double v) {
    if (v > -1e4 && v < 1e4 && v != 0) {
      const auto i = static_cast<std::int64_t>(v);
      if (static_cast<double>(i) == v) return num(i);
    }
    return num(v);
  }
  /// Hands the buffer to the file.
  void flush() {
    if (!buf_.empty()) emit_(buf_.data(), buf_.size());
    buf_.clear();
  }

 private:
  template <class T>
  TextSink& num(T v) {
    char tmp[40];
    auto res = std::to_chars(tmp, tmp + sizeof tmp, v);  // 40 bytes hold any int64 or shortest double
    buf_.append(tmp, static_cast<std::size_t>(res.ptr - tmp));
    return maybe_flush();
  }
  TextSink& maybe_flush() {
    if (buf_.size() >= kFlush) flush();
    return *this;
  }
  Emit emit_;
  std::string buf_;
};

/// Like write_file_atomic, for writers that stream through a TextSink.
void write_text_atomic(const std::string& path, const std::function<void(TextSink&)>& write);

/// A buffered binary sink for write_binary_atomic: bytes are copied into a
/// buffer of kBuffer bytes that is handed to the file when full, so a writer
/// streams in O(1) memory. Bytes already put may be overwritten (`patch`, e.g.
/// a zip header's CRC once its member is written): in the buffer, or in the
/// file (pwrite) once flushed.
class ByteSink {
 public:
  using Emit = std::function<void(const char*, std::size_t)>;
  /// Overwrites bytes already emitted, at a file offset.
  using Rewrite = std::function<void(std::uint64_t, const char*, std::size_t)>;
  static constexpr std::size_t kBuffer = std::size_t{4} << 20;
  ByteSink(Emit emit, Rewrite rewrite);
  ByteSink(const ByteSink&) = delete;
  ByteSink& operator=(const ByteSink&) = delete;
  ~ByteSink();

  void put(const void* p, std::size_t n);
  /// Bytes put so far (the offset of the next byte).
  [[nodiscard]] std::uint64_t offset() const { return emitted_ + used_; }
  /// Overwrites the n bytes put at offset `at` (at + n <= offset()).
  void patch(std::uint64_t at, const void* p, std::size_t n);
  /// Hands the buffer to the file.
  void flush();

 private:
  Emit emit_;
  Rewrite rewrite_;
  char* buf_;
  std::size_t used_ = 0;
  std::uint64_t emitted_ = 0;
};

/// Like write_file_atomic, for binary writers that stream through a ByteSink.
void write_binary_atomic(const std::string& path, const std::function<void(ByteSink&)>& write);
/// The bytes a ByteSink writer produces, in memory (for tests and small files).
std::string binary_bytes(const std::function<void(ByteSink&)>& write);

/// Reads a whole file; throws Failure (id "io.open") naming the file if it cannot be read.
std::string read_file(const std::string& path);

}  // namespace relugap
