#pragma once
// How a solver ended. Fold it explicitly (switch without default) so a new
// status is a compile error everywhere it matters.
#include <string_view>

namespace relugap {

enum class SolveStatus {
  kOptimal,      ///< optimum found and proved
  kFeasible,     ///< a solution found, optimality not proved (time limit, heuristic)
  kInfeasible,   ///< proved there is no solution (e.g. UNSAT, uncoverable)
  kTimeLimit,    ///< stopped by the time limit without any solution
  kInterrupted,  ///< stopped by a signal
  kError,        ///< the solver failed
};

std::string_view to_string(SolveStatus s);

}  // namespace relugap
