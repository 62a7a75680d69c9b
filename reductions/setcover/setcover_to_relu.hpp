#pragma once
// Set Cover -> one ReLU, loss-preserving
// (docs/reductions/set-cover.md §2-§5, Facts SC-1..SC-5).
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
//
// Forms of data() (SetCoverOptions):
//  - weighted (default): the samples above with their weights;
//  - unweighted: every sample of weight c = r·q² (r squarefree, see
//    reductions/maxcut/square_weights.hpp) replaced by r copies of (q·x, q·y); A and λ
//    are squares (one copy each), c_j and b become copies. Same loss for every
//    network, exactly;
//  - unit ball: the unweighted set with x' = x/X, y' = y/Y, X = max ‖x_i‖,
//    Y = max |y_i|. Here X = √A and Y = √A/2 (both rational; proved in
//    docs/reductions/set-cover.md); if X² were not a rational square, X is a
//    rational upper bound (x_exact = false) and ‖x'‖ <= 1 still holds.
//    A network (w, a) of the weighted set is (w·X/Y, a) here and every loss is
//    divided by Y² (loss_scale()).
// bounds(), lift(), selection_loss() and decode_check() speak about data() as
// built, in its own scale; constants() are in the units of the weighted set.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "instances/core/rational.hpp"
#include "instances/problems/network.hpp"
#include "instances/problems/set_cover.hpp"
#include "instances/problems/training_set.hpp"
#include "reductions/common/reduction.hpp"

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

struct SetCoverOptions {
  bool unweighted = false;  ///< data() is the unweighted form
  bool unit_ball = false;   ///< data() is the unit-ball form (implies unweighted)
  /// The unweighted form may not have more samples (Failure "reduce.size").
  std::size_t max_samples = 50'000'000;
  /// Build only the float64 copy of the weighted set (double_data()), never
  /// the exact one: 12 bytes per nonzero instead of 8 more per value and the
  /// rows again. For writers (`reduce setcover`, with or without --solve).
  /// data() and weighted_data() then throw std::logic_error; exact_loss_of()
  /// and decode_check() evaluate the loss exactly on the samples generated
  /// again; bounds, lift, decode, params and the constants work as usual.
  /// Weighted form only.
  bool doubles_only = false;
};

/// Figures of the unit-ball form (docs/reductions/set-cover.md §7), exact where possible.
struct SetCoverUnitBall {
  std::size_t samples = 0;  ///< m: samples of the unweighted set (all weight 1)
  std::size_t dim = 0;
  Rational X2, Y2;      ///< max ‖x_i‖², max y_i² of the unweighted set, exact
  Rational X, Y;        ///< the scale factors used: √X2, √Y2 (rational upper bounds if not squares)
  bool x_exact = true;  ///< X2 is the square of a rational (X = √X2 exactly)
  bool y_exact = true;  ///< always true here (labels are rational)
  Rational B2;          ///< ‖w'‖² of every lifted certificate in the unit-ball scale: (m_sets+1)/4 · X²/Y²
  Rational sum_abs_a;   ///< Σ|a_j| of the certificate (1)
  Rational gap;         ///< total-loss gap, weighted units, between cost τ and τ+1: 1 − σ
  Rational epsilon;     ///< gap / (m·Y²): the additive gap in mean loss of the unit-ball set
  double B = 0;         ///< sqrt(B2) as a double
};

class SetCoverReduction final : public Reduction {
 public:
  /// Builds the training set. Throws Failure (ids "setcover.*") when the
  /// instance is not a valid coverable instance: no sets, a cost < 1, a set
  /// with an out-of-range / unsorted / repeated element, or an element in no
  /// set; Failure "reduce.size" if the unweighted form exceeds opt.max_samples.
  explicit SetCoverReduction(SetCoverInstance instance, SetCoverOptions opt = {});

  [[nodiscard]] std::string name() const override { return "setcover"; }
  [[nodiscard]] std::size_t units() const override { return 1; }
  /// The exact set. Contract: !options().doubles_only (std::logic_error).
  [[nodiscard]] const ExactTrainingSet& data() const override;
  /// The nearest-double copy of data() (to_double(data())), built directly in
  /// the doubles_only mode; otherwise a copy is made.
  [[nodiscard]] TrainingSet double_data() const;
  /// Moves the doubles_only set out (empty afterwards). Contract: doubles_only.
  [[nodiscard]] TrainingSet take_double_data();
  /// Instance sizes, the form, and every constant as a "p/q" string.
  [[nodiscard]] nlohmann::json params() const override;
  /// With τ = source_optimum: lower (K + τ − σ)·s, upper (K + τ)·s, s =
  /// loss_scale(); constants (K, sigma, ..., weighted units) always.
  [[nodiscard]] LossBounds bounds(const std::optional<Rational>& source_optimum) const override;
  /// Decode + exact check of cost(Decode(net)) <= L(net)/s − K + σ, with
  /// L(net) = exact_loss_of(net) and s = loss_scale(). Contract: net.dim == data().dim; throws
  /// Failure "reduce.network" unless net has one unit. Works in the doubles_only mode too.
  [[nodiscard]] DecodeCheck decode_check(const Network& net) const override;
  [[nodiscard]] DecodeCheck decode_check(const ExactNetwork& net) const;

  /// The exact loss of net on data(): exact_loss(data(), net); in the doubles_only mode
  /// (no exact set built) the same sum over the weighted samples generated again one at a
  /// time from the instance and dropped. Contract: net.dim == data().dim.
  [[nodiscard]] Rational exact_loss_of(const ExactNetwork& net) const;

  /// Bounds when τ is only known to lie in [tau_lower, tau_upper] (e.g. a
  /// solver stopped by its time limit): lower (K + tau_lower − σ)·s, upper
  /// (K + tau_upper)·s. Either side may be absent; source_optimum is empty.
  [[nodiscard]] LossBounds bounds_between(const std::optional<Rational>& tau_lower,
                                          const std::optional<Rational>& tau_upper) const;

  [[nodiscard]] const SetCoverInstance& instance() const { return inst_; }
  [[nodiscard]] const SetCoverConstants& constants() const { return k_; }
  [[nodiscard]] const SetCoverOptions& options() const { return opt_; }
  /// The weighted set (data() when no form option is set).
  [[nodiscard]] const ExactTrainingSet& weighted_data() const;
  /// 1/Y² in the unit-ball form, else 1: loss on data() = s × weighted loss.
  [[nodiscard]] const Rational& loss_scale() const { return scale_; }
  /// Present iff options().unit_ball.
  [[nodiscard]] const std::optional<SetCoverUnitBall>& unit_ball() const { return ub_; }
  /// The unit-ball figures, whatever the form of data() (builds the unweighted set).
  [[nodiscard]] SetCoverUnitBall unit_ball_figures() const;

  /// The intended network of a selection (any set of sets, not only covers),
  /// in data()'s scale: w_0 = 1/2, w_{1+j} = +1/2 if j is chosen, −1/2 if not
  /// (times X/Y in the unit-ball form), a = 1.
  [[nodiscard]] ExactNetwork lift(const std::vector<SetId>& chosen) const;
  /// Closed form of the loss of lift(chosen) on data(): (K + cost + (b/4)·#uncovered)·s.
  [[nodiscard]] Rational selection_loss(const std::vector<SetId>& chosen) const;

  /// Decode(net): C = {j : a·w_{1+j} > 0}, then for each element u = 0..n-1
  /// in order that is still uncovered, add the cheapest set containing u
  /// (lowest index on ties). Always returns a cover, sorted.
  /// Throws Failure "reduce.network" unless one unit of dimension data().dim.
  [[nodiscard]] std::vector<SetId> decode(const Network& net) const;
  [[nodiscard]] std::vector<SetId> decode(const ExactNetwork& net) const;
  /// The greedy repair alone: `chosen` plus the cheapest set for each element
  /// it leaves uncovered, as above.
  [[nodiscard]] std::vector<SetId> repair(std::vector<SetId> chosen) const;
  /// The coordinate of set j (0 is the anchor).
  [[nodiscard]] static Feature set_coord(SetId j) { return Feature(j.value() + 1); }

 private:
  /// The unit-ball figures of u, the unweighted set (unscaled).
  [[nodiscard]] SetCoverUnitBall unit_ball_figures_of(const ExactTrainingSet& u) const;
  template <class S>
  [[nodiscard]] std::vector<SetId> decode_any(const BasicNetwork<S>& net) const;
  /// The weighted samples in order into out.add / out.add_mirrored (setcover_to_relu.cpp).
  template <class Of, class Out>
  void emit_weighted(const StrongVector<ElementTag, std::vector<SetId>>& sets_of, Of of, Out& out) const;
  SetCoverInstance inst_;
  SetCoverOptions opt_;
  SetCoverConstants k_;
  ExactTrainingSet weighted_, data_;  ///< weighted_ is empty in the weighted form (data_ is that set)
  TrainingSet doubles_;               ///< doubles_only: the float64 weighted set
  std::size_t double_samples_ = 0;    ///< doubles_only: samples of doubles_ (also after take_double_data)
  bool weighted_f64_ = true;          ///< every value of the weighted set is a double
  std::optional<SetCoverUnitBall> ub_;
  Rational scale_ = 1;                        ///< loss_scale()
  Rational w_scale_ = 1;                      ///< X/Y in the unit-ball form, else 1
  StrongVector<ElementTag, SetId> cheapest_;  ///< per element: the cheapest set containing it
};

}  // namespace relugap
