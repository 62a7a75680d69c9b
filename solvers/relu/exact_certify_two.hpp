#pragma once
// Rational lower bounds for the node problems of `exact` with two units (not part of the
// public interface); the argument is docs/reductions/training.md §2.2.
//
// A node of the k = 2 search fixes item states p_ij ∈ {0, +1, −1} (item 2i + j: unit j of
// sample i; +1 active z_ij = ⟨w_j, x_i⟩ ≥ 0, −1 inactive z_ij ≤ 0) for the output signs
// (s_1, s_2). Its objective is Σ over fully decided samples of q_i(z_i) = c_i(a_i1 z_i1 +
// a_i2 z_i2 − y_i)², a_ij = s_j·[p_ij = +1] (the loss there), and 0 for the other samples.
//
// Box. With U ≥ OPT (an incumbent's exact loss) every v = (w_1, w_2) of the node with
// loss ≤ U satisfies, with s_i ≥ √(U/c_i):
//   - the node's signs: z_ij ≥ 0 (active), z_ij ≤ 0 (inactive);
//   - z_ij ≤ s_j·y_i + s_i when the other unit k has s_k = s_j or is inactive (then
//     s_j·f_i = ReLU(z_ij) + (a non-negative term) and |f_i − y_i| ≤ s_i);
//   - y_i − s_i ≤ a_i1 z_i1 + a_i2 z_i2 ≤ y_i + s_i for a fully decided sample.
// All rows are linear in v. An LP per coordinate t and sign σ (CLP, float) proposes μ⁺, μ⁻ ≥ 0
// with Σ_k (μ⁺_k − μ⁻_k) g_k ≈ σe_t; the rounded μ give exactly, with ρ the residual,
// σv_t ≤ ⟨μ⁺, hi⟩ − ⟨μ⁻, lo⟩ + ‖ρ‖₁·max_t |v_t|, hence (ε = max ‖ρ‖₁ < 1/2) a box
// |v_t| ≤ R_t as for k = 1. A box valid at a node stays valid at its descendants (more
// rows) and for a smaller U. No box (some direction unbounded): no certificate.
//
// Bound. For item multipliers λ (the CLP duals of the rows u_ij − ⟨w_j, x_i⟩) and r = the
// exact residual Σ_i λ_ij x_i (per unit),
//   min_{node, loss ≤ U} Σ q_i ≥ Σ_i ψ_i(λ_i) − Σ_t R_t |r_t|,
//   ψ_i = min over the rectangle D_i1 × D_i2 of q_i(z) − λ_i1 z_i1 − λ_i2 z_i2,
// D_ij = [−S_ij, S_ij] (S_ij = Σ R|x_i|, the box on z_ij) cut by the rows above. q_i is
// convex with a rank-one Hessian, so its minimum over a rectangle lies on an edge (a
// minimiser inside has ∇ = 0, and the function is constant along the line of zero
// curvature through it, which reaches the boundary): ψ_i is the least of four parabolas
// on segments, each minimised exactly.
#include <Eigen/Dense>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instances/core/rational.hpp"
#include "instances/problems/training_set.hpp"

namespace relugap::exact_detail {

class TwoCertifier {
 public:
  /// The class with output signs (s1, s2).
  TwoCertifier(const TrainingSet& data, int s1, int s2);
  /// U ≥ OPT (the exact loss of some network); a smaller U than before only.
  void set_upper(const Rational& U);
  [[nodiscard]] bool has_upper() const { return has_upper_; }
  [[nodiscard]] const Rational& upper() const { return U_; }
  /// The exact loss of the two-unit network (w_1, w_2) = (w[0..d), w[d..2d)) with output
  /// weights (s1, s2).
  [[nodiscard]] Rational loss(const double* w) const;

  /// A box |v_t| ≤ R_t (t < 2d) holding every v of the node `state` (2m item states) with
  /// loss ≤ U. False (and `why` set) when the LPs do not bound every coordinate.
  /// `fault_scale` multiplies the LP's multipliers before the exact check (tests: ≠ 1 must fail).
  bool box(const std::vector<std::int8_t>& state, std::vector<Rational>& R, std::string* why = nullptr,
           double fault_scale = 1.0) const;

  /// Certified lower bound of the node objective over the node's v with loss ≤ U inside the
  /// box R, from item multipliers λ (2m, repaired in place so that Σ λ x is tiny). A huge
  /// value when the node holds no such v.
  Rational bound(Eigen::VectorXd& lambda, const std::vector<std::int8_t>& state, const std::vector<Rational>& R) const;
  /// Without a box: the exact Lagrangian dual of the node QP. θ_i multiplies
  /// e_i = a_i·z_i − y_i of the fully decided samples (given: 2c_i e_i at the float optimum),
  /// λ the item multipliers (CLP's row duals); ν_ij = σ_ij(θ_i a_ij − λ_ij), clamped at ≥ 0,
  /// multiplies the sign constraint σ_ij z_ij ≥ 0 (σ = +1 active, −1 inactive). θ and the
  /// clearly positive ν are moved by an exact rational solve until
  /// Σ_i (θ_i a_ij − σ_ij ν_ij) x_i = 0 for both units; then every v of the node has
  /// objective ≥ Σ_i (−θ_i²/(4c_i) − θ_i y_i) (+ c_i y_i² for decided samples with a_i = 0).
  /// When the solve is inconsistent or a ν would turn negative, the bound of θ = ν = 0 (the
  /// decided samples with a_i = 0 alone: Σ c_i y_i², valid whatever the node's geometry).
  /// Pivots below 1e-9 of the largest entry count as zero; with a box R (may be null) the
  /// residual such a solve leaves costs −Σ_t R_t |r_t| instead of the fallback.
  /// A second solve, the repair step that maximises the dual objective over the stationarity
  /// subspace (ν that turn negative dropped, up to 8 rounds), runs only when the bound above
  /// falls short of `enough` (always when null); the result is the larger of the two bounds.
  [[nodiscard]] Rational dual_bound(const Eigen::VectorXd& theta, const Eigen::VectorXd& lambda,
                                    const std::vector<std::int8_t>& state, const std::vector<Rational>* R = nullptr,
                                    const Rational* enough = nullptr) const;
  /// bound() as a double rounded down, clamped at 0.
  double bound_down(Eigen::VectorXd& lambda, const std::vector<std::int8_t>& state,
                    const std::vector<Rational>& R) const;

 private:
  /// The interval [lo, hi] of z_ij implied by the node and loss ≤ U, before the box (an
  /// end may be absent).
  void item_limits(std::size_t i, std::size_t j, const std::vector<std::int8_t>& state, bool& has_lo, Rational& lo,
                   bool& has_hi, Rational& hi) const;
  std::size_t m_, d_;
  const TrainingSet& data_;
  int s_[2];
  std::vector<Rational> xq_;             ///< nonzero values, CSR as data_
  std::vector<Rational> y_, c_, slack_;  ///< slack_i ≥ √(U/c_i)
  Rational U_;
  bool has_upper_ = false;
  Eigen::LDLT<Eigen::MatrixXd> gram_;  ///< D·XᵀCX·D (equilibrated), for the repair
  Eigen::VectorXd Dg_;
};

}  // namespace relugap::exact_detail
