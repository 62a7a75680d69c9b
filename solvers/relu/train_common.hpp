#pragma once
// Shared plumbing of the trainers (not part of the public interface): the data as
// Eigen matrices, deadlines, serialised progress reports, constraint projections.
#include <Eigen/Dense>
#include <Eigen/Sparse>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

#include "instances/core/interrupt.hpp"
#include "solvers/relu/trainer.hpp"

namespace relugap::train_detail {

using SparseRM = Eigen::SparseMatrix<double, Eigen::RowMajor, std::int64_t>;
using DenseRM = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// X (m × d, sparse row-major), y, c, and a dense copy when the data are dense enough
/// that dense GEMM beats sparse products.
struct EigenData {
  SparseRM X;
  DenseRM dense;  ///< m × d row-major (rows are what the fused kernel streams), filled only when use_dense
  bool use_dense = false;
  Eigen::VectorXd y, c;
  double total_weight = 0;
  std::size_t m = 0, d = 0;
};
EigenData to_eigen(const TrainingSet& data, bool allow_dense = true);

/// Throws Failure "train.param" on options inconsistent with the data.
void validate(const TrainingSet& data, const TrainOptions& opts);

class Clock {
 public:
  explicit Clock(double limit_seconds, const std::atomic<bool>* stop)
      : start_(std::chrono::steady_clock::now()), limit_(limit_seconds), stop_(stop) {}
  [[nodiscard]] double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  [[nodiscard]] bool out_of_time() const { return seconds() >= limit_; }
  /// The caller's stop flag, or SIGINT/SIGTERM (instances/core/interrupt.hpp).
  [[nodiscard]] bool interrupted() const {
    return (stop_ != nullptr && stop_->load(std::memory_order_relaxed)) || relugap::interrupted();
  }
  [[nodiscard]] bool should_stop() const { return interrupted() || out_of_time(); }

 private:
  std::chrono::steady_clock::time_point start_;
  double limit_;
  const std::atomic<bool>* stop_;
};

/// Serialises and rate-limits progress callbacks (at most one every `interval` seconds,
/// plus forced ones).
class Progress {
 public:
  Progress(const ProgressCallback& cb, const Clock& clock, double interval = 0.1)
      : cb_(cb), clock_(clock), interval_(interval) {}
  void report(TrainProgress p, bool force = false);

 private:
  const ProgressCallback& cb_;
  const Clock& clock_;
  double interval_;
  double last_ = -1e300;
  std::mutex mu_;
};

/// Euclidean projection of v onto {a : sign constraints, ‖a‖₁ ≤ B} (B may be unset).
void project_output(Eigen::Ref<Eigen::VectorXd> a, const TrainConstraints& c);
/// Projects every row of W onto the ball ‖w‖ ≤ R (when R is set).
void project_units(Eigen::Ref<Eigen::MatrixXd> W, const TrainConstraints& c);

/// Total weighted loss of (W, a) (W is k × d) computed with the Eigen data.
double eigen_loss(const EigenData& e, const Eigen::MatrixXd& W, const Eigen::VectorXd& a);

Network to_network(const Eigen::MatrixXd& W, const Eigen::VectorXd& a);

/// Fills loss / upper bound / exact loss / seconds from res.net.
void finish(const TrainingSet& data, const TrainOptions& opts, const Clock& clock, TrainResult& res);

/// A child seed for item `index` of a run seeded with `seed` (independent of threads).
std::uint64_t child_seed(std::uint64_t seed, std::uint64_t stream, std::uint64_t index);

/// Runs body(i) for i in [0, n) on `threads` threads; item i goes to thread i mod threads.
template <class F>
void parallel_for_strided(std::size_t n, unsigned threads, F&& body);

}  // namespace relugap::train_detail

#include <thread>

namespace relugap::train_detail {
template <class F>
void parallel_for_strided(std::size_t n, unsigned threads, F&& body) {
  unsigned t = threads == 0 ? 1 : threads;
  if (t > n) t = static_cast<unsigned>(n == 0 ? 1 : n);
  if (t <= 1) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  std::vector<std::thread> pool;
  std::exception_ptr err;
  std::mutex err_mu;
  for (unsigned w = 0; w < t; ++w)
    pool.emplace_back([&, w] {
      try {
        for (std::size_t i = w; i < n; i += t) body(i);
      } catch (...) {
        std::lock_guard<std::mutex> lk(err_mu);
        if (!err) err = std::current_exception();
      }
    });
  for (auto& th : pool) th.join();
  if (err) std::rethrow_exception(err);
}
}  // namespace relugap::train_detail
