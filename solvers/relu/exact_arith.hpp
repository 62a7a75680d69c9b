#pragma once
// Small exact-arithmetic helpers shared by the certificates of the exact trainer
// (exact_certify.cpp for one unit, exact_certify_two.cpp for two).
#include <cmath>
#include <limits>

#include "instances/core/rational.hpp"

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

}  // namespace relugap::exact_detail
