// net: PCA subspace, η-net, all k-multisets, output layer in the ℓ1 ball (train_net.hpp).
// GCC 12 reports false -Wmaybe-uninitialized inside Eigen's small fixed-capacity
// LDLT kernels; the pragma covers the Eigen headers only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <Eigen/Dense>
#include <Eigen/Eigenvalues>
#pragma GCC diagnostic pop

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <mutex>
#include <numbers>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include "instances/core/assert.hpp"
#include "instances/core/error.hpp"
#include "solvers/relu/relu_kernel.hpp"
#include "solvers/relu/train_common.hpp"
#include "solvers/relu/train_net.hpp"

namespace relugap {

using train_detail::Clock;
using train_detail::EigenData;
using train_detail::Progress;

namespace {

using SmallMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, 16, 16>;
using SmallVec = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, 16, 1>;
constexpr std::size_t kMaxUnitsNet = 16;

Eigen::MatrixXd covariance(const EigenData& e) {
  // Σ = Xᵀ C X / Σc, accumulated row by row from the CSR rows (lower triangle, then mirrored):
  // nnz(row)² work per row, no sparse-matrix conversions.
  const auto d = static_cast<Eigen::Index>(e.d);
  Eigen::MatrixXd S = Eigen::MatrixXd::Zero(d, d);
  const std::int64_t* outer = e.X.outerIndexPtr();
  const std::int64_t* inner = e.X.innerIndexPtr();
  const double* val = e.X.valuePtr();
  for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(e.m); ++i) {
    const double ci = e.c[i];
    for (std::int64_t p = outer[i]; p < outer[i + 1]; ++p) {
      const double cv = ci * val[p];
      double* col = S.col(static_cast<Eigen::Index>(inner[p])).data();
      for (std::int64_t q = p; q < outer[i + 1]; ++q) col[inner[q]] += cv * val[q];
    }
  }
  S.triangularView<Eigen::StrictlyUpper>() = S.transpose();
  return S / e.total_weight;
}

struct Spectrum {
  Eigen::VectorXd values;   // descending, clamped ≥ 0 (entries past the end are 0)
  Eigen::MatrixXd vectors;  // d × q, the top q eigenvectors in the same order (q ≤ values.size())
  [[nodiscard]] std::size_t usable() const { return static_cast<std::size_t>(vectors.cols()); }
};

// Sign convention so the basis (and the output) does not depend on the solver's choice.
void fix_sign(Eigen::Ref<Eigen::VectorXd> v) {
  Eigen::Index big = 0;
  v.cwiseAbs().maxCoeff(&big);
  if (v[big] < 0) v *= -1;
}

// Fewer samples than dimensions (maxcut: m = 2n, d = M = nD/2): Σ = XᵀCX/W has the
// nonzero eigenvalues of the m × m matrix K = C^½XXᵀC^½/W, with eigenvectors
// v = XᵀC^½u/√(Wλ). Only those of λ > 1e-10·λ₁ are kept (the others would divide by ~0),
// so r is capped at their count q; λ_{q+1} stays in the guarantee, which holds for V = the
// top-q eigenspace. O(m²d + m³) instead of O(d³).
Spectrum spectrum_gram(const EigenData& e) {
  if (e.m > 4096)
    fail("train.size", "net", 0,
         "min(samples, dimension) = " + std::to_string(e.m) + " is too large for the eigensolver (at most 4096)");
  const Eigen::VectorXd sqc = e.c.cwiseSqrt();
  const train_detail::SparseRM Xs = sqc.asDiagonal() * e.X;
  const Eigen::MatrixXd K = Eigen::MatrixXd(Xs * Xs.transpose()) / e.total_weight;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(K);
  const auto m = K.rows();
  Spectrum s;
  s.values.resize(m);
  for (Eigen::Index t = 0; t < m; ++t) s.values[t] = std::max(es.eigenvalues()[m - 1 - t], 0.0);
  Eigen::Index q = 0;
  while (q < m && s.values[q] > 1e-10 * s.values[0]) ++q;
  Eigen::MatrixXd U(m, q);
  for (Eigen::Index t = 0; t < q; ++t) U.col(t) = es.eigenvectors().col(m - 1 - t);
  s.vectors = Xs.transpose() * U;  // d × q
  for (Eigen::Index t = 0; t < q; ++t) {
    s.vectors.col(t).normalize();  // = /√(Wλ_t) up to rounding
    fix_sign(s.vectors.col(t));
  }
  return s;
}

Spectrum spectrum(const EigenData& e) {
  if (e.m < e.d && e.d > 256) return spectrum_gram(e);
  if (e.d > 4096)
    fail("train.size", "net", 0, "dimension " + std::to_string(e.d) + " is too large for the d × d eigensolver");
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(covariance(e));
  Spectrum s;
  const auto d = static_cast<Eigen::Index>(e.d);
  s.values.resize(d);
  s.vectors.resize(d, d);
  for (Eigen::Index t = 0; t < d; ++t) {
    s.values[t] = std::max(es.eigenvalues()[d - 1 - t], 0.0);
    s.vectors.col(t) = es.eigenvectors().col(d - 1 - t);
    fix_sign(s.vectors.col(t));
  }
  return s;
}

double lambda_at(const std::vector<double>& ev, std::size_t idx) { return idx < ev.size() ? ev[idx] : 0.0; }

double grid_spacing(std::size_t r, double eta) { return r == 0 ? 1.0 : 2 * eta / std::sqrt(static_cast<double>(r)); }

// Number of integer vectors v ∈ Z^r with ‖h v‖ ≤ rho (exact DP when cheap, else the volume).
double count_points(std::size_t r, double h, double rho, double dp_limit = 2e8) {
  if (r == 0) return 1;
  const double q = rho / h;
  const auto M = static_cast<std::int64_t>(std::floor(q));
  const auto S = static_cast<std::int64_t>(std::floor(q * q + 1e-9));
  if (static_cast<double>(r) * static_cast<double>(S + 1) * static_cast<double>(2 * M + 1) > dp_limit) {
    const double rr = static_cast<double>(r);
    return std::exp(0.5 * rr * std::log(std::numbers::pi) - std::lgamma(0.5 * rr + 1) + rr * std::log(q));
  }
  std::vector<double> cnt(static_cast<std::size_t>(S + 1), 0.0), next;
  cnt[0] = 1;
  for (std::size_t dim = 0; dim < r; ++dim) {
    next.assign(cnt.size(), 0.0);
    for (std::int64_t s = 0; s <= S; ++s) {
      if (cnt[static_cast<std::size_t>(s)] == 0) continue;
      for (std::int64_t v = -M; v <= M; ++v) {
        const std::int64_t t = s + v * v;
        if (t <= S) next[static_cast<std::size_t>(t)] += cnt[static_cast<std::size_t>(s)];
      }
    }
    cnt.swap(next);
  }
  double total = 0;
  for (double c : cnt) total += c;
  return total;
}

double multisets(double n, std::size_t k) {
  // C(n + k − 1, k)
  double v = 1;
  for (std::size_t j = 0; j < k; ++j) v = v * (n + static_cast<double>(j)) / static_cast<double>(j + 1);
  return v;
}

// The net points in lexicographic order of their integer grid coordinates v ∈ [−M, M]^r with
// ‖h v‖ ≤ 1 + η (pruned on the partial norm), each projected onto the unit ball and scaled
// by R; produced in chunks so a one-unit run never holds all of them.
class GridWalker {
 public:
  GridWalker(std::size_t r, double eta, double R)
      : r_(r),
        R_(R),
        h_(grid_spacing(r, eta)),
        lim_((1 + eta) * (1 + eta) * (1 + 1e-12)),
        M_(r == 0 ? 0 : static_cast<std::int64_t>(std::floor((1 + eta) / grid_spacing(r, eta)))),
        v_(r, 0),
        L_(r, 0),
        part_(r + 1, 0.0) {
    for (std::size_t u = 0; u < r_; ++u) set_level(u);
  }
  /// Appends up to `max` points as rows of `out` (resized to count × r); returns the count.
  std::size_t next(std::size_t max, Eigen::MatrixXd& out) {
    out.resize(static_cast<Eigen::Index>(max), static_cast<Eigen::Index>(r_));
    std::size_t n = 0;
    while (n < max && !done_) {
      const double norm = std::sqrt(part_[r_]);
      const double scale = norm > 1 ? 1 / norm : 1.0;  // project onto the unit ball
      for (std::size_t u = 0; u < r_; ++u)
        out(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(u)) = R_ * scale * h_ * static_cast<double>(v_[u]);
      ++n;
      advance();
    }
    out.conservativeResize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(r_));
    return n;
  }
  [[nodiscard]] bool done() const { return done_; }

 private:
  [[nodiscard]] bool fits(double part, std::int64_t x) const {
    return !(part + h_ * h_ * static_cast<double>(x * x) > lim_);
  }
  void set_level(std::size_t u) {
    const double part = part_[u];
    auto L = std::min(M_, static_cast<std::int64_t>(std::floor(std::sqrt(std::max(0.0, lim_ - part)) / h_)));
    while (L < M_ && fits(part, L + 1)) ++L;
    while (L > 0 && !fits(part, L)) --L;
    L_[u] = L;
    v_[u] = -L;
    part_[u + 1] = part + h_ * h_ * static_cast<double>(v_[u] * v_[u]);
  }
  void advance() {
    std::size_t u = r_;
    while (u > 0 && v_[u - 1] == L_[u - 1]) --u;
    if (u == 0) {
      done_ = true;
      return;
    }
    ++v_[u - 1];
    part_[u] = part_[u - 1] + h_ * h_ * static_cast<double>(v_[u - 1] * v_[u - 1]);
    for (std::size_t w = u; w < r_; ++w) set_level(w);
  }
  std::size_t r_;
  double R_, h_, lim_;
  std::int64_t M_;
  std::vector<std::int64_t> v_, L_;
  std::vector<double> part_;
  bool done_ = false;
};

// All net points (rows, r columns, in the R-ball), for k >= 2.
Eigen::MatrixXd net_points(std::size_t r, double eta, double R) {
  GridWalker g(r, eta, R);
  Eigen::MatrixXd all(0, static_cast<Eigen::Index>(r)), chunk;
  while (!g.done()) {
    const std::size_t n = g.next(65536, chunk);
    const Eigen::Index old = all.rows();
    all.conservativeResize(old + static_cast<Eigen::Index>(n), Eigen::NoChange);
    all.middleRows(old, static_cast<Eigen::Index>(n)) = chunk;
  }
  return all;
}

// Fills plan.eps_* from (r, eta).
void guarantee(NetPlan& p) {
  const double lr = lambda_at(p.eigenvalues, p.r), l1 = lambda_at(p.eigenvalues, 0);
  const double delta2 = p.B * p.B * p.R * p.R * (lr + l1 * p.eta * p.eta);
  p.eps_realizable = delta2;
  p.eps_agnostic = 2 * std::sqrt(delta2) * (p.B * p.R * p.X + p.Y);
}

NetPlan make_plan(const EigenData& e, const Spectrum& sp, const TrainOptions& opts) {
  NetPlan p;
  p.R = opts.constraints.unit_norm.value_or(1.0);
  p.B = opts.constraints.output_l1.value_or(opts.net.default_B);
  p.eigenvalues.assign(sp.values.data(), sp.values.data() + sp.values.size());
  for (Eigen::Index i = 0; i < e.X.outerSize(); ++i) {
    double n2 = 0;
    for (train_detail::SparseRM::InnerIterator it(e.X, i); it; ++it) n2 += it.value() * it.value();
    p.X = std::max(p.X, std::sqrt(n2));
    p.Y = std::max(p.Y, std::abs(e.y[i]));
  }
  const auto& np = opts.net;
  if (np.r && np.eta) {
    p.r = std::min(*np.r, sp.usable());
    p.eta = *np.eta;
    if (!(p.eta > 0)) fail("train.param", "net", 0, "eta must be positive");
  } else if (np.epsilon) {
    const double eps = *np.epsilon;
    if (!(eps > 0)) fail("train.param", "net", 0, "epsilon must be positive");
    // Target on δ² = B²R²(λ_{r+1} + λ_1 η²).
    double target = eps;
    if (np.agnostic) {
      const double t = eps / (2 * (p.B * p.R * p.X + p.Y));
      target = t * t;
    }
    const double s = p.B * p.B * p.R * p.R;
    std::size_t r = 0;
    while (r < sp.usable() && s * lambda_at(p.eigenvalues, r) > target / 2) ++r;
    p.r = r;
    const double l1 = lambda_at(p.eigenvalues, 0);
    const double rest = target - s * lambda_at(p.eigenvalues, r);
    if (!(rest > 0))
      fail("train.param", "net", 0,
           "epsilon " + std::to_string(eps) + " is below what the numerical rank of the data allows (λ_" +
               std::to_string(r + 1) + " = " + std::to_string(lambda_at(p.eigenvalues, r)) + ")");
    p.eta = l1 > 0 ? std::min(1.0, std::sqrt(rest / (s * l1))) : 1.0;
  } else {
    fail("train.param", "net", 0, "give a budget (r and eta) or a target epsilon");
  }
  guarantee(p);
  const double n = count_points(p.r, grid_spacing(p.r, p.eta), 1 + p.eta);
  p.points = n > 1.8e19 ? std::numeric_limits<std::uint64_t>::max() : static_cast<std::uint64_t>(n);
  p.candidates = multisets(n, opts.units);
  return p;
}

void check_cap(const NetPlan& p, const TrainOptions& opts) {
  // One unit: the points are streamed in chunks (memory O(chunk)), so only the time limit
  // bounds the run. k >= 2: the N × N Gram matrix and the multisets are held.
  const double cap = static_cast<double>(opts.net.max_candidates);
  const bool streamed = opts.units == 1;
  const bool over = !streamed && p.candidates > cap;
  const bool gram_too_big = opts.units >= 2 && static_cast<double>(p.points) > 16384;
  if ((over && !opts.net.force) || gram_too_big || p.candidates > 1e15) {
    std::ostringstream os;
    os << "budget r = " << p.r << ", eta = " << p.eta << " gives " << static_cast<double>(p.points)
       << " net points and " << p.candidates << " candidate " << opts.units << "-multisets";
    if (gram_too_big || p.candidates > 1e15)
      os << ", beyond what this implementation can hold (at most 16384 points for k >= 2, 1e15 candidates)";
    else
      os << ", above the cap of " << cap << " for k >= 2 (use --force, a smaller r or a larger eta)";
    fail("train.size", "net", 0, os.str());
  }
}

// Output layer of one candidate: min aᵀGa − 2bᵀa over the ℓ1 ball (and signs). Returns q(a).
double solve_output(const SmallMat& G, const SmallVec& b, const TrainConstraints& cons, double B, std::size_t iters,
                    SmallVec& a, std::uint64_t& fista_iters) {
  const auto k = G.rows();
  auto q = [&](const SmallVec& v) { return v.dot(G * v) - 2 * b.dot(v); };
  auto feasible = [&](const SmallVec& v) {
    if (v.lpNorm<1>() > B * (1 + 1e-12)) return false;
    if (!cons.output_signs.empty())
      for (Eigen::Index j = 0; j < k; ++j)
        if (v[j] * cons.output_signs[static_cast<std::size_t>(j)] < 0) return false;
    return true;
  };
  TrainConstraints box = cons;
  box.output_l1 = B;
  if (k == 1) {
    double v = G(0, 0) > 0 ? b[0] / G(0, 0) : 0.0;
    v = std::clamp(v, -B, B);
    if (!cons.output_signs.empty() && v * cons.output_signs[0] < 0) v = 0;
    a.resize(1);
    a[0] = v;
    return q(a);
  }
  // Unconstrained optimum first (exact when feasible).
  Eigen::LDLT<SmallMat> ldlt(G);
  SmallVec a0 = ldlt.solve(b);
  if (a0.allFinite() && feasible(a0)) {
    const double qa = q(a0);
    // Accept only if it is a minimiser (the gradient vanishes), which can fail for singular G.
    if ((G * a0 - b).norm() <= 1e-9 * (b.norm() + 1e-300)) {
      a = a0;
      return qa;
    }
  }
  // FISTA on the feasible set.
  if (!a0.allFinite()) a0.setZero();
  Eigen::VectorXd tmp = a0;
  train_detail::project_output(tmp, box);
  SmallVec x = tmp, xprev = x, yk = x;
  const double L = 2 * std::max(G.trace(), 1e-300);
  double best = q(x), tk = 1;
  a = x;
  for (std::size_t it = 0; it < iters; ++it) {
    ++fista_iters;
    SmallVec g = 2 * (G * yk - b);
    tmp = yk - g / L;
    train_detail::project_output(tmp, box);
    xprev = x;
    x = tmp;
    const double qx = q(x);
    if (qx < best) {
      best = qx;
      a = x;
    }
    const double tn = 0.5 * (1 + std::sqrt(1 + 4 * tk * tk));
    yk = x + ((tk - 1) / tn) * (x - xprev);
    tk = tn;
    if ((x - xprev).norm() <= 1e-13 * (x.norm() + 1e-300)) break;
  }
  return best;
}

}  // namespace

NetPlan plan_net(const TrainingSet& data, const TrainOptions& opts, bool enforce_caps) {
  train_detail::validate(data, opts);
  EigenData e = train_detail::to_eigen(data, false);
  NetPlan p = make_plan(e, spectrum(e), opts);
  if (enforce_caps) check_cap(p, opts);
  return p;
}

namespace {

/// One complete (or stopped) pass over a plan's candidates.
struct NetOutcome {
  Eigen::MatrixXd W;  ///< k × d
  Eigen::VectorXd a;  ///< k
  std::uint64_t candidates = 0, fista = 0, points = 0;
  bool stopped = false;
};

// One block of the weighted features √c ∘ ReLU(P Cᵀ): data rows [r0, r0 + rw) of P (data in
// V-coordinates) against net points [c0, c0 + cw) of pts. Shared by the one-unit fallback and
// the k >= 2 Gram matrix, so both see the same numbers.
Eigen::MatrixXd weighted_relu_block(const Eigen::MatrixXd& P, const Eigen::MatrixXd& pts, const Eigen::VectorXd& sqc,
                                    Eigen::Index r0, Eigen::Index rw, Eigen::Index c0, Eigen::Index cw) {
  Eigen::MatrixXd phi = (P.middleRows(r0, rw) * pts.middleRows(c0, cw).transpose()).cwiseMax(0.0);
  phi = sqc.segment(r0, rw).asDiagonal() * phi;
  return phi;
}

// One unit: the points are streamed in chunks; per chunk the fused kernel (or the Eigen
// fallback) gives G_ii = Σc φ_i² and b_i = Σc φ_i y, the output weight is closed form, and
// the best is the smallest (q, index): the same network as holding all points at once.
NetOutcome run_one_unit(const EigenData& e, const Spectrum& sp, const NetPlan& plan, const TrainOptions& opts,
                        const Clock& clock, Progress& progress) {
  const std::size_t r = plan.r;
  const Eigen::MatrixXd V = sp.vectors.leftCols(static_cast<Eigen::Index>(r));  // d × r
  const Eigen::MatrixXd P = e.X * V;                                            // m × r
  const auto m = static_cast<Eigen::Index>(e.m);
  const bool fused = train_detail::fused_relu_kernel_available(1);
  const Eigen::VectorXd sqc = e.c.cwiseSqrt(), sy = sqc.cwiseProduct(e.y);
  // The fused kernel's rows: √c_i P_i (relu_kernel.hpp), so c costs no multiply per candidate.
  const train_detail::DenseRM Srm = fused ? train_detail::DenseRM(sqc.asDiagonal() * P) : train_detail::DenseRM();
  const double yCy = e.c.dot(e.y.cwiseAbs2());
  const double B = plan.B;
  // Points per chunk: 16 slices of 64 blocks of 16, or fewer when the plan counts fewer
  // points (no 16384-row buffer for a small plan; chunking does not change the result).
  const std::size_t kChunk =
      static_cast<std::size_t>(std::min(16384.0, std::max(16.0, static_cast<double>(plan.points) + 16)));
  GridWalker walker(r, plan.eta, plan.R);
  Eigen::MatrixXd pts;
  NetOutcome out;
  double best_q = std::numeric_limits<double>::infinity();
  Eigen::VectorXd best_point;
  double best_a = 0;
  bool any = false;
  while (!walker.done()) {
    if (clock.should_stop()) {
      out.stopped = true;
      break;
    }
    const auto N = static_cast<Eigen::Index>(walker.next(kChunk, pts));
    Eigen::VectorXd gdiag = Eigen::VectorXd::Zero(N), b = Eigen::VectorXd::Zero(N);
    if (fused) {
      const std::size_t nb =
          (static_cast<std::size_t>(N) + train_detail::kMomentsBlock - 1) / train_detail::kMomentsBlock;
      const std::size_t np = nb * train_detail::kMomentsBlock;
      train_detail::DenseRM ptsT =
          train_detail::DenseRM::Zero(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(np));
      ptsT.leftCols(N) = pts.transpose();
      Eigen::VectorXd gd = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(np)), bp = gd;
      train_detail::FeatureMomentsArgs fa;
      fa.S = Srm.data();
      fa.m = e.m;
      fa.r = r;
      fa.sy = sy.data();
      fa.ptsT = ptsT.data();
      fa.np = np;
      fa.gdiag = gd.data();
      fa.b = bp.data();
      // Fixed slices of 64 blocks, so the sums do not depend on the thread count.
      const std::size_t per = 64, slices = (nb + per - 1) / per;
      train_detail::parallel_for_strided(slices, opts.threads, [&](std::size_t sl) {
        train_detail::fused_feature_moments(fa, sl * per, std::min(nb, (sl + 1) * per));
      });
      gdiag = gd.head(N);
      b = bp.head(N);
    } else {
      const Eigen::Index cols = 256, rows = 4096;
      const Eigen::Index nchunks = (N + cols - 1) / cols;
      train_detail::parallel_for_strided(static_cast<std::size_t>(nchunks), opts.threads, [&](std::size_t ci) {
        const Eigen::Index c0 = static_cast<Eigen::Index>(ci) * cols, cw = std::min(cols, N - c0);
        for (Eigen::Index r0 = 0; r0 < m; r0 += rows) {
          const Eigen::Index rw = std::min(rows, m - r0);
          const Eigen::MatrixXd Phi_c = weighted_relu_block(P, pts, sqc, r0, rw, c0, cw);
          b.segment(c0, cw).noalias() += Phi_c.transpose() * sqc.segment(r0, rw).cwiseProduct(e.y.segment(r0, rw));
          gdiag.segment(c0, cw) += Phi_c.colwise().squaredNorm().transpose();
        }
      });
    }
    // Candidates of this chunk, in index order: min_a a²G − 2ab over |a| <= B (and the sign).
    for (Eigen::Index i = 0; i < N; ++i) {
      double v = gdiag[i] > 0 ? b[i] / gdiag[i] : 0.0;
      v = std::clamp(v, -B, B);
      if (!opts.constraints.output_signs.empty() && v * opts.constraints.output_signs[0] < 0) v = 0;
      const double q = v * (gdiag[i] * v) - 2 * (b[i] * v);
      if (q < best_q || !any) {
        best_q = q;
        best_point = pts.row(i).transpose();
        best_a = v;
        any = true;
      }
    }
    out.candidates += static_cast<std::uint64_t>(N);
    out.points += static_cast<std::uint64_t>(N);
    TrainProgress pr;
    pr.phase = "net";
    pr.fraction = static_cast<double>(out.candidates) / std::max(plan.candidates, 1.0);
    pr.best_loss = yCy + best_q;
    pr.iterations = out.candidates;
    progress.report(pr);
  }
  out.W = Eigen::MatrixXd::Zero(1, static_cast<Eigen::Index>(e.d));
  out.a = Eigen::VectorXd::Zero(1);
  if (any) {
    if (r > 0) out.W.row(0) = (V * best_point).transpose();
    out.a[0] = best_a;
  }
  return out;
}

// k >= 2: all points, the N × N Gram matrix, every k-multiset.
NetOutcome run_multi_unit(const EigenData& e, const Spectrum& sp, const NetPlan& plan, const TrainOptions& opts,
                          const Clock& clock, Progress& progress) {
  const std::size_t k = opts.units, r = plan.r;
  const Eigen::MatrixXd V = sp.vectors.leftCols(static_cast<Eigen::Index>(r));  // d × r
  const Eigen::MatrixXd pts = net_points(r, plan.eta, plan.R);                  // N × r
  const auto N = pts.rows();
  const auto m = static_cast<Eigen::Index>(e.m);
  const Eigen::MatrixXd P = e.X * V;  // m × r: data in V-coordinates

  // G = ΦᵀCΦ (N × N) and b = ΦᵀCy, in fixed column chunks (independent of the thread
  // count) over fixed row blocks. One unit never comes here: run_one_unit streams.
  RELUGAP_ASSERT(k >= 2, "run_multi_unit is for k >= 2 units");
  const Eigen::Index chunk = 256, rows = 4096;
  const Eigen::Index nchunks = (N + chunk - 1) / chunk;
  Eigen::MatrixXd G = Eigen::MatrixXd::Zero(N, N);
  Eigen::VectorXd b = Eigen::VectorXd::Zero(N);
  const Eigen::VectorXd sqc = e.c.cwiseSqrt();
  train_detail::parallel_for_strided(static_cast<std::size_t>(nchunks), opts.threads, [&](std::size_t ci) {
    const Eigen::Index c0 = static_cast<Eigen::Index>(ci) * chunk, cw = std::min(chunk, N - c0);
    for (Eigen::Index r0 = 0; r0 < m; r0 += rows) {
      const Eigen::Index rw = std::min(rows, m - r0);
      // Weighted features √c ∘ ReLU(P Cᵀ) for this block.
      const Eigen::MatrixXd Phi_c = weighted_relu_block(P, pts, sqc, r0, rw, c0, cw);
      b.segment(c0, cw).noalias() += Phi_c.transpose() * sqc.segment(r0, rw).cwiseProduct(e.y.segment(r0, rw));
      // Columns c0.. of G against all points (each chunk owns its columns).
      for (Eigen::Index o0 = 0; o0 < N; o0 += chunk) {
        const Eigen::Index ow = std::min(chunk, N - o0);
        G.block(o0, c0, ow, cw).noalias() += weighted_relu_block(P, pts, sqc, r0, rw, o0, ow).transpose() * Phi_c;
      }
    }
  });
  const double yCy = e.c.dot(e.y.cwiseAbs2());

  // Enumerate k-multisets i_1 ≤ … ≤ i_k in lexicographic order; candidate number n goes to
  // thread n mod T; the best is the smallest (loss, n).
  const unsigned T = std::max(1u, opts.threads);
  struct Best {
    double q = std::numeric_limits<double>::infinity();
    std::uint64_t index = 0;
    std::vector<Eigen::Index> idx;
    SmallVec a;
    std::uint64_t evaluated = 0, fista = 0;
    bool stopped = false;
  };
  std::vector<Best> best(T);
  std::atomic<std::uint64_t> done{0};
  const double total = plan.candidates;
  train_detail::parallel_for_strided(T, T, [&](std::size_t t) {
    Best& bt = best[t];
    std::vector<Eigen::Index> idx(k, 0);
    SmallMat Gs(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
    SmallVec bs(static_cast<Eigen::Index>(k)), a;
    std::uint64_t n = 0;
    bool more = N > 0;
    while (more) {
      if (n % T == t) {
        for (std::size_t u = 0; u < k; ++u) {
          bs[static_cast<Eigen::Index>(u)] = b[idx[u]];
          for (std::size_t v = 0; v < k; ++v)
            Gs(static_cast<Eigen::Index>(u), static_cast<Eigen::Index>(v)) = G(idx[u], idx[v]);
        }
        const double qv = solve_output(Gs, bs, opts.constraints, plan.B, opts.net.output_iters, a, bt.fista);
        if (qv < bt.q) {
          bt.q = qv;
          bt.index = n;
          bt.idx = idx;
          bt.a = a;
        }
        ++bt.evaluated;
        if ((bt.evaluated & 1023) == 0) {
          done.fetch_add(1024, std::memory_order_relaxed);
          if (clock.should_stop()) {
            bt.stopped = true;
            return;
          }
          TrainProgress pr;
          pr.phase = "net";
          pr.fraction = static_cast<double>(done.load()) / total;
          pr.best_loss = yCy + bt.q;
          pr.iterations = done.load();
          progress.report(pr);
        }
      }
      ++n;
      // Next multiset.
      std::size_t u = k;
      while (u > 0 && idx[u - 1] == N - 1) --u;
      if (u == 0) {
        more = false;
      } else {
        const Eigen::Index v = idx[u - 1] + 1;
        for (std::size_t w = u - 1; w < k; ++w) idx[w] = v;
      }
    }
  });
  Best* winner = nullptr;
  for (auto& bt : best) {
    if (bt.idx.empty()) continue;
    if (winner == nullptr || bt.q < winner->q || (bt.q == winner->q && bt.index < winner->index)) winner = &bt;
  }
  Eigen::MatrixXd W = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(e.d));
  Eigen::VectorXd a = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(k));
  if (winner != nullptr) {
    for (std::size_t u = 0; u < k; ++u) {
      if (r > 0) W.row(static_cast<Eigen::Index>(u)) = (V * pts.row(winner->idx[u]).transpose()).transpose();
      a[static_cast<Eigen::Index>(u)] = winner->a[static_cast<Eigen::Index>(u)];
    }
  }
  NetOutcome out;
  for (auto& bt : best) {
    out.candidates += bt.evaluated;
    out.fista += bt.fista;
    out.stopped = out.stopped || bt.stopped;
  }
  out.points = static_cast<std::uint64_t>(N);
  out.W = W;
  out.a = a;
  return out;
}

NetOutcome run_plan(const EigenData& e, const Spectrum& sp, const NetPlan& plan, const TrainOptions& opts,
                    const Clock& clock, Progress& progress) {
  return opts.units == 1 ? run_one_unit(e, sp, plan, opts, clock, progress)
                         : run_multi_unit(e, sp, plan, opts, clock, progress);
}

/// The relative cost of a plan (for predicting one run's time from another's).
double plan_work(const NetPlan& p, std::size_t m, std::size_t k) {
  const double N = static_cast<double>(p.points), rr = static_cast<double>(std::max<std::size_t>(p.r, 1));
  const double md = static_cast<double>(m);
  if (k == 1) return N * (md * rr + 8);
  return N * N * md * (rr / 256 + 1) + p.candidates * static_cast<double>(k * k * k) * 4;
}

}  // namespace

TrainResult train_net(const TrainingSet& data, const TrainOptions& opts) {
  train_detail::validate(data, opts);
  if (opts.units > kMaxUnitsNet) fail("train.param", "train", 0, "net supports at most 16 units");
  Clock clock(opts.time_limit, opts.stop);
  Progress progress(opts.progress, clock);
  EigenData e = train_detail::to_eigen(data, false);
  const Spectrum sp = spectrum(e);
  const bool fit = opts.net.fit_time_limit && !(opts.net.r && opts.net.eta) && !opts.net.epsilon;
  if (fit && !std::isfinite(opts.time_limit) && !opts.net.max_work)
    fail("train.param", "net", 0, "fitting the budget needs a finite time limit or a work cap");
  NetPlan plan;
  NetOutcome outcome;
  std::ostringstream fitmsg;
  if (!fit) {
    plan = make_plan(e, sp, opts);
    check_cap(plan, opts);
    outcome = run_plan(e, sp, plan, opts, clock, progress);
  } else {
    // Fit: run the trivial budget (r = 0); then, a few rounds: W = the work that fits what is
    // left at the candidate rate measured on the last complete run (or the cap max_work),
    // and the budget (r, η) of smallest ε among those of work <= W (for each r the smallest
    // η that fits, by bisection on an estimate of the point count); run it; keep the best
    // complete run.
    TrainOptions o = opts;
    o.net.epsilon.reset();
    auto plan_at = [&](std::size_t r, double eta) {
      o.net.r = r;
      o.net.eta = eta;
      return make_plan(e, sp, o);
    };
    const NetPlan trivial = plan_at(0, 1.0);
    auto eps_of = [&](const NetPlan& p) { return opts.net.agnostic ? p.eps_agnostic : p.eps_realizable; };
    const std::size_t k = opts.units;
    auto fits_caps = [&](double points, double candidates) {
      if (candidates > 1e15) return false;
      if (k >= 2 && (points > 16384 || (candidates > static_cast<double>(opts.net.max_candidates) && !opts.net.force)))
        return false;
      return true;
    };
    auto estimate = [&](std::size_t r, double eta, double& points, double& candidates) {
      points = count_points(r, grid_spacing(r, eta), 1 + eta, 1e6);
      candidates = multisets(points, k);
      NetPlan t;
      t.r = r;
      t.eta = eta;
      t.points = static_cast<std::uint64_t>(std::min(points, 1.8e19));
      t.candidates = candidates;
      return plan_work(t, e.m, k);
    };
    auto choose = [&](double W) -> std::optional<std::pair<std::size_t, double>> {
      std::optional<std::pair<std::size_t, double>> best;
      double best_eps = std::numeric_limits<double>::infinity();
      for (std::size_t r = 1; r <= std::min<std::size_t>(sp.usable(), 256); ++r) {
        double pts = 0, cand = 0;
        auto ok = [&](double eta) { return estimate(r, eta, pts, cand) <= W && fits_caps(pts, cand); };
        if (!ok(1.0)) break;  // larger r only costs more
        double lo = 1e-9, hi = 1.0;
        if (!ok(lo)) {
          for (int it = 0; it < 60 && hi / lo > 1 + 1e-6; ++it) {
            const double mid = std::sqrt(lo * hi);
            (ok(mid) ? hi : lo) = mid;
          }
        } else {
          hi = lo;
        }
        NetPlan t = trivial;
        t.r = r;
        t.eta = hi;
        guarantee(t);
        if (eps_of(t) < best_eps) {
          best_eps = eps_of(t);
          best = std::make_pair(r, hi);
        }
      }
      return best;
    };
    NetPlan best_plan;
    bool have = false;
    double rate = 0;  // work per second, measured
    std::size_t runs = 0;
    std::string why = "no finer budget fits";
    auto attempt = [&](const NetPlan& p) {
      const double left = opts.time_limit - clock.seconds();
      Clock sub(std::max(left, 0.0), opts.stop);
      const double t0 = clock.seconds();
      NetOutcome r = run_plan(e, sp, p, o, sub, progress);
      const double took = clock.seconds() - t0;
      if (r.stopped) return false;
      ++runs;
      rate = plan_work(p, e.m, k) / std::max(took, 1e-4);
      if (!have || eps_of(p) < eps_of(best_plan)) {
        best_plan = p;
        outcome = std::move(r);
        have = true;
      }
      return true;
    };
    if (!attempt(trivial)) why = "the trivial budget did not finish";
    for (int round = 0; have && round < 4; ++round) {
      double W = 0;
      if (opts.net.max_work) {
        if (round > 0) break;  // deterministic: one choice from the cap
        W = *opts.net.max_work;
      } else {
        if (round == 0) {
          W = 2e7;  // calibration run: measures the rate on real work
        } else {
          W = rate * 0.8 * (opts.time_limit - clock.seconds());
        }
      }
      const auto pick = choose(W);
      if (!pick) break;
      NetPlan p = plan_at(pick->first, pick->second);
      // The choice used an estimate of the point count; with a cap, hold it exactly.
      for (int fix = 0; opts.net.max_work && fix < 40 && plan_work(p, e.m, k) > W && p.eta < 1; ++fix)
        p = plan_at(p.r, std::min(1.0, p.eta * 1.05));
      if (opts.net.max_work && plan_work(p, e.m, k) > W) break;
      if (!(eps_of(p) < eps_of(best_plan) * (1 - 1e-9))) {
        if (round > 0) break;
        continue;
      }
      try {
        check_cap(p, o);
      } catch (const Failure&) {
        break;
      }
      if (!attempt(p)) {
        why = clock.interrupted() ? "interrupted" : "the last budget tried did not finish within the time limit";
        break;
      }
    }
    if (have) {
      plan = best_plan;
    } else {
      plan = trivial;
      outcome = NetOutcome{};
      outcome.W = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(e.d));
      outcome.a = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(k));
      outcome.stopped = true;
    }
    fitmsg << "budget fitted to " << (opts.net.max_work ? "the work cap" : "the time limit") << " (" << runs
           << " complete runs, measured rate " << rate << " work units/s; " << why << "); ";
  }
  const std::size_t r = plan.r;
  TrainResult res;
  res.stats.candidates = outcome.candidates;
  res.stats.iterations = outcome.fista;
  // Stay inside the class exactly: a net point on the R-sphere can come out a rounding error
  // outside it, and bounds that hold only in the class (maxcut's) would then fail.
  for (Eigen::Index j = 0; j < outcome.W.rows(); ++j) {
    const double n = outcome.W.row(j).norm(), cap = plan.R * (1 - 1e-12);
    if (n > cap) outcome.W.row(j) *= cap / n;
  }
  res.net = train_detail::to_network(outcome.W, outcome.a);
  train_detail::finish(data, opts, clock, res);
  res.stats.net_r = r;
  res.stats.net_eta = plan.eta;
  res.stats.net_points = plan.points;
  res.stats.net_B = plan.B;
  res.stats.net_R = plan.R;
  res.stats.epsilon_realizable = plan.eps_realizable;
  res.stats.epsilon_agnostic = plan.eps_agnostic;
  res.stats.net_complete = !outcome.stopped;
  res.status = clock.interrupted() ? SolveStatus::kInterrupted : SolveStatus::kFeasible;
  std::ostringstream msg;
  msg << fitmsg.str() << "r = " << r << ", eta = " << plan.eta << ", " << plan.points << " net points, "
      << res.stats.candidates << " candidates; guarantees mean loss <= " << plan.eps_realizable
      << " (realizable), <= OPT + " << plan.eps_agnostic << " (agnostic), in the class |w_j| <= " << plan.R
      << ", |a|_1 <= " << plan.B;
  if (outcome.stopped) msg << " — stopped by the time limit: not all candidates evaluated, the guarantee does not hold";
  res.message = msg.str();
  TrainProgress pr;
  pr.phase = "net";
  pr.fraction = 1;
  pr.best_loss = res.loss;
  pr.iterations = res.stats.candidates;
  progress.report(pr, true);
  return res;
}

}  // namespace relugap
