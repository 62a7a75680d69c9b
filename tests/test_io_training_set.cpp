// Training sets: exact round trips through NPY / LIBSVM / CSV, sidecars,
// LIBSVM weights and dimension, NPY header layout, and writer refusals.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "tests/cli_run.hpp"
#include "tests/io_fixtures.hpp"

using namespace relugap;
namespace fs = std::filesystem;

TEST_CASE("every format round-trips exactly, with its sidecar") {
  test::TempDir dir;
  Rng rng(21);
  for (bool weighted : {false, true}) {
    TrainingSet s = test::random_set(rng, 25, 6, weighted);
    for (DataFormat f : {DataFormat::kNpy, DataFormat::kLibsvm, DataFormat::kCsv}) {
      CAPTURE(format_name(f));
      CAPTURE(weighted);
      const std::string p = dir.file(std::string("set.") + format_name(f));
      Sidecar sc = make_sidecar();
      sc.generator = Sidecar::Generator{"test", 21, {{"m", 25}}};
      write_training_set(p, s, f, sc);
      auto back = read_training_set(p);
      REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message()));
      CHECK(back.value().format == f);
      test::check_same(back.value().data, s);
      REQUIRE(back.value().sidecar.has_value());
      const Sidecar& r = *back.value().sidecar;
      CHECK(r.format == format_name(f));
      CHECK(r.shape.samples == 25);
      CHECK(r.shape.dim == 6);
      CHECK(r.shape.nnz == s.nnz());
      REQUIRE(r.generator.has_value());
      CHECK(r.generator->seed == 21u);
      CHECK(fs::exists(weights_path(p)) == (f == DataFormat::kLibsvm && weighted));
    }
  }
}

TEST_CASE("read without a sidecar (files from numpy or other tools)") {
  test::TempDir dir;
  Rng rng(4);
  TrainingSet s = test::random_set(rng, 10, 4, true);
  for (DataFormat f : {DataFormat::kNpy, DataFormat::kCsv}) {
    const std::string p = dir.file(std::string("bare.") + format_name(f));
    write_training_set(p, s, f, make_sidecar());
    fs::remove(sidecar_path(p));
    auto back = read_training_set(p);
    REQUIRE(back.ok());
    CHECK_FALSE(back.value().sidecar.has_value());
    test::check_same(back.value().data, s);
  }
}

TEST_CASE("LIBSVM dimension: from the sidecar, else the largest index") {
  test::TempDir dir;
  Rng rng(8);
  TrainingSet s = test::random_set(rng, 12, 5, false);  // coordinate 4 is zero everywhere
  const std::string p = dir.file("d.libsvm");
  write_training_set(p, s, DataFormat::kLibsvm, make_sidecar());
  CHECK(read_training_set(p).value().data.dim == 5);
  fs::remove(sidecar_path(p));
  CHECK(read_training_set(p).value().data.dim < 5);
}

TEST_CASE("LIBSVM: a stale weights file is removed when all weights become 1") {
  test::TempDir dir;
  Rng rng(9);
  const std::string p = dir.file("w.svm");
  write_training_set(p, test::random_set(rng, 5, 3, true), DataFormat::kLibsvm, make_sidecar());
  REQUIRE(fs::exists(weights_path(p)));
  TrainingSet unit = test::random_set(rng, 5, 3, false);
  write_training_set(p, unit, DataFormat::kLibsvm, make_sidecar());
  CHECK_FALSE(fs::exists(weights_path(p)));
  test::check_same(read_training_set(p).value().data, unit);
}

TEST_CASE("NPY header: version 1.0, '<f8', C order, data aligned to 64 bytes") {
  test::TempDir dir;
  TrainingSet s(2);
  s.add({{0, 1.5}}, -1.0, 2.0);
  const std::string p = dir.file("h.npy");
  write_training_set(p, s, DataFormat::kNpy, make_sidecar());
  const std::string b = test::slurp(p);
  REQUIRE(b.size() > 10);
  CHECK(b.substr(0, 8) == std::string("\x93NUMPY\x01\x00", 8));
  const std::size_t hlen =
      static_cast<unsigned char>(b[8]) | (static_cast<std::size_t>(static_cast<unsigned char>(b[9])) << 8);
  CHECK((10 + hlen) % 64 == 0);
  CHECK(b.substr(10).starts_with("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 4), }"));
  CHECK(b.size() == 10 + hlen + 4 * 8);
}

TEST_CASE("NPY version 2.0 headers are read") {
  test::TempDir dir;
  std::string h = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 3), }";
  while ((12 + h.size() + 1) % 64 != 0) h += ' ';
  h += '\n';
  std::string b("\x93NUMPY\x02\x00", 8);
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<char>((h.size() >> (8 * i)) & 0xff));
  b += h;
  for (double v : {2.0, 0.25, 3.0}) b.append(reinterpret_cast<const char*>(&v), 8);  // little-endian host
  write_bytes_atomic(dir.file("v2.npy"), b);
  auto r = read_training_set(dir.file("v2.npy"));
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
  CHECK(r.value().data.dim == 1);
  CHECK(r.value().data.val == std::vector<double>{2.0});
  CHECK(r.value().data.y == std::vector<double>{0.25});
  CHECK(r.value().data.c == std::vector<double>{3.0});
}

TEST_CASE("unknown extensions are sniffed") {
  test::TempDir dir;
  TrainingSet s(2);
  s.add({{1, 4.0}}, 1.0, 1.0);
  write_training_set(dir.file("a.csv"), s, DataFormat::kCsv, make_sidecar());
  fs::copy_file(dir.file("a.csv"), dir.file("a.dat"));
  auto r = read_training_set(dir.file("a.dat"));
  REQUIRE(r.ok());
  CHECK(r.value().format == DataFormat::kCsv);
  test::check_same(r.value().data, s);
}

TEST_CASE("writers refuse sets no reader would accept, before touching any file") {
  test::TempDir dir;
  const std::string p = dir.file("bad.npy");
  TrainingSet nan_label(2);
  nan_label.add({{0, 1.0}}, std::nan(""), 1.0);
  TrainingSet zero_weight(2);
  zero_weight.c.push_back(0.0);
  zero_weight.y.push_back(1.0);
  zero_weight.row_ptr.push_back(0);
  for (const TrainingSet* s : {&nan_label, &zero_weight}) {
    try {
      write_training_set(p, *s, DataFormat::kNpy, make_sidecar());
      FAIL("write_training_set accepted an invalid set");
    } catch (const Failure& f) {
      CHECK(f.error().id.starts_with("training."));
    }
    CHECK_FALSE(fs::exists(p));
    CHECK_FALSE(fs::exists(sidecar_path(p)));
  }
}

TEST_CASE("format names and extensions") {
  CHECK(format_from_path("a/b.NPY") == DataFormat::kNpy);
  CHECK(format_from_path("x.svm") == DataFormat::kLibsvm);
  CHECK(format_from_path("x.libsvm") == DataFormat::kLibsvm);
  CHECK(format_from_path("x.csv") == DataFormat::kCsv);
  CHECK_FALSE(format_from_path("x.txt").has_value());
  CHECK(parse_format("csv") == DataFormat::kCsv);
  CHECK_FALSE(parse_format("tsv").has_value());
}

TEST_CASE("an array saved by numpy 1.24 (np.save of a float64 C-order array) is read") {
  // tests/data/npy/numpy_1_24.npy = np.save(p, np.array([[1, 0, -2.5, 0.1, 0.5, 1], [0, 3, 0, 0, -1, 4]], float))
  auto r = read_training_set(std::string(RELUGAP_TEST_DATA) + "/npy/numpy_1_24.npy");
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
  const TrainingSet& s = r.value().data;
  CHECK(s.dim == 4);
  CHECK(s.row_ptr == std::vector<std::size_t>{0, 3, 4});
  CHECK(s.col == std::vector<Feature>{Feature(0), Feature(2), Feature(3), Feature(1)});
  CHECK(s.val == std::vector<double>{1.0, -2.5, 0.1, 3.0});
  CHECK(s.y == std::vector<double>{0.5, -1.0});
  CHECK(s.c == std::vector<double>{1.0, 4.0});
  CHECK_FALSE(r.value().sidecar.has_value());
}
