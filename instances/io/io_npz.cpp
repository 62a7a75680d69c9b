// NPZ training sets: the (m, d+2) matrix X | y | c in CSR, stored the way
// scipy.sparse.save_npz stores it, so scipy.sparse.load_npz reads the file:
// a zip archive (libzip) of NPY members format.npy ('|S3' b"csr", shape ()),
// shape.npy ('<i8', (2,)), data.npy ('<f8', (nnz,)), indices.npy and
// indptr.npy ('<i4', or '<i8' when nnz or the width needs it). Members carry
// a fixed time stamp, so the same set gives the same bytes. Sets up to
// kNpzStoreAbove raw bytes are deflated (libzip, in memory); larger ones are
// streamed to the file in one pass with stored (uncompressed) members: every
// member's size is known from the CSR before it is written, so its local header
// goes first and only its CRC-32, computed on the fly, is patched afterwards
// (ZIP64 records when a size or offset needs them; numpy and scipy read both).
//
// Error ids (file = the .npz, the reason names the member):
//   npz.zip      not a zip archive, or a damaged one (bad CRC, truncated member)
//   npz.member   a required member is missing, or one is not a valid NPY array
//   npz.format   format.npy is not "csr"
//   npz.dtype    a member has the wrong dtype or rank
//   npz.shape    shape.npy is not (samples, dim + 2) with dim >= 1
//   npz.csr      inconsistent CSR arrays (indptr, indices out of range or unsorted)
//   npz.nonfinite, npz.weight   as for the other formats
#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <ctime>
#include <limits>
#include <map>
#include <memory>
#include <type_traits>

#include "instances/core/assert.hpp"
#include "instances/core/error.hpp"
#include "instances/io/io_internal.hpp"

namespace relugap::io_detail {

namespace {

constexpr std::array<const char*, 5> kMembers = {"format.npy", "shape.npy", "data.npy", "indices.npy", "indptr.npy"};

struct ZipDiscard {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDiscard>;

[[noreturn]] void zip_fail(const std::string& file, const std::string& what, zip_error_t* err) {
  std::string why = what;
  if (err != nullptr) why += ": " + std::string(zip_error_strerror(err));
  fail("npz.zip", file, 0, why);
}

/// The members of an npz archive, read from memory (libzip checks every CRC).
std::map<std::string, std::string> read_members(std::string_view bytes, const std::string& file) {
  if (bytes.size() < 22 || !bytes.starts_with("PK"))  // 22: the smallest zip (an end-of-directory record)
    fail("npz.zip", file, 0, "not a zip archive (an .npz is a zip of .npy members)");
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (src == nullptr) zip_fail(file, "cannot read the archive", &err);
  ZipPtr za(zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err));
  if (!za) {
    zip_source_free(src);
    const std::string what = zip_error_code_zip(&err) == ZIP_ER_NOZIP ? "not a zip archive (an .npz is a zip of .npy "
                                                                        "members)"
                                                                      : "damaged zip archive";
    zip_fail(file, what, &err);
  }
  std::map<std::string, std::string> out;
  const zip_int64_t n = zip_get_num_entries(za.get(), 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 || st.name == nullptr) continue;
    const std::string name = st.name;
    bool wanted = false;
    for (const char* m : kMembers) wanted = wanted || name == m;
    if (!wanted) continue;
    if (out.count(name)) fail("npz.member", file, 0, "member '" + name + "' appears twice");
    zip_file_t* zf = zip_fopen_index(za.get(), static_cast<zip_uint64_t>(i), 0);
    if (zf == nullptr) zip_fail(file, "cannot open member '" + name + "'", zip_get_error(za.get()));
    std::string data;
    std::array<char, 1 << 16> buf{};
    while (true) {
      const zip_int64_t got = zip_fread(zf, buf.data(), buf.size());
      if (got < 0) {
        const std::string why = "member '" + name + "' is damaged: " + zip_file_strerror(zf);
        zip_fclose(zf);
        fail("npz.zip", file, 0, why);
      }
      if (got == 0) break;
      data.append(buf.data(), static_cast<std::size_t>(got));
    }
    zip_fclose(zf);
    out.emplace(name, std::move(data));
  }
  for (const char* m : kMembers)
    if (!out.count(m))
      fail("npz.member", file, 0,
           std::string("member '") + m +
               "' is missing (expected format, shape, data, indices, indptr: the layout of "
               "scipy.sparse.save_npz)");
  return out;
}

NpyArray member(const std::map<std::string, std::string>& ms, const char* name, const std::string& file) {
  try {
    return parse_npy_array(ms.at(name), file);
  } catch (const Failure& f) {
    fail("npz.member", file, 0, std::string("member '") + name + "': " + f.error().reason);
  }
}

void need_rank1(const NpyArray& a, const char* name, bool integer, const std::string& file) {
  const bool ok_type = integer ? (a.descr == "<i4" || a.descr == "<i8") : a.descr == "<f8";
  if (!ok_type)
    fail("npz.dtype", file, 0,
         std::string("member '") + name + "' has dtype '" + a.descr + "', expected " +
             (integer ? "'<i4' or '<i8'" : "'<f8'"));
  if (a.shape.size() != 1) fail("npz.dtype", file, 0, std::string("member '") + name + "' must be a 1-D array");
}

}  // namespace

TrainingSet parse_npz(std::string_view bytes, const std::string& file) {
  const auto ms = read_members(bytes, file);
  const NpyArray fmt = member(ms, "format.npy", file);
  std::string fmt_text;
  if (fmt.count == 1 && fmt.descr[1] == 'S') {
    fmt_text = std::string(fmt.data.substr(0, fmt.item));
  } else if (fmt.count == 1 && fmt.descr[1] == 'U') {
    for (std::size_t i = 0; i + 3 < fmt.item; i += 4) fmt_text.push_back(fmt.data[i]);
  } else {
    fail("npz.format", file, 0, "member 'format.npy' must hold one string (b\"csr\")");
  }
  while (!fmt_text.empty() && fmt_text.back() == '\0') fmt_text.pop_back();
  if (fmt_text != "csr")
    fail("npz.format", file, 0, "sparse format '" + fmt_text + "' not supported: expected 'csr' (X | y | c by rows)");
  const NpyArray shape = member(ms, "shape.npy", file);
  need_rank1(shape, "shape.npy", true, file);
  if (shape.count != 2) fail("npz.shape", file, 0, "member 'shape.npy' must hold 2 numbers (samples, dim + 2)");
  const std::int64_t m = shape.integer(0), cols = shape.integer(1);
  if (m < 0 || cols < 3)
    fail("npz.shape", file, 0,
         "shape (" + std::to_string(m) + ", " + std::to_string(cols) +
             ") is not (samples, dim + 2) with dim >= 1 (columns X | y | c)");
  if (cols - 2 > std::numeric_limits<std::uint32_t>::max())
    fail("npz.shape", file, 0, "shape: dimension " + std::to_string(cols - 2) + " too large");
  const NpyArray data = member(ms, "data.npy", file);
  need_rank1(data, "data.npy", false, file);
  const NpyArray indices = member(ms, "indices.npy", file);
  need_rank1(indices, "indices.npy", true, file);
  const NpyArray indptr = member(ms, "indptr.npy", file);
  need_rank1(indptr, "indptr.npy", true, file);
  if (indptr.count != static_cast<std::uint64_t>(m) + 1)
    fail("npz.csr", file, 0,
         "indptr has " + std::to_string(indptr.count) + " entries, expected samples + 1 = " + std::to_string(m + 1));
  if (indices.count != data.count)
    fail("npz.csr", file, 0,
         "indices has " + std::to_string(indices.count) + " entries but data has " + std::to_string(data.count));
  if (indptr.integer(0) != 0) fail("npz.csr", file, 0, "indptr[0] is " + std::to_string(indptr.integer(0)) + ", not 0");
  if (indptr.integer(static_cast<std::size_t>(m)) != static_cast<std::int64_t>(data.count))
    fail("npz.csr", file, 0,
         "indptr[" + std::to_string(m) + "] is " + std::to_string(indptr.integer(static_cast<std::size_t>(m))) +
             ", not the number of stored values " + std::to_string(data.count));
  const auto d = static_cast<std::size_t>(cols - 2);
  TrainingSet out(d);
  std::vector<std::pair<std::uint32_t, double>> row;
  for (std::int64_t i = 0; i < m; ++i) {
    const std::int64_t b = indptr.integer(static_cast<std::size_t>(i)),
                       e = indptr.integer(static_cast<std::size_t>(i) + 1);
    auto where = [i] { return "row " + std::to_string(i + 1); };  // messages only on failure
    if (e < b || e > static_cast<std::int64_t>(data.count))
      fail("npz.csr", file, 0, where() + ": indptr is not non-decreasing within [0, nnz]");
    row.clear();
    double y = 0, c = 0;
    std::int64_t prev = -1;
    for (std::int64_t k = b; k < e; ++k) {
      const std::int64_t j = indices.integer(static_cast<std::size_t>(k));
      if (j < 0 || j >= cols)
        fail("npz.csr", file, 0,
             where() + ": column index " + std::to_string(j) + " out of range [0, " + std::to_string(cols) + ")");
      if (j <= prev)
        fail("npz.csr", file, 0,
             where() +
                 ": column indices not strictly increasing (call sort_indices() and "
                 "sum_duplicates() before save_npz)");
      prev = j;
      const double v = data.real(static_cast<std::size_t>(k));
      if (j < cols - 2) {
        if (!std::isfinite(v))
          check_finite(v, where() + ", column " + std::to_string(j + 1) + " (x" + std::to_string(j) + ")",
                       "npz.nonfinite", file, 0);
        if (v != 0) row.emplace_back(static_cast<std::uint32_t>(j), v);
      } else if (j == cols - 2) {
        if (!std::isfinite(v))
          check_finite(v, where() + ", column " + std::to_string(j + 1) + " (y)", "npz.nonfinite", file, 0);
        y = v;
      } else {
        c = v;
      }
    }
    if (!std::isfinite(c) || !(c > 0))
      check_weight(c, where() + ", column " + std::to_string(cols) + " (c)", "npz.weight", file, 0);
    out.add(row, y, c);
  }
  return out;
}

namespace {

/// A zip archive of stored members written front to back through a ByteSink.
/// begin(name, size) writes the local header (CRC 0), put() the member's bytes
/// (CRC-32 on the fly), end() patches the CRC; finish() writes the central
/// directory. ZIP64 extra fields and end records when a size or an offset does
/// not fit 32 bits, or always when `force_zip64` (tests: no 4 GiB file needed).
class StoredZip {
 public:
  StoredZip(ByteSink& out, bool force_zip64) : out_(out), force64_(force_zip64) {}

  void begin(const std::string& name, std::uint64_t size) {
    Entry e{name, size, out_.offset(), 0, force64_ || size >= kMax32};
    std::string h;
    u32(h, 0x04034b50);
    u16(h, e.zip64 ? 45 : 10);  // version needed: 1.0 (stored), 4.5 (ZIP64)
    u16(h, 0);                  // flags
    u16(h, 0);                  // method: stored
    u16(h, kDosTime);
    u16(h, kDosDate);
    crc_at_ = out_.offset() + h.size();
    u32(h, 0);  // CRC-32, patched by end()
    u32(h, e.zip64 ? kMax32 : static_cast<std::uint32_t>(size));
    u32(h, e.zip64 ? kMax32 : static_cast<std::uint32_t>(size));
    u16(h, static_cast<std::uint16_t>(name.size()));
    u16(h, e.zip64 ? 20 : 0);
    h += name;
    if (e.zip64) {
      u16(h, 0x0001);
      u16(h, 16);
      u64(h, size);
      u64(h, size);
    }
    out_.put(h.data(), h.size());
    entries_.push_back(std::move(e));
    crc_ = crc32_z(0, nullptr, 0);
    left_ = size;
  }
  void put(const void* p, std::size_t n) {
    RELUGAP_ASSERT(n <= left_, "StoredZip: member longer than announced");
    crc_ = crc32_z(crc_, static_cast<const Bytef*>(p), n);
    out_.put(p, n);
    left_ -= n;
  }
  void end() {
    RELUGAP_ASSERT(left_ == 0, "StoredZip: member shorter than announced");
    entries_.back().crc = static_cast<std::uint32_t>(crc_);
    std::string c;
    u32(c, entries_.back().crc);
    out_.patch(crc_at_, c.data(), c.size());
  }
  void finish() {
    const std::uint64_t cd_start = out_.offset();
    for (const Entry& e : entries_) {
      const bool off64 = force64_ || e.offset >= kMax32;
      std::string x;  // ZIP64 extra: the fields that read 0xffffffff, in this order
      if (e.zip64) {
        u64(x, e.size);
        u64(x, e.size);
      }
      if (off64) u64(x, e.offset);
      std::string h;
      u32(h, 0x02014b50);
      u16(h, kMadeBy);
      u16(h, e.zip64 || off64 ? 45 : 10);
      u16(h, 0);
      u16(h, 0);
      u16(h, kDosTime);
      u16(h, kDosDate);
      u32(h, e.crc);
      u32(h, e.zip64 ? kMax32 : static_cast<std::uint32_t>(e.size));
      u32(h, e.zip64 ? kMax32 : static_cast<std::uint32_t>(e.size));
      u16(h, static_cast<std::uint16_t>(e.name.size()));
      u16(h, x.empty() ? 0 : static_cast<std::uint16_t>(x.size() + 4));
      u16(h, 0);               // comment
      u16(h, 0);               // disk
      u16(h, 0);               // internal attributes
      u32(h, 0100666u << 16);  // external attributes: a regular file, rw-rw-rw- (as libzip)
      u32(h, off64 ? kMax32 : static_cast<std::uint32_t>(e.offset));
      h += e.name;
      if (!x.empty()) {
        u16(h, 0x0001);
        u16(h, static_cast<std::uint16_t>(x.size()));
        h += x;
      }
      out_.put(h.data(), h.size());
    }
    const std::uint64_t cd_size = out_.offset() - cd_start, n = entries_.size();
    const bool end64 = force64_ || cd_start >= kMax32 || cd_size >= kMax32;
    std::string t;
    if (end64) {
      const std::uint64_t rec = out_.offset();
      u32(t, 0x06064b50);  // ZIP64 end of central directory record
      u64(t, 44);
      u16(t, kMadeBy);
      u16(t, 45);
      u32(t, 0);
      u32(t, 0);
      u64(t, n);
      u64(t, n);
      u64(t, cd_size);
      u64(t, cd_start);
      u32(t, 0x07064b50);  // its locator
      u32(t, 0);
      u64(t, rec);
      u32(t, 1);
    }
    u32(t, 0x06054b50);
    u16(t, 0);
    u16(t, 0);
    u16(t, static_cast<std::uint16_t>(n));
    u16(t, static_cast<std::uint16_t>(n));
    u32(t, end64 ? kMax32 : static_cast<std::uint32_t>(cd_size));
    u32(t, end64 ? kMax32 : static_cast<std::uint32_t>(cd_start));
    u16(t, 0);
    out_.put(t.data(), t.size());
  }

 private:
  static constexpr std::uint32_t kMax32 = 0xffffffffu;
  static constexpr std::uint16_t kMadeBy = 3 << 8 | 63;  // Unix, zip 6.3 (as libzip: the same bytes as before)
  // 1981-01-01 12:00:00 in MS-DOS form, as the deflated (libzip) writer stores it.
  static constexpr std::uint16_t kDosTime = 12 << 11;
  static constexpr std::uint16_t kDosDate = (1981 - 1980) << 9 | 1 << 5 | 1;
  struct Entry {
    std::string name;
    std::uint64_t size = 0, offset = 0;
    std::uint32_t crc = 0;
    bool zip64 = false;
  };
  static void u16(std::string& s, std::uint64_t v) { le(s, v, 2); }
  static void u32(std::string& s, std::uint64_t v) { le(s, v, 4); }
  static void u64(std::string& s, std::uint64_t v) { le(s, v, 8); }
  static void le(std::string& s, std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  ByteSink& out_;
  bool force64_;
  std::vector<Entry> entries_;
  std::uint64_t crc_at_ = 0, left_ = 0;
  uLong crc_ = 0;
};

/// Little-endian numbers gathered in a 64 KiB block, handed to the zip a block
/// at a time (one CRC and one copy per block, not per number).
class Stage {
 public:
  explicit Stage(StoredZip& z) : z_(z) {}
  template <class T>
  void push(T v) {
    if (n_ + sizeof(T) > kSize) flush();
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(buf_.data() + n_, &v, sizeof(T));
    } else {
      std::uint64_t u = 0;
      if constexpr (sizeof(T) == 8)
        u = std::bit_cast<std::uint64_t>(v);
      else
        u = std::bit_cast<std::uint32_t>(v);
      for (std::size_t b = 0; b < sizeof(T); ++b) buf_[n_ + b] = static_cast<char>((u >> (8 * b)) & 0xff);
    }
    n_ += sizeof(T);
  }
  /// n items of 4 or 8 bytes, already in little-endian order in memory (the
  /// caller checked the host's byte order): one copy for a whole row.
  void push_raw(const void* p, std::size_t bytes) {
    const char* s = static_cast<const char*>(p);
    while (bytes > 0) {
      if (n_ == kSize) flush();
      const std::size_t k = std::min(bytes, kSize - n_);
      std::memcpy(buf_.data() + n_, s, k);
      n_ += k;
      s += k;
      bytes -= k;
    }
  }
  void flush() {
    if (n_ > 0) z_.put(buf_.data(), n_);
    n_ = 0;
  }

 private:
  static constexpr std::size_t kSize = std::size_t{1} << 16;
  StoredZip& z_;
  std::array<char, kSize> buf_{};
  std::size_t n_ = 0;
};

/// Rows' column indices and values copied as they are stored: a Feature is a
/// std::uint32_t (read as '<i4' below 2^31) and a double is '<f8' on a
/// little-endian host with IEEE doubles.
constexpr bool kRawRows = std::endian::native == std::endian::little && sizeof(Feature) == 4 &&
                          std::is_trivially_copyable_v<Feature> && std::numeric_limits<double>::is_iec559;

/// The CSR arrays' sizes: stored values (the nonzeros of X, y where nonzero,
/// c always) and whether the indices need 64 bits.
struct NpzLayout {
  std::uint64_t m = 0, cols = 0, nnz = 0;
  bool wide = false;
  explicit NpzLayout(const TrainingSet& s) : m(s.samples()), cols(s.dim + 2), nnz(s.nnz() + s.samples()) {
    for (double y : s.y) nnz += y != 0 ? 1 : 0;
    constexpr auto kI32 = static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max());
    wide = nnz > kI32 || cols > kI32;
  }
  [[nodiscard]] std::size_t isz() const { return wide ? 8 : 4; }
  [[nodiscard]] std::string idescr() const { return wide ? "<i8" : "<i4"; }
};

}  // namespace

void write_npz_stored(ByteSink& out, const TrainingSet& s, bool force_zip64) {
  const NpzLayout L(s);
  StoredZip z(out, force_zip64);
  Stage st(z);
  const std::string n1 = "(" + std::to_string(L.nnz) + ",)";
  auto header = [&](const char* name, const std::string& descr, const std::string& shape, std::uint64_t items,
                    std::size_t item) {
    const std::string h = npy_header(descr, shape);
    z.begin(name, h.size() + items * item);
    z.put(h.data(), h.size());
  };
  auto index = [&](std::uint64_t v) {
    if (L.wide)
      st.push(static_cast<std::int64_t>(v));
    else
      st.push(static_cast<std::int32_t>(v));
  };
  // numpy's savez order
  header("indices.npy", L.idescr(), n1, L.nnz, L.isz());
  for (std::size_t i = 0; i < L.m; ++i) {
    if (kRawRows && !L.wide)  // indices below cols <= 2^31 - 1: the uint32 bytes are the int32 bytes
      st.push_raw(s.col.data() + s.row_ptr[i], (s.row_ptr[i + 1] - s.row_ptr[i]) * 4);
    else
      for (std::size_t k = s.row_ptr[i]; k < s.row_ptr[i + 1]; ++k) index(s.col[k].value());
    if (s.y[i] != 0) index(L.cols - 2);
    index(L.cols - 1);
  }
  st.flush();
  z.end();
  header("indptr.npy", L.idescr(), "(" + std::to_string(L.m + 1) + ",)", L.m + 1, L.isz());
  std::uint64_t at = 0;
  index(0);
  for (std::size_t i = 0; i < L.m; ++i) {
    at += s.row_ptr[i + 1] - s.row_ptr[i] + (s.y[i] != 0 ? 2 : 1);
    index(at);
  }
  st.flush();
  z.end();
  const std::string fmt = npy_header("|S3", "()") + "csr";
  z.begin("format.npy", fmt.size());
  z.put(fmt.data(), fmt.size());
  z.end();
  header("shape.npy", "<i8", "(2,)", 2, 8);
  st.push(static_cast<std::int64_t>(L.m));
  st.push(static_cast<std::int64_t>(L.cols));
  st.flush();
  z.end();
  header("data.npy", "<f8", n1, L.nnz, 8);
  for (std::size_t i = 0; i < L.m; ++i) {
    if (kRawRows)
      st.push_raw(s.val.data() + s.row_ptr[i], (s.row_ptr[i + 1] - s.row_ptr[i]) * 8);
    else
      for (std::size_t k = s.row_ptr[i]; k < s.row_ptr[i + 1]; ++k) st.push(s.val[k]);
    if (s.y[i] != 0) st.push(s.y[i]);
    st.push(s.c[i]);
  }
  st.flush();
  z.end();
  z.finish();
}

std::uint64_t npz_raw_size(const TrainingSet& s) {
  const NpzLayout L(s);
  return L.nnz * (8 + L.isz()) + (L.m + 1) * L.isz() + 16 + 5 * 128;  // the arrays and (at most) the npy headers
}

std::string npz_bytes(const TrainingSet& s, const std::string& file, std::uint64_t store_above) {
  if (npz_raw_size(s) > store_above) return binary_bytes([&](ByteSink& out) { write_npz_stored(out, s, false); });
  const std::uint64_t m = s.samples(), cols = s.dim + 2;
  // Stored values: the nonzeros of X, y where nonzero, c always.
  std::uint64_t nnz = s.nnz() + m;
  for (double y : s.y) nnz += y != 0 ? 1 : 0;
  const bool wide = nnz > static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max()) ||
                    cols > static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max());
  const std::size_t isz = wide ? 8 : 4;
  const std::string idescr = wide ? "<i8" : "<i4";
  auto put_int = [&](std::string& out, std::uint64_t v) {
    for (std::size_t i = 0; i < isz; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  auto put_f64 = [](std::string& out, double v) {
    const auto u = std::bit_cast<std::uint64_t>(v);
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
  };
  std::map<std::string, std::string> members;
  members["format.npy"] = npy_header("|S3", "()") + "csr";
  std::string& shape = members["shape.npy"] = npy_header("<i8", "(2,)");
  for (std::uint64_t v : {m, cols})
    for (int i = 0; i < 8; ++i) shape.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  const std::string n1 = "(" + std::to_string(nnz) + ",)";
  std::string& data = members["data.npy"] = npy_header("<f8", n1);
  std::string& indices = members["indices.npy"] = npy_header(idescr, n1);
  std::string& indptr = members["indptr.npy"] = npy_header(idescr, "(" + std::to_string(m + 1) + ",)");
  data.reserve(data.size() + nnz * 8);
  indices.reserve(indices.size() + nnz * isz);
  indptr.reserve(indptr.size() + (m + 1) * isz);
  std::uint64_t at = 0;
  put_int(indptr, 0);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t k = s.row_ptr[i]; k < s.row_ptr[i + 1]; ++k) {
      put_f64(data, s.val[k]);
      put_int(indices, s.col[k].value());
      ++at;
    }
    if (s.y[i] != 0) {
      put_f64(data, s.y[i]);
      put_int(indices, cols - 2);
      ++at;
    }
    put_f64(data, s.c[i]);
    put_int(indices, cols - 1);
    ++at;
    put_int(indptr, at);
  }

  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (src == nullptr) fail("io.write", file, 0, std::string("libzip: ") + zip_error_strerror(&err));
  zip_t* za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
  if (za == nullptr) {
    zip_source_free(src);
    fail("io.write", file, 0, std::string("libzip: ") + zip_error_strerror(&err));
  }
  zip_source_keep(src);
  auto bail = [&](const std::string& what) {
    const std::string why = what + ": " + zip_strerror(za);
    zip_discard(za);
    zip_source_free(src);
    fail("io.write", file, 0, "libzip: " + why);
  };
  // 1981-01-01 12:00 local time: libzip stores the DOS (local) time, so this
  // gives the same bytes in every time zone.
  std::tm tm{};
  tm.tm_year = 81;
  tm.tm_mday = 1;
  tm.tm_hour = 12;
  tm.tm_isdst = -1;
  const std::time_t stamp = std::mktime(&tm);
  // Deflate runs at ~5-20 MB/s: sets above `store_above` raw bytes took the stored, streamed path above.
  // numpy's savez order
  for (const char* name : {"indices.npy", "indptr.npy", "format.npy", "shape.npy", "data.npy"}) {
    const std::string& bytes = members.at(name);
    zip_source_t* ms = zip_source_buffer(za, bytes.data(), bytes.size(), 0);
    if (ms == nullptr) bail(std::string("cannot add ") + name);
    const zip_int64_t idx = zip_file_add(za, name, ms, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
      zip_source_free(ms);
      bail(std::string("cannot add ") + name);
    }
    const auto ui = static_cast<zip_uint64_t>(idx);
    if (zip_set_file_compression(za, ui, ZIP_CM_DEFLATE, 6) != 0) bail("cannot set the compression");
    if (zip_file_set_mtime(za, ui, stamp, 0) != 0) bail("cannot set the time stamp");
  }
  if (zip_close(za) != 0) bail("cannot finish the archive");
  std::string out;
  if (zip_source_open(src) != 0) {
    zip_source_free(src);
    fail("io.write", file, 0, "libzip: cannot read back the archive");
  }
  std::array<char, 1 << 16> buf{};
  while (true) {
    const zip_int64_t got = zip_source_read(src, buf.data(), buf.size());
    if (got < 0) {
      zip_source_close(src);
      zip_source_free(src);
      fail("io.write", file, 0, "libzip: cannot read back the archive");
    }
    if (got == 0) break;
    out.append(buf.data(), static_cast<std::size_t>(got));
  }
  zip_source_close(src);
  zip_source_free(src);
  return out;
}

}  // namespace relugap::io_detail
