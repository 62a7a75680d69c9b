// Rational node bounds for `exact` (see exact_certify.hpp).
#include "solvers/relu/exact_certify.hpp"

#include <algorithm>
#include <cmath>
#include <coin/ClpSimplex.hpp>
#include <coin/CoinPackedMatrix.hpp>
#include <limits>

namespace relugap::exact_detail {

namespace {

// s ≥ √(q), rational, checked by squaring.
Rational sqrt_up(const Rational& q) {
  if (q <= 0) return Rational(0);
  double s = std::sqrt(q.get_d());
  if (!std::isfinite(s)) s = std::numeric_limits<double>::max();
  Rational r = exact_from_double(s * (1 + 1e-12) + 1e-300);
  while (r * r < q) r *= Rational(1000001, 1000000);
  return r;
}

enum class Edge : std::uint8_t { kNone, kLeftOnly, kRightOnly, kBoth };

}  // namespace

Certifier::Certifier(const TrainingSet& data, int sign) : m_(data.samples()), d_(data.dim), data_(data), sign_(sign) {
  xq_.reserve(data.val.size());
  for (double v : data.val) xq_.push_back(exact_from_double(v));
  for (std::size_t i = 0; i < m_; ++i) {
    y_.push_back(exact_from_double(sign * data.y[i]));
    c_.push_back(exact_from_double(data.c[i]));
    cyy_.push_back(c_.back() * y_.back() * y_.back());
  }
  // Gram matrix XᵀCX, equilibrated, for the multiplier repair.
  const auto d = static_cast<Eigen::Index>(d_);
  Eigen::MatrixXd G = Eigen::MatrixXd::Zero(d, d);
  for (std::size_t i = 0; i < m_; ++i)
    for (std::size_t p = data.row_ptr[i]; p < data.row_ptr[i + 1]; ++p)
      for (std::size_t q = data.row_ptr[i]; q < data.row_ptr[i + 1]; ++q)
        G(data.col[p], data.col[q]) += data.c[i] * data.val[p] * data.val[q];
  Dg_.resize(d);
  for (Eigen::Index j = 0; j < d; ++j) Dg_(j) = G(j, j) > 0 ? 1 / std::sqrt(G(j, j)) : 1.0;
  gram_.compute(Dg_.asDiagonal() * G * Dg_.asDiagonal());
}

bool Certifier::set_upper(const Rational& U) {
  ready_ = false;
  R_.assign(d_, Rational(0));
  std::vector<Rational> u(m_), l(m_);
  has_lo_.assign(m_, 0);
  // Mirrored pairs (x, y, c), (−x, y, c) with y > 0 cost ≥ c·y² together at every w (one of
  // ReLU(z), ReLU(−z) is 0). So sample i's own loss is at most U − F + f_i, F the sum of all
  // pair floors and f_i the floor of i's own pair (0 if unpaired).
  std::vector<Rational> floor_i(m_, Rational(0));
  Rational F = 0;
  {
    std::vector<std::uint8_t> paired(m_, 0);
    for (std::size_t i = 0; i < m_; ++i) {
      if (paired[i] || !(y_[i] > 0) || data_.row_ptr[i + 1] == data_.row_ptr[i]) continue;
      for (std::size_t j = i + 1; j < m_; ++j) {
        if (paired[j] || y_[j] != y_[i] || c_[j] != c_[i]) continue;
        const std::size_t bi = data_.row_ptr[i], ei = data_.row_ptr[i + 1], bj = data_.row_ptr[j];
        if (ei - bi != data_.row_ptr[j + 1] - bj) continue;
        bool mirror = true;
        for (std::size_t p = bi; p < ei && mirror; ++p)
          mirror = data_.col[p] == data_.col[bj + (p - bi)] && data_.val[p] == -data_.val[bj + (p - bi)];
        if (!mirror) continue;
        paired[i] = paired[j] = 1;
        floor_i[i] = floor_i[j] = cyy_[i];
        F += cyy_[i];
        break;
      }
    }
  }
  for (std::size_t i = 0; i < m_; ++i) {
    Rational Ui = U - F + floor_i[i];
    if (Ui < 0) Ui = 0;  // only when U < OPT, which the caller rules out
    const Rational s = sqrt_up(Ui / c_[i]);
    u[i] = y_[i] + s;
    l[i] = y_[i] - s;
    has_lo_[i] = l[i] > 0 ? 1 : 0;
  }
  // LP: columns μ⁺_i (all i), μ⁻_i (i with a lower bound); rows Σ_i x_ij (μ⁺_i − μ⁻_i) = σ e_j.
  std::vector<std::size_t> lo_idx;
  for (std::size_t i = 0; i < m_; ++i)
    if (has_lo_[i]) lo_idx.push_back(i);
  const std::size_t nc = m_ + lo_idx.size();
  CoinPackedMatrix A(true, 0, 0);
  A.setDimensions(static_cast<int>(d_), 0);
  auto add_col = [&](std::size_t i, double sgn) {
    std::vector<int> idx;
    std::vector<double> val;
    for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p) {
      idx.push_back(static_cast<int>(data_.col[p]));
      val.push_back(sgn * data_.val[p]);
    }
    A.appendCol(static_cast<int>(idx.size()), idx.data(), val.data());
  };
  std::vector<double> cost;
  for (std::size_t i = 0; i < m_; ++i) {
    add_col(i, 1);
    cost.push_back(u[i].get_d());
  }
  for (auto i : lo_idx) {
    add_col(i, -1);
    cost.push_back(-l[i].get_d());
  }
  std::vector<double> clo(nc, 0.0), cup(nc, COIN_DBL_MAX), rlo(d_, 0.0), rup(d_, 0.0);
  ClpSimplex lp;
  lp.setLogLevel(0);
  lp.loadProblem(A, clo.data(), cup.data(), cost.data(), rlo.data(), rup.data());
  std::vector<Rational> a(d_, Rational(0));
  Rational eps = 0;
  for (std::size_t j = 0; j < d_; ++j)
    for (int sg : {1, -1}) {
      lp.setRowBounds(static_cast<int>(j), sg, sg);
      lp.primal();
      lp.setRowBounds(static_cast<int>(j), 0, 0);
      if (lp.status() != 0) {
        note_ = "no box: the labels and the incumbent do not bound w_" + std::to_string(j) +
                (sg > 0 ? " above" : " below") + " (no certificate)";
        return false;
      }
      const double* mu = lp.primalColumnSolution();
      std::vector<Rational> rho(d_, Rational(0));
      rho[j] = -sg;
      Rational val = 0;
      for (std::size_t k = 0; k < nc; ++k) {
        if (!(mu[k] > 0)) continue;
        const Rational q = exact_from_double(mu[k]);
        const std::size_t i = k < m_ ? k : lo_idx[k - m_];
        const double sgn = k < m_ ? 1 : -1;
        if (k < m_)
          val += q * u[i];
        else
          val -= q * l[i];
        for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p)
          rho[data_.col[p]] += Rational(sgn * q * xq_[p]);
      }
      Rational n1 = 0;
      for (auto& r : rho) n1 += abs(r);
      if (val > a[j]) a[j] = val;
      if (n1 > eps) eps = n1;
    }
  if (eps >= Rational(1, 2)) {
    note_ = "no box: the LP certificates are not accurate enough (no certificate)";
    return false;
  }
  Rational amax = 0;
  for (auto& x : a) amax = std::max(amax, x);
  const Rational Rbar = amax / (1 - eps);
  for (std::size_t j = 0; j < d_; ++j) R_[j] = a[j] + eps * Rbar;
  zlo_.resize(m_);
  zhi_.resize(m_);
  for (std::size_t i = 0; i < m_; ++i) {
    Rational s = 0;
    for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p) s += R_[data_.col[p]] * abs(xq_[p]);
    zhi_[i] = std::min(u[i], s);
    zlo_[i] = has_lo_[i] ? std::max(l[i], Rational(-s)) : Rational(-s);
  }
  note_ = "box max |w_j| <= " + std::to_string(Rbar.get_d());
  ready_ = true;
  return true;
}

void Certifier::residual(const Eigen::VectorXd& lambda, std::vector<Rational>& r) const {
  r.assign(d_, Rational(0));
  Rational q;
  for (std::size_t i = 0; i < m_; ++i) {
    const double li = lambda(static_cast<Eigen::Index>(i));
    if (li == 0) continue;
    q = li;
    for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p) r[data_.col[p]] += q * xq_[p];
  }
}

Rational Certifier::bound(Eigen::VectorXd& lambda, const std::vector<std::int8_t>& state,
                          const std::vector<std::uint8_t>* half) const {
  std::vector<Rational> r;
  const auto d = static_cast<Eigen::Index>(d_);
  for (int pass = 0; pass < 2; ++pass) {
    residual(lambda, r);
    Eigen::VectorXd rd(d);
    for (Eigen::Index j = 0; j < d; ++j) rd(j) = r[static_cast<std::size_t>(j)].get_d();
    if (rd.lpNorm<Eigen::Infinity>() == 0) break;
    // min Σ δ_i²/c_i s.t. Xᵀδ = −r:  δ = −C·X·t, (XᵀCX) t = r.
    Eigen::VectorXd t = Dg_.asDiagonal() * gram_.solve(Eigen::VectorXd(Dg_.asDiagonal() * rd));
    if (!t.allFinite()) break;
    for (std::size_t i = 0; i < m_; ++i) {
      double xt = 0;
      for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p) xt += data_.val[p] * t(data_.col[p]);
      lambda(static_cast<Eigen::Index>(i)) -= data_.c[i] * xt;
    }
  }
  residual(lambda, r);
  Rational total = 0;
  for (std::size_t j = 0; j < d_; ++j) total -= R_[j] * abs(r[j]);
  Rational lam, best, val, z;
  for (std::size_t i = 0; i < m_; ++i) {
    lam = lambda(static_cast<Eigen::Index>(i));
    // g = K on z < b, c(z − y)² on z ≥ b; domain [lo, hi].
    const Rational& y = y_[i];
    const Rational& c = c_[i];
    Rational lo = zlo_[i], hi = zhi_[i];
    Edge e = Edge::kBoth;  // b finite
    Rational b, K;
    if (data_.row_ptr[i + 1] == data_.row_ptr[i]) {
      e = Edge::kLeftOnly;  // x = 0: z ≡ 0, the loss is the constant c·y²
      K = cyy_[i];
    } else if (y <= 0) {
      b = 0;
      K = cyy_[i];
    } else {
      switch (state[i]) {
        case 1:
          e = Edge::kRightOnly;
          if (lo < 0) lo = 0;
          break;
        case -1:
          e = Edge::kLeftOnly;
          K = cyy_[i];
          if (hi > 0) hi = 0;
          break;
        default:
          b = y;
          K = 0;
          break;
      }
    }
    if (lo > hi) return Rational(std::numeric_limits<double>::max());  // empty: the node holds no optimum
    bool have = false;
    // Left piece on [lo, min(hi, b)] (open at b, its closure gives the same infimum).
    if (e == Edge::kLeftOnly || (e == Edge::kBoth && b > lo)) {
      const Rational right = e == Edge::kLeftOnly ? hi : std::min(hi, b);
      z = lam > 0 ? right : lo;
      best = K - lam * z;
      have = true;
    }
    // Right piece on [max(lo, b), hi].
    if (e == Edge::kRightOnly || (e == Edge::kBoth && b <= hi)) {
      const Rational left = e == Edge::kRightOnly ? lo : std::max(lo, b);
      z = y + lam / (2 * c);
      if (z < left) z = left;
      if (z > hi) z = hi;
      val = c * (z - y) * (z - y) - lam * z;
      if (!have || val < best) best = val;
      have = true;
    }
    total += best;
    if (half != nullptr && (*half)[i]) total += cyy_[i] / 2;
  }
  return total;
}

double Certifier::bound_down(Eigen::VectorXd& lambda, const std::vector<std::int8_t>& state,
                             const std::vector<std::uint8_t>* half) const {
  const Rational q = bound(lambda, state, half);
  if (q <= 0) return 0.0;
  return q.get_d();  // truncation toward zero: ≤ q for q > 0
}

}  // namespace relugap::exact_detail
