#pragma once
// Small independent helpers for the SAT tests: brute-force CNF satisfiability,
// a backtracking enumerator of 1-in-3 solutions, random small formulas.
#include <cstdint>
#include <functional>
#include <vector>

#include "instances/cnf.hpp"
#include "instances/rng.hpp"
#include "reductions/one_in_three.hpp"

namespace relugap::test {

inline std::vector<bool> bits(std::uint64_t mask, std::uint32_t n) {
  std::vector<bool> a(n);
  for (std::uint32_t v = 0; v < n; ++v) a[v] = ((mask >> v) & 1U) != 0;
  return a;
}

/// Brute force over all 2^n assignments. Contract: n <= 24.
inline bool cnf_satisfiable(const Cnf& f) {
  for (std::uint64_t m = 0; m < (std::uint64_t{1} << f.num_vars); ++m)
    if (f.satisfied_by(bits(m, f.num_vars))) return true;
  return false;
}

/// Calls `visit` for every solution of a 1-in-3 formula (backtracking over
/// variables in order, pruning a clause as soon as it has 2 true positions or
/// all positions are assigned without exactly one true). Stops early when
/// `visit` returns false. Returns the number of solutions visited.
inline std::size_t for_each_one_in_three_solution(const OneInThreeFormula& f,
                                                  const std::function<bool(const std::vector<bool>&)>& visit) {
  const std::uint32_t n = f.num_vars;
  // clauses by their largest variable: checked once that variable is assigned
  std::vector<std::vector<std::size_t>> by_last(n);
  std::vector<std::vector<std::size_t>> by_var(n);
  for (std::size_t i = 0; i < f.clauses.size(); ++i) {
    std::uint32_t last = 0;
    for (Lit l : f.clauses[i]) {
      last = std::max(last, l.var().value());
      by_var[l.var().idx()].push_back(i);
    }
    by_last[last].push_back(i);
  }
  std::vector<bool> a(n, false);
  std::size_t count = 0;
  bool stop = false;
  // partial check: number of true positions among assigned vars <= 1
  auto partial_ok = [&](std::uint32_t upto) {
    for (std::size_t ci : by_var[upto]) {
      unsigned t = 0;
      for (Lit l : f.clauses[ci])
        if (l.var().value() <= upto && l.eval(a)) ++t;
      if (t > 1) return false;
    }
    for (std::size_t ci : by_last[upto])
      if (OneInThreeFormula::true_count(f.clauses[ci], a) != 1) return false;
    return true;
  };
  std::function<void(std::uint32_t)> rec = [&](std::uint32_t v) {
    if (stop) return;
    if (v == n) {
      ++count;
      if (!visit(a)) stop = true;
      return;
    }
    for (int val = 0; val < 2 && !stop; ++val) {
      a[v] = val != 0;
      if (partial_ok(v)) rec(v + 1);
    }
    a[v] = false;
  };
  if (n == 0) {
    if (f.clauses.empty()) {
      ++count;
      visit(a);
    }
    return count;
  }
  rec(0);
  return count;
}

inline bool one_in_three_satisfiable(const OneInThreeFormula& f) {
  return for_each_one_in_three_solution(f, [](const std::vector<bool>&) { return false; }) > 0;
}

/// A random clause of 1..max_len literals over n variables (repeats allowed).
inline Clause random_clause(Rng& rng, std::uint32_t n, std::size_t max_len) {
  Clause c;
  const auto len = static_cast<std::size_t>(rng.between(1, static_cast<std::int64_t>(max_len)));
  for (std::size_t i = 0; i < len; ++i) {
    Var v(static_cast<std::uint32_t>(rng.below(n)));
    c.push_back(rng.bernoulli(0.5) ? Lit::positive(v) : Lit::negative(v));
  }
  return c;
}

inline Cnf random_cnf(Rng& rng, std::uint32_t n, std::size_t clauses, std::size_t max_len) {
  Cnf f;
  f.num_vars = n;
  for (std::size_t i = 0; i < clauses; ++i) f.clauses.push_back(random_clause(rng, n, max_len));
  return f;
}

/// Random 1-in-3 formula; `positive` = no negations. Repeated variables allowed.
inline OneInThreeFormula random_one_in_three(Rng& rng, std::uint32_t n, std::size_t clauses, bool positive) {
  OneInThreeFormula f;
  f.num_vars = n;
  for (std::size_t i = 0; i < clauses; ++i) {
    OneInThreeClause c;
    for (auto& l : c) {
      Var v(static_cast<std::uint32_t>(rng.below(n)));
      l = (positive || rng.bernoulli(0.5)) ? Lit::positive(v) : Lit::negative(v);
    }
    f.clauses.push_back(c);
  }
  return f;
}

/// Every non-empty clause of <= 3 literals over n variables, as a sorted
/// multiset of literals (so each clause appears once).
inline std::vector<Clause> all_clauses(std::uint32_t n) {
  std::vector<Lit> lits;
  for (std::uint32_t v = 0; v < n; ++v) {
    lits.push_back(Lit::positive(Var(v)));
    lits.push_back(Lit::negative(Var(v)));
  }
  std::vector<Clause> out;
  const std::size_t L = lits.size();
  for (std::size_t i = 0; i < L; ++i) {
    out.push_back({lits[i]});
    for (std::size_t j = i; j < L; ++j) {
      out.push_back({lits[i], lits[j]});
      for (std::size_t k = j; k < L; ++k) out.push_back({lits[i], lits[j], lits[k]});
    }
  }
  return out;
}

}  // namespace relugap::test
