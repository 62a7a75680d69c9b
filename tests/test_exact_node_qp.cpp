// The node QP solver of `exact` and its rational certificates, against an exhaustive
// reference on small random node problems (including weights spanning 10^18).
//
// Reference: the node problem min_w Σ g_i(⟨w, x_i⟩) is convex and piecewise quadratic;
// its optimum is attained on some "face": every sample on its left piece, its right
// piece, or held at a breakpoint / domain bound. For every assignment (3^m of them,
// m ≤ 6) the equality-constrained least-squares problem of the face is solved (min-norm)
// and, when the point is in the node's domain, Σ g_i is evaluated there: every such
// value is ≥ the optimum, and the optimum is one of them.
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <cmath>
#include <limits>

#include "instances/core/rng.hpp"
#include "solvers/relu/exact_certify.hpp"
#include "solvers/relu/exact_node_qp.hpp"

using namespace relugap;
using relugap::exact_detail::Certifier;
using relugap::exact_detail::NodeQp;
using relugap::exact_detail::null_projection_ldlt;
using relugap::exact_detail::NullSpaceWork;

namespace {

struct Node {
  TrainingSet data;
  Eigen::MatrixXd X;
  Eigen::VectorXd y, c;
  std::vector<std::int8_t> state;
};

Node random_node(Rng& rng, std::size_t m, std::size_t d, bool spread) {
  Node n{TrainingSet(d), Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(d)), {}, {}, {}};
  n.y.resize(static_cast<Eigen::Index>(m));
  n.c.resize(static_cast<Eigen::Index>(m));
  for (std::size_t i = 0; i < m; ++i) {
    std::vector<std::pair<std::uint32_t, double>> row;
    const bool anchor = spread && i < d;  // heavy coordinate-aligned anchors, as in the reductions
    for (std::uint32_t t = 0; t < d; ++t) {
      double v = anchor ? (t == i ? 1.0 : 0.0) : std::round(8 * (2 * rng.uniform01() - 1)) / 4;
      if (v != 0) row.emplace_back(t, v);
    }
    const double y = anchor ? 0.5 : std::round(8 * (2 * rng.uniform01() - 0.6)) / 8;
    const double c =
        anchor ? std::ldexp(1.0, 20 + static_cast<int>(rng.uniform01() * 40)) : 1 + std::round(rng.uniform01() * 4);
    n.data.add(row, y, c);
  }
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t p = n.data.row_ptr[i]; p < n.data.row_ptr[i + 1]; ++p)
      n.X(static_cast<Eigen::Index>(i), n.data.col[p].value()) = n.data.val[p];
    n.y(static_cast<Eigen::Index>(i)) = n.data.y[i];
    n.c(static_cast<Eigen::Index>(i)) = n.data.c[i];
    const double r = rng.uniform01();
    n.state.push_back(n.data.y[i] > 0 ? static_cast<std::int8_t>(r < 0.4 ? 0 : r < 0.7 ? 1 : -1) : 0);
  }
  return n;
}

struct Fn {
  double b, K, lo, hi;
};
Fn fn_of(const Node& n, std::size_t i) {
  const double inf = std::numeric_limits<double>::infinity();
  const double y = n.data.y[i], c = n.data.c[i];
  if (y <= 0) return {0.0, c * y * y, -inf, inf};
  if (n.state[i] == 1) return {-inf, 0.0, 0.0, inf};
  if (n.state[i] == -1) return {inf, c * y * y, -inf, 0.0};
  return {y, 0.0, -inf, inf};
}

double node_value(const Node& n, const Eigen::VectorXd& w, double tol, bool& feasible) {
  feasible = true;
  long double s = 0;
  for (std::size_t i = 0; i < n.data.samples(); ++i) {
    const Fn f = fn_of(n, i);
    const double z = n.X.row(static_cast<Eigen::Index>(i)).dot(w), y = n.data.y[i];
    if (z < f.lo - tol || z > f.hi + tol) feasible = false;
    s += z < f.b ? f.K : n.data.c[i] * (z - y) * (z - y);
  }
  return static_cast<double>(s);
}

double reference(const Node& n, Eigen::VectorXd& arg) {
  const std::size_t m = n.data.samples(), d = n.data.dim;
  double best = std::numeric_limits<double>::infinity();
  std::size_t total = 1;
  for (std::size_t i = 0; i < m; ++i) total *= 3;
  for (std::size_t code = 0; code < total; ++code) {
    std::size_t t = code;
    std::vector<int> mode(m);
    for (std::size_t i = 0; i < m; ++i) {
      mode[i] = static_cast<int>(t % 3);
      t /= 3;
    }
    // Held samples (mode 2) sit at their finite breakpoint or bound: pick the first finite one.
    std::vector<std::pair<std::size_t, double>> held;
    bool ok = true;
    for (std::size_t i = 0; i < m; ++i)
      if (mode[i] == 2) {
        const Fn f = fn_of(n, i);
        double at = std::isfinite(f.b) ? f.b : std::isfinite(f.lo) ? f.lo : f.hi;
        held.emplace_back(i, at);
      }
    if (held.size() > d || !ok) continue;
    (void)d;
    // Weighted LS on the right-piece samples (rows √c·x, targets √c·y) subject to the held
    // equalities: w = w_p + N·u with w_p the min-norm solution of the equalities.
    const auto dd = static_cast<Eigen::Index>(d), k = static_cast<Eigen::Index>(held.size());
    Eigen::MatrixXd A(k, dd);
    Eigen::VectorXd av(k);
    for (Eigen::Index r = 0; r < k; ++r) {
      A.row(r) = n.X.row(static_cast<Eigen::Index>(held[static_cast<std::size_t>(r)].first));
      av(r) = held[static_cast<std::size_t>(r)].second;
    }
    Eigen::VectorXd wp = Eigen::VectorXd::Zero(dd);
    Eigen::MatrixXd N = Eigen::MatrixXd::Identity(dd, dd);
    if (k > 0) {
      Eigen::JacobiSVD<Eigen::MatrixXd> svd(A, Eigen::ComputeFullU | Eigen::ComputeFullV);
      const auto rank = svd.rank();
      wp = svd.solve(av);
      if ((A * wp - av).norm() > 1e-9 * (1 + av.norm())) continue;
      N = svd.matrixV().rightCols(dd - rank);
    }
    std::vector<std::size_t> right;
    for (std::size_t i = 0; i < m; ++i) {
      const Fn f = fn_of(n, i);
      if (mode[i] == 1 || (mode[i] == 0 && f.b == -std::numeric_limits<double>::infinity())) right.push_back(i);
    }
    Eigen::VectorXd w = wp;
    if (N.cols() > 0 && !right.empty()) {
      Eigen::MatrixXd J(static_cast<Eigen::Index>(right.size()), dd);
      Eigen::VectorXd tv(static_cast<Eigen::Index>(right.size()));
      for (std::size_t r = 0; r < right.size(); ++r) {
        const std::size_t i = right[r];
        const double sc = std::sqrt(n.data.c[i]);
        J.row(static_cast<Eigen::Index>(r)) = sc * n.X.row(static_cast<Eigen::Index>(i));
        tv(static_cast<Eigen::Index>(r)) = sc * n.data.y[i];
      }
      Eigen::MatrixXd JN = J * N;
      Eigen::VectorXd u = JN.completeOrthogonalDecomposition().solve(Eigen::VectorXd(tv - J * wp));
      w = wp + N * u;
    }
    bool feasible = false;
    const double v = node_value(n, w, 1e-9, feasible);
    if (feasible && v < best) {
      best = v;
      arg = w;
    }
  }
  return best;
}

// The true minimum of the node: min over w in the node (the decided samples' signs) of
// the loss Σ c(ReLU(z) − y)², by enumerating the signs of the undecided samples.
double true_minimum(const Node& n) {
  std::vector<std::size_t> und;
  for (std::size_t i = 0; i < n.data.samples(); ++i)
    if (n.data.y[i] > 0 && n.state[i] == 0) und.push_back(i);
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t mask = 0; mask < (std::size_t{1} << und.size()); ++mask) {
    Node k = n;
    for (std::size_t t = 0; t < und.size(); ++t) k.state[und[t]] = (mask >> t) & 1 ? 1 : -1;
    Eigen::VectorXd a;
    best = std::min(best, reference(k, a));
  }
  return best;
}

}  // namespace

TEST_CASE("node QP: matches the face enumeration; the certificate is a valid, tight lower bound") {
  Rng rng(7);
  int checked = 0, dyadic_compared = 0, fixed_compared = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const bool spread = trial % 3 == 2;
    const std::size_t d = 1 + static_cast<std::size_t>(trial % 3),
                      m = (spread ? d : 0) + 3 + static_cast<std::size_t>(trial % 4);
    if (m > 7) continue;
    Node n = random_node(rng, m, d, spread);
    Eigen::VectorXd arg;
    const double ref = reference(n, arg);
    CAPTURE(trial);
    CAPTURE(m);
    CAPTURE(d);
    CAPTURE(spread);
    NodeQp qp(n.X, n.y, n.c);
    for (std::size_t i = 0; i < m; ++i) qp.set_state(i, n.state[i]);
    // A random (possibly infeasible) start, as a warm start from another node would be.
    Eigen::VectorXd w0(static_cast<Eigen::Index>(d));
    for (Eigen::Index j = 0; j < w0.size(); ++j) w0(j) = trial % 2 ? 0.0 : 2 * rng.uniform01() - 1;
    qp.set_start(w0);
    const bool ok = qp.solve();
    if (!std::isfinite(ref)) continue;  // empty node (cannot happen here: w = 0 is feasible)
    CHECK(ok);
    bool feasible = false;
    const double at = node_value(n, qp.w(), 1e-7 * (1 + qp.w().norm()), feasible);
    CHECK(feasible);
    const double scale = std::max(1.0, std::abs(ref));
    CHECK(at == doctest::Approx(ref).epsilon(1e-7).scale(scale));
    // Certificate with a generous box: U = 100 · (the zero network's loss + 1).
    Certifier cert(n.data, 1);
    double zero_loss = 0;
    for (std::size_t i = 0; i < m; ++i) zero_loss += n.data.c[i] * n.data.y[i] * n.data.y[i];
    if (cert.set_upper(exact_from_double(100 * (zero_loss + 1)))) {
      Eigen::VectorXd lam = qp.lambda();
      const Rational lb = cert.bound(lam, n.state);
      // The dyadic ψ (one rounding, downwards) against the plain rational reference on the
      // same intervals: never above it, and equal to ~36 digits.
      std::vector<double> ilo, ihi;
      if (cert.node_intervals(n.state, ilo, ihi)) {
        Eigen::VectorXd l1 = qp.lambda(), l2 = qp.lambda();
        const Rational fast = cert.bound_on(l1, ilo, ihi), ref_q = cert.bound_on(l2, ilo, ihi, true);
        CHECK(fast == lb);
        CHECK(fast <= ref_q);
        // The fixed-width ψ (bound_on's fast path) on these real multipliers (l1, repaired):
        // the GMP path's number when it fits (tiny multipliers next to O(1) ends do not).
        Rational pf, pg;
        const auto fit = cert.psi_fixed(l1, ilo, ihi, pf);
        CHECK(fit != Certifier::Psi::kEmpty);
        CHECK(cert.psi_gmp(l1, ilo, ihi, pg));
        if (fit == Certifier::Psi::kOk) {
          CHECK(pf == pg);
          ++fixed_compared;
        }
        CHECK(ref_q - fast <= (abs(ref_q) + 1) * Rational(mpz_class(1), mpz_class(mpz_class(1) << 110)));
        ++dyadic_compared;
      }
      // The bound is over the node ∩ the box (which holds every optimum of the whole
      // problem, not necessarily this node's): compare where the node's argmin is inside.
      bool inside = true;
      for (Eigen::Index j = 0; j < arg.size(); ++j)
        inside = inside && std::abs(arg(j)) <= cert.box()[static_cast<std::size_t>(j)].get_d() * (1 - 1e-9);
      for (std::size_t i = 0; i < m; ++i) {
        const double z = n.X.row(static_cast<Eigen::Index>(i)).dot(arg);
        inside = inside && z >= cert.z_lower()[i].get_d() + 1e-9 && z <= cert.z_upper()[i].get_d() - 1e-9;
      }
      // Valid: never above the true minimum of the loss over the node (whose argmin has a
      // loss ≤ the zero network's < U, so it lies in the box).
      const double tmin = true_minimum(n);
      CHECK(lb.get_d() <= tmin + 1e-9 * std::max(1.0, std::abs(tmin)));
      CHECK(ref <= tmin + 1e-9 * std::max(1.0, std::abs(tmin)));
      if (inside) {
        // Tight: never below the relaxation's optimum by more than 1e-6 relative (the
        // certificate evaluates the true loss on the node intervals, at least the envelope).
        CHECK(lb.get_d() >= ref - 1e-6 * scale);
        ++checked;
      }
    }
  }
  CHECK(checked > 50);
  CHECK(dyadic_compared > 50);
  CHECK(fixed_compared > dyadic_compared / 2);
}

TEST_CASE("certificate: the outward-rounded double node intervals contain the exact rational ones") {
  // bound() evaluates the loss on the double intervals as exact rationals: valid only if each
  // contains the exact interval (weights spanning 10^18, non-dyadic U, random states).
  Rng rng(23);
  int compared = 0, strict = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const bool spread = trial % 2 == 1;
    const std::size_t d = 1 + static_cast<std::size_t>(trial % 4),
                      m = (spread ? d : 0) + 3 + static_cast<std::size_t>(trial % 5);
    Node n = random_node(rng, m, d, spread);
    CAPTURE(trial);
    Certifier cert(n.data, 1);
    double zero_loss = 0;
    for (std::size_t i = 0; i < m; ++i) zero_loss += n.data.c[i] * n.data.y[i] * n.data.y[i];
    if (!cert.set_upper(exact_from_double(zero_loss) / 3 + Rational(1, 7))) continue;
    std::vector<double> lo, hi;
    std::vector<Rational> qlo, qhi;
    const bool ok = cert.node_intervals(n.state, lo, hi), qok = cert.node_intervals_exact(n.state, qlo, qhi);
    CHECK((ok || !qok));  // empty in doubles (outward) ⇒ empty exactly
    if (!ok || !qok) continue;
    for (std::size_t i = 0; i < m; ++i) {
      CHECK(exact_from_double(lo[i]) <= qlo[i]);
      CHECK(exact_from_double(hi[i]) >= qhi[i]);
      if (exact_from_double(lo[i]) < qlo[i]) ++strict;
      ++compared;
    }
  }
  CHECK(compared > 300);
  CHECK(strict > 0);  // the rounding is outward (not exact) somewhere
}

TEST_CASE("certificate: the residual Xᵀλ is exact (multipliers and data spanning 10^±300)") {
  Rng rng(29);
  for (int trial = 0; trial < 100; ++trial) {
    const std::size_t d = 1 + static_cast<std::size_t>(trial % 5), m = 3 + static_cast<std::size_t>(trial % 7);
    Node n = random_node(rng, m, d, trial % 2 == 1);
    Eigen::VectorXd lam(static_cast<Eigen::Index>(m));
    for (Eigen::Index i = 0; i < lam.size(); ++i) {
      // Incl. products that underflow (odd trials: the GMP sums; even: the fixed-width ones).
      const int e =
          trial % 2 ? static_cast<int>(rng.uniform01() * 2000) - 1000 : static_cast<int>(rng.uniform01() * 80) - 40;
      lam(i) = i % 4 == 3 ? 0.0 : std::ldexp(2 * rng.uniform01() - 1, e) / 3;
    }
    Certifier cert(n.data, 1);
    std::vector<Rational> r;
    cert.residual(lam, r);
    REQUIRE(r.size() == d);
    std::vector<Rational> ref(d, Rational(0));
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t p = n.data.row_ptr[i]; p < n.data.row_ptr[i + 1]; ++p)
        ref[n.data.col[p].idx()] +=
            exact_from_double(lam(static_cast<Eigen::Index>(i))) * exact_from_double(n.data.val[p]);
    for (std::size_t j = 0; j < d; ++j) CHECK(r[j] == ref[j]);
  }
}

TEST_CASE("certificate box: mirrored pairs' floor bounds the anchor (DkS-like weights)") {
  // Anchor (e_0, 1/2) of weight A, wells (±e_1, 1/2) of weight λ: OPT = λ/4 at w = (1/2, ±1/2).
  // With U = λ/4 + 1 and A < 4U, the anchor alone allows ReLU(w_0) = 0; the wells cost ≥ λ/4
  // at every w, which leaves the anchor at most U − λ/4 = 1 and so w_0 ≥ 1/2 − √(1/A) > 0.
  const double lambda = 4000, A = 2000;
  TrainingSet data(2);
  data.add({{0u, 1.0}}, 0.5, A);
  data.add({{1u, 1.0}}, 0.5, lambda);
  data.add({{1u, -1.0}}, 0.5, lambda);
  Certifier cert(data, 1);
  REQUIRE(cert.set_upper(Rational(1001)));
  // The box holds the optimum (1/2, ±1/2) and is finite.
  CHECK(cert.box()[0] >= Rational(1, 2));
  CHECK(cert.box()[1] >= Rational(1, 2));
  CHECK(cert.box()[0] < Rational(10));
  CHECK(cert.z_lower()[0] > 0);
  CHECK(cert.z_lower()[0] <= Rational(1, 2));
  // And the certified bound of the root (the wells undecided) is at most OPT.
  NodeQp qp(Eigen::MatrixXd{{1, 0}, {0, 1}, {0, -1}}, Eigen::VectorXd{{0.5, 0.5, 0.5}},
            Eigen::VectorXd{{A, lambda, lambda}});
  qp.set_start(Eigen::VectorXd::Zero(2));
  CHECK(qp.solve());
  Eigen::VectorXd lam = qp.lambda();
  const std::vector<std::int8_t> state(3, 0);
  CHECK(cert.bound(lam, state) <= Rational(1000));
}

TEST_CASE("node QP: the interval envelope is a convex minorant of the loss on [L, H]") {
  // One sample z = w, label y, weight c: g(z) with set_interval(L, H) against f on a grid.
  Rng rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    const double y = 0.1 + 2 * rng.uniform01(), c = 1 + 3 * rng.uniform01();
    const double L = -3 * rng.uniform01() - 1e-3, H = trial % 4 == 0 ? -L / 7 : 4 * rng.uniform01() * y + 1e-3;
    CAPTURE(trial);
    NodeQp qp(Eigen::MatrixXd{{1.0}}, Eigen::VectorXd{{y}}, Eigen::VectorXd{{c}});
    qp.set_interval(0, L, H);
    const double f_L = c * y * y;
    CHECK(qp.g(0, L) == doctest::Approx(f_L).epsilon(1e-9));
    double prev_slope = -std::numeric_limits<double>::infinity(), prev = qp.g(0, L);
    const int steps = 400;
    for (int k = 1; k <= steps; ++k) {
      const double z = L + (H - L) * k / steps;
      const double f = c * (std::max(z, 0.0) - y) * (std::max(z, 0.0) - y), gz = qp.g(0, z);
      CHECK(gz <= f + 1e-9 * (1 + f));  // a minorant on [L, H]
      const double slope = (gz - prev) / ((H - L) / steps);
      CHECK(slope >= prev_slope - 1e-6 * (1 + std::abs(slope)));  // convex
      prev_slope = slope;
      prev = gz;
    }
    // Tighter than the plain envelope c·max(z − y, 0)² at z = 0 (where the plain one is 0).
    if (H > 0) CHECK(qp.g(0, 0) > 0);
  }
}

TEST_CASE("node QP with interval envelopes (sloped left pieces): no grid point of the node does better") {
  // d ≤ 2: the node function Σ g_i(⟨w, x_i⟩) with random intervals on the undecided samples
  // (tangent lines, chords, implied signs), minimised by the QP and compared with every point
  // of a fine grid that satisfies the node's sign constraints. The QP's value must not exceed
  // any of them (it is the minimum), and its point must satisfy the constraints.
  Rng rng(19);
  int compared = 0;
  for (int trial = 0; trial < 120; ++trial) {
    const std::size_t d = 1 + static_cast<std::size_t>(trial % 2), m = 3 + static_cast<std::size_t>(trial % 4);
    Node n = random_node(rng, m, d, false);
    CAPTURE(trial);
    NodeQp qp(n.X, n.y, n.c);
    for (std::size_t i = 0; i < m; ++i) {
      qp.set_state(i, n.state[i]);
      if (n.data.y[i] > 0 && n.state[i] == 0) {
        const double L = trial % 5 == 0 ? -std::numeric_limits<double>::infinity() : -3 * rng.uniform01();
        const double H = rng.uniform01() < 0.2 ? -0.1 : 3 * rng.uniform01();
        qp.set_interval(i, L, H);
      }
    }
    qp.set_start(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(d)));
    const bool ok = qp.solve();
    CHECK(ok);
    const Eigen::VectorXd w = qp.w();
    auto value_at = [&](const Eigen::VectorXd& v, bool& feasible) {
      feasible = true;
      long double s = 0;
      for (std::size_t i = 0; i < m; ++i) {
        const double z = n.X.row(static_cast<Eigen::Index>(i)).dot(v);
        if (n.data.y[i] > 0 && ((n.state[i] == 1 && z < -1e-9) || (n.state[i] == -1 && z > 1e-9))) feasible = false;
        s += qp.g(i, z);
      }
      return static_cast<double>(s);
    };
    bool feasible = false;
    const double at = value_at(w, feasible);
    CHECK(feasible);
    CHECK(at == doctest::Approx(qp.value()).epsilon(1e-9).scale(1.0));
    const int G = d == 1 ? 20000 : 400;
    const double B = 4;
    double grid_min = std::numeric_limits<double>::infinity();
    Eigen::VectorXd v(static_cast<Eigen::Index>(d));
    for (int a = 0; a <= G; ++a)
      for (int b = 0; b <= (d == 2 ? G : 0); ++b) {
        v(0) = -B + 2 * B * a / G;
        if (d == 2) v(1) = -B + 2 * B * b / G;
        bool f = false;
        const double val = value_at(v, f);
        if (f) grid_min = std::min(grid_min, val);
      }
    CHECK(qp.value() <= grid_min + 1e-9 * std::max(1.0, std::abs(grid_min)));
    ++compared;
  }
  CHECK(compared == 120);
}

TEST_CASE("node QP: a solve cut off by its iteration cap falls back to a cold single-release run") {
  // With a cap of one iteration the warm and cold runs stop unconverged on every node that
  // needs more; the fallback (default cap, one release at a time) still solves it, to the
  // value of an uncapped solve.
  Rng rng(11);
  int fell_back = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const bool spread = trial % 2 == 1;
    const std::size_t d = 2 + static_cast<std::size_t>(trial % 3),
                      m = (spread ? d : 0) + 4 + static_cast<std::size_t>(trial % 3);
    Node n = random_node(rng, m, d, spread);
    CAPTURE(trial);
    NodeQp capped(n.X, n.y, n.c), free_run(n.X, n.y, n.c);
    for (std::size_t i = 0; i < m; ++i) {
      capped.set_state(i, n.state[i]);
      free_run.set_state(i, n.state[i]);
    }
    Eigen::VectorXd w0(static_cast<Eigen::Index>(d));
    for (Eigen::Index j = 0; j < w0.size(); ++j) w0(j) = 2 * rng.uniform01() - 1;
    capped.set_start(w0);
    free_run.set_start(w0);
    const bool ok_free = free_run.solve();
    const std::uint64_t before = capped.fallbacks();
    const bool ok_capped = capped.solve(1);
    CHECK(ok_free);
    CHECK(ok_capped);
    if (capped.fallbacks() > before) ++fell_back;
    const double scale = std::max(1.0, std::abs(free_run.value()));
    CHECK(capped.value() == doctest::Approx(free_run.value()).epsilon(1e-7).scale(scale));
  }
  CHECK(fell_back > 20);
}

/// One node of a solver sequence, as the search takes it, on two solvers that differ in one
/// setting: one or two samples change state, undecided samples get intervals (or none), both
/// solve warm from `start`, and their steps must be bit-identical. Returns whether they solved.
/// The next node of a sequence on both solvers, as the search takes it: one or two samples
/// change state, undecided samples get random intervals (or none), both start from `start`.
void next_node(Rng& rng, Node& n, NodeQp& on, NodeQp& off, bool intervals, const Eigen::VectorXd& start, int node) {
  const std::size_t m = n.data.y.size();
  for (int k = 0; k < 1 + node % 2; ++k) {
    const auto i = static_cast<std::size_t>(rng.uniform01() * static_cast<double>(m)) % m;
    if (n.data.y[i] > 0) n.state[i] = static_cast<std::int8_t>(static_cast<int>(rng.uniform01() * 3) - 1);
  }
  for (std::size_t i = 0; i < m; ++i) {
    for (NodeQp* qp : {&on, &off}) qp->set_state(i, n.state[i]);
    if (n.data.y[i] > 0 && n.state[i] == 0) {
      const double L = intervals ? -3 * rng.uniform01() : -std::numeric_limits<double>::infinity();
      const double H = intervals ? 3 * rng.uniform01() : std::numeric_limits<double>::infinity();
      for (NodeQp* qp : {&on, &off}) qp->set_interval(i, L, H);
    }
  }
  on.set_start(start);
  off.set_start(start);
}

bool same_steps_on_next_node(Rng& rng, Node& n, NodeQp& on, NodeQp& off, bool intervals, const Eigen::VectorXd& start,
                             int node) {
  next_node(rng, n, on, off, intervals, start, node);
  const std::uint64_t its_on = on.iterations(), its_off = off.iterations();
  const bool ok_on = on.solve(), ok_off = off.solve();
  CHECK(ok_on == ok_off);
  CHECK(on.iterations() - its_on == off.iterations() - its_off);
  CHECK(on.value() == off.value());
  CHECK(on.w() == off.w());
  CHECK(on.lambda() == off.lambda());
  return ok_on;
}

TEST_CASE("node QP: reusing the factorised reduced model takes the same steps as refactorising") {
  // One solver reused across a sequence of nodes, as the search does (states and node
  // intervals change between solves, warm starts from the last optimum), with the reuse of the
  // last factorised model on and off: w, the value, the multipliers and the iteration counts
  // must be bit-identical (a stale model, e.g. one kept across a change of the working set or
  // of the node, would change them), and the value must match the face enumeration where the
  // node has no intervals.
  Rng rng(23);
  std::uint64_t reuses = 0;
  int enumerated = 0;
  for (int seq = 0; seq < 24; ++seq) {
    const bool spread = seq % 2 == 1, small = seq % 3 != 2;
    const std::size_t d = small ? 1 + static_cast<std::size_t>(seq % 3) : 6 + static_cast<std::size_t>(seq % 4),
                      m = (spread ? d : 0) + (small ? 3 + static_cast<std::size_t>(seq % 3) : 3 * d);
    Node n = random_node(rng, m, d, spread);
    CAPTURE(seq);
    NodeQp on(n.X, n.y, n.c), off(n.X, n.y, n.c);
    off.set_reuse_model(false);
    Eigen::VectorXd start = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(d));
    for (int node = 0; node < 12; ++node) {
      CAPTURE(node);
      const bool ok_on = same_steps_on_next_node(rng, n, on, off, !small && node % 3 == 1, start, node);
      if (small && ok_on) {
        Eigen::VectorXd arg;
        const double ref = reference(n, arg);
        // (node_value: the reference's terms; the solver's own value counts a zero row as the
        // constant c·y², above the envelope the reference gives it.)
        bool feasible = false;
        const double at = node_value(n, on.w(), 1e-7 * (1 + on.w().norm()), feasible);
        CHECK(feasible);
        CHECK(at == doctest::Approx(ref).epsilon(1e-7).scale(std::max(1.0, std::abs(ref))));
        ++enumerated;
      }
      start = on.w();
    }
    CHECK(off.model_reuses() == 0);
    reuses += on.model_reuses();
  }
  CHECK(reuses > 20);
  CHECK(enumerated > 100);
}

TEST_CASE("node QP: the identity shortcut (empty working set) takes the same steps as the dense products") {
  // As above, one solver per setting across a sequence of nodes (states and interval envelopes
  // changing, warm starts): with the working set empty the products with Q2 = I are taken from
  // the sparse rows. w, the value, the multipliers and the iteration counts must be
  // bit-identical to the dense products (a wrong index or scale in the shortcut changes them).
  Rng rng(29);
  std::uint64_t shortcuts = 0;
  for (int seq = 0; seq < 24; ++seq) {
    const bool spread = seq % 2 == 1;
    const std::size_t d = 2 + static_cast<std::size_t>(seq % 6), m = (spread ? d : 0) + 3 * d;
    Node n = random_node(rng, m, d, spread);
    CAPTURE(seq);
    NodeQp on(n.X, n.y, n.c), off(n.X, n.y, n.c);
    off.set_identity_shortcut(false);
    Eigen::VectorXd start = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(d));
    for (int node = 0; node < 12; ++node) {
      CAPTURE(node);
      same_steps_on_next_node(rng, n, on, off, node % 3 != 0, start, node);  // sloped left pieces: the ray test runs
      start = on.w();
    }
    CHECK(off.identity_models() == 0);
    shortcuts += on.identity_models();
  }
  CHECK(shortcuts > 50);
}

TEST_CASE("node QP: the ray test's null space from a pivoted Cholesky gives the eigensolver's node optima") {
  // Rows with entries in {-1, 0, 1} (as the DkS and set cover reductions have) make the unit
  // rows of the ray test linearly dependent, so the null space of their Gram matrix is not
  // empty. One solver takes it from the pivoted Cholesky (when its pivots split clearly), the other
  // from the eigensolver: the subspace is the same up to rounding, so every node must reach the
  // same optimum value (the steps may differ in the last bits).
  Rng rng(31);
  std::uint64_t by_cholesky = 0;
  int solved = 0;
  for (int seq = 0; seq < 40; ++seq) {
    const std::size_t d = 2 + static_cast<std::size_t>(seq % 5), m = 4 * d + static_cast<std::size_t>(seq % 3);
    Node n = random_node(rng, m, d, seq % 2 == 1);
    n.X = n.X.array().sign().matrix();
    CAPTURE(seq);
    NodeQp on(n.X, n.y, n.c), off(n.X, n.y, n.c);
    off.set_null_space_ldlt(false);
    Eigen::VectorXd start = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(d));
    for (int node = 0; node < 12; ++node) {
      CAPTURE(node);
      next_node(rng, n, on, off, node % 3 != 0, start, node);
      const bool ok_on = on.solve(), ok_off = off.solve();
      CHECK(ok_on == ok_off);
      if (ok_on && ok_off) {
        ++solved;
        CHECK(on.value() == doctest::Approx(off.value()).epsilon(1e-9).scale(std::max(1.0, std::abs(off.value()))));
      }
      start = off.w();
    }
    CHECK(off.null_space_ldlts() == 0);
    by_cholesky += on.null_space_ldlts();
  }
  CHECK(solved > 400);
  CHECK(by_cholesky > 20);
}

TEST_CASE("null_projection_ldlt: the projection onto the null space, as the eigenvectors give it") {
  // G = A·Aᵀ of rank r < n (A with entries in {-1, 0, 1}, some columns repeated: the unit rows
  // of the reductions), permuted and scaled: the pivoted Cholesky's projection of q must be the one of the
  // eigenvectors with eigenvalues below 1e-12 of the largest. A full-rank G has no null space
  // (false), and neither has one with an eigenvalue between the bands (false: the eigensolver
  // decides).
  Rng rng(37);
  NullSpaceWork work;
  int decided = 0;
  for (int t = 0; t < 300; ++t) {
    const Eigen::Index n = 2 + t % 20, r = 1 + static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(n)));
    Eigen::MatrixXd A(n, r + 3);
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = 0; j < r; ++j) A(i, j) = static_cast<double>(static_cast<int>(rng.below(3)) - 1);
    for (Eigen::Index j = r; j < r + 3; ++j)
      A.col(j) = A.col(static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(r))));
    const double scale = std::ldexp(1.0, static_cast<int>(rng.below(40)) - 20);
    const Eigen::MatrixXd G = scale * A * A.transpose();
    Eigen::VectorXd q(n), out(n);
    for (Eigen::Index i = 0; i < n; ++i) q(i) = 2 * rng.uniform01() - 1;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(G);
    const Eigen::VectorXd& ev = es.eigenvalues();
    const double emax = ev(n - 1);
    Eigen::Index nz = 0;
    while (nz < n && ev(nz) <= 1e-12 * emax) ++nz;
    CAPTURE(t);
    CAPTURE(n);
    CAPTURE(nz);
    if (!(emax > 0)) continue;  // A = 0
    const bool ok = null_projection_ldlt(G, q, out, work);
    if (nz == 0) {
      CHECK_FALSE(ok);
      continue;
    }
    const bool clear_gap = nz == n || ev(nz) > 1e-8 * emax;
    if (clear_gap) CHECK(ok);  // the integer structure leaves no eigenvalue near the cut
    if (ok) {
      const auto Z = es.eigenvectors().leftCols(nz);
      const Eigen::VectorXd ref = Z * (Z.transpose() * q);
      CHECK((out - ref).norm() <= 1e-9 * std::max(1.0, q.norm()));
      ++decided;
    }
  }
  CHECK(decided > 150);
  // An eigenvalue between the bands: 1e-11 of the largest (neither clearly zero nor clearly not).
  Eigen::MatrixXd G = Eigen::MatrixXd::Zero(3, 3);
  G(0, 0) = 1;
  G(1, 1) = 1e-11;
  Eigen::VectorXd q = Eigen::VectorXd::Ones(3), out(3);
  CHECK_FALSE(null_projection_ldlt(G, q, out, work));
  // Clear: the third coordinate alone is the null space.
  G(1, 1) = 0.5;
  REQUIRE(null_projection_ldlt(G, q, out, work));
  CHECK(out(0) == doctest::Approx(0.0).scale(1.0));
  CHECK(out(1) == doctest::Approx(0.0).scale(1.0));
  CHECK(out(2) == doctest::Approx(1.0));
}
