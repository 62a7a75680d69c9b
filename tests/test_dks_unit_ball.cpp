// Densest-subgraph-type source -> one ReLU in the unit ball (reductions/dks/dks_unit_ball.hpp):
// Φ(T) = ρt(n−t)/n − cut(T) equals k²‖Σ_T x_v‖², the loss identity, the max formula
// against enumeration, the DkS sandwich for Φ*, certificates, bounds against gd networks,
// and the decoding lemma.
#include <doctest/doctest.h>

#include <algorithm>

#include "instances/core/rng.hpp"
#include "instances/gen/gen_maxcut.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/dks/dks_unit_ball.hpp"
#include "reductions/maxcut/eps_common.hpp"
#include "solvers/relu/trainer.hpp"

using namespace relugap;

namespace {

Graph gnp(Rng& rng, std::uint32_t n, double p) {
  Graph g(n);
  for (std::uint32_t u = 0; u < n; ++u)
    for (std::uint32_t v = u + 1; v < n; ++v)
      if (rng.bernoulli(p)) g.add_edge(Vertex(u), Vertex(v));
  return g;
}

Graph regular(std::uint32_t n, std::uint32_t d, std::uint64_t seed) {
  Lin2GenParams p;
  p.vertices = n;
  p.degree = d;
  p.cut = true;
  auto r = generate_lin2(p, seed);
  REQUIRE(r.ok());
  Graph g(n);
  for (const auto& c : r.value().inst.cons) g.add_edge(c.t, c.h);
  return g;
}

/// A d-regular graph on n vertices whose first kappa vertices form a d-regular component.
Graph planted_component(std::uint32_t n, std::uint32_t kappa, std::uint32_t d, std::uint64_t seed) {
  Graph a = regular(kappa, d, seed), b = regular(n - kappa, d, seed + 1000);
  Graph g(n);
  for (auto [u, v] : a.edges()) g.add_edge(u, v);
  for (auto [u, v] : b.edges()) g.add_edge(Vertex(u.value() + kappa), Vertex(v.value() + kappa));
  return g;
}

std::uint64_t dks_bruteforce(const Graph& g, std::uint32_t kappa) {
  const std::uint32_t n = g.num_vertices();
  std::uint64_t best = 0;
  for (std::uint64_t code = 0; code < (std::uint64_t{1} << n); ++code) {
    if (static_cast<std::uint32_t>(__builtin_popcountll(code)) != kappa) continue;
    VertexSet s(n);
    for (Vertex v : s.indices()) s[v] = (code >> v.value()) & 1U;
    best = std::max<std::uint64_t>(best, g.edges_inside(s));
  }
  return best;
}

ExactNetwork random_net(Rng& rng, std::size_t d) {
  Network net(1, d);
  for (auto& x : net.w) x = rng.normal();
  return to_exact(net);
}

}  // namespace

TEST_CASE("four_squares") {
  for (std::uint64_t x = 0; x < 3000; ++x) {
    auto s = four_squares(x);
    CHECK(s[0] * s[0] + s[1] * s[1] + s[2] * s[2] + s[3] * s[3] == x);
  }
}

TEST_CASE("Phi(T) = rho t(n-t)/n - cut(T) = k^2 ||sum_T x_v||^2; samples in the unit ball") {
  Rng rng(21);
  for (int rep = 0; rep < 5; ++rep) {
    Graph g = gnp(rng, 9, 0.4);
    DksUnitBallReduction r(g, std::nullopt);
    CHECK(r.k() * r.k() == r.rho());
    for (std::uint32_t v = 0; v < 9; ++v) CHECK(r.rho() >= 2 * g.degree(Vertex(v)));
    for (std::uint64_t code = 0; code < 512; code += 7) {
      VertexSet s(9);
      for (Vertex v : s.indices()) s[v] = (code >> v.value()) & 1U;
      CHECK(r.phi(s) == r.phi_from_vectors(s));
    }
    for (std::size_t i = 0; i < r.data().samples(); ++i) {
      Rational q = 0;
      for (const auto& x : r.data().row_vals(SampleId(static_cast<std::uint32_t>(i)))) q += x * x;
      CHECK(q <= 1);
      CHECK(r.data().y[i] == 1);
    }
  }
}

TEST_CASE("loss identity T = n - 2Q+ + P+ and Q+^2/n <= P+ <= ||w||^2") {
  Rng rng(22);
  Graph g = gnp(rng, 10, 0.35);
  DksUnitBallReduction r(g, std::nullopt);
  for (int k = 0; k < 20; ++k) {
    auto net = random_net(rng, r.data().dim);
    auto p = r.loss_parts(net);
    CHECK(exact_loss(r.data(), net) == p.total);
    CHECK(p.Pp <= p.norm2);
    CHECK(p.Pp * Rational(10) >= p.Qp * p.Qp);
  }
}

TEST_CASE("max over ||w|| <= 1 of Q+ is sqrt(Phi*)/k: upper side for random w, attained by the certificate") {
  Rng rng(23);
  for (int rep = 0; rep < 4; ++rep) {
    Graph g = gnp(rng, 11, 0.3);
    DksUnitBallReduction r(g, std::nullopt);
    auto [phistar, best] = r.phi_max_bruteforce();
    // brute force over all subsets agrees
    Rational mx = 0;
    for (std::uint64_t code = 0; code < 2048; ++code) {
      VertexSet s(11);
      for (Vertex v : s.indices()) s[v] = (code >> v.value()) & 1U;
      mx = std::max(mx, r.phi(s));
    }
    CHECK(mx == phistar);
    CHECK(r.phi(best) == phistar);
    const Rational kk(static_cast<unsigned long>(r.k()));
    for (int k = 0; k < 20; ++k) {
      auto p = r.loss_parts(random_net(rng, r.data().dim));
      CHECK(kk * kk * p.Qp * p.Qp <= phistar * p.norm2);
    }
    auto cert = r.lift(best);
    auto pc = r.loss_parts(cert);
    CHECK(pc.norm2 <= 1);
    CHECK(kk * kk * pc.Qp * pc.Qp >= phistar * pc.norm2);  // equality up to the attained maximum
    auto b = r.bounds(phistar);
    CHECK(exact_loss(r.data(), cert) <= *b.loss_upper);
    CHECK(*b.loss_lower <= *b.loss_upper);
  }
}

TEST_CASE("DkS: Phi* lies in the range implied by tau (regular graphs)") {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    Graph g = regular(14, 4, seed);
    for (std::uint32_t kappa : {4U, 5U, 6U}) {
      DksUnitBallReduction r(g, kappa);
      const auto tau = dks_bruteforce(g, kappa);
      auto [lo, hi] = r.phi_range_from_tau(tau);
      auto [phistar, best] = r.phi_max_bruteforce();
      CHECK(lo <= phistar);
      CHECK(phistar <= hi);
      auto b = r.bounds(Rational(static_cast<unsigned long>(tau)));
      CHECK(*b.loss_lower <= *b.loss_upper);
    }
  }
  CHECK_THROWS_AS(DksUnitBallReduction(Graph(5), 1U), Failure);  // kappa < 2
  Rng rng(3);
  Graph irregular = gnp(rng, 8, 0.5);
  bool reg = true;
  for (std::uint32_t v = 1; v < 8; ++v) reg = reg && irregular.degree(Vertex(v)) == irregular.degree(Vertex(0));
  if (!reg) CHECK_THROWS_AS(DksUnitBallReduction(irregular, 3U), Failure);
}

TEST_CASE("gd networks respect the NO bound; decoding lemma on gd and random networks") {
  for (std::uint64_t seed = 1; seed <= 2; ++seed) {
    for (bool yes : {true, false}) {
      const std::uint32_t n = 16, kappa = 6, d = 3;
      Graph g = yes ? planted_component(n, kappa, d, seed) : regular(n, d, seed);
      DksUnitBallReduction r(g, kappa);
      auto [phistar, best] = r.phi_max_bruteforce();
      auto b = r.bounds(Rational(static_cast<unsigned long>(dks_bruteforce(g, kappa))));
      TrainOptions o;
      o.units = 1;
      o.seed = seed;
      o.constraints.unit_norm = 1.0;
      o.constraints.output_l1 = 1.0;
      o.gd.starts = 4;
      o.gd.max_iters = 1500;
      auto res = train(to_double(r.data()), TrainAlgo::kGd, o);
      auto net = to_exact(res.net);
      const Rational L = exact_loss(r.data(), net);
      Rational norm2 = 0;
      for (const auto& x : net.w) norm2 += x * x;
      norm2 *= net.a[0] * net.a[0];
      if (norm2 <= 1) {
        CHECK(L >= *b.loss_lower);
        CHECK(L >= r.total_lower(phistar));
      }
      auto dc = r.decode_check(res.net);
      CHECK(dc.lemma_holds);
      CHECK(dc.solution_valid);
      CHECK(exact_loss(r.data(), r.lift(best)) <= r.total_upper(phistar));
    }
  }
  Rng rng(24);
  Graph g = regular(12, 3, 9);
  DksUnitBallReduction r(g, 5U);
  for (int k = 0; k < 30; ++k) CHECK(r.decode_check(random_net(rng, r.data().dim)).lemma_holds);
  CHECK_THROWS_AS((void)r.decode_check(Network(2, r.data().dim)), relugap::Failure);
}

TEST_CASE("unit_ball block for DkS thresholds") {
  Graph g = regular(16, 3, 5);
  DksUnitBallReduction r(g, 6U);
  auto u = r.unit_ball(Rational(9), Rational(5));  // YES: a 6-set with 9 edges (a 3-regular component); NO: <= 5
  REQUIRE(u.yes_upper);
  REQUIRE(u.no_lower);
  CHECK(u.m == 16);
  CHECK(u.X2 <= 1);
  auto j = to_json(u);
  CHECK(j["reduction"] == "dks-ball");
}
