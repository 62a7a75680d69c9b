// Double loss (sparse) and exact rational loss agree; homogeneity folding is exact.
#include <doctest/doctest.h>

#include <cmath>

#include "instances/core/rng.hpp"
#include "instances/problems/loss.hpp"

using namespace relugap;

namespace {
ExactTrainingSet random_exact_set(Rng& rng, std::size_t m, std::size_t d) {
  ExactTrainingSet s(d);
  for (std::size_t i = 0; i < m; ++i) {
    std::vector<std::pair<std::uint32_t, Rational>> row;
    for (std::uint32_t t = 0; t < d; ++t)
      if (rng.bernoulli(0.5)) row.emplace_back(t, Rational(rng.between(-8, 8), rng.between(1, 4)));
    std::int64_t q = rng.between(1, 5);
    s.add(row, Rational(rng.between(-6, 6), 2), Rational(q * q));
  }
  return s;
}
ExactNetwork random_exact_net(Rng& rng, std::size_t k, std::size_t d) {
  ExactNetwork n(k, d);
  for (auto& w : n.w) w = Rational(rng.between(-9, 9), 4);
  for (auto& a : n.a) a = Rational(rng.between(-3, 3), 2);
  return n;
}
}  // namespace

TEST_CASE("exact and double loss agree on random sparse sets") {
  Rng rng(7);
  for (int trial = 0; trial < 50; ++trial) {
    auto data = random_exact_set(rng, 20, 6);
    auto net = random_exact_net(rng, 1 + trial % 3, 6);
    Rational exact = exact_loss(data, net);
    double fast = loss(to_double(data), to_double(net));
    CHECK(fast == doctest::Approx(exact.get_d()).epsilon(1e-12));
  }
}

TEST_CASE("loss of a known network by hand") {
  // f(x) = 2 ReLU(x0 - x1); samples (1,0)->1, (0,1)->0, weight 3 on the first.
  ExactTrainingSet s(2);
  s.add({{0, Rational(1)}}, Rational(1), Rational(3));
  s.add({{1, Rational(1)}}, Rational(0), Rational(1));
  ExactNetwork n(1, 2);
  n.w = {Rational(1), Rational(-1)};
  n.a = {Rational(2)};
  CHECK(exact_loss(s, n) == Rational(3));  // 3·(2−1)² + 1·0
  CHECK(loss(to_double(s), to_double(n)) == 3.0);
}

TEST_CASE("folding square weights into samples preserves the loss exactly") {
  Rng rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    auto data = random_exact_set(rng, 15, 5);
    auto net = random_exact_net(rng, 2, 5);
    auto folded = fold_weights(data);
    for (const auto& c : folded.c) CHECK(c == 1);
    CHECK(exact_loss(folded, net) == exact_loss(data, net));
  }
}

TEST_CASE("folding rejects a weight that is not a square") {
  ExactTrainingSet s(1);
  s.add({{0, Rational(1)}}, Rational(0), Rational(2));
  CHECK_THROWS_WITH_AS(fold_weights(s), doctest::Contains("sample 1 (2)"), relugap::Failure);
}

TEST_CASE("dimension mismatch is an error") {
  TrainingSet s(3);
  s.add({{0, 1.0}}, 0.0, 1.0);
  Network n(1, 2);
  CHECK_THROWS_AS((void)loss(s, n), relugap::Failure);
}

TEST_CASE("add sums repeated coordinates and drops zeros") {
  ExactTrainingSet s(4);
  s.add({{2, Rational(1)}, {0, Rational(3)}, {2, Rational(-1)}}, Rational(0), Rational(1));
  CHECK(s.nnz() == 1);
  CHECK(s.col[0] == Feature(0));
  CHECK(s.val[0] == 3);
}
