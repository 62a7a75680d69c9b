#pragma once
// Densest κ-Subgraph: the result every DkS solver returns, and small shared
// helpers. τ(G, κ) = max number of edges with both ends in a κ-subset.
#include <cstdint>
#include <vector>

#include "instances/problems/graph.hpp"
#include "solvers/common/solve_status.hpp"

namespace relugap {

struct DksResult {
  /// kOptimal only when `edges` is proved maximal (then upper_bound == edges);
  /// kFeasible when `set` is a valid κ-set whose optimality was not proved.
  SolveStatus status = SolveStatus::kError;
  std::vector<Vertex> set;        ///< κ distinct vertices, increasing
  std::uint64_t edges = 0;        ///< edges inside `set` (a lower bound on τ)
  std::uint64_t upper_bound = 0;  ///< proved: τ ≤ upper_bound (always ≥ edges)
  std::uint64_t nodes = 0;        ///< search nodes (0 for non-search methods)
  double seconds = 0;             ///< wall time
  /// dks_exact only: the branch and bound was not run (its bitsets would exceed
  /// DksExactOptions::max_search_bytes); upper_bound is the trivial bound.
  bool search_skipped = false;
};

/// Throws Failure "reduce.kappa" unless 1 ≤ κ ≤ n.
void check_kappa(const Graph& g, std::uint32_t kappa);

/// Edges with both ends in `set`. Contract: distinct vertices < n.
std::uint64_t dks_edges_inside(const Graph& g, const std::vector<Vertex>& set);

/// The cheap bound τ ≤ min(C(κ,2), |E|, ⌊½ Σ of the κ largest min(deg v, κ−1)⌋),
/// valid because every vertex of a κ-set has at most min(deg v, κ−1) neighbours in it.
std::uint64_t dks_trivial_upper_bound(const Graph& g, std::uint32_t kappa);

}  // namespace relugap
