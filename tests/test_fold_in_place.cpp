// Issue 20 (memory): the unweighted forms fold the exact set in place, the
// unit-ball figures are read off the weighted set, and the float64 copy for
// the writer consumes the exact set. Each gives the same values as the copying
// path it replaces.
#include <doctest/doctest.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "instances/core/rng.hpp"
#include "instances/problems/training_set.hpp"
#include "reductions/dks/dks_to_relu.hpp"
#include "reductions/sat/sat_to_relu.hpp"
#include "tests/dks_test_util.hpp"
#include "tests/io_fixtures.hpp"

using namespace relugap;

namespace {
/// Random rows; weights q² with q up to 2^40 (GMP nodes) and repeated runs of
/// equal weights (fold_weights_in_place reuses the root of a run).
ExactTrainingSet random_set(Rng& rng, std::size_t m, std::size_t d) {
  ExactTrainingSet s(d);
  Rational q = 1;
  for (std::size_t i = 0; i < m; ++i) {
    std::vector<std::pair<std::uint32_t, Rational>> row;
    for (std::uint32_t t = 0; t < d; ++t)
      if (rng.bernoulli(0.5)) row.emplace_back(t, Rational(rng.between(-8, 8), rng.between(1, 4)));
    if (rng.bernoulli(0.6)) {
      q = Rational(rng.between(1, 5), rng.between(1, 3));
      if (rng.bernoulli(0.3)) q *= Rational(mpz_class(1) << 40);
    }
    s.add(row, Rational(rng.between(-6, 6), 2), Rational(q * q));
  }
  return s;
}
/// The fold by hand, written independently of conversions.cpp.
struct Folded {
  std::vector<Rational> val, y;
};
Folded fold_by_hand(const ExactTrainingSet& s) {
  Folded f;
  for (std::size_t i = 0; i < s.samples(); ++i) {
    const Rational c = s.c[i].q();
    mpz_class n, d;
    mpz_sqrt(n.get_mpz_t(), c.get_num_mpz_t());
    mpz_sqrt(d.get_mpz_t(), c.get_den_mpz_t());
    Rational q(n, d);
    q.canonicalize();
    REQUIRE(q * q == c);
    for (std::size_t t = s.row_ptr[i]; t < s.row_ptr[i + 1]; ++t) f.val.push_back(s.val[t].q() * q);
    f.y.push_back(s.y[i].q() * q);
  }
  return f;
}
}  // namespace

TEST_CASE("fold_weights_in_place gives the hand-folded values; fold_weights the same") {
  Rng rng(20);
  for (int trial = 0; trial < 30; ++trial) {
    const ExactTrainingSet s = random_set(rng, 25, 6);
    const Folded want = fold_by_hand(s);
    ExactTrainingSet f = s;
    fold_weights_in_place(f);
    CHECK(f.row_ptr == s.row_ptr);
    CHECK(f.col == s.col);
    REQUIRE(f.val.size() == want.val.size());
    for (std::size_t t = 0; t < f.val.size(); ++t) CHECK(f.val[t] == want.val[t]);
    REQUIRE(f.samples() == want.y.size());
    for (std::size_t i = 0; i < f.samples(); ++i) {
      CHECK(f.y[i] == want.y[i]);
      CHECK(f.c[i] == 1);
    }
    test::check_same(to_double(fold_weights(s)), to_double(f));
  }
}

TEST_CASE("fold_weights_in_place names the first weight that is not a square") {
  ExactTrainingSet s(1);
  s.add({{0, Rational(1)}}, Rational(0), Rational(4));
  s.add({{0, Rational(1)}}, Rational(0), Rational(4));
  s.add({{0, Rational(1)}}, Rational(0), Rational(3));
  CHECK_THROWS_WITH_AS(fold_weights_in_place(s), doctest::Contains("sample 3 (3)"), relugap::Failure);
}

TEST_CASE("to_double of a moved set equals the copy and empties the exact set") {
  Rng rng(21);
  for (int trial = 0; trial < 10; ++trial) {
    ExactTrainingSet s = random_set(rng, 30, 7);
    const TrainingSet copy = to_double(s);
    const TrainingSet moved = to_double(std::move(s));
    test::check_same(copy, moved);
    CHECK(s.nnz() == 0);  // NOLINT(bugprone-use-after-move): the documented state after the move
    CHECK(s.samples() == 0);
  }
}

TEST_CASE("dks: unit-ball figures off the weighted set; the unweighted form folded in place") {
  Rng rng(22);
  for (int trial = 0; trial < 15; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(2, 12));
    const Graph g = test::random_graph(rng, n, rng.uniform01());
    const auto kappa = static_cast<std::uint32_t>(rng.between(1, n));
    DksOptions sq, uw, ub;
    sq.square_weights = true;
    uw.unweighted = true;
    ub.unit_ball = true;
    const DksReduction weighted(g, kappa, sq), unweighted(g, kappa, uw);
    DksReduction ball(g, kappa, ub);
    // The unweighted form is the weighted set (square weights), folded.
    test::check_same(to_double(unweighted.data()), to_double(fold_weights(weighted.data())));
    // The figures of the unweighted set, whatever the form they are read from.
    const DksUnitBall a = weighted.unit_ball_figures(), b = unweighted.unit_ball_figures();
    CHECK(a.X2 == b.X2);
    CHECK(a.Y2 == b.Y2);
    CHECK(a.samples == b.samples);
    REQUIRE(ball.unit_ball().has_value());
    CHECK(ball.unit_ball_figures().epsilon == ball.unit_ball()->epsilon);
    // release_data: the same set out, an empty set of the same dimension left.
    const TrainingSet before = to_double(ball.data());
    const ExactTrainingSet out = ball.release_data();
    test::check_same(before, to_double(out));
    CHECK(ball.data().samples() == 0);
    CHECK(ball.data().dim == out.dim);
  }
}

TEST_CASE("sat: unit-ball figures without a folded copy equal those of the folded set") {
  Rng rng(23);
  for (int trial = 0; trial < 8; ++trial) {
    Cnf f;
    f.num_vars = static_cast<std::uint32_t>(rng.between(3, 8));
    for (int k = 0; k < 3 * static_cast<int>(f.num_vars); ++k) {
      Clause c;
      for (int l = 0; l < 3; ++l) {
        const auto v = static_cast<std::int32_t>(rng.between(1, f.num_vars));
        c.push_back(Lit(rng.bernoulli(0.5) ? v : -v));
      }
      f.clauses.push_back(c);
    }
    Sat1Reduction r1(SatChain(f, false));
    Sat2Reduction r2(SatChain(f, false));
    SatKReduction k3(SatChain(f, true), 3);
    for (SatReduction* r : std::initializer_list<SatReduction*>{&r1, &r2, &k3}) {
      const ExactTrainingSet folded = fold_weights(r->data());
      Rational x2 = 0, y = 0;
      for (std::size_t i = 0; i < folded.samples(); ++i) {
        Rational n2 = 0;
        for (std::size_t t = folded.row_ptr[i]; t < folded.row_ptr[i + 1]; ++t) n2 += folded.val[t] * folded.val[t];
        x2 = std::max(x2, n2);
        y = std::max(y, Rational(abs(folded.y[i].q())));
      }
      const SatUnitBall u = sat_unit_ball(*r, std::nullopt);
      CHECK(u.m == folded.samples());
      CHECK(u.X2 == x2);
      CHECK(u.Y == y);
      const std::size_t dim = r->data().dim;
      const ExactTrainingSet out = r->release_data();
      CHECK(out.samples() == folded.samples());
      CHECK(r->data().dim == dim);
      CHECK(r->data().samples() == 0);
    }
  }
}
