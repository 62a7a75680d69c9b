// Rational node bounds for `exact` with two units (see exact_certify_two.hpp).
#include "solvers/relu/exact_certify_two.hpp"

#include <algorithm>
#include <cmath>
#include <coin/ClpSimplex.hpp>
#include <coin/CoinPackedMatrix.hpp>
#include <limits>
#include <optional>

#include "solvers/relu/exact_arith.hpp"

namespace relugap::exact_detail {

namespace {

// min over [from, to] of K − μz (from ≤ to).
Rational line_min(const Rational& from, const Rational& to, const Rational& K, const Rational& mu) {
  return K - mu * (sgn(mu) > 0 ? to : from);
}

// min over [from, to] of K + c(z − centre)² − μz (c > 0, from ≤ to): the vertex
// centre + μ/(2c) when inside, else the nearer end.
Rational parabola_min(const Rational& from, const Rational& to, const Rational& K, const Rational& c,
                      const Rational& centre, const Rational& mu) {
  const Rational vertex = centre + mu / (2 * c);
  Rational z;
  if (vertex <= from)
    z = from;
  else if (vertex >= to)
    z = to;
  else
    return K - mu * centre - mu * mu / (4 * c);
  const Rational t = z - centre;
  return K + c * t * t - mu * z;
}

/// Gauss–Jordan elimination in rationals of the n × (cols + 1) augmented matrix A (right-hand
/// side in column cols). Pivots are chosen by their double magnitude, the largest among unused
/// rows and columns; entries at most rel_tiny times the largest |entry| count as zero. Returns
/// the (row, column) pivots in order; rows left unused are the dependent ones.
std::vector<std::pair<std::size_t, std::size_t>> eliminate(std::vector<std::vector<Rational>>& A, std::size_t cols,
                                                           double rel_tiny) {
  const std::size_t n = A.size();
  double big = 0;
  for (std::size_t t = 0; t < n; ++t)
    for (std::size_t k = 0; k < cols; ++k) big = std::max(big, std::abs(A[t][k].get_d()));
  const double tiny = rel_tiny * big;
  std::vector<std::uint8_t> row_used(n, 0), col_used(cols, 0);
  std::vector<std::pair<std::size_t, std::size_t>> pivots;
  for (;;) {
    std::size_t br = n, bk = cols;
    double bv = 0;
    for (std::size_t t = 0; t < n; ++t) {
      if (row_used[t]) continue;
      for (std::size_t k = 0; k < cols; ++k)
        if (!col_used[k] && sgn(A[t][k]) != 0 && std::abs(A[t][k].get_d()) > tiny) {
          const double v = std::abs(A[t][k].get_d());
          if (br == n || v > bv) {
            bv = v;
            br = t;
            bk = k;
          }
        }
    }
    if (br == n) break;
    row_used[br] = 1;
    col_used[bk] = 1;
    pivots.emplace_back(br, bk);
    for (std::size_t t = 0; t < n; ++t) {
      if (t == br || sgn(A[t][bk]) == 0) continue;
      const Rational f = A[t][bk] / A[br][bk];
      for (std::size_t q = 0; q <= cols; ++q)
        if (sgn(A[br][q]) != 0) A[t][q] -= f * A[br][q];
    }
  }
  return pivots;
}

}  // namespace

TwoCertifier::TwoCertifier(const TrainingSet& data, int s1, int s2)
    : m_(data.samples()), d_(data.dim), data_(data), s_{s1, s2} {
  xq_.reserve(data.val.size());
  for (double v : data.val) xq_.push_back(exact_from_double(v));
  for (std::size_t i = 0; i < m_; ++i) {
    y_.push_back(exact_from_double(data.y[i]));
    c_.push_back(exact_from_double(data.c[i]));
  }
  slack_.assign(m_, Rational(0));
  gram_.compute(equilibrated_gram(data, Dg_));
}

void TwoCertifier::set_upper(const Rational& U) {
  if (has_upper_ && U >= U_) return;
  U_ = U;
  has_upper_ = true;
  for (std::size_t i = 0; i < m_; ++i) slack_[i] = sqrt_up(U_ / c_[i]);
}

Rational TwoCertifier::loss(const double* w) const {
  Rational total = 0, z, f, r;
  for (std::size_t i = 0; i < m_; ++i) {
    f = 0;
    for (std::size_t j = 0; j < 2; ++j) {
      z = 0;
      for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p)
        z += xq_[p] * exact_from_double(w[j * d_ + data_.col[p].idx()]);
      if (z > 0) f += s_[j] * z;
    }
    r = f - y_[i];
    total += c_[i] * r * r;
  }
  return total;
}

void TwoCertifier::item_limits(std::size_t i, std::size_t j, const std::vector<std::int8_t>& state, bool& has_lo,
                               Rational& lo, bool& has_hi, Rational& hi) const {
  const std::size_t k = 1 - j;
  const int pj = state[2 * i + j], pk = state[2 * i + k];
  has_lo = has_hi = false;
  auto cap_hi = [&](const Rational& v) {
    if (!has_hi || v < hi) hi = v;
    has_hi = true;
  };
  auto cap_lo = [&](const Rational& v) {
    if (!has_lo || v > lo) lo = v;
    has_lo = true;
  };
  if (pj == 1) cap_lo(Rational(0));
  if (pj == -1) cap_hi(Rational(0));
  // s_j·f_i = ReLU(z_ij) + s_j s_k ReLU(z_ik) ≥ z_ij when s_j = s_k or unit k is inactive.
  if (s_[j] == s_[k] || pk == -1) cap_hi(s_[j] * y_[i] + slack_[i]);
  // Unit j active and unit k inactive: f_i = s_j z_ij exactly.
  if (pj == 1 && pk == -1) cap_lo(s_[j] * y_[i] - slack_[i]);
}

bool TwoCertifier::box(const std::vector<std::int8_t>& state, std::vector<Rational>& R, std::string* why,
                       double fault_scale) const {
  if (!has_upper_) {
    if (why != nullptr) *why = "no upper bound";
    return false;
  }
  const std::size_t n = 2 * d_;
  // The rows g_k·v ∈ [lo_k, hi_k]: items (x_i on unit j's block) and decided samples.
  struct Row {
    std::vector<std::pair<std::size_t, int>> ent;  ///< (coordinate of v, ±1 times the nonzero p of x_i), p in idx
    std::vector<std::size_t> nz;                   ///< the nonzero index p of each entry
    bool has_lo = false, has_hi = false;
    Rational lo, hi;
  };
  std::vector<Row> rows;
  for (std::size_t i = 0; i < m_; ++i) {
    if (data_.row_ptr[i + 1] == data_.row_ptr[i]) continue;
    for (std::size_t j = 0; j < 2; ++j) {
      Row r;
      item_limits(i, j, state, r.has_lo, r.lo, r.has_hi, r.hi);
      if (!r.has_lo && !r.has_hi) continue;
      for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p) {
        r.ent.emplace_back(j * d_ + data_.col[p].idx(), 1);
        r.nz.push_back(p);
      }
      rows.push_back(std::move(r));
    }
    const int p1 = state[2 * i], p2 = state[2 * i + 1];
    if (p1 == 1 && p2 == 1) {
      // y − s ≤ s_1 z_i1 + s_2 z_i2 ≤ y + s.
      Row r;
      r.has_lo = r.has_hi = true;
      r.lo = y_[i] - slack_[i];
      r.hi = y_[i] + slack_[i];
      for (std::size_t j = 0; j < 2; ++j)
        for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p) {
          r.ent.emplace_back(j * d_ + data_.col[p].idx(), s_[j]);
          r.nz.push_back(p);
        }
      rows.push_back(std::move(r));
    }
  }
  // LP columns: μ⁺_k (rows with hi), μ⁻_k (rows with lo); LP rows: Σ (μ⁺ − μ⁻) g = σ e_t.
  struct Col {
    std::size_t row;
    int sign;
  };
  std::vector<Col> cols;
  CoinPackedMatrix A(true, 0, 0);
  A.setDimensions(static_cast<int>(n), 0);
  std::vector<double> cost;
  for (std::size_t k = 0; k < rows.size(); ++k)
    for (int sg : {1, -1}) {
      const Row& r = rows[k];
      if (sg > 0 ? !r.has_hi : !r.has_lo) continue;
      std::vector<int> idx;
      std::vector<double> val;
      for (std::size_t e = 0; e < r.ent.size(); ++e) {
        idx.push_back(static_cast<int>(r.ent[e].first));
        val.push_back(sg * r.ent[e].second * data_.val[r.nz[e]]);
      }
      A.appendCol(static_cast<int>(idx.size()), idx.data(), val.data());
      cost.push_back(sg > 0 ? r.hi.get_d() : -r.lo.get_d());
      cols.push_back({k, sg});
    }
  if (cols.empty()) {
    if (why != nullptr) *why = "no rows";
    return false;
  }
  const std::size_t nc = cols.size();
  std::vector<double> clo(nc, 0.0), cup(nc, COIN_DBL_MAX), rlo(n, 0.0), rup(n, 0.0);
  ClpSimplex lp;
  lp.setLogLevel(0);
  lp.loadProblem(A, clo.data(), cup.data(), cost.data(), rlo.data(), rup.data());
  std::vector<Rational> a(n, Rational(0)), rho(n);
  Rational eps = 0, val, q, n1;
  for (std::size_t t = 0; t < n; ++t)
    for (int sg : {1, -1}) {
      lp.setRowBounds(static_cast<int>(t), sg, sg);
      lp.primal();
      lp.setRowBounds(static_cast<int>(t), 0, 0);
      if (lp.status() != 0) {
        if (why != nullptr) *why = "coordinate " + std::to_string(t) + " unbounded";
        return false;
      }
      const double* mu = lp.primalColumnSolution();
      std::fill(rho.begin(), rho.end(), Rational(0));
      rho[t] = -sg;
      val = 0;
      for (std::size_t k = 0; k < nc; ++k) {
        if (!(mu[k] > 0)) continue;
        q = exact_from_double(mu[k] * fault_scale);
        const Row& r = rows[cols[k].row];
        if (cols[k].sign > 0)
          val += q * r.hi;
        else
          val -= q * r.lo;
        for (std::size_t e = 0; e < r.ent.size(); ++e)
          rho[r.ent[e].first] += cols[k].sign * r.ent[e].second * q * xq_[r.nz[e]];
      }
      n1 = 0;
      for (auto& x : rho) n1 += abs(x);
      if (val > a[t]) a[t] = val;
      if (n1 > eps) eps = n1;
    }
  if (eps >= Rational(1, 2)) {
    if (why != nullptr) *why = "LP certificates not accurate enough";
    return false;
  }
  Rational amax = 0;
  for (auto& x : a) amax = std::max(amax, x);
  const Rational Rbar = amax / (1 - eps);
  R.assign(n, Rational(0));
  for (std::size_t t = 0; t < n; ++t) R[t] = a[t] + eps * Rbar;
  return true;
}

Rational TwoCertifier::bound(Eigen::VectorXd& lambda, const std::vector<std::int8_t>& state,
                             const std::vector<Rational>& R) const {
  const auto d = static_cast<Eigen::Index>(d_);
  // Repair, per unit: λ_·j −= C·X·t with (XᵀCX) t = Σ_i λ_ij x_i (double-double residual).
  for (std::size_t j = 0; j < 2; ++j)
    for (int pass = 0; pass < 2; ++pass) {
      std::vector<DD> acc(d_);
      for (std::size_t i = 0; i < m_; ++i) {
        const double li = lambda(static_cast<Eigen::Index>(2 * i + j));
        if (li == 0) continue;
        for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p)
          acc[data_.col[p].idx()].add_product(li, data_.val[p]);
      }
      Eigen::VectorXd rd(d);
      for (Eigen::Index t = 0; t < d; ++t) rd(t) = acc[static_cast<std::size_t>(t)].value();
      if (rd.lpNorm<Eigen::Infinity>() == 0) break;
      Eigen::VectorXd tt = Dg_.asDiagonal() * gram_.solve(Eigen::VectorXd(Dg_.asDiagonal() * rd));
      if (!tt.allFinite()) break;
      for (std::size_t i = 0; i < m_; ++i) {
        double xt = 0;
        for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p)
          xt += data_.val[p] * tt(data_.col[p].value());
        lambda(static_cast<Eigen::Index>(2 * i + j)) -= data_.c[i] * xt;
      }
    }
  const Rational empty(std::numeric_limits<double>::max());
  // The exact residual r = Σ_i λ_ij x_i on unit j's block.
  std::vector<Rational> r(2 * d_, Rational(0));
  std::vector<Rational> lam(2 * m_);
  for (std::size_t k = 0; k < 2 * m_; ++k) lam[k] = exact_from_double(lambda(static_cast<Eigen::Index>(k)));
  for (std::size_t i = 0; i < m_; ++i)
    for (std::size_t j = 0; j < 2; ++j) {
      if (sgn(lam[2 * i + j]) == 0) continue;
      for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p)
        r[j * d_ + data_.col[p].idx()] += lam[2 * i + j] * xq_[p];
    }
  Rational total = 0;
  for (std::size_t t = 0; t < 2 * d_; ++t) total -= R[t] * abs(r[t]);
  Rational lo[2], hi[2], S, l, h;
  for (std::size_t i = 0; i < m_; ++i) {
    for (std::size_t j = 0; j < 2; ++j) {
      S = 0;
      for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p)
        S += R[j * d_ + data_.col[p].idx()] * abs(xq_[p]);
      lo[j] = -S;
      hi[j] = S;
      bool hl = false, hh = false;
      item_limits(i, j, state, hl, l, hh, h);
      if (hl && l > lo[j]) lo[j] = l;
      if (hh && h < hi[j]) hi[j] = h;
      if (lo[j] > hi[j]) return empty;  // the node holds no v with loss ≤ U in the box
    }
    const Rational &l1 = lam[2 * i], &l2 = lam[2 * i + 1];
    const int p1 = state[2 * i], p2 = state[2 * i + 1];
    if (p1 == 0 || p2 == 0) {
      total += line_min(lo[0], hi[0], Rational(0), l1) + line_min(lo[1], hi[1], Rational(0), l2);
      continue;
    }
    const int a1 = p1 == 1 ? s_[0] : 0, a2 = p2 == 1 ? s_[1] : 0;
    const Rational& c = c_[i];
    const Rational& y = y_[i];
    if (a1 == 0 && a2 == 0) {
      total += c * y * y + line_min(lo[0], hi[0], Rational(0), l1) + line_min(lo[1], hi[1], Rational(0), l2);
    } else if (a2 == 0) {
      total += parabola_min(lo[0], hi[0], Rational(0), c, a1 * y, l1) + line_min(lo[1], hi[1], Rational(0), l2);
    } else if (a1 == 0) {
      total += line_min(lo[0], hi[0], Rational(0), l1) + parabola_min(lo[1], hi[1], Rational(0), c, a2 * y, l2);
    } else {
      // c(a1 z1 + a2 z2 − y)² − λ1 z1 − λ2 z2 on the rectangle: the least of its four edges
      // (a_j² = 1, so with z_k fixed it is c(z_j − a_j(y − a_k z_k))² − λ_j z_j − λ_k z_k).
      Rational best;
      bool have = false;
      auto keep = [&](const Rational& v) {
        if (!have || v < best) best = v;
        have = true;
      };
      for (const Rational* zk : {&lo[1], &hi[1]})
        keep(parabola_min(lo[0], hi[0], -l2 * *zk, c, a1 * (y - a2 * *zk), l1));
      for (const Rational* zk : {&lo[0], &hi[0]})
        keep(parabola_min(lo[1], hi[1], -l1 * *zk, c, a2 * (y - a1 * *zk), l2));
      total += best;
    }
  }
  return total;
}

Rational TwoCertifier::dual_bound(const Eigen::VectorXd& theta, const Eigen::VectorXd& lambda,
                                  const std::vector<std::int8_t>& state, const std::vector<Rational>* R,
                                  const Rational* enough) const {
  const std::size_t n = 2 * d_;
  // Columns of the stationarity system: θ_i (fully decided, a ≠ 0) and the clearly positive ν_ij.
  struct Var {
    std::size_t i, j;  ///< j = 2: θ_i (both blocks), else ν_ij
    Rational value;
  };
  std::vector<Var> vars;
  std::vector<Rational> res(n, Rational(0));
  Rational total = 0;
  double scale = 0;
  for (std::size_t i = 0; i < m_; ++i) scale = std::max(scale, std::abs(theta(static_cast<Eigen::Index>(i))));
  std::vector<int> adj;  // indices into vars that the solve may move
  for (std::size_t i = 0; i < m_; ++i) {
    const int p1 = state[2 * i], p2 = state[2 * i + 1];
    const bool full = p1 != 0 && p2 != 0;
    const int a[2] = {p1 == 1 ? s_[0] : 0, p2 == 1 ? s_[1] : 0};
    double th = 0;
    if (full && (a[0] != 0 || a[1] != 0)) {
      th = theta(static_cast<Eigen::Index>(i));
      vars.push_back({i, 2, exact_from_double(th)});
      adj.push_back(static_cast<int>(vars.size() - 1));
    } else if (full) {
      total += c_[i] * y_[i] * y_[i];
    }
    for (std::size_t j = 0; j < 2; ++j) {
      const int pj = state[2 * i + j];
      if (pj == 0) continue;  // no constraint: its multiplier is 0
      const double nu = pj * (th * a[j] - lambda(static_cast<Eigen::Index>(2 * i + j)));
      if (!(nu > 0)) continue;
      // A tiny ν is dropped (ν = 0 is a multiplier too); the others may move.
      if (!(nu > 1e-9 * std::max(scale, 1e-300))) continue;
      vars.push_back({i, j, exact_from_double(nu)});
      adj.push_back(static_cast<int>(vars.size() - 1));
    }
  }
  // The column of a variable on v's 2d coordinates: θ_i: (a_i1 x_i, a_i2 x_i); ν_ij: −σ x_i on block j.
  auto column = [&](const Var& v, auto&& emit) {
    const int p1 = state[2 * v.i], p2 = state[2 * v.i + 1];
    for (std::size_t j = 0; j < 2; ++j) {
      int coef = 0;
      if (v.j == 2)
        coef = (j == 0 ? p1 : p2) == 1 ? s_[j] : 0;
      else if (v.j == j)
        coef = -state[2 * v.i + j];
      if (coef == 0) continue;
      for (std::size_t p = data_.row_ptr[v.i]; p < data_.row_ptr[v.i + 1]; ++p)
        emit(j * d_ + data_.col[p].idx(), coef, p);
    }
  };
  for (const Var& v : vars)
    column(v, [&](std::size_t t, int coef, std::size_t p) { res[t] += coef * v.value * xq_[p]; });
  bool zero = true;
  for (const auto& r : res) zero = zero && sgn(r) == 0;
  // The dual objective of stationary (θ, ν) with ν ≥ 0; none when a ν is negative.
  auto objective = [&](const std::vector<Var>& vs, const Rational& from) -> std::optional<Rational> {
    Rational q = from;
    for (const Var& v : vs)
      if (v.j != 2 && sgn(v.value) < 0) return std::nullopt;
    for (const Var& v : vs)
      if (v.j == 2) q += -v.value * v.value / (4 * c_[v.i]) - v.value * y_[v.i];
    return q;
  };
  const Rational base = total;  // the decided samples with a = 0
  // Particular solution: M δ = −res over the movable variables, by exact Gauss–Jordan
  // elimination with full pivoting (pivots chosen by their double magnitude); free variables
  // stay put. `moved` (a copy: the maximising step below starts from the unmoved values).
  auto particular = [&](std::vector<Var> moved) -> Rational {
    Rational q = base;
    if (!zero) {
      const std::size_t K = adj.size();
      if (K == 0 && R == nullptr) return q;  // θ = ν = 0: the decided samples with a = 0 only
      std::vector<std::vector<Rational>> A(n, std::vector<Rational>(K + 1, Rational(0)));
      for (std::size_t k = 0; k < K; ++k)
        column(moved[static_cast<std::size_t>(adj[k])],
               [&](std::size_t t, int coef, std::size_t p) { A[t][k] += coef * xq_[p]; });
      for (std::size_t t = 0; t < n; ++t) A[t][K] = -res[t];
      // Pivots below 1e-9 of the largest entry are treated as zero: a near-dependent pivot
      // would fit the rounding residual with a huge, useless δ.
      const auto pivots = eliminate(A, K, 1e-9);  // (row, column)
      std::vector<std::uint8_t> row_used(n, 0);
      for (const auto& pv : pivots) row_used[pv.first] = 1;
      bool consistent = true;
      for (std::size_t t = 0; t < n; ++t)
        if (!row_used[t] && sgn(A[t][K]) != 0) consistent = false;
      for (const auto& [t, k] : pivots) moved[static_cast<std::size_t>(adj[k])].value += A[t][K] / A[t][k];
      if (!consistent) {
        // A residual is left (rounding along near-dependent directions): with a box it costs
        // Σ R_t |r_t|; without one, θ = ν = 0.
        if (R == nullptr) return q;
        std::vector<Rational> left(n, Rational(0));
        for (const Var& v : moved)
          column(v, [&](std::size_t t, int coef, std::size_t p) { left[t] += coef * v.value * xq_[p]; });
        for (std::size_t t = 0; t < n; ++t) q -= (*R)[t] * abs(left[t]);
      }
    }
    const std::optional<Rational> o = objective(moved, q);
    return o ? *o : q;
  };
  const Rational first = particular(vars);
  // Stationary already (nothing to repair), or the first bound reaches what the caller needs:
  // the maximising step below (the costlier solve) is skipped.
  if (zero || (enough != nullptr && first >= *enough)) return first;
  // The best repair: the step δ that maximises the dual objective, with a proximal term
  // −Σ δ_ν²/(4c_i) on the ν, subject to M δ = −res (a concave QP). Its KKT system reduces to
  // the n×n system (M H⁻¹ Mᵀ) μ = M H⁻¹ g + res, H = diag(1/(2c_i)), g the objective's
  // gradient (θ: −θ_i/(2c_i) − y_i, ν: 0); then δ = H⁻¹(g − Mᵀμ). Solved in rationals; the
  // result is kept only if stationarity holds exactly and every ν ≥ 0 (checked here), and the
  // bound is the better of it and the particular solution above (both valid).
  std::optional<Rational> best_step;
  std::vector<Var> cand = std::move(vars);
  for (int round = 0; round < 8 && !cand.empty(); ++round) {
    // ν that the step turns negative are fixed at 0 (dropped) and the step is solved again.
    std::vector<Rational> rc(n, Rational(0));
    for (const Var& v : cand)
      column(v, [&](std::size_t t, int coef, std::size_t p) { rc[t] += coef * v.value * xq_[p]; });
    const std::size_t K = cand.size();
    std::vector<std::vector<std::pair<std::size_t, Rational>>> cols(K);
    for (std::size_t k = 0; k < K; ++k) {
      std::vector<Rational> dense(n, Rational(0));
      std::vector<std::uint8_t> hit(n, 0);
      column(cand[k], [&](std::size_t t, int coef, std::size_t p) {
        dense[t] += coef * xq_[p];
        hit[t] = 1;
      });
      for (std::size_t t = 0; t < n; ++t)
        if (hit[t] && sgn(dense[t]) != 0) cols[k].emplace_back(t, dense[t]);
    }
    // hinv_k = 2c_i; H⁻¹g: θ: −θ_i − 2c_i y_i, ν: 0.
    std::vector<std::vector<Rational>> G(n, std::vector<Rational>(n + 1, Rational(0)));
    for (std::size_t t = 0; t < n; ++t) G[t][n] = rc[t];
    for (std::size_t k = 0; k < K; ++k) {
      const Var& v = cand[k];
      const Rational h = 2 * c_[v.i];
      const Rational hg = v.j == 2 ? Rational(-v.value - h * y_[v.i]) : Rational(0);
      for (const auto& [t, mt] : cols[k]) {
        if (sgn(hg) != 0) G[t][n] += mt * hg;
        for (const auto& [u, mu] : cols[k]) G[t][u] += h * mt * mu;
      }
    }
    const auto piv = eliminate(G, n, 1e-12);
    std::vector<Rational> mu(n, Rational(0));
    for (const auto& [t, u] : piv) mu[u] = G[t][n] / G[t][u];
    std::vector<Var> moved = cand;
    for (std::size_t k = 0; k < K; ++k) {
      Var& v = moved[k];
      const Rational h = 2 * c_[v.i];
      Rational mtmu = 0;
      for (const auto& [t, mt] : cols[k]) mtmu += mt * mu[t];
      v.value += v.j == 2 ? Rational(-v.value - h * y_[v.i] - h * mtmu) : Rational(-h * mtmu);
    }
    std::vector<Rational> r2(n, Rational(0));
    for (const Var& v : moved)
      column(v, [&](std::size_t t, int coef, std::size_t p) { r2[t] += coef * v.value * xq_[p]; });
    bool exact = true;
    for (const auto& r : r2) exact = exact && sgn(r) == 0;
    if (!exact) break;
    best_step = objective(moved, base);
    if (best_step) break;
    std::vector<Var> keep;
    for (std::size_t k = 0; k < K; ++k)
      if (moved[k].j == 2 || sgn(moved[k].value) >= 0) keep.push_back(cand[k]);
    cand = std::move(keep);
  }
  return best_step && *best_step > first ? *best_step : first;
}

double TwoCertifier::bound_down(Eigen::VectorXd& lambda, const std::vector<std::int8_t>& state,
                                const std::vector<Rational>& R) const {
  const Rational q = bound(lambda, state, R);
  if (q <= 0) return 0.0;
  return q.get_d();  // truncation toward zero: ≤ q for q > 0
}

}  // namespace relugap::exact_detail
