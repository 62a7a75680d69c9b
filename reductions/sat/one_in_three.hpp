#pragma once
// 1-in-3-SAT with signed literals, and Schaefer's gadget 3SAT -> 1-in-3-SAT
// (docs/reductions/sat.md §2).
//
// A 1-in-3 clause R(l_1, l_2, l_3) has three literal *positions*; it is
// satisfied iff exactly one position is true. A variable repeated in a clause
// counts once per position (R(f, f, t) forces f = false, t = true), which is
// also what every ReLU construction of sat_to_relu.hpp computes.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "instances/core/strong_vector.hpp"
#include "instances/problems/cnf.hpp"

namespace relugap {

using OneInThreeClause = std::array<Lit, 3>;

struct OneInThreeFormula {
  std::uint32_t num_vars = 0;
  StrongVector<ClauseTag, OneInThreeClause> clauses;  ///< read with a ClauseId

  [[nodiscard]] std::size_t num_clauses() const { return clauses.size(); }
  /// Number of true positions of `c` (0..3). Contract: a.size() >= num_vars.
  [[nodiscard]] static unsigned true_count(const OneInThreeClause& c, const Assignment& a);
  /// Every clause has exactly one true position.
  [[nodiscard]] bool satisfied_by(const Assignment& a) const;
  /// Number of clauses whose true count is not 1.
  [[nodiscard]] std::size_t num_violated(const Assignment& a) const;
  /// No negated literal.
  [[nodiscard]] bool is_positive() const;
  /// Throws Failure (id "onein3.literal") if a literal is 0 or out of range.
  void validate() const;
};

/// "R(-1,2,3) R(...)" (DIMACS literals), for messages and tests.
std::string to_string(const OneInThreeFormula& f);

/// Schaefer's gadget for one 3-clause (x ∨ y ∨ z), gadget variables (a, b, c, d):
///   R(¬x, a, b), R(b, y, c), R(c, d, ¬z).
/// The first (a, b, c, d) in the order (0,0,0,0), (0,0,0,1), …, (1,1,1,1)
/// (a is the most significant bit) that satisfies the gadget for the given
/// x, y, z; nullopt iff none does (iff x = y = z = false).
std::optional<std::array<bool, 4>> schaefer_gadget_solution(bool x, bool y, bool z);
/// The number of the three gadget clauses violated by (x, y, z, a, b, c, d).
unsigned schaefer_gadget_violations(bool x, bool y, bool z, const std::array<bool, 4>& abcd);

/// 3-CNF -> 1-in-3-SAT. Clauses of 1 or 2 literals repeat their last literal
/// ((x) -> (x ∨ x ∨ x), (x ∨ y) -> (x ∨ y ∨ y)). Variables 0..n-1 of the
/// output are the input's; clause i gets the fresh variables
/// a = n + 4i, b = n + 4i + 1, c = n + 4i + 2, d = n + 4i + 3 and the output
/// clauses 3i, 3i + 1, 3i + 2 in the order above.
class SchaeferReduction {
 public:
  /// Throws Failure (id "schaefer.clause") for a clause with 0 or more than 3
  /// literals, (id "cnf.literal") for a literal out of range.
  explicit SchaeferReduction(const Cnf& three_cnf);

  [[nodiscard]] const OneInThreeFormula& formula() const { return out_; }
  [[nodiscard]] std::uint32_t source_vars() const { return source_vars_; }
  /// The input clauses padded to three literals.
  [[nodiscard]] const std::vector<std::array<Lit, 3>>& padded() const { return padded_; }

  /// Extends an assignment of the input's variables: per clause the gadget
  /// variables from schaefer_gadget_solution; for a clause the assignment
  /// falsifies, the first (a, b, c, d) in the same order with the fewest
  /// violated gadget clauses. Contract: a.size() >= source_vars().
  [[nodiscard]] Assignment lift(const Assignment& a) const;
  /// Restriction to the input's variables. Contract: b.size() >= formula().num_vars.
  [[nodiscard]] Assignment decode(const Assignment& b) const;

 private:
  OneInThreeFormula out_;
  std::uint32_t source_vars_ = 0;
  std::vector<std::array<Lit, 3>> padded_;
};

}  // namespace relugap
