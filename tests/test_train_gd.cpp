// gd: recovers planted networks, honours constraints, is deterministic per seed
// (and independent of the thread count), reports progress.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "instances/problems/loss.hpp"
#include "solvers/relu/train_gd.hpp"
#include "solvers/relu/trainer.hpp"
#include "train_fixtures.hpp"

using namespace relugap;
using relugap::test::planted_net;
using relugap::test::planted_set;
using relugap::test::same_bytes;

TEST_CASE("gd (L-BFGS) recovers a planted single ReLU") {
  Rng rng(1);
  auto truth = planted_net(rng, 1, 5, 1.0);
  auto data = planted_set(rng, 200, 5, truth);
  TrainOptions o;
  o.units = 1;
  o.seed = 3;
  o.gd.starts = 8;
  auto r = train_gd(data, o);
  CHECK(r.status == SolveStatus::kFeasible);
  CHECK(r.loss < 1e-8);
  CHECK(r.upper_bound == r.loss);
  CHECK(!r.lower_bound);
  CHECK(r.loss == doctest::Approx(loss(data, r.net)).epsilon(1e-12));
  CHECK(r.stats.starts == 8);
  CHECK(r.stats.iterations > 0);
}

TEST_CASE("gd recovers a planted 3-unit network (realizable, loss near 0)") {
  Rng rng(2);
  auto truth = planted_net(rng, 3, 4, 3.0);
  for (auto& a : truth.a) a = std::abs(a);  // all-positive outputs: an easy landscape
  auto data = planted_set(rng, 300, 4, truth);
  const double base = loss(data, Network(3, 4));  // loss of the zero network
  TrainOptions o;
  o.units = 3;
  o.seed = 11;
  o.gd.starts = 8;
  o.gd.max_iters = 4000;
  auto r = train_gd(data, o);
  CHECK(r.loss < 1e-4 * base);
}

TEST_CASE("gd with Adam honours norm, B and sign constraints") {
  Rng rng(3);
  auto truth = planted_net(rng, 2, 4, 2.0);
  auto data = planted_set(rng, 120, 4, truth);
  TrainOptions o;
  o.units = 2;
  o.seed = 5;
  o.gd.starts = 3;
  o.gd.max_iters = 800;
  o.constraints.unit_norm = 0.5;
  o.constraints.output_l1 = 1.0;
  o.constraints.output_signs = {1, 1};
  auto r = train_gd(data, o);
  double l1 = 0;
  for (std::size_t j = 0; j < 2; ++j) {
    double n2 = 0;
    for (std::size_t t = 0; t < 4; ++t) n2 += r.net.w[j * 4 + t] * r.net.w[j * 4 + t];
    CHECK(std::sqrt(n2) <= 0.5 * (1 + 1e-12));
    CHECK(r.net.a[j] >= 0);
    l1 += std::abs(r.net.a[j]);
  }
  CHECK(l1 <= 1.0 * (1 + 1e-12));
  CHECK(r.message.find("adam") != std::string::npos);

  o.gd.method = GdMethod::kLbfgs;  // L-BFGS is unconstrained: refused
  CHECK_THROWS_AS(train_gd(data, o), relugap::Failure);
}

TEST_CASE("gd is deterministic per seed, whatever the thread count") {
  Rng rng(4);
  auto data = relugap::test::random_set(rng, 60, 6, 0.5);
  for (auto method : {GdMethod::kLbfgs, GdMethod::kAdam}) {
    TrainOptions o;
    o.units = 2;
    o.seed = 99;
    o.gd.method = method;
    o.gd.starts = 5;
    o.gd.max_iters = 300;
    o.threads = 1;
    auto a = train_gd(data, o);
    auto b = train_gd(data, o);
    o.threads = 2;
    auto c = train_gd(data, o);
    o.threads = 3;
    auto d = train_gd(data, o);
    CHECK(same_bytes(a.net, b.net));
    CHECK(same_bytes(a.net, c.net));
    CHECK(same_bytes(a.net, d.net));
    CHECK(a.stats.iterations == c.stats.iterations);
    o.seed = 100;
    auto e = train_gd(data, o);
    CHECK(!same_bytes(a.net, e.net));
  }
}

TEST_CASE("gd: objective gradient matches finite differences") {
  Rng rng(5);
  auto data = relugap::test::random_set(rng, 30, 5, 0.6);
  for (bool dense : {false, true}) {
    auto e = train_detail::to_eigen(data, dense);
    REQUIRE(e.use_dense == dense);
    train_detail::ReluObjective obj(e, 3);
    Eigen::MatrixXd W = Eigen::MatrixXd::Random(3, 5), gW;
    Eigen::VectorXd a = Eigen::VectorXd::Random(3), ga;
    obj.value_grad(W, a, gW, ga);
    const double h = 1e-6;
    for (Eigen::Index j = 0; j < 3; ++j) {
      Eigen::VectorXd ap = a, am = a;
      ap[j] += h;
      am[j] -= h;
      CHECK(ga[j] == doctest::Approx((obj.value(W, ap) - obj.value(W, am)) / (2 * h)).epsilon(1e-5));
      for (Eigen::Index t = 0; t < 5; ++t) {
        Eigen::MatrixXd Wp = W, Wm = W;
        Wp(j, t) += h;
        Wm(j, t) -= h;
        CHECK(gW(j, t) == doctest::Approx((obj.value(Wp, a) - obj.value(Wm, a)) / (2 * h)).epsilon(1e-5));
      }
    }
  }
}

TEST_CASE("gd: the fused AVX2 kernel agrees with the Eigen products (dense and CSR)") {
  INFO("kernel on this machine: " << train_detail::relu_kernel_name());
  Rng rng(15);
  int fused_runs = 0;
  for (std::size_t k : {1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17}) {
    for (double density : {1.0, 0.6, 0.05}) {
      // m = 37: not a multiple of any row block; d = 11 odd.
      auto data = relugap::test::random_set(rng, 37, 11, density);
      data.add({}, 0.25, 2.0);  // an all-zero row: z = 0 for every unit
      for (bool dense : {false, true}) {
        auto e = train_detail::to_eigen(data, dense);
        train_detail::ReluObjective fused(e, k), eigen(e, k, /*allow_fused=*/false);
        CHECK(!eigen.uses_fused_kernel());
        CHECK(fused.uses_fused_kernel() == train_detail::ReluObjective::uses_fused_kernel_for(k));
        if (fused.uses_fused_kernel()) ++fused_runs;
        const auto kk = static_cast<Eigen::Index>(k);
        Eigen::MatrixXd W = Eigen::MatrixXd::Random(kk, 11), gW1, gW2;
        Eigen::VectorXd a = Eigen::VectorXd::Random(kk), ga1, ga2;
        const double L1 = fused.value_grad(W, a, gW1, ga1), L2 = eigen.value_grad(W, a, gW2, ga2);
        CHECK(L1 == doctest::Approx(L2).epsilon(1e-12));
        CHECK(fused.value(W, a) == L1);
        REQUIRE(gW1.rows() == kk);
        REQUIRE(gW1.cols() == 11);
        REQUIRE(ga1.size() == kk);
        const double scale = std::max(gW2.cwiseAbs().maxCoeff(), ga2.cwiseAbs().maxCoeff());
        CHECK((gW1 - gW2).cwiseAbs().maxCoeff() <= 1e-12 * scale);
        CHECK((ga1 - ga2).cwiseAbs().maxCoeff() <= 1e-12 * scale);
      }
    }
  }
  // On an AVX2 + FMA machine (the CI's) the comparison above must have run the kernel.
  if (std::string(train_detail::relu_kernel_name()) == "avx2-fma") CHECK(fused_runs == 10 * 3 * 2);
}

TEST_CASE("gd reports progress and stops at the time limit") {
  Rng rng(6);
  auto data = relugap::test::random_set(rng, 2000, 20, 0.5);
  TrainOptions o;
  o.units = 4;
  o.gd.starts = 1000;
  o.gd.max_iters = 100000;
  o.gd.rel_tol = 0;
  o.time_limit = 0.3;
  int calls = 0;
  o.progress = [&](const TrainProgress& p) {
    ++calls;
    CHECK(p.phase == "gd");
  };
  auto r = train_gd(data, o);
  CHECK(r.status == SolveStatus::kFeasible);
  CHECK(r.stats.seconds < 5.0);
  CHECK(r.message.find("time limit") != std::string::npos);
  CHECK(calls >= 1);
  CHECK(std::isfinite(r.loss));
}

TEST_CASE("bad options are rejected") {
  TrainingSet s(2);
  s.add({{0, 1.0}}, 1.0, 1.0);
  TrainOptions o;
  o.units = 0;
  CHECK_THROWS_AS(train_gd(s, o), relugap::Failure);
  o.units = 2;
  o.constraints.output_signs = {1};
  CHECK_THROWS_AS(train_gd(s, o), relugap::Failure);
}
