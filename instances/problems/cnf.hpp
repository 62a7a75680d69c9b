#pragma once
// A CNF formula over variables 0..num_vars-1.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "instances/core/index.hpp"
#include "instances/core/strong_vector.hpp"

namespace relugap {

/// A literal in DIMACS convention: +v or -v for variable v >= 1.
class Lit {
 public:
  constexpr Lit() = default;
  /// Contract: dimacs != 0.
  constexpr explicit Lit(std::int32_t dimacs) : d_(dimacs) {}
  static constexpr Lit positive(Var v) { return Lit(static_cast<std::int32_t>(v.value()) + 1); }
  static constexpr Lit negative(Var v) { return Lit(-static_cast<std::int32_t>(v.value()) - 1); }
  [[nodiscard]] constexpr Var var() const { return Var(static_cast<std::uint32_t>(d_ < 0 ? -d_ : d_) - 1); }
  [[nodiscard]] constexpr bool negated() const { return d_ < 0; }
  [[nodiscard]] constexpr std::int32_t dimacs() const { return d_; }
  [[nodiscard]] constexpr Lit operator~() const { return Lit(-d_); }
  /// Truth value under an assignment (assignment[v] = value of variable v).
  [[nodiscard]] bool eval(const Assignment& assignment) const { return assignment[var()] != negated(); }
  constexpr auto operator<=>(const Lit&) const = default;

 private:
  std::int32_t d_ = 0;
};

using Clause = std::vector<Lit>;

struct Cnf {
  std::uint32_t num_vars = 0;
  StrongVector<ClauseTag, Clause> clauses;  ///< indexed by ClauseId (DIMACS clause k is ClauseId(k-1))

  [[nodiscard]] std::size_t num_clauses() const { return clauses.size(); }
  /// Contract: assignment.size() >= num_vars. True iff every clause has a true literal.
  [[nodiscard]] bool satisfied_by(const Assignment& assignment) const;
  /// Index of the first falsified clause, or num_clauses() if none.
  [[nodiscard]] std::size_t first_violated(const Assignment& assignment) const;
  /// Total number of literal occurrences.
  [[nodiscard]] std::size_t num_literals() const;
};

}  // namespace relugap
