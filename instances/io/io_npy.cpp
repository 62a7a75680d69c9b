// NPY training sets: one float64 little-endian C-order array of shape (m, d+2)
// whose columns are X (d of them), y, c. Versions 1.0 and 2.0 of the format
// are read; anything else (other dtypes, Fortran order, other ranks, a data
// size that does not match the shape) is rejected with an "npy.*" error.
// NPY is binary: errors carry no line number but name the row and column.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "instances/core/error.hpp"
#include "instances/io/atomic_write.hpp"
#include "instances/io/io_internal.hpp"
#include "instances/io/text_reader.hpp"

namespace relugap::io_detail {

namespace {

constexpr std::string_view kMagic("\x93NUMPY", 6);

std::uint64_t read_le(std::string_view b, std::size_t at, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v |= std::uint64_t{static_cast<unsigned char>(b[at + i])} << (8 * i);
  return v;
}

double read_f64(std::string_view b, std::size_t at) { return std::bit_cast<double>(read_le(b, at, 8)); }

void put_le(std::string& out, std::uint64_t v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

/// The header dictionary, e.g. {'descr': '<f8', 'fortran_order': False, 'shape': (3, 5), }
struct NpyHeader {
  std::optional<std::string> descr;
  std::optional<bool> fortran_order;
  std::optional<std::vector<std::uint64_t>> shape;
};

/// A strict parser for the Python literal numpy writes in the header.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& file) : s_(text), file_(file) {}

  NpyHeader parse() {
    NpyHeader h;
    expect('{');
    skip_ws();
    while (peek() != '}') {
      std::string key = string_literal();
      expect(':');
      skip_ws();
      if (key == "descr") {
        if (h.descr) bad("key 'descr' appears twice");
        h.descr = string_literal();
      } else if (key == "fortran_order") {
        if (h.fortran_order) bad("key 'fortran_order' appears twice");
        h.fortran_order = boolean();
      } else if (key == "shape") {
        if (h.shape) bad("key 'shape' appears twice");
        h.shape = tuple();
      } else {
        bad("unexpected key '" + key + "' (expected 'descr', 'fortran_order', 'shape')");
      }
      skip_ws();
      if (peek() == ',') {
        ++i_;
        skip_ws();
      } else if (peek() != '}') {
        bad("expected ',' or '}'");
      }
    }
    ++i_;
    skip_ws();
    if (i_ != s_.size()) bad("unexpected text after the closing '}'");
    if (!h.descr) bad("missing key 'descr'");
    if (!h.fortran_order) bad("missing key 'fortran_order'");
    if (!h.shape) bad("missing key 'shape'");
    return h;
  }

 private:
  [[noreturn]] void bad(const std::string& why) const {
    fail("npy.header", file_, 0, "malformed NPY header dictionary: " + why);
  }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void skip_ws() {
    while (i_ < s_.size() && (is_space(s_[i_]) || s_[i_] == '\n')) ++i_;
  }
  void expect(char ch) {
    skip_ws();
    if (peek() != ch) bad(std::string("expected '") + ch + "'");
    ++i_;
  }
  std::string string_literal() {
    skip_ws();
    char q = peek();
    if (q != '\'' && q != '"') bad("expected a quoted string");
    std::size_t end = s_.find(q, i_ + 1);
    if (end == std::string_view::npos) bad("unterminated string");
    std::string out(s_.substr(i_ + 1, end - i_ - 1));
    i_ = end + 1;
    return out;
  }
  bool boolean() {
    if (s_.substr(i_).starts_with("True")) {
      i_ += 4;
      return true;
    }
    if (s_.substr(i_).starts_with("False")) {
      i_ += 5;
      return false;
    }
    bad("'fortran_order' must be True or False");
  }
  std::vector<std::uint64_t> tuple() {
    if (peek() != '(') bad("'shape' must be a tuple");
    ++i_;
    std::vector<std::uint64_t> dims;
    skip_ws();
    while (peek() != ')') {
      std::size_t start = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      auto v = parse_u64(s_.substr(start, i_ - start));
      if (!v) bad("'shape' entries must be non-negative integers");
      if (dims.size() >= 32) bad("'shape' has too many dimensions");
      dims.push_back(*v);
      skip_ws();
      if (peek() == ',') {
        ++i_;
        skip_ws();
      } else if (peek() != ')') {
        bad("expected ',' or ')' in 'shape'");
      }
    }
    ++i_;
    return dims;
  }

  std::string_view s_;
  const std::string& file_;
  std::size_t i_ = 0;
};

std::string shape_text(const std::vector<std::uint64_t>& dims) {
  std::string t = "(";
  for (std::size_t i = 0; i < dims.size(); ++i) t += (i ? ", " : "") + std::to_string(dims[i]);
  return t + (dims.size() == 1 ? ",)" : ")");
}

/// The magic, version and header dictionary of an NPY file; `data_start` is
/// where the array's bytes begin.
NpyHeader read_npy_header(std::string_view b, const std::string& file, std::uint64_t& data_start_out) {
  if (b.size() < 10 || b.substr(0, 6) != kMagic)
    fail("npy.magic", file, 0, "not an NPY file (missing the \\x93NUMPY magic)");
  const auto major = static_cast<unsigned char>(b[6]), minor = static_cast<unsigned char>(b[7]);
  if ((major != 1 && major != 2) || minor != 0)
    fail("npy.version", file, 0,
         "NPY format version " + std::to_string(major) + "." + std::to_string(minor) + " not supported (1.0 or 2.0)");
  const std::size_t len_bytes = major == 1 ? 2 : 4;
  if (b.size() < 8 + len_bytes) fail("npy.header", file, 0, "file ends inside the NPY header");
  const std::uint64_t hlen = read_le(b, 8, len_bytes);
  const std::uint64_t data_start = 8 + len_bytes + hlen;
  if (data_start > b.size()) fail("npy.header", file, 0, "file ends inside the NPY header");
  std::string_view htext = b.substr(8 + len_bytes, hlen);
  if (htext.empty() || htext.back() != '\n') fail("npy.header", file, 0, "NPY header does not end with a newline");
  for (char ch : htext)
    if (static_cast<unsigned char>(ch) >= 0x80 || (static_cast<unsigned char>(ch) < 0x20 && ch != '\n'))
      fail("npy.header", file, 0, "NPY header contains non-ASCII bytes");
  NpyHeader h = HeaderParser(htext, file).parse();
  data_start_out = data_start;
  return h;
}

}  // namespace

TrainingSet parse_npy(std::string_view b, const std::string& file) {
  std::uint64_t data_start = 0;
  NpyHeader h = read_npy_header(b, file, data_start);
  if (*h.descr != "<f8")
    fail("npy.dtype", file, 0,
         "dtype '" + *h.descr + "' not supported: expected '<f8' (little-endian float64; use arr.astype('<f8'))");
  if (*h.fortran_order)
    fail("npy.order", file, 0, "Fortran-order arrays not supported: save a C-order array (np.ascontiguousarray)");
  const auto& dims = *h.shape;
  if (dims.size() != 2)
    fail("npy.shape", file, 0,
         "shape " + shape_text(dims) + " is not 2-D: expected (samples, dim + 2) with columns X | y | c");
  const std::uint64_t m = dims[0], cols = dims[1];
  if (cols < 3)
    fail("npy.shape", file, 0,
         "shape " + shape_text(dims) + " has " + std::to_string(cols) +
             " columns: expected dim + 2 >= 3 (columns X | y | c)");
  if (cols - 2 > std::numeric_limits<std::uint32_t>::max())
    fail("npy.shape", file, 0, "shape " + shape_text(dims) + ": dimension too large");
  const std::uint64_t have = b.size() - data_start;
  if (m > have / cols / 8 || m * cols * 8 != have)
    fail("npy.size", file, 0,
         "shape " + shape_text(dims) + " needs " +
             (m > std::numeric_limits<std::uint64_t>::max() / cols / 8 ? std::string("more than 2^64")
                                                                       : std::to_string(m * cols * 8)) +
             " data bytes, the file has " + std::to_string(have));
  TrainingSet data(cols - 2);
  std::vector<std::pair<std::uint32_t, double>> row;
  for (std::uint64_t i = 0; i < m; ++i) {
    row.clear();
    const std::size_t base = data_start + i * cols * 8;
    const std::string where = "row " + std::to_string(i + 1);
    for (std::uint64_t t = 0; t + 2 < cols; ++t) {
      double v = read_f64(b, base + t * 8);
      check_finite(v, where + ", column " + std::to_string(t + 1) + " (x" + std::to_string(t) + ")", "npy.nonfinite",
                   file, 0);
      if (v != 0) row.emplace_back(static_cast<std::uint32_t>(t), v);
    }
    double y = read_f64(b, base + (cols - 2) * 8), c = read_f64(b, base + (cols - 1) * 8);
    check_finite(y, where + ", column " + std::to_string(cols - 1) + " (y)", "npy.nonfinite", file, 0);
    check_weight(c, where + ", column " + std::to_string(cols) + " (c)", "npy.weight", file, 0);
    data.add(row, y, c);
  }
  return data;
}

std::string npy_header(const std::string& descr, const std::string& shape) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad with spaces so that the data starts at a multiple of 64 bytes, then a newline.
  std::size_t prefix = 10;
  if (prefix + header.size() + 1 > 0xffff) prefix = 12;  // needs version 2.0
  while ((prefix + header.size() + 1) % 64 != 0) header.push_back(' ');
  header.push_back('\n');
  std::string out(kMagic);
  out.push_back(prefix == 10 ? '\x01' : '\x02');
  out.push_back('\0');
  put_le(out, header.size(), prefix == 10 ? 2 : 4);
  out += header;
  return out;
}

namespace {
void put_row(char* row, const TrainingSet& data, std::size_t i, std::size_t cols) {
  auto put = [](char* at, double v) {
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(at, &v, 8);
    } else {
      const auto u = std::bit_cast<std::uint64_t>(v);
      for (int b = 0; b < 8; ++b) at[b] = static_cast<char>((u >> (8 * b)) & 0xff);
    }
  };
  std::memset(row, 0, cols * 8);
  for (std::size_t k = data.row_ptr[i]; k < data.row_ptr[i + 1]; ++k) put(row + data.col[k].idx() * 8, data.val[k]);
  put(row + (cols - 2) * 8, data.y[i]);
  put(row + (cols - 1) * 8, data.c[i]);
}

std::uint64_t npy_cols(const TrainingSet& data, const std::string& file) {
  const std::uint64_t m = data.samples(), cols = data.dim + 2;
  if (m > 0 && cols > std::numeric_limits<std::uint64_t>::max() / 8 / m)
    fail("npy.size", file, 0, "the set is too large for a dense NPY array");
  return cols;
}
}  // namespace

std::string npy_bytes(const TrainingSet& data, const std::string& file) {
  const std::uint64_t m = data.samples(), cols = npy_cols(data, file);
  std::string out = npy_header("<f8", "(" + std::to_string(m) + ", " + std::to_string(cols) + ")");
  const std::size_t start = out.size();
  out.resize(start + m * cols * 8);
  for (std::size_t i = 0; i < m; ++i) put_row(out.data() + start + i * cols * 8, data, i, cols);
  return out;
}

void write_npy_file(const std::string& path, const TrainingSet& data) {
  const std::uint64_t m = data.samples(), cols = npy_cols(data, path);
  // Rows go out in pieces of about 1 MiB (at least one row): the buffer stays
  // in cache and the file is never held whole in memory.
  const std::size_t row_bytes = cols * 8;
  const std::size_t rows_per_chunk = std::max<std::size_t>(1, (std::size_t{1} << 20) / row_bytes);
  std::size_t next_row = 0;
  bool header_done = false;
  write_chunks_atomic(path, [&](std::string& chunk) {
    if (!header_done) {
      chunk = npy_header("<f8", "(" + std::to_string(m) + ", " + std::to_string(cols) + ")");
      header_done = true;
      return next_row < m;
    }
    const std::size_t n = std::min<std::size_t>(rows_per_chunk, m - next_row);
    chunk.resize(n * row_bytes);
    for (std::size_t r = 0; r < n; ++r) put_row(chunk.data() + r * row_bytes, data, next_row + r, cols);
    next_row += n;
    return next_row < m;
  });
}

NpyArray parse_npy_array(std::string_view b, const std::string& file) {
  std::uint64_t data_start = 0;
  NpyHeader h = read_npy_header(b, file, data_start);
  if (*h.fortran_order)
    fail("npy.order", file, 0, "Fortran-order arrays not supported: save a C-order array (np.ascontiguousarray)");
  NpyArray a;
  a.descr = *h.descr;
  a.shape = *h.shape;
  std::size_t item = 0;
  if (a.descr == "<f8" || a.descr == "<i8") {
    item = 8;
  } else if (a.descr == "<i4") {
    item = 4;
  } else if (a.descr.size() >= 3 && (a.descr[0] == '|' || a.descr[0] == '<') &&
             (a.descr[1] == 'S' || a.descr[1] == 'U')) {
    auto n = parse_u64(std::string_view(a.descr).substr(2));
    if (!n || *n == 0 || *n > 64) fail("npy.dtype", file, 0, "dtype '" + a.descr + "' not supported");
    item = static_cast<std::size_t>(*n) * (a.descr[1] == 'U' ? 4 : 1);
  } else {
    fail("npy.dtype", file, 0, "dtype '" + a.descr + "' not supported (expected '<f8', '<i4', '<i8' or a string)");
  }
  const std::uint64_t have = b.size() - data_start;
  std::uint64_t count = 1;
  for (auto d : a.shape) {
    if (d != 0 && count > have / d)
      fail("npy.size", file, 0, "shape " + shape_text(a.shape) + " does not fit the file");
    count *= d;
  }
  if (count > have / item || count * item != have)
    fail("npy.size", file, 0,
         "shape " + shape_text(a.shape) + " needs " + std::to_string(count) + " items of " + std::to_string(item) +
             " bytes, the file has " + std::to_string(have) + " data bytes");
  a.count = count;
  a.item = item;
  a.data = b.substr(data_start);
  return a;
}

std::int64_t NpyArray::integer(std::size_t i) const {
  if (item == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(read_le(data, i * 4, 4)));
  return static_cast<std::int64_t>(read_le(data, i * 8, 8));
}

double NpyArray::real(std::size_t i) const { return read_f64(data, i * 8); }

}  // namespace relugap::io_detail
