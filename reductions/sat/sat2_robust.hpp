#pragma once
// The robust (δ-proportional) lower bound for the realizable two-ReLU
// construction of docs/reductions/sat.md §5 (Sat2Reduction), for bounded-occurrence
// formulas. Proof: docs/reductions/eps-efficient.md §2.
//
// Theorem. Let the target 1-in-3 formula have M clauses, every variable
// occupying at most B clause positions (with multiplicity), anchor weight R and
// label τ > 0. For every network f with at most two hidden units and for either
// unit j, let σ̂_j be its decoded assignment (v true iff w_j[1+v]·w_j[0] > 0) and
// V_j the number of clauses σ̂_j violates. Then the total loss satisfies
//     L(f) >= τ² · V_j / max(1, B, V_j / R).
// Consequently, if every assignment violates at least V_min clauses (V_min = δM),
//     OPT >= τ² · V_min / max(1, B, V_min / R),
// while a satisfiable formula has OPT = 0. The function g(V) = V / max(1, B, V/R) is
// nondecreasing, so the per-network form implies the NO form.
#include <cstddef>
#include <string>
#include <vector>

#include "instances/problems/network.hpp"
#include "reductions/maxcut/eps_common.hpp"
#include "reductions/sat/sat_to_relu.hpp"

namespace relugap {

/// B: the largest number of clause positions any variable occupies (repeats count).
std::size_t max_occurrence(const OneInThreeFormula& f);

/// τ² · V / max(1, B, V / R), exact.
Rational sat2_robust_bound(const Rational& tau, std::size_t B, const mpz_class& R, std::size_t violated);

/// The NO lower bound on OPT (total loss) of r's set when every assignment violates >= min_violated clauses.
Rational sat2_robust_lower_bound(const Sat2Reduction& r, std::size_t min_violated);

struct Sat2RobustCheck {
  Rational loss;                      ///< exact total loss of the network
  std::vector<std::size_t> violated;  ///< per unit: clauses violated by its decoded assignment
  std::vector<Rational> bound;        ///< per unit: τ²·V_j / max(1, B, V_j/R)
  bool holds = false;                 ///< loss >= every bound
  std::string inequality;
};
/// The per-network form of the theorem, checked exactly. Contract:
/// net.dim == r.data().dim and net.units() <= 2 (RELUGAP_ASSERT otherwise).
Sat2RobustCheck sat2_robust_check(const Sat2Reduction& r, const ExactNetwork& net);

/// Smallest number of violated target clauses over all 2^N assignments
/// (RELUGAP_ASSERT: N <= max_vars).
std::size_t min_violated_bruteforce(const OneInThreeFormula& f, std::uint32_t max_vars = 24);

/// Unit-ball figures of r's set written without weights (the anchor pair as R
/// unweighted copies, so every ‖x‖ stays as in the construction): m = 2(R + N + M),
/// d = N + 1, B = 1 (the certificate's units have norm τ√(N+1) <= 1, a = (1, 1)),
/// X2 = max ‖x‖², Y = τ, yes_upper = 0, no_lower = sat2_robust_lower_bound / m.
UnitBallBlock sat2_unit_ball(const Sat2Reduction& r, std::size_t min_violated);

}  // namespace relugap
