#include "reductions/sat/positive_one_in_three.hpp"

namespace relugap {

PositiveOneInThree::PositiveOneInThree(const OneInThreeFormula& f) : source_vars_(f.num_vars), complement_(f.num_vars) {
  f.validate();
  for (const auto& c : f.clauses)
    for (Lit l : c)
      if (l.negated()) complement_[l.var()] = Var(0);  // marked; numbered below
  std::uint32_t next = f.num_vars;
  for (auto& comp : complement_)
    if (comp) {
      comp = Var(next++);
      ++num_complements_;
    }
  if (num_complements_ > 0) {
    forcing_ = std::array<Var, 5>{Var(next), Var(next + 1), Var(next + 2), Var(next + 3), Var(next + 4)};
    next += 5;
  }
  out_.num_vars = next;
  out_.clauses.reserve(f.clauses.size() + num_complements_ + 3);
  for (const auto& c : f.clauses) {
    OneInThreeClause p = c;
    for (Lit& l : p)
      if (l.negated()) l = Lit::positive(*complement_[l.var()]);
    out_.clauses.push_back(p);
  }
  if (forcing_) {
    const auto& [p, q, fv, g, t] = *forcing_;
    for (std::uint32_t x = 0; x < source_vars_; ++x)
      if (complement_[Var(x)])
        out_.clauses.push_back({Lit::positive(Var(x)), Lit::positive(*complement_[Var(x)]), Lit::positive(fv)});
    out_.clauses.push_back({Lit::positive(p), Lit::positive(q), Lit::positive(fv)});
    out_.clauses.push_back({Lit::positive(p), Lit::positive(q), Lit::positive(g)});
    out_.clauses.push_back({Lit::positive(fv), Lit::positive(g), Lit::positive(t)});
  }
}

Assignment PositiveOneInThree::lift(const Assignment& a) const {
  Assignment b(out_.num_vars, false);
  for (std::uint32_t v = 0; v < source_vars_; ++v) {
    b[Var(v)] = a[Var(v)];
    if (complement_[Var(v)]) b[*complement_[Var(v)]] = !a[Var(v)];
  }
  if (forcing_) {
    b[(*forcing_)[0]] = true;  // p
    b[(*forcing_)[4]] = true;  // t
  }
  return b;
}

Assignment PositiveOneInThree::decode(const Assignment& b) const { return b.prefix(source_vars_); }

}  // namespace relugap
