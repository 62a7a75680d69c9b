#pragma once
// The gradient trainer's objective, exposed for benchmarks and the exact solver.
// Mean loss (1/Σc) Σ_i c_i (Σ_j a_j ReLU(⟨w_j, x_i⟩) − y_i)² and its gradient, with
// X·Wᵀ and Dᵀ·X as sparse (or dense, for dense data) matrix products.
#include <Eigen/Dense>

#include "solvers/train_common.hpp"

namespace relugap::train_detail {

class ReluObjective {
 public:
  ReluObjective(const EigenData& e, std::size_t k) : e_(e), k_(k) {}
  /// Mean loss at (W, a) (W is k × d); fills gW (k × d) and ga (k).
  double value_grad(const Eigen::MatrixXd& W, const Eigen::VectorXd& a, Eigen::MatrixXd& gW, Eigen::VectorXd& ga);
  /// Mean loss only.
  double value(const Eigen::MatrixXd& W, const Eigen::VectorXd& a);

 private:
  const EigenData& e_;
  std::size_t k_;
  Eigen::MatrixXd Z_, D_;
  Eigen::VectorXd r_;
};

/// Deterministic initial point of start `index` (scale adapted to the data).
void gd_initial_point(const EigenData& e, const TrainOptions& opts, std::size_t index, Eigen::MatrixXd& W,
                      Eigen::VectorXd& a);

}  // namespace relugap::train_detail
