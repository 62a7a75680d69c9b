#pragma once
// SAT through the CaDiCaL library. A satisfying assignment is re-checked
// against the formula (Cnf::satisfied_by) before it is reported. UNSAT is
// proved when it can be (SatSolveOptions::prove_unsat, on by default):
//  - at most kSatEnumerationMaxVars (24) variables: by exhaustive bit-parallel
//    enumeration (solvers/sat_enumerate), "unsat (proved: enumeration)";
//  - above that: CaDiCaL writes a binary DRAT proof, which the project's own
//    checker (solvers/drat_check) verifies, "unsat (proved: DRAT checked)".
// An UNSAT answer whose proof is not checked (too slow, rejected, disabled)
// stays kInfeasible on CaDiCaL's word: "unsat (cadical, no proof)". Callers
// must treat only unsat_proved() answers as theorems.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instances/problems/cnf.hpp"
#include "solvers/common/solve_status.hpp"
#include "solvers/source/sat_enumerate.hpp"

namespace relugap {

struct SatSolveOptions {
  std::optional<double> time_limit_seconds;  ///< wall-clock limit (checked by a terminator)
  std::optional<int> conflict_limit;         ///< CaDiCaL "conflicts" limit
  bool prove_unsat = true;                   ///< prove an UNSAT answer (enumeration or checked DRAT)
  /// Wall clock for checking the proof; unset: time_limit_seconds (if any), else unlimited.
  /// A proof not checked in time leaves the answer unproved.
  std::optional<double> proof_time_limit_seconds;
};

/// How an UNSAT answer is proved.
enum class UnsatProof {
  kNone,         ///< CaDiCaL's word only
  kEmptyClause,  ///< the formula contains the empty clause
  kEnumeration,  ///< every assignment falsifies some clause (bit-parallel enumeration)
  kDrat,         ///< CaDiCaL's DRAT proof, verified by solvers/drat_check
};

struct SatSolveResult {
  /// kOptimal: satisfiable, `assignment` satisfies the formula (checked);
  /// kInfeasible: CaDiCaL reports UNSAT (no proof);
  /// kTimeLimit: a limit stopped the search; kInterrupted: SIGINT/SIGTERM;
  /// kError: the solver failed, or its model does not satisfy the formula.
  SolveStatus status = SolveStatus::kError;
  Assignment assignment;                 ///< num_vars values when status == kOptimal, else empty
  std::string detail;                    ///< e.g. "cadical 1.5.3: 10 (satisfiable), model checked"
  UnsatProof proof = UnsatProof::kNone;  ///< with kInfeasible: how UNSAT is proved
  double proof_seconds = 0;              ///< wall clock spent proving / checking UNSAT (0 if not tried)
  std::string proof_detail;              ///< what the proof step did, or why UNSAT stays unproved

  /// kInfeasible with a proof (empty clause, enumeration, or checked DRAT).
  [[nodiscard]] bool unsat_proved() const { return status == SolveStatus::kInfeasible && proof != UnsatProof::kNone; }

  /// "sat (cadical, model checked)", "unsat (proved: enumeration)", "unsat (proved: DRAT checked)",
  /// "unsat (proved: empty clause)", "unsat (cadical, no proof)", "unknown (cadical, time limit)", ...
  [[nodiscard]] std::string status_text() const;
};

/// Solves `f`. An empty clause gives kInfeasible at once. Throws nothing
/// for well-formed input; a literal out of range gives kError.
SatSolveResult solve_sat_cadical(const Cnf& f, const SatSolveOptions& opts = {});

/// CaDiCaL's version string.
std::string cadical_version();

}  // namespace relugap
