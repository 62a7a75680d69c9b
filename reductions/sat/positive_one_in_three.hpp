#pragma once
// 1-in-3-SAT with negations -> POSITIVE 1-in-3-SAT (no negated literal, no
// variable repeated inside a clause unless the input repeats one); proofs in
// docs/reductions/sat.md §3.
//
// Forcing gadget over fresh p, q, f, g, t:
//   R(p, q, f), R(p, q, g), R(f, g, t).
// The first two clauses give f = g = 1 − p − q; the third then reads
// 2f + t = 1, so f = g = false, t = true and exactly one of p, q is true.
// For every variable x that occurs negated, a fresh complement x̄ with
//   R(x, x̄, f)
// so x̄ = ¬x; every literal ¬x is replaced by x̄. With no negated literal the
// formula is returned unchanged (no gadget). Variables 0..n-1 of the output
// are the input's; the complements follow in increasing order of x, then
// p, q, f, g, t. Clauses: the input's (rewritten, same order), then the
// complement clauses, then the three forcing clauses.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "reductions/sat/one_in_three.hpp"

namespace relugap {

class PositiveOneInThree {
 public:
  /// Throws Failure (id "onein3.literal") for a literal out of range.
  explicit PositiveOneInThree(const OneInThreeFormula& f);

  [[nodiscard]] const OneInThreeFormula& formula() const { return out_; }
  [[nodiscard]] std::uint32_t source_vars() const { return source_vars_; }
  /// The complement variable of x, if x occurs negated.
  [[nodiscard]] std::optional<Var> complement(Var x) const { return complement_[x]; }
  [[nodiscard]] std::size_t num_complements() const { return num_complements_; }
  /// The forcing gadget's variables p, q, f, g, t (present iff some complement is).
  [[nodiscard]] const std::optional<std::array<Var, 5>>& forcing() const { return forcing_; }

  /// Extends an assignment of the input's variables: x̄ = ¬x, p = t = true,
  /// q = f = g = false. The result satisfies formula() iff `a` satisfies the
  /// input. Contract: a.size() >= source_vars().
  [[nodiscard]] Assignment lift(const Assignment& a) const;
  /// Restriction to the input's variables. Contract: b.size() >= formula().num_vars.
  [[nodiscard]] Assignment decode(const Assignment& b) const;

 private:
  OneInThreeFormula out_;
  std::uint32_t source_vars_ = 0;
  StrongVector<VarTag, std::optional<Var>> complement_;
  std::size_t num_complements_ = 0;
  std::optional<std::array<Var, 5>> forcing_;
};

}  // namespace relugap
