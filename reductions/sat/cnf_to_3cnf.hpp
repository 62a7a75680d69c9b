#pragma once
// Any CNF -> 3-CNF (every clause has 1, 2 or 3 literals) by clause splitting
// with fresh variables; proofs in docs/reductions/sat.md §1.
//
// A clause (l_1 ∨ … ∨ l_k) with k > 3 becomes the chain
//   (l_1 ∨ l_2 ∨ y_1), (¬y_1 ∨ l_3 ∨ y_2), …, (¬y_{k-4} ∨ l_{k-2} ∨ y_{k-3}), (¬y_{k-3} ∨ l_{k-1} ∨ l_k)
// with k − 3 fresh variables y_i; clauses of 1..3 literals are copied as they
// are (tautologies and repeated literals included). An empty clause makes the
// formula unsatisfiable: it becomes the pair (e), (¬e) over one fresh variable e,
// so the output is still an unsatisfiable 3-CNF without empty clauses.
// Variables 0..n-1 of the output are the input's; fresh ones follow.
#include <cstdint>
#include <optional>
#include <vector>

#include "instances/problems/cnf.hpp"

namespace relugap {

class ThreeCnfSplit {
 public:
  /// Throws Failure (id "cnf.literal") if a literal's variable is >= f.num_vars.
  explicit ThreeCnfSplit(const Cnf& f);

  [[nodiscard]] const Cnf& formula() const { return out_; }
  [[nodiscard]] std::uint32_t source_vars() const { return source_vars_; }
  [[nodiscard]] std::size_t source_clauses() const { return source_clauses_; }
  /// The input had an empty clause (so it is unsatisfiable).
  [[nodiscard]] bool had_empty_clause() const { return empty_var_.has_value(); }
  /// Number of input clauses with more than 3 literals.
  [[nodiscard]] std::size_t split_clauses() const { return chains_.size(); }

  /// Extends an assignment of the input's variables: y_i = l_{i+2} ∨ … ∨ l_k
  /// (so the chain is satisfied iff the input clause is), e = false.
  /// Contract: a.size() >= source_vars(). Deterministic for any assignment;
  /// the result satisfies formula() iff `a` satisfies the input.
  [[nodiscard]] Assignment lift(const Assignment& a) const;
  /// Restriction to the input's variables. Contract: b.size() >= formula().num_vars.
  [[nodiscard]] Assignment decode(const Assignment& b) const;

 private:
  struct Chain {
    Clause literals;        ///< the input clause (k > 3 literals)
    std::uint32_t first_y;  ///< y_1 is Var(first_y), y_i is Var(first_y + i - 1)
  };
  Cnf out_;
  std::uint32_t source_vars_ = 0;
  std::size_t source_clauses_ = 0;
  std::vector<Chain> chains_;
  std::optional<Var> empty_var_;
};

}  // namespace relugap
