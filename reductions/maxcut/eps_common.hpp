#pragma once
// Shared pieces of the ε-efficient (unit-ball) reductions
// (docs/reductions/eps-efficient.md): exact rational bounds on square roots,
// and the sidecar's "unit_ball" block.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "instances/core/rational.hpp"

namespace relugap {

/// lo <= √q <= hi with hi − lo <= 2^-bits / den(q) (lo = hi = √q when q is
/// the square of a rational). lo = ⌊√(pq·4^bits)⌋ / (q·2^bits) for q = p/q:
/// nondecreasing in q. Contract: q >= 0.
struct SqrtBounds {
  Rational lo, hi;
  bool exact = false;
};
SqrtBounds sqrt_bounds(const Rational& q, unsigned bits = 64);

/// a/b in lowest terms (gmpxx's two-argument constructor does not canonicalize,
/// and comparisons of non-canonical rationals are wrong). Contract: b != 0.
template <class A, class B>
Rational exact_ratio(const A& a, const B& b) {
  Rational q{mpz_class(a), mpz_class(b)};
  q.canonicalize();
  return q;
}

/// The sidecar "unit_ball" block of an ε-efficient reduction: every sample has
/// ‖x_i‖ <= X <= 1 and |y_i| <= Y <= 1, the class is ‖w_j‖ <= B (and the
/// stated output weights); bounds are in MEAN loss (total / m).
struct UnitBallBlock {
  std::string reduction;
  std::size_t n = 0;                                 ///< source size (vertices, variables)
  std::size_t m = 0;                                 ///< samples (all weight 1)
  std::size_t d = 0;                                 ///< dimension
  Rational B = 1;                                    ///< norm bound of the class (every certificate meets it)
  Rational X2 = 1;                                   ///< max ‖x_i‖², exact
  Rational Y = 1;                                    ///< max |y_i|
  std::optional<Rational> yes_upper, no_lower;       ///< mean loss
  nlohmann::json params = nlohmann::json::object();  ///< thresholds (c, s, ...) and notes
  [[nodiscard]] std::optional<Rational> epsilon() const {
    if (yes_upper && no_lower) return *no_lower - *yes_upper;
    return std::nullopt;
  }
};
/// {reduction, m, d, n, B, X2, Y, yes_upper, no_lower, epsilon (double or null),
///  epsilon_sqrt_n, exact: {yes_upper, no_lower, epsilon as "p/q"}, params}.
nlohmann::json to_json(const UnitBallBlock& u);

/// "p/q" or null.
nlohmann::json exact_json(const std::optional<Rational>& q);

}  // namespace relugap
