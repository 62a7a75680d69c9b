#pragma once
// Set cover solvers: exact by integer programming (COIN-OR CBC), greedy (an
// upper bound only), and brute force for tiny instances (tests).
//
// Every solver re-checks the cover it returns with SetCoverInstance::is_cover
// and recomputes its cost from the instance; a solver that hands back a
// non-cover yields status kError, never a wrong answer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instances/core/index.hpp"
#include "instances/problems/set_cover.hpp"
#include "solvers/common/solve_status.hpp"

namespace relugap {

struct SetCoverSolution {
  /// kOptimal: `cover` is a minimum-cost cover. kFeasible: `cover` is a cover,
  /// optimality not proved. kInfeasible: some element is in no set (cover
  /// empty). kTimeLimit: stopped without a cover. kInterrupted: stopped by
  /// SIGINT/SIGTERM (cover = incumbent if has_cover). kError: solver failure.
  SolveStatus status = SolveStatus::kError;
  /// True iff `cover` holds a verified cover (kOptimal, kFeasible, and
  /// kInterrupted when an incumbent existed).
  bool has_cover = false;
  std::vector<SetId> cover;  ///< sorted set ids (0-based)
  std::int64_t cost = 0;     ///< recomputed from the instance
  /// A proved lower bound on the optimum (= cost when optimal).
  std::optional<std::int64_t> lower_bound;
  double seconds = 0;
  std::string solver;   ///< "cbc", "greedy", "brute-force"
  std::string message;  ///< solver remark (e.g. why it failed); may be empty
};

struct CbcOptions {
  /// Wall-clock limit in seconds; <= 0 means none.
  double time_limit = 0;
  /// Under a time limit, run CBC in a forked child process that is stopped (SIGKILL) if it
  /// has not returned 0.9 s after the deadline: CBC's initial solve reads no clock and ran
  /// tens of seconds past the limit at 10⁶ incidences. Stopped there, the result is
  /// kTimeLimit with no cover and no bound from CBC (the root LP bound if it was solved
  /// first). false: CBC in this process (the deadline is then checked only at CBC's and
  /// CLP's events). No effect without a time limit, nor in a process that runs more than one
  /// thread (fork() is unsafe there: CBC then runs in this process).
  bool separate_process = true;
  /// 0 = silent (default); CBC's own log level otherwise (goes to stdout).
  int log_level = 0;
};

/// Exact: min Σ c_j x_j s.t. Σ_{j∋u} x_j >= 1 for every element u, x binary,
/// solved with CBC's standard branch-and-cut (CbcMain: presolve, cuts,
/// heuristics). On a time limit with an incumbent: kFeasible with CBC's
/// proved lower bound (rounded up, costs are integers). Under a time limit the solve runs
/// in a child process (CbcOptions::separate_process); SIGINT/SIGTERM received by this
/// process are passed on to it.
SetCoverSolution solve_set_cover_cbc(const SetCoverInstance& inst, const CbcOptions& opt = {});

/// Greedy: repeatedly take the set with the least cost per newly covered
/// element (exact comparison, lowest index on ties), then drop sets made
/// redundant, most expensive first. Status kFeasible (an upper bound only), or
/// kInfeasible when some element is in no set.
SetCoverSolution solve_set_cover_greedy(const SetCoverInstance& inst);

/// Exhaustive search over all 2^m selections. Contract: num_sets() <= 26
/// (RELUGAP_ASSERT otherwise). kOptimal or kInfeasible.
SetCoverSolution solve_set_cover_brute_force(const SetCoverInstance& inst);

}  // namespace relugap
