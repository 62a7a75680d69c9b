#pragma once
// Densest-subgraph-type source -> one ReLU in the unit ball (proofs in
// docs/reductions/eps-efficient.md §3).
//
// Input: a simple graph G on n >= 2 vertices, max degree Δ, and ρ = k², a
// perfect square with ρ >= 2Δ. Coordinates: one per edge, then 4 private
// coordinates per vertex; d = |E| + 4n. For each vertex v
//   y_v[e] = 1 for every edge e ∋ v,  private block of v = (p, q, r, s) with p²+q²+r²+s² = ρ − 2deg(v)
// (Lagrange's four squares), so ⟨y_u, y_v⟩ = A_uv (u != v), ‖y_v‖² = ρ − deg(v), and every
// row of the Gram matrix K sums to ρ. Centred and scaled: x_v = (y_v − ȳ)/k, ȳ = mean of y.
// Samples (x_v, 1), v = 0..n−1 (NOT mirrored), m = n, weight 1. Class: one unit, a = 1, ‖w‖ <= 1.
//
// For a vertex set T with t = |T|:  Φ(T) := k²‖Σ_{v∈T} x_v‖² = ρ·t(n−t)/n − cut(T, V∖T);
// for a d-regular graph Φ(T) = ρt(n−t)/n − dt + 2E(T). With Φ* = max_T Φ(T) (T = ∅ allowed):
//   T(w) = n − 2Q⁺(w) + P⁺(w),  Q⁺ = Σ ReLU(z_v), P⁺ = Σ ReLU(z_v)²,  z_v = ⟨w, x_v⟩
//   max_{‖w‖<=1} Q⁺ = √Φ*/k,   Q⁺²/n <= P⁺ <= 1
//   n − 2√Φ*/k + Φ*/(k²n)  <=  OPT  <=  min(n, n − 2√Φ*/k + 1).
// Densest κ-Subgraph (d-regular G, 2 <= κ <= n, τ = max edges in a κ-set):
//   Φ* >= ρκ(n−κ)/n − dκ + 2τ,   Φ* <= max_t [ρt(n−t)/n − dt + 2U_τ(t)],
//   U_τ(t) = min(C(t,2), ⌊dt/2⌋, |E|, τ if t <= κ else ⌊τ·t(t−1)/(κ(κ−1))⌋).
// Decoding lemma (any w != 0): T = {v : z_v > 0} has k²Q⁺(w)² <= ‖w‖²Φ(T); with κ, the greedy
// κ-set S (peel a vertex of fewest neighbours inside while |S| > κ, add one of most neighbours
// while |S| < κ) has E(S) >= E(T)·min(1, κ(κ−1)/(t(t−1))).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instances/problems/graph.hpp"
#include "instances/problems/network.hpp"
#include "instances/problems/training_set.hpp"
#include "reductions/common/reduction.hpp"
#include "reductions/maxcut/eps_common.hpp"

namespace relugap {

/// Four integers whose squares sum to x (Lagrange). Contract: x < 2^40.
std::array<std::uint64_t, 4> four_squares(std::uint64_t x);

struct DksBallLossParts {
  Rational Qp, Pp, norm2, total;  ///< total = n − 2Q⁺ + P⁺
};

class DksUnitBallReduction final : public Reduction {
 public:
  /// kappa: the DkS size (needs a d-regular graph, 2 <= κ <= n); then ρ defaults to the
  /// smallest square >= max(2Δ, nd/(n − 2κ)) (κ < n/2) so that ρt(n−t)/n − dt peaks near t = κ.
  /// Without κ, ρ defaults to the smallest square >= 2Δ. rho: an explicit lower bound for ρ
  /// (rounded up to a square, and to >= 2Δ). Throws Failure ("dksball.*") on bad input.
  DksUnitBallReduction(Graph g, std::optional<std::uint32_t> kappa, std::optional<std::uint64_t> rho = std::nullopt);

  [[nodiscard]] std::string name() const override { return "dks-ball"; }
  [[nodiscard]] std::size_t units() const override { return 1; }
  [[nodiscard]] const ExactTrainingSet& data() const override { return data_; }
  [[nodiscard]] nlohmann::json params() const override;
  /// With κ: source_optimum = τ (DkS optimum); without κ: source_optimum = Φ*.
  [[nodiscard]] LossBounds bounds(const std::optional<Rational>& source_optimum) const override;
  [[nodiscard]] DecodeCheck decode_check(const Network& net) const override { return decode_check(to_exact(net)); }
  [[nodiscard]] DecodeCheck decode_check(const ExactNetwork& net) const;

  [[nodiscard]] const Graph& graph() const { return g_; }
  [[nodiscard]] std::uint32_t n() const { return g_.num_vertices(); }
  [[nodiscard]] std::uint64_t rho() const { return rho_; }
  [[nodiscard]] std::uint64_t k() const { return k_; }
  [[nodiscard]] std::optional<std::uint32_t> kappa() const { return kappa_; }
  [[nodiscard]] std::optional<std::uint32_t> regular_degree() const { return d_; }

  /// Φ(T) = ρt(n−t)/n − cut(T) (chosen[v] = v ∈ T).
  [[nodiscard]] Rational phi(const VertexSet& chosen) const;
  /// k²‖Σ_{v∈T} x_v‖² computed from the vectors themselves (tests compare with phi()).
  [[nodiscard]] Rational phi_from_vectors(const VertexSet& chosen) const;
  /// max_T Φ(T) by enumeration (Gray code), with a maximiser. Contract (RELUGAP_ASSERT): n <= 26.
  [[nodiscard]] std::pair<Rational, VertexSet> phi_max_bruteforce() const;
  /// Φ range implied by the DkS optimum τ (needs κ): [lower, upper].
  [[nodiscard]] std::pair<Rational, Rational> phi_range_from_tau(std::uint64_t tau) const;
  /// Loss bounds (total) from Φ* known to lie in [phi_lo, phi_hi].
  [[nodiscard]] Rational total_lower(const Rational& phi_hi) const;
  [[nodiscard]] Rational total_upper(const Rational& phi_lo) const;

  /// Certificate of a vertex set T: w = r·Σ_{v∈T} x_v with r = lo/‖u‖², lo the rational lower
  /// bound of ‖u‖ = √Φ(T)/k used in total_upper(Φ(T)); ‖w‖ <= 1 and T(w) <= total_upper(Φ(T)).
  [[nodiscard]] ExactNetwork lift(const VertexSet& chosen) const;
  [[nodiscard]] DksBallLossParts loss_parts(const ExactNetwork& net) const;
  /// T = {v : ⟨w, x_v⟩ > 0}.
  [[nodiscard]] VertexSet decode_set(const ExactNetwork& net) const;
  /// The greedy κ-set from T (see above). Needs κ.
  [[nodiscard]] VertexSet to_kappa_set(VertexSet chosen) const;

  /// Unit-ball block. With κ: YES = "τ >= tau_yes", NO = "τ <= tau_no" (edge counts);
  /// without κ: YES = "Φ* >= tau_yes", NO = "Φ* <= tau_no".
  [[nodiscard]] UnitBallBlock unit_ball(const std::optional<Rational>& yes, const std::optional<Rational>& no) const;

 private:
  Graph g_;
  std::optional<std::uint32_t> kappa_, d_;
  std::uint64_t rho_ = 0, k_ = 0;
  std::uint32_t max_deg_ = 0;
  ExactTrainingSet data_;
  StrongVector<VertexTag, std::vector<std::pair<std::uint32_t, Rational>>> y_;  ///< uncentred rows (sparse)
  std::vector<Rational> ybar_;                                                  ///< dense mean of y
};

}  // namespace relugap
