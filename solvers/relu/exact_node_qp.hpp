#pragma once
// The node problem of `exact` (k = 1), solved by a dense primal active-set method made
// for it (not part of the public interface).
//
// A node fixes, for every sample i, a convex piecewise-quadratic function g_i of
// z_i = ⟨w, x_i⟩ (the label y is already multiplied by the output sign):
//   undecided, y > 0   g = c·max(z − y, 0)²           (the convex envelope of the loss)
//   active,    y > 0   g = c·(z − y)², z ≥ 0
//   inactive,  y > 0   g = c·y²,       z ≤ 0
//   y ≤ 0              g = c·(max(z, 0) − y)²          (the loss itself, convex)
// i.e. g = K on z < b and c·(z − y)² on z ≥ b, with a breakpoint b ∈ {y, 0, ±∞} and a
// domain [lo, hi] ∈ {R, [0, ∞), (−∞, 0]}. The node QP is min_w Σ g_i(⟨w, x_i⟩).
//
// Method: primal active set over "pieces". Every sample is on its left piece, its right
// piece, or held in the working set W at a breakpoint / domain bound (z_i = v_i). Each
// iteration minimises the current quadratic model on {x_iᵀp = v_i − z_i, i ∈ W} (null-space
// method: a QR factorisation of the W rows, updated by one Householder reflection of the
// null-space basis when a sample enters W and refactored when samples leave it, pivoted LDLᵀ
// of the reduced Hessian, which is only semidefinite, kept for the next iteration when neither the working set nor
// the right-piece rows change), steps to the first breakpoint or bound it meets (ratio test),
// and adds that sample to W; at a model minimum the W multipliers decide which sample to release and to which side. A
// start point that violates one domain bound (the branched sample after a warm start from the parent) enters W with its
// target, and the other constraints stay feasible while it is pulled there. w is equilibrated (w = D·v, D_jj = (Σ_i c_i
// x_ij²)^(−1/2)), so weights spanning 10^18 leave a unit-diagonal Hessian when the heavy samples are coordinate-aligned
// (the set cover and DkS anchors are).
//
// Output: w, the node value Σ g_i (long double accumulation), and multipliers λ with
// Σ_i λ_i x_i ≈ 0 and λ_i ∈ ∂g_i(z_i) (+ normal cone): the dual point that
// exact_certify.hpp turns into a rational lower bound. The float result is never a
// proof by itself.
#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace relugap::exact_detail {

/// Workspace of null_projection_ldlt (sized on first use).
struct NullSpaceWork {
  Eigen::MatrixXd S, Z;
  Eigen::VectorXd v;
  std::vector<Eigen::Index> perm;
};
/// out = the projection of q onto the null space of the semidefinite G (its lower triangle is
/// read), from a Cholesky factorisation with complete pivoting: true when the pivots split clearly into nonzero ones
/// (above 1e-9 of the largest) and zero ones (below 1e-14), at least one of them zero, and G maps the basis found to
/// within 1e-10 of the largest pivot; false otherwise (out unspecified): the caller decides by eigenvalues then.
/// Contract: G square, q of its size.
bool null_projection_ldlt(Eigen::Ref<const Eigen::MatrixXd> G, Eigen::Ref<const Eigen::VectorXd> q,
                          Eigen::Ref<Eigen::VectorXd> out, NullSpaceWork& work);

class NodeQp {
 public:
  /// X dense m × d, labels (times the output sign) and weights.
  NodeQp(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& c);

  /// State of sample i (y_i > 0 only): 0 undecided, +1 active, −1 inactive.
  void set_state(std::size_t i, int s) { state_[i] = static_cast<std::int8_t>(s); }
  /// A constant added to g_i (both pieces): the mirrored-pair bound c·y²/2 of an
  /// undecided sample whose mirror image is undecided too (see train_exact.cpp).
  void set_offset(std::size_t i, double k) { offset_[static_cast<Eigen::Index>(i)] = k; }
  [[nodiscard]] int state(std::size_t i) const { return state_[i]; }
  /// An interval [L, H] that holds z_i for every w of interest at this node (undecided
  /// y > 0 only): g_i becomes the convex envelope of c(ReLU(z) − y)² on [L, H] (a line up to
  /// its tangent point, then the parabola; a chord when H comes first, continued by the
  /// parabola past their second crossing). The domain is not enforced: the certificate
  /// (exact_certify.hpp) uses the rational intervals. Infinite ends give the plain envelope.
  void set_interval(std::size_t i, double L, double H);
  void clear_interval(std::size_t i) { set_interval(i, -kInfinity, kInfinity); }
  /// g_i(z) without the offset (the node function of sample i).
  [[nodiscard]] double g(std::size_t i, double z) const;
  /// Polled every few iterations: when it returns true the solve stops (stopped() is then
  /// true and its result is void). A node QP of d = 144, m = 966 runs for seconds.
  void set_stop(std::function<bool()> stop) { stop_ = std::move(stop); }
  [[nodiscard]] bool stopped() const { return stopped_; }
  /// Start point of the next solve (original coordinates).
  void set_start(const Eigen::VectorXd& w);
  /// Runs the active-set method from the start point (then from w = 0 when a warm start
  /// does not converge). When that does not converge within `max_iter` iterations (default
  /// 20(m + d) + 50), a fallback runs from w = 0 releasing one working-set member at a time,
  /// with at least the default cap. False when the fallback did not converge either (w,
  /// value and λ are then those of the last iterate).
  bool solve(int max_iter = -1);
  /// Solves that needed the fallback (see solve()).
  [[nodiscard]] std::uint64_t fallbacks() const { return fallbacks_; }
  /// Iterations that reused the factorised reduced model of an earlier iteration with the same
  /// working set and right-piece rows (see run()); off: every iteration factorises (the
  /// reference the test compares against: the steps must be the same).
  [[nodiscard]] std::uint64_t model_reuses() const { return model_reuses_; }
  void set_reuse_model(bool on) { reuse_model_ = on; }
  /// While the working set is empty the null-space basis Q2 is the identity: the products
  /// with it (Q2ᵀ·g, Q2·p, the rows' null-space coordinates and the two small Gram matrices)
  /// are then taken from the sparse rows directly (the same numbers: only products with exact
  /// zeros are left out). Off: the dense products every iteration (the test's reference).
  void set_identity_shortcut(bool on) { ident_shortcut_ = on; }
  /// Reduced Hessians formed by that shortcut.
  [[nodiscard]] std::uint64_t identity_models() const { return ident_models_; }
  /// The ray test's null space (of the unit rows' Gram matrix) from a pivoted Cholesky when its
  /// pivots split clearly into nonzero and zero ones, the eigensolver otherwise (off: always
  /// the eigensolver, the reference). The same subspace up to rounding, a tenth of the work.
  void set_null_space_ldlt(bool on) { null_space_ldlt_ = on; }
  /// Ray tests decided by that factorisation.
  [[nodiscard]] std::uint64_t null_space_ldlts() const { return null_ldlt_; }

  [[nodiscard]] const Eigen::VectorXd& w() const { return w_; }
  [[nodiscard]] const Eigen::VectorXd& z() const { return z_; }
  /// Σ g_i(z_i) at w (in the node's own terms; +inf if w violates a domain bound).
  [[nodiscard]] double value() const { return value_; }
  [[nodiscard]] const Eigen::VectorXd& lambda() const { return lambda_; }
  [[nodiscard]] std::uint64_t iterations() const { return iters_; }

  [[nodiscard]] std::size_t samples() const { return m_; }
  [[nodiscard]] std::size_t dim() const { return d_; }

 private:
  static constexpr double kInfinity = __builtin_huge_val();
  enum Piece : std::int8_t { kLeft = -1, kRight = 1 };
  /// g = K0 + s·z on z < b, c(z − y)² on z ≥ b; domain [lo, hi].
  struct Fn {
    double b, K0, s, lo, hi;
  };
  [[nodiscard]] Fn fn(std::size_t i) const {
    const auto ii = static_cast<Eigen::Index>(i);
    const double y = y_(ii), c = c_(ii);
    if (xnorm_(ii) == 0) return {kInfinity, c * y * y, 0.0, -kInfinity, kInfinity};  // z ≡ 0: the constant c·y²
    if (y <= 0) return {0.0, c * y * y, 0.0, -kInfinity, kInfinity};
    switch (state_[i]) {
      case 1:
        return {-kInfinity, 0.0, 0.0, 0.0, kInfinity};
      case -1:
        return {kInfinity, c * y * y, 0.0, -kInfinity, 0.0};
      default:
        return env_[i];
    }
  }
  bool run(int max_iter, bool single = false);  ///< single: one release at a time throughout
  void compute_z();
  void finish_values();
  /// ⟨x_i, v⟩ over the stored nonzeros of row i of Xs_.
  [[nodiscard]] double row_dot(std::size_t i, const Eigen::VectorXd& v) const;
  /// out += a·x_i (sparse row).
  void row_axpy(std::size_t i, double a, Eigen::VectorXd& out) const;
  /// out = Xs_·v (sparse rows).
  void mul_rows(const Eigen::VectorXd& v, Eigen::VectorXd& out) const;
  /// out = a·Q.rightCols(n2)ᵀ·x_i (the null-space coordinates of a sparse row).
  void row_times_q2(std::size_t i, double a, Eigen::Index n2, Eigen::Ref<Eigen::VectorXd> out) const;
  // The working set's factorisation A_Wᵀ = Q.leftCols(k)·R (k = |W|, R upper triangular, Q
  // orthogonal d × d; its last d − k columns span the null space of the W rows).
  void w_clear();
  bool w_add(std::size_t i, double target);  ///< false when x_i depends on the W rows
  void w_refactor();                         ///< from scratch, in W's order (members may drop out)
  /// Qt_ is the identity (no member added since the last w_clear) and the shortcut is on.
  [[nodiscard]] bool q_ident() const { return ident_ && ident_shortcut_; }

  std::size_t m_, d_;
  Eigen::MatrixXd Xs_;  ///< X·D (equilibrated columns), m × d
  Eigen::VectorXd D_, y_, c_, xnorm_, offset_;
  Eigen::VectorXd sc_;                 ///< √(2c_i)
  double ymax_ = 0;                    ///< max |y_i|
  std::vector<Eigen::Index> rp_, cj_;  ///< the nonzeros of Xs_ by rows (CSR)
  std::vector<double> cv_;
  Eigen::MatrixXd Qt_, R_;  ///< the working set's factorisation (Qt_ = Qᵀ, see w_add)
  // Workspaces (sized once: no allocation per iteration where avoidable).
  std::vector<std::size_t> rows_;  ///< the free right-piece samples of an iteration
  std::vector<std::size_t> wkeep_;
  /// The factorisation's version (bumped whenever Qt_ or W changes) and that of the reduced
  /// model last factorised by ldlt_ (with its right-piece rows; see run()).
  std::uint64_t qver_ = 0, model_ver_ = ~std::uint64_t{0}, model_reuses_ = 0;
  bool reuse_model_ = true;
  bool ident_ = true, ident_shortcut_ = true;  ///< see q_ident()
  std::uint64_t ident_models_ = 0;
  std::vector<std::size_t> model_rows_;
  std::vector<Fn> fns_;                 ///< fn(i) of every sample during a run
  Eigen::MatrixXd SQt_, UQt_, Hz_, G_;  ///< SQt_ = (S·Q2)ᵀ, UQt_ = (U·Q2)ᵀ
  Eigen::VectorXd g_, glin_, p_, dz_, rhs_, nu_, qa_, gz_, pz_, q_, sp_, grad_, hwork_, ess_;
  Eigen::LDLT<Eigen::MatrixXd> ldlt_;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es_;
  NullSpaceWork null_work_;
  bool null_space_ldlt_ = true;
  std::uint64_t null_ldlt_ = 0;
  Eigen::LLT<Eigen::MatrixXd> llt_;
  std::vector<std::int8_t> state_;
  std::vector<Fn> env_;                        ///< the undecided function of each sample (set_interval)
  Eigen::VectorXd v_, w_, z_, lambda_, keep_;  ///< keep_: the start point while solve() projects it
  double value_ = 0;
  std::uint64_t iters_ = 0, fallbacks_ = 0;
  std::function<bool()> stop_;
  bool stopped_ = false;
  // working set
  std::vector<std::int8_t> piece_;
  std::vector<std::uint8_t> inW_;
  std::vector<std::size_t> W_;
  std::vector<double> target_;
  std::vector<std::pair<double, std::size_t>> kinks_;   ///< scratch: breakpoints along a step
  std::vector<std::size_t> crossed_;                    ///< scratch: samples a step crosses
  std::vector<std::pair<Eigen::Index, bool>> release_;  ///< scratch: W rows to release (upwards?)
};

}  // namespace relugap::exact_detail
