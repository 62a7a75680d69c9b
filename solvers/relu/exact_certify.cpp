// Rational node bounds for `exact` (see exact_certify.hpp).
#include "solvers/relu/exact_certify.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <coin/ClpSimplex.hpp>
#include <coin/CoinPackedMatrix.hpp>
#include <limits>

#include "solvers/relu/exact_arith.hpp"

namespace relugap::exact_detail {

namespace {

enum class Edge : std::uint8_t { kNone, kLeftOnly, kRightOnly, kBoth };

// Outward rounding: a double result of one operation (error ≤ ½ ulp) moved one ulp down
// or up is a rigorous lower or upper bound of the exact value. Rationals are exact.
constexpr double kNegInf = -std::numeric_limits<double>::infinity();
constexpr double kPosInf = std::numeric_limits<double>::infinity();
// (std::nextafter without the library call: a finite nonzero double's neighbour is one step
// of its bit pattern; zero, infinities and NaN take the library's way.)
inline double step_bits(double x, bool up) {
  if (x == 0 || !std::isfinite(x)) return std::nextafter(x, up ? kPosInf : kNegInf);
  auto b = std::bit_cast<std::int64_t>(x);
  b += (x > 0) == up ? 1 : -1;
  return std::bit_cast<double>(b);
}
inline double round_dn(double x) { return step_bits(x, false); }
inline double round_up(double x) { return step_bits(x, true); }
inline const Rational& round_dn(const Rational& x) { return x; }
inline const Rational& round_up(const Rational& x) { return x; }

// Dyadic rationals m·2^e (GMP integers, no gcd): every double is one, and so are sums,
// differences and products of them, exactly.
using Dy = Dyadic;

void dy_set(Dy& r, double v) {
  if (v == 0) {
    r.m = 0;
    r.e = 0;
    return;
  }
  int x = 0;
  const double f = std::frexp(v, &x);
  r.m = static_cast<long>(std::ldexp(f, 53));
  r.e = x - 53;
}

// r = a + s·b (s = ±1); r may not alias a or b.
void dy_add(Dy& r, const Dy& a, const Dy& b, int s) {
  if (sgn(b.m) == 0) {
    r.m = a.m;
    r.e = a.e;
    return;
  }
  if (sgn(a.m) == 0) {
    r.m = s > 0 ? b.m : mpz_class(-b.m);
    r.e = b.e;
    return;
  }
  if (a.e <= b.e) {
    mpz_mul_2exp(r.m.get_mpz_t(), b.m.get_mpz_t(), static_cast<mp_bitcnt_t>(b.e - a.e));
    if (s > 0)
      mpz_add(r.m.get_mpz_t(), a.m.get_mpz_t(), r.m.get_mpz_t());
    else
      mpz_sub(r.m.get_mpz_t(), a.m.get_mpz_t(), r.m.get_mpz_t());
    r.e = a.e;
  } else {
    mpz_mul_2exp(r.m.get_mpz_t(), a.m.get_mpz_t(), static_cast<mp_bitcnt_t>(a.e - b.e));
    if (s > 0)
      mpz_add(r.m.get_mpz_t(), r.m.get_mpz_t(), b.m.get_mpz_t());
    else
      mpz_sub(r.m.get_mpz_t(), r.m.get_mpz_t(), b.m.get_mpz_t());
    r.e = b.e;
  }
}

void dy_mul(Dy& r, const Dy& a, const Dy& b) {
  mpz_mul(r.m.get_mpz_t(), a.m.get_mpz_t(), b.m.get_mpz_t());
  r.e = a.e + b.e;
}

// sign of a − b.
int dy_cmp(const Dy& a, const Dy& b, Dy& tmp) {
  dy_add(tmp, a, b, -1);
  return sgn(tmp.m);
}

void dy_to_q(const Dy& a, Rational& q) {
  mpq_set_z(q.get_mpq_t(), a.m.get_mpz_t());
  if (a.e < 0)
    mpq_div_2exp(q.get_mpq_t(), q.get_mpq_t(), static_cast<mp_bitcnt_t>(-a.e));
  else
    mpq_mul_2exp(q.get_mpq_t(), q.get_mpq_t(), static_cast<mp_bitcnt_t>(a.e));
}

// r ≥ a/b (b > 0, a ≥ 0), a dyadic within a relative 2^−119 of it: a·2^s / b rounded up
// to an integer, with s making that quotient at least 120 bits long.
void dy_div_up(Dy& r, const Dy& a, const Dy& b) {
  if (sgn(a.m) == 0) {
    r.m = 0;
    r.e = 0;
    return;
  }
  const long s = std::max(0L, 120 + static_cast<long>(mpz_sizeinbase(b.m.get_mpz_t(), 2)) -
                                  static_cast<long>(mpz_sizeinbase(a.m.get_mpz_t(), 2)));
  mpz_mul_2exp(r.m.get_mpz_t(), a.m.get_mpz_t(), static_cast<mp_bitcnt_t>(s));
  mpz_cdiv_q(r.m.get_mpz_t(), r.m.get_mpz_t(), b.m.get_mpz_t());
  r.e = a.e - b.e - s;
}

// The dyadic operations on GMP integers, with FixedArith's interface (exact_fixed_dyadic.hpp).
struct GmpArith {
  using Num = Dy;
  bool fail = false;  // (never set: GMP integers always fit)
  static void set(Dy& r, double v) { dy_set(r, v); }
  static void add(Dy& r, const Dy& a, const Dy& b, int s) { dy_add(r, a, b, s); }
  static void mul(Dy& r, const Dy& a, const Dy& b) { dy_mul(r, a, b); }
  static int cmp(const Dy& a, const Dy& b, Dy& tmp) { return dy_cmp(a, b, tmp); }
  static int sign(const Dy& a) { return sgn(a.m); }
  static void div_up(Dy& r, const Dy& a, const Dy& b) { dy_div_up(r, a, b); }
};

// The per-sample constants y, −y, c, 2c, 4c, c·y² and 0 in an arithmetic's numbers.
template <class N>
struct PsiConsts {
  const std::vector<N>&y, &ny, &c, &c2, &c4, &cyy;
  const N& zero;
  const std::vector<double>&yd, &cd;  ///< the labels (unsigned) and weights as doubles
  int sign;                           ///< the output sign (the labels are sign·yd)
};

// The fixed path decides the parabola's comparisons μ ≶ 2c(z − centre) in doubles when their
// difference clears a margin far above the doubles' rounding (see predecide), and exactly
// otherwise: the same decisions, fewer exact products. The GMP path (the reference the tests
// compare with) always decides exactly.
template <class A>
constexpr bool kPredecide = std::is_same_v<A, FixedArith>;

// Σ_i ψ_i(λ_i) in the dyadic arithmetic A (see psi_rational for the minima): exact but for
// the vertex value μ²/(4c), rounded up (so ψ and the bound only get smaller, by a relative
// 2^−120 at most). False when some ψ_i has an empty domain, or (A's `fail`) when a number
// did not fit: the result is then void.
template <class A>
bool psi_eval(A& ar, const PsiConsts<typename A::Num>& k, const std::vector<std::int64_t>& partner,
              const Eigen::VectorXd& lambda, const std::vector<double>& lo, const std::vector<double>& hi,
              typename A::Num& total) {
  using N = typename A::Num;
  struct Work {
    N sum, mu, best, val, z, t, t2, u, cmp;
  };
  thread_local Work W;
  N& mu = W.mu;
  N& best = W.best;
  N& val = W.val;
  N& z = W.z;
  N& t = W.t;
  N& t2 = W.t2;
  N& u = W.u;
  N& cmp = W.cmp;
  ar.set(total, 0.0);
  bool have = false;
  auto keep = [&] {
    if (!have || ar.cmp(val, best, cmp) < 0) std::swap(best, val);
    have = true;
  };
  // min over [from, to] of K − μz.
  auto line = [&](double from, double to, const N& K) {
    if (!(from <= to)) return;
    ar.set(z, A::sign(mu) > 0 ? to : from);
    ar.mul(t, mu, z);
    ar.add(val, K, t, -1);
    keep();
  };
  // sign(μ − 2c(z − centre)) when doubles decide it, else 0. With u = 2^−53: fl(z − centre)
  // is within u of the difference, fl(2c·that) within u (and 2^−1074 absolute), mu_d within u
  // of μ (exact for an unpaired sample), and the subtraction within u of its result, so the
  // computed difference is within 4u·(|mu_d| + |td|) + 2^−1073 of μ − 2c(z − centre): a margin
  // of 2^−48·(|mu_d| + |td|) + 2^−1000 leaves its sign certain.
  double mu_d = 0;
  auto predecide = [&](double zv, double cen, double cc) -> int {
    const double td = (2 * cc) * (zv - cen), diff = mu_d - td;
    if (!std::isfinite(td) || !std::isfinite(diff)) return 0;
    const double margin = 0x1p-48 * (std::abs(mu_d) + std::abs(td)) + 0x1p-1000;
    if (!(margin < std::numeric_limits<double>::infinity())) return 0;
    return diff > margin ? 1 : diff < -margin ? -1 : 0;
  };
  // min over [from, to] of K + c(z − centre)² − μz (c > 0): the vertex centre + μ/(2c), value
  // K − μ·centre − μ²/(4c), when inside; else the nearer end (vertex ≤ from ⟺ μ ≤ 2c(from − centre)).
  // cen_d, c_d: centre and c as doubles (for predecide).
  auto parabola = [&](double from, double to, const N& K, const N& c2, const N& c4, const N& c, const N& centre,
                      double cen_d, double c_d) {
    if (!(from <= to)) return;
    // z = zv, and sign(μ − 2c(zv − centre)): in doubles when they decide it, else exactly.
    auto side = [&](double zv) {
      ar.set(z, zv);
      int sg = 0;
      if constexpr (kPredecide<A>) sg = predecide(zv, cen_d, c_d);
      if (sg == 0) {
        ar.add(u, z, centre, -1);
        ar.mul(t, c2, u);  // 2c(zv − centre)
        sg = ar.cmp(mu, t, cmp);
      }
      return sg;
    };
    // Else the nearer end, left in z: `from` when the vertex is at or below it, else `to`.
    const bool inside = side(from) > 0 && side(to) < 0;
    if (inside) {
      ar.mul(t, mu, mu);
      ar.div_up(t2, t, c4);  // ≥ μ²/(4c)
      ar.mul(t, mu, centre);
      ar.add(u, K, t, -1);
      ar.add(val, u, t2, -1);
    } else {
      ar.add(u, z, centre, -1);  // z − centre
      ar.mul(t, u, u);
      ar.mul(t2, c, t);
      ar.add(t, K, t2, 1);
      ar.mul(u, mu, z);
      ar.add(val, t, u, -1);
    }
    keep();
  };
  const std::size_t m = partner.size();
  for (std::size_t i = 0; i < m; ++i) {
    const std::int64_t j = partner[i];
    if (j >= 0 && static_cast<std::size_t>(j) < i) continue;  // done with its partner
    const N& y = k.y[i];
    const double y_d = k.sign * k.yd[i], c_d = k.cd[i];
    have = false;
    if (j >= 0) {
      const auto jj = static_cast<std::size_t>(j);
      ar.set(t, lambda(static_cast<Eigen::Index>(i)));
      ar.set(u, lambda(static_cast<Eigen::Index>(jj)));
      ar.add(mu, t, u, -1);                                                                 // exact: λ_i − λ_j
      mu_d = lambda(static_cast<Eigen::Index>(i)) - lambda(static_cast<Eigen::Index>(jj));  // (rounded)
      const double a = std::max(lo[i], -hi[jj]), b = std::min(hi[i], -lo[jj]);
      // z ≥ 0: c·y² + c(z − y)² − μz; z ≤ 0: c·y² + c(z + y)² − μz.
      parabola(std::max(a, 0.0), b, k.cyy[i], k.c2[i], k.c4[i], k.c[i], y, y_d, c_d);
      parabola(a, std::min(b, 0.0), k.cyy[i], k.c2[i], k.c4[i], k.c[i], k.ny[i], -y_d, c_d);
    } else {
      ar.set(mu, lambda(static_cast<Eigen::Index>(i)));
      mu_d = lambda(static_cast<Eigen::Index>(i));
      // z ≤ 0: c·y² − λz; z ≥ 0: c(z − y)² − λz.
      line(lo[i], std::min(hi[i], 0.0), k.cyy[i]);
      parabola(std::max(lo[i], 0.0), hi[i], k.zero, k.c2[i], k.c4[i], k.c[i], y, y_d, c_d);
    }
    if (ar.fail || !have) return false;
    ar.add(W.sum, total, best, 1);
    std::swap(total, W.sum);
  }
  return !ar.fail;
}

}  // namespace

Certifier::Certifier(const TrainingSet& data, int sign) : m_(data.samples()), d_(data.dim), data_(data), sign_(sign) {
  xq_.reserve(data.val.size());
  for (double v : data.val) xq_.push_back(exact_from_double(v));
  for (std::size_t i = 0; i < m_; ++i) {
    y_.push_back(exact_from_double(sign * data.y[i]));
    c_.push_back(exact_from_double(data.c[i]));
    cyy_.push_back(c_.back() * y_.back() * y_.back());
  }
  dy_y_.resize(m_);
  dy_ny_.resize(m_);
  dy_c_.resize(m_);
  dy_c2_.resize(m_);
  dy_c4_.resize(m_);
  dy_cyy_.resize(m_);
  for (std::size_t i = 0; i < m_; ++i) {
    const double yi = sign * data.y[i], ci = data.c[i];
    dy_set(dy_y_[i], yi);
    dy_set(dy_ny_[i], -yi);
    dy_set(dy_c_[i], ci);
    dy_c2_[i] = dy_c_[i];
    dy_c2_[i].e += 1;
    dy_c4_[i] = dy_c_[i];
    dy_c4_[i].e += 2;
    Dy t;
    dy_mul(t, dy_c_[i], dy_y_[i]);
    dy_mul(dy_cyy_[i], t, dy_y_[i]);
  }
  // The same constants on fixed-width limbs (psi_fixed), when they fit (they always do:
  // y, c and c·y² are at most 3·53 bits).
  fx_ready_ = FixedArith::from_mpz(fx_zero_, dy_zero_.m, dy_zero_.e);
  for (auto [src, dst] : {std::pair{&dy_y_, &fx_y_},
                          {&dy_ny_, &fx_ny_},
                          {&dy_c_, &fx_c_},
                          {&dy_c2_, &fx_c2_},
                          {&dy_c4_, &fx_c4_},
                          {&dy_cyy_, &fx_cyy_}}) {
    dst->resize(m_);
    for (std::size_t i = 0; i < m_; ++i)
      fx_ready_ = FixedArith::from_mpz((*dst)[i], (*src)[i].m, (*src)[i].e) && fx_ready_;
  }
  // Gram matrix XᵀCX, equilibrated, for the multiplier repair.
  gram_.compute(equilibrated_gram(data, Dg_));
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
  partner_.assign(m_, -1);
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
        partner_[i] = static_cast<std::int64_t>(j);
        partner_[j] = static_cast<std::int64_t>(i);
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
      idx.push_back(static_cast<int>(data_.col[p].value()));
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
          rho[data_.col[p].idx()] += Rational(sgn * q * xq_[p]);
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
    for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p) s += R_[data_.col[p].idx()] * abs(xq_[p]);
    zhi_[i] = std::min(u[i], s);
    zlo_[i] = has_lo_[i] ? std::max(l[i], Rational(-s)) : Rational(-s);
  }
  // A mirrored pair costs c·y² + c(|z| − y)² (one of ReLU(z), ReLU(−z) is 0), the other
  // pairs at least their floors: c(|z| − y)² ≤ U − F, so |z| ∈ [y − s, y + s], s ≥ √((U − F)/c).
  plo_.assign(m_, Rational(0));
  phi_.assign(m_, Rational(0));
  for (std::size_t i = 0; i < m_; ++i) {
    if (partner_[i] < 0) continue;
    Rational slack = U - F;
    if (slack < 0) slack = 0;
    const Rational s = sqrt_up(slack / c_[i]);
    phi_[i] = y_[i] + s;
    plo_[i] = y_[i] - s > 0 ? Rational(y_[i] - s) : Rational(0);
  }
  // Float copies (rounded outward) for the node QP's guide intervals.
  auto down = [](const Rational& q) { return std::nextafter(q.get_d(), -std::numeric_limits<double>::infinity()); };
  auto up = [](const Rational& q) { return std::nextafter(q.get_d(), std::numeric_limits<double>::infinity()); };
  zlo_d_.resize(m_);
  zhi_d_.resize(m_);
  plo_d_.resize(m_);
  phi_d_.resize(m_);
  for (std::size_t i = 0; i < m_; ++i) {
    zlo_d_[i] = down(zlo_[i]);
    zhi_d_[i] = up(zhi_[i]);
    plo_d_[i] = down(plo_[i]);
    phi_d_[i] = up(phi_[i]);
  }
  R_d_.resize(d_);
  for (std::size_t j = 0; j < d_; ++j) R_d_[j] = up(R_[j]);
  note_ = "box max |w_j| <= " + std::to_string(Rbar.get_d());
  ready_ = true;
  return true;
}

void Certifier::residual_dy(const Eigen::VectorXd& lambda, std::vector<Dyadic>& r) const {
  // r_j = Σ_i λ_i·x_ij exactly, without a rational operation a term: every product of two
  // doubles is exactly hi + lo (the fma residual; checked, else that term is the product of
  // the two dyadic numbers), every double is an integer mant·2^e, and each coordinate's
  // terms are summed as integers on the smallest exponent among them.
  struct Term {
    std::int64_t mant;
    int exp;
    std::size_t col;
  };
  thread_local std::vector<Term> terms;
  thread_local std::vector<std::pair<std::size_t, Dy>> extra;
  thread_local std::vector<int> emin;
  terms.clear();
  extra.clear();
  emin.assign(d_, std::numeric_limits<int>::max());
  FixedArith split;  // (its set() is dy_set's frexp split: the 53-bit mantissa and exponent)
  FixedDyadic v53;
  auto push = [&](double v, std::size_t j) {
    if (v == 0) return;
    split.set(v53, v);  // (v is finite here)
    const auto mant = static_cast<std::int64_t>(v53.l[0]);
    const int e = static_cast<int>(v53.e);
    terms.push_back({v53.neg ? -mant : mant, e, j});
    emin[j] = std::min(emin[j], e);
  };
  for (std::size_t i = 0; i < m_; ++i) {
    const double li = lambda(static_cast<Eigen::Index>(i));
    if (li == 0) continue;
    for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p) {
      const std::size_t j = data_.col[p].idx();
      if (data_.val[p] == 0) continue;
      const double hi = li * data_.val[p], lo = std::fma(li, data_.val[p], -hi);
      // Exact when nothing overflowed or underflowed (then hi + lo is the product).
      if (std::isfinite(hi) && std::abs(hi) >= 0x1p-960) {
        push(hi, j);
        push(lo, j);
      } else {
        Dy a, b;
        dy_set(a, li);
        dy_set(b, data_.val[p]);
        extra.emplace_back(j, Dy{});
        dy_mul(extra.back().second, a, b);
      }
    }
  }
  r.resize(d_);
  for (std::size_t j = 0; j < d_; ++j) {
    r[j].m = 0;
    r[j].e = emin[j] == std::numeric_limits<int>::max() ? 0 : emin[j];
  }
  // The integer sums on fixed-width limbs (exact_fixed_dyadic.hpp) when every shifted term
  // and sum fits, else on GMP integers: the same integers either way.
  thread_local std::vector<FixedDyadic> fr;
  fr.resize(d_);
  for (auto& v : fr) {
    v.n = 0;
    v.neg = false;
  }
  FixedArith ar;
  {
    FixedDyadic term, sum;
    std::uint64_t sh[FixedDyadic::kLimbs];
    for (const Term& tm : terms) {
      term.l[0] = static_cast<std::uint64_t>(tm.mant < 0 ? -tm.mant : tm.mant);
      term.n = 1;
      const int nt = FixedArith::shl(sh, term, tm.exp - emin[tm.col]);
      if (nt < 0) {
        ar.fail = true;
        break;
      }
      FixedDyadic& acc = fr[tm.col];
      ar.add_signed(sum, acc.l, acc.n, acc.neg, sh, nt, tm.mant < 0);
      if (ar.fail) break;
      FixedArith::copy(acc, sum);
    }
  }
  if (!ar.fail) {
    for (std::size_t j = 0; j < d_; ++j) FixedArith::to_mpz(fr[j], r[j].m);
  } else {
    mpz_class t;
    for (const Term& tm : terms) {
      t = static_cast<long>(tm.mant);
      mpz_mul_2exp(t.get_mpz_t(), t.get_mpz_t(), static_cast<mp_bitcnt_t>(tm.exp - emin[tm.col]));
      r[tm.col].m += t;
    }
  }
  Dy sum;
  for (const auto& [j, v] : extra) {
    dy_add(sum, r[j], v, 1);
    std::swap(r[j], sum);
  }
}

void Certifier::residual(const Eigen::VectorXd& lambda, std::vector<Rational>& r) const {
  thread_local std::vector<Dyadic> rd;
  residual_dy(lambda, rd);
  r.resize(d_);
  for (std::size_t j = 0; j < d_; ++j) dy_to_q(rd[j], r[j]);
}

template <class T>
void Certifier::own_interval(std::size_t i, int state, const std::vector<T>& zlo, const std::vector<T>& zhi,
                             const std::vector<T>& plo, const std::vector<T>& phi, T& lo, T& hi) const {
  lo = zlo[i];
  hi = zhi[i];
  const bool branch = y_[i] > 0 && data_.row_ptr[i + 1] > data_.row_ptr[i];
  if (partner_[i] >= 0) {
    // |z_i| ∈ [plo, phi]; the state picks the sign.
    const T nlo = -phi[i], nhi = -plo[i];
    if (state == 1) {
      if (plo[i] > lo) lo = plo[i];
      if (phi[i] < hi) hi = phi[i];
    } else if (state == -1) {
      if (nlo > lo) lo = nlo;
      if (nhi < hi) hi = nhi;
    } else {
      if (nlo > lo) lo = nlo;
      if (phi[i] < hi) hi = phi[i];
    }
  } else if (branch && state == 1) {
    if (lo < 0) lo = 0;
  } else if (branch && state == -1) {
    if (hi > 0) hi = 0;
  }
}

template <class T>
bool Certifier::propagate(const std::vector<std::int8_t>& state, const std::vector<T>& zlo, const std::vector<T>& zhi,
                          const std::vector<T>& plo, const std::vector<T>& phi, const std::vector<T>& R,
                          const std::vector<T>& xv, std::vector<T>& lo, std::vector<T>& hi) const {
  // Coordinates: the box, narrowed by the samples on one coordinate (x = a·e_j); then every
  // sample's interval narrowed by interval arithmetic over the coordinates.
  thread_local std::vector<T> wl, wh;  // (once a thread: node_intervals runs on every node)
  wl.resize(d_);
  wh.resize(d_);
  for (std::size_t j = 0; j < d_; ++j) {
    wl[j] = -R[j];
    wh[j] = R[j];
  }
  lo.resize(m_);
  hi.resize(m_);
  T t;
  for (std::size_t i = 0; i < m_; ++i) {
    own_interval(i, state[i], zlo, zhi, plo, phi, lo[i], hi[i]);
    if (lo[i] > hi[i]) return false;
    if (data_.row_ptr[i + 1] != data_.row_ptr[i] + 1) continue;
    const std::size_t p = data_.row_ptr[i], j = data_.col[p].idx();
    const T& a = xv[p];
    if (a > 0) {
      t = round_dn(lo[i] / a);
      if (t > wl[j]) wl[j] = t;
      t = round_up(hi[i] / a);
      if (t < wh[j]) wh[j] = t;
    } else {
      t = round_dn(hi[i] / a);
      if (t > wl[j]) wl[j] = t;
      t = round_up(lo[i] / a);
      if (t < wh[j]) wh[j] = t;
    }
  }
  for (std::size_t j = 0; j < d_; ++j)
    if (wl[j] > wh[j]) return false;
  T sl, sh;
  for (std::size_t i = 0; i < m_; ++i) {
    sl = 0;
    sh = 0;
    for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p) {
      const std::size_t j = data_.col[p].idx();
      const T& a = xv[p];
      if (a > 0) {
        sl = round_dn(sl + round_dn(a * wl[j]));
        sh = round_up(sh + round_up(a * wh[j]));
      } else {
        sl = round_dn(sl + round_dn(a * wh[j]));
        sh = round_up(sh + round_up(a * wl[j]));
      }
    }
    if (sl > lo[i]) lo[i] = sl;
    if (sh < hi[i]) hi[i] = sh;
    if (lo[i] > hi[i]) return false;
  }
  return true;
}

bool Certifier::node_intervals_exact(const std::vector<std::int8_t>& state, std::vector<Rational>& lo,
                                     std::vector<Rational>& hi) const {
  return propagate(state, zlo_, zhi_, plo_, phi_, R_, xq_, lo, hi);
}

bool Certifier::node_intervals(const std::vector<std::int8_t>& state, std::vector<double>& lo,
                               std::vector<double>& hi) const {
  return propagate(state, zlo_d_, zhi_d_, plo_d_, phi_d_, R_d_, data_.val, lo, hi);
}

void Certifier::repair(Eigen::VectorXd& lambda) const {
  const auto d = static_cast<Eigen::Index>(d_);
  // The repair works on the residual Xᵀλ in double-double (exact products, compensated
  // sums): accurate enough to steer λ; only the final residual below is exact.
  thread_local Eigen::VectorXd rd;  // (workspaces once a thread: the repair runs on every certificate)
  thread_local std::vector<DD> acc;
  rd.resize(d);
  acc.resize(d_);
  for (int pass = 0; pass < 2; ++pass) {
    std::fill(acc.begin(), acc.end(), DD{});
    for (std::size_t i = 0; i < m_; ++i) {
      const double li = lambda(static_cast<Eigen::Index>(i));
      if (li == 0) continue;
      for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p)
        acc[data_.col[p].idx()].add_product(li, data_.val[p]);
    }
    for (Eigen::Index j = 0; j < d; ++j) rd(j) = acc[static_cast<std::size_t>(j)].value();
    if (rd.lpNorm<Eigen::Infinity>() == 0) break;
    // min Σ δ_i²/c_i s.t. Xᵀδ = −r:  δ = −C·X·t, (XᵀCX) t = r.
    Eigen::VectorXd t = Dg_.asDiagonal() * gram_.solve(Eigen::VectorXd(Dg_.asDiagonal() * rd));
    if (!t.allFinite()) break;
    for (std::size_t i = 0; i < m_; ++i) {
      double xt = 0;
      for (std::size_t p = data_.row_ptr[i]; p < data_.row_ptr[i + 1]; ++p)
        xt += data_.val[p] * t(data_.col[p].value());
      lambda(static_cast<Eigen::Index>(i)) -= data_.c[i] * xt;
    }
  }
}

Rational Certifier::bound(Eigen::VectorXd& lambda, const std::vector<std::int8_t>& state,
                          const std::vector<std::uint8_t>* /*half*/) const {
  // The node intervals in doubles rounded outward (each one contains the exact rational
  // interval, so the bound stays valid and only gets weaker by an ulp), taken as exact
  // rationals: dyadic numbers, cheap for GMP, where the rational propagation divided.
  thread_local std::vector<double> lo, hi;
  if (!node_intervals(state, lo, hi)) {
    repair(lambda);
    return Rational(std::numeric_limits<double>::max());  // the node holds no w with loss ≤ U
  }
  return bound_on(lambda, lo, hi);
}

Rational Certifier::bound_on(Eigen::VectorXd& lambda, const std::vector<double>& lo, const std::vector<double>& hi,
                             bool reference) const {
  repair(lambda);
  // Σ_j R_j·|r_j| with the exact residual and the box's doubles rounded up (a box one ulp
  // wider still holds every optimum, and the node intervals already use it): all dyadic.
  thread_local std::vector<Dyadic> r;
  residual_dy(lambda, r);
  thread_local Dyadic acc, tmp, Rj, prod;
  acc.m = 0;
  acc.e = 0;
  for (std::size_t j = 0; j < d_; ++j) {
    if (sgn(r[j].m) == 0) continue;
    dy_set(Rj, R_d_[j]);
    dy_mul(prod, Rj, r[j]);
    mpz_abs(prod.m.get_mpz_t(), prod.m.get_mpz_t());
    dy_add(tmp, acc, prod, 1);
    std::swap(acc, tmp);
  }
  Rational penalty;
  dy_to_q(acc, penalty);
  Rational psi;
  if (!(reference ? psi_rational(lambda, lo, hi, psi) : psi_dyadic(lambda, lo, hi, psi)))
    return Rational(std::numeric_limits<double>::max());
  return psi - penalty;
}

bool Certifier::psi_rational(const Eigen::VectorXd& lambda, const std::vector<double>& lo,
                             const std::vector<double>& hi, Rational& total) const {
  total = 0;
  // ψ_i(λ_i) = min over z ∈ D_i of f_i(z) − λ_i·z with the true loss f_i(z) = c(ReLU(z) − y)²
  // (the node's state is in D_i); a mirrored pair (z_j = −z_i) jointly, with μ = λ_i − λ_j.
  // The interval ends are doubles (exact dyadic rationals); no division but the vertex value.
  Rational mu, best, val, z, t, ny;
  const Rational zero(0);
  bool have = false;
  auto keep = [&] {
    if (!have || val < best) best = val;
    have = true;
  };
  // min over [from, to] of K − μz.
  auto line = [&](double from, double to, const Rational& K) {
    if (!(from <= to)) return;
    z = sgn(mu) > 0 ? to : from;
    val = K - mu * z;
    keep();
  };
  // min over [from, to] of K + c(z − centre)² − μz (c ≥ 0): the vertex centre + μ/(2c), value
  // K − μ·centre − μ²/(4c), when inside; else the nearer end (vertex ≤ from ⟺ μ ≤ 2c(from − centre)).
  auto parabola = [&](double from, double to, const Rational& K, const Rational& c, const Rational& centre) {
    if (!(from <= to)) return;
    bool inside = false;
    z = from;
    t = 2 * c * (z - centre);
    if (mu > t) {
      z = to;
      t = 2 * c * (z - centre);
      inside = mu < t;
    }
    if (inside) {
      val = mu * mu / (4 * c);
      val = K - mu * centre - val;
    } else {
      t = z - centre;
      val = K + c * t * t - mu * z;
    }
    keep();
  };
  for (std::size_t i = 0; i < m_; ++i) {
    const std::int64_t j = partner_[i];
    if (j >= 0 && static_cast<std::size_t>(j) < i) continue;  // done with its partner
    const Rational& y = y_[i];
    const Rational& c = c_[i];
    have = false;
    mu = lambda(static_cast<Eigen::Index>(i));
    if (j >= 0) {
      const auto jj = static_cast<std::size_t>(j);
      t = lambda(static_cast<Eigen::Index>(jj));
      mu -= t;  // exact: λ_i − λ_j
      const double a = std::max(lo[i], -hi[jj]), b = std::min(hi[i], -lo[jj]);
      ny = -y;
      // z ≥ 0: c·y² + c(z − y)² − μz; z ≤ 0: c·y² + c(z + y)² − μz.
      parabola(std::max(a, 0.0), b, cyy_[i], c, y);
      parabola(a, std::min(b, 0.0), cyy_[i], c, ny);
    } else {
      // z ≤ 0: c·y² − λz; z ≥ 0: c(z − y)² − λz.
      line(lo[i], std::min(hi[i], 0.0), cyy_[i]);
      parabola(std::max(lo[i], 0.0), hi[i], zero, c, y);
    }
    if (!have) return false;
    total += best;
  }
  return true;
}

bool Certifier::psi_gmp(const Eigen::VectorXd& lambda, const std::vector<double>& lo, const std::vector<double>& hi,
                        Rational& out) const {
  GmpArith ar;
  const PsiConsts<Dy> k{dy_y_, dy_ny_, dy_c_, dy_c2_, dy_c4_, dy_cyy_, dy_zero_, data_.y, data_.c, sign_};
  thread_local Dy total;
  if (!psi_eval(ar, k, partner_, lambda, lo, hi, total)) return false;
  dy_to_q(total, out);
  return true;
}

Certifier::Psi Certifier::psi_fixed(const Eigen::VectorXd& lambda, const std::vector<double>& lo,
                                    const std::vector<double>& hi, Rational& out) const {
  if (!fx_ready_) return Psi::kNoFit;
  FixedArith ar;
  const PsiConsts<FixedDyadic> k{fx_y_, fx_ny_, fx_c_, fx_c2_, fx_c4_, fx_cyy_, fx_zero_, data_.y, data_.c, sign_};
  thread_local FixedDyadic total;
  const bool ok = psi_eval(ar, k, partner_, lambda, lo, hi, total);
  if (ar.fail) return Psi::kNoFit;
  if (!ok) return Psi::kEmpty;
  thread_local Dy q;
  FixedArith::to_mpz(total, q.m);
  q.e = total.e;
  dy_to_q(q, out);
  return Psi::kOk;
}

bool Certifier::psi_dyadic(const Eigen::VectorXd& lambda, const std::vector<double>& lo, const std::vector<double>& hi,
                           Rational& out) const {
  if (psi_fixed_on_) {
    switch (psi_fixed(lambda, lo, hi, out)) {
      case Psi::kOk:
        return true;
      case Psi::kEmpty:
        return false;
      case Psi::kNoFit:
        break;
    }
  }
  return psi_gmp(lambda, lo, hi, out);
}

double Certifier::bound_down(Eigen::VectorXd& lambda, const std::vector<std::int8_t>& state,
                             const std::vector<std::uint8_t>* half) const {
  const Rational q = bound(lambda, state, half);
  if (q <= 0) return 0.0;
  return q.get_d();  // truncation toward zero: ≤ q for q > 0
}

double Certifier::bound_down_on(Eigen::VectorXd& lambda, const std::vector<double>& lo,
                                const std::vector<double>& hi) const {
  const Rational q = bound_on(lambda, lo, hi);
  if (q <= 0) return 0.0;
  return q.get_d();
}

}  // namespace relugap::exact_detail
