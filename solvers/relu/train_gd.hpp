#pragma once
// The gradient trainer's objective, exposed for benchmarks and the exact solver.
// Mean loss (1/Σc) Σ_i c_i (Σ_j a_j ReLU(⟨w_j, x_i⟩) − y_i)² and its gradient, with
// X·Wᵀ and Dᵀ·X as sparse (or dense, for dense data) matrix products, or on dense data
// one fused pass over X (solvers/relu/relu_kernel.hpp, dense or CSR).
#include <Eigen/Dense>
#include <vector>

#include "solvers/relu/relu_kernel.hpp"
#include "solvers/relu/train_common.hpp"

namespace relugap::train_detail {

class ReluObjective {
 public:
  /// Uses the fused AVX2 kernel (relu_kernel.hpp) when the CPU has it, k ≤ 16 and
  /// allow_fused; otherwise Eigen (sparse or dense) matrix products.
  ReluObjective(const EigenData& e, std::size_t k, bool allow_fused = true);
  [[nodiscard]] bool uses_fused_kernel() const { return fused_; }
  /// The fused kernel is used for k ≥ 2 when available: for k = 1 three of its four
  /// lanes would be padding and Eigen's matrix-vector products are as fast (bench/).
  static bool uses_fused_kernel_for(std::size_t k) { return k >= 2 && fused_relu_kernel_available(k); }
  /// Mean loss at (W, a) (W is k × d); fills gW (k × d) and ga (k).
  double value_grad(const Eigen::MatrixXd& W, const Eigen::VectorXd& a, Eigen::MatrixXd& gW, Eigen::VectorXd& ga);
  /// Mean loss only.
  double value(const Eigen::MatrixXd& W, const Eigen::VectorXd& a);

 private:
  const EigenData& e_;
  std::size_t k_;
  bool fused_ = false;
  std::vector<double> Wt_, a_, gWt_, ga_;  // padded kernel operands (fused path)
  Eigen::MatrixXd Z_, D_;
  Eigen::VectorXd r_;
  double fused(const Eigen::MatrixXd& W, const Eigen::VectorXd& a, Eigen::MatrixXd* gW, Eigen::VectorXd* ga);
};

/// Deterministic initial point of start `index` (scale adapted to the data).
void gd_initial_point(const EigenData& e, const TrainOptions& opts, std::size_t index, Eigen::MatrixXd& W,
                      Eigen::VectorXd& a);

}  // namespace relugap::train_detail
