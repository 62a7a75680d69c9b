// exact: matches an independent exhaustive reference on tiny sets, proves optimality,
// returns valid bounds when stopped early, and is deterministic.
//
// The reference enumerates, for every output sign class and every activation pattern
// (A_j = samples where unit j is active), every set S_j (|S_j| ≤ d, disjoint from A_j)
// of samples held at ⟨w_j, x⟩ = 0, solves the equality-constrained least-squares problem
// of that face (min-norm solution) and evaluates the true loss there. The optimum is an
// extreme point of the optimal face of its pattern cone (pointed when X has full column
// rank), where the tight constraints and the quadratic's range pin w uniquely, so it is
// one of these candidates; every candidate's true loss is ≥ OPT. It shares no code
// with the branch and bound.
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "instances/problems/loss.hpp"
#include "solvers/relu/exact_node_qp.hpp"
#include "solvers/relu/train_exact.hpp"
#include "solvers/relu/trainer.hpp"
#include "train_fixtures.hpp"

using namespace relugap;

namespace {

Eigen::MatrixXd dense_x(const TrainingSet& s) {
  Eigen::MatrixXd X = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(s.samples()), static_cast<Eigen::Index>(s.dim));
  for (std::size_t i = 0; i < s.samples(); ++i)
    for (std::size_t p = s.row_ptr[i]; p < s.row_ptr[i + 1]; ++p)
      X(static_cast<Eigen::Index>(i), s.col[p].value()) = s.val[p];
  return X;
}

double true_loss(const Eigen::MatrixXd& X, const TrainingSet& s, const Eigen::VectorXd& w, const std::vector<int>& sg) {
  const auto d = X.cols();
  double L = 0;
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    double f = 0;
    for (std::size_t j = 0; j < sg.size(); ++j)
      f += sg[j] * std::max(0.0, X.row(i).dot(w.segment(static_cast<Eigen::Index>(j) * d, d)));
    double r = f - s.y[static_cast<std::size_t>(i)];
    L += s.c[static_cast<std::size_t>(i)] * r * r;
  }
  return L;
}

// Subsets of [0, m) \ excluded with at most `maxsize` elements.
void subsets(std::size_t m, std::uint32_t excluded, std::size_t maxsize, const std::function<void(std::uint32_t)>& f) {
  for (std::uint32_t S = 0; S < (1u << m); ++S)
    if ((S & excluded) == 0 && static_cast<std::size_t>(__builtin_popcount(S)) <= maxsize) f(S);
}

double reference_opt(const TrainingSet& s, std::size_t k) {
  const Eigen::MatrixXd X = dense_x(s);
  const std::size_t m = s.samples(), d = s.dim;
  const auto n = static_cast<Eigen::Index>(k * d);
  std::vector<std::vector<int>> classes =
      k == 1 ? std::vector<std::vector<int>>{{1}, {-1}} : std::vector<std::vector<int>>{{1, 1}, {1, -1}, {-1, -1}};
  double best = std::numeric_limits<double>::infinity();
  Eigen::VectorXd sq(static_cast<Eigen::Index>(m));
  for (std::size_t i = 0; i < m; ++i) sq[static_cast<Eigen::Index>(i)] = std::sqrt(s.c[i]);
  for (const auto& sg : classes) {
    std::function<void(std::size_t, std::vector<std::uint32_t>&, std::vector<std::uint32_t>&)> rec =
        [&](std::size_t j, std::vector<std::uint32_t>& A, std::vector<std::uint32_t>& T) {
          if (j == k) {
            // M w = Σ_j s_j [i ∈ A_j] ⟨w_j, x_i⟩ ; equality rows ⟨w_j, x_i⟩ = 0 for i ∈ T_j.
            Eigen::MatrixXd M = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(m), n);
            std::vector<Eigen::RowVectorXd> eq;
            for (std::size_t u = 0; u < k; ++u)
              for (std::size_t i = 0; i < m; ++i) {
                const auto ii = static_cast<Eigen::Index>(i);
                const auto off = static_cast<Eigen::Index>(u * d);
                if (A[u] >> i & 1u) M.block(ii, off, 1, static_cast<Eigen::Index>(d)) = sg[u] * X.row(ii);
                if (T[u] >> i & 1u) {
                  Eigen::RowVectorXd r = Eigen::RowVectorXd::Zero(n);
                  r.segment(off, static_cast<Eigen::Index>(d)) = X.row(ii);
                  eq.push_back(r);
                }
              }
            Eigen::MatrixXd N;
            if (eq.empty()) {
              N = Eigen::MatrixXd::Identity(n, n);
            } else {
              Eigen::MatrixXd E(static_cast<Eigen::Index>(eq.size()), n);
              for (std::size_t r = 0; r < eq.size(); ++r) E.row(static_cast<Eigen::Index>(r)) = eq[r];
              Eigen::FullPivLU<Eigen::MatrixXd> lu(E);
              N = lu.kernel();
              if (lu.rank() == n) N = Eigen::MatrixXd::Zero(n, 1);
            }
            Eigen::MatrixXd B = sq.asDiagonal() * M * N;
            Eigen::VectorXd rhs =
                sq.cwiseProduct(Eigen::Map<const Eigen::VectorXd>(s.y.data(), static_cast<Eigen::Index>(m)));
            Eigen::VectorXd v = B.completeOrthogonalDecomposition().solve(rhs);
            best = std::min(best, true_loss(X, s, N * v, sg));
            return;
          }
          for (std::uint32_t a = 0; a < (1u << m); ++a) {
            A[j] = a;
            subsets(m, a, d, [&](std::uint32_t t) {
              T[j] = t;
              rec(j + 1, A, T);
            });
          }
        };
    std::vector<std::uint32_t> A(k), T(k);
    rec(0, A, T);
  }
  return best;
}

}  // namespace

TEST_CASE("exact (k = 1) matches exhaustive enumeration on tiny random sets") {
  Rng rng(21);
  int optimal = 0;
  for (int trial = 0; trial < 30; ++trial) {
    const std::size_t d = 1 + static_cast<std::size_t>(trial % 3), m = 4 + static_cast<std::size_t>(trial % 5);
    auto data = relugap::test::random_set(rng, m, d, 0.8);
    TrainOptions o;
    o.units = 1;
    o.seed = static_cast<std::uint64_t>(trial);
    o.exact.gd_starts = 2;
    auto r = train_exact(data, o);
    const double ref = reference_opt(data, 1);
    CAPTURE(trial);
    CAPTURE(m);
    CAPTURE(d);
    CAPTURE(r.message);
    CHECK(r.status == SolveStatus::kOptimal);
    optimal += r.status == SolveStatus::kOptimal;
    REQUIRE(r.lower_bound);
    CHECK(r.loss == doctest::Approx(ref).epsilon(1e-7));
    CHECK(*r.lower_bound <= ref * (1 + 1e-7) + 1e-12);
    CHECK(*r.lower_bound >= r.loss - 1e-8 * std::max(r.loss, 1.0));
    CHECK(r.loss == doctest::Approx(loss(data, r.net)).epsilon(1e-12));
  }
  CHECK(optimal == 30);
}

TEST_CASE("exact (k = 2) matches exhaustive enumeration on tiny random sets") {
  Rng rng(22);
  for (int trial = 0; trial < 6; ++trial) {
    const std::size_t d = 1 + static_cast<std::size_t>(trial % 2), m = 3 + static_cast<std::size_t>(trial % 2);
    auto data = relugap::test::random_set(rng, m, d, 0.9);
    TrainOptions o;
    o.units = 2;
    o.seed = static_cast<std::uint64_t>(trial);
    o.exact.gd_starts = 2;
    auto r = train_exact(data, o);
    const double ref = reference_opt(data, 2);
    CAPTURE(trial);
    CHECK(r.status == SolveStatus::kOptimal);
    CHECK(r.loss == doctest::Approx(ref).epsilon(1e-7));
    REQUIRE(r.lower_bound);
    CHECK(*r.lower_bound <= ref * (1 + 1e-7) + 1e-12);
  }
}

TEST_CASE("exact (k = 2): the unit symmetry rule keeps the optimum and skips mirrored subtrees") {
  // The rule (TwoUnits in train_exact.cpp) drops, in the classes (+,+) and (−,−), every
  // pattern pair whose first difference has unit 1 inactive and unit 2 active.
  auto run = [](const TrainingSet& data, bool sym, std::uint64_t seed) {
    TrainOptions o;
    o.units = 2;
    o.seed = seed;
    o.exact.gd_starts = 2;
    o.exact.break_symmetry = sym;
    return train_exact(data, o);
  };
  Rng rng(41);
  std::uint64_t nodes_on = 0, nodes_off = 0;
  for (int trial = 0; trial < 6; ++trial) {
    const std::size_t d = 1 + static_cast<std::size_t>(trial % 2), m = 3 + static_cast<std::size_t>(trial % 2);
    auto data = relugap::test::random_set(rng, m, d, 0.9);
    const auto on = run(data, true, static_cast<std::uint64_t>(trial));
    const auto off = run(data, false, static_cast<std::uint64_t>(trial));
    const double ref = reference_opt(data, 2);
    CAPTURE(trial);
    CHECK(on.status == SolveStatus::kOptimal);
    CHECK(off.status == SolveStatus::kOptimal);
    CHECK(on.loss == doctest::Approx(ref).epsilon(1e-7));
    CHECK(off.loss == doctest::Approx(ref).epsilon(1e-7));
    REQUIRE(on.lower_bound);
    CHECK(*on.lower_bound <= ref * (1 + 1e-7) + 1e-12);
    nodes_on += on.stats.nodes;
    nodes_off += off.stats.nodes;
  }
  CHECK(nodes_on < nodes_off);
  // A mirrored instance: y = ReLU(x_0) + ReLU(x_1) with the roles of the two coordinates
  // exchanged by (x_0, x_1) -> (x_1, x_0), plus noise on one label (not realizable, so gd
  // does not close the search at its root).
  TrainingSet mir(2);
  const double pts[][2] = {{1, 0.5}, {0.5, 1}, {-1, 0.25}, {0.25, -1}, {0.75, -0.5}, {-0.5, 0.75}, {-1, -1}};
  for (const auto& p : pts) mir.add({{0u, p[0]}, {1u, p[1]}}, std::max(p[0], 0.0) + std::max(p[1], 0.0), 1.0);
  mir.add({{0u, 1.0}, {1u, 1.0}}, 0.5, 1.0);
  const auto on = run(mir, true, 3), off = run(mir, false, 3);
  CAPTURE(on.message);
  CAPTURE(off.message);
  CHECK(on.status == SolveStatus::kOptimal);
  CHECK(off.status == SolveStatus::kOptimal);
  CHECK(on.loss == doctest::Approx(off.loss).epsilon(1e-9));
  REQUIRE(on.lower_bound);
  REQUIRE(off.lower_bound);
  CHECK(*on.lower_bound == doctest::Approx(*off.lower_bound).epsilon(1e-9));
  CHECK(on.stats.nodes < off.stats.nodes);
  CHECK(on.message.find("mirrored subtrees skipped") != std::string::npos);
  CHECK(off.message.find("mirrored subtrees skipped") == std::string::npos);
}

TEST_CASE("exact (k = 1): the node QP observer sees the node QPs as solved") {
  // Each recorded node, solved again from its record, gives the value the search saw.
  Rng rng(43);
  auto data = relugap::test::random_set(rng, 9, 3, 0.9);
  std::vector<ExactNodeQp> seen;
  TrainOptions o;
  o.units = 1;
  o.seed = 1;
  o.exact.node_qp_observer = [&](const ExactNodeQp& q) { seen.push_back(q); };
  const auto r = train_exact(data, o);
  CHECK(r.status == SolveStatus::kOptimal);
  REQUIRE(!seen.empty());
  CHECK(seen.size() <= r.stats.nodes);
  const Eigen::MatrixXd X = dense_x(data);
  Eigen::VectorXd y(static_cast<Eigen::Index>(data.samples())), c(y.size());
  for (std::size_t i = 0; i < data.samples(); ++i) {
    y[static_cast<Eigen::Index>(i)] = data.y[i];
    c[static_cast<Eigen::Index>(i)] = data.c[i];
  }
  int decided = 0;
  for (const auto& q : seen) {
    REQUIRE(q.state.size() == data.samples());
    REQUIRE(q.start.size() == data.dim);
    exact_detail::NodeQp qp(X, q.sign * y, c);
    for (std::size_t i = 0; i < data.samples(); ++i) {
      qp.set_state(i, q.state[i]);
      qp.set_offset(i, q.offset[i]);
      qp.set_interval(i, q.lo[i], q.hi[i]);
      decided += q.state[i] != 0;
    }
    qp.set_start(Eigen::Map<const Eigen::VectorXd>(q.start.data(), static_cast<Eigen::Index>(q.start.size())));
    CHECK(qp.solve() == q.converged);
    CHECK(qp.value() == doctest::Approx(q.value).epsilon(1e-9));
  }
  CHECK(decided > 0);  // the search went below its roots
}

TEST_CASE("exact respects a fixed output sign") {
  Rng rng(23);
  auto data = relugap::test::random_set(rng, 7, 2, 0.9);
  TrainOptions o;
  o.units = 1;
  o.constraints.output_signs = {-1};
  auto r = train_exact(data, o);
  CHECK(r.status == SolveStatus::kOptimal);
  CHECK(r.net.a[0] <= 0);
  o.constraints.output_signs = {1};
  auto p = train_exact(data, o);
  o.constraints.output_signs.clear();
  auto both = train_exact(data, o);
  CHECK(both.loss == doctest::Approx(std::min(r.loss, p.loss)).epsilon(1e-9));
  // B only splits the scale between a and w: same loss, |a| = B.
  o.constraints.output_l1 = 0.25;
  auto scaled = train_exact(data, o);
  CHECK(std::abs(scaled.net.a[0]) == doctest::Approx(0.25));
  CHECK(scaled.loss == doctest::Approx(both.loss).epsilon(1e-9));
}

TEST_CASE("exact proves a planted single ReLU optimal (loss 0) on a larger set") {
  Rng rng(24);
  auto truth = relugap::test::planted_net(rng, 1, 6, 1.0);
  auto data = relugap::test::planted_set(rng, 80, 6, truth);
  TrainOptions o;
  o.units = 1;
  auto r = train_exact(data, o);
  CHECK(r.status == SolveStatus::kOptimal);
  CHECK(r.loss < 1e-10);
  REQUIRE(r.lower_bound);
  CHECK(*r.lower_bound <= r.loss + 1e-12);
}

TEST_CASE("exact (k = 1): an output-sign class whose label floor exceeds the incumbent is closed, certified") {
  // Noisy planted ReLU: nearly all labels are positive, so the class a < 0 pays Σ c·y² over
  // them (more than the incumbent's loss) and has no certificate box (nothing bounds w from
  // below there). Closing it by its floor leaves a certified optimum, equal to enumeration.
  Rng rng(41);
  int closed = 0;
  for (int trial = 0; trial < 6; ++trial) {
    const std::size_t d = 2 + static_cast<std::size_t>(trial % 2), m = 8 + static_cast<std::size_t>(trial % 3);
    auto truth = relugap::test::planted_net(rng, 1, d, 1.0);
    truth.a[0] = 1.0;
    auto data = relugap::test::planted_set(rng, m, d, truth, 0.1);
    TrainOptions o;
    o.units = 1;
    o.seed = static_cast<std::uint64_t>(trial);
    o.exact.gd_starts = 2;
    auto r = train_exact(data, o);
    CAPTURE(trial);
    CAPTURE(r.message);
    const bool floored = r.message.find("closed by its label floor") != std::string::npos;
    closed += floored;
    CHECK(r.status == SolveStatus::kOptimal);
    REQUIRE(r.lower_bound);
    const double ref = reference_opt(data, 1);
    CHECK(r.loss == doctest::Approx(ref).epsilon(1e-7));
    CHECK(*r.lower_bound <= ref * (1 + 1e-9) + 1e-12);
    if (floored) {
      CHECK(r.certified);
      // The proof: the exact loss of the returned network minus the certified bound.
      CHECK(exact_loss(to_exact(data), to_exact(r.net)) >= exact_from_double(*r.lower_bound));
    }
  }
  CHECK(closed >= 4);
}

TEST_CASE("exact on noisy data: bounds bracket, node limit gives a feasible answer, deterministic") {
  Rng rng(25);
  auto truth = relugap::test::planted_net(rng, 1, 4, 1.0);
  auto data = relugap::test::planted_set(rng, 40, 4, truth, 0.3);
  TrainOptions o;
  o.units = 1;
  o.seed = 7;
  auto full = train_exact(data, o);
  CHECK(full.status == SolveStatus::kOptimal);
  auto again = train_exact(data, o);
  CHECK(relugap::test::same_bytes(full.net, again.net));
  CHECK(full.stats.nodes == again.stats.nodes);
  o.exact.max_nodes = 3;
  auto cut = train_exact(data, o);
  if (cut.status != SolveStatus::kOptimal) {
    CHECK(cut.status == SolveStatus::kFeasible);
    REQUIRE(cut.lower_bound);
    CHECK(*cut.lower_bound <= full.loss * (1 + 1e-9));
    CHECK(cut.loss >= full.loss * (1 - 1e-9));
    CHECK(cut.message.find("node limit") != std::string::npos);
  }
}

TEST_CASE("exact refuses what it cannot do") {
  Rng rng(26);
  auto data = relugap::test::random_set(rng, 30, 2, 0.9);
  TrainOptions o;
  o.units = 2;
  CHECK_THROWS_AS(train_exact(data, o), relugap::Failure);  // k = 2 above the sample cap
  o.units = 3;
  CHECK_THROWS_AS(train_exact(data, o), relugap::Failure);
  o.units = 1;
  o.constraints.unit_norm = 1.0;
  CHECK_THROWS_AS(train_exact(data, o), relugap::Failure);
}

TEST_CASE("exact (k = 1) with anchors and mirrored pairs: certified, matches enumeration and the CLP path") {
  // The shape of the reduction sets (DkS, set cover): a heavy anchor (e_0, 1/2), heavy well
  // pairs (±e_j, 1/2) and light samples on several coordinates. The node intervals (the box,
  // |z| of a pair near its label, interval propagation) decide most of the search here.
  Rng rng(33);
  int certified = 0;
  for (int trial = 0; trial < 12; ++trial) {
    const std::size_t d = 2 + static_cast<std::size_t>(trial % 2);
    TrainingSet data(d);
    const double A = std::ldexp(1.0, 6 + trial % 5), lam = std::ldexp(1.0, 5 + trial % 4);
    data.add({{0u, 1.0}}, 0.5, A);
    for (std::uint32_t j = 1; j < d; ++j) {
      data.add({{j, 1.0}}, 0.5, lam);
      data.add({{j, -1.0}}, 0.5, lam);
    }
    const std::size_t light = d == 2 ? 4 : 2;
    for (std::size_t t = 0; t < light; ++t) {
      std::vector<std::pair<std::uint32_t, double>> row;
      for (std::uint32_t j = 0; j < d; ++j) {
        const double v = std::round(4 * (2 * rng.uniform01() - 1)) / 2;
        if (v != 0) row.emplace_back(j, v);
      }
      data.add(row, std::round(8 * (2 * rng.uniform01() - 0.5)) / 4, 1 + std::round(3 * rng.uniform01()));
    }
    TrainOptions o;
    o.units = 1;
    o.seed = static_cast<std::uint64_t>(trial);
    o.exact.gd_starts = 2;
    auto r = train_exact(data, o);
    const double ref = reference_opt(data, 1);
    CAPTURE(trial);
    CAPTURE(r.message);
    CHECK(r.status == SolveStatus::kOptimal);
    certified += r.certified ? 1 : 0;
    // Not certified only when some sign class has no box (the negated labels may leave w unbounded).
    CHECK((r.certified || r.message.find("no box") != std::string::npos));
    REQUIRE(r.lower_bound);
    CHECK(r.loss == doctest::Approx(ref).epsilon(1e-7));
    CHECK(*r.lower_bound <= ref * (1 + 1e-7) + 1e-12);
    // The former CLP QP path agrees on the optimum.
    TrainOptions oc = o;
    oc.exact.qp = ExactQp::kClp;
    auto rc = train_exact(data, oc);
    CAPTURE(rc.message);
    CHECK(rc.status == SolveStatus::kOptimal);
    CHECK(rc.loss == doctest::Approx(r.loss).epsilon(1e-7));
  }
  CHECK(certified >= 8);
}
