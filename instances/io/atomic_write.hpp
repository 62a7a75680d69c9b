#pragma once
// Writers never leave a half-written file: they write a temporary file in the
// target's folder and rename it over the target once complete.
#include <charconv>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
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

/// Where a sink's full buffers go. The sink fills a buffer of capacity()
/// bytes and hands it over whole with take(); the target returns the buffer to
/// fill next (the same one when it consumed the bytes at once, another one when
/// a writer thread is still writing the last). Bytes handed over may be
/// overwritten later with rewrite() (a zip header's CRC once its member is
/// written): in order with the writes, whichever thread does them.
class BlockOut {
 public:
  virtual ~BlockOut() = default;
  [[nodiscard]] virtual std::size_t capacity() const = 0;
  /// The first buffer to fill.
  virtual char* first() = 0;
  /// Hands over full[0, n) (the caller does not touch it again) and returns the
  /// next buffer. Throws Failure (io.write) when an earlier write failed.
  virtual char* take(char* full, std::size_t n) = 0;
  /// Overwrites the n bytes at file offset `at`, all handed over already.
  virtual void rewrite(std::uint64_t at, const char* p, std::size_t n) = 0;
};

/// A BlockOut that hands each buffer to a function at once and refills the
/// same buffer (in-memory writers, streams, tests).
class EmitOut final : public BlockOut {
 public:
  using Emit = std::function<void(const char*, std::size_t)>;
  using Rewrite = std::function<void(std::uint64_t, const char*, std::size_t)>;
  EmitOut(Emit emit, Rewrite rewrite, std::size_t capacity);
  [[nodiscard]] std::size_t capacity() const override { return cap_; }
  char* first() override { return buf_.get(); }
  char* take(char* full, std::size_t n) override;
  void rewrite(std::uint64_t at, const char* p, std::size_t n) override;

 private:
  Emit emit_;
  Rewrite rewrite_;
  std::size_t cap_;
  std::unique_ptr<char[]> buf_;
};

/// The size of the buffers of the file writers (write_text_atomic,
/// write_binary_atomic): one is filled while the writer thread writes the others.
inline constexpr std::size_t kBlockBytes = std::size_t{1} << 20;

/// A buffered byte sink for write_text_atomic: text and numbers (std::to_chars,
/// no locale, no allocation per item) go into a buffer that is handed on every
/// kFlush bytes, so a writer streams at disk speed in O(1) memory. Every call
/// starts with fewer than kFlush bytes buffered, so kSlack bytes of room are
/// always there for one number or one short piece of text.
class TextSink {
 public:
  using Emit = std::function<void(const char*, std::size_t)>;
  static constexpr std::size_t kSlack = 256;
  static constexpr std::size_t kFlush = kBlockBytes - kSlack;
  /// Buffers come from (and go to) `out`, whose capacity is at least kFlush + kSlack.
  explicit TextSink(BlockOut& out);
  /// Each full buffer goes to emit at once.
  explicit TextSink(Emit emit);
  TextSink(const TextSink&) = delete;
  TextSink& operator=(const TextSink&) = delete;
  ~TextSink();

  TextSink& put(std::string_view s) {
    if (s.size() <= kSlack) {
      std::memcpy(at_, s.data(), s.size());
      at_ += s.size();
      return maybe_flush();
    }
    return put_long(s);
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
        at_ = put_small(at_, static_cast<std::uint32_t>(u >> 4));
        if (const std::uint64_t f = u & 15; f != 0) at_ = put_sixteenth(at_, static_cast<unsigned>(f));
        return maybe_flush();
      }
    } else if (v > -9007199254740992.0 && v < 9007199254740992.0) {  // |v| < 2^53
      const auto i = static_cast<std::int64_t>(v);
      if (static_cast<double>(i) == v && i % 10 != 0) return num(i);
    }
    return num(v);
  }
  /// Hands the buffer on.
  void flush() {
    if (at_ != buf_) buf_ = out_->take(buf_, static_cast<std::size_t>(at_ - buf_));
    at_ = buf_;
  }

 private:
  /// u < 10^4 in decimal: 1 to 4 digits, no to_chars call.
  static char* put_small(char* p, std::uint32_t u) {
    if (u < 10) {
      *p = static_cast<char>('0' + u);
      return p + 1;
    }
    if (u < 100) {
      p[0] = static_cast<char>('0' + u / 10);
      p[1] = static_cast<char>('0' + u % 10);
      return p + 2;
    }
    return std::to_chars(p, p + 8, u).ptr;
  }
  /// ".dddd" for f/16, f in 1..15 (f/16 = f*625/10^4), trailing zeros dropped.
  static char* put_sixteenth(char* p, unsigned f) {
    static constexpr char kText[16][6] = {"",   ".0625", ".125", ".1875", ".25", ".3125", ".375", ".4375",
                                          ".5", ".5625", ".625", ".6875", ".75", ".8125", ".875", ".9375"};
    static constexpr unsigned char kLen[16] = {0, 5, 4, 5, 3, 5, 4, 5, 2, 5, 4, 5, 3, 5, 4, 5};
    std::memcpy(p, kText[f], 5);  // always 5 bytes copied (kSlack room), kLen[f] kept
    return p + kLen[f];
  }
  template <class T>
  TextSink& num(T v) {
    at_ = std::to_chars(at_, at_ + 40, v).ptr;  // 40 bytes hold any int64 or shortest double
    return maybe_flush();
  }
  TextSink& maybe_flush() {
    if (static_cast<std::size_t>(at_ - buf_) >= kFlush) flush();
    return *this;
  }
  TextSink& put_long(std::string_view s);
  std::unique_ptr<BlockOut> owned_;
  BlockOut* out_;
  char* buf_;
  char* at_;
};

/// Like write_file_atomic, for writers that stream through a TextSink. The
/// buffers are written to the file by a second thread while the next is filled
/// (errors of that thread are thrown here, with the path, as io.write).
void write_text_atomic(const std::string& path, const std::function<void(TextSink&)>& write);

/// A buffered binary sink for write_binary_atomic: bytes are copied into a
/// buffer that is handed on when full, so a writer streams in O(1) memory.
/// Bytes already put may be overwritten (`patch`, e.g. a zip header's CRC once
/// its member is written): in the buffer, or through BlockOut::rewrite once
/// handed on.
class ByteSink {
 public:
  using Emit = EmitOut::Emit;
  using Rewrite = EmitOut::Rewrite;
  static constexpr std::size_t kBuffer = kBlockBytes;
  /// Buffers come from (and go to) `out`.
  explicit ByteSink(BlockOut& out);
  /// Each full buffer goes to emit at once; rewrite overwrites emitted bytes.
  ByteSink(Emit emit, Rewrite rewrite);
  ByteSink(const ByteSink&) = delete;
  ByteSink& operator=(const ByteSink&) = delete;
  ~ByteSink();

  void put(const void* p, std::size_t n) {
    if (n <= cap_ - used_) {  // the common case: room in the buffer
      std::memcpy(buf_ + used_, p, n);
      used_ += n;
      return;
    }
    put_long(p, n);
  }
  /// Bytes put so far (the offset of the next byte).
  [[nodiscard]] std::uint64_t offset() const { return emitted_ + used_; }
  /// Overwrites the n bytes put at offset `at` (at + n <= offset()).
  void patch(std::uint64_t at, const void* p, std::size_t n);
  /// Hands the buffer on.
  void flush();

 private:
  void put_long(const void* p, std::size_t n);
  std::unique_ptr<BlockOut> owned_;
  BlockOut* out_;
  std::size_t cap_;
  char* buf_;
  std::size_t used_ = 0;
  std::uint64_t emitted_ = 0;
};

/// Like write_file_atomic, for binary writers that stream through a ByteSink
/// (written by a second thread, as write_text_atomic).
void write_binary_atomic(const std::string& path, const std::function<void(ByteSink&)>& write);
/// The bytes a ByteSink writer produces, in memory (for tests and small files).
std::string binary_bytes(const std::function<void(ByteSink&)>& write);

/// Reads a whole file; throws Failure (id "io.open") naming the file if it cannot be read.
std::string read_file(const std::string& path);

}  // namespace relugap
