#pragma once
// SAT through the CaDiCaL library. A satisfying assignment is re-checked
// against the formula (Cnf::satisfied_by) before it is reported; UNSAT is
// reported as kInfeasible on CaDiCaL's word alone (no proof is produced or
// checked), so callers must say so: status_text() gives "unsat (cadical, no proof)".
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instances/cnf.hpp"
#include "solvers/solve_status.hpp"

namespace relugap {

struct SatSolveOptions {
  std::optional<double> time_limit_seconds;  ///< wall-clock limit (checked by a terminator)
  std::optional<int> conflict_limit;         ///< CaDiCaL "conflicts" limit
};

struct SatSolveResult {
  /// kOptimal: satisfiable, `assignment` satisfies the formula (checked);
  /// kInfeasible: CaDiCaL reports UNSAT (no proof);
  /// kTimeLimit: a limit stopped the search; kInterrupted: SIGINT/SIGTERM;
  /// kError: the solver failed, or its model does not satisfy the formula.
  SolveStatus status = SolveStatus::kError;
  std::vector<bool> assignment;  ///< num_vars values when status == kOptimal, else empty
  std::string detail;            ///< e.g. "cadical 1.5.3: 10 (satisfiable), model checked"

  /// "sat (cadical, model checked)", "unsat (cadical, no proof)", "unknown (cadical, time limit)", ...
  [[nodiscard]] std::string status_text() const;
};

/// Solves `f`. An empty clause gives kInfeasible at once. Throws nothing
/// for well-formed input; a literal out of range gives kError.
SatSolveResult solve_sat_cadical(const Cnf& f, const SatSolveOptions& opts = {});

/// CaDiCaL's version string.
std::string cadical_version();

}  // namespace relugap
