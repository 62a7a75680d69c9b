#include "solvers/common/solve_status.hpp"

namespace relugap {

std::string_view to_string(SolveStatus s) {
  switch (s) {
    case SolveStatus::kOptimal:
      return "optimal";
    case SolveStatus::kFeasible:
      return "feasible";
    case SolveStatus::kInfeasible:
      return "infeasible";
    case SolveStatus::kTimeLimit:
      return "time_limit";
    case SolveStatus::kInterrupted:
      return "interrupted";
    case SolveStatus::kError:
      return "error";
  }
  return "unknown";
}

}  // namespace relugap
