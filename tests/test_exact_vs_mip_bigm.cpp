// The big-M constants of bench/exact_vs_mip.cpp (the MIP training formulation next to
// `exact`): M⁺_i = max(H_i, 0), M⁻_i = max(−L_i, 0) from the certified box of `exact`
// (Certifier::set_upper(U), z_lower / z_upper) and the label floor that prunes a sign class.
// The MIQP keeps every optimum only if every w of the class with loss ≤ U lies in the box and
// gives ⟨w, x_i⟩ ∈ [L_i, H_i]; checked here on random points near the optimum (a
// wrong interval or box would cut some of them off), and the pruned class's floor against the
// trained optimum.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "instances/core/rng.hpp"
#include "solvers/relu/exact_certify.hpp"
#include "solvers/relu/trainer.hpp"

using namespace relugap;
using relugap::exact_detail::Certifier;

namespace {

// The planted set of `exact_vs_mip gen`: x = (1, g), g ~ N(0, I), y = ReLU(⟨w*, x⟩) + σ·N(0, 1).
TrainingSet planted(std::size_t m, std::size_t d, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> ws(d);
  for (double& v : ws) v = rng.normal();
  TrainingSet t(d);
  for (std::size_t i = 0; i < m; ++i) {
    std::vector<std::pair<std::uint32_t, double>> e{{0u, 1.0}};
    double z = ws[0];
    for (std::size_t j = 1; j < d; ++j) {
      const double v = rng.normal();
      z += ws[j] * v;
      e.emplace_back(static_cast<std::uint32_t>(j), v);
    }
    t.add(std::move(e), std::max(z, 0.0) + 0.1 * rng.normal(), 1.0);
  }
  return t;
}

double dot(const TrainingSet& t, std::size_t i, const std::vector<double>& w) {
  double s = 0;
  for (std::size_t p = t.row_ptr[i]; p < t.row_ptr[i + 1]; ++p) s += t.val[p] * w[t.col[p].idx()];
  return s;
}

// Σ c_i (ReLU(⟨w, x_i⟩) − s·y_i)²: the loss of class s.
double class_loss(const TrainingSet& t, int s, const std::vector<double>& w) {
  double l = 0;
  for (std::size_t i = 0; i < t.samples(); ++i) {
    const double r = std::max(dot(t, i, w), 0.0) - s * t.y[i];
    l += t.c[i] * r * r;
  }
  return l;
}

// Every w near w0 (Gaussian steps of several sizes) of class `s` with loss ≤ U must lie in
// the box and inside every sample's interval; returns how many such points were checked.
int check_near(const TrainingSet& t, int s, const std::vector<double>& w0, double U, std::uint64_t seed) {
  Certifier cert(t, s);
  REQUIRE(cert.set_upper(exact_from_double(U)));
  Rng rng(seed);
  int inside = 0;
  for (const double sigma : {0.003, 0.03, 0.3}) {
    for (int k = 0; k < 3000; ++k) {
      std::vector<double> w = w0;
      for (double& v : w) v += sigma * rng.normal();
      if (class_loss(t, s, w) > U * (1 - 1e-9)) continue;
      ++inside;
      for (std::size_t j = 0; j < t.dim; ++j) CHECK(std::abs(w[j]) <= to_double(cert.box()[j]) * (1 + 1e-12));
      for (std::size_t i = 0; i < t.samples(); ++i) {
        const double z = dot(t, i, w);
        const double tol = 1e-9 * (1 + std::abs(z));
        CHECK(z >= to_double(cert.z_lower()[i]) - tol);
        CHECK(z <= to_double(cert.z_upper()[i]) + tol);
      }
    }
  }
  return inside;
}

}  // namespace

TEST_CASE("exact_vs_mip big-M: the certified box and intervals hold every w with loss <= U (planted set)") {
  const TrainingSet t = planted(30, 5, 11);
  TrainOptions o;
  o.seed = 1;
  const TrainResult r = train_exact(t, o);
  REQUIRE(r.status == SolveStatus::kOptimal);
  const int s = r.net.a[0] >= 0 ? 1 : -1;
  std::vector<double> w(t.dim);
  for (std::size_t j = 0; j < t.dim; ++j) w[j] = std::abs(r.net.a[0]) * r.net.w[j];
  CHECK(class_loss(t, s, w) == doctest::Approx(r.loss).epsilon(1e-9));
  // U = 2·OPT: a looser U still bounds every w of loss ≤ U, and leaves room for many points.
  CHECK(check_near(t, s, w, 2 * r.loss, 5) > 500);
  // The label floor of the other class exceeds OPT, so the bench may prune that class:
  // every w of class −s pays c·y² on the samples with −s·y > 0 ... and the optimum is in class s.
  double floor_other = 0;
  for (std::size_t i = 0; i < t.samples(); ++i)
    if (-s * t.y[i] < 0) floor_other += t.c[i] * t.y[i] * t.y[i];
  CHECK(floor_other > r.loss);
  CHECK(s == 1);  // the planted unit has a positive output weight
}

TEST_CASE("exact_vs_mip big-M: anchor and mirrored wells (DkS-like weights)") {
  // Anchor (e_0, 1/2) of weight A, wells (±e_1, 1/2) of weight λ: OPT = λ/4 at w = (1/2, ±1/2).
  const double lambda = 400, A = 200;
  TrainingSet t(2);
  t.add({{0u, 1.0}}, 0.5, A);
  t.add({{1u, 1.0}}, 0.5, lambda);
  t.add({{1u, -1.0}}, 0.5, lambda);
  const std::vector<double> w{0.5, 0.5};
  CHECK(class_loss(t, 1, w) == doctest::Approx(lambda / 4));
  CHECK(check_near(t, 1, w, lambda / 4 + 1, 7) > 500);
}
