#pragma once
// Exact Densest κ-Subgraph: branch and bound on bitsets, with a sound upper
// bound (docs/reductions/densest-subgraph.md, "The exact solver"), a heuristic
// incumbent, and time / node limits after which it reports the best set and
// the best *proved* upper bound. Plus brute force for tiny graphs (tests).
#include <cstdint>
#include <limits>
#include <optional>

#include "instances/problems/graph.hpp"
#include "solvers/source/dks_common.hpp"
#include "solvers/source/dks_heuristic.hpp"

namespace relugap {

struct DksExactOptions {
  double time_limit = std::numeric_limits<double>::infinity();  ///< seconds (wall clock, includes the heuristic)
  std::optional<std::uint64_t> node_limit;                      ///< stop after this many search nodes
  bool use_heuristic = true;  ///< start from dks_heuristic's set (else from the first κ vertices of the order)
  /// The search holds two n × n bitsets (adjacency and colour classes, n²/4 bytes). Above
  /// this many bytes it is skipped: the incumbent is returned with dks_trivial_upper_bound
  /// (kFeasible unless they meet) and DksResult::search_skipped set. (A 200 000-vertex
  /// graph would need 10 GB.)
  std::uint64_t max_search_bytes = std::uint64_t{1} << 30;
  DksHeuristicOptions heuristic;
};

/// Maximises edges inside a κ-subset (see max_search_bytes for large graphs). Returns kOptimal (upper_bound == edges)
/// only when the search completed or a proved bound meets the incumbent;
/// after a time or node limit returns kFeasible with the best set found and
/// the best proved upper bound (≥ edges); after SIGINT/SIGTERM (instances/
/// interrupt.hpp, polled every 32 nodes) the same with kInterrupted. Throws Failure "reduce.kappa" unless
/// 1 ≤ κ ≤ n.
DksResult dks_exact(const Graph& g, std::uint32_t kappa, const DksExactOptions& opt = {});

/// Enumerates every κ-subset (lexicographic; the first best wins). Throws
/// Failure "reduce.kappa" unless 1 ≤ κ ≤ n; contract (RELUGAP_ASSERT): C(n, κ) ≤ 2·10^8.
DksResult dks_brute_force(const Graph& g, std::uint32_t kappa);

}  // namespace relugap
