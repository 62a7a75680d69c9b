// Atomic writes: a writer that fails leaves the target as it was and no
// temporary file behind; so do writes into a missing folder.
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <optional>

#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "tests/cli_run.hpp"

using namespace relugap;
namespace fs = std::filesystem;

namespace {
std::size_t files_in(const fs::path& d) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(d)) ++n;
  return n;
}
}  // namespace

TEST_CASE("a writer that throws midway leaves the target untouched and no temp file") {
  test::TempDir dir;
  const std::string p = dir.file("target.txt");
  write_file_atomic(p, [](std::ostream& os) { os << "original\n"; });
  REQUIRE(files_in(dir.path) == 1);
  CHECK_THROWS_AS(write_file_atomic(p,
                                    [](std::ostream& os) {
                                      os << "half of the new cont";
                                      throw std::runtime_error("disk on fire");
                                    }),
                  std::runtime_error);
  CHECK(test::slurp(p) == "original\n");
  CHECK(files_in(dir.path) == 1);
}

TEST_CASE("a stream failure inside the writer is an io.write Failure; the target is kept") {
  test::TempDir dir;
  const std::string p = dir.file("target.txt");
  write_file_atomic(p, [](std::ostream& os) { os << "original\n"; });
  try {
    write_file_atomic(p, [](std::ostream& os) {
      os << "partial";
      os.setstate(std::ios::failbit);
    });
    FAIL("no Failure thrown");
  } catch (const Failure& f) {
    CHECK(f.error().id == "io.write");
    CHECK(f.error().file == p);
  }
  CHECK(test::slurp(p) == "original\n");
  CHECK(files_in(dir.path) == 1);
}

TEST_CASE("writing into a missing folder fails cleanly") {
  test::TempDir dir;
  const std::string p = dir.file("no/such/dir/set.npy");
  TrainingSet s(1);
  s.add({{0, 1.0}}, 1.0, 1.0);
  try {
    write_training_set(p, s, DataFormat::kNpy, make_sidecar());
    FAIL("no Failure thrown");
  } catch (const Failure& f) {
    CHECK(f.error().id == "io.write");
  }
  CHECK(files_in(dir.path) == 0);
}

TEST_CASE("a write that hits the file-size limit (a full disk) keeps the previous data and sidecar") {
  test::TempDir dir;
  const std::string p = dir.file("set.csv");
  TrainingSet s(1);
  s.add({{0, 1.0}}, 1.0, 1.0);
  write_training_set(p, s, DataFormat::kCsv, make_sidecar());
  const std::string data_before = test::slurp(p), sidecar_before = test::slurp(sidecar_path(p));
  TrainingSet big(4);
  for (int i = 0; i < 200; ++i) big.add({{0, 0.1 * i}, {3, -1.0 / (i + 1)}}, 1.0 / 3.0, 2.0);
  // Files may not grow beyond 64 bytes (EFBIG instead of SIGXFSZ): holds for root too.
  struct rlimit old {};
  ::getrlimit(RLIMIT_FSIZE, &old);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = 64;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  std::optional<Error> err;
  try {
    write_training_set(p, big, DataFormat::kCsv, make_sidecar());
  } catch (const Failure& f) {
    err = f.error();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  REQUIRE(err.has_value());
  CHECK(err->id == "io.write");
  CHECK(err->file == p);
  CHECK(test::slurp(p) == data_before);
  CHECK(test::slurp(sidecar_path(p)) == sidecar_before);
  CHECK(files_in(dir.path) == 2);  // no temporary file left
}
