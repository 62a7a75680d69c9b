// gd: multi-start full-batch training with Adam (projected when constrained) or L-BFGS.
#include "solvers/relu/train_gd.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <mutex>
#include <string>

#include "instances/core/error.hpp"
#include "instances/core/rng.hpp"
#include "solvers/relu/relu_kernel.hpp"
#include "solvers/relu/train_common.hpp"

namespace relugap {

using train_detail::Clock;
using train_detail::EigenData;
using train_detail::Progress;

namespace train_detail {

ReluObjective::ReluObjective(const EigenData& e, std::size_t k, bool allow_fused)
    : e_(e), k_(k), fused_(allow_fused && uses_fused_kernel_for(k)) {
  if (fused_) {
    const std::size_t kp = fused_padded_units(k);
    Wt_.assign(e.d * kp, 0.0);
    gWt_.assign(e.d * kp, 0.0);
    a_.assign(kp, 0.0);
    ga_.assign(kp, 0.0);
  }
}

double ReluObjective::fused(const Eigen::MatrixXd& W, const Eigen::VectorXd& a, Eigen::MatrixXd* gW,
                            Eigen::VectorXd* ga) {
  const std::size_t kp = fused_padded_units(k_), d = e_.d;
  for (std::size_t j = 0; j < k_; ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    a_[j] = a[jj];
    for (std::size_t t = 0; t < d; ++t) Wt_[t * kp + j] = W(jj, static_cast<Eigen::Index>(t));
  }
  FusedReluArgs p;
  if (e_.use_dense) {
    p.X = e_.dense.data();
  } else {
    p.row_ptr = e_.X.outerIndexPtr();
    p.col = e_.X.innerIndexPtr();
    p.val = e_.X.valuePtr();
  }
  p.m = e_.m;
  p.d = d;
  p.y = e_.y.data();
  p.c = e_.c.data();
  p.Wt = Wt_.data();
  p.a = a_.data();
  p.kp = kp;
  if (gW != nullptr) {
    p.gWt = gWt_.data();
    p.ga = ga_.data();
    p.gscale = 2.0 / e_.total_weight;
  }
  const double L = fused_relu_loss_grad(p) / e_.total_weight;
  if (gW != nullptr) {
    const auto k = static_cast<Eigen::Index>(k_);
    gW->resize(k, static_cast<Eigen::Index>(d));
    ga->resize(k);
    for (std::size_t j = 0; j < k_; ++j) {
      const auto jj = static_cast<Eigen::Index>(j);
      (*ga)[jj] = ga_[j];
      for (std::size_t t = 0; t < d; ++t) (*gW)(jj, static_cast<Eigen::Index>(t)) = gWt_[t * kp + j];
    }
  }
  return L;
}

double ReluObjective::value(const Eigen::MatrixXd& W, const Eigen::VectorXd& a) {
  if (fused_) return fused(W, a, nullptr, nullptr);
  if (e_.use_dense)
    Z_.noalias() = e_.dense * W.transpose();
  else
    Z_.noalias() = e_.X * W.transpose();
  r_.noalias() = Z_.cwiseMax(0.0) * a;
  r_ -= e_.y;
  return e_.c.dot(r_.cwiseAbs2()) / e_.total_weight;
}

double ReluObjective::value_grad(const Eigen::MatrixXd& W, const Eigen::VectorXd& a, Eigen::MatrixXd& gW,
                                 Eigen::VectorXd& ga) {
  if (fused_) return fused(W, a, &gW, &ga);
  const double L = value(W, a);
  // g_i = 2 c_i r_i / C ; ga = ReLU(Z)ᵀ g ; D_ij = g_i a_j [Z_ij > 0] ; gW = Dᵀ X.
  r_ = r_.cwiseProduct(e_.c) * (2.0 / e_.total_weight);
  const auto k = static_cast<Eigen::Index>(k_);
  D_.resize(Z_.rows(), k);
  ga.resize(k);
  for (Eigen::Index j = 0; j < k; ++j) {
    double acc = 0;
    const double aj = a[j];
    for (Eigen::Index i = 0; i < Z_.rows(); ++i) {
      const double z = Z_(i, j);
      const bool on = z > 0;
      acc += on ? z * r_[i] : 0.0;
      D_(i, j) = on ? r_[i] * aj : 0.0;
    }
    ga[j] = acc;
  }
  if (e_.use_dense)
    gW.noalias() = D_.transpose() * e_.dense;
  else
    gW.noalias() = (e_.X.transpose() * D_).transpose();
  return L;
}

namespace {
struct Scales {
  double w = 1, a = 1, y2 = 1;
};
Scales data_scales(const EigenData& e, std::size_t k) {
  Scales s;
  double x2 = 0;
  for (Eigen::Index i = 0; i < e.X.outerSize(); ++i) {
    double n = 0;
    for (SparseRM::InnerIterator it(e.X, i); it; ++it) n += it.value() * it.value();
    x2 += e.c[i] * n;
  }
  x2 /= e.total_weight;
  s.w = x2 > 0 ? 1.0 / std::sqrt(x2) : 1.0;
  s.y2 = e.c.dot(e.y.cwiseAbs2()) / e.total_weight;
  const double yrms = std::sqrt(s.y2);
  s.a = yrms > 0 ? yrms / (0.4 * static_cast<double>(k)) : 1.0;
  return s;
}
}  // namespace

void gd_initial_point(const EigenData& e, const TrainOptions& opts, std::size_t index, Eigen::MatrixXd& W,
                      Eigen::VectorXd& a) {
  const auto k = static_cast<Eigen::Index>(opts.units);
  const auto d = static_cast<Eigen::Index>(e.d);
  Scales s = data_scales(e, opts.units);
  Rng rng(child_seed(opts.seed, 1, index));
  W.resize(k, d);
  a.resize(k);
  for (Eigen::Index j = 0; j < k; ++j)
    for (Eigen::Index t = 0; t < d; ++t) W(j, t) = rng.normal() * s.w;
  for (Eigen::Index j = 0; j < k; ++j) {
    double sign = opts.constraints.output_signs.empty() ? (rng.bernoulli(0.5) ? 1.0 : -1.0)
                                                        : opts.constraints.output_signs[static_cast<std::size_t>(j)];
    a[j] = sign * s.a * (0.5 + rng.uniform01());
  }
  project_units(W, opts.constraints);
  project_output(a, opts.constraints);
}

}  // namespace train_detail

namespace {

using train_detail::ReluObjective;

struct StartOutcome {
  Eigen::MatrixXd W;
  Eigen::VectorXd a;
  double mean_loss = std::numeric_limits<double>::infinity();
  std::uint64_t iterations = 0;
  bool ran = false;
  bool stopped_by_clock = false;
};

struct Shared {
  const EigenData& e;
  const TrainOptions& opts;
  const Clock& clock;
  Progress& progress;
  std::mutex mu;
  double best = std::numeric_limits<double>::infinity();
  std::uint64_t iterations = 0, starts_done = 0;
  void note(double loss, std::uint64_t iters_delta, bool start_done) {
    std::lock_guard<std::mutex> lk(mu);
    best = std::min(best, loss);
    iterations += iters_delta;
    if (start_done) ++starts_done;
  }
  void report(double within_start_fraction) {
    TrainProgress p;
    p.phase = "gd";
    {
      std::lock_guard<std::mutex> lk(mu);
      p.best_loss = best * e.total_weight;
      p.iterations = iterations;
      p.fraction = (static_cast<double>(starts_done) + within_start_fraction) / static_cast<double>(opts.gd.starts);
    }
    progress.report(p);
  }
};

// Stopping rule shared by both methods: relative improvement over `patience` iterations.
class Stopper {
 public:
  Stopper(const GdParams& p, double y2) : p_(p), floor_(p.abs_tol * std::max(y2, 1e-300)) {}
  bool done(double loss) {
    if (loss <= floor_) return true;
    hist_.push_back(loss);
    if (hist_.size() <= p_.patience) return false;
    double old = hist_.front();
    hist_.pop_front();
    return old - loss <= p_.rel_tol * std::max(old, 1e-300);
  }

 private:
  const GdParams& p_;
  double floor_;
  std::deque<double> hist_;
};

void run_adam(Shared& sh, std::size_t index, StartOutcome& out) {
  const auto& opts = sh.opts;
  ReluObjective obj(sh.e, opts.units);
  Eigen::MatrixXd W, gW, mW, vW;
  Eigen::VectorXd a, ga, ma, va;
  train_detail::gd_initial_point(sh.e, opts, index, W, a);
  const double y2 = sh.e.c.dot(sh.e.y.cwiseAbs2()) / sh.e.total_weight;
  // Step sizes in the units of the initial weights.
  const double sw = std::max(W.cwiseAbs().maxCoeff(), 1e-12), sa = std::max(a.cwiseAbs().maxCoeff(), 1e-12);
  const double lr_w = opts.gd.learning_rate * sw, lr_a = opts.gd.learning_rate * sa;
  const double b1 = 0.9, b2 = 0.999, eps = 1e-12;
  mW = Eigen::MatrixXd::Zero(W.rows(), W.cols());
  vW = mW;
  ma = Eigen::VectorXd::Zero(a.size());
  va = ma;
  Stopper stop(opts.gd, y2);
  out.W = W;
  out.a = a;
  out.mean_loss = std::numeric_limits<double>::infinity();
  double p1 = 1, p2 = 1;
  std::uint64_t since_note = 0;
  for (std::size_t it = 0; it < opts.gd.max_iters; ++it) {
    if (sh.clock.should_stop()) {
      out.stopped_by_clock = true;
      break;
    }
    double L = obj.value_grad(W, a, gW, ga);
    ++out.iterations;
    ++since_note;
    if (L < out.mean_loss) {
      out.mean_loss = L;
      out.W = W;
      out.a = a;
    }
    if (stop.done(L)) break;
    p1 *= b1;
    p2 *= b2;
    mW = b1 * mW + (1 - b1) * gW;
    vW = b2 * vW + (1 - b2) * gW.cwiseAbs2();
    ma = b1 * ma + (1 - b1) * ga;
    va = b2 * va + (1 - b2) * ga.cwiseAbs2();
    const double c1 = 1 / (1 - p1), c2 = 1 / (1 - p2);
    W.array() -= lr_w * (mW.array() * c1) / ((vW.array() * c2).sqrt() + eps * sw);
    a.array() -= lr_a * (ma.array() * c1) / ((va.array() * c2).sqrt() + eps * sa);
    train_detail::project_units(W, opts.constraints);
    train_detail::project_output(a, opts.constraints);
    if (since_note >= 64) {
      sh.note(out.mean_loss, since_note, false);
      since_note = 0;
      sh.report(static_cast<double>(it) / static_cast<double>(opts.gd.max_iters));
    }
  }
  double L = obj.value(W, a);
  if (L < out.mean_loss) {
    out.mean_loss = L;
    out.W = W;
    out.a = a;
  }
  sh.note(out.mean_loss, since_note, true);
}

// L-BFGS (two-loop recursion) with a backtracking Armijo line search on θ = (W, a).
void run_lbfgs(Shared& sh, std::size_t index, StartOutcome& out) {
  const auto& opts = sh.opts;
  ReluObjective obj(sh.e, opts.units);
  Eigen::MatrixXd W, gW, W2, gW2;
  Eigen::VectorXd a, ga, a2, ga2;
  train_detail::gd_initial_point(sh.e, opts, index, W, a);
  const auto nw = W.size(), k = a.size(), n = nw + k;
  auto pack = [&](const Eigen::MatrixXd& M, const Eigen::VectorXd& v, Eigen::VectorXd& th) {
    th.resize(n);
    th.head(nw) = Eigen::Map<const Eigen::VectorXd>(M.data(), nw);
    th.tail(k) = v;
  };
  auto unpack = [&](const Eigen::VectorXd& th, Eigen::MatrixXd& M, Eigen::VectorXd& v) {
    M = Eigen::Map<const Eigen::MatrixXd>(th.data(), W.rows(), W.cols());
    v = th.tail(k);
  };
  const double y2 = sh.e.c.dot(sh.e.y.cwiseAbs2()) / sh.e.total_weight;
  Eigen::VectorXd th, g, th2, g2, dir;
  double L = obj.value_grad(W, a, gW, ga);
  ++out.iterations;
  pack(W, a, th);
  pack(gW, ga, g);
  const std::size_t mem = std::max<std::size_t>(opts.gd.lbfgs_memory, 1);
  std::deque<Eigen::VectorXd> S, Y;
  std::deque<double> rho;
  Stopper stop(opts.gd, y2);
  std::uint64_t since_note = 0;
  bool just_reset = true;
  const double scale0 = std::max(th.cwiseAbs().maxCoeff(), 1e-12);
  for (std::size_t it = 0; it < opts.gd.max_iters; ++it) {
    if (sh.clock.should_stop()) {
      out.stopped_by_clock = true;
      break;
    }
    if (stop.done(L)) break;
    const double gn = g.norm();
    if (!(gn > 0)) break;
    // Two-loop recursion.
    dir = -g;
    std::vector<double> alpha(S.size());
    for (std::size_t i = S.size(); i-- > 0;) {
      alpha[i] = rho[i] * S[i].dot(dir);
      dir -= alpha[i] * Y[i];
    }
    if (!S.empty()) dir *= S.back().dot(Y.back()) / Y.back().squaredNorm();
    for (std::size_t i = 0; i < S.size(); ++i) {
      double beta = rho[i] * Y[i].dot(dir);
      dir += (alpha[i] - beta) * S[i];
    }
    double slope = g.dot(dir);
    if (!(slope < 0)) {  // not a descent direction: restart from steepest descent
      S.clear();
      Y.clear();
      rho.clear();
      dir = -g;
      slope = -gn * gn;
    }
    double step = S.empty() ? 0.1 * scale0 / gn : 1.0;
    double L2 = 0;
    bool ok = false;
    for (int ls = 0; ls < 40; ++ls) {
      th2 = th + step * dir;
      unpack(th2, W2, a2);
      L2 = obj.value_grad(W2, a2, gW2, ga2);
      ++out.iterations;
      ++since_note;
      if (std::isfinite(L2) && L2 <= L + 1e-4 * step * slope) {
        ok = true;
        break;
      }
      step *= 0.5;
    }
    if (!ok) {
      if (just_reset) break;  // even steepest descent failed: converged to working precision
      S.clear();
      Y.clear();
      rho.clear();
      just_reset = true;
      continue;
    }
    just_reset = false;
    pack(gW2, ga2, g2);
    Eigen::VectorXd s = th2 - th, yv = g2 - g;
    const double sy = s.dot(yv);
    if (sy > 1e-12 * s.norm() * yv.norm()) {
      S.push_back(std::move(s));
      Y.push_back(std::move(yv));
      rho.push_back(1.0 / sy);
      if (S.size() > mem) {
        S.pop_front();
        Y.pop_front();
        rho.pop_front();
      }
    }
    th.swap(th2);
    g.swap(g2);
    L = L2;
    if (since_note >= 32) {
      sh.note(L, since_note, false);
      since_note = 0;
      sh.report(static_cast<double>(it) / static_cast<double>(opts.gd.max_iters));
    }
  }
  unpack(th, out.W, out.a);
  out.mean_loss = L;
  sh.note(out.mean_loss, since_note, true);
}

}  // namespace

TrainResult train_gd(const TrainingSet& data, const TrainOptions& opts) {
  train_detail::validate(data, opts);
  Clock clock(opts.time_limit, opts.stop);
  Progress progress(opts.progress, clock);
  EigenData e = train_detail::to_eigen(data);
  const bool constrained =
      opts.constraints.unit_norm || opts.constraints.output_l1 || !opts.constraints.output_signs.empty();
  GdMethod method = opts.gd.method;
  if (method == GdMethod::kAuto) method = constrained ? GdMethod::kAdam : GdMethod::kLbfgs;
  if (method == GdMethod::kLbfgs && constrained)
    fail("train.param", "train", 0, "L-BFGS is unconstrained: use Adam (projected) with norm, B or sign constraints");
  const std::size_t starts = std::max<std::size_t>(opts.gd.starts, 1);
  TrainOptions o = opts;
  o.gd.starts = starts;
  Shared sh{e, o, clock, progress, {}, std::numeric_limits<double>::infinity(), 0, 0};
  std::vector<StartOutcome> outs(starts);
  train_detail::parallel_for_strided(starts, opts.threads, [&](std::size_t s) {
    if (clock.should_stop() && s > 0) return;  // start 0 always runs (at least its initial point)
    outs[s].ran = true;
    if (method == GdMethod::kAdam)
      run_adam(sh, s, outs[s]);
    else
      run_lbfgs(sh, s, outs[s]);
  });
  TrainResult res;
  res.stats.kernel = train_detail::ReluObjective::uses_fused_kernel_for(opts.units) ? "avx2-fma" : "eigen";
  std::size_t best = 0;
  bool clock_hit = false;
  for (std::size_t s = 0; s < starts; ++s) {
    if (!outs[s].ran) {
      clock_hit = true;
      continue;
    }
    clock_hit = clock_hit || outs[s].stopped_by_clock;
    res.stats.iterations += outs[s].iterations;
    ++res.stats.starts;
    if (outs[s].mean_loss < outs[best].mean_loss) best = s;  // ties: lowest index
  }
  res.net = train_detail::to_network(outs[best].W, outs[best].a);
  train_detail::finish(data, opts, clock, res);
  res.status = clock.interrupted() ? SolveStatus::kInterrupted : SolveStatus::kFeasible;
  res.message = std::string(method == GdMethod::kAdam ? "adam" : "lbfgs") + ", best of " +
                std::to_string(res.stats.starts) + " starts" + (clock_hit ? " (stopped by the time limit)" : "");
  TrainProgress p;
  p.phase = "gd";
  p.fraction = 1;
  p.best_loss = res.loss;
  p.iterations = res.stats.iterations;
  progress.report(p, true);
  return res;
}

}  // namespace relugap
