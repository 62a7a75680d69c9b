#pragma once
// Rational lower bounds for the node problems of `exact` (k = 1): a proof that does not
// rest on floating point (not part of the public interface).
//
// Weak duality. With z_i = ⟨w, x_i⟩ and the node's convex sample functions g_i (see
// exact_node_qp.hpp), for any multipliers λ and any box B ∋ w,
//   min_{w ∈ node ∩ B} Σ g_i(⟨w, x_i⟩) ≥ Σ_i ψ_i(λ_i) − Σ_j R_j·|(Σ_i λ_i x_i)_j|,
//   ψ_i(λ) = min_{z ∈ D_i} g_i(z) − λ·z,
// where B = {|w_j| ≤ R_j} and D_i is the node's domain of z_i intersected with an interval
// every point of B ∩ {optimal w} satisfies (computed in doubles rounded outward, which only
// widens it). The float multipliers are first "repaired" (λ += −C·X·(XᵀCX)⁻¹·r for the
// residual r = Xᵀλ in double-double, twice) so that the residual term is negligible; the
// bound itself, with the exact residual, is evaluated in GMP from the data's exact values
// (every double is a dyadic rational m·2^e: the arithmetic is on such numbers, exact but for
// one vertex value rounded up; the box's R_j enter rounded up to doubles, a box one ulp
// wider) and rounded down. Neumaier–Shcherbina's
// safe-bound technique, with the box doing the work of the Hessian's missing curvature.
//
// The box (derived once per run from an upper bound U ≥ OPT, e.g. an incumbent's
// exact loss). Every optimal w has c_i·(ReLU(z_i) − y_i)² ≤ OPT ≤ U for every i, and
// better, with
// s_i ≥ √(U_i/c_i) (rational, checked by squaring), where U_i = U − F + f_i: F sums
// c·y² over the mirrored pairs (x, y, c), (−x, y, c) with y > 0 (a pair costs ≥ c·y² at every
// w, since one of ReLU(z), ReLU(−z) is 0) and f_i is the floor of i's own pair (0 if
// unpaired), so c_i·(ReLU(z_i) − y_i)² ≤ OPT − (F − f_i) ≤ U_i:
//   z_i ≤ u_i := y_i + s_i                       (ReLU(z) ≥ z),
//   z_i ≥ l_i := y_i − s_i  whenever y_i − s_i > 0  (then ReLU(z_i) > 0, so z_i = ReLU(z_i)).
// For every coordinate j and sign σ = ±1, an LP (COIN-OR CLP, float) proposes μ⁺, μ⁻ ≥ 0
// with Xᵀ(μ⁺ − μ⁻) ≈ σe_j; the rounded μ give exactly, with ρ = Xᵀ(μ⁺ − μ⁻) − σe_j,
//   σw_j = ⟨μ⁺ − μ⁻, Xw⟩ − ⟨ρ, w⟩ ≤ ⟨μ⁺, u⟩ − ⟨μ⁻, l⟩ + ‖ρ‖₁·max_j |w_j|,
// hence with a_j the larger of the two signs' bounds and ε = max ‖ρ‖₁ < 1/2:
//   max_j |w_j| ≤ max_j a_j / (1 − ε) =: R̄,  |w_j| ≤ R_j := a_j + ε·R̄.
// Labels and anchors are what make the LP feasible: a heavy anchor e_0 with label 1/2
// has l_0 > 0, and the well pairs ±e_j bound each |w_j| by 1/2 + √(U/λ). When some
// direction is unbounded (the LP is infeasible), no box exists and no certificate is
// given: `exact` then reports a float optimum only.
#include <Eigen/Dense>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instances/core/rational.hpp"
#include "instances/problems/training_set.hpp"
#include "solvers/relu/exact_fixed_dyadic.hpp"

namespace relugap::exact_detail {

/// A dyadic rational m·2^e (the certificate's gcd-free arithmetic; see exact_certify.cpp).
struct Dyadic {
  mpz_class m;
  long e = 0;
};

class Certifier {
 public:
  /// The class with output sign `sign`: labels are sign·y.
  Certifier(const TrainingSet& data, int sign);
  /// Derives the box from U ≥ OPT. False (and no certificates) when it is unbounded.
  bool set_upper(const Rational& U);
  [[nodiscard]] bool ready() const { return ready_; }
  [[nodiscard]] const std::string& note() const { return note_; }
  [[nodiscard]] const std::vector<Rational>& box() const { return R_; }
  /// The interval every optimal w gives z_i (inside the box).
  [[nodiscard]] const std::vector<Rational>& z_lower() const { return zlo_; }
  [[nodiscard]] const std::vector<Rational>& z_upper() const { return zhi_; }

  /// Certified lower bound of the node whose sample states are `state` (0 / ±1 for
  /// y > 0; ignored otherwise) from multipliers λ (repaired in place). +inf when the
  /// node's domains are empty inside the box; requires ready().
  /// `half` (optional) marks samples whose g carries the mirrored-pair constant c·y²/2.
  Rational bound(Eigen::VectorXd& lambda, const std::vector<std::int8_t>& state,
                 const std::vector<std::uint8_t>* half = nullptr) const;
  /// bound() on intervals the caller already has: lo/hi must hold node_intervals(state) of
  /// the node (nonempty) or intervals containing them. `reference` evaluates ψ in plain
  /// rationals (slow; the test's reference) instead of the dyadic arithmetic, whose only
  /// rounding (a vertex value μ²/(4c), rounded up) makes the bound smaller by a relative
  /// 2^−119 at most.
  Rational bound_on(Eigen::VectorXd& lambda, const std::vector<double>& lo, const std::vector<double>& hi,
                    bool reference = false) const;
  /// bound() as a double rounded down (and clamped at 0: a loss is never negative).
  double bound_down(Eigen::VectorXd& lambda, const std::vector<std::int8_t>& state,
                    const std::vector<std::uint8_t>* half = nullptr) const;
  /// bound_on() as a double rounded down (clamped at 0).
  double bound_down_on(Eigen::VectorXd& lambda, const std::vector<double>& lo, const std::vector<double>& hi) const;

  /// The node intervals D_i ∋ z_i of every w in the node with loss ≤ U (a guide for the node
  /// QP, and the domains of bound()). False when some interval is empty (the node holds no
  /// such w). Requires ready().
  /// The doubles are rounded outward (one ulp per operation), so each interval contains the
  /// exact rational one of node_intervals_exact(); bound() uses them as exact rationals.
  bool node_intervals(const std::vector<std::int8_t>& state, std::vector<double>& lo, std::vector<double>& hi) const;
  /// The same intervals in exact rational arithmetic (the reference; slow).
  bool node_intervals_exact(const std::vector<std::int8_t>& state, std::vector<Rational>& lo,
                            std::vector<Rational>& hi) const;
  /// r = Xᵀλ exactly (integer sums of the doubles' mantissas, no rational operation a term).
  void residual(const Eigen::VectorXd& lambda, std::vector<Rational>& r) const;
  /// The same as dyadic numbers (what bound() uses).
  void residual_dy(const Eigen::VectorXd& lambda, std::vector<Dyadic>& r) const;
  /// The partner of sample i in a mirrored pair (x, y, c), (−x, y, c) with y > 0, or −1.
  [[nodiscard]] std::int64_t partner(std::size_t i) const { return partner_[i]; }

  /// Σ_i ψ_i(λ_i) as bound_on() evaluates it (the dyadic arithmetic, its one rounding up):
  /// psi_gmp on GMP integers, psi_fixed the same operations on fixed-width limbs
  /// (exact_fixed_dyadic.hpp), which gives the same number or, when some intermediate does
  /// not fit (or an input is not finite), kNoFit. bound_on() runs psi_fixed and falls back to
  /// psi_gmp on kNoFit (unless set_psi_fixed(false)). kEmpty / false: some ψ_i has an empty
  /// domain.
  enum class Psi : std::uint8_t { kOk, kEmpty, kNoFit };
  Psi psi_fixed(const Eigen::VectorXd& lambda, const std::vector<double>& lo, const std::vector<double>& hi,
                Rational& total) const;
  bool psi_gmp(const Eigen::VectorXd& lambda, const std::vector<double>& lo, const std::vector<double>& hi,
               Rational& total) const;
  void set_psi_fixed(bool on) { psi_fixed_on_ = on; }

 private:
  /// The multiplier repair (see the file comment): λ += −C·X·(XᵀCX)⁻¹·r, twice.
  void repair(Eigen::VectorXd& lambda) const;
  /// Σ_i ψ_i(λ_i) on the intervals; false when some ψ_i has an empty domain.
  bool psi_rational(const Eigen::VectorXd& lambda, const std::vector<double>& lo, const std::vector<double>& hi,
                    Rational& total) const;
  /// psi_fixed, else psi_gmp.
  bool psi_dyadic(const Eigen::VectorXd& lambda, const std::vector<double>& lo, const std::vector<double>& hi,
                  Rational& total) const;
  /// The interval of sample i from its own loss and state, before propagation.
  template <class T>
  void own_interval(std::size_t i, int state, const std::vector<T>& zlo, const std::vector<T>& zhi,
                    const std::vector<T>& plo, const std::vector<T>& phi, T& lo, T& hi) const;
  template <class T>
  bool propagate(const std::vector<std::int8_t>& state, const std::vector<T>& zlo, const std::vector<T>& zhi,
                 const std::vector<T>& plo, const std::vector<T>& phi, const std::vector<T>& R,
                 const std::vector<T>& xv, std::vector<T>& lo, std::vector<T>& hi) const;
  std::size_t m_, d_;
  const TrainingSet& data_;
  int sign_;
  std::vector<Rational> xq_;  ///< nonzero values, CSR as data_
  std::vector<Rational> y_, c_, cyy_;
  std::vector<Dyadic> dy_y_, dy_ny_, dy_c_, dy_c2_, dy_c4_, dy_cyy_;  ///< y, −y, c, 2c, 4c, c·y²
  Dyadic dy_zero_;
  std::vector<FixedDyadic> fx_y_, fx_ny_, fx_c_, fx_c2_, fx_c4_, fx_cyy_;  ///< the same, fixed width
  FixedDyadic fx_zero_;
  bool fx_ready_ = false, psi_fixed_on_ = true;  ///< fx_ready_: every constant fits
  std::vector<Rational> R_, zlo_, zhi_;
  std::vector<std::uint8_t> has_lo_;
  std::vector<std::int64_t> partner_;
  /// Mirrored pairs: every w with loss ≤ U has |z_i| ∈ [plo_i, phi_i] (plo_i ≥ 0).
  std::vector<Rational> plo_, phi_;
  std::vector<double> zlo_d_, zhi_d_, plo_d_, phi_d_, R_d_;
  Eigen::LDLT<Eigen::MatrixXd> gram_;  ///< D·XᵀCX·D (equilibrated)
  Eigen::VectorXd Dg_;
  bool ready_ = false;
  std::string note_;
};

}  // namespace relugap::exact_detail
