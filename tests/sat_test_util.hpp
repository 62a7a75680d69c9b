#pragma once
// Small independent helpers for the SAT tests: brute-force CNF satisfiability,
// a backtracking enumerator of 1-in-3 solutions, random small formulas.
#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "instances/core/rng.hpp"
#include "instances/io/io.hpp"
#include "instances/problems/cnf.hpp"
#include "reductions/sat/one_in_three.hpp"

namespace relugap::test {

/// A CNF from the repository's data/sat/ (RELUGAP_DATA), or the test fails.
inline Cnf load_data_cnf(const std::string& name) {
  auto r = read_cnf(std::string(RELUGAP_DATA) + "/sat/" + name);
  REQUIRE_MESSAGE(r.ok(), name);
  return r.value();
}

inline Assignment bits(std::uint64_t mask, std::uint32_t n) {
  Assignment a(n);
  for (std::uint32_t v = 0; v < n; ++v) a[Var(v)] = ((mask >> v) & 1U) != 0;
  return a;
}

/// Brute force over all 2^n assignments. Contract: n <= 24.
inline bool cnf_satisfiable(const Cnf& f) {
  for (std::uint64_t m = 0; m < (std::uint64_t{1} << f.num_vars); ++m)
    if (f.satisfied_by(bits(m, f.num_vars))) return true;
  return false;
}

/// Calls `visit` for every solution of a 1-in-3 formula: branching on the
/// first unassigned variable with propagation (a clause with one true position
/// makes its other positions false; a clause with no true position and one
/// unassigned position makes it true; two true positions, or all positions
/// assigned without exactly one true, is a conflict). Stops early when `visit`
/// returns false. Returns the number of solutions visited.
inline std::size_t for_each_one_in_three_solution(const OneInThreeFormula& f,
                                                  const std::function<bool(const Assignment&)>& visit) {
  using State = std::vector<signed char>;  // -1 unassigned, 0 false, 1 true
  auto lit_value = [](const State& st, Lit l) -> int {
    const signed char v = st[l.var().idx()];
    if (v < 0) return -1;
    return (v == 1) != l.negated() ? 1 : 0;
  };
  auto propagate = [&](State& st) {
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& c : f.clauses) {
        int t = 0, u = 0;
        Lit free_lit;
        for (Lit l : c) {
          const int v = lit_value(st, l);
          if (v == 1) ++t;
          if (v < 0) {
            ++u;
            free_lit = l;
          }
        }
        if (t > 1 || (u == 0 && t != 1)) return false;
        if (u == 0) continue;
        if (t == 1) {
          for (Lit l : c)
            if (lit_value(st, l) < 0) st[l.var().idx()] = l.negated() ? 1 : 0;  // make l false
          changed = true;
        } else if (u == 1) {
          st[free_lit.var().idx()] = free_lit.negated() ? 0 : 1;  // make it true
          changed = true;
        }
      }
    }
    return true;
  };
  std::size_t count = 0;
  bool stop = false;
  std::function<void(State)> rec = [&](State st) {
    if (stop || !propagate(st)) return;
    std::size_t v = 0;
    while (v < st.size() && st[v] >= 0) ++v;
    if (v == st.size()) {
      Assignment a(st.size());
      for (Var i : a.indices()) a[i] = st[i.idx()] == 1;
      ++count;
      if (!visit(a)) stop = true;
      return;
    }
    for (signed char val = 0; val < 2 && !stop; ++val) {
      State next = st;
      next[v] = val;
      rec(std::move(next));
    }
  };
  rec(State(f.num_vars, -1));
  return count;
}

inline bool one_in_three_satisfiable(const OneInThreeFormula& f) {
  return for_each_one_in_three_solution(f, [](const Assignment&) { return false; }) > 0;
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
