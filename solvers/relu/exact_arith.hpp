#pragma once
// Small exact-arithmetic helpers shared by the certificates of the exact trainer
// (exact_certify.cpp for one unit, exact_certify_two.cpp for two).
#include <Eigen/Dense>
#include <cmath>
#include <limits>

#include "instances/core/rational.hpp"
#include "instances/problems/training_set.hpp"

namespace relugap::exact_detail {

/// s ≥ √q, rational, checked by squaring (0 for q ≤ 0).
inline Rational sqrt_up(const Rational& q) {
  if (q <= 0) return Rational(0);
  double s = std::sqrt(q.get_d());
  if (!std::isfinite(s)) s = std::numeric_limits<double>::max();
  Rational r = exact_from_double(s * (1 + 1e-12) + 1e-300);
  while (r * r < q) r *= Rational(1000001, 1000000);
  return r;
}

/// Error-free transformations (Knuth's two-sum, the fma product): a double-double sum.
struct DD {
  double hi = 0, lo = 0;
  void add(double a) {
    const double s = hi + a, bb = s - hi, e = (hi - (s - bb)) + (a - bb);
    hi = s;
    lo += e;
  }
  void add_product(double a, double b) {
    const double p = a * b;
    add(p);
    lo += std::fma(a, b, -p);
  }
  [[nodiscard]] double value() const { return hi + lo; }
};

/// The Gram matrix XᵀCX of the set, equilibrated: returns D·XᵀCX·D with D = Dg (set here),
/// Dg_j = 1/√(XᵀCX)_jj (1 on an empty column). For the multiplier repair of both certificates.
inline Eigen::MatrixXd equilibrated_gram(const TrainingSet& data, Eigen::VectorXd& Dg) {
  const auto d = static_cast<Eigen::Index>(data.dim);
  Eigen::MatrixXd G = Eigen::MatrixXd::Zero(d, d);
  for (std::size_t i = 0; i < data.samples(); ++i)
    for (std::size_t p = data.row_ptr[i]; p < data.row_ptr[i + 1]; ++p)
      for (std::size_t q = data.row_ptr[i]; q < data.row_ptr[i + 1]; ++q)
        G(data.col[p].value(), data.col[q].value()) += data.c[i] * data.val[p] * data.val[q];
  Dg.resize(d);
  for (Eigen::Index j = 0; j < d; ++j) Dg(j) = G(j, j) > 0 ? 1 / std::sqrt(G(j, j)) : 1.0;
  return Dg.asDiagonal() * G * Dg.asDiagonal();
}

}  // namespace relugap::exact_detail
