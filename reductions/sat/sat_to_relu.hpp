#pragma once
// 3SAT -> depth-2 ReLU training sets (docs/reductions/sat.md §1-§6,
// Facts SAT-1..SAT-6).
//
//   sat1  one ReLU, agnostic (§4):   YES ⇒ OPT = N + R;   NO ⇒ OPT >= N + R + 1/16.
//   sat2  two ReLUs, realizable (§5): YES ⇒ OPT = 0;       NO ⇒ OPT >= τ²/18 (our robust lemma).
//   satk  K >= 2 ReLUs, realizable (§6, via positive 1-in-3-SAT):
//                                    YES ⇒ OPT = 0;       NO ⇒ no network with <= K units has loss 0
//                                    (no positive lower bound on the infimum is proved).
//
// Every construction starts from a 1-in-3 formula (the *target*) reached by
// the chain CNF -> 3-CNF -> 1-in-3 [-> positive 1-in-3] (SatChain); lift maps
// an assignment of the *source* (the CNF, or a 1-in-3 formula given directly)
// to a certificate network, decode maps any network back to a source
// assignment, which is then checked against the source formula.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "instances/core/rational.hpp"
#include "instances/problems/cnf.hpp"
#include "instances/problems/network.hpp"
#include "instances/problems/training_set.hpp"
#include "reductions/common/reduction.hpp"
#include "reductions/sat/cnf_to_3cnf.hpp"
#include "reductions/sat/one_in_three.hpp"
#include "reductions/sat/positive_one_in_three.hpp"

namespace relugap {

/// The formula chain with lift / decode through every step.
class SatChain {
 public:
  /// CNF -> 3-CNF (splitting) -> signed 1-in-3 (Schaefer) [-> positive 1-in-3].
  /// Throws Failure ("cnf.literal") for a literal out of range.
  SatChain(const Cnf& source, bool positive);
  /// A 1-in-3 formula as the source itself [-> positive 1-in-3].
  /// Throws Failure ("onein3.literal") for a literal out of range.
  SatChain(const OneInThreeFormula& source, bool positive);

  /// The 1-in-3 formula the ReLU construction encodes (positive if asked for).
  [[nodiscard]] const OneInThreeFormula& target() const;
  [[nodiscard]] bool source_is_cnf() const { return cnf_.has_value(); }
  [[nodiscard]] std::uint32_t source_vars() const;
  [[nodiscard]] std::size_t source_clauses() const;
  /// Number of source clauses `a` satisfies (for a 1-in-3 source: clauses with exactly one true position).
  [[nodiscard]] std::size_t source_satisfied_clauses(const Assignment& a) const;
  [[nodiscard]] bool source_satisfied(const Assignment& a) const {
    return source_satisfied_clauses(a) == source_clauses();
  }
  /// Source assignment -> target assignment; satisfies target() iff `a` satisfies the source.
  /// Contract: a.size() >= source_vars().
  [[nodiscard]] Assignment lift(const Assignment& a) const;
  /// Target assignment -> source assignment (restriction); a target solution
  /// decodes to a source solution. Contract: b.size() >= target().num_vars.
  [[nodiscard]] Assignment decode(const Assignment& b) const;
  /// Sizes of every formula of the chain, for the sidecar.
  [[nodiscard]] nlohmann::json sizes() const;

  [[nodiscard]] const Cnf* cnf() const { return cnf_ ? &*cnf_ : nullptr; }
  [[nodiscard]] const ThreeCnfSplit* split() const { return split_ ? &*split_ : nullptr; }
  [[nodiscard]] const SchaeferReduction* schaefer() const { return schaefer_ ? &*schaefer_ : nullptr; }
  [[nodiscard]] const PositiveOneInThree* positive() const { return positive_ ? &*positive_ : nullptr; }

 private:
  [[nodiscard]] const OneInThreeFormula& signed_formula() const;
  std::optional<Cnf> cnf_;
  std::optional<ThreeCnfSplit> split_;
  std::optional<SchaeferReduction> schaefer_;
  std::optional<OneInThreeFormula> direct_;  ///< the source when it is a 1-in-3 formula
  std::optional<PositiveOneInThree> positive_;
};

/// What the three SAT reductions share: the chain, lift through it, decoding
/// by trying one candidate assignment per hidden unit, and the decode check.
class SatReduction : public Reduction {
 public:
  [[nodiscard]] const ExactTrainingSet& data() const override { return data_; }
  /// Moves the set out (data() is an empty set of the same dimension afterwards): for a command that is
  /// done with everything that reads data() (bounds, lift, unit-ball figures)
  /// and folds or writes the set last. decode() reads only data().dim.
  [[nodiscard]] ExactTrainingSet release_data() { return std::exchange(data_, ExactTrainingSet(data_.dim)); }
  [[nodiscard]] const SatChain& chain() const { return chain_; }
  /// N and M of the target 1-in-3 formula.
  [[nodiscard]] std::uint32_t N() const { return chain_.target().num_vars; }
  [[nodiscard]] std::size_t M() const { return chain_.target().num_clauses(); }

  /// The certificate of a target assignment (any assignment, not only solutions).
  /// Contract: sigma.size() >= N().
  [[nodiscard]] virtual ExactNetwork lift_target(const Assignment& sigma) const = 0;
  /// The exact loss of lift_target(sigma), in closed form from the number of
  /// true positions T_C of every target clause (the tests compare it with exact_loss).
  [[nodiscard]] virtual Rational lifted_loss(const Assignment& sigma) const = 0;
  /// lift_target(chain().lift(a)). Contract: a.size() >= chain().source_vars().
  [[nodiscard]] ExactNetwork lift(const Assignment& a) const { return lift_target(chain_.lift(a)); }

  /// One candidate target assignment per hidden unit (see each class); the
  /// decoded assignment is the candidate with the fewest violated target
  /// clauses, then the most satisfied source clauses, then the lowest unit.
  /// Throws Failure "reduce.network" unless net.dim == data().dim.
  [[nodiscard]] Assignment decode_target(const ExactNetwork& net) const;
  [[nodiscard]] Assignment decode_target(const Network& net) const { return decode_target(to_exact(net)); }
  /// chain().decode(decode_target(net)): an assignment of the source formula.
  [[nodiscard]] Assignment decode(const ExactNetwork& net) const { return chain_.decode(decode_target(net)); }
  [[nodiscard]] Assignment decode(const Network& net) const { return decode(to_exact(net)); }

  /// Decodes, checks the decoded source assignment against the source formula
  /// and checks the reduction's decoding lemma with the exact loss.
  /// solution_valid: the decoded object is a total assignment of the source's
  /// variables (always true: every network decodes to one); whether it
  /// satisfies the formula is source_value (1 or 0, like the source optimum),
  /// with the number of satisfied clauses in `solution`.
  [[nodiscard]] DecodeCheck decode_check(const Network& net) const override { return decode_check(to_exact(net)); }
  [[nodiscard]] DecodeCheck decode_check(const ExactNetwork& net) const;
  /// The lemma in the verifier's form (value 1 = the decoded source assignment
  /// satisfies the source, 0 = not): value 1 -> the YES lower bound; value 0 ->
  /// the NO threshold (sat1 N + R + 1/16, sat2 tau^2/18), satk: L > 0. Nothing
  /// for networks with more than units() units.
  [[nodiscard]] LemmaFloor lemma_floor(const Rational& value, std::size_t units) const override;

  /// The additive gap between the NO lower bound and the YES upper bound in
  /// total loss, when one is proved (sat1: 1/16, sat2: τ²/18, satk: none).
  [[nodiscard]] virtual std::optional<Rational> gap() const = 0;

  /// The sat1 / sat2 coordinates: 0 the anchor, 1 + v variable v.
  [[nodiscard]] static Feature anchor_coord() { return Feature(0); }
  [[nodiscard]] static Feature var_coord(Var v) { return Feature(v.value() + 1); }

 protected:
  explicit SatReduction(SatChain chain) : chain_(std::move(chain)) {}
  [[nodiscard]] virtual std::vector<Assignment> candidates(const ExactNetwork& net) const = 0;
  struct Lemma {
    bool holds = true;
    std::string inequality;
  };
  /// The decoding lemma on a network with `units` units and exact loss `loss`,
  /// whose decoded target assignment violates `violated` target clauses.
  [[nodiscard]] virtual Lemma lemma(const Rational& loss, std::size_t units, std::size_t violated) const = 0;
  /// The sat1 / sat2 lemma "L < THRESHOLD ⇒ the decoded 1-in-3 assignment satisfies every
  /// clause": not applicable unless `applies` (the network's unit count; `unit_limit` says the
  /// lemma's, e.g. "one ReLU"), vacuous when L >= threshold.
  [[nodiscard]] Lemma threshold_lemma(const Rational& loss, std::size_t units, bool applies, const char* unit_limit,
                                      const char* threshold_name, const Rational& threshold,
                                      std::size_t violated) const;
  /// Contract (RELUGAP_ASSERT): source_optimum is empty, 0 or 1.
  static void check_source_optimum(const std::optional<Rational>& source_optimum);
  [[nodiscard]] nlohmann::json common_params() const;
  /// The start of every bounds(): checks source_optimum (check_source_optimum), records it,
  /// and the constants N and M; each reduction adds its own constants and bounds.
  [[nodiscard]] LossBounds common_bounds(const std::optional<Rational>& source_optimum) const;
  /// R: `r` if it is a perfect square >= 1 (Failure "reduce.anchor" otherwise), else the smallest perfect square >=
  /// max(m, 1).
  static mpz_class anchor_weight_or_default(const std::optional<mpz_class>& r, std::size_t m);
  /// scale·x_C with x_C = e_0 + Σ_i s_i e_{1+v_i} (sat1 / sat2 layout; repeated coordinates add up).
  static std::vector<std::pair<std::uint32_t, Rational>> clause_point(const OneInThreeClause& c, const Rational& scale);

  SatChain chain_;
  ExactTrainingSet data_;
};

/// §4: one ReLU, agnostic. d = N + 1 (coordinate 0 the anchor, 1 + v variable v).
/// Samples, each with its mirror (−x, y, c), in this order:
///   anchor (e_0, 1) weight R; variables (e_{1+v}, 1) weight 1;
///   clauses (x_C, 0) weight 1, x_C = e_0 + Σ_i s_i e_{1+v_i} (repeated variables add up).
/// L(w, a) = N + R + F, F = Σ_v (1 − a|w_v|)² + R(1 − a|w_0|)² + a²Σ_C ⟨w, x_C⟩² (a > 0).
/// Decoding lemma (one-unit networks): L < N + R + 1/16 ⇒ σ_v = [w_v·w_0 > 0]
/// satisfies every target clause.
class Sat1Reduction final : public SatReduction {
 public:
  /// R = anchor weight: a perfect square >= 1 (Failure "reduce.anchor" otherwise);
  /// default: the smallest perfect square >= max(M, 1).
  explicit Sat1Reduction(SatChain chain, std::optional<mpz_class> anchor_weight = std::nullopt);
  explicit Sat1Reduction(const Cnf& f, std::optional<mpz_class> anchor_weight = std::nullopt)
      : Sat1Reduction(SatChain(f, false), std::move(anchor_weight)) {}

  [[nodiscard]] std::string name() const override { return "sat1"; }
  [[nodiscard]] std::size_t units() const override { return 1; }
  [[nodiscard]] nlohmann::json params() const override;
  /// 1: [N + R, N + R]; 0: lower N + R + 1/16, no upper; none: constants only.
  [[nodiscard]] LossBounds bounds(const std::optional<Rational>& source_optimum) const override;
  /// w_0 = 1, w_{1+v} = +1 if sigma_v else −1, a = 1.
  [[nodiscard]] ExactNetwork lift_target(const Assignment& sigma) const override;
  /// N + R + Σ_C 4(T_C − 1)².
  [[nodiscard]] Rational lifted_loss(const Assignment& sigma) const override;
  [[nodiscard]] std::optional<Rational> gap() const override { return Rational(1, 16); }
  [[nodiscard]] const mpz_class& R() const { return R_; }
  [[nodiscard]] Rational yes_loss() const { return Rational(N()) + Rational(R_); }
  [[nodiscard]] Rational no_threshold() const { return yes_loss() + Rational(1, 16); }

 private:
  /// Unit j: σ_v = [w_j[1+v]·w_j[0] > 0].
  [[nodiscard]] std::vector<Assignment> candidates(const ExactNetwork& net) const override;
  [[nodiscard]] Lemma lemma(const Rational& loss, std::size_t units, std::size_t violated) const override;
  mpz_class R_;
};

/// §5: two ReLUs, realizable. d = N + 1. Samples with mirrors, in this order:
///   anchor (e_0, τ) weight R; variables (e_{1+v}, τ) weight 1; clauses (x_C/2, 0) weight 1;
///   τ = 1/⌈√(N+1)⌉ (rational; the proofs need only τ > 0).
/// Certificate w_1 = τσ, w_2 = −τσ, a = (1, 1): f = τ|⟨σ, x⟩|, loss 2τ²Σ_C (T_C − 1)².
/// Decoding lemma (networks with <= 2 units): L < τ²/18 ⇒ a_1, a_2 > 0 and
/// σ_v = [w_j[1+v]·w_j[0] > 0] (either unit) satisfies every target clause.
class Sat2Reduction final : public SatReduction {
 public:
  /// R as for Sat1Reduction.
  explicit Sat2Reduction(SatChain chain, std::optional<mpz_class> anchor_weight = std::nullopt);
  explicit Sat2Reduction(const Cnf& f, std::optional<mpz_class> anchor_weight = std::nullopt)
      : Sat2Reduction(SatChain(f, false), std::move(anchor_weight)) {}

  [[nodiscard]] std::string name() const override { return "sat2"; }
  [[nodiscard]] std::size_t units() const override { return 2; }
  [[nodiscard]] nlohmann::json params() const override;
  /// 1: [0, 0]; 0: lower τ²/18, no upper; none: constants only.
  [[nodiscard]] LossBounds bounds(const std::optional<Rational>& source_optimum) const override;
  [[nodiscard]] ExactNetwork lift_target(const Assignment& sigma) const override;
  /// 2τ²Σ_C (T_C − 1)².
  [[nodiscard]] Rational lifted_loss(const Assignment& sigma) const override;
  [[nodiscard]] std::optional<Rational> gap() const override { return tau_ * tau_ / 18; }
  [[nodiscard]] const mpz_class& R() const { return R_; }
  [[nodiscard]] const Rational& tau() const { return tau_; }

 private:
  [[nodiscard]] std::vector<Assignment> candidates(const ExactNetwork& net) const override;
  [[nodiscard]] Lemma lemma(const Rational& loss, std::size_t units, std::size_t violated) const override;
  mpz_class R_;
  Rational tau_;
};

/// §6: K >= 2 ReLUs, realizable, from POSITIVE 1-in-3-SAT (the chain adds the
/// positive step). Blocks b = 0 (anchor), 1 + v (variable v), coordinates
/// (b, A) = 2b and (b, B) = 2b + 1; d = 2(N + 1); Q = 2K + 4. Samples, all
/// weight 1, in this order:
///   P1 per block b, i = 0..K, t = i + 1/5, i + 2/5, i + 3/5, i + 4/5:
///      (e_(b,A) + t e_(b,B), Σ_{l=1..K} ReLU(t − l));
///   P2 per variable v, j0 = 3..K, ρ = 1/2, 1, …, K + 1/2:
///      (e_(v,A) + ρ e_(v,B) + Q e_(0,A) + Q j0 e_(0,B), Σ_{j<j0} [Q(j0 − j) + ρ − j] + ReLU(ρ − j0));
///   P3 per clause (a, b, c): X⁺ = block parts (1, 0) at a, b, c, anchor (Q, Q + 4), label 0;
///                            X⁻ = block parts (−1, 0) at a, b, c, anchor (Q, Q − 4), label 0.
/// Certificate: unit j has block b part (−π_b(j), 1), π_0 = id, π_v = (1 2) iff v is true; a = 1.
/// Loss of the certificate: Σ_C (T_C − 1)². Decoding lemma (networks with <= K units):
/// L = 0 ⇒ the decoded assignment is a positive 1-in-3 solution.
class SatKReduction final : public SatReduction {
 public:
  /// Contract (RELUGAP_ASSERT): k >= 2. The chain must be positive
  /// (constructed with positive = true; RELUGAP_ASSERT).
  SatKReduction(SatChain chain, std::size_t k);
  SatKReduction(const Cnf& f, std::size_t k) : SatKReduction(SatChain(f, true), k) {}

  [[nodiscard]] std::string name() const override { return "satk"; }
  [[nodiscard]] std::size_t units() const override { return k_; }
  [[nodiscard]] nlohmann::json params() const override;
  /// 1: [0, 0]; 0: no bound (every <= K-unit network has loss > 0, but no
  /// positive lower bound is proved); none: constants only.
  [[nodiscard]] LossBounds bounds(const std::optional<Rational>& source_optimum) const override;
  [[nodiscard]] ExactNetwork lift_target(const Assignment& sigma) const override;
  /// Σ_C (T_C − 1)².
  [[nodiscard]] Rational lifted_loss(const Assignment& sigma) const override;
  [[nodiscard]] std::optional<Rational> gap() const override { return std::nullopt; }
  [[nodiscard]] std::uint32_t Q() const { return static_cast<std::uint32_t>(2 * k_ + 4); }
  [[nodiscard]] static std::uint32_t coord_A(std::uint32_t block) { return 2 * block; }
  [[nodiscard]] static std::uint32_t coord_B(std::uint32_t block) { return 2 * block + 1; }
  /// Sample counts of P1, P2, P3.
  [[nodiscard]] std::array<std::size_t, 3> part_sizes() const { return parts_; }

 private:
  /// Unit j with w_j[(0,B)] != 0: anchor kink κ = −w[(0,A)]/w[(0,B)]; v is true
  /// iff w_j[(v,B)] != 0 and |−w_j[(v,A)]/w_j[(v,B)] − κ| > 1/2 (its kink on
  /// block v moved away from its anchor kink; for the unit with κ = 1 this is
  /// §6's "−w[(v,A)]/w[(v,B)] = 2").
  [[nodiscard]] std::vector<Assignment> candidates(const ExactNetwork& net) const override;
  [[nodiscard]] Lemma lemma(const Rational& loss, std::size_t units, std::size_t violated) const override;
  std::size_t k_;
  std::array<std::size_t, 3> parts_{};
};

/// Figures of the unit-ball form (docs/reductions/sat.md §7) of a SAT reduction's set,
/// computed on its exactly equivalent unweighted form fold_weights(data())
/// (every weight of these constructions is a perfect square).
struct SatUnitBall {
  std::size_t m = 0;                ///< unweighted samples
  Rational X2, Y;                   ///< max ‖x_i‖², max |y_i| (exact)
  Rational B2;                      ///< max_j ‖w_j‖²·X²/Y² of the network used (exact)
  Rational sum_abs_a;               ///< Σ_j |a_j| of that network
  std::string B_source;             ///< "certificate" or "all-false lift (maximum over all assignments)"
  std::optional<Rational> epsilon;  ///< gap()/(m·Y²), null when no gap is proved
};
/// With a certificate, B is the certificate's; without, the lift of the
/// all-false assignment, whose norm is the largest over all assignments
/// (sat1, sat2: all lifts have the same norms; satk: see docs/reductions/sat.md).
SatUnitBall sat_unit_ball(const SatReduction& r, const std::optional<ExactNetwork>& certificate);
nlohmann::json to_json(const SatUnitBall& u);

}  // namespace relugap
