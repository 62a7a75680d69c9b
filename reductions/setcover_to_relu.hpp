#pragma once
// Set Cover -> one ReLU, loss-preserving (REDUCTIONS.md §1; proofs in
// docs/reductions/set-cover.md).
//
// Universe {0..n-1}, sets S_0..S_{m-1} covering it, integer costs c_j >= 1.
// Dimension d = m + 1: coordinate 0 is the anchor, coordinate 1 + j is set j.
// Samples, in this order:
//   1. anchor      (e_0, 1/2)                         weight A
//   2. wells       (e_j, 1/2), (−e_j, 1/2)            weight λ each      (j = 0..m-1)
//   3. selection   (e_0 + e_j, 0)                     weight c_j         (j = 0..m-1)
//   4. covering    ((1 − deg u) e_0 − Σ_{j∋u} e_j, 0) weight b           (u = 0..n-1)
// Constants (all exact integers / rationals):
//   b = 4·max c + 4,  P = 2Σc_j + b·nnz,  Q_j = 2c_j + b|S_j|,
//   A = smallest perfect square >= 4P²  (= (2P)²),
//   λ = smallest perfect square >= 4ΣQ_j²,
//   K = λm/4,  σ = P²/(4A) + ΣQ_j²/(4λ)  (<= 1/8).
// Statement: K + τ − σ <= OPT <= K + τ, τ the minimum cover cost.
// Decoding lemma (any one-unit network): cost(Decode(net)) <= L(net) − K + σ.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "instances/network.hpp"
#include "instances/rational.hpp"
#include "instances/set_cover.hpp"
#include "instances/training_set.hpp"
#include "reductions/reduction.hpp"

namespace relugap {

/// The reduction's constants, exact.
struct SetCoverConstants {
  mpz_class b;       ///< covering weight, 4·max c + 4
  mpz_class P;       ///< 2Σc_j + b·nnz: coefficient of |w_0 − 1/2| in the proof
  mpz_class sum_Q2;  ///< Σ_j (2c_j + b|S_j|)²
  mpz_class A;       ///< anchor weight, perfect square >= 4P²
  mpz_class lambda;  ///< well weight, perfect square >= 4·sum_Q2
  Rational K;        ///< λm/4: the wells' loss, paid by every network
  Rational sigma;    ///< P²/(4A) + sum_Q2/(4λ), <= 1/8
};

class SetCoverReduction final : public Reduction {
 public:
  /// Builds the training set. Throws Failure (ids "setcover.*") when the
  /// instance is not a valid coverable instance: no sets, a cost < 1, a set
  /// with an out-of-range / unsorted / repeated element, or an element in no set.
  explicit SetCoverReduction(SetCoverInstance instance);

  [[nodiscard]] std::string name() const override { return "setcover"; }
  [[nodiscard]] std::size_t units() const override { return 1; }
  [[nodiscard]] const ExactTrainingSet& data() const override { return data_; }
  /// Instance sizes and every constant as a "p/q" string.
  [[nodiscard]] nlohmann::json params() const override;
  /// With τ = source_optimum: lower K + τ − σ, upper K + τ; constants K, sigma
  /// always. Without it: only the constants.
  [[nodiscard]] LossBounds bounds(const std::optional<Rational>& source_optimum) const override;
  /// Decode + exact check of cost(Decode(net)) <= L(net) − K + σ.
  /// Contract: net.dim == data().dim; throws std::invalid_argument unless net has one unit.
  [[nodiscard]] DecodeCheck decode_check(const Network& net) const override;
  [[nodiscard]] DecodeCheck decode_check(const ExactNetwork& net) const;

  /// Bounds when τ is only known to lie in [tau_lower, tau_upper] (e.g. a
  /// solver stopped by its time limit): lower K + tau_lower − σ, upper
  /// K + tau_upper. source_optimum is left empty.
  [[nodiscard]] LossBounds bounds_between(const std::optional<Rational>& tau_lower,
                                          const std::optional<Rational>& tau_upper) const;

  [[nodiscard]] const SetCoverInstance& instance() const { return inst_; }
  [[nodiscard]] const SetCoverConstants& constants() const { return k_; }

  /// The intended network of a selection (any set of sets, not only covers):
  /// w_0 = 1/2, w_{1+j} = +1/2 if j is chosen, −1/2 if not, a = 1.
  [[nodiscard]] ExactNetwork lift(const std::vector<SetId>& chosen) const;
  /// Closed form of the loss of lift(chosen): K + cost + (b/4)·#uncovered.
  [[nodiscard]] Rational selection_loss(const std::vector<SetId>& chosen) const;

  /// Decode(net): C = {j : a·w_{1+j} > 0}, then for each element u = 0..n-1
  /// in order that is still uncovered, add the cheapest set containing u
  /// (lowest index on ties). Always returns a cover, sorted.
  /// Contract: net.dim == data().dim; throws std::invalid_argument unless one unit.
  [[nodiscard]] std::vector<SetId> decode(const Network& net) const;
  [[nodiscard]] std::vector<SetId> decode(const ExactNetwork& net) const;
  /// The greedy repair alone: `chosen` plus the cheapest set for each element
  /// it leaves uncovered, as above.
  [[nodiscard]] std::vector<SetId> repair(std::vector<SetId> chosen) const;

 private:
  SetCoverInstance inst_;
  SetCoverConstants k_;
  ExactTrainingSet data_;
  std::vector<SetId> cheapest_;  ///< per element: the cheapest set containing it
};

// ---- the unit-ball form (REDUCTIONS.md §0) --------------------------------

/// Figures of the unit-ball form of an unweighted set: x' = x/X, y' = y/Y with
/// X = max ‖x_i‖, Y = max |y_i|; a network (w, a) becomes (w·X/Y, a) and
/// every loss is divided by Y². X may be irrational, so squares are exact and
/// X, B are reported as doubles computed from the exact squares.
struct UnitBallForm {
  std::size_t samples = 0;  ///< m: number of (unweighted) samples
  std::size_t dim = 0;
  Rational X2;          ///< max ‖x_i‖², exact
  Rational Y;           ///< max |y_i|, exact (labels are rational)
  Rational B2;          ///< max_j ‖w'_j‖² of the certificate, exact
  Rational sum_abs_a;   ///< Σ|a_j| of the certificate
  Rational epsilon;     ///< gap / (m·Y²), the additive gap in mean loss, exact
  double X = 0, B = 0;  ///< sqrt of X2, B2 (rounded to double)
};

/// Contract: every weight of `unweighted` is 1 (throws std::invalid_argument
/// otherwise), and some x_i and y_i are nonzero. `gap` is the total-loss gap
/// between the NO lower bound and the YES upper bound.
UnitBallForm unit_ball_form(const ExactTrainingSet& unweighted, const ExactNetwork& certificate, const Rational& gap);

/// The unit-ball set itself, in double: x_i/X, y_i/Y (X from X2 by sqrt).
TrainingSet unit_ball_scaled(const ExactTrainingSet& unweighted, const UnitBallForm& f);

}  // namespace relugap
