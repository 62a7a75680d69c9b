// The streamed .npz writer (instances/io/io_npz.cpp, write_npz_stored) and its
// byte sink (instances/io/atomic_write.hpp, ByteSink): header patches in the
// buffer and in the part already in the file, the same bytes in memory and on
// disk, exact read-back (also with ZIP64 records), and scipy.sparse.load_npz
// on the written files when /usr/bin/python3 has scipy.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>

#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "instances/io/io_internal.hpp"
#include "tests/cli_run.hpp"
#include "tests/io_fixtures.hpp"

using namespace relugap;

namespace {

/// A set with every kind of value: integers, dyadics, thirds, y = 0 (no stored
/// y), weights != 1, an empty row.
TrainingSet sample_set(std::uint32_t rows, std::uint32_t dim) {
  TrainingSet d(dim);
  for (std::uint32_t i = 0; i < rows; ++i) {
    std::vector<std::pair<std::uint32_t, double>> e;
    if (i % 7 != 3)
      for (std::uint32_t k = 0; k < 1 + i % 5; ++k)
        e.emplace_back((i * 13 + k * 101) % dim, (k % 2 ? -1.0 : 1.0) * (1 + i % 9) / 3.0);
    d.add(e, i % 4 == 0 ? 0.0 : 0.5 * (i % 3), 1.0 + (i % 5) * 0.25);
  }
  return d;
}

using test::check_same;

bool have_scipy() { return std::system("/usr/bin/python3 -c 'import scipy.sparse' >/dev/null 2>&1") == 0; }

/// scipy.sparse.load_npz(path) printed as "rows cols nnz sum(|data|) sum(indices)".
std::string scipy_summary(const std::string& path) {
  test::TempDir tmp;
  const std::string out = tmp.file("out.txt");
  const std::string cmd =
      "/usr/bin/python3 -c \"import sys, scipy.sparse as sp; a = sp.load_npz(sys.argv[1]); "
      "print(a.shape[0], a.shape[1], a.nnz, repr(float(abs(a.data).sum())), int(a.indices.sum())"
      ")\" '" +
      path + "' > '" + out + "' 2>&1";
  std::system(cmd.c_str());
  return test::slurp(out);
}

std::string summary_of(const TrainingSet& d) {
  // The same figures from the set itself (X | y | c, y stored where nonzero).
  std::uint64_t nnz = 0, isum = 0;
  double asum = 0;
  for (std::size_t i = 0; i < d.samples(); ++i) {
    for (std::size_t k = d.row_ptr[i]; k < d.row_ptr[i + 1]; ++k) {
      ++nnz;
      isum += d.col[k].value();
      asum += std::abs(d.val[k]);
    }
    if (d.y[i] != 0) {
      ++nnz;
      isum += d.dim;
      asum += std::abs(d.y[i]);
    }
    ++nnz;
    isum += d.dim + 1;
    asum += d.c[i];
  }
  // repr() of the float sum: Python sums in the same order only by luck, so compare rounded.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", asum);
  return std::to_string(d.samples()) + " " + std::to_string(d.dim + 2) + " " + std::to_string(nnz) + " " + buf + " " +
         std::to_string(isum);
}

std::string rounded_scipy(const std::string& line) {
  // "m n nnz SUM isum\n" -> SUM printed with %.6g
  std::istringstream in(line);
  std::string m, n, nnz, isum;
  double sum = 0;
  in >> m >> n >> nnz >> sum >> isum;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", sum);
  return m + " " + n + " " + nnz + " " + buf + " " + isum;
}

}  // namespace

TEST_CASE("ByteSink: patches land in the buffer and in the flushed file, the same bytes in memory and on disk") {
  const std::size_t n = ByteSink::kBuffer + ByteSink::kBuffer / 2;  // one flush happens midway
  auto produce = [&](ByteSink& s) {
    std::string block(1000, 'a');
    for (std::size_t at = 0; at < n; at += block.size()) s.put(block.data(), std::min(block.size(), n - at));
    CHECK(s.offset() == n);
    s.patch(3, "XYZ", 3);                       // flushed: pwrite
    s.patch(ByteSink::kBuffer - 2, "1234", 4);  // across the flushed / buffered boundary
    s.patch(n - 1, "!", 1);                     // buffered
  };
  std::string want(n, 'a');
  want.replace(3, 3, "XYZ");
  want.replace(ByteSink::kBuffer - 2, 4, "1234");
  want[n - 1] = '!';
  const std::string mem = binary_bytes(produce);
  CHECK(mem == want);
  test::TempDir dir;
  write_binary_atomic(dir.file("b.bin"), produce);
  CHECK(test::slurp(dir.file("b.bin")) == want);
}

TEST_CASE("streamed npz: reads back exactly, with and without ZIP64 records, and is deterministic") {
  const TrainingSet d = sample_set(500, 37);
  const std::string plain = binary_bytes([&](ByteSink& s) { io_detail::write_npz_stored(s, d); });
  const std::string z64 = binary_bytes([&](ByteSink& s) { io_detail::write_npz_stored(s, d, true); });
  CHECK(z64.size() > plain.size());
  CHECK(plain == io_detail::npz_bytes(d, "t.npz", 0));  // npz_bytes above its threshold is this writer
  check_same(io_detail::parse_npz(plain, "t.npz"), d);
  check_same(io_detail::parse_npz(z64, "t.npz"), d);
  // A corrupted byte inside a member is caught by the CRC that was patched in.
  std::string bad = plain;
  bad[bad.size() / 2] ^= 0x5a;
  CHECK_THROWS_AS(io_detail::parse_npz(bad, "t.npz"), Failure);
}

TEST_CASE("write_training_set streams a set above the store threshold; file = stored bytes, read back exactly") {
  // ~560 000 stored values: the indices member alone is larger than the sink's
  // buffer, so its CRC is patched into the part already written to the file.
  TrainingSet d(5000);
  for (std::uint32_t i = 0; i < 70000; ++i) {
    std::vector<std::pair<std::uint32_t, double>> e;
    for (std::uint32_t k = 0; k < 7; ++k) e.emplace_back((i + 700 * k) % 5000, k % 3 == 0 ? 1.0 : -0.5);
    d.add(e, i % 2 ? 8.0 : 0.0, i % 3 ? 1.0 : 2.0);
  }
  REQUIRE(io_detail::npz_raw_size(d) > io_detail::kNpzStoreAbove);
  test::TempDir dir;
  const std::string path = dir.file("big.npz");
  write_training_set(path, d, DataFormat::kNpz, Sidecar{});
  CHECK(test::slurp(path) == io_detail::npz_bytes(d, path));
  auto back = read_training_set(path);
  REQUIRE(back.ok());
  check_same(back.value().data, d);
  if (have_scipy()) CHECK(rounded_scipy(scipy_summary(path)) == summary_of(d));
}

TEST_CASE("scipy.sparse.load_npz reads the streamed npz, also with ZIP64 records") {
  if (!have_scipy()) {
    MESSAGE("skipped: /usr/bin/python3 has no scipy");
    return;
  }
  const TrainingSet d = sample_set(300, 11);
  test::TempDir dir;
  for (bool z64 : {false, true}) {
    const std::string path = dir.file(z64 ? "z64.npz" : "plain.npz");
    write_binary_atomic(path, [&](ByteSink& s) { io_detail::write_npz_stored(s, d, z64); });
    CHECK(rounded_scipy(scipy_summary(path)) == summary_of(d));
  }
}
