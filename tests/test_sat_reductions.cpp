// sat1 / sat2 / satk: certificates in exact arithmetic (zero loss iff solution),
// the decoding lemmas on certificates, perturbations and locally optimised
// networks, and the SATLIB instances end to end.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "instances/io/io.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/sat/sat_to_relu.hpp"
#include "sat_test_util.hpp"
#include "solvers/source/sat_cadical.hpp"

using namespace relugap;
using namespace relugap::test;

namespace {

/// Full-batch gradient descent on all weights (w and a) with backtracking
/// line search, in double. Returns the final network.
Network descend(const TrainingSet& d, Network net, int iters) {
  const std::size_t k = net.units(), dim = net.dim;
  double cur = loss(d, net);
  double step = 0.05;
  std::vector<double> gw(net.w.size()), ga(k);
  for (int it = 0; it < iters; ++it) {
    std::fill(gw.begin(), gw.end(), 0.0);
    std::fill(ga.begin(), ga.end(), 0.0);
    for (std::size_t i = 0; i < d.samples(); ++i) {
      auto cols = d.row_cols(SampleId(static_cast<std::uint32_t>(i)));
      auto vals = d.row_vals(SampleId(static_cast<std::uint32_t>(i)));
      std::vector<double> z(k, 0.0);
      double f = 0;
      for (std::size_t j = 0; j < k; ++j) {
        for (std::size_t t = 0; t < cols.size(); ++t) z[j] += net.w[j * dim + cols[t].idx()] * vals[t];
        if (z[j] > 0) f += net.a[j] * z[j];
      }
      const double g = 2 * d.c[i] * (f - d.y[i]);
      for (std::size_t j = 0; j < k; ++j) {
        if (z[j] <= 0) continue;
        ga[j] += g * z[j];
        for (std::size_t t = 0; t < cols.size(); ++t) gw[j * dim + cols[t].idx()] += g * net.a[j] * vals[t];
      }
    }
    double g2 = 0;
    for (double x : gw) g2 += x * x;
    for (double x : ga) g2 += x * x;
    if (g2 < 1e-24) break;
    step *= 2;
    while (step > 1e-12) {
      Network trial = net;
      for (std::size_t t = 0; t < gw.size(); ++t) trial.w[t] -= step * gw[t];
      for (std::size_t j = 0; j < k; ++j) trial.a[j] -= step * ga[j];
      const double l = loss(d, trial);
      if (l <= cur - 1e-4 * step * g2) {
        net = std::move(trial);
        cur = l;
        break;
      }
      step /= 2;
    }
    if (step <= 1e-12) break;
  }
  return net;
}

Network random_net(Rng& rng, std::size_t k, std::size_t dim, double scale) {
  Network n(k, dim);
  for (auto& w : n.w) w = scale * rng.normal();
  for (auto& a : n.a) a = rng.bernoulli(0.8) ? 1.0 : -1.0;
  return n;
}

std::vector<Cnf> small_unsat_cnfs() {
  std::vector<Cnf> out;
  Cnf a;
  a.num_vars = 1;
  a.clauses = {{Lit(1)}, {Lit(-1)}};
  out.push_back(a);
  Cnf b;
  b.num_vars = 2;
  b.clauses = {{Lit(1), Lit(2)}, {Lit(1), Lit(-2)}, {Lit(-1), Lit(2)}, {Lit(-1), Lit(-2)}};
  out.push_back(b);
  Cnf c;
  c.num_vars = 2;
  c.clauses = {{Lit(1)}, {Lit(-1), Lit(2)}, {Lit(-2)}};
  out.push_back(c);
  return out;
}

std::vector<OneInThreeFormula> small_unsat_one_in_three() {
  std::vector<OneInThreeFormula> out;
  OneInThreeFormula a;  // R(x,y,z), R(¬x,¬y,¬z): one of x,y,z true and one false: impossible
  a.num_vars = 3;
  a.clauses = {{Lit(1), Lit(2), Lit(3)}, {Lit(-1), Lit(-2), Lit(-3)}};
  out.push_back(a);
  OneInThreeFormula b;  // R(x,x,x)
  b.num_vars = 1;
  b.clauses = {{Lit(1), Lit(1), Lit(1)}};
  out.push_back(b);
  OneInThreeFormula c;  // R(x,y,y), R(¬x,y,y)
  c.num_vars = 2;
  c.clauses = {{Lit(1), Lit(2), Lit(2)}, {Lit(-1), Lit(2), Lit(2)}};
  out.push_back(c);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// satk

TEST_CASE("satk: certificate loss is exactly 0 iff the assignment is a positive 1-in-3 solution (k = 2, 3, 4)") {
  Rng rng(5);
  std::size_t formulas = 0, zero = 0, positive_loss = 0;
  for (int trial = 0; trial < 90; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(1, 4));
    auto f = random_one_in_three(rng, n, static_cast<std::size_t>(rng.between(1, 3)), true);
    const std::size_t k = 2 + static_cast<std::size_t>(trial % 3);
    SatKReduction r(SatChain(f, true), k);
    REQUIRE(r.N() == n);  // already positive: no complements
    CAPTURE(to_string(f));
    CAPTURE(k);
    ++formulas;
    for (std::uint64_t m = 0; m < (1ULL << n); ++m) {
      auto s = bits(m, n);
      auto net = r.lift_target(s);
      const Rational l = exact_loss(r.data(), net);
      CHECK(l == r.lifted_loss(s));
      CHECK((l == 0) == f.satisfied_by(s));
      if (f.satisfied_by(s)) {
        ++zero;
        CHECK(r.decode_target(net) == s);
        auto d = r.decode_check(net);
        CHECK(d.lemma_holds);
        CHECK(d.source_value == 1);
      } else {
        ++positive_loss;
        CHECK(l >= 1);
      }
    }
  }
  MESSAGE(formulas << " formulas, " << zero << " zero-loss certificates, " << positive_loss << " with loss >= 1");
  CHECK(zero > 0);
  CHECK(positive_loss > 0);
}

TEST_CASE("satk: sample counts, Q, and the intended network fits every P1/P2 sample for any assignment") {
  OneInThreeFormula f;
  f.num_vars = 3;
  f.clauses = {{Lit(1), Lit(2), Lit(3)}};
  for (std::size_t k : {2, 3, 5}) {
    SatKReduction r(SatChain(f, true), k);
    const auto p = r.part_sizes();
    CHECK(r.Q() == 2 * k + 4);
    CHECK(p[0] == 4 * (k + 1) * 4);
    CHECK(p[1] == 3 * (k - 2) * (2 * k + 1));
    CHECK(p[2] == 2);
    CHECK(r.data().dim == 8);
    for (std::uint64_t m = 0; m < 8; ++m) {
      auto net = r.lift_target(bits(m, 3));
      for (std::size_t i = 0; i < p[0] + p[1]; ++i) {
        CHECK(predict(r.data(), SampleId(static_cast<std::uint32_t>(i)), net) == r.data().y[i]);
      }
    }
  }
}

TEST_CASE("satk: symmetries of a zero-loss network keep loss 0 and decoding") {
  Rng rng(77);
  OneInThreeFormula f;
  f.num_vars = 4;
  f.clauses = {{Lit(1), Lit(2), Lit(3)}, {Lit(1), Lit(2), Lit(4)}, {Lit(1), Lit(4), Lit(4)}};
  REQUIRE(f.satisfied_by({true, false, false, false}));
  for (std::size_t k : {2, 3, 4}) {
    SatKReduction r(SatChain(f, true), k);
    auto net = r.lift_target({true, false, false, false});
    REQUIRE(exact_loss(r.data(), net) == 0);
    for (int rep = 0; rep < 10; ++rep) {
      // permute the units and rescale each: (w_j, a_j) -> (c_j w_j, a_j / c_j)
      std::vector<std::size_t> perm(k);
      for (std::size_t j = 0; j < k; ++j) perm[j] = j;
      rng.shuffle(perm);
      ExactNetwork g(k, net.dim);
      for (std::size_t j = 0; j < k; ++j) {
        Rational c(rng.between(1, 9), rng.between(1, 9));
        for (std::size_t t = 0; t < net.dim; ++t)
          g.weight(UnitId(static_cast<std::uint32_t>(perm[j])), Feature(static_cast<std::uint32_t>(t))) =
              c * net.weight(UnitId(static_cast<std::uint32_t>(j)), Feature(static_cast<std::uint32_t>(t)));
        g.a[perm[j]] = net.a[j] / c;
      }
      CHECK(exact_loss(r.data(), g) == 0);
      auto d = r.decode_check(g);
      CHECK(d.lemma_holds);
      CHECK(d.source_value == 1);
      CHECK(r.decode_target(g) == Assignment{true, false, false, false});
    }
  }
}

TEST_CASE("satk: P2 is what rules out other permutations (k = 3, block permutation (2 3))") {
  OneInThreeFormula f;
  f.num_vars = 1;
  f.clauses = {{Lit(1), Lit(1), Lit(1)}};  // irrelevant here; the P1/P2 parts are what we look at
  SatKReduction r(SatChain(f, true), 3);
  auto net = r.lift_target({false});
  // variable 0's block: units 2 and 3 swap their kinks (π = (2 3))
  net.weight(UnitId(1), Feature(SatKReduction::coord_A(1))) = -3;
  net.weight(UnitId(2), Feature(SatKReduction::coord_A(1))) = -2;
  const auto p = r.part_sizes();
  Rational p1 = 0, p2 = 0;
  for (std::size_t i = 0; i < p[0] + p[1]; ++i) {
    Rational e = predict(r.data(), SampleId(static_cast<std::uint32_t>(i)), net) - r.data().y[i];
    (i < p[0] ? p1 : p2) += e * e;
  }
  CHECK(p1 == 0);  // P1 alone cannot see the permutation
  CHECK(p2 > 0);   // P2 does
}

TEST_CASE("satk: rejects k < 2 and a non-positive chain") {
  OneInThreeFormula f;
  f.num_vars = 2;
  f.clauses = {{Lit(1), Lit(-2), Lit(2)}};
  CHECK_THROWS_AS(SatKReduction(SatChain(f, true), 1), relugap::Failure);
  CHECK_THROWS_AS(SatKReduction(SatChain(f, false), 2), relugap::Failure);
}

TEST_CASE("satk through the whole chain: lifted CNF solutions fit exactly, non-solutions do not") {
  Rng rng(8);
  const auto cl = all_clauses(3);
  for (int trial = 0; trial < 40; ++trial) {
    Cnf f;
    f.num_vars = 3;
    for (int c = 0; c < 2; ++c) f.clauses.push_back(cl[rng.below(cl.size())]);
    const std::size_t k = 2 + static_cast<std::size_t>(trial % 2);
    SatKReduction r(f, k);
    for (std::uint64_t m = 0; m < 8; ++m) {
      auto a = bits(m, 3);
      auto net = r.lift(a);
      const Rational l = exact_loss(r.data(), net);
      CHECK((l == 0) == f.satisfied_by(a));
      if (l == 0) CHECK(f.satisfied_by(r.decode(net)));
    }
  }
}

// ---------------------------------------------------------------------------
// sat2

TEST_CASE("sat2: certificate loss 2 tau^2 sum (T-1)^2, exactly 0 iff solution; decode") {
  Rng rng(12);
  for (int trial = 0; trial < 150; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(1, 4));
    auto f = random_one_in_three(rng, n, static_cast<std::size_t>(rng.between(1, 3)), false);
    Sat2Reduction r(SatChain(f, false));
    CAPTURE(to_string(f));
    for (std::uint64_t m = 0; m < (1ULL << n); ++m) {
      auto s = bits(m, n);
      auto net = r.lift_target(s);
      const Rational l = exact_loss(r.data(), net);
      CHECK(l == r.lifted_loss(s));
      CHECK((l == 0) == f.satisfied_by(s));
      if (l == 0) {
        CHECK(r.decode_target(net) == s);
        CHECK(r.decode_check(net).lemma_holds);
      } else {
        CHECK(l >= 2 * r.tau() * r.tau());
      }
    }
  }
  OneInThreeFormula g;
  g.num_vars = 8;  // N + 1 = 9 -> tau = 1/3
  Sat2Reduction r(SatChain(g, false));
  CHECK(r.tau() == Rational(1, 3));
  CHECK(*r.gap() == Rational(1, 162));
}

TEST_CASE("sat2: robust decoding lemma on perturbed certificates and on locally optimised networks") {
  Rng rng(21);
  std::size_t below = 0, checked = 0;
  for (int trial = 0; trial < 40; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(2, 4));
    auto f = random_one_in_three(rng, n, static_cast<std::size_t>(rng.between(1, 3)), false);
    Sat2Reduction r(SatChain(f, false));
    const TrainingSet d = to_double(r.data());
    const double tau = r.tau().get_d();
    for (std::uint64_t m = 0; m < (1ULL << n); ++m) {
      auto s = bits(m, n);
      Network cert = to_double(r.lift_target(s));
      for (int rep = 0; rep < 3; ++rep) {
        Network p = cert;
        const double eps = tau * (rep == 0 ? 0.02 : rep == 1 ? 0.1 : 0.4);
        for (auto& w : p.w) w += eps * rng.normal();
        for (auto& a : p.a) a += eps * rng.normal();
        auto dc = r.decode_check(p);
        CHECK(dc.lemma_holds);
        ++checked;
        if (dc.loss < *r.gap()) ++below;
        // and a few steps of descent from there
        Network q = descend(d, p, 60);
        auto dq = r.decode_check(q);
        CHECK(dq.lemma_holds);
        ++checked;
        if (dq.loss < *r.gap()) ++below;
      }
    }
  }
  MESSAGE(checked << " networks checked, " << below << " below tau^2/18 (lemma active)");
  CHECK(below > 0);
}

TEST_CASE("sat2: on NO instances locally optimised 2-unit networks stay >= tau^2/18") {
  Rng rng(3);
  for (const auto& f : small_unsat_one_in_three()) {
    Sat2Reduction r(SatChain(f, false));
    const TrainingSet d = to_double(r.data());
    Rational best = -1;
    for (std::uint64_t m = 0; m < (1ULL << f.num_vars); ++m) {
      Network start = to_double(r.lift_target(bits(m, f.num_vars)));
      for (auto& w : start.w) w += 0.05 * rng.normal();
      Network q = descend(d, start, 400);
      auto dq = r.decode_check(q);
      CHECK(dq.lemma_holds);
      CHECK(dq.loss >= *r.gap());
      if (best < 0 || dq.loss < best) best = dq.loss;
    }
    for (int rep = 0; rep < 6; ++rep) {
      Network q = descend(d, random_net(rng, 2, r.data().dim, 0.5), 400);
      auto dq = r.decode_check(q);
      CHECK(dq.lemma_holds);
      CHECK(dq.loss >= *r.gap());
      if (dq.loss < best) best = dq.loss;
    }
    MESSAGE(to_string(f) << ": best local loss " << best.get_d() << " vs tau^2/18 = " << r.gap()->get_d());
  }
  for (const auto& f : small_unsat_cnfs()) {
    Sat2Reduction r(f);
    const TrainingSet d = to_double(r.data());
    for (int rep = 0; rep < 6; ++rep) {
      Network q = descend(d, random_net(rng, 2, r.data().dim, 0.5), 300);
      auto dq = r.decode_check(q);
      CHECK(dq.lemma_holds);
      CHECK(dq.loss >= *r.gap());
      CHECK(dq.source_value == 0);
    }
  }
}

// ---------------------------------------------------------------------------
// sat1

TEST_CASE("sat1: certificate loss N + R + 4 sum (T-1)^2; YES bound is exact") {
  Rng rng(4);
  for (int trial = 0; trial < 150; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(1, 4));
    auto f = random_one_in_three(rng, n, static_cast<std::size_t>(rng.between(1, 3)), false);
    Sat1Reduction r(SatChain(f, false));
    for (std::uint64_t m = 0; m < (1ULL << n); ++m) {
      auto s = bits(m, n);
      auto net = r.lift_target(s);
      const Rational l = exact_loss(r.data(), net);
      CHECK(l == r.lifted_loss(s));
      CHECK((l == r.yes_loss()) == f.satisfied_by(s));
      if (f.satisfied_by(s)) {
        CHECK(r.decode_target(net) == s);
        CHECK(l == *r.bounds(Rational(1)).loss_upper);
      } else {
        CHECK(l >= r.no_threshold());
      }
    }
  }
  Cnf c;
  c.num_vars = 3;
  c.clauses = {{Lit(1), Lit(2), Lit(3)}, {Lit(-1)}};
  Sat1Reduction r(c);
  CHECK(r.N() == 3 + 8);
  CHECK(r.M() == 6);
  CHECK(r.R() == 9);  // smallest square >= 6
  CHECK(r.yes_loss() == 20);
  CHECK(exact_loss(r.data(), r.lift({false, true, false})) == 20);
  CHECK_THROWS_AS(Sat1Reduction(c, mpz_class(5)), relugap::Failure);
  CHECK(Sat1Reduction(c, mpz_class(1)).yes_loss() == 12);
  auto b0 = r.bounds(Rational(0));
  CHECK(*b0.loss_lower == Rational(20) + Rational(1, 16));
  CHECK_FALSE(b0.loss_upper.has_value());
  CHECK_THROWS_AS((void)r.bounds(Rational(2)), relugap::Failure);
}

TEST_CASE("sat1: on NO instances locally optimised w always have L >= N + R + 1/16") {
  Rng rng(17);
  std::size_t runs = 0;
  Rational closest = -1;
  auto run = [&](const SatReduction& r, const Network& start) {
    const TrainingSet d = to_double(r.data());
    Network q = descend(d, start, 500);
    auto dq = r.decode_check(q);
    CHECK(dq.lemma_holds);
    CHECK(dq.loss >= *r.bounds(Rational(0)).loss_lower);
    Rational excess = dq.loss - *r.bounds(Rational(0)).loss_lower;
    if (closest < 0 || excess < closest) closest = excess;
    ++runs;
  };
  for (const auto& f : small_unsat_one_in_three()) {
    for (long R : {1L, 4L}) {
      Sat1Reduction r(SatChain(f, false), mpz_class(R));
      for (std::uint64_t m = 0; m < (1ULL << f.num_vars); ++m) {
        Network s = to_double(r.lift_target(bits(m, f.num_vars)));
        for (auto& w : s.w) w += 0.1 * rng.normal();
        run(r, s);
      }
      for (int rep = 0; rep < 5; ++rep) run(r, random_net(rng, 1, r.data().dim, 1.0));
    }
  }
  for (const auto& f : small_unsat_cnfs()) {
    Sat1Reduction r(f);
    for (int rep = 0; rep < 8; ++rep) {
      Network s = random_net(rng, 1, r.data().dim, 1.0);
      s.a[0] = 1;
      run(r, s);
    }
  }
  MESSAGE(runs << " local optimisations; smallest L - (N+R+1/16) = " << closest.get_d());
}

TEST_CASE("sat1: on YES instances locally optimised w below the threshold decode to solutions") {
  Rng rng(23);
  std::size_t below = 0, runs = 0;
  for (int trial = 0; trial < 30; ++trial) {
    Cnf f = random_cnf(rng, 3, 2, 3);
    Sat1Reduction r(f);
    const TrainingSet d = to_double(r.data());
    std::vector<Network> starts;
    for (std::uint64_t m = 0; m < 8; ++m) {
      // from noisy lifts of every assignment (solutions and non-solutions) and from random points
      Network s = to_double(r.lift(bits(m, 3)));
      for (auto& w : s.w) w += 0.3 * rng.normal();
      starts.push_back(s);
    }
    for (int rep = 0; rep < 2; ++rep) {
      Network s = random_net(rng, 1, r.data().dim, 1.0);
      s.a[0] = 1;
      starts.push_back(s);
    }
    for (const auto& s : starts) {
      Network q = descend(d, s, 200);
      auto dq = r.decode_check(q);
      CHECK(dq.lemma_holds);
      ++runs;
      if (dq.loss < r.no_threshold()) {
        ++below;
        CHECK(dq.source_value == 1);
        CHECK(f.satisfied_by(r.decode(q)));
      }
    }
  }
  MESSAGE(runs << " optimised networks, " << below << " below N+R+1/16 (all decoded to solutions)");
  CHECK(below > 0);
}

// ---------------------------------------------------------------------------
// SATLIB end to end

TEST_CASE("SATLIB uf20: exact zero-loss certificates for sat2 and satk (k = 2, 3); sat1 at N + R") {
  for (int i = 1; i <= 5; ++i) {
    const std::string path = std::string(RELUGAP_DATA) + "/sat/uf20-0" + std::to_string(i) + ".cnf";
    auto cnf = read_cnf(path);
    REQUIRE_MESSAGE(cnf.ok(), path);
    const Cnf& f = cnf.value();
    auto sol = solve_sat_cadical(f);
    REQUIRE(sol.status == SolveStatus::kOptimal);
    REQUIRE(f.satisfied_by(sol.assignment));
    CAPTURE(path);

    Sat2Reduction r2(f);
    auto c2 = r2.lift(sol.assignment);
    CHECK(exact_loss(r2.data(), c2) == 0);
    CHECK(f.satisfied_by(r2.decode(c2)));
    CHECK(r2.decode_check(c2).lemma_holds);

    for (std::size_t k : {2, 3}) {
      SatKReduction rk(f, k);
      auto ck = rk.lift(sol.assignment);
      CHECK(exact_loss(rk.data(), ck) == 0);
      CHECK(f.satisfied_by(rk.decode(ck)));
      auto d = rk.decode_check(ck);
      CHECK(d.lemma_holds);
      CHECK(d.source_value == 1);
    }

    Sat1Reduction r1(f);
    auto c1 = r1.lift(sol.assignment);
    CHECK(exact_loss(r1.data(), c1) == r1.yes_loss());
    CHECK(f.satisfied_by(r1.decode(c1)));
    // flipping a variable of a solution: the lifted network is a non-solution certificate
    auto bad = sol.assignment;
    for (std::size_t v = 0; v < bad.size() && f.satisfied_by(bad); ++v) {
      bad = sol.assignment;
      bad.flip(Var(static_cast<std::uint32_t>(v)));
    }
    if (!f.satisfied_by(bad)) {
      CHECK(exact_loss(r2.data(), r2.lift(bad)) > 0);
      CHECK(exact_loss(r1.data(), r1.lift(bad)) >= r1.no_threshold());
    }
  }
}

TEST_CASE("unit ball: the all-false lift has the largest unit norm; epsilon from the gap") {
  OneInThreeFormula f;
  f.num_vars = 4;
  f.clauses = {{Lit(1), Lit(2), Lit(3)}, {Lit(2), Lit(-4), Lit(1)}};
  auto max_norm2 = [](const ExactNetwork& n) {
    Rational best = 0;
    for (std::size_t j = 0; j < n.units(); ++j) {
      Rational s = 0;
      for (const auto& x : n.row(UnitId(static_cast<std::uint32_t>(j)))) s += x * x;
      if (s > best) best = s;
    }
    return best;
  };
  Sat1Reduction r1(SatChain(f, false));
  Sat2Reduction r2(SatChain(f, false));
  SatKReduction k2(SatChain(f, true), 2), k3(SatChain(f, true), 3), k4(SatChain(f, true), 4);
  for (const SatReduction* r : std::initializer_list<const SatReduction*>{&r1, &r2, &k2, &k3, &k4}) {
    const Rational top = max_norm2(r->lift_target(Assignment(r->N(), false)));
    for (std::uint64_t m = 0; m < (1ULL << f.num_vars); ++m) CHECK(max_norm2(r->lift(bits(m, f.num_vars))) <= top);
    auto u = sat_unit_ball(*r, std::nullopt);
    CHECK(u.m == fold_weights(r->data()).samples());
    CHECK(u.epsilon.has_value() == r->gap().has_value());
    if (u.epsilon) CHECK(*u.epsilon == *r->gap() / (Rational(u.m) * u.Y * u.Y));
  }
  // sat1: Y = sqrt(R) after folding the anchor pair
  auto u1 = sat_unit_ball(r1, std::nullopt);
  CHECK(u1.Y * u1.Y == Rational(r1.R()));
}
