// Max-2Lin(2) / Max-Cut -> one ReLU in the unit ball (reductions/maxcut/maxcut_to_relu.hpp):
// the loss identity, the norm formula ‖Σσx‖² = 4 sat/D on irregular graphs,
// the max-Q formula against enumeration, the YES/NO bounds against every
// network the gd trainer finds, the certificate and the decoding lemma.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "instances/core/rng.hpp"
#include "instances/gen/gen_maxcut.hpp"
#include "instances/problems/lin2.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/maxcut/eps_common.hpp"
#include "reductions/maxcut/maxcut_to_relu.hpp"
#include "solvers/relu/trainer.hpp"
#include "solvers/source/max2lin.hpp"
#include "solvers/source/spectral_bound.hpp"

using namespace relugap;

namespace {

/// A random multigraph instance with irregular degrees and parallel constraints.
Lin2Instance random_instance(Rng& rng, std::uint32_t n, std::uint32_t m) {
  Lin2Instance inst;
  inst.n = n;
  for (std::uint32_t e = 0; e < m; ++e) {
    auto t = static_cast<std::uint32_t>(rng.below(n));
    auto h = static_cast<std::uint32_t>(rng.below(n - 1));
    if (h >= t) ++h;
    inst.cons.push_back({Vertex(t), Vertex(h), rng.bernoulli(0.5) ? 1 : -1});
  }
  return inst;
}

VertexSigns sigma_of(std::uint64_t code, std::uint32_t n) {
  VertexSigns s(n);
  for (Vertex v : s.indices()) s[v] = (code >> v.value()) & 1U;
  return s;
}

ExactNetwork random_net(Rng& rng, std::size_t d, double a = 1.0) {
  Network net(1, d);
  for (auto& x : net.w) x = rng.normal();
  net.a[0] = a;
  return to_exact(net);
}

/// Effective unit a·w of a one-unit network (a > 0 assumed by callers).
Rational norm2_eff(const ExactNetwork& net) {
  Rational s = 0;
  for (const auto& x : net.w) s += x * x;
  return s * net.a[0] * net.a[0];
}

}  // namespace

TEST_CASE("lin2 format: round trip and errors with line numbers") {
  Rng rng(1);
  auto inst = random_instance(rng, 7, 12);
  auto back = parse_lin2(format_lin2(inst, "hello\nworld"), "mem");
  REQUIRE(back.ok());
  CHECK(back.value().n == 7);
  REQUIRE(back.value().cons.size() == 12);
  for (std::size_t e = 0; e < 12; ++e) {
    CHECK(back.value().cons[e].t == inst.cons[e].t);
    CHECK(back.value().cons[e].h == inst.cons[e].h);
    CHECK(back.value().cons[e].b == inst.cons[e].b);
  }
  CHECK(looks_like_lin2("c x\n\np lin2 3 1\ne 1 2 1\n"));
  CHECK(!looks_like_lin2("p edge 3 1\ne 1 2\n"));
  auto bad_sign = parse_lin2("p lin2 3 1\ne 1 2 0\n", "f.lin2");
  REQUIRE(!bad_sign.ok());
  CHECK(bad_sign.error().message() == "f.lin2:2: sign '0' must be 1 or -1");
  auto loop = parse_lin2("c\np lin2 3 1\ne 2 2 1\n", "f.lin2");
  REQUIRE(!loop.ok());
  CHECK(loop.error().id == "lin2.self_loop");
  CHECK(loop.error().line == 3);
  auto count = parse_lin2("p lin2 3 2\ne 1 2 1\n", "f.lin2");
  REQUIRE(!count.ok());
  CHECK(count.error().id == "lin2.count");
  auto range = parse_lin2("p lin2 3 1\ne 1 4 1\n", "f.lin2");
  REQUIRE(!range.ok());
  CHECK(range.error().id == "lin2.vertex_range");
}

TEST_CASE("loss identity T = 2n - 2Q + P holds exactly for random w (any scale)") {
  Rng rng(2);
  for (int rep = 0; rep < 10; ++rep) {
    auto inst = random_instance(rng, 6 + static_cast<std::uint32_t>(rep % 4), 14);
    MaxCutReduction r(inst);
    CHECK(r.data().samples() == 2 * inst.n);
    CHECK(r.data().dim == inst.cons.size());
    for (int k = 0; k < 5; ++k) {
      auto net = random_net(rng, r.data().dim);
      auto parts = r.loss_parts(net);
      CHECK(exact_loss(r.data(), net) == parts.total);
      CHECK(parts.P * Rational(inst.n) >= parts.Q * parts.Q);  // P >= Q²/n
      // P <= P_max·‖w‖² (Gershgorin bound on the Gram matrix)
      CHECK(parts.P <= r.P_max() * parts.norm2);
    }
  }
}

TEST_CASE("every sample lies in the unit ball; D is the smallest square >= max degree") {
  Rng rng(3);
  auto inst = random_instance(rng, 8, 20);
  MaxCutReduction r(inst);
  const auto md = inst.max_degree();
  CHECK(r.k() * r.k() == r.D());
  CHECK(r.D() >= md);
  CHECK((r.k() - 1) * (r.k() - 1) < md);
  for (std::size_t i = 0; i < r.data().samples(); ++i) {
    Rational s = 0;
    for (const auto& v : r.data().row_vals(SampleId(static_cast<std::uint32_t>(i)))) s += v * v;
    CHECK(s <= 1);
    CHECK(r.data().y[i] == 1);
    CHECK(r.data().c[i] == 1);
  }
  MaxCutReduction r2(inst, 30);  // explicit bound 30 -> D = 36
  CHECK(r2.D() == 36);
  CHECK_THROWS_AS(MaxCutReduction(inst, md - 1), Failure);
}

TEST_CASE("||sum sigma_v x_v||^2 = 4 sat(sigma)/D for every sigma, irregular graphs with parallel edges") {
  Rng rng(4);
  for (int rep = 0; rep < 6; ++rep) {
    auto inst = random_instance(rng, 8, 15);
    MaxCutReduction r(inst);
    for (std::uint64_t code = 0; code < (1U << inst.n); ++code) {
      auto s = sigma_of(code, inst.n);
      CHECK(r.sigma_norm2(s) == exact_ratio(4 * static_cast<long>(inst.satisfied(s)), r.D()));
    }
  }
}

TEST_CASE("max over ||w|| <= 1 of Q equals 2 sqrt(SAT*/D): enumeration, exact") {
  Rng rng(5);
  for (int rep = 0; rep < 8; ++rep) {
    auto inst = random_instance(rng, 9, 16);
    MaxCutReduction r(inst);
    auto ex = max2lin_exact(inst);
    // brute force agrees with the Gray-code solver
    std::size_t best = 0;
    for (std::uint64_t code = 0; code < (1U << inst.n); ++code)
      best = std::max(best, inst.satisfied(sigma_of(code, inst.n)));
    CHECK(ex.lower == best);
    CHECK(inst.satisfied(ex.sigma) == best);
    const Rational sat(static_cast<unsigned long>(best));
    // Upper side: Q(w)² <= 4 SAT*·‖w‖²/D for random w (Cauchy–Schwarz over σ).
    for (int k = 0; k < 20; ++k) {
      auto net = random_net(rng, r.data().dim);
      auto p = r.loss_parts(net);
      CHECK(p.Q * p.Q * r.D() <= 4 * sat * p.norm2);
    }
    // Attained: u* = Σ σ*_v x_v has Q(u*) = ‖u*‖² exactly (so Q(u*/‖u*‖) = ‖u*‖ = 2√(SAT*/D)).
    ExactNetwork u(1, r.data().dim);
    for (std::size_t e = 0; e < inst.cons.size(); ++e) {
      const auto& c = inst.cons[e];
      u.w[e] = exact_ratio(ex.sigma.sign(c.t) + c.b * ex.sigma.sign(c.h), r.k());
    }
    auto pu = r.loss_parts(u);
    CHECK(pu.norm2 == 4 * sat / r.D());
    CHECK(pu.Q == pu.norm2);
  }
}

TEST_CASE("certificate: ||w|| <= 1 and exact loss <= the stated upper bound, for every sigma") {
  Rng rng(6);
  for (int rep = 0; rep < 4; ++rep) {
    auto inst = random_instance(rng, 7, 12);
    MaxCutReduction r(inst);
    for (std::uint64_t code = 0; code < (1U << inst.n); code += 3) {
      auto s = sigma_of(code, inst.n);
      auto net = r.lift(s);
      const Rational sat(static_cast<unsigned long>(inst.satisfied(s)));
      CHECK(norm2_eff(net) <= 1);
      CHECK(exact_loss(r.data(), net) <= r.total_upper(sat));
      // decoding the certificate recovers an assignment at least as good (lemma)
      auto dc = r.decode_check(net);
      CHECK(dc.lemma_holds);
      if (sat > 0) CHECK(dc.source_value >= sat);
    }
  }
}

TEST_CASE("bounds(): total-loss statement, consistency and argument checks") {
  Rng rng(7);
  auto inst = random_instance(rng, 10, 18);
  MaxCutReduction r(inst);
  auto ex = max2lin_exact(inst);
  auto b = r.bounds(Rational(static_cast<unsigned long>(ex.lower)));
  REQUIRE(b.loss_lower);
  REQUIRE(b.loss_upper);
  CHECK(*b.loss_lower <= *b.loss_upper);
  CHECK(*b.loss_upper <= 2 * Rational(inst.n));
  // the certificate of the optimum meets the upper bound
  CHECK(exact_loss(r.data(), r.lift(ex.sigma)) <= *b.loss_upper);
  // the lower bound is below the true value 2n − 4√(SAT*/D) + 4SAT*/(Dn) (checked in double)
  const double n = inst.n, q = 2 * std::sqrt(static_cast<double>(ex.lower) / r.D());
  CHECK(b.loss_lower->get_d() <= 2 * n - 2 * q + q * q / n + 1e-12);
  CHECK(b.loss_upper->get_d() >= std::min(2 * n, 2 * n - 2 * q + r.P_max().get_d()) - 1e-12);
  CHECK(b.constants.at("D") == r.D());
  CHECK_THROWS_AS((void)r.bounds(Rational(1, 2)), relugap::Failure);
  CHECK_THROWS_AS((void)r.bounds(Rational(static_cast<unsigned long>(inst.cons.size() + 1))), relugap::Failure);
  auto nb = r.bounds(std::nullopt);
  CHECK(!nb.loss_lower);
  CHECK(!nb.loss_upper);
}

TEST_CASE("sqrt_bounds: exact squares and tight brackets") {
  auto a = sqrt_bounds(Rational(9, 4));
  CHECK(a.exact);
  CHECK(a.lo == Rational(3, 2));
  CHECK(a.hi == Rational(3, 2));
  auto b = sqrt_bounds(Rational(2));
  CHECK(!b.exact);
  CHECK(b.lo * b.lo < 2);
  CHECK(b.hi * b.hi > 2);
  CHECK(b.hi - b.lo < Rational(1, 1000000000));
  // monotone lower bound
  CHECK(sqrt_bounds(Rational(17)).lo <= sqrt_bounds(Rational(18)).lo);
}

TEST_CASE("certified spectral bound: above the true eigenvalue, and tight") {
  // K_6: λ_max = 5.
  const std::size_t n = 6;
  std::vector<std::int64_t> A(n * n, 1);
  for (std::size_t i = 0; i < n; ++i) A[i * n + i] = 0;
  auto sb = certify_lambda_max(A, n);
  CHECK(sb.upper >= 5);
  CHECK(sb.upper < Rational(50001, 10000));
  // the 6-cycle: λ_max = 2
  std::vector<std::int64_t> C(n * n, 0);
  for (std::size_t i = 0; i < n; ++i) C[i * n + (i + 1) % n] = C[((i + 1) % n) * n + i] = 1;
  auto sc = certify_lambda_max(C, n);
  CHECK(sc.upper >= 2);
  CHECK(sc.upper < Rational(20001, 10000));
  std::vector<std::int64_t> bad = C;
  bad[1] = 5;
  CHECK_THROWS_AS(certify_lambda_max(bad, n), relugap::Failure);
}

TEST_CASE("spectral upper bound and local search bracket the exact optimum") {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    Lin2GenParams p;
    p.vertices = 16;
    p.degree = 5 + static_cast<std::uint32_t>(seed % 2);
    auto g = generate_lin2(p, seed);
    REQUIRE(g.ok());
    const auto& inst = g.value().inst;
    auto ex = max2lin_exact(inst);
    auto ls = max2lin_local_search(inst, seed);
    CHECK(ls.lower <= ex.lower);
    CHECK(inst.satisfied(ls.sigma) == ls.lower);
    CHECK(max2lin_spectral_upper(inst) >= ex.lower);
  }
}

TEST_CASE("local search and max2lin_solve respect a time limit and still return valid bounds") {
  Lin2GenParams p;
  p.vertices = 200;
  p.degree = 5;
  auto g = generate_lin2(p, 3);
  REQUIRE(g.ok());
  const auto& inst = g.value().inst;
  // A spent limit: one restart runs to its end (a valid σ), no other starts, no eigenvalue bound.
  auto ls = max2lin_local_search(inst, 3, 64, 0.0);
  CHECK(ls.method.find("1 of 64 restarts before the time limit") != std::string::npos);
  CHECK(inst.satisfied(ls.sigma) == ls.lower);
  auto full = max2lin_local_search(inst, 3);
  CHECK(full.method.find("time limit") == std::string::npos);
  CHECK(full.lower >= ls.lower);  // restart 1 is the same descent in both
  auto r = max2lin_solve(inst, 3, 24, 0.0);
  CHECK(r.upper == inst.cons.size());
  CHECK(r.method.find("time limit reached before the eigenvalue bound") != std::string::npos);
  CHECK(inst.satisfied(r.sigma) == r.lower);
  auto unlimited = max2lin_solve(inst, 3, 24);
  CHECK(unlimited.upper < inst.cons.size());  // the eigenvalue bound ran
  CHECK(unlimited.upper >= unlimited.lower);
}

TEST_CASE("generators: regular, deterministic, planted value as promised") {
  for (bool cut : {false, true}) {
    Lin2GenParams p;
    p.vertices = 20;
    p.degree = 4;
    p.planted = true;
    p.c = Rational(9, 10);
    p.cut = cut;
    auto g1 = generate_lin2(p, 42);
    auto g2 = generate_lin2(p, 42);
    REQUIRE(g1.ok());
    REQUIRE(g2.ok());
    const auto& a = g1.value();
    CHECK(format_lin2(a.inst) == format_lin2(g2.value().inst));
    for (auto d : a.inst.degrees()) CHECK(d == 4);
    CHECK(a.inst.cons.size() == 40);
    REQUIRE(a.planted);
    CHECK(a.inst.satisfied(*a.planted) == a.planted_sat);
    CHECK(Rational(static_cast<unsigned long>(a.planted_sat)) >= Rational(9, 10) * 40);
    if (cut) CHECK(a.inst.is_maxcut());
    // simple graph: no repeated pair
    std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (const auto& c : a.inst.cons) CHECK(pairs.insert({c.t.value(), c.h.value()}).second);
    // the planted assignment survives the comment round trip
    auto back = read_planted_sigma(format_lin2(a.inst, provenance_comment(a)), "mem", a.inst.n);
    REQUIRE(back);
    CHECK(*back == *a.planted);
  }
  Lin2GenParams bad;
  bad.vertices = 5;
  bad.degree = 3;  // n·D odd
  CHECK(!generate_lin2(bad, 1).ok());
}

TEST_CASE("YES/NO bounds hold for every network the gd trainer finds; decoding lemma holds") {
  // n = 16, D = 9: YES planted (c = 1), NO random signs; SAT* exact by enumeration.
  for (std::uint64_t seed = 1; seed <= 2; ++seed) {
    for (bool planted : {true, false}) {
      Lin2GenParams p;
      p.vertices = 16;
      p.degree = 9;
      p.planted = planted;
      auto g = generate_lin2(p, seed);
      REQUIRE(g.ok());
      MaxCutReduction r(g.value().inst);
      auto ex = max2lin_exact(g.value().inst);
      const Rational sat(static_cast<unsigned long>(ex.lower));
      if (planted) CHECK(ex.lower == r.M());
      auto b = r.bounds(sat);
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
      // lower bound for networks of norm ‖a w‖ (the trainer's projection may exceed 1 by rounding):
      // T >= 2n − 2q + q²/n with q >= ‖aw‖·2√(SAT*/D).
      if (net.a[0] > 0) {
        const Rational q = sqrt_bounds(norm2_eff(net) * 4 * sat / r.D()).hi;
        const Rational n(r.n());
        const Rational qq = q < n ? q : n;
        CHECK(L >= 2 * n - 2 * qq + qq * qq / n);
        if (norm2_eff(net) <= 1) CHECK(L >= *b.loss_lower);
      } else {
        CHECK(L >= 2 * Rational(r.n()));
      }
      auto dc = r.decode_check(res.net);
      CHECK(dc.lemma_holds);
      CHECK(dc.loss == L);
      // the certificate beats the upper bound
      CHECK(exact_loss(r.data(), r.lift(ex.sigma)) <= *b.loss_upper);
    }
  }
}

TEST_CASE("decoding lemma on random networks, including negative output weights") {
  Rng rng(8);
  auto inst = random_instance(rng, 12, 30);
  MaxCutReduction r(inst);
  for (int k = 0; k < 40; ++k) {
    auto net = random_net(rng, r.data().dim, k % 3 == 0 ? -0.5 : 2.0);
    auto dc = r.decode_check(net);
    CHECK(dc.lemma_holds);
    CHECK(dc.solution_valid);
  }
  CHECK_THROWS_AS((void)r.decode_check(Network(2, r.data().dim)), relugap::Failure);
  CHECK_THROWS_AS((void)r.decode_check(Network(1, r.data().dim + 1)), relugap::Failure);
}

TEST_CASE("unit_ball block: thresholds, monotonicity and the epsilon formula") {
  Lin2GenParams p;
  p.vertices = 64;
  p.degree = 9;
  auto g = generate_lin2(p, 3);
  REQUIRE(g.ok());
  MaxCutReduction r(g.value().inst);
  auto u = r.unit_ball(Rational(1), Rational(3, 4));
  REQUIRE(u.yes_upper);
  REQUIRE(u.no_lower);
  CHECK(u.m == 128);
  CHECK(u.d == 288);
  CHECK(*u.epsilon() == *u.no_lower - *u.yes_upper);
  // closed form for regular graphs: ε = √2(√c − √s)/√n − (P_max − 2s)/(2n) up to the rational rounding
  const double n = 64, c = 1, s = 0.75;
  const double formula = std::sqrt(2.0) * (std::sqrt(c) - std::sqrt(s)) / std::sqrt(n) - (2 - 2 * s) / (2 * n);
  CHECK(u.epsilon()->get_d() == doctest::Approx(formula).epsilon(1e-9));
  auto j = to_json(u);
  CHECK(j["m"] == 128);
  CHECK(j["exact"]["epsilon"].is_string());
  auto u2 = r.unit_ball(std::nullopt, Rational(3, 4));
  CHECK(!u2.yes_upper);
  CHECK(to_json(u2)["epsilon"].is_null());
}

TEST_CASE("first-moment bound for random signs: monotone, trivial at s = 1/2, small for large s") {
  // n = 128, D = 9: M = 576.
  const double half = max2lin_first_moment(128, 576, 288);
  CHECK(half >= 1.0);
  double prev = half;
  for (std::uint64_t t = 300; t <= 576; t += 12) {
    const double p = max2lin_first_moment(128, 576, t);
    CHECK(p <= prev);
    prev = p;
  }
  // s = 0.8 is already excluded w.h.p. for every 9-regular graph with independent uniform signs
  CHECK(max2lin_first_moment(128, 576, 461) < 1e-3);
  CHECK(max2lin_first_moment(128, 576, 577) == 0.0);
}
