#include "reductions/sat/cnf_to_3cnf.hpp"

#include <string>

#include "instances/core/error.hpp"

namespace relugap {

ThreeCnfSplit::ThreeCnfSplit(const Cnf& f) : source_vars_(f.num_vars), source_clauses_(f.num_clauses()) {
  std::uint32_t next = f.num_vars;
  for (ClauseId i : f.clauses.indices())
    for (Lit l : f.clauses[i])
      if (l.dimacs() == 0 || l.var().value() >= f.num_vars)
        fail("cnf.literal", "", 0,
             "clause " + std::to_string(i.value() + 1) + " has literal " + std::to_string(l.dimacs()) + " outside 1.." +
                 std::to_string(f.num_vars));
  for (const Clause& c : f.clauses) {
    if (c.empty()) {
      if (!empty_var_) {
        empty_var_ = Var(next++);
        out_.clauses.push_back({Lit::positive(*empty_var_)});
        out_.clauses.push_back({Lit::negative(*empty_var_)});
      }
      continue;
    }
    if (c.size() <= 3) {
      out_.clauses.push_back(c);
      continue;
    }
    const std::size_t k = c.size();
    Chain ch{c, next};
    next += static_cast<std::uint32_t>(k - 3);
    auto y = [&](std::size_t i) { return Var(ch.first_y + static_cast<std::uint32_t>(i - 1)); };  // 1-based
    out_.clauses.push_back({c[0], c[1], Lit::positive(y(1))});
    for (std::size_t i = 1; i + 3 < k; ++i)
      out_.clauses.push_back({Lit::negative(y(i)), c[i + 1], Lit::positive(y(i + 1))});
    out_.clauses.push_back({Lit::negative(y(k - 3)), c[k - 2], c[k - 1]});
    chains_.push_back(std::move(ch));
  }
  out_.num_vars = next;
}

Assignment ThreeCnfSplit::lift(const Assignment& a) const {
  Assignment b(out_.num_vars, false);
  for (std::uint32_t v = 0; v < source_vars_; ++v) b[Var(v)] = a[Var(v)];
  for (const Chain& ch : chains_) {
    const std::size_t k = ch.literals.size();
    // y_i = l_{i+2} ∨ … ∨ l_k (1-based literals), computed from the tail.
    bool tail = ch.literals[k - 1].eval(a) || ch.literals[k - 2].eval(a);
    for (std::size_t i = k - 3; i >= 1; --i) {
      b[Var(static_cast<std::uint32_t>(ch.first_y + i - 1))] = tail;
      tail = tail || ch.literals[i].eval(a);  // adds l_{i+1} for y_{i-1}
    }
  }
  return b;
}

Assignment ThreeCnfSplit::decode(const Assignment& b) const { return b.prefix(source_vars_); }

}  // namespace relugap
