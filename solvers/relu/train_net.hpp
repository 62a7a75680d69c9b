#pragma once
// net: the bounded-weight proper learner of docs/reductions/training.md §1.
//
// Class: units ‖w_j‖ ≤ R (R = constraints.unit_norm, default 1), ‖a‖₁ ≤ B
// (constraints.output_l1, default net.default_B). With Σ = Σ_i c_i x_i x_iᵀ / Σ_i c_i and
// eigenvalues λ_1 ≥ λ_2 ≥ …, V = span of the top r eigenvectors:
//  (With fewer samples than dimensions the eigenpairs come from the m × m matrix
//  C^½XXᵀC^½/Σc, and r is at most the number of eigenvalues above 1e-10·λ_1.)
//  1. grid of spacing h = 2ηR/√r in V-coordinates, points of norm ≤ (1+η)R, each projected
//     onto the ball of radius R: every point of that ball is within ηR of a net point
//     (the nearest grid point is within h√r/2 = ηR; projecting onto the ball does not
//     increase the distance to a point inside it). A spacing of η/√r is twice as fine;
//     this one has the same covering radius η·R with 2^r times fewer points.
//  2. all k-multisets of net points; features φ_ij = ReLU(⟨c_j, Vᵀx_i⟩) are columns of one
//     m × N matrix (one GEMM); their weighted Gram matrix G = ΦᵀCΦ and b = ΦᵀCy (one more
//     GEMM) reduce each candidate's output layer min_{‖a‖₁≤B} ‖Φ_S a − y‖²_C to a k × k
//     problem (solved exactly when the unconstrained optimum is feasible, else by FISTA).
//  3. output w_j = V c_j, a.
// Guarantee (weighted means; no unit-ball assumption): for any f in the class, the net
// network f̃ with the same a has mean (f − f̃)² ≤ δ² := B²R²(λ_{r+1} + λ_1 η²), because
// ⟨w − P_V w, x⟩ and ⟨P_V w − w̃, x⟩ are Σ-orthogonal. Hence
//   realizable: mean loss ≤ ε_real = δ² (take f = the labelling network);
//   agnostic:   mean loss ≤ OPT + ε_agn, ε_agn = 2δ(B·R·X + Y), X = max‖x_i‖, Y = max|y_i|,
//               since mean (f̃−y)² − mean (f−y)² = mean (f̃−f)(f̃+f−2y) ≤ δ · 2(BRX + Y).
// With ‖x‖ ≤ 1 (so λ_{r+1} ≤ 1/(r+1), λ_1 ≤ 1) these are at most the formulas of docs/reductions/training.md §1.
// From a target ε the budget is the smallest r with B²R²λ_{r+1} ≤ ε/2 (realizable;
// agnostic: δ ≤ ε/(2(BRX+Y)) split the same way) and the largest η meeting the rest.
#include <cstdint>
#include <vector>

#include "solvers/relu/trainer.hpp"

namespace relugap {

struct NetPlan {
  std::size_t r = 0;
  double eta = 0;
  double R = 1, B = 1;
  double X = 0, Y = 0;              ///< max ‖x_i‖, max |y_i|
  std::vector<double> eigenvalues;  ///< of Σ, descending
  std::uint64_t points = 0;         ///< net points
  double candidates = 0;            ///< k-multisets: C(points + k − 1, k)
  double eps_realizable = 0, eps_agnostic = 0;
};

/// The budget `opts` asks for (r, η from opts.net or from opts.net.epsilon) and what it
/// guarantees. Throws Failure "train.param" / "train.size" when neither a budget nor ε is given, or when
/// the candidates exceed opts.net.max_candidates and !opts.net.force (k >= 2; one unit streams
/// its points, so only the 1e15 limit applies). enforce_caps = false: no cap check (a plan
/// to report, e.g. the time a budget would take).
NetPlan plan_net(const TrainingSet& data, const TrainOptions& opts, bool enforce_caps = true);

}  // namespace relugap
