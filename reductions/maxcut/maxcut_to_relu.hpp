#pragma once
// Max-2Lin(2) / Max-Cut -> one ReLU in the unit ball (proofs in
// docs/reductions/eps-efficient.md §1).
//
// Source: n vertices, M constraints e = (t, h, b_e) asking σ_t σ_h = b_e
// (Max-Cut: b_e = −1), max degree Δ. Degree bound D: a perfect square D = k²
// with D >= Δ (default: the smallest square >= Δ; the proofs only use
// deg(v) <= D, so rounding Δ up to a square is valid and keeps every number rational).
// Dimension d = M (one coordinate per constraint). For each vertex v:
//   x_v[e] = 1/k if v = t(e),  b_e/k if v = h(e),  0 otherwise     (‖x_v‖² = deg(v)/D <= 1).
// Samples, in this order: for v = 0..n−1: (x_v, 1), (−x_v, 1). m = 2n, all
// weights 1, labels 1. Class: one unit, output weight a = 1, ‖w‖ <= 1.
//
// With z_v = ⟨w, x_v⟩, Q(w) = Σ_v |z_v|, P(w) = Σ_v z_v² the TOTAL loss is
//   T(w) = 2n − 2Q(w) + P(w)                                   (identity, any w)
// and for SAT* = max_σ sat(σ) (the source optimum: most satisfiable constraints)
//   max_{‖w‖<=1} Q(w) = max_σ ‖Σ_v σ_v x_v‖ = 2√(SAT*/D),     ‖Σ σ_v x_v‖² = 4·sat(σ)/D
// (no regularity needed), P(w) <= P_max := 2Δ/D for ‖w‖ <= 1, and P >= Q²/n. Hence
//   2n − 4√(SAT*/D) + 4·SAT*/(D·n)  <=  OPT  <=  min(2n, 2n − 4√(SAT*/D) + P_max).
// The square roots are replaced by exact rational bounds on the safe side.
// Decoding lemma (any w != 0): σ = sign(Xw) (σ_v = +1 iff z_v >= 0) satisfies
//   4·‖w‖²·sat(σ) >= D·Q(w)²,   i.e. sat(σ) >= (D/4)·Q(w)² when ‖w‖ <= 1.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "instances/core/rational.hpp"
#include "instances/problems/lin2.hpp"
#include "instances/problems/network.hpp"
#include "instances/problems/training_set.hpp"
#include "reductions/common/reduction.hpp"
#include "reductions/maxcut/eps_common.hpp"

namespace relugap {

/// Exact parts of the loss of one unit w: T = 2n − 2Q + P.
struct MaxCutLossParts {
  Rational Q, P, norm2, total;
};

class MaxCutReduction final : public Reduction {
 public:
  /// Throws Failure ("maxcut.empty") without constraints, ("lin2.*") for an
  /// invalid instance, ("maxcut.degree") if degree_bound < max degree.
  /// degree_bound: D before rounding up to a perfect square (default: the max degree).
  explicit MaxCutReduction(Lin2Instance instance, std::optional<std::uint32_t> degree_bound = std::nullopt);

  [[nodiscard]] std::string name() const override { return "maxcut"; }
  [[nodiscard]] std::size_t units() const override { return 1; }
  [[nodiscard]] const ExactTrainingSet& data() const override { return data_; }
  /// Moves the set out (data() is an empty set of the same dimension
  /// afterwards): for a command that writes the set last.
  [[nodiscard]] ExactTrainingSet release_data() { return std::exchange(data_, ExactTrainingSet(data_.dim)); }
  [[nodiscard]] nlohmann::json params() const override;
  /// source_optimum = SAT* (contract: an integer in [0, M]):
  /// lower = rational <= 2n − 4√(SAT*/D) + 4SAT*/(Dn), upper = rational >= min(2n, 2n − 4√(SAT*/D) + P_max).
  /// Constants always: n, M, D, k, max_degree, P_max.
  [[nodiscard]] LossBounds bounds(const std::optional<Rational>& source_optimum) const override;
  /// SAT* known only to lie in [sat_lo, sat_hi]: lower from sat_hi, upper from sat_lo.
  [[nodiscard]] LossBounds bounds_between(const std::optional<Rational>& sat_lo,
                                          const std::optional<Rational>& sat_hi) const;
  /// Decodes σ = sign(Xw) and checks 4‖w‖²·sat(σ) >= D·Q(w)² exactly.
  /// Throws Failure "reduce.network" unless one unit of dimension data().dim.
  [[nodiscard]] DecodeCheck decode_check(const Network& net) const override { return decode_check(to_exact(net)); }
  [[nodiscard]] DecodeCheck decode_check(const ExactNetwork& net) const;

  [[nodiscard]] const Lin2Instance& instance() const { return inst_; }
  [[nodiscard]] std::uint32_t n() const { return inst_.n; }
  [[nodiscard]] std::size_t M() const { return inst_.cons.size(); }
  [[nodiscard]] std::uint32_t D() const { return D_; }  ///< the perfect-square degree bound
  [[nodiscard]] std::uint32_t k() const { return k_; }  ///< √D
  [[nodiscard]] std::uint32_t max_degree() const { return max_deg_; }
  [[nodiscard]] Rational P_max() const { return exact_ratio(2 * max_deg_, D_); }

  /// Rational lower bound on the total loss of every ‖w‖ <= 1 when SAT* <= sat.
  [[nodiscard]] Rational total_lower(const Rational& sat) const;
  /// Rational upper bound on OPT (total) when SAT* >= sat.
  [[nodiscard]] Rational total_upper(const Rational& sat) const;

  /// The certificate of σ: w = r·u, u = Σ σ_v x_v, r = lo/‖u‖² with lo the
  /// rational lower bound of ‖u‖ = 2√(sat(σ)/D) used in total_upper(sat(σ)),
  /// so ‖w‖ <= 1 and T(w) <= total_upper(sat(σ)) (checked exactly by the tests). a = 1.
  /// w = 0 when sat(σ) = 0. Contract: sigma.size() >= n().
  [[nodiscard]] ExactNetwork lift(const VertexSigns& sigma) const;
  /// σ_v = (⟨w, x_v⟩ >= 0) for the single unit's w.
  [[nodiscard]] VertexSigns decode(const ExactNetwork& net) const;
  [[nodiscard]] VertexSigns decode(const Network& net) const { return decode(to_exact(net)); }
  /// Q, P, ‖w‖² of the unit's w, and T = 2n − 2Q + P (equal to the loss when a = 1).
  [[nodiscard]] MaxCutLossParts loss_parts(const ExactNetwork& net) const;
  /// ‖Σ_v σ_v x_v‖² (exact; equals 4·sat(σ)/D).
  [[nodiscard]] Rational sigma_norm2(const VertexSigns& sigma) const;

  /// The unit-ball block for the promise "SAT* >= c·M (YES) vs SAT* <= s·M (NO)":
  /// yes_upper = total_upper(⌈cM⌉)/2n, no_lower = total_lower(⌊sM⌋)/2n (mean loss).
  /// Either threshold may be missing (its side is then null).
  [[nodiscard]] UnitBallBlock unit_ball(const std::optional<Rational>& c, const std::optional<Rational>& s) const;

 private:
  [[nodiscard]] Rational q_hi(const Rational& sat) const;  ///< >= 2√(sat/D)
  [[nodiscard]] Rational q_lo(const Rational& sat) const;  ///< <= 2√(sat/D), nondecreasing in sat
  /// k·⟨w, x_v⟩ for the single unit's w (decode's sign, loss_parts' z before the 1/k).
  [[nodiscard]] Rational margin(const ExactNetwork& net, Vertex v) const;
  Lin2Instance inst_;
  std::uint32_t D_ = 1, k_ = 1, max_deg_ = 0;
  ExactTrainingSet data_;
  StrongVector<VertexTag, std::vector<std::pair<Feature, int>>>
      incident_;  ///< per vertex: (constraint's coordinate, coefficient sign)
};

}  // namespace relugap
