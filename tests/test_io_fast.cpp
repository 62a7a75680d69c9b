// The streaming text writers (TextSink, write_text_atomic) give the bytes the
// ostream writers gave, across the 4 MiB flush boundary; the whole-file reader
// reads files of any size and refuses a directory; the set-cover reduction's
// doubles_only mode builds exactly to_double() of the exact set, with the same
// parameters, refuses to hand out the exact set it never built, and checks a
// network's decoding with the same exact loss.
#include <doctest/doctest.h>

#include <filesystem>
#include <limits>
#include <sstream>

#include "instances/core/assert.hpp"
#include "instances/core/error.hpp"
#include "instances/gen/generators.hpp"
#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "instances/io/io_internal.hpp"
#include "instances/io/text_reader.hpp"
#include "reductions/setcover/setcover_to_relu.hpp"
#include "tests/cli_run.hpp"

using namespace relugap;

TEST_CASE("TextSink: numbers as to_chars / format_double, identical bytes across the flush boundary") {
  test::TempDir dir;
  const std::string p = dir.file("t.txt");
  std::ostringstream ref;
  const double xs[] = {0.0,     -0.0,  0.5,    1e-300,     -1.7976931348623157e308,
                       0.1,     3.0,   1e22,   123456.789, -9999.0,
                       10000.0, 100.0, 9999.5, -1.0,       1e4 - 1};
  write_text_atomic(p, [&](TextSink& os) {
    for (int r = 0; r < 360000; ++r) {  // about 12 MiB: several flushes
      const auto i = static_cast<std::uint64_t>(r) * 2654435761u;
      const auto k = -static_cast<std::int64_t>(r) * 97;
      const double x = xs[r % 15];
      os.put_u64(i).put(' ').put_i64(k).put(' ').put_f64(x).put(" |\n");
      ref << i << ' ' << k << ' ' << format_double(x) << " |\n";
    }
    os.put_u64(std::numeric_limits<std::uint64_t>::max()).put(' ').put_i64(std::numeric_limits<std::int64_t>::min());
    ref << std::numeric_limits<std::uint64_t>::max() << ' ' << std::numeric_limits<std::int64_t>::min();
  });
  const std::string got = read_file(p);
  CHECK(got.size() > 2 * TextSink::kFlush);
  CHECK(got == ref.str());
}

TEST_CASE("TextSink::put_f64 fast paths give format_double's bytes: sixteenths below 10^4, integers below 2^53") {
  std::vector<double> xs;
  for (std::int64_t n = -200000; n <= 200000; n += 7) xs.push_back(static_cast<double>(n) / 16);  // sixteenths
  for (double x : {9999.9375, -9999.9375, 0.0625, -0.0625, 1e4 - 0.5, 0.0, -0.0, 1.0 / 32, 0.1, 1.0 / 3})
    xs.push_back(x);
  for (std::int64_t n : {std::int64_t{10000}, std::int64_t{10001}, std::int64_t{100000}, std::int64_t{123456789},
                         std::int64_t{1073988253497600}, std::int64_t{294060136050001}, (std::int64_t{1} << 53) - 1,
                         (std::int64_t{1} << 53), (std::int64_t{1} << 53) + 2, std::int64_t{1000000000000000}})
    for (std::int64_t s : {1, -1}) xs.push_back(static_cast<double>(s * n));
  std::string got, want;
  {
    TextSink os([&](const char* p, std::size_t n) { got.append(p, n); });
    for (double x : xs) os.put_f64(x).put(' ');
    os.flush();
  }
  for (double x : xs) want += format_double(x) + " ";
  CHECK(got == want);
}

TEST_CASE("read_file: the whole file, an empty file, and a directory is io.read") {
  test::TempDir dir;
  std::string big(3'000'001, 'x');
  for (std::size_t i = 0; i < big.size(); i += 997) big[i] = static_cast<char>('a' + i % 26);
  write_bytes_atomic(dir.file("big"), big);
  CHECK(read_file(dir.file("big")) == big);
  write_bytes_atomic(dir.file("empty"), "");
  CHECK(read_file(dir.file("empty")).empty());
  try {
    (void)read_file(dir.path.string());
    FAIL("a directory was read");
  } catch (const Failure& f) {
    CHECK(f.error().id == "io.read");
    CHECK(f.error().file == dir.path.string());
  }
}

TEST_CASE("libsvm and csv: the streamed writers give the same text as the ostream ones, and read back") {
  TrainingSet d(5);
  d.add({{0u, 0.5}, {3u, -2.25}}, 1.0, 2.0);
  d.add({}, -0.0, 1.0);
  d.add({{4u, 1e-17}}, 3.5, 0.125);
  std::ostringstream a;
  io_detail::write_libsvm(a, d);
  CHECK(a.str() == "1 1:0.5 4:-2.25\n-0\n3.5 5:1e-17\n");
  std::ostringstream w;
  io_detail::write_weights(w, d);
  CHECK(w.str() == "2\n1\n0.125\n");
  std::ostringstream c;
  io_detail::write_csv(c, d);
  CHECK(c.str() == "x0,x1,x2,x3,x4,y,c\n0.5,0,0,-2.25,0,1,2\n0,0,0,0,0,-0,1\n0,0,0,0,1e-17,3.5,0.125\n");
  const TrainingSet back = io_detail::parse_libsvm(a.str(), "t.libsvm", std::size_t{5},
                                                   io_detail::parse_weights(w.str(), "t.libsvm.weights"));
  CHECK(back.col == d.col);
  CHECK(back.val == d.val);
  CHECK(back.row_ptr == d.row_ptr);
  CHECK(back.y == d.y);
  CHECK(back.c == d.c);
}

TEST_CASE("set cover: a generated instance round-trips through the file bytes unchanged") {
  SetCoverGenParams gp;
  gp.elements = 300;
  gp.sets = 500;
  gp.p = 0.02;
  gp.max_cost = 9;
  const SetCoverInstance inst = generate_set_cover(gp, 7).value().instance;
  test::TempDir dir;
  write_set_cover(dir.file("a.txt"), inst);
  const SetCoverInstance back = read_set_cover(dir.file("a.txt")).value();
  CHECK(back.num_elements == inst.num_elements);
  CHECK(back.costs == inst.costs);
  CHECK(back.sets == inst.sets);
  write_set_cover(dir.file("b.txt"), back);
  CHECK(read_file(dir.file("a.txt")) == read_file(dir.file("b.txt")));
}

TEST_CASE("setcover doubles_only: exactly to_double of the exact set, same params; no exact set handed out") {
  SetCoverGenParams gp;
  gp.elements = 60;
  gp.sets = 90;
  gp.p = 0.05;
  gp.max_cost = 1000;
  const SetCoverInstance inst = generate_set_cover(gp, 3).value().instance;
  const SetCoverReduction exact(inst);
  SetCoverOptions o;
  o.doubles_only = true;
  SetCoverReduction fast(inst, o);
  const TrainingSet ref = to_double(exact.data());
  const TrainingSet got = fast.double_data();
  CHECK(got.dim == ref.dim);
  CHECK(got.row_ptr == ref.row_ptr);
  CHECK(got.col == ref.col);
  CHECK(got.val == ref.val);
  CHECK(got.y == ref.y);
  CHECK(got.c == ref.c);
  CHECK(fast.params() == exact.params());
  CHECK(exact.double_data().val == ref.val);
  CHECK(to_string(*fast.bounds(Rational(5)).loss_lower) == to_string(*exact.bounds(Rational(5)).loss_lower));
  const std::vector<SetId> all = [&] {
    std::vector<SetId> v;
    for (std::uint32_t j = 0; j < inst.num_sets(); ++j) v.emplace_back(j);
    return v;
  }();
  CHECK(fast.lift(all).w == exact.lift(all).w);
  CHECK_THROWS_AS((void)fast.data(), std::logic_error);
  // decode_check needs no exact set: the loss is evaluated on the samples generated again.
  const DecodeCheck dc_fast = fast.decode_check(exact.lift(all)), dc_exact = exact.decode_check(exact.lift(all));
  CHECK(dc_fast.loss == dc_exact.loss);
  CHECK(dc_fast.lemma_holds == dc_exact.lemma_holds);
  const TrainingSet moved = fast.take_double_data();
  CHECK(moved.col == ref.col);
  CHECK(fast.params() == exact.params());  // still right once the set has been moved out
  SetCoverOptions bad;
  bad.doubles_only = true;
  bad.unweighted = true;
#if RELUGAP_CONTRACTS
  // A contract (the header says "weighted form only"): Failure internal.contract, not an id-less exception.
  try {
    (void)SetCoverReduction(inst, bad);
    FAIL("doubles_only with unweighted was accepted");
  } catch (const Failure& f) {
    CHECK(f.error().id == "internal.contract");
  }
#endif
}

TEST_CASE("npz: a set above the store threshold is written stored (no deflate) and reads back the same") {
  TrainingSet d(4);
  for (std::uint32_t i = 0; i < 200; ++i) d.add({{i % 4, 1.0 + i}}, 0.5, 1.0 + (i % 3));
  const std::string deflated = io_detail::npz_bytes(d, "t.npz");
  const std::string stored = io_detail::npz_bytes(d, "t.npz", 0);
  CHECK(stored.size() > deflated.size());
  CHECK(io_detail::npz_bytes(d, "t.npz", 0) == stored);  // deterministic
  for (const std::string* bytes : {&deflated, &stored}) {
    const TrainingSet back = io_detail::parse_npz(*bytes, "t.npz");
    CHECK(back.col == d.col);
    CHECK(back.val == d.val);
    CHECK(back.y == d.y);
    CHECK(back.c == d.c);
  }
}
