#pragma once
// Exhaustive, bit-parallel satisfiability for formulas over at most 24
// variables: 64 assignments per machine word. Variables 0..5 vary inside the
// word (fixed bit patterns), the others are the bits of the word's index; a
// clause is the OR of its literals' masks and the formula the AND of its
// clauses, so one pass over the 2^max(0,n-6) words decides the formula. An
// answer "unsatisfiable" is a proof by enumeration: no assignment was skipped.
#include <cstdint>
#include <optional>
#include <vector>

#include "instances/problems/cnf.hpp"

namespace relugap {

inline constexpr std::uint32_t kSatEnumerationMaxVars = 24;

struct SatEnumerationResult {
  bool satisfiable = false;
  Assignment assignment;          ///< the first satisfying assignment (lexicographic by word), when satisfiable
  std::uint64_t assignments = 0;  ///< assignments covered (2^num_vars when the pass finished)
  double seconds = 0;             ///< wall clock
};

/// Decides `f` by enumeration. Contract: f.num_vars <= kSatEnumerationMaxVars and
/// every literal in range. Returns nullopt if SIGINT/SIGTERM stopped the pass.
std::optional<SatEnumerationResult> enumerate_sat(const Cnf& f);

}  // namespace relugap
