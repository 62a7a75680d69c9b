#pragma once
// The verifier's own re-check of a decoded source solution against the source
// instance, independent of the reduction that decoded it: cover validity and
// cost recomputed from the set cover instance, a κ-set's size and the edges
// inside it counted from the graph, the clauses an assignment satisfies
// counted from the CNF.
#include <cstdint>
#include <functional>
#include <string>
#include <variant>

#include "instances/core/rational.hpp"
#include "instances/problems/cnf.hpp"
#include "instances/problems/graph.hpp"
#include "instances/problems/lin2.hpp"
#include "instances/problems/set_cover.hpp"
#include "reductions/common/reduction.hpp"

namespace relugap {

/// A source instance as the verifier and the pipeline see it.
using SourceInstance = std::variant<SetCoverInstance, Graph, Cnf, Lin2Instance>;

struct SourceCheck;

/// The source problem: the instance and, for densest κ-subgraph, κ.
struct SourceProblem {
  const SourceInstance* instance = nullptr;  ///< not owned; null = unknown
  std::uint32_t kappa = 0;                   ///< dks only
  /// The family's own re-check (ReductionFamily::recheck); empty: check_source_solution.
  std::function<SourceCheck(const DecodedSolution&)> checker;
};

struct SourceCheck {
  bool provided = false;  ///< the decoded solution was given, and of the source's kind
  bool valid = false;     ///< a valid source solution (cover / κ-set / total assignment)
  Rational value;         ///< cover cost, edges inside, or 1 / 0 (the assignment satisfies every clause / not)
  std::string detail;     ///< what was found, or why it is invalid
};

/// Re-checks `sol` against `p`. Value conventions match Reduction::bounds'
/// source optimum: set cover -> cost, dks -> edges inside the κ-set, CNF -> 1
/// iff every clause is satisfied. Contract: p.instance != nullptr.
SourceCheck check_source_solution(const SourceProblem& p, const DecodedSolution& sol);

}  // namespace relugap
