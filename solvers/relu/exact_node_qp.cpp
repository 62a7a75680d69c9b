// The node QP of `exact` (see exact_node_qp.hpp).
#include "solvers/relu/exact_node_qp.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace relugap::exact_detail {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

NodeQp::NodeQp(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& c)
    : m_(static_cast<std::size_t>(X.rows())), d_(static_cast<std::size_t>(X.cols())), y_(y), c_(c) {
  const auto d = static_cast<Eigen::Index>(d_);
  D_.resize(d);
  for (Eigen::Index j = 0; j < d; ++j) {
    long double s = 0;
    for (Eigen::Index i = 0; i < X.rows(); ++i) s += static_cast<long double>(c(i)) * X(i, j) * X(i, j);
    D_(j) = s > 0 ? static_cast<double>(1.0L / std::sqrt(s)) : 1.0;
  }
  Xs_ = X * D_.asDiagonal();
  xnorm_ = Xs_.rowwise().norm();
  sc_ = (2 * c_).cwiseSqrt();
  rp_.assign(1, 0);
  for (Eigen::Index i = 0; i < Xs_.rows(); ++i) {
    for (Eigen::Index j = 0; j < d; ++j)
      if (Xs_(i, j) != 0) {
        cj_.push_back(j);
        cv_.push_back(Xs_(i, j));
      }
    rp_.push_back(static_cast<Eigen::Index>(cj_.size()));
  }
  const auto m = static_cast<Eigen::Index>(m_);
  Qt_ = Eigen::MatrixXd::Identity(d, d);
  R_ = Eigen::MatrixXd::Zero(d, d);
  SQt_.resize(d, m);
  UQt_.resize(d, m);
  Hz_.resize(d, d);
  G_.resize(d, d);
  for (Eigen::VectorXd* v : {&g_, &glin_, &p_, &rhs_, &nu_, &qa_, &gz_, &pz_, &q_, &grad_, &hwork_, &ess_})
    v->resize(d);
  dz_.resize(m);
  sp_.resize(m);
  rows_.reserve(m_);
  ymax_ = m > 0 ? y_.cwiseAbs().maxCoeff() : 0.0;
  fns_.resize(m_);
  offset_ = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(m_));
  state_.assign(m_, 0);
  v_ = Eigen::VectorXd::Zero(d);
  w_ = Eigen::VectorXd::Zero(d);
  z_ = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(m_));
  lambda_ = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(m_));
  piece_.assign(m_, kLeft);
  inW_.assign(m_, 0);
  target_.assign(m_, 0.0);
  env_.resize(m_);
  for (std::size_t i = 0; i < m_; ++i) clear_interval(i);
}

void NodeQp::set_interval(std::size_t i, double L, double H) {
  const auto ii = static_cast<Eigen::Index>(i);
  const double y = y_(ii), c = c_(ii), cyy = c * y * y;
  Fn& f = env_[i];
  f.lo = -kInf;
  f.hi = kInf;
  if (!(y > 0) || !(L < 0 && std::isfinite(L))) {
    if (L >= 0 && y > 0) {
      f.b = -kInf;  // z ≥ 0 throughout: the parabola
      f.K0 = f.s = 0;
    } else {
      f.b = y;  // the plain envelope c·max(z − y, 0)²
      f.K0 = f.s = 0;
    }
    return;
  }
  if (H <= 0) {
    f.b = kInf;  // z ≤ 0 throughout: the constant c·y²
    f.K0 = cyy;
    f.s = 0;
    return;
  }
  // Tangent from (L, c·y²) to the parabola: t = L + √(L² − 2Ly) ∈ (0, y).
  const double t = L + std::sqrt(L * L - 2 * L * y);
  if (!std::isfinite(H) || t <= H) {
    f.b = t;
    f.s = 2 * c * (t - y);
    f.K0 = c * (t - y) * (t - y) - f.s * t;
    return;
  }
  // Chord from (L, c·y²) to (H, c(H − y)²); past H the parabola takes over where it meets
  // the chord again, at 2y − H + s/c.
  f.s = c * (H - y) * (H - y) / (H - L) - cyy / (H - L);
  f.K0 = cyy - f.s * L;
  f.b = 2 * y - H + f.s / c;
  if (!(f.b >= H)) f.b = H;
}

double NodeQp::g(std::size_t i, double z) const {
  const Fn f = fn(i);
  const auto ii = static_cast<Eigen::Index>(i);
  return z < f.b ? f.K0 + f.s * z : c_(ii) * (z - y_(ii)) * (z - y_(ii));
}

void NodeQp::set_start(const Eigen::VectorXd& w) { v_ = w.cwiseQuotient(D_); }

void NodeQp::compute_z() { mul_rows(v_, z_); }

// (Plain pointer loops over the CSR arrays, in the stored order: the same sums as indexing.)
double NodeQp::row_dot(std::size_t i, const Eigen::VectorXd& v) const {
  const double* x = v.data();
  const Eigen::Index* cj = cj_.data();
  const double* cv = cv_.data();
  double s = 0;
  for (Eigen::Index p = rp_[i], e = rp_[i + 1]; p < e; ++p) s += cv[p] * x[cj[p]];
  return s;
}

void NodeQp::row_axpy(std::size_t i, double a, Eigen::VectorXd& out) const {
  double* o = out.data();
  const Eigen::Index* cj = cj_.data();
  const double* cv = cv_.data();
  for (Eigen::Index p = rp_[i], e = rp_[i + 1]; p < e; ++p) o[cj[p]] += a * cv[p];
}

void NodeQp::mul_rows(const Eigen::VectorXd& v, Eigen::VectorXd& out) const {
  const double* x = v.data();
  const Eigen::Index* cj = cj_.data();
  const double* cv = cv_.data();
  const Eigen::Index* rp = rp_.data();
  double* o = out.data();
  for (std::size_t i = 0; i < m_; ++i) {
    double s = 0;
    for (Eigen::Index p = rp[i], e = rp[i + 1]; p < e; ++p) s += cv[p] * x[cj[p]];
    o[i] = s;
  }
}

void NodeQp::row_times_q2(std::size_t i, double a, Eigen::Index n2, Eigen::Ref<Eigen::VectorXd> out) const {
  out.setZero();
  if (q_ident()) {
    // Q2 = I: the products with its columns are the row's own entries (x·1, the rest x·0 = 0).
    for (Eigen::Index p = rp_[i]; p < rp_[i + 1]; ++p)
      out(cj_[static_cast<std::size_t>(p)]) = a * cv_[static_cast<std::size_t>(p)];
    return;
  }
  for (Eigen::Index p = rp_[i]; p < rp_[i + 1]; ++p)
    out.noalias() += (a * cv_[static_cast<std::size_t>(p)]) * Qt_.col(cj_[static_cast<std::size_t>(p)]).tail(n2);
}

void NodeQp::w_clear() {
  ++qver_;
  W_.clear();
  std::fill(inW_.begin(), inW_.end(), 0);
  Qt_.setIdentity();
  ident_ = true;
}

bool NodeQp::w_add(std::size_t i, double target) {
  const auto d = static_cast<Eigen::Index>(d_), k = static_cast<Eigen::Index>(W_.size());
  const auto ii = static_cast<Eigen::Index>(i);
  if (k >= d) return false;
  // Qᵀx_i: its first k entries are R's new column, the rest (u) is x_i's component off
  // the W rows; a Householder reflection H of the null-space basis maps u to β·e_1.
  qa_.setZero();
  for (Eigen::Index p = rp_[i]; p < rp_[i + 1]; ++p)
    qa_.noalias() += cv_[static_cast<std::size_t>(p)] * Qt_.col(cj_[static_cast<std::size_t>(p)]);
  const Eigen::Index n2 = d - k;
  if (!(qa_.tail(n2).norm() > 1e-9 * xnorm_(ii))) return false;
  Eigen::VectorXd::SegmentReturnType u = qa_.tail(n2);
  double tau = 0, beta = 0;
  auto ess = ess_.head(n2 - 1);
  u.makeHouseholder(ess, tau, beta);
  auto Q2t = Qt_.bottomRows(n2);  // Q2 ← Q2·H, i.e. Q2ᵀ ← H·Q2ᵀ
  Q2t.applyHouseholderOnTheLeft(ess, tau, hwork_.data());
  R_.col(k).head(k) = qa_.head(k);
  R_(k, k) = beta;
  ++qver_;
  ident_ = false;
  W_.push_back(i);
  inW_[i] = 1;
  target_[i] = target;
  return true;
}

void NodeQp::w_refactor() {
  wkeep_ = W_;
  w_clear();
  for (auto i : wkeep_) w_add(i, target_[i]);
}

void NodeQp::finish_values() {
  w_ = v_.cwiseProduct(D_);
  compute_z();
  long double s = 0;
  for (std::size_t i = 0; i < m_; ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    const Fn f = fn(i);
    const double z = z_(ii);
    s += offset_(ii);
    s += z < f.b ? static_cast<long double>(f.K0) + static_cast<long double>(f.s) * z
                 : static_cast<long double>(c_(ii)) * (z - y_(ii)) * (z - y_(ii));
  }
  value_ = static_cast<double>(s);
}

bool NodeQp::solve(int max_iter) {
  stopped_ = false;
  const int default_cap = static_cast<int>(20 * (m_ + d_) + 50);
  if (max_iter < 0) max_iter = default_cap;
  // A start violating more than one domain bound is replaced by w = 0 (feasible for
  // every node); a run that gets stuck is retried once from w = 0.
  compute_z();
  auto count_violated = [&](std::int64_t& which, double& target) {
    std::size_t n = 0;
    const double vn = v_.norm();
    for (std::size_t i = 0; i < m_; ++i) {
      const auto ii = static_cast<Eigen::Index>(i);
      const Fn f = fn(i);
      const double tol = 1e-11 * xnorm_(ii) * (vn + 1);
      if (z_(ii) < f.lo - tol || z_(ii) > f.hi + tol) {
        ++n;
        which = static_cast<std::int64_t>(i);
        target = z_(ii) < f.lo ? f.lo : f.hi;
      }
    }
    return n;
  };
  std::int64_t which = -1;
  double target = 0;
  std::size_t violated = count_violated(which, target);
  if (violated >= 1 && violated <= 4) {
    // Violated domain bounds (the branched sample after a warm start, and its mirror
    // image): the minimum-norm move that puts one on its bound, repeated for what is still
    // violated (a mirror image lands on its bound with its partner), kept when it violates
    // nothing afterwards. A feasible start avoids pulling a constraint through the others,
    // where degenerate samples cycle.
    Eigen::VectorXd& keep = keep_;
    keep = v_;
    for (int round = 0; round < 4 && violated > 0; ++round) {
      const auto ii = static_cast<Eigen::Index>(which);
      v_ -= ((z_(ii) - target) / (xnorm_(ii) * xnorm_(ii))) * Xs_.row(ii).transpose();
      compute_z();
      z_(ii) = target;
      violated = count_violated(which, target);
    }
    if (violated != 0) {
      v_ = keep;
      compute_z();
      violated = count_violated(which, target);
    }
  }
  if (violated > 1) v_.setZero();
  const bool from_zero = v_.isZero(0);
  // A warm start that has not converged after 2(m + d) + 20 iterations is cycling through
  // degenerate samples: restarting from w = 0 is cheaper than running to the cap.
  if (run(from_zero ? max_iter : std::min(max_iter, static_cast<int>(2 * (m_ + d_) + 20)))) return true;
  if (stopped_) return false;
  if (!from_zero) {
    v_.setZero();
    if (run(max_iter)) return true;
    if (stopped_) return false;
  }
  // Fallback: a cold start releasing one working-set member at a time (the classic
  // active-set step, no joint releases) with the default cap, so that a node whose solve
  // ran into the cap (cycling through degenerate samples) is still solved.
  ++fallbacks_;
  v_.setZero();
  return run(std::max(max_iter, default_cap), true);
}

namespace {
// M.lower += A·Aᵀ for the small blocks of run() (n2 ≤ d ≤ 64 rows, a few dozen columns):
// column by column, skipping zero entries. Eigen's rankUpdate packs the operands for a
// blocked product first, which costs more than the product at these sizes; and right after
// a refactorisation with an empty working set Q2 is the identity, so A's columns are the
// sparse data rows.
template <class M, class A>
void lower_rank_update(M&& m, const A& a) {
  const Eigen::Index n = a.rows();
  for (Eigen::Index r = 0; r < a.cols(); ++r) {
    const auto col = a.col(r);
    for (Eigen::Index j = 0; j < n; ++j) {
      const double v = col(j);
      if (v != 0) m.col(j).tail(n - j).noalias() += v * col.tail(n - j);
    }
  }
}

// The same update when Q2 = I, so that column r of A is the sparse data row rows[r] (times
// scale(row)): only the products of two stored entries are added (the dense loop's other
// terms are products with an exact zero, which leave every entry as it is), column by column
// in the same order, so M comes out bit-identical.
template <class M, class Scale>
void lower_rank_update_rows(M&& m, const std::vector<std::size_t>& rows, const std::vector<Eigen::Index>& rp,
                            const std::vector<Eigen::Index>& cj, const std::vector<double>& cv, Scale&& scale) {
  for (const std::size_t i : rows) {
    const double a = scale(i);
    const auto b = static_cast<std::size_t>(rp[i]), e = static_cast<std::size_t>(rp[i + 1]);
    for (std::size_t p = b; p < e; ++p) {  // (the columns of a row are stored in increasing order)
      const double v = a * cv[p];
      if (v == 0) continue;
      for (std::size_t t = p; t < e; ++t) m(cj[t], cj[p]) += v * (a * cv[t]);
    }
  }
}

// Keeps the smallest step a ≥ 0 of a ratio test (with the sample and the value it stops at).
inline void keep_first(double a, double at, std::size_t i, double& best, std::int64_t& who, double& who_at) {
  a = std::max(a, 0.0);
  if (a < best) {
    best = a;
    who = static_cast<std::int64_t>(i);
    who_at = at;
  }
}
}  // namespace

bool null_projection_ldlt(Eigen::Ref<const Eigen::MatrixXd> G, Eigen::Ref<const Eigen::VectorXd> q,
                          Eigen::Ref<Eigen::VectorXd> out, NullSpaceWork& w) {
  // Cholesky with complete (diagonal) pivoting on the Schur complement, P G Pᵀ = L D Lᵀ: for a
  // semidefinite G the pivots D fall, and once the largest remaining diagonal is below 1e-14 of
  // the first pivot the rest of the Schur complement is zero to that precision (semidefinite:
  // its entries are bounded by its diagonal). With r pivots above 1e-9 of the first,
  // G = Pᵀ [L11; L21] D1 [L11; L21]ᵀ P up to rounding, whose null space is Pᵀ [−L11⁻ᵀ L21ᵀ; I].
  // (Eigen's LDLT pivots on the original diagonal, so it does not reveal the rank.) Anything
  // less clear (a pivot between the two bands, no zero pivot, or a basis that G does not map
  // near zero) returns false: the eigensolver decides then.
  const Eigen::Index n = G.rows();
  if (w.S.rows() < n || w.S.cols() < n) w.S.resize(n, n);
  if (w.Z.rows() < n || w.Z.cols() < n) w.Z.resize(n, n);
  if (w.v.size() < n) w.v.resize(n);
  w.perm.resize(static_cast<std::size_t>(n));
  auto S = w.S.topLeftCorner(n, n);
  S = G.selfadjointView<Eigen::Lower>();
  for (Eigen::Index k = 0; k < n; ++k) w.perm[static_cast<std::size_t>(k)] = k;
  double dmax = 0;
  Eigen::Index r = 0;
  for (; r < n; ++r) {
    Eigen::Index p = r;
    S.diagonal().tail(n - r).maxCoeff(&p);
    p += r;
    if (p != r) {  // symmetric swap of r and p
      S.row(r).swap(S.row(p));
      S.col(r).swap(S.col(p));
      std::swap(w.perm[static_cast<std::size_t>(r)], w.perm[static_cast<std::size_t>(p)]);
    }
    const double d = S(r, r);
    if (r == 0) {
      dmax = d;
      if (!(dmax > 0)) return false;  // G = 0 (or not semidefinite)
    }
    if (d <= 1e-14 * dmax) break;        // the rest is zero
    if (d <= 1e-9 * dmax) return false;  // between the bands
    const Eigen::Index t = n - r - 1;
    S.col(r).tail(t) /= d;  // L's column (the pivot stays in S(r, r))
    S.bottomRightCorner(t, t).noalias() -= d * S.col(r).tail(t) * S.col(r).tail(t).transpose();
  }
  if (r == n) return false;  // no null space by the pivots: let the eigensolver say
  const Eigen::Index nz = n - r;
  auto Z = w.Z.topLeftCorner(n, nz);
  // In pivoted order: rows r.. are the identity, rows ..r solve L11ᵀ y1 = −L21ᵀ.
  Z.topRows(r) = -S.block(r, 0, nz, r).transpose();
  S.topLeftCorner(r, r).triangularView<Eigen::UnitLower>().transpose().solveInPlace(Z.topRows(r));
  Z.bottomRows(nz).setIdentity();
  auto Y = w.S.topLeftCorner(n, nz);  // (S is no longer needed) back to G's order
  for (Eigen::Index k = 0; k < n; ++k) Y.row(w.perm[static_cast<std::size_t>(k)]) = Z.row(k);
  Z = Y;
  // Check: G maps the basis near zero (relative to the largest pivot), else no decision here.
  for (Eigen::Index c = 0; c < nz; ++c) {
    const double zn = Z.col(c).norm();
    w.v.head(n).noalias() = G.selfadjointView<Eigen::Lower>() * Z.col(c);
    if (!(w.v.head(n).norm() <= 1e-10 * dmax * zn)) return false;
  }
  // Orthonormal basis of the null space (modified Gram–Schmidt over nz columns), then the
  // projection of q onto it.
  for (Eigen::Index c = 0; c < nz; ++c) {
    for (Eigen::Index b = 0; b < c; ++b) Z.col(c) -= Z.col(b).dot(Z.col(c)) * Z.col(b);
    const double zn = Z.col(c).norm();
    if (!(zn > 0)) return false;
    Z.col(c) /= zn;
  }
  out.noalias() = Z * (Z.transpose() * q);
  return true;
}

bool NodeQp::run(int max_iter, bool single) {
  const auto d = static_cast<Eigen::Index>(d_);
  compute_z();
  w_clear();
  // The sample functions do not change during a run.
  for (std::size_t i = 0; i < m_; ++i) fns_[i] = fn(i);
  auto try_add = [&](std::size_t i, double target) { return w_add(i, target); };
  // Drops the W members whose inW_ flag was cleared and refactors the rest from scratch, in
  // W's order. (Not a Givens downdate: the null-space basis decides which of several optimal
  // points a semidefinite model's LDLᵀ solve picks, and the basis a downdate leaves differs
  // from the one of a fresh factorisation: sat1 on 3 variables took 187 nodes instead of 3.)
  auto drop_cleared = [&] {
    W_.erase(std::remove_if(W_.begin(), W_.end(), [&](std::size_t i) { return inW_[i] == 0; }), W_.end());
    w_refactor();
  };
  const double vn = v_.norm();
  // Violated domain bounds first (a warm start after branching), then samples sitting at a
  // bound or breakpoint.
  for (std::size_t i = 0; i < m_; ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    if (xnorm_(ii) == 0) continue;
    const Fn& f = fns_[i];
    const double z = z_(ii), tol = 1e-11 * xnorm_(ii) * (vn + 1);
    if (z < f.lo - tol) try_add(i, f.lo);
    if (z > f.hi + tol) try_add(i, f.hi);
  }
  for (std::size_t i = 0; i < m_; ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    if (xnorm_(ii) == 0 || inW_[i]) continue;
    const Fn& f = fns_[i];
    const double z = z_(ii), tol = 1e-11 * xnorm_(ii) * (vn + 1);
    bool held = false;
    for (double at : {f.lo, f.hi, f.b})
      if (std::isfinite(at) && std::abs(z - at) <= tol && !held) held = try_add(i, at);
    if (!held) piece_[i] = z >= f.b ? kRight : kLeft;
  }

  bool multi = !single, after_multi = false;
  // The model's Hessian is H = SᵀS (S the rows √(2c_i)·x_i of the free right-piece samples);
  // it is never formed: the reduced Hessian is (S·Q2)ᵀ(S·Q2) and H·p = Sᵀ(S·p).
  Eigen::VectorXd& g = g_;
  Eigen::VectorXd& glin = glin_;
  Eigen::VectorXd& p = p_;
  Eigen::VectorXd& dz = dz_;
  Eigen::Index nu_size = 0;  // nu_ holds the W multipliers of the last model minimum
  bool converged = false;
  for (int it = 0; it < max_iter; ++it) {
    ++iters_;
    if ((it & 7) == 7 && stop_ && stop_()) {
      stopped_ = true;
      break;
    }
    compute_z();
    // Model: Σ over free samples on their right piece of c(z − y)².
    g.setZero();
    glin.setZero();
    double glin_scale = 0;
    rows_.clear();
    for (std::size_t i = 0; i < m_; ++i) {
      if (inW_[i]) continue;
      const auto ii = static_cast<Eigen::Index>(i);
      if (xnorm_(ii) == 0) continue;
      if (piece_[i] != kRight) {
        const double sl = fns_[i].s;  // the left piece's slope
        if (sl != 0) {
          row_axpy(i, sl, glin);
          glin_scale += std::abs(sl) * xnorm_(ii);
        }
        continue;
      }
      rows_.push_back(i);
      row_axpy(i, 2 * c_(ii) * (z_(ii) - y_(ii)), g);
    }
    g += glin;
    const auto nr = static_cast<Eigen::Index>(rows_.size());
    const auto k = static_cast<Eigen::Index>(W_.size());
    const Eigen::Index n2 = d - k;
    double rhs_inf = 0;
    for (Eigen::Index r = 0; r < k; ++r) {
      const std::size_t i = W_[static_cast<std::size_t>(r)];
      rhs_(r) = target_[i] - z_(static_cast<Eigen::Index>(i));
      rhs_inf = std::max(rhs_inf, std::abs(rhs_(r)));
    }
    const auto Q1t = Qt_.topRows(k);
    const auto Q2t = Qt_.bottomRows(n2);
    const auto R = R_.topLeftCorner(k, k);
    if (k > 0) {
      // A p = rhs, p = Q1 t: Rᵀ t = rhs.
      auto t = rhs_.head(k);
      R.transpose().triangularView<Eigen::Lower>().solveInPlace(t);
      p.noalias() = Q1t.transpose() * t;
    } else {
      p.setZero();
    }
    // A ray: the reduced model is linear along the directions no free right-piece sample
    // curves (the null space of their rows, normalised so that the weights do not matter),
    // and the sloped left pieces' gradient may not vanish there. The step then runs to the
    // first breakpoint or bound (one exists: every g_i is bounded below). The right pieces'
    // gradients lie in their rows' span, so only the left pieces' part is projected.
    bool ray = false;
    // The same working set (the factorisation's version) and the same right-piece rows as the
    // iteration whose reduced model was factorised last (typically the check after an interior
    // step): Q2, the left pieces' gradient, the ray test's outcome (no ray), S·Q2 and the LDLᵀ
    // of the reduced Hessian are all unchanged, so only the gradient terms are recomputed.
    const bool repeat = reuse_model_ && model_ver_ == qver_ && rows_ == model_rows_;
    if (repeat && n2 > 0) ++model_reuses_;
    if (n2 > 0) {
      auto pz = pz_.head(n2);
      bool have_q = false;
      if (repeat) {
        // (no ray: see model_ver_)
      } else if (glin_scale > 0) {
        if (q_ident())
          q_.head(n2) = glin;  // (Q2 = I: the product is glin itself)
        else
          q_.head(n2).noalias() = Q2t * glin;
        have_q = true;
      }
      // (No ray when the lines' gradient has no component off the working set's rows.)
      if (!repeat && have_q && q_.head(n2).norm() > 1e-12 * glin_scale) {
        const auto q = q_.head(n2);
        if (nr > 0) {
          // Null space of the unit rows in Q2's coordinates: eigenvectors of their small Gram
          // matrix with eigenvalues below 1e-12 of the largest (singular values below 1e-6).
          auto UQt = UQt_.topLeftCorner(n2, nr);
          for (Eigen::Index r = 0; r < nr && !q_ident(); ++r) {
            const std::size_t i = rows_[static_cast<std::size_t>(r)];
            row_times_q2(i, 1 / xnorm_(static_cast<Eigen::Index>(i)), n2, UQt.col(r));
          }
          auto Gm = G_.topLeftCorner(n2, n2);
          Gm.setZero();  // (the lower triangle is all that LLT, the eigensolver and the trace read)
          if (q_ident())
            lower_rank_update_rows(Gm, rows_, rp_, cj_, cv_,
                                   [&](std::size_t i) { return 1 / xnorm_(static_cast<Eigen::Index>(i)); });
          else
            lower_rank_update(Gm, UQt);
          // Well conditioned (trace(G)·trace(G⁻¹) ≥ λmax/λmin below 1e10): no eigenvalue near
          // the cut, so no null space and no ray, and the eigensolver is not needed.
          bool well = false;
          if (nr >= n2) {
            llt_.compute(Gm);
            if (llt_.info() == Eigen::Success) {
              // trace(G⁻¹) = ‖L⁻¹‖_F², column c of L⁻¹ by forward substitution (plain loops:
              // the blocked triangular solve costs more at these sizes).
              const auto& L = llt_.matrixLLT();
              double inv = 0;
              auto x = hwork_.head(n2);
              for (Eigen::Index c = 0; c < n2; ++c) {
                x.segment(c, n2 - c).setZero();
                x(c) = 1;
                for (Eigen::Index t = c; t < n2; ++t) {
                  x(t) /= L(t, t);
                  inv += x(t) * x(t);
                  if (t + 1 < n2) x.tail(n2 - t - 1) -= x(t) * L.col(t).tail(n2 - t - 1);
                }
              }
              well = Gm.trace() * inv < 1e10;
            }
          }
          if (!well && null_space_ldlt_ && null_projection_ldlt(Gm, q, pz, null_work_)) {
            ++null_ldlt_;
            if (pz.norm() > 1e-12 * glin_scale) {
              ray = true;
              pz = -pz;
            }
          } else if (!well) {
            es_.compute(Gm);
            const Eigen::VectorXd& ev = es_.eigenvalues();  // ascending
            const double emax = std::max(ev(ev.size() - 1), 1e-300);
            Eigen::Index nz = 0;
            while (nz < ev.size() && ev(nz) <= 1e-12 * emax) ++nz;
            if (nz > 0) {
              const auto Z = es_.eigenvectors().leftCols(nz);
              pz.noalias() = Z * (Z.transpose() * q);
              if (pz.norm() > 1e-12 * glin_scale) {
                ray = true;
                pz = -pz;
              }
            }
          }
        } else if (q.norm() > 1e-12 * glin_scale) {
          ray = true;
          pz = -q;
        }
      }
      if (!ray) {
        auto gz = gz_.head(n2);
        if (q_ident())
          gz = g;
        else
          gz.noalias() = Q2t * g;
        auto Hz = Hz_.topLeftCorner(n2, n2);
        if (nr > 0) {
          auto SQt = SQt_.topLeftCorner(n2, nr);
          auto Sp = sp_.head(nr);
          for (Eigen::Index r = 0; r < nr; ++r) {
            const std::size_t i = rows_[static_cast<std::size_t>(r)];
            const double sc = sc_(static_cast<Eigen::Index>(i));
            if (!repeat) row_times_q2(i, sc, n2, SQt.col(r));
            Sp(r) = sc * row_dot(i, p);
          }
          if (!repeat) {
            Hz.setZero();  // (LDLT reads the lower triangle)
            if (q_ident()) ++ident_models_;
            if (q_ident())
              lower_rank_update_rows(Hz, rows_, rp_, cj_, cv_,
                                     [&](std::size_t i) { return sc_(static_cast<Eigen::Index>(i)); });
            else
              lower_rank_update(Hz, SQt);
          }
          gz.noalias() += SQt * Sp;
        } else if (!repeat) {
          Hz.setZero();
        }
        if (!repeat) {
          ldlt_.compute(Hz);
          model_ver_ = qver_;
          model_rows_ = rows_;
        }
        pz = -ldlt_.solve(gz);
      }
      if (!pz.allFinite()) pz.setZero();
      if (q_ident())
        p += pz;
      else
        p.noalias() += Q2t.transpose() * pz;
    }
    mul_rows(p, dz);
    // Converged on this working set when the step moves no z materially.
    // (Round-off moves of 1e-16 on a z of O(1) must count as still: the tolerance has
    // an absolute part on the scale of the largest |z| or |y|.)
    const double zscale = std::max(z_.cwiseAbs().maxCoeff(), ymax_);
    bool still = !ray;
    for (std::size_t i = 0; i < m_ && still; ++i) {
      const auto ii = static_cast<Eigen::Index>(i);
      if (std::abs(dz(ii)) > 1e-12 * (std::abs(z_(ii)) + std::abs(y_(ii))) + 1e-13 * zscale) still = false;
    }
    if (still) {
      nu_size = k;
      if (k > 0) {
        // grad = g + H·p, H·p = Σ 2c_i x_i ⟨x_i, p⟩ over the free right-piece samples.
        grad_ = g;
        for (const std::size_t i : rows_) row_axpy(i, 2 * c_(static_cast<Eigen::Index>(i)) * row_dot(i, p), grad_);
        auto nu = nu_.head(k);
        nu.noalias() = -(Q1t * grad_);
        R.triangularView<Eigen::Upper>().solveInPlace(nu);
      }
      // Release the W members whose move decreases the objective (all of them at once;
      // after a joint release whose next step is blocked at once, only the best one, as a
      // classic active-set step, for the rest of the run).
      double Gs = 0;
      for (std::size_t i = 0; i < m_; ++i) {
        const auto ii = static_cast<Eigen::Index>(i);
        Gs = std::max(Gs, 2 * c_(ii) * std::abs(z_(ii) - y_(ii)) * xnorm_(ii));
      }
      double best = 0;
      std::int64_t best_r = -1;
      release_.clear();
      for (Eigen::Index r = 0; r < k; ++r) {
        const std::size_t i = W_[static_cast<std::size_t>(r)];
        const auto ii = static_cast<Eigen::Index>(i);
        const Fn& f = fns_[i];
        const double v = target_[i];
        const double dp = v >= f.b ? 2 * c_(ii) * (v - y_(ii)) : f.s;
        const double dm = v > f.b ? 2 * c_(ii) * (v - y_(ii)) : f.s;
        const double up = -nu_(r) + dp, down = nu_(r) - dm;
        const double tol = 1e-9 * (std::abs(nu_(r)) + std::abs(dp)) + 1e-13 * Gs;
        double score = 0;
        bool go_up = false;
        if (v < f.hi && up < -tol && up / xnorm_(ii) < score) {
          score = up / xnorm_(ii);
          go_up = true;
        }
        if (v > f.lo && down < -tol && down / xnorm_(ii) < score) {
          score = down / xnorm_(ii);
          go_up = false;
        }
        if (score < 0) {
          release_.emplace_back(r, go_up);
          if (score < best) {
            best = score;
            best_r = r;
          }
        }
      }
      if (best_r < 0) {
        converged = true;
        break;
      }
      if (!multi) {
        for (const auto& rel : release_)
          if (rel.first == best_r) {
            release_.assign(1, rel);
            break;
          }
      }
      after_multi = release_.size() > 1;
      for (const auto& [r, go_up] : release_) {
        const std::size_t i = W_[static_cast<std::size_t>(r)];
        const Fn& f = fns_[i];
        const double v = target_[i];
        piece_[i] = go_up ? (v >= f.b ? kRight : kLeft) : (v > f.b ? kRight : kLeft);
        inW_[i] = 0;
      }
      drop_cleared();
      continue;
    }
    // Ratio test.
    const double pn = p.norm();
    // (A ray while W is still being pulled to its targets takes the unit step: no overshoot.)
    double alpha = ray && rhs_inf == 0 ? kInf : 1;
    std::int64_t block = -1;
    double block_at = 0;
    // The first breakpoint or bound along p (run only when the walk below does not decide
    // the step: most steps are the walk's).
    auto first_blocker = [&] {
      for (std::size_t i = 0; i < m_; ++i) {
        if (inW_[i]) continue;
        const auto ii = static_cast<Eigen::Index>(i);
        const double s = dz(ii);
        if (std::abs(s) <= 1e-14 * xnorm_(ii) * pn) continue;
        const Fn& f = fns_[i];
        const double z = z_(ii);
        if (s < 0 && std::isfinite(f.lo)) keep_first((z - f.lo) / -s, f.lo, i, alpha, block, block_at);
        if (s > 0 && std::isfinite(f.hi)) keep_first((f.hi - z) / s, f.hi, i, alpha, block, block_at);
        if (std::isfinite(f.b)) {
          if (piece_[i] == kRight && s < 0) keep_first((z - f.b) / -s, f.b, i, alpha, block, block_at);
          if (piece_[i] == kLeft && s > 0) keep_first((f.b - z) / s, f.b, i, alpha, block, block_at);
        }
      }
    };
    bool walked = false;
    // Past breakpoints. first_blocker stops at the first breakpoint and holds that sample
    // in W: one iteration per breakpoint met, and another to release it. Along p the
    // objective is convex and piecewise quadratic (one breakpoint per sample), so when W sits
    // at its targets the step walks the breakpoints in order and stops at the minimum along
    // p: inside a piece, at a breakpoint whose slope jump makes the slope ≥ 0 (that sample is
    // held), or at the first domain bound. The samples crossed on the way change pieces.
    crossed_.clear();
    if (rhs_inf == 0) {
      long double d0 = 0, curv = 0;
      double hard = kInf, hard_at = 0;
      std::int64_t hard_i = -1;
      kinks_.clear();
      for (std::size_t i = 0; i < m_; ++i) {
        if (inW_[i]) continue;
        const auto ii = static_cast<Eigen::Index>(i);
        if (xnorm_(ii) == 0) continue;
        const double s = dz(ii), z = z_(ii);
        const Fn& f = fns_[i];
        if (piece_[i] == kRight) {
          d0 += static_cast<long double>(2 * c_(ii) * (z - y_(ii))) * s;
          curv += static_cast<long double>(2 * c_(ii) * s) * s;
        } else {
          d0 += static_cast<long double>(f.s) * s;
        }
        if (std::abs(s) <= 1e-14 * xnorm_(ii) * pn) continue;
        if (s < 0 && std::isfinite(f.lo)) keep_first((z - f.lo) / -s, f.lo, i, hard, hard_i, hard_at);
        if (s > 0 && std::isfinite(f.hi)) keep_first((f.hi - z) / s, f.hi, i, hard, hard_i, hard_at);
        if (std::isfinite(f.b)) {
          if (piece_[i] == kRight && s < 0) kinks_.emplace_back(std::max((z - f.b) / -s, 0.0), i);
          if (piece_[i] == kLeft && s > 0) kinks_.emplace_back(std::max((f.b - z) / s, 0.0), i);
        }
      }
      if (d0 < 0) {  // a descent direction (else the first-blocker step above stands)
        // The breakpoints in increasing (step, sample) order, popped from a min-heap: the walk
        // usually stops after a few of them, so the rest is never sorted (the order is the
        // one a full sort gives: the pairs are distinct).
        std::make_heap(kinks_.begin(), kinks_.end(), std::greater<>());
        auto heap_end = kinks_.end();
        double at = 0, walk = hard, walk_at = hard_at;
        std::int64_t walk_block = hard_i;
        bool done = false;
        auto interior = [&](double to) {  // the zero of d0 + curv·(α − at) on [at, to]
          const double a = curv > 0 ? static_cast<double>(at - d0 / curv) : at;
          return std::clamp(a, at, to);
        };
        while (heap_end != kinks_.begin()) {
          std::pop_heap(kinks_.begin(), heap_end, std::greater<>());
          --heap_end;
          const double a = heap_end->first;
          const std::size_t i = heap_end->second;
          if (a >= hard) break;
          const long double dphi = d0 + curv * (a - at);
          if (dphi >= 0) {
            walk = interior(a);
            walk_block = -1;
            done = true;
            break;
          }
          d0 = dphi;
          at = a;
          const auto ii = static_cast<Eigen::Index>(i);
          const double s = dz(ii);
          const Fn& f = fns_[i];
          const long double r = static_cast<long double>(2 * c_(ii) * (f.b - y_(ii))) * s,
                            l = static_cast<long double>(f.s) * s;
          const long double jump = std::max(piece_[i] == kRight ? l - r : r - l, 0.0L);
          if (d0 + jump >= 0) {
            walk = a;
            walk_block = static_cast<std::int64_t>(i);
            walk_at = f.b;
            done = true;
            break;
          }
          d0 += jump;
          const long double q = static_cast<long double>(2 * c_(ii) * s) * s;
          curv = std::max(piece_[i] == kRight ? curv - q : curv + q, 0.0L);
          crossed_.push_back(i);
        }
        if (!done && curv > 0 && (!std::isfinite(hard) || d0 + curv * (hard - at) >= 0)) {
          walk = interior(hard);
          walk_block = -1;
        }
        if (!ray && crossed_.empty() && walk_block < 0 && std::abs(walk - 1) <= 1e-9) walk = 1;
        if (walk > 0 || walk_block >= 0) {
          alpha = walk;
          block = walk_block;
          block_at = walk_at;
          walked = true;
        } else {
          crossed_.clear();
        }
      }
    }
    if (!walked) first_blocker();
    if (!std::isfinite(alpha)) break;  // a ray nothing blocks: only round-off makes one
    if (after_multi && alpha == 0 && block >= 0) multi = false;
    after_multi = false;
    v_ += alpha * p;
    for (auto i : crossed_) piece_[i] = piece_[i] == kRight ? kLeft : kRight;
    if (block >= 0) {
      const auto i = static_cast<std::size_t>(block);
      if (!try_add(i, block_at) && block_at == fns_[i].b) {
        // Dependent on W at a breakpoint: cross it (no feasibility at stake).
        piece_[i] = piece_[i] == kRight ? kLeft : kRight;
      } else if (!inW_[i]) {
        // Numerically dependent on W (or W is full): free the members already at their
        // value (those still being pulled to a bound stay), then retry.
        compute_z();
        const double vn1 = v_.norm() + 1;
        for (auto j : W_) {
          const auto jj = static_cast<Eigen::Index>(j);
          if (!(std::abs(target_[j] - z_(jj)) > 1e-11 * xnorm_(jj) * vn1)) {
            inW_[j] = 0;
            piece_[j] = target_[j] >= fns_[j].b ? kRight : kLeft;
          }
        }
        drop_cleared();
        if (!try_add(i, block_at)) {
          const Fn& f = fns_[i];
          if (block_at == f.b) {
            piece_[i] = piece_[i] == kRight ? kLeft : kRight;
          } else {
            break;
          }
        }
      }
    }
  }
  finish_values();
  // Multipliers: derivatives of the free samples, W multipliers for the held ones.
  for (std::size_t i = 0; i < m_; ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    lambda_(ii) = inW_[i] ? 0.0 : piece_[i] == kRight ? 2 * c_(ii) * (z_(ii) - y_(ii)) : fns_[i].s;
  }
  if (nu_size == static_cast<Eigen::Index>(W_.size()))
    for (std::size_t r = 0; r < W_.size(); ++r)
      lambda_(static_cast<Eigen::Index>(W_[r])) = nu_(static_cast<Eigen::Index>(r));
  return converged;
}

}  // namespace relugap::exact_detail
