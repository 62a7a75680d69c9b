#include "reductions/sat/one_in_three.hpp"

#include <sstream>

#include "instances/core/error.hpp"

namespace relugap {

unsigned OneInThreeFormula::true_count(const OneInThreeClause& c, const Assignment& a) {
  unsigned t = 0;
  for (Lit l : c) t += l.eval(a) ? 1U : 0U;
  return t;
}

bool OneInThreeFormula::satisfied_by(const Assignment& a) const {
  for (const auto& c : clauses)
    if (true_count(c, a) != 1) return false;
  return true;
}

std::size_t OneInThreeFormula::num_violated(const Assignment& a) const {
  std::size_t n = 0;
  for (const auto& c : clauses) n += true_count(c, a) != 1 ? 1 : 0;
  return n;
}

bool OneInThreeFormula::is_positive() const {
  for (const auto& c : clauses)
    for (Lit l : c)
      if (l.negated()) return false;
  return true;
}

void OneInThreeFormula::validate() const {
  for (ClauseId i : clauses.indices())
    for (Lit l : clauses[i])
      if (l.dimacs() == 0 || l.var().value() >= num_vars)
        fail("onein3.literal", "", 0,
             "1-in-3 clause " + std::to_string(i.value() + 1) + " has literal " + std::to_string(l.dimacs()) +
                 " outside 1.." + std::to_string(num_vars));
}

std::string to_string(const OneInThreeFormula& f) {
  std::ostringstream os;
  for (ClauseId i : f.clauses.indices()) {
    const auto& c = f.clauses[i];
    os << (i.value() ? " " : "") << "R(" << c[0].dimacs() << "," << c[1].dimacs() << "," << c[2].dimacs() << ")";
  }
  return os.str();
}

unsigned schaefer_gadget_violations(bool x, bool y, bool z, const std::array<bool, 4>& g) {
  const bool a = g[0], b = g[1], c = g[2], d = g[3];
  auto one = [](bool p, bool q, bool r) { return (p ? 1 : 0) + (q ? 1 : 0) + (r ? 1 : 0) == 1; };
  unsigned v = 0;
  v += one(!x, a, b) ? 0U : 1U;
  v += one(b, y, c) ? 0U : 1U;
  v += one(c, d, !z) ? 0U : 1U;
  return v;
}

namespace {
std::array<bool, 4> combo(unsigned m) { return {(m & 8U) != 0, (m & 4U) != 0, (m & 2U) != 0, (m & 1U) != 0}; }

/// The first combo with the fewest violations (0 iff the clause is satisfied).
std::array<bool, 4> best_combo(bool x, bool y, bool z) {
  std::array<bool, 4> best = combo(0);
  unsigned best_v = 4;
  for (unsigned m = 0; m < 16; ++m) {
    unsigned v = schaefer_gadget_violations(x, y, z, combo(m));
    if (v < best_v) {
      best_v = v;
      best = combo(m);
    }
  }
  return best;
}
}  // namespace

std::optional<std::array<bool, 4>> schaefer_gadget_solution(bool x, bool y, bool z) {
  for (unsigned m = 0; m < 16; ++m)
    if (schaefer_gadget_violations(x, y, z, combo(m)) == 0) return combo(m);
  return std::nullopt;
}

SchaeferReduction::SchaeferReduction(const Cnf& f) : source_vars_(f.num_vars) {
  for (ClauseId i : f.clauses.indices()) {
    const Clause& c = f.clauses[i];
    if (c.empty() || c.size() > 3)
      fail("schaefer.clause", "", 0,
           "clause " + std::to_string(i.value() + 1) + " has " + std::to_string(c.size()) +
               " literals; Schaefer's gadget needs 1 to 3 (split the formula into 3-CNF first)");
    for (Lit l : c)
      if (l.dimacs() == 0 || l.var().value() >= f.num_vars)
        fail("cnf.literal", "", 0,
             "clause " + std::to_string(i.value() + 1) + " has literal " + std::to_string(l.dimacs()) + " outside 1.." +
                 std::to_string(f.num_vars));
    padded_.push_back({c[0], c.size() > 1 ? c[1] : c[0], c.back()});
  }
  out_.num_vars = f.num_vars + 4 * static_cast<std::uint32_t>(f.clauses.size());
  for (std::size_t i = 0; i < padded_.size(); ++i) {
    const auto& [x, y, z] = padded_[i];
    const std::uint32_t base = f.num_vars + 4 * static_cast<std::uint32_t>(i);
    const Lit a = Lit::positive(Var(base)), b = Lit::positive(Var(base + 1)), c = Lit::positive(Var(base + 2)),
              d = Lit::positive(Var(base + 3));
    out_.clauses.push_back({~x, a, b});
    out_.clauses.push_back({b, y, c});
    out_.clauses.push_back({c, d, ~z});
  }
}

Assignment SchaeferReduction::lift(const Assignment& a) const {
  Assignment b(out_.num_vars, false);
  for (std::uint32_t v = 0; v < source_vars_; ++v) b[Var(v)] = a[Var(v)];
  for (std::size_t i = 0; i < padded_.size(); ++i) {
    const auto& [x, y, z] = padded_[i];
    const auto g = best_combo(x.eval(a), y.eval(a), z.eval(a));
    const std::size_t base = source_vars_ + 4 * i;
    for (std::size_t t = 0; t < 4; ++t) b[Var(static_cast<std::uint32_t>(base + t))] = g[t];
  }
  return b;
}

Assignment SchaeferReduction::decode(const Assignment& b) const { return b.prefix(source_vars_); }

}  // namespace relugap
