#pragma once
// Densest κ-Subgraph heuristics: greedy peeling, greedy growth and 1-swap
// local search. Deterministic: every tie goes to the lowest vertex id.
#include <cstdint>
#include <limits>
#include <vector>

#include "instances/problems/graph.hpp"
#include "solvers/source/dks_common.hpp"

namespace relugap {

/// Greedy peeling: repeatedly removes a vertex of minimum degree in the
/// remaining graph (lowest id on ties) until κ remain. Throws
/// Failure "reduce.kappa" unless 1 ≤ κ ≤ n.
std::vector<Vertex> dks_greedy_peel(const Graph& g, std::uint32_t kappa);

/// Greedy growth from `start`: repeatedly adds the outside vertex with the
/// most neighbours in the set (lowest id on ties) until it has κ vertices.
std::vector<Vertex> dks_greedy_grow(const Graph& g, std::uint32_t kappa, Vertex start);

/// 1-swap local search: while some (u in S, v not in S) swap increases the
/// number of edges inside, applies the best one (lowest ids on ties).
/// Returns a set of the same size with at least as many edges inside.
std::vector<Vertex> dks_local_swap(const Graph& g, std::vector<Vertex> set,
                                   double time_limit = std::numeric_limits<double>::infinity());

struct DksHeuristicOptions {
  std::uint32_t grow_starts = 64;  ///< greedy growth from this many highest-degree vertices
  std::uint32_t polish = 8;        ///< local search on this many of the best distinct starting sets
  /// Wall-clock seconds: past it no further growth start or swap is tried (the peel and the
  /// first start always run), and the best set so far is returned.
  double time_limit = std::numeric_limits<double>::infinity();
};

/// Peeling + greedy growth from several starts, the best few improved by
/// local search. status is kOptimal only when the set meets
/// dks_trivial_upper_bound (e.g. a κ-clique); otherwise kFeasible with
/// upper_bound = that trivial bound.
DksResult dks_heuristic(const Graph& g, std::uint32_t kappa, const DksHeuristicOptions& opt = {});

}  // namespace relugap
