// `relugap convert`: npy -> libsvm -> csv -> npy keeps the data bit for bit
// and carries the sidecar along; errors exit 1 and write nothing.
#include <doctest/doctest.h>

#include <filesystem>

#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "tests/cli_run.hpp"
#include "tests/io_fixtures.hpp"

using namespace relugap;
using test::run_cli;
namespace fs = std::filesystem;

namespace {
std::string q(const std::string& p) { return "'" + p + "'"; }
}  // namespace

TEST_CASE("convert chain keeps data and sidecar") {
  test::TempDir dir;
  Rng rng(31);
  TrainingSet s = test::random_set(rng, 30, 5, true);
  Sidecar sc = make_sidecar();
  sc.generator = Sidecar::Generator{"test", 31, {{"m", 30}}};
  sc.bounds.exact["K"] = Rational(7, 3);
  write_training_set(dir.file("a.npy"), s, DataFormat::kNpy, sc);

  auto r = run_cli("convert " + q(dir.file("a.npy")) + " " + q(dir.file("b.libsvm")));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.find("(npy) -> ") != std::string::npos);
  CHECK(r.out.find("(carried over)") != std::string::npos);
  r = run_cli("convert " + q(dir.file("b.libsvm")) + " " + q(dir.file("c.txt")) + " --format csv");
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  r = run_cli("convert " + q(dir.file("c.txt")) + " " + q(dir.file("d.npy")));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);

  for (const char* f : {"b.libsvm", "c.txt", "d.npy"}) {
    CAPTURE(f);
    auto back = read_training_set(dir.file(f));
    REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message()));
    test::check_same(back.value().data, s);
    REQUIRE(back.value().sidecar.has_value());
    CHECK(back.value().sidecar->generator->seed == 31u);
    CHECK(back.value().sidecar->bounds.exact.at("K") == Rational(7, 3));
    CHECK(back.value().sidecar->shape.samples == 30);
  }
  CHECK(read_training_set(dir.file("c.txt")).value().sidecar->format == "csv");
  CHECK(test::slurp(dir.file("d.npy")) == test::slurp(dir.file("a.npy")));
}

TEST_CASE("convert without a sidecar writes a fresh one") {
  test::TempDir dir;
  write_bytes_atomic(dir.file("in.csv"), "x0,x1,y,c\n1,0,0.5,1\n0,2,-1,4\n");
  auto r = run_cli("convert " + q(dir.file("in.csv")) + " " + q(dir.file("out.npy")));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.find("(new)") != std::string::npos);
  auto sc = read_sidecar(dir.file("out.npy.json"));
  REQUIRE(sc.ok());
  CHECK(sc.value().format == "npy");
  CHECK(sc.value().shape.samples == 2);
  CHECK(sc.value().shape.dim == 2);
  CHECK(sc.value().shape.nnz == 2);
}

TEST_CASE("convert errors exit 1 with FILE:LINE and write nothing") {
  test::TempDir dir;
  write_bytes_atomic(dir.file("bad.csv"), "x0,y,c\n1,2,1\n1,2\n");
  auto r = run_cli("convert " + q(dir.file("bad.csv")) + " " + q(dir.file("out.npy")));
  CHECK(r.exit_code == 1);
  CHECK(r.err == "relugap: error: " + dir.file("bad.csv") + ":3: sample 2: row has 2 fields, the header has 3\n");
  CHECK_FALSE(fs::exists(dir.file("out.npy")));
  CHECK_FALSE(fs::exists(dir.file("out.npy.json")));

  write_bytes_atomic(dir.file("ok.csv"), "x0,y,c\n1,2,1\n");
  r = run_cli("convert " + q(dir.file("ok.csv")) + " " + q(dir.file("out.bin")));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("cannot tell the output format") != std::string::npos);
  r = run_cli("convert " + q(dir.file("ok.csv")) + " " + q(dir.file("out.csv")) + " --format npy");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("--format npy disagrees with the file extension (csv)") != std::string::npos);
  r = run_cli("convert " + q(dir.file("ok.csv")) + " " + q(dir.file("out.x")) + " --format parquet");
  CHECK(r.exit_code == 2);  // a usage error
  CHECK(r.err.find("--format") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.file("out.bin")));
  CHECK_FALSE(fs::exists(dir.file("out.csv")));
}
