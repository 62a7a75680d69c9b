#include "solvers/relu/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "instances/core/error.hpp"
#include "instances/problems/loss.hpp"
#include "solvers/relu/train_common.hpp"

namespace relugap {

std::string_view to_string(TrainAlgo a) {
  switch (a) {
    case TrainAlgo::kGd:
      return "gd";
    case TrainAlgo::kExact:
      return "exact";
    case TrainAlgo::kNet:
      return "net";
  }
  return "unknown";
}

std::optional<TrainAlgo> parse_train_algo(std::string_view name) {
  if (name == "gd") return TrainAlgo::kGd;
  if (name == "exact") return TrainAlgo::kExact;
  if (name == "net") return TrainAlgo::kNet;
  return std::nullopt;
}

std::string status_text(const TrainResult& r, TrainAlgo algo) {
  std::string s(to_string(r.status));
  if (algo != TrainAlgo::kExact || !r.lower_bound) return s;
  if (r.status == SolveStatus::kOptimal) return s + (r.certified ? " (certified)" : " (float)");
  return s + (r.certified ? " (certified lower bound)" : " (float lower bound)");
}

TrainResult train(const TrainingSet& data, TrainAlgo algo, const TrainOptions& opts) {
  switch (algo) {
    case TrainAlgo::kGd:
      return train_gd(data, opts);
    case TrainAlgo::kExact:
      return train_exact(data, opts);
    case TrainAlgo::kNet:
      return train_net(data, opts);
  }
  fail("train.algo", "train", 0, "unknown training algorithm");
}

namespace train_detail {

EigenData to_eigen(const TrainingSet& data, bool allow_dense) {
  EigenData e;
  e.m = data.samples();
  e.d = data.dim;
  // The set is already CSR with sorted, distinct columns per row: copy the arrays into the
  // compressed row-major matrix instead of going through triplets.
  e.X.resize(static_cast<Eigen::Index>(e.m), static_cast<Eigen::Index>(e.d));
  e.X.resizeNonZeros(static_cast<Eigen::Index>(data.nnz()));
  for (std::size_t i = 0; i <= e.m; ++i) e.X.outerIndexPtr()[i] = static_cast<std::int64_t>(data.row_ptr[i]);
  for (std::size_t p = 0; p < data.nnz(); ++p) {
    e.X.innerIndexPtr()[p] = static_cast<std::int64_t>(data.col[p].value());
    e.X.valuePtr()[p] = data.val[p];
  }
  e.y = Eigen::Map<const Eigen::VectorXd>(data.y.data(), static_cast<Eigen::Index>(e.m));
  e.c = Eigen::Map<const Eigen::VectorXd>(data.c.data(), static_cast<Eigen::Index>(e.m));
  e.total_weight = e.c.sum();
  const double cells = static_cast<double>(e.m) * static_cast<double>(e.d);
  // Dense GEMM wins well before full density; 25% and a bounded size is a safe switch.
  if (allow_dense && cells > 0 && static_cast<double>(data.nnz()) >= 0.25 * cells && cells <= 5e7) {
    e.use_dense = true;
    e.dense = DenseRM(e.X);
  }
  return e;
}

void validate(const TrainingSet& data, const TrainOptions& opts) {
  if (opts.units == 0) fail("train.param", "train", 0, "--units must be at least 1");
  if (data.dim == 0) fail("train.param", "train", 0, "the training set has dimension 0");
  if (data.samples() == 0) fail("train.param", "train", 0, "the training set has no samples");
  const auto& s = opts.constraints.output_signs;
  if (!s.empty()) {
    if (s.size() != opts.units)
      fail("train.param", "train", 0,
           "output sign pattern has " + std::to_string(s.size()) + " entries for " + std::to_string(opts.units) +
               " units");
    for (int v : s)
      if (v != 1 && v != -1) fail("train.param", "train", 0, "output signs must be +1 or -1");
  }
  if (opts.constraints.unit_norm && !(*opts.constraints.unit_norm > 0))
    fail("train.param", "train", 0, "the unit norm bound must be positive");
  if (opts.constraints.output_l1 && !(*opts.constraints.output_l1 > 0))
    fail("train.param", "train", 0, "the output-weight bound B must be positive");
  if (!(opts.time_limit > 0)) fail("train.param", "train", 0, "the time limit must be positive");
  for (std::size_t i = 0; i < data.samples(); ++i) {
    if (!std::isfinite(data.y[i]) || !std::isfinite(data.c[i]) || !(data.c[i] > 0))
      fail("train.param", "train", 0, "sample " + std::to_string(i + 1) + " has a non-finite label or a weight <= 0");
  }
  for (double v : data.val)
    if (!std::isfinite(v)) fail("train.param", "train", 0, "the training set has a non-finite entry");
}

void Progress::report(TrainProgress p, bool force) {
  if (!cb_) return;
  std::lock_guard<std::mutex> lk(mu_);
  double now = clock_.seconds();
  if (!force && now - last_ < interval_) return;
  last_ = now;
  p.seconds = now;
  cb_(p);
}

void project_output(Eigen::Ref<Eigen::VectorXd> a, const TrainConstraints& c) {
  if (!c.output_signs.empty())
    for (Eigen::Index j = 0; j < a.size(); ++j)
      if (a[j] * c.output_signs[static_cast<std::size_t>(j)] < 0) a[j] = 0;
  if (!c.output_l1) return;
  if (a.lpNorm<1>() <= *c.output_l1) return;
  // A relative 1e-12 inside, so that the rounded result lies in the class exactly.
  const double B = *c.output_l1 * (1 - 1e-12);
  // Duchi et al.: threshold θ with Σ max(|a_j| − θ, 0) = B.
  std::vector<double> u(static_cast<std::size_t>(a.size()));
  for (Eigen::Index j = 0; j < a.size(); ++j) u[static_cast<std::size_t>(j)] = std::abs(a[j]);
  std::sort(u.begin(), u.end(), std::greater<>());
  double cum = 0, theta = 0;
  for (std::size_t j = 0; j < u.size(); ++j) {
    cum += u[j];
    double t = (cum - B) / static_cast<double>(j + 1);
    if (j + 1 == u.size() || u[j + 1] <= t) {
      theta = t;
      break;
    }
  }
  for (Eigen::Index j = 0; j < a.size(); ++j) {
    double v = std::max(std::abs(a[j]) - theta, 0.0);
    a[j] = a[j] < 0 ? -v : v;
  }
}

void project_units(Eigen::Ref<Eigen::MatrixXd> W, const TrainConstraints& c) {
  if (!c.unit_norm) return;
  // A relative 1e-12 inside the ball: scaling onto R itself can round to a norm just
  // above R, outside the class that the bounds (and the exact checks) speak about.
  const double R = *c.unit_norm * (1 - 1e-12);
  for (Eigen::Index j = 0; j < W.rows(); ++j) {
    double n = W.row(j).norm();
    if (n > R) W.row(j) *= R / n;
  }
}

double eigen_loss(const EigenData& e, const Eigen::MatrixXd& W, const Eigen::VectorXd& a) {
  Eigen::MatrixXd Z = e.use_dense ? Eigen::MatrixXd(e.dense * W.transpose()) : Eigen::MatrixXd(e.X * W.transpose());
  Eigen::VectorXd f = Z.cwiseMax(0.0) * a;
  Eigen::VectorXd r = f - e.y;
  return e.c.dot(r.cwiseAbs2());
}

Network to_network(const Eigen::MatrixXd& W, const Eigen::VectorXd& a) {
  Network n(static_cast<std::size_t>(W.rows()), static_cast<std::size_t>(W.cols()));
  for (Eigen::Index j = 0; j < W.rows(); ++j) {
    for (Eigen::Index t = 0; t < W.cols(); ++t) n.w[static_cast<std::size_t>(j * W.cols() + t)] = W(j, t) + 0.0;
    n.a[static_cast<std::size_t>(j)] = a[j] + 0.0;  // + 0.0 turns −0 into +0 (stable bytes)
  }
  return n;
}

void finish(const TrainingSet& data, const TrainOptions& opts, const Clock& clock, TrainResult& res) {
  res.loss = loss(data, res.net);
  res.upper_bound = res.loss;
  if (opts.want_exact_loss) res.exact_loss = relugap::exact_loss(to_exact(data), to_exact(res.net));
  res.stats.seconds = clock.seconds();
}

std::uint64_t child_seed(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  // SplitMix64 finaliser over a combination: distinct (stream, index) give unrelated seeds.
  std::uint64_t z = seed ^ (stream * 0xD1B54A32D192ED03ULL) ^ (index * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace train_detail
}  // namespace relugap
