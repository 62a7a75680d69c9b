#pragma once
// Writers never leave a half-written file: they write a temporary file in the
// target's folder and rename it over the target once complete.
#include <charconv>
#include <cstdint>
#include <cstring>
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
/// Every call starts with fewer than kFlush bytes buffered, so kSlack bytes of
/// room are always there for one number or one short piece of text.
class TextSink {
 public:
  using Emit = std::function<void(const char*, std::size_t)>;
  static constexpr std::size_t kFlush = std::size_t{4} << 20;
  static constexpr std::size_t kSlack = 256;
  explicit TextSink(Emit emit) : emit_(std::move(emit)), buf_(new char[kFlush + kSlack]), at_(buf_) {}
  TextSink(const TextSink&) = delete;
  TextSink& operator=(const TextSink&) = delete;
  ~TextSink() { delete[] buf_; }

  TextSink& put(std::string_view s) {
    if (s.size() <= kSlack) {
      std::memcpy(at_, s.data(), s.size());
      at_ += s.size();
      return maybe_flush();
    }
    flush();
    emit_(s.data(), s.size());
    return *this;
  }
  TextSink& put(char ch) {
    *at_++ = ch;
    return maybe_flush();
  }
  TextSink& put_u64(std::uint64_t v) { return num(v); }
  TextSink& put_i64(std::int64_t v) { return num(v); }
  /// Shortest text that reads back as exactly v (the bytes of format_double).
  /// Fast path, no shortest-double search: multiples of 1/16 below 10^4 in
  /// magnitude (most values of the reductions: integers, halves, quarters),
  /// whose shortest form is their exact decimal expansion, and integers below
  /// 2^53 not ending in 0 (whose plain form is shorter than the exponent form).
  TextSink& put_f64(double v) {
    if (v > -1e4 && v < 1e4 && v != 0) {
      const double w = v * 16;  // exact
      const auto i = static_cast<std::int64_t>(w);
      if (static_cast<double>(i) == w) {
        std::uint64_t u = i < 0 ? static_cast<std::uint64_t>(-i) : static_cast<std::uint64_t>(i);
        if (i < 0) *at_++ = '-';
        at_ = std::to_chars(at_, at_ + 32, u >> 4).ptr;
        if (const std::uint64_t f = u & 15; f != 0) {  // f/16 = f*625/10^4: 1 to 4 digits
          std::uint64_t frac = f * 625;
          int digits = 4;
          while (frac % 10 == 0) {
            frac /= 10;
            --digits;
          }
          *at_++ = '.';
          for (int d = digits - 1; d >= 0; --d) {
            at_[d] = static_cast<char>('0' + frac % 10);
            frac /= 10;
          }
          at_ += digits;
        }
        return maybe_flush();
      }
    } else if (v > -9007199254740992.0 && v < 9007199254740992.0) {  // |v| < 2^53
      const auto i = static_cast<std::int64_t>(v);
      if (static_cast<double>(i) == v && i % 10 != 0) return num(i);
    }
    return num(v);
  }
  /// Hands the buffer to the file.
  void flush() {
    if (at_ != buf_) emit_(buf_, static_cast<std::size_t>(at_ - buf_));
    at_ = buf_;
  }

 private:
  template <class T>
  TextSink& num(T v) {
    at_ = std::to_chars(at_, at_ + 40, v).ptr;  // 40 bytes hold any int64 or shortest double
    return maybe_flush();
  }
  TextSink& maybe_flush() {
    if (static_cast<std::size_t>(at_ - buf_) >= kFlush) flush();
    return *this;
  }
  Emit emit_;
  char* buf_;
  char* at_;
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
