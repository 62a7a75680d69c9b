#pragma once
// Densest κ-Subgraph -> one ReLU, loss-preserving
// (docs/reductions/densest-subgraph.md §2-§5, Facts DKS-1..DKS-5).
//
// Graph G = (V, E) on n vertices, 1 <= κ <= n, τ = max edges inside a κ-set.
// Dimension d = n + 1: coordinate 0 is the anchor, coordinate 1 + v is vertex v.
// Samples, in this order (the weighted set):
//   1. anchor       (e_0, 1/2)                      weight A
//   2. wells        (e_v, 1/2), (−e_v, 1/2)         weight λ each   (v = 0..n-1)
//   3. cardinality  (n·e_0 + Σ_v e_v, κ)            weight W
//   4. edges        (e_u + e_v, 1)                  weight 1        (each {u,v}, u < v, sorted)
// Constants (exact integers / rationals):
//   W = |E| + 1, or with square_weights the smallest perfect square >= |E| + 1
//     (the proofs only use W > |E|);
//   P = 2Wn², Q_v = 2·deg v + 2Wn;
//   A = a perfect square >= 4P², λ = a perfect square >= 4·ΣQ_v²: the smallest
//     perfect square whose root has at most 26 significant bits (so that A, λ,
//     √A, √λ are exact doubles; this is the smallest perfect square whenever
//     the root is below 2^26); in the unit-ball form the larger of √A, √λ is
//     then rounded up to a power of two, so that X and Y are powers of two;
//   K = λn/4,  σ = P²/(4A) + ΣQ_v²/(4λ)  (<= 1/8).
// Statement: K + |E| − τ − σ <= OPT <= K + |E| − τ.
// Decoding lemma (any one-unit network w): E(Decode(w)) >= |E| + K − σ − L(w).
//
// Forms of data(): weighted (default); unweighted = every sample of weight q²
// replaced by (q·x, q·y) (needs square_weights; the loss of every network is
// unchanged); unit ball = the unweighted set with x' = x/X, y' = y/Y,
// X = max ‖x_i‖, Y = max |y_i| (both rational for this construction), where a
// network (w, a) of the weighted set corresponds to (w·X/Y, a) and every loss
// is divided by Y². bounds(), lift() and decode_check() always speak about
// data() as built, in its own scale.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "instances/core/rational.hpp"
#include "instances/problems/graph.hpp"
#include "instances/problems/network.hpp"
#include "instances/problems/training_set.hpp"
#include "reductions/common/reduction.hpp"

namespace relugap {

/// The reduction's constants, exact (in the units of the weighted set).
struct DksConstants {
  mpz_class W;       ///< cardinality weight, > |E|
  mpz_class P;       ///< 2Wn²: coefficient of |w_0 − 1/2| in the proof
  mpz_class sum_Q2;  ///< Σ_v (2 deg v + 2Wn)²
  mpz_class A;       ///< anchor weight, perfect square >= 4P²
  mpz_class lambda;  ///< well weight, perfect square >= 4·sum_Q2
  Rational K;        ///< λn/4: the wells' loss, paid by every network
  Rational sigma;    ///< P²/(4A) + sum_Q2/(4λ), <= 1/8
};

struct DksOptions {
  /// W a perfect square (then every weight is a square of a rational).
  bool square_weights = false;
  /// data() is the unweighted form (implies square_weights).
  bool unweighted = false;
  /// data() is the unit-ball form of the unweighted set (implies unweighted).
  bool unit_ball = false;
  /// TESTING ONLY: build the anchor sample with this weight while stating the
  /// σ (and K) of the correct construction: a deliberately unsound reduction,
  /// so tests can show that the decoding-lemma check can fail.
  std::optional<mpz_class> unsound_anchor_weight;
};

/// Figures of the unit-ball form (docs/reductions/densest-subgraph.md §6), exact where possible.
struct DksUnitBall {
  std::size_t samples = 0;  ///< m
  std::size_t dim = 0;
  Rational X2, Y2;                      ///< max ‖x_i‖², max y_i² of the unweighted set
  Rational X, Y;                        ///< the scale factors used: √X2, √Y2 (exact here; see x_exact)
  bool x_exact = true, y_exact = true;  ///< false if X2 / Y2 was not a rational square
                                        ///< (X, Y are then rational upper bounds)
  Rational B2;                          ///< ‖w'‖² of the certificate in the unit-ball scale: (n+1)/4 · X²/Y²
  Rational sum_abs_a;                   ///< Σ|a| of the certificate (1)
  Rational gap;      ///< total-loss gap between "τ >= t" and "τ <= t − 1": 1 − σ (weighted units)
  Rational epsilon;  ///< gap / (m·Y²): the additive gap in mean loss of the unit-ball set
  double B = 0;      ///< sqrt(B2) as a double
};

class DksReduction final : public Reduction {
 public:
  /// Builds the set. Throws Failure "reduce.kappa" unless 1 <= κ <= n.
  DksReduction(Graph graph, std::uint32_t kappa, DksOptions opt = {});

  [[nodiscard]] std::string name() const override { return "dks"; }
  [[nodiscard]] std::size_t units() const override { return 1; }
  [[nodiscard]] const ExactTrainingSet& data() const override { return data_; }
  /// Moves the set out (data() is an empty set of the same dimension afterwards): for a command that is
  /// done with everything that reads data() and writes the set last.
  [[nodiscard]] ExactTrainingSet release_data() { return std::exchange(data_, ExactTrainingSet(data_.dim)); }
  /// Sizes, form, and every constant as a "p/q" string.
  [[nodiscard]] nlohmann::json params() const override;
  /// With τ = source_optimum: lower (K + |E| − τ − σ)·s, upper (K + |E| − τ)·s,
  /// s = loss_scale(). Constants (weighted units) always.
  [[nodiscard]] LossBounds bounds(const std::optional<Rational>& source_optimum) const override;
  /// When τ is only known to lie in [tau_lower, tau_upper] (a solver stopped by
  /// its limit): upper (K + |E| − tau_lower)·s (a κ-set with tau_lower edges lifts
  /// to it), lower (K + |E| − tau_upper − σ)·s. Either side may be absent.
  [[nodiscard]] LossBounds bounds_between(const std::optional<Rational>& tau_lower,
                                          const std::optional<Rational>& tau_upper) const;
  /// Decode + exact check of E(Decode(w)) >= |E| + K − σ − L(w), with L the
  /// exact loss in weighted units (= loss on data() / loss_scale()).
  /// Throws Failure "reduce.network" unless one unit of dimension data().dim.
  [[nodiscard]] DecodeCheck decode_check(const Network& net) const override;
  [[nodiscard]] DecodeCheck decode_check(const ExactNetwork& net) const;

  [[nodiscard]] const Graph& graph() const { return g_; }
  [[nodiscard]] std::uint32_t kappa() const { return kappa_; }
  [[nodiscard]] const DksConstants& constants() const { return k_; }
  [[nodiscard]] const DksOptions& options() const { return opt_; }
  /// 1/Y² for the unit-ball form, else 1: loss on data() = loss_scale() × weighted loss.
  [[nodiscard]] Rational loss_scale() const;
  /// Present iff options().unit_ball.
  [[nodiscard]] const std::optional<DksUnitBall>& unit_ball() const { return ub_; }
  /// The unit-ball figures of the unweighted set, whatever the form of data().
  /// Contract (RELUGAP_ASSERT): every weight is a square (square_weights).
  [[nodiscard]] DksUnitBall unit_ball_figures() const;
  /// True iff every entry, label and weight of data() is exactly a double (so a
  /// float64 file written from it holds exactly this set).
  [[nodiscard]] bool data_exact_in_double() const;

  /// The intended network of any vertex set S (distinct ids < n; any size):
  /// w_0 = 1/2, w_{1+v} = +1/2 if v ∈ S else −1/2, a = 1, in data()'s scale.
  /// Contract (RELUGAP_ASSERT): no repeated or out-of-range vertex.
  [[nodiscard]] ExactNetwork lift(const std::vector<Vertex>& set) const;
  /// Closed form of the loss of lift(S) on data(): (K + W(|S| − κ)² + |E| − E(S))·s.
  [[nodiscard]] Rational set_loss(const std::vector<Vertex>& set) const;

  /// Decode(w): S = {v : w_{1+v} > 0}, then repair(S). Always a κ-set, sorted.
  /// Throws Failure "reduce.network" unless one unit of dimension data().dim.
  [[nodiscard]] std::vector<Vertex> decode(const Network& net) const;
  [[nodiscard]] std::vector<Vertex> decode(const ExactNetwork& net) const;
  /// While |S| > κ remove the vertex of S with fewest neighbours in S; while
  /// |S| < κ add the vertex outside S with most neighbours in S; ties go to
  /// the lowest vertex id. Returns the κ-set, sorted.
  [[nodiscard]] std::vector<Vertex> repair(std::vector<Vertex> set) const;
  /// The coordinate of vertex v (0 is the anchor).
  [[nodiscard]] static Feature vertex_coord(Vertex v) { return Feature(v.value() + 1); }

 private:
  template <class S>
  [[nodiscard]] std::vector<Vertex> decode_any(const BasicNetwork<S>& net) const;
  Graph g_;
  std::uint32_t kappa_;
  DksOptions opt_;
  DksConstants k_;
  ExactTrainingSet data_;
  std::optional<DksUnitBall> ub_;
  AdjacencyLists adj_;
};

}  // namespace relugap
