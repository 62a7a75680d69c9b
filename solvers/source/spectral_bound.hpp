#pragma once
// A rigorous (exact-arithmetic) upper bound on the largest eigenvalue of an
// integer symmetric matrix S, for the certified NO bounds of the ε-efficient
// reductions (docs/reductions/eps-efficient.md §4).
//
// Method: λ ≈ λ_max(S) in floating point (Eigen); μ = λ + margin rounded up to
// a multiple of 2^-20; a floating-point Cholesky factor L of μI − S, rounded to
// multiples of 2^-40 (L̃); the residual E = (μI − S) − L̃L̃ᵀ computed EXACTLY in
// 128-bit integers (everything scaled by 2^80). Since L̃L̃ᵀ ⪰ 0,
//   λ_min(μI − S) >= λ_min(E) >= −max_i Σ_j |E_ij|,
// so λ_max(S) <= μ + max_i Σ_j |E_ij| — a rational, proved, bound.
#include <cstdint>
#include <optional>
#include <vector>

#include "instances/core/rational.hpp"

namespace relugap {

struct SpectralBound {
  Rational upper;         ///< proved: λ_max(S) <= upper
  double estimate = 0;    ///< floating-point λ_max(S)
  Rational mu;            ///< the shift that was factored
  Rational residual;      ///< max_i Σ_j |E_ij|
  unsigned attempts = 0;  ///< Cholesky attempts (margin grows ×10 each time)
};

/// S is n×n row-major, symmetric, |S_ij| < 2^24. Contract (RELUGAP_ASSERT):
/// fails if S is not symmetric, too large (n > 4000) or the entries are out of range;
/// std::runtime_error if no certificate is found in 12 attempts.
SpectralBound certify_lambda_max(const std::vector<std::int64_t>& S, std::size_t n);

}  // namespace relugap
