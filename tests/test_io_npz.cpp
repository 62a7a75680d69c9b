// Sparse .npz training sets (instances/io/io_npz.cpp): exact round trips with the
// sidecar, the same bytes twice, detection by extension and by content, and
// malformed zip / npz inputs rejected with the file and a reason.
#include <doctest/doctest.h>
#include <zip.h>

#include <bit>
#include <filesystem>
#include <limits>
#include <map>

#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "instances/io/io_internal.hpp"
#include "tests/cli_run.hpp"
#include "tests/io_fixtures.hpp"

using namespace relugap;
namespace fs = std::filesystem;

namespace {

/// A zip archive (stored, not deflated) of the given members, built with libzip.
std::string make_zip(const std::map<std::string, std::string>& members) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
  REQUIRE(src != nullptr);
  zip_t* za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
  REQUIRE(za != nullptr);
  zip_source_keep(src);
  for (const auto& [name, bytes] : members) {
    zip_source_t* ms = zip_source_buffer(za, bytes.data(), bytes.size(), 0);
    REQUIRE(ms != nullptr);
    const zip_int64_t idx = zip_file_add(za, name.c_str(), ms, 0);
    REQUIRE(idx >= 0);
    zip_set_file_compression(za, static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0);
  }
  REQUIRE(zip_close(za) == 0);
  REQUIRE(zip_source_open(src) == 0);
  std::string out;
  char buf[4096];
  zip_int64_t got;
  while ((got = zip_source_read(src, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(got));
  zip_source_close(src);
  zip_source_free(src);
  return out;
}

template <class T>
std::string le(T v, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xff));
  return s;
}

std::string npy_i(const std::vector<std::int64_t>& v, int bytes = 4) {
  std::string s = io_detail::npy_header(bytes == 4 ? "<i4" : "<i8", "(" + std::to_string(v.size()) + ",)");
  for (auto x : v) s += le(x, static_cast<std::size_t>(bytes));
  return s;
}

std::string npy_f(const std::vector<double>& v) {
  std::string s = io_detail::npy_header("<f8", "(" + std::to_string(v.size()) + ",)");
  for (double x : v) s += le(std::bit_cast<std::uint64_t>(x), 8);
  return s;
}

/// A valid 2-sample set of dimension 2 (columns x0 x1 y c), members as scipy writes them.
std::map<std::string, std::string> good_members() {
  return {{"format.npy", io_detail::npy_header("|S3", "()") + "csr"},
          {"shape.npy", npy_i({2, 4}, 8)},
          {"data.npy", npy_f({1.5, -2, 1, 0.25, 3, 2})},
          {"indices.npy", npy_i({0, 2, 3, 1, 2, 3})},
          {"indptr.npy", npy_i({0, 3, 6})}};
}

Error npz_error(const std::map<std::string, std::string>& members) {
  auto r = parse_training_set(make_zip(members), DataFormat::kNpz, "bad.npz");
  REQUIRE_FALSE(r.ok());
  return r.error();
}

}  // namespace

TEST_CASE("npz round-trips exactly, with its sidecar, and gives the same bytes twice") {
  test::TempDir dir;
  Rng rng(7);
  for (bool weighted : {false, true}) {
    CAPTURE(weighted);
    TrainingSet s = test::random_set(rng, 40, 9, weighted);
    s.add({}, 0.0, 1.0);  // an empty row with label 0: only c is stored
    const std::string p = dir.file("set.npz");
    Sidecar sc = make_sidecar();
    sc.generator = Sidecar::Generator{"test", 7, {{"m", 40}}};
    write_training_set(p, s, DataFormat::kNpz, sc);
    auto back = read_training_set(p);
    REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message()));
    CHECK(back.value().format == DataFormat::kNpz);
    test::check_same(back.value().data, s);
    REQUIRE(back.value().sidecar.has_value());
    CHECK(back.value().sidecar->format == "npz");
    CHECK(back.value().sidecar->shape.samples == s.samples());
    CHECK(back.value().sidecar->generator->seed == 7U);
    const std::string first = read_file(p);
    write_training_set(dir.file("again.npz"), s, DataFormat::kNpz, sc);
    CHECK(read_file(dir.file("again.npz")) == first);
    CHECK(first.starts_with("PK\x03\x04"));
  }
}

TEST_CASE("npz is chosen by extension and by content, and a scipy-layout archive is read") {
  test::TempDir dir;
  CHECK(format_from_path("a/b.NPZ") == DataFormat::kNpz);
  CHECK(parse_format("npz") == DataFormat::kNpz);
  CHECK(std::string(format_name(DataFormat::kNpz)) == "npz");
  const std::string bytes = make_zip(good_members());
  write_bytes_atomic(dir.file("s.npz"), bytes);
  write_bytes_atomic(dir.file("s.dat"), bytes);  // no known extension: sniffed
  CHECK(detect_kind(dir.file("s.npz")) == FileKind::kTrainingSet);
  CHECK(detect_kind(dir.file("s.dat")) == FileKind::kTrainingSet);
  for (const char* f : {"s.npz", "s.dat"}) {
    auto r = read_training_set(dir.file(f));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
    const TrainingSet& t = r.value().data;
    CHECK(r.value().format == DataFormat::kNpz);
    CHECK(t.dim == 2);
    REQUIRE(t.samples() == 2);
    CHECK(t.col == std::vector<Feature>{Feature(0), Feature(1)});
    CHECK(t.val == std::vector<double>{1.5, 0.25});
    CHECK(t.y == std::vector<double>{-2, 3});
    CHECK(t.c == std::vector<double>{1, 2});
  }
  // Converting to and from npz through the command line keeps the set.
  auto r = test::run_cli("convert " + dir.file("s.npz") + " " + dir.file("s.csv"));
  CHECK(r.exit_code == 0);
  r = test::run_cli("convert " + dir.file("s.csv") + " " + dir.file("t.npz"));
  CHECK(r.exit_code == 0);
  auto t = read_training_set(dir.file("t.npz"));
  REQUIRE(t.ok());
  test::check_same(t.value().data, read_training_set(dir.file("s.npz")).value().data);
}

TEST_CASE("malformed zip archives are rejected with the file and a reason") {
  const std::string good = make_zip(good_members());
  auto err = [](const std::string& bytes) {
    auto r = parse_training_set(bytes, DataFormat::kNpz, "bad.npz");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().file == "bad.npz");
    CHECK(r.error().message().starts_with("bad.npz: "));
    return r.error();
  };
  CHECK(err("").id == "npz.zip");
  CHECK(err("hello, not a zip at all").id == "npz.zip");
  CHECK(err("hello, not a zip at all").reason.find("not a zip archive") != std::string::npos);
  CHECK(err(good.substr(0, good.size() / 2)).id == "npz.zip");  // truncated: no central directory
  // A flipped byte inside a stored member: the CRC check fails.
  std::string flipped = good;
  const auto at = flipped.find("csr");
  REQUIRE(at != std::string::npos);
  flipped[at] = 'x';
  Error e = err(flipped);
  CHECK(e.id == "npz.zip");
  CHECK(e.reason.find("format.npy") != std::string::npos);
}

TEST_CASE("malformed npz members are rejected with the member and a reason") {
  auto with = [](const std::string& name, const std::string& bytes) {
    auto m = good_members();
    m[name] = bytes;
    return m;
  };
  auto without = [](const std::string& name) {
    auto m = good_members();
    m.erase(name);
    return m;
  };
  Error e = npz_error(without("indptr.npy"));
  CHECK(e.id == "npz.member");
  CHECK(e.reason.find("'indptr.npy' is missing") != std::string::npos);
  e = npz_error(with("data.npy", "not an npy"));
  CHECK(e.id == "npz.member");
  CHECK(e.reason.find("data.npy") != std::string::npos);
  e = npz_error(with("format.npy", io_detail::npy_header("|S3", "()") + "csc"));
  CHECK(e.id == "npz.format");
  CHECK(e.reason.find("'csc'") != std::string::npos);
  CHECK(npz_error(with("data.npy", npy_i({1, 2, 3, 4, 5, 6}))).id == "npz.dtype");
  CHECK(npz_error(with("shape.npy", npy_i({2, 2}, 8))).id == "npz.shape");
  CHECK(npz_error(with("shape.npy", npy_i({2}, 8))).id == "npz.shape");
  e = npz_error(with("indptr.npy", npy_i({0, 3})));
  CHECK(e.id == "npz.csr");
  CHECK(e.reason.find("samples + 1") != std::string::npos);
  CHECK(npz_error(with("indptr.npy", npy_i({0, 4, 6}))).id == "npz.csr");            // row 1 overlaps row 2's y
  CHECK(npz_error(with("indptr.npy", npy_i({0, 3, 5}))).id == "npz.csr");            // last != nnz
  CHECK(npz_error(with("indices.npy", npy_i({0, 2, 4, 1, 2, 3}))).id == "npz.csr");  // column out of range
  e = npz_error(with("indices.npy", npy_i({2, 0, 3, 1, 2, 3})));
  CHECK(e.id == "npz.csr");
  CHECK(e.reason.find("row 1") != std::string::npos);
  CHECK(e.reason.find("strictly increasing") != std::string::npos);
  // Row 1 without its weight column.
  e = npz_error(with("indices.npy", npy_i({0, 1, 2, 1, 2, 3})));
  CHECK(e.id == "npz.weight");
  CHECK(e.reason.find("row 1") != std::string::npos);
  e = npz_error(with("data.npy", npy_f({std::numeric_limits<double>::infinity(), -2, 1, 0.25, 3, 2})));
  CHECK(e.id == "npz.nonfinite");
  // A size that does not match the shape inside a member.
  std::string short_data = npy_f({1.5, -2, 1, 0.25, 3, 2});
  short_data.pop_back();
  e = npz_error(with("data.npy", short_data));
  CHECK(e.id == "npz.member");
  CHECK(e.reason.find("data.npy") != std::string::npos);
}

TEST_CASE("header counts are checked against the data before anything is sized from them") {
  auto with = [](const std::string& name, const std::string& bytes) {
    auto m = good_members();
    m[name] = bytes;
    return m;
  };
  // 10^15 samples claimed, 3 indptr entries present.
  Error e = npz_error(with("shape.npy", npy_i({1000000000000000, 4}, 8)));
  CHECK(e.id == "npz.csr");
  CHECK(e.reason.find("samples + 1") != std::string::npos);
  // A member whose NPY header claims 2^60 values.
  e = npz_error(with("data.npy", io_detail::npy_header("<f8", "(1152921504606846976,)") + std::string(48, '\0')));
  CHECK(e.id == "npz.member");
  CHECK(e.reason.find("data.npy") != std::string::npos);
  // A width of 2^40 columns.
  e = npz_error(with("shape.npy", npy_i({2, 1099511627776}, 8)));
  CHECK(e.id == "npz.shape");
}

TEST_CASE("relugap info and eval read .npz") {
  test::TempDir dir;
  write_bytes_atomic(dir.file("s.npz"), make_zip(good_members()));
  auto r = test::run_cli("info " + dir.file("s.npz"));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("training set (npz), 2 samples, dim 2") != std::string::npos);
  write_bytes_atomic(dir.file("bad.npz"), "PK\x03\x04 broken");
  r = test::run_cli("info " + dir.file("bad.npz"));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(dir.file("bad.npz") + ": ") != std::string::npos);
}

TEST_CASE("dense .npy written in pieces has the bytes of the one-buffer encoder") {
  test::TempDir dir;
  Rng rng(3);
  // 300 rows of 8 kB: the writer sends three pieces of at most 1 MiB.
  TrainingSet s(1000);
  for (std::size_t i = 0; i < 300; ++i) {
    std::vector<std::pair<std::uint32_t, double>> row;
    for (int k = 0; k < 5; ++k) row.emplace_back(static_cast<std::uint32_t>(rng.below(1000)), test::awkward(rng));
    s.add(row, test::awkward(rng), 1.0 + static_cast<double>(i % 3));
  }
  write_training_set(dir.file("d.npy"), s, DataFormat::kNpy, make_sidecar());
  CHECK(read_file(dir.file("d.npy")) == io_detail::npy_bytes(s, "d.npy"));
  auto back = read_training_set(dir.file("d.npy"));
  REQUIRE(back.ok());
  test::check_same(back.value().data, s);
}
