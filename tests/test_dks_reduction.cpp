// Densest κ-Subgraph -> one ReLU (docs/reductions/densest-subgraph.md): exact completeness, the
// stated interval, and the decoding lemma on random and locally optimised
// networks, against brute force on tiny graphs; plus a deliberately broken
// construction that the same checks catch.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "instances/core/rational_int.hpp"
#include "instances/core/rng.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/dks/dks_to_relu.hpp"
#include "solvers/source/dks_exact.hpp"
#include "tests/dks_test_util.hpp"

using namespace relugap;
using relugap::test::CoordinateDescent;
using relugap::test::one_unit;
using relugap::test::random_graph;

namespace {

bool is_square(const mpz_class& x) { return mpz_perfect_square_p(x.get_mpz_t()) != 0; }

std::vector<Vertex> subset(std::uint32_t n, std::uint32_t mask) {
  std::vector<Vertex> s;
  for (std::uint32_t v = 0; v < n; ++v)
    if (mask >> v & 1u) s.emplace_back(v);
  return s;
}

// Random starting points: uniform in [-1, 1]^d, and lifts of random sets perturbed.
std::vector<double> random_start(Rng& rng, const DksReduction& red, int kind) {
  const std::size_t d = red.data().dim;
  std::vector<double> w(d);
  if (kind == 0) {
    for (auto& x : w) x = 2 * rng.uniform01() - 1;
  } else {
    std::vector<Vertex> s;
    for (std::uint32_t v = 0; v < red.graph().num_vertices(); ++v)
      if (rng.bernoulli(0.5)) s.emplace_back(v);
    Network lifted = to_double(red.lift(s));
    for (std::size_t t = 0; t < d; ++t) w[t] = lifted.w[t] * (1 + 0.3 * (rng.uniform01() - 0.5));
  }
  return w;
}

struct Tally {
  int graphs = 0, networks = 0, lemma_fail = 0, lower_fail = 0;
  int near_opt = 0;                   ///< optimised networks within 1/2 of the optimum (the descent does real work)
  std::optional<Rational> min_slack;  ///< smallest E(Decode(w)) − (|E| + K − σ − L(w)) seen
};

// For one instance: the lemma and the lower bound on random and locally optimised w.
void probe(Rng& rng, const DksReduction& red, std::uint64_t tau, Tally& t, int starts) {
  const LossBounds b = red.bounds(to_rational(tau));
  const TrainingSet dd = to_double(red.data());
  CoordinateDescent cd(dd);
  for (int s = 0; s < starts; ++s) {
    auto w = random_start(rng, red, s % 2);
    for (bool optimise : {false, true}) {
      if (optimise) cd.run(w);
      Network net = one_unit(w);
      DecodeCheck dc = red.decode_check(net);
      ++t.networks;
      if (!dc.lemma_holds) ++t.lemma_fail;
      if (dc.loss < *b.loss_lower) ++t.lower_fail;
      if (optimise && dc.loss < *b.loss_upper + Rational(1, 2) * red.loss_scale()) ++t.near_opt;
      const auto& k = red.constants();
      Rational slack =
          dc.source_value - (to_rational(red.graph().num_edges()) + k.K - k.sigma - dc.loss / red.loss_scale());
      if (!t.min_slack || slack < *t.min_slack) t.min_slack = slack;
      CHECK(dc.solution_valid);
    }
  }
}

}  // namespace

TEST_CASE("constants: W > |E|, squares, sigma <= 1/8, exact doubles") {
  Rng rng(11);
  for (int trial = 0; trial < 40; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(1, 12));
    Graph g = random_graph(rng, n, rng.uniform01());
    const auto kappa = static_cast<std::uint32_t>(rng.between(1, n));
    for (bool sq : {false, true}) {
      DksOptions opt;
      opt.square_weights = sq;
      DksReduction red(g, kappa, opt);
      const auto& k = red.constants();
      const mpz_class m(std::to_string(g.num_edges()));
      CHECK(k.W > m);
      if (!sq) CHECK(k.W == m + 1);
      if (sq) CHECK(is_square(k.W));
      CHECK(is_square(k.A));
      CHECK(is_square(k.lambda));
      CHECK(k.A >= 4 * k.P * k.P);
      CHECK(k.lambda >= 4 * k.sum_Q2);
      CHECK(k.sigma <= Rational(1, 8));
      CHECK(k.sigma > 0);
      CHECK(red.data().samples() == 1 + 2 * n + 1 + g.num_edges());
      CHECK(red.data_exact_in_double());
    }
  }
}

TEST_CASE("constants stay exact doubles when the roots exceed 2^26") {
  Rng rng(5);
  Graph g = random_graph(rng, 200, 0.1);  // 4Wn² ≈ 3·10^8 > 2^26
  DksReduction red(g, 20);
  const auto& k = red.constants();
  CHECK(mpz_sizeinbase(k.A.get_mpz_t(), 2) > 53);
  CHECK(is_square(k.A));
  CHECK(k.A >= 4 * k.P * k.P);
  CHECK(k.A <= 4 * k.P * k.P * 101 / 100);  // the rounding costs (1 + 2^-25)² at most
  CHECK(red.data_exact_in_double());
  DksOptions opt;
  opt.unweighted = true;
  DksReduction unw(g, 20, opt);
  CHECK(unw.data_exact_in_double());
}

TEST_CASE("lifted loss is exactly K + W(|S|-kappa)^2 + |E| - E(S); OPT interval at tau") {
  Rng rng(2024);
  int checked = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(3, 7));
    Graph g = random_graph(rng, n, rng.uniform01());
    const auto kappa = static_cast<std::uint32_t>(rng.between(1, n));
    DksOptions opt;
    opt.unweighted = trial % 3 == 1;
    opt.unit_ball = trial % 3 == 2;
    DksReduction red(g, kappa, opt);
    const std::uint64_t tau = dks_brute_force(g, kappa).edges;
    const LossBounds b = red.bounds(to_rational(tau));
    Rational min_loss = -1;
    for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
      auto s = subset(n, mask);
      Rational l = exact_loss(red.data(), red.lift(s));
      CHECK(l == red.set_loss(s));
      if (min_loss < 0 || l < min_loss) min_loss = l;
      ++checked;
    }
    // the best vertex set is a kappa-set with tau edges, at the stated upper bound
    CHECK(min_loss == *b.loss_upper);
    CHECK(*b.loss_lower < *b.loss_upper);
    const Rational s = red.loss_scale();
    CHECK(*b.loss_upper - *b.loss_lower == red.constants().sigma * s);
  }
  CHECK(checked > 1000);
}

TEST_CASE("decoding lemma and lower bound on 200+ random tiny graphs, random and locally optimised w") {
  Rng rng(77);
  Tally t;
  for (int trial = 0; trial < 220; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(3, 7));
    Graph g = random_graph(rng, n, rng.uniform01());
    const auto kappa = static_cast<std::uint32_t>(rng.between(1, n));
    DksOptions opt;
    opt.unweighted = trial % 4 == 1;
    opt.unit_ball = trial % 4 == 2;
    opt.square_weights = trial % 4 == 3;
    DksReduction red(g, kappa, opt);
    const std::uint64_t tau = dks_brute_force(g, kappa).edges;
    probe(rng, red, tau, t, 6);
    // the certificate of an optimal set: lemma holds with the optimum decoded back
    auto best = dks_brute_force(g, kappa).set;
    DecodeCheck dc = red.decode_check(red.lift(best));
    CHECK(dc.lemma_holds);
    CHECK(dc.source_value == to_rational(tau));
    ++t.graphs;
  }
  REQUIRE(t.min_slack.has_value());
  MESSAGE("networks checked: " << t.networks << ", near-optimal after descent: " << t.near_opt
                               << ", smallest lemma slack: " << t.min_slack->get_d());
  CHECK(t.graphs >= 200);
  CHECK(t.near_opt >= t.networks / 10);
  CHECK(*t.min_slack < Rational(1, 4));  // the lemma is nearly tight on some networks: the check has teeth
  CHECK(t.networks >= 2000);
  CHECK(t.lemma_fail == 0);
  CHECK(t.lower_fail == 0);
}

TEST_CASE("a broken construction (anchor weight 1) fails the same checks") {
  // Deterministic witness: K4, kappa = 2 (tau = 1). With A = 1 the network
  // w_0 = 0, w_v = 1/2 fits the cardinality and every edge and pays only
  // A/4 = 1/4 on the anchor: L = K + 1/4 < K + |E| - tau - sigma.
  Graph k4(4);
  for (std::uint32_t u = 0; u < 4; ++u)
    for (std::uint32_t v = u + 1; v < 4; ++v) k4.add_edge(Vertex(u), Vertex(v));
  DksOptions bad;
  bad.unsound_anchor_weight = 1;
  DksReduction broken(k4, 2, bad);
  ExactNetwork net(1, 5);
  net.w = {Rational(0), Rational(1, 2), Rational(1, 2), Rational(1, 2), Rational(1, 2)};
  DecodeCheck dc = broken.decode_check(net);
  CHECK(dc.loss == broken.constants().K + Rational(1, 4));
  CHECK_FALSE(dc.lemma_holds);
  CHECK(dc.loss < *broken.bounds(Rational(1)).loss_lower);
  // ... while the correct construction holds on the same network
  DksReduction good(k4, 2);
  CHECK(good.decode_check(net).lemma_holds);

  // The randomised procedure of the previous test also catches it.
  Rng rng(99);
  Tally t;
  for (int trial = 0; trial < 40; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(4, 7));
    Graph g = random_graph(rng, n, 0.7);
    const auto kappa = static_cast<std::uint32_t>(rng.between(2, n - 1));
    DksReduction red(g, kappa, bad);
    probe(rng, red, dks_brute_force(g, kappa).edges, t, 4);
  }
  CHECK(t.lemma_fail > 0);
  CHECK(t.lower_fail > 0);
}

TEST_CASE("decode: sign rounding then the deterministic repair") {
  Graph path(4);  // 0-1-2-3
  path.add_edge(Vertex(0), Vertex(1));
  path.add_edge(Vertex(1), Vertex(2));
  path.add_edge(Vertex(2), Vertex(3));
  DksReduction red(path, 2);
  Network all_pos(1, 5), all_neg(1, 5);
  all_pos.w = {0.5, 0.5, 0.5, 0.5, 0.5};
  all_neg.w = {0.5, -0.5, -0.5, -0.5, -0.5};
  // drop: inside-degrees 1,2,2,1 -> drop 0; then 1,2,1 over {1,2,3} -> drop 1 -> {2,3}
  CHECK(red.decode(all_pos) == std::vector<Vertex>{Vertex(2), Vertex(3)});
  // add: all zero -> add 0; then vertex 1 has one neighbour inside -> {0,1}
  CHECK(red.decode(all_neg) == std::vector<Vertex>{Vertex(0), Vertex(1)});
  Network mixed(1, 5);
  mixed.w = {0.5, -0.1, 0.0, 0.3, 0.2};  // w = 0 is not chosen
  CHECK(red.decode(mixed) == std::vector<Vertex>{Vertex(2), Vertex(3)});
  CHECK(red.repair({Vertex(3)}) == std::vector<Vertex>{Vertex(2), Vertex(3)});
  Network two(2, 5);
  CHECK_THROWS_AS((void)red.decode_check(two), relugap::Failure);
  Network wrong_dim(1, 4);
  CHECK_THROWS_AS((void)red.decode_check(wrong_dim), relugap::Failure);
  // a <= 0: the network is <= 0 everywhere; the lemma holds trivially
  Network neg(1, 5);
  neg.w = {0.5, 0.5, 0.5, -0.5, -0.5};
  neg.a[0] = -1;
  CHECK(red.decode_check(neg).lemma_holds);
}

TEST_CASE("kappa out of range and bad lifts are rejected") {
  Graph g(3);
  CHECK_THROWS_AS(DksReduction(g, 0), relugap::Failure);
  CHECK_THROWS_AS(DksReduction(g, 4), relugap::Failure);
  DksReduction red(g, 2);
  CHECK_THROWS_AS((void)red.lift({Vertex(0), Vertex(0)}), relugap::Failure);
  CHECK_THROWS_AS((void)red.lift({Vertex(3)}), relugap::Failure);
}

TEST_CASE("unit-ball form: norms, scale and epsilon") {
  Rng rng(8);
  for (int trial = 0; trial < 20; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(2, 9));
    Graph g = random_graph(rng, n, rng.uniform01());
    const auto kappa = static_cast<std::uint32_t>(rng.between(1, n));
    DksOptions opt;
    opt.unit_ball = true;
    DksReduction red(g, kappa, opt);
    REQUIRE(red.unit_ball().has_value());
    const DksUnitBall& u = *red.unit_ball();
    CHECK(u.x_exact);
    CHECK(u.y_exact);
    CHECK(u.Y * 2 == u.X);  // X = max(√A, √λ), a power of two, and Y = X/2
    CHECK(mpz_popcount(u.X.get_num_mpz_t()) == 1);
    CHECK(u.X.get_den() == 1);
    CHECK(red.data_exact_in_double());  // the unit-ball file holds the exact set
    CHECK(u.B2 == to_rational(n + 1));  // B = √(n+1)
    CHECK(u.X * u.X == u.X2);
    CHECK(u.Y * u.Y == u.Y2);
    // every sample in the unit ball, the extreme ones on its boundary
    Rational max_x = 0, max_y = 0;
    for (std::size_t i = 0; i < red.data().samples(); ++i) {
      Rational norm2 = 0;
      for (const auto& x : red.data().row_vals(SampleId(static_cast<std::uint32_t>(i)))) norm2 += x * x;
      max_x = std::max(max_x, norm2);
      max_y = std::max(max_y, Rational(red.data().y[i] * red.data().y[i]));
      CHECK(red.data().c[i] == 1);
    }
    CHECK(max_x == 1);
    CHECK(max_y == 1);
    const auto& k = red.constants();
    CHECK(u.samples == red.data().samples());
    CHECK(u.gap == 1 - k.sigma);
    CHECK(u.epsilon == (1 - k.sigma) / (to_rational(u.samples) * u.Y2));
    CHECK(red.loss_scale() == 1 / u.Y2);
    // the certificate's norm is B
    ExactNetwork cert = red.lift(dks_brute_force(g, kappa).set);
    Rational w2 = 0;
    for (const auto& w : cert.w) w2 += w * w;
    CHECK(w2 == u.B2);
    // the gap between tau and tau - 1 in mean loss is epsilon
    const auto tau = dks_brute_force(g, kappa).edges;
    if (tau >= 1) {
      const Rational t(to_mpz(tau));
      Rational gap = *red.bounds(t - 1).loss_lower - *red.bounds(t).loss_upper;
      CHECK(gap / to_rational(u.samples) == u.epsilon);
    }
  }
}
