// The robust two-ReLU bound (reductions/sat/sat2_robust.hpp): L >= τ²·V/max(1, B, V/R)
// for every network with <= 2 units and either unit's decoded assignment,
// checked exactly on lifts, perturbed certificates, random networks and every
// network the gd trainer finds on small YES and NO formulas.
#include <doctest/doctest.h>

#include <cmath>

#include "instances/core/rng.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/sat/sat2_robust.hpp"
#include "reductions/sat/sat_to_relu.hpp"
#include "solvers/relu/trainer.hpp"

using namespace relugap;

namespace {

/// Random 1-in-3 formula on n variables, m clauses of 3 distinct variables, random signs.
OneInThreeFormula random_formula(Rng& rng, std::uint32_t n, std::uint32_t m, bool positive = false) {
  OneInThreeFormula f;
  f.num_vars = n;
  for (std::uint32_t i = 0; i < m; ++i) {
    auto vs = rng.sample(n, 3);
    OneInThreeClause c;
    for (int k = 0; k < 3; ++k) {
      const Var v(vs[k]);
      c[k] = (positive || rng.bernoulli(0.5)) ? Lit::positive(v) : Lit::negative(v);
    }
    f.clauses.push_back(c);
  }
  return f;
}

/// A satisfiable formula: a hidden assignment makes exactly one position of every clause true.
OneInThreeFormula planted_formula(Rng& rng, std::uint32_t n, std::uint32_t m) {
  Assignment hidden(n);
  for (std::uint32_t v = 0; v < n; ++v) hidden[Var(v)] = rng.bernoulli(0.5);
  OneInThreeFormula f;
  f.num_vars = n;
  for (std::uint32_t i = 0; i < m; ++i) {
    auto vs = rng.sample(n, 3);
    const auto truepos = rng.below(3);
    OneInThreeClause c;
    for (std::uint64_t k = 0; k < 3; ++k) {
      const Var v(vs[k]);
      const bool want = k == truepos;  // literal value wanted under `hidden`
      c[k] = (hidden[v] == want) ? Lit::positive(v) : Lit::negative(v);
    }
    f.clauses.push_back(c);
  }
  return f;
}

ExactNetwork perturbed(const ExactNetwork& base, Rng& rng, double scale) {
  Network n = to_double(base);
  for (auto& x : n.w) x += scale * rng.normal();
  for (auto& a : n.a) a += scale * rng.normal();
  return to_exact(n);
}

}  // namespace

TEST_CASE("robust bound: formula helpers") {
  OneInThreeFormula f;
  f.num_vars = 3;
  f.clauses.push_back({Lit(1), Lit(2), Lit(3)});
  f.clauses.push_back({Lit(1), Lit(-1), Lit(2)});
  CHECK(max_occurrence(f) == 3);           // variable 1 occupies three positions
  CHECK(min_violated_bruteforce(f) == 0);  // x1 = 0... R(1,-1,2): T = 1 + x2 -> x2 = 0; then R(1,2,3): x3 = 1
  // τ²·V/max(1, B, V/R)
  CHECK(sat2_robust_bound(Rational(1, 2), 3, 4, 6) == Rational(1, 4) * 6 / 3);
  CHECK(sat2_robust_bound(Rational(1, 2), 3, 1, 6) == Rational(1, 4));  // V/R = 6 dominates
  CHECK(sat2_robust_bound(Rational(1, 2), 0, 4, 0) == 0);
}

TEST_CASE("robust bound holds for lifts of every assignment and for perturbed certificates") {
  Rng rng(11);
  for (int rep = 0; rep < 4; ++rep) {
    auto f = random_formula(rng, 7, 9);
    Sat2Reduction r(SatChain(f, false));
    for (std::uint64_t code = 0; code < (1U << f.num_vars); code += 5) {
      Assignment a(f.num_vars);
      for (std::uint32_t v = 0; v < f.num_vars; ++v) a[Var(v)] = (code >> v) & 1U;
      auto net = r.lift_target(a);
      auto chk = sat2_robust_check(r, net);
      CHECK(chk.holds);
      CHECK(chk.violated[0] == f.num_violated(a));
      CHECK(chk.loss == r.lifted_loss(a));
      for (double s : {0.01, 0.05, 0.3}) CHECK(sat2_robust_check(r, perturbed(net, rng, s * r.tau().get_d())).holds);
    }
  }
}

TEST_CASE("robust bound holds for random networks of one and two units, any signs") {
  Rng rng(12);
  auto f = random_formula(rng, 8, 12);
  Sat2Reduction r(SatChain(f, false));
  for (int k = 0; k < 200; ++k) {
    const std::size_t units = 1 + static_cast<std::size_t>(k % 2);
    Network n(units, r.data().dim);
    const double scale = (k % 4 == 0) ? 1.0 : r.tau().get_d();
    for (auto& x : n.w) x = scale * rng.normal();
    for (auto& a : n.a) a = rng.normal();
    CHECK(sat2_robust_check(r, to_exact(n)).holds);
  }
  CHECK_THROWS_AS((void)sat2_robust_check(r, ExactNetwork(3, r.data().dim)), relugap::Failure);
}

TEST_CASE("NO formulas: every gd network respects the robust lower bound; YES formulas reach ~0") {
  Rng rng(13);
  int no_seen = 0, yes_seen = 0;
  for (int rep = 0; rep < 12 && (no_seen < 2 || yes_seen < 1); ++rep) {
    auto f =
        rep % 3 == 0 ? planted_formula(rng, 8, 10) : random_formula(rng, 8, 10 + static_cast<std::uint32_t>(rep % 3));
    const std::size_t vmin = min_violated_bruteforce(f);
    Sat2Reduction r(SatChain(f, false));
    const Rational lb = sat2_robust_lower_bound(r, vmin);
    if (vmin == 0) {
      if (yes_seen >= 1) continue;
      ++yes_seen;
      CHECK(lb == 0);
    } else {
      if (no_seen >= 2) continue;
      ++no_seen;
      CHECK(lb > 0);
    }
    TrainOptions o;
    o.units = 2;
    o.seed = static_cast<std::uint64_t>(rep);
    o.gd.starts = 6;
    o.gd.max_iters = 2000;
    auto res = train(to_double(r.data()), TrainAlgo::kGd, o);
    auto net = to_exact(res.net);
    auto chk = sat2_robust_check(r, net);
    CHECK(chk.holds);
    CHECK(chk.loss >= lb);
    auto u = sat2_unit_ball(r, vmin);
    REQUIRE(u.no_lower);
    CHECK(*u.no_lower == lb / Rational(static_cast<unsigned long>(u.m)));
    CHECK(u.m == 2 * (r.R().get_ui() + f.num_vars + f.num_clauses()));
  }
  CHECK(no_seen == 2);
  CHECK(yes_seen == 1);
}
