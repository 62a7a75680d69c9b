#pragma once
// Max-2Lin(2) / Max-Cut solvers: SAT* = max_σ sat(σ) exactly for small n
// (Gray-code enumeration), a lower bound by local search, and a proved upper
// bound by the eigenvalue bound certified in exact arithmetic:
//   sat(σ) = M/2 + σᵀBσ/4 <= M/2 + n·λ_max(B)/4,   B = signed adjacency (B_th = B_ht += b_e).
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "instances/core/rational.hpp"
#include "instances/problems/lin2.hpp"
#include "solvers/common/solve_status.hpp"

namespace relugap {

struct Max2LinResult {
  SolveStatus status = SolveStatus::kError;  ///< kOptimal (lower == upper) or kFeasible
  VertexSigns sigma;                         ///< an assignment with sat(sigma) = lower
  std::uint64_t lower = 0;                   ///< proved: SAT* >= lower
  std::uint64_t upper = 0;                   ///< proved: SAT* <= upper
  std::string method;                        ///< "gray-code enumeration", "local search + spectral bound"
  double seconds = 0;
};

/// Exact SAT* by enumerating all 2^(n−1) assignments with σ_0 = +1 in Gray-code
/// order (O(2^n · max degree)). Throws Failure "solve.size" if n > max_n (default 30).
Max2LinResult max2lin_exact(const Lin2Instance& inst, std::uint32_t max_n = 30);

/// Best of `restarts` random starts improved by single flips to a local optimum. status kFeasible.
/// `time_limit` (wall seconds from the call): no restart begins after it and a running descent
/// stops at its next pass; the first restart always runs to its end, so a result exists. The
/// method string then says how many restarts ran (the result depends on the clock only then).
Max2LinResult max2lin_local_search(const Lin2Instance& inst, std::uint64_t seed, std::uint32_t restarts = 64,
                                   double time_limit = std::numeric_limits<double>::infinity());

/// Proved SAT* <= ⌊M/2 + n·λ/4⌋ with λ the certified bound on λ_max(B) (spectral_bound.hpp).
/// Contract: 1 <= n <= 4000.
std::uint64_t max2lin_spectral_upper(const Lin2Instance& inst);

/// Exact for n <= exact_max_n, else local search (lower) + spectral bound (upper; only for
/// n <= 4000, else the trivial upper bound M).
/// `time_limit` (wall seconds) bounds the local search, and the eigenvalue bound is skipped
/// (upper = M, said in `method`) when the limit is spent before it starts. The enumeration
/// (n <= exact_max_n, at most 2^23 assignments) does not check it.
Max2LinResult max2lin_solve(const Lin2Instance& inst, std::uint64_t seed, std::uint32_t exact_max_n = 24,
                            double time_limit = std::numeric_limits<double>::infinity());

/// The first-moment bound for random signs: if the graph has M edges and b_e are
/// independent uniform signs, P(SAT* >= s·M) <= 2^(n−1)·P(Bin(M, 1/2) >= s·M)
/// (union bound over σ with σ_0 = +1, the binomial tail computed exactly).
/// Returns that probability bound (as a double, may exceed 1).
double max2lin_first_moment(std::uint32_t n, std::uint64_t M, std::uint64_t sat_threshold);

}  // namespace relugap
