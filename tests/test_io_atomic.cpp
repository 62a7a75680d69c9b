// Atomic writes: a writer that fails leaves the target as it was and no
// temporary file behind; so do writes into a missing folder.
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <functional>
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

namespace {
/// Runs f with files limited to `bytes` (EFBIG instead of SIGXFSZ, for every
/// thread of the process: also the writer thread) and returns the Failure it threw.
std::optional<Error> failure_with_file_limit(rlim_t bytes, const std::function<void()>& f) {
  struct rlimit old {};
  ::getrlimit(RLIMIT_FSIZE, &old);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = bytes;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  std::optional<Error> err;
  try {
    f();
  } catch (const Failure& e) {
    err = e.error();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  return err;
}
}  // namespace

TEST_CASE("a write that fails in the writer thread, blocks after the first, is io.write with the path; no file left") {
  // 3 blocks fit under the limit: the 4th block's write fails in the writer
  // thread while this thread is formatting further blocks.
  const rlim_t limit = 3 * kBlockBytes + 1000;
  const std::size_t lines = 1'000'000;  // about 19 MB of text, far past the limit
  test::TempDir dir;
  const std::string p = dir.file("big.txt");
  write_bytes_atomic(p, "original\n");
  std::size_t formatted = 0;
  const auto err = failure_with_file_limit(limit, [&] {
    write_text_atomic(p, [&](TextSink& os) {
      for (std::size_t i = 0; i < lines; ++i, ++formatted)
        os.put_u64(i * 7919).put(' ').put_f64(0.5 * static_cast<double>(i)).put('\n');
    });
  });
  REQUIRE(err.has_value());
  CHECK(err->id == "io.write");
  CHECK(err->file == p);
  CHECK(err->reason.find("write failed") != std::string::npos);
  CHECK(formatted > 0);
  CHECK(formatted < lines);  // the writer stopped formatting once the failure came back
  CHECK(test::slurp(p) == "original\n");
  CHECK(files_in(dir.path) == 1);  // no temporary file left
  // Without the limit the same writer succeeds (the failure above was the limit's).
  write_text_atomic(p, [&](TextSink& os) {
    for (std::size_t i = 0; i < lines; ++i)
      os.put_u64(i * 7919).put(' ').put_f64(0.5 * static_cast<double>(i)).put('\n');
  });
  CHECK(std::filesystem::file_size(p) > limit);
  CHECK(files_in(dir.path) == 1);
}

TEST_CASE("a binary writer failing in the writer thread (with patches queued) leaves no file") {
  test::TempDir dir;
  const std::string p = dir.file("big.bin");
  const auto err = failure_with_file_limit(2 * kBlockBytes, [&] {
    write_binary_atomic(p, [&](ByteSink& s) {
      std::string block(4096, 'x');
      for (int i = 0; i < 4096; ++i) {  // 16 MiB
        s.put(block.data(), block.size());
        s.patch(s.offset() / 2, "PATCH", 5);  // bytes already handed to the thread
      }
    });
  });
  REQUIRE(err.has_value());
  CHECK(err->id == "io.write");
  CHECK(err->file == p);
  CHECK(files_in(dir.path) == 0);
}

TEST_CASE("a writer that throws after blocks went to the writer thread leaves the target and no temp file") {
  test::TempDir dir;
  const std::string p = dir.file("t.libsvm");
  write_bytes_atomic(p, "1 1:1\n");
  CHECK_THROWS_AS(write_text_atomic(p,
                                    [](TextSink& os) {
                                      for (int i = 0; i < 1'000'000; ++i)
                                        os.put_u64(static_cast<std::uint64_t>(i)).put('\n');
                                      throw std::runtime_error("formatting failed");
                                    }),
                  std::runtime_error);
  CHECK(test::slurp(p) == "1 1:1\n");
  CHECK(files_in(dir.path) == 1);
}

TEST_CASE("write_training_set: LIBSVM and .npz of several blocks fail cleanly at a full disk and keep the old files") {
  test::TempDir dir;
  TrainingSet small(3);
  small.add({{0, 1.0}}, 1.0, 2.0);
  TrainingSet big(1000);
  for (std::uint32_t i = 0; i < 200'000; ++i) big.add({{i % 500, 1.0 / 3}, {500 + i % 499, -2.5}}, 0.5, 1.5);
  for (auto [name, fmt] : {std::pair{"s.libsvm", DataFormat::kLibsvm}, std::pair{"s.npz", DataFormat::kNpz}}) {
    CAPTURE(name);
    const std::string p = dir.file(name);
    write_training_set(p, small, fmt, make_sidecar());
    const std::string before = test::slurp(p);
    const std::size_t files = files_in(dir.path);
    const auto err = failure_with_file_limit(2 * kBlockBytes, [&] { write_training_set(p, big, fmt, make_sidecar()); });
    REQUIRE(err.has_value());
    CHECK(err->id == "io.write");
    CHECK(err->file == p);
    CHECK(test::slurp(p) == before);
    CHECK(files_in(dir.path) == files);
  }
}
