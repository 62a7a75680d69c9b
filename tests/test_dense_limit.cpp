// Dense formats refuse before they start (issue 20 item 3): the size of a
// dense file (npy, csv) is computed from the shape; above --max-dense-bytes
// (default: the smaller of MemAvailable and the free disk space) reduce and
// convert stop with "dense.too_large", exit 1, and leave no file behind.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "instances/core/error.hpp"
#include "instances/io/dense_limit.hpp"
#include "instances/io/io.hpp"
#include "tests/cli_run.hpp"
#include "tests/io_fixtures.hpp"

using namespace relugap;
using test::run_cli;
namespace fs = std::filesystem;

namespace {
std::string q(const std::string& p) { return "'" + p + "'"; }

/// Every file name in `dir` (to catch leftover temporaries).
std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

/// A 3-element, 4-set OR-Library instance.
std::string small_setcover(const test::TempDir& dir) {
  const std::string p = dir.file("sc.txt");
  std::ofstream(p) << "3 4\n1 2 1 3\n2 1 2\n2 2 3\n2 3 4\n";
  return p;
}
}  // namespace

TEST_CASE("dense_file_bytes: npy exact, csv a lower bound, sparse 0") {
  constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
  CHECK(dense_file_bytes(3, 2, DataFormat::kNpy) == 128 + 3 * 4 * 8);
  // "x0,x1,y,c\n" = 10 bytes, then 2 bytes per cell at least
  CHECK(dense_file_bytes(3, 2, DataFormat::kCsv) == 10 + 3 * 4 * 2);
  // header of 12 columns: x0..x9 (3 bytes each), x10, x11 (4 bytes each), "y,c\n"
  CHECK(dense_file_bytes(0, 12, DataFormat::kCsv) == 10 * 3 + 2 * 4 + 4);
  CHECK(dense_file_bytes(620001, 200001, DataFormat::kNpy) == 128 + 620001ULL * 200003 * 8);
  CHECK(dense_file_bytes(1000, 1000, DataFormat::kLibsvm) == 0);
  CHECK(dense_file_bytes(1000, 1000, DataFormat::kNpz) == 0);
  CHECK(dense_file_bytes(kMax / 2, kMax / 2, DataFormat::kNpy) == kMax);  // saturates, no overflow
  CHECK(dense_file_bytes(kMax / 2, kMax / 2, DataFormat::kCsv) == kMax);
}

TEST_CASE("the written files are no larger than the NPY size and no smaller than the CSV bound") {
  test::TempDir dir;
  Rng rng(5);
  TrainingSet s = test::random_set(rng, 17, 12, true);
  write_training_set(dir.file("a.npy"), s, DataFormat::kNpy, make_sidecar());
  write_training_set(dir.file("a.csv"), s, DataFormat::kCsv, make_sidecar());
  const auto npy = fs::file_size(dir.file("a.npy")), csv = fs::file_size(dir.file("a.csv"));
  CHECK(npy <= dense_file_bytes(17, 12, DataFormat::kNpy));
  CHECK(npy + 128 > dense_file_bytes(17, 12, DataFormat::kNpy));
  CHECK(csv >= dense_file_bytes(17, 12, DataFormat::kCsv));
}

TEST_CASE("parse_byte_size and human_bytes") {
  CHECK(parse_byte_size("123") == 123u);
  CHECK(parse_byte_size("64K") == 64u << 10);
  CHECK(parse_byte_size("500M") == 500ULL << 20);
  CHECK(parse_byte_size("10G") == 10ULL << 30);
  CHECK(parse_byte_size("10GiB") == 10ULL << 30);
  CHECK(parse_byte_size("2t") == 2ULL << 40);
  CHECK(parse_byte_size("none") == std::numeric_limits<std::uint64_t>::max());
  CHECK_FALSE(parse_byte_size(""));
  CHECK_FALSE(parse_byte_size("G"));
  CHECK_FALSE(parse_byte_size("10X"));
  CHECK_FALSE(parse_byte_size("-5"));
  CHECK_FALSE(parse_byte_size("99999999999T"));  // overflows 64 bits
  CHECK(human_bytes(512) == "512 B");
  CHECK(human_bytes(1536) == "1.50 KiB");
  CHECK(human_bytes(620001ULL * 200003 * 8 + 128) == "924 GiB");
}

TEST_CASE("check_dense_size and write_training_set refuse above the limit, before writing") {
  test::TempDir dir;
  Rng rng(9);
  TrainingSet s = test::random_set(rng, 10, 4, true);
  CHECK_NOTHROW(check_dense_size(10, 4, DataFormat::kNpy, dir.file("a.npy"), std::nullopt));  // default limit
  CHECK_NOTHROW(check_dense_size(1'000'000, 1'000'000, DataFormat::kLibsvm, dir.file("a.libsvm"), 1));
  for (DataFormat f : {DataFormat::kNpy, DataFormat::kCsv}) {
    CAPTURE(format_name(f));
    const std::string p = dir.file(std::string("b.") + format_name(f));
    const auto before = listing(dir.path);
    try {
      write_training_set(p, s, f, make_sidecar(), 100);
      FAIL("a dense set above --max-dense-bytes was written");
    } catch (const Failure& e) {
      CHECK(e.error().id == "dense.too_large");
      CHECK(e.error().reason.find(".libsvm or .npz") != std::string::npos);
      CHECK(e.error().reason.find("--max-dense-bytes") != std::string::npos);
    }
    CHECK(listing(dir.path) == before);  // no data file, no sidecar, no temporary
    write_training_set(p, s, f, make_sidecar(), dense_file_bytes(10, 4, f) + 1000);  // allowed
    CHECK(fs::exists(p));
  }
  // a set of 10^6 x 10^6 is refused by the default limit from its shape alone
  CHECK_THROWS_AS(check_dense_size(1'000'000, 1'000'000, DataFormat::kNpy, dir.file("c.npy"), std::nullopt), Failure);
}

TEST_CASE("reduce setcover: refusal with a tiny --max-dense-bytes, the flag allows it, sparse unaffected") {
  test::TempDir dir;
  const std::string src = small_setcover(dir);
  const auto before = listing(dir.path);
  for (const char* ext : {"npy", "csv"}) {
    CAPTURE(ext);
    const std::string out = dir.file(std::string("t.") + ext);
    auto r = run_cli("reduce setcover " + q(src) + " -o " + q(out) + " --max-dense-bytes 100");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("dense.too_large") != std::string::npos);
    CHECK(r.err.find("100 B") != std::string::npos);
    CHECK(r.err.find(".libsvm or .npz") != std::string::npos);
    CHECK(r.out.empty());
    CHECK(listing(dir.path) == before);  // no output, no sidecar, no temporary
    r = run_cli("reduce setcover " + q(src) + " -o " + q(out) + " --max-dense-bytes 10M");
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(fs::exists(out));
    fs::remove(out);
    fs::remove(out + ".json");
  }
  auto r = run_cli("reduce setcover " + q(src) + " -o " + q(dir.file("t.libsvm")) + " --max-dense-bytes 1");
  CHECK_MESSAGE(r.exit_code == 0, r.err);  // sparse formats are not limited
  r = run_cli("reduce setcover " + q(src) + " -o " + q(dir.file("t.npy")) + " --max-dense-bytes 12Q");
  CHECK(r.exit_code == 2);  // usage error
  CHECK(r.err.find("--max-dense-bytes expects a size") != std::string::npos);
}

TEST_CASE("convert: refusal with a tiny --max-dense-bytes leaves nothing; the flag allows it") {
  test::TempDir dir;
  Rng rng(3);
  write_training_set(dir.file("a.libsvm"), test::random_set(rng, 20, 6, true), DataFormat::kLibsvm, make_sidecar());
  const auto before = listing(dir.path);
  for (const char* ext : {"npy", "csv"}) {
    CAPTURE(ext);
    const std::string out = dir.file(std::string("b.") + ext);
    auto r = run_cli("convert " + q(dir.file("a.libsvm")) + " " + q(out) + " --max-dense-bytes 200");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("dense.too_large") != std::string::npos);
    CHECK(r.err.find("200 B") != std::string::npos);
    CHECK(listing(dir.path) == before);
    r = run_cli("convert " + q(dir.file("a.libsvm")) + " " + q(out) + " --max-dense-bytes none");
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(fs::exists(out));
    fs::remove(out);
    fs::remove(out + ".json");
  }
}
