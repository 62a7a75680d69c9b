// net: meets its guaranteed ε on planted realizable data, reports its budget, refuses
// combinatorial explosions, and is deterministic per seed and thread count.
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <vector>

#include "instances/problems/loss.hpp"
#include "solvers/relu/relu_kernel.hpp"
#include "solvers/relu/train_net.hpp"
#include "solvers/relu/trainer.hpp"
#include "train_fixtures.hpp"

using namespace relugap;

namespace {
double l1(const Network& n) {
  double s = 0;
  for (double a : n.a) s += std::abs(a);
  return s;
}
double max_row_norm(const Network& n) {
  double best = 0;
  for (std::size_t j = 0; j < n.units(); ++j) {
    double s = 0;
    for (std::size_t t = 0; t < n.dim; ++t) s += n.w[j * n.dim + t] * n.w[j * n.dim + t];
    best = std::max(best, std::sqrt(s));
  }
  return best;
}
}  // namespace

TEST_CASE("net meets its guaranteed epsilon on planted realizable data (k = 1, 2)") {
  for (std::size_t k : {1u, 2u}) {
    Rng rng(31 + k);
    const double B = 1.0;
    auto truth = relugap::test::planted_net(rng, k, 3, B);
    auto data = relugap::test::planted_set(rng, 150, 3, truth);
    TrainOptions o;
    o.units = k;
    o.constraints.output_l1 = B;
    o.net.epsilon = 0.02;
    o.threads = 2;
    auto r = train_net(data, o);
    CAPTURE(k);
    CAPTURE(r.message);
    REQUIRE(r.stats.epsilon_realizable);
    CHECK(*r.stats.epsilon_realizable <= 0.02 * (1 + 1e-9));
    CHECK(mean_loss(data, r.net) <= *r.stats.epsilon_realizable);
    CHECK(r.status == SolveStatus::kFeasible);
    CHECK(!r.lower_bound);
    // Proper: the output is in the class.
    CHECK(l1(r.net) <= B * (1 + 1e-9));
    CHECK(max_row_norm(r.net) <= 1 + 1e-9);
    CHECK(r.stats.candidates > 0);
    CHECK(r.loss == doctest::Approx(loss(data, r.net)).epsilon(1e-12));
  }
}

TEST_CASE("net with an explicit budget reports the epsilon it guarantees") {
  Rng rng(33);
  auto truth = relugap::test::planted_net(rng, 1, 4, 2.0);
  auto data = relugap::test::planted_set(rng, 100, 4, truth);
  TrainOptions o;
  o.units = 1;
  o.constraints.output_l1 = 2.0;
  o.net.r = 4;
  o.net.eta = 0.25;
  auto plan = plan_net(data, o);
  CHECK(plan.r == 4);
  CHECK(plan.eta == 0.25);
  // r = d: nothing outside V, so ε = B²R²λ_1η².
  CHECK(plan.eps_realizable == doctest::Approx(4.0 * plan.eigenvalues[0] * 0.0625));
  CHECK(plan.eps_agnostic == doctest::Approx(2 * std::sqrt(plan.eps_realizable) * (2.0 * plan.X + plan.Y)));
  auto r = train_net(data, o);
  CHECK(*r.stats.net_r == 4);
  CHECK(*r.stats.net_points == plan.points);
  CHECK(r.stats.candidates == plan.points);
  CHECK(mean_loss(data, r.net) <= plan.eps_realizable);
  // A smaller subspace costs the tail eigenvalue.
  o.net.r = 2;
  auto p2 = plan_net(data, o);
  CHECK(p2.eps_realizable == doctest::Approx(4.0 * (p2.eigenvalues[2] + p2.eigenvalues[0] * 0.0625)));
}

TEST_CASE("net refuses a combinatorial explosion unless forced") {
  Rng rng(34);
  auto data = relugap::test::random_set(rng, 20, 8, 1.0);
  TrainOptions o;
  o.units = 3;
  o.net.r = 8;
  o.net.eta = 0.2;
  CHECK_THROWS_WITH_AS(train_net(data, o), doctest::Contains("candidate"), relugap::Failure);
  o.net.r.reset();
  o.net.eta.reset();
  CHECK_THROWS_AS(train_net(data, o), relugap::Failure);  // no budget at all
  o.units = 2;
  o.net.r = 2;
  o.net.eta = 0.5;
  o.net.max_candidates = 3;
  CHECK_THROWS_AS(train_net(data, o), relugap::Failure);
  o.net.force = true;
  auto r = train_net(data, o);
  CHECK(r.stats.candidates > 3);
  // One unit streams its points in chunks: the candidate cap does not apply.
  o.units = 1;
  o.net.force = false;
  r = train_net(data, o);
  CHECK(r.stats.candidates > 3);
  CHECK(r.stats.net_complete);
}

TEST_CASE("net, one unit: streamed in chunks, same candidates as the plan; epsilon 0.1 on 40 samples runs") {
  Rng rng(37);
  auto truth = relugap::test::planted_net(rng, 1, 12, 1.0);
  auto data = relugap::test::planted_set(rng, 40, 12, truth);
  TrainOptions o;
  o.units = 1;
  o.net.epsilon = 0.1;
  o.net.max_candidates = 1000;  // the k >= 2 cap: below this plan's candidates
  o.threads = 2;
  const NetPlan plan = plan_net(data, o);
  CAPTURE(plan.candidates);
  CHECK(plan.candidates > 1000);
  auto r = train_net(data, o);
  CAPTURE(r.message);
  CHECK(r.stats.net_complete);
  CHECK(r.stats.candidates == plan.points);
  CHECK(mean_loss(data, r.net) <= plan.eps_realizable);
  o.threads = 1;
  auto r1 = train_net(data, o);
  CHECK(relugap::test::same_bytes(r.net, r1.net));
}

TEST_CASE("net fits its budget: to a work cap (deterministic) and to a time limit") {
  Rng rng(38);
  auto truth = relugap::test::planted_net(rng, 1, 6, 1.0);
  auto data = relugap::test::planted_set(rng, 80, 6, truth);
  TrainOptions o;
  o.units = 1;
  o.net.fit_time_limit = true;
  CHECK_THROWS_AS(train_net(data, o), relugap::Failure);  // neither a time limit nor a work cap
  o.net.max_work = 2e6;
  auto a = train_net(data, o);
  auto b = train_net(data, o);
  CAPTURE(a.message);
  CHECK(a.stats.net_complete);
  CHECK(relugap::test::same_bytes(a.net, b.net));
  CHECK(*a.stats.net_r == *b.stats.net_r);
  const auto pts = static_cast<double>(*a.stats.net_points);
  const auto rr = static_cast<double>(std::max<std::size_t>(*a.stats.net_r, 1));
  CHECK(pts * (80.0 * rr + 8) <= 2e6);
  CHECK(mean_loss(data, a.net) <= *a.stats.epsilon_realizable);
  // A larger cap: a finer budget, a smaller epsilon.
  o.net.max_work = 2e7;
  auto c = train_net(data, o);
  CHECK(*c.stats.epsilon_realizable <= *a.stats.epsilon_realizable);
  // Fitted to a time limit: complete, and the guarantee of its budget holds.
  o.net.max_work.reset();
  o.time_limit = 0.3;
  auto t = train_net(data, o);
  CAPTURE(t.message);
  CHECK(t.stats.net_complete);
  CHECK(t.message.find("fitted to the time limit") != std::string::npos);
  CHECK(mean_loss(data, t.net) <= *t.stats.epsilon_realizable);
}

TEST_CASE("net is deterministic and independent of the thread count") {
  Rng rng(35);
  auto data = relugap::test::random_set(rng, 60, 5, 0.6);
  TrainOptions o;
  o.units = 2;
  o.net.r = 3;
  o.net.eta = 0.6;
  o.constraints.output_l1 = 1.5;
  o.threads = 1;
  auto a = train_net(data, o);
  o.threads = 2;
  auto b = train_net(data, o);
  o.threads = 3;
  auto c = train_net(data, o);
  CHECK(relugap::test::same_bytes(a.net, b.net));
  CHECK(relugap::test::same_bytes(a.net, c.net));
  CHECK(a.stats.candidates == c.stats.candidates);
}

TEST_CASE("net honours a fixed output sign pattern") {
  Rng rng(36);
  auto data = relugap::test::random_set(rng, 40, 3, 0.8);
  TrainOptions o;
  o.units = 2;
  o.net.r = 2;
  o.net.eta = 0.5;
  o.constraints.output_signs = {1, -1};
  auto r = train_net(data, o);
  CHECK(r.net.a[0] >= 0);
  CHECK(r.net.a[1] <= 0);
  CHECK(l1(r.net) <= 1 + 1e-9);
}

TEST_CASE("net: the fused k = 1 moments kernel agrees with a direct sum") {
  if (!train_detail::fused_relu_kernel_available(1)) {
    MESSAGE("no AVX2 + FMA on this CPU: the Eigen path is used and tested above");
    return;
  }
  Rng rng(21);
  for (std::size_t r : {0, 1, 2, 3, 5, 8, 11}) {   // 0, the unrolled r <= 8 and the generic loop
    const std::size_t m = 53, npts = 37, np = 48;  // 37 points padded to 3 blocks of 16
    std::vector<double> P(m * r), c(m), y(m), S(m * r), sy(m), ptsT(r * np, 0.0);
    for (auto& v : P) v = 2 * rng.uniform01() - 1;
    for (std::size_t i = 0; i < m; ++i) {
      c[i] = i % 7 == 3 ? 0.0 : 0.5 + rng.uniform01();  // some zero weights
      y[i] = 2 * rng.uniform01() - 1;
      sy[i] = std::sqrt(c[i]) * y[i];
      for (std::size_t t = 0; t < r; ++t) S[i * r + t] = std::sqrt(c[i]) * P[i * r + t];
    }
    for (std::size_t t = 0; t < r; ++t)
      for (std::size_t q = 0; q < npts; ++q) ptsT[t * np + q] = 2 * rng.uniform01() - 1;
    std::vector<double> gd(np, -1.0), b(np, -1.0);
    train_detail::FeatureMomentsArgs fa;
    fa.S = S.data();
    fa.m = m;
    fa.r = r;
    fa.sy = sy.data();
    fa.ptsT = ptsT.data();
    fa.np = np;
    fa.gdiag = gd.data();
    fa.b = b.data();
    train_detail::fused_feature_moments(fa, 0, 1);
    train_detail::fused_feature_moments(fa, 1, 3);
    for (std::size_t q = 0; q < np; ++q) {
      double g_ref = 0, b_ref = 0;
      for (std::size_t i = 0; i < m; ++i) {
        double z = 0;
        for (std::size_t t = 0; t < r; ++t) z += P[i * r + t] * ptsT[t * np + q];
        const double h = std::max(z, 0.0);
        g_ref += c[i] * h * h;
        b_ref += c[i] * y[i] * h;
      }
      CAPTURE(r);
      CHECK(gd[q] == doctest::Approx(g_ref).epsilon(1e-12));
      CHECK(b[q] == doctest::Approx(b_ref).epsilon(1e-12));
      if (q >= npts) CHECK(gd[q] == 0.0);  // padding points contribute nothing
    }
  }
}

TEST_CASE("net with fewer samples than dimensions: the eigenpairs from the m x m Gram matrix") {
  // d = 300 > 256 and m = 40 < d: the spectrum comes from C^1/2 X X^T C^1/2 / W. Its
  // eigenvalues must be those of the covariance X^T C X / W computed directly, and the
  // realizable guarantee (which holds only for V = the top eigenspace) must hold.
  Rng rng(77);
  const std::size_t m = 40, d = 300;
  auto truth = relugap::test::planted_net(rng, 1, d, 1.0);
  auto data = relugap::test::planted_set(rng, m, d, truth);
  for (std::size_t i = 0; i < m; ++i) data.c[i] = 0.5 + static_cast<double>(i % 3);  // weighted
  Eigen::MatrixXd S = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d));
  double W = 0;
  for (std::size_t i = 0; i < m; ++i) {
    Eigen::VectorXd x = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(d));
    const SampleId id(static_cast<std::uint32_t>(i));
    const auto cols = data.row_cols(id);
    const auto vals = data.row_vals(id);
    for (std::size_t q = 0; q < cols.size(); ++q) x[static_cast<Eigen::Index>(cols[q].value())] = vals[q];
    S += data.c[i] * x * x.transpose();
    W += data.c[i];
  }
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(S / W);
  TrainOptions o;
  o.units = 1;
  o.net.r = 2;
  o.net.eta = 0.2;
  const NetPlan p = plan_net(data, o);
  REQUIRE(p.eigenvalues.size() == m);
  for (std::size_t t = 0; t < m; ++t)
    CHECK(p.eigenvalues[t] == doctest::Approx(es.eigenvalues()[static_cast<Eigen::Index>(d - 1 - t)]).epsilon(1e-9));
  CHECK(std::abs(es.eigenvalues()[static_cast<Eigen::Index>(d - m - 1)]) <= 1e-12);  // rank <= m
  auto r = train_net(data, o);
  CAPTURE(r.message);
  REQUIRE(r.stats.epsilon_realizable);
  CHECK(mean_loss(data, r.net) <= *r.stats.epsilon_realizable);
  CHECK(max_row_norm(r.net) <= 1 + 1e-9);
}
