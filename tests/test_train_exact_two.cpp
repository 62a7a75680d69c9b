// exact with two units: certified bounds (exact_detail::TwoCertifier, docs/reductions/
// training.md §2.2). The box and the bounds fail where they must (an unbounded class, a
// wrong multiplier) and hold at random points; the class (+,−) uses the box-free dual.
// (The bench sets: test_train_exact_two_sets.cpp.)
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "instances/core/rng.hpp"
#include "instances/problems/loss.hpp"
#include "solvers/relu/exact_certify_two.hpp"
#include "solvers/relu/train_exact.hpp"
#include "solvers/relu/trainer.hpp"
#include "train_two_sets.hpp"

using namespace relugap;
using exact_detail::TwoCertifier;

namespace {
using namespace relugap::test::two;
}  // namespace

TEST_CASE("exact (k = 2), class (+,-): nodes without a box are certified by the exact dual") {
  TrainOptions o;
  o.units = 2;
  o.seed = 1;
  o.constraints.output_signs = {1, -1};
  const TrainResult r = train_exact(mirrored(), o);
  CHECK(r.status == SolveStatus::kOptimal);
  CHECK(r.certified);
  CHECK(r.message.find(" 0 exact dual bounds") == std::string::npos);
  CHECK(r.message.find("exact dual bounds") != std::string::npos);
}

TEST_CASE("TwoCertifier: the box exists where the rows bound v, and a wrong LP multiplier fails its check") {
  const TrainingSet data = mirrored();
  const std::size_t m = data.samples();
  Rational U = 0;
  for (std::size_t i = 0; i < m; ++i) U += exact_from_double(data.c[i] * data.y[i] * data.y[i]);
  std::vector<Rational> R;
  // (+,−) at the root: w_1 = w_2 = t·u leaves every prediction unchanged, no box.
  TwoCertifier pm(data, 1, -1);
  pm.set_upper(U);
  std::string why;
  CHECK_FALSE(pm.box(std::vector<std::int8_t>(2 * m, 0), R, &why));
  CHECK_FALSE(why.empty());
  // Unit 2 inactive everywhere: unit 1 alone carries the labels, so z_i1 ≤ y_i + s_i, and
  // unit 2 is bounded by its inactive rows z_i2 ≤ 0 (the x_i span the plane positively).
  std::vector<std::int8_t> st(2 * m, 0);
  for (std::size_t i = 0; i < m; ++i) st[2 * i + 1] = -1;
  CHECK(pm.box(st, R, &why));
  REQUIRE(R.size() == 4);
  // (+,+) at the root: every z_ij ≤ y_i + s_i.
  TwoCertifier pp(data, 1, 1);
  pp.set_upper(U);
  REQUIRE(pp.box(std::vector<std::int8_t>(2 * m, 0), R));
  // Every v with loss ≤ U lies in it: random v, kept when their exact loss is ≤ U.
  Rng rng(5);
  int inside = 0;
  for (int t = 0; t < 2000; ++t) {
    std::vector<double> w(4);
    for (auto& x : w) x = 6 * rng.uniform01() - 3;
    if (pp.loss(w.data()) > U) continue;
    ++inside;
    for (std::size_t k = 0; k < 4; ++k) CHECK(abs(exact_from_double(w[k])) <= R[k]);
  }
  CHECK(inside > 20);
  // Fault: the LP's multipliers scaled by 1/2 leave a residual ‖ρ‖₁ ≥ 1/2 (the exact check
  // of σe_t fails), so no box is claimed.
  CHECK_FALSE(pp.box(std::vector<std::int8_t>(2 * m, 0), R, &why, 0.5));
  CHECK(why.find("accurate") != std::string::npos);
}

TEST_CASE("TwoCertifier: the bound holds at random points and fails with a wrong multiplier") {
  // The optimum of the float path on a random set of the bench whose optimum has every z
  // strictly away from 0, its activation pattern as a leaf, and the multipliers
  // λ_ij = ∂q_i/∂z_ij = 2c_i r_i a_ij there (the leaf's KKT multipliers).
  TrainingSet data(1);
  std::vector<double> w;
  std::vector<std::int8_t> st;
  Eigen::VectorXd lam;
  int s1 = 1, s2 = 1;
  bool found = false;
  for (const auto& set : kRandom) {
    data = parse_rows(set.text, set.d);
    const std::size_t m = data.samples(), d = data.dim;
    const TrainResult fl = run(data, ExactQp::kClp);
    REQUIRE(fl.status == SolveStatus::kOptimal);
    s1 = fl.net.a[0] > 0 ? 1 : -1;
    s2 = fl.net.a[1] > 0 ? 1 : -1;
    w.assign(2 * d, 0.0);
    for (std::size_t j = 0; j < 2; ++j)
      for (std::size_t t = 0; t < d; ++t) w[j * d + t] = fl.net.w[j * d + t] * std::abs(fl.net.a[j]);
    st.assign(2 * m, 0);
    lam.resize(static_cast<Eigen::Index>(2 * m));
    bool strict = true;
    for (std::size_t i = 0; i < m; ++i) {
      double z[2], f = 0;
      for (std::size_t j = 0; j < 2; ++j) {
        z[j] = 0;
        for (std::size_t p = data.row_ptr[i]; p < data.row_ptr[i + 1]; ++p)
          z[j] += data.val[p] * w[j * d + data.col[p].idx()];
        strict = strict && std::abs(z[j]) > 1e-6;
        st[2 * i + j] = z[j] > 0 ? 1 : -1;
        if (z[j] > 0) f += (j == 0 ? s1 : s2) * z[j];
      }
      const double r = f - data.y[i];
      for (std::size_t j = 0; j < 2; ++j)
        lam(static_cast<Eigen::Index>(2 * i + j)) = z[j] > 0 ? 2 * data.c[i] * r * (j == 0 ? s1 : s2) : 0.0;
    }
    if (strict) {
      found = true;
      break;
    }
  }
  REQUIRE(found);
  const std::size_t m = data.samples(), d = data.dim;
  TwoCertifier cert(data, s1, s2);
  const Rational opt = cert.loss(w.data());
  cert.set_upper(opt * Rational(11, 10));
  std::vector<Rational> R;
  REQUIRE(cert.box(st, R));
  Eigen::VectorXd good = lam;
  const Rational b = cert.bound(good, st, R);
  // The leaf's optimum is the network's loss: the certificate closes the leaf, within the
  // search's rel_gap (1e-9) of the loss, in rationals (the loss here is ≈ 0.02: an absolute
  // 1e-9 would let a certificate 5e-8 short pass).
  const Rational rel_gap(1, 1000000000);
  CHECK(b <= opt);
  CHECK(opt - b <= rel_gap * opt);
  // A wrong multiplier: the bound stays valid (weak duality) but falls short, so the leaf
  // could not be closed or pruned on it.
  Eigen::VectorXd bad = lam;
  bad(0) += 0.5;
  const Rational bb = cert.bound(bad, st, R);
  CHECK(bb.get_d() < opt.get_d() - 1e-3);
  // The box-free exact dual of the leaf: θ_i = 2c_i r_i, the λ above. It closes the leaf,
  // and a wrong θ (moved back to stationarity by the exact solve) gives a weaker bound.
  Eigen::VectorXd theta(static_cast<Eigen::Index>(m));
  for (std::size_t i = 0; i < m; ++i) {
    const auto k = static_cast<Eigen::Index>(2 * i);
    theta(static_cast<Eigen::Index>(i)) =
        lam(k) != 0 ? lam(k) * s1 : (lam(k + 1) != 0 ? lam(k + 1) * s2 : -2 * data.c[i] * data.y[i]);
  }
  const Rational q = cert.dual_bound(theta, lam, st);
  CHECK(q <= opt);
  CHECK(opt - q <= rel_gap * opt);
  Eigen::VectorXd wrong = theta;
  wrong(0) += 0.5;
  CHECK(cert.dual_bound(wrong, lam, st).get_d() < opt.get_d() - 1e-6);
  // Whatever the multipliers (here all flipped), the bound stays ≤ the leaf's optimum.
  Eigen::VectorXd flip = -theta;
  CHECK(cert.dual_bound(flip, lam, st) <= opt);
  // Validity at random points: for random multipliers and random v of the leaf inside the
  // box with loss ≤ U, the bound is ≤ the node objective (here the loss) at v.
  Rng rng(8);
  int tried = 0;
  for (int t = 0; t < 4000 && tried < 60; ++t) {
    std::vector<double> v(2 * d);
    const double step = std::ldexp(0.3, -static_cast<int>(rng.uniform01() * 10));
    for (std::size_t k = 0; k < 2 * d; ++k) v[k] = w[k] + step * (2 * rng.uniform01() - 1);
    bool in = true;
    for (std::size_t i = 0; i < m && in; ++i)
      for (std::size_t j = 0; j < 2 && in; ++j) {
        double z = 0;
        for (std::size_t p = data.row_ptr[i]; p < data.row_ptr[i + 1]; ++p)
          z += data.val[p] * v[j * d + data.col[p].idx()];
        in = st[2 * i + j] > 0 ? z > 1e-9 : z < -1e-9;
      }
    if (!in || cert.loss(v.data()) > cert.upper()) continue;
    ++tried;
    Eigen::VectorXd rl(static_cast<Eigen::Index>(2 * m));
    for (auto& x : rl) x = 2 * rng.uniform01() - 1;
    CHECK(cert.bound(rl, st, R) <= cert.loss(v.data()));
    Eigen::VectorXd rt(static_cast<Eigen::Index>(m));
    for (auto& x : rt) x = 2 * rng.uniform01() - 1;
    CHECK(cert.dual_bound(rt, rl, st) <= cert.loss(v.data()));
  }
  CHECK(tried > 10);
}
