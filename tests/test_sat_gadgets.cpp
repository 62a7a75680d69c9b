// The formula chain CNF -> 3-CNF -> 1-in-3 -> positive 1-in-3: gadgets by
// enumeration, satisfiability preserved on small formulas, lift and decode.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>

#include "instances/core/error.hpp"
#include "reductions/sat/cnf_to_3cnf.hpp"
#include "reductions/sat/one_in_three.hpp"
#include "reductions/sat/positive_one_in_three.hpp"
#include "reductions/sat/sat_to_relu.hpp"
#include "sat_test_util.hpp"

using namespace relugap;
using namespace relugap::test;

TEST_CASE("Schaefer's gadget: (x|y|z) is satisfiable iff the gadget is, for every x, y, z") {
  for (unsigned m = 0; m < 8; ++m) {
    const bool x = (m & 1U) != 0, y = (m & 2U) != 0, z = (m & 4U) != 0;
    bool gadget_sat = false;
    for (unsigned g = 0; g < 16; ++g) {
      std::array<bool, 4> abcd{(g & 8U) != 0, (g & 4U) != 0, (g & 2U) != 0, (g & 1U) != 0};
      if (schaefer_gadget_violations(x, y, z, abcd) == 0) gadget_sat = true;
    }
    CAPTURE(m);
    CHECK(gadget_sat == (x || y || z));
    auto sol = schaefer_gadget_solution(x, y, z);
    CHECK(sol.has_value() == (x || y || z));
    if (sol) CHECK(schaefer_gadget_violations(x, y, z, *sol) == 0);
  }
  // by hand: x = y = z = false forces a = b = false, then c = true, then R(c, d, true) fails.
  CHECK(schaefer_gadget_violations(false, false, false, {false, false, true, false}) == 1);
}

TEST_CASE("Schaefer reduction: layout, padding and deterministic lift") {
  Cnf f;
  f.num_vars = 3;
  f.clauses = {{Lit(1), Lit(-2), Lit(3)}, {Lit(2)}, {Lit(-1), Lit(-3)}};
  SchaeferReduction s(f);
  CHECK(s.formula().num_vars == 3 + 12);
  CHECK(s.formula().num_clauses() == 9);
  // clause 0: R(-1, a, b), R(b, -2, c), R(c, d, -3) with a..d = vars 4..7 (DIMACS)
  CHECK(s.formula().clauses[ClauseId(0)] == OneInThreeClause{Lit(-1), Lit(4), Lit(5)});
  CHECK(s.formula().clauses[ClauseId(1)] == OneInThreeClause{Lit(5), Lit(-2), Lit(6)});
  CHECK(s.formula().clauses[ClauseId(2)] == OneInThreeClause{Lit(6), Lit(7), Lit(-3)});
  // (2) -> (2 ∨ 2 ∨ 2); (-1 ∨ -3) -> (-1 ∨ -3 ∨ -3)
  CHECK(s.padded()[1] == std::array<Lit, 3>{Lit(2), Lit(2), Lit(2)});
  CHECK(s.padded()[2] == std::array<Lit, 3>{Lit(-1), Lit(-3), Lit(-3)});
  for (std::uint64_t m = 0; m < 8; ++m) {
    auto a = bits(m, 3);
    auto b = s.lift(a);
    CHECK(s.formula().satisfied_by(b) == f.satisfied_by(a));
    CHECK(s.decode(b) == a);
    CHECK(s.lift(a) == b);  // deterministic
  }
  Cnf bad;
  bad.num_vars = 4;
  bad.clauses = {{Lit(1), Lit(2), Lit(3), Lit(4)}};
  CHECK_THROWS_AS(SchaeferReduction{bad}, Failure);
}

TEST_CASE("clause splitting: long clauses, tautologies, the empty clause") {
  Rng rng(2024);
  for (int trial = 0; trial < 400; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(1, 5));
    Cnf f = random_cnf(rng, n, static_cast<std::size_t>(rng.between(0, 4)), 7);
    ThreeCnfSplit s(f);
    CAPTURE(trial);
    for (const auto& c : s.formula().clauses) {
      CHECK(!c.empty());
      CHECK(c.size() <= 3);
    }
    for (std::uint64_t m = 0; m < (1ULL << n); ++m) {
      auto a = bits(m, n);
      auto b = s.lift(a);
      CHECK(s.formula().satisfied_by(b) == f.satisfied_by(a));
      CHECK(s.decode(b) == a);
    }
    if (s.formula().num_vars <= 16) {
      CHECK(cnf_satisfiable(s.formula()) == cnf_satisfiable(f));
      // every solution of the 3-CNF decodes to a solution of the input
      for (std::uint64_t m = 0; m < (1ULL << s.formula().num_vars); ++m) {
        auto b = bits(m, s.formula().num_vars);
        if (s.formula().satisfied_by(b)) CHECK(f.satisfied_by(s.decode(b)));
      }
    }
  }
  Cnf e;
  e.num_vars = 2;
  e.clauses = {{Lit(1), Lit(2)}, {}, {Lit(-1), Lit(1)}};
  ThreeCnfSplit s(e);
  CHECK(s.had_empty_clause());
  CHECK(s.formula().num_vars == 3);
  CHECK_FALSE(cnf_satisfiable(s.formula()));
  Cnf out_of_range;
  out_of_range.num_vars = 1;
  out_of_range.clauses = {{Lit(2)}};
  CHECK_THROWS_AS(ThreeCnfSplit{out_of_range}, Failure);
  // a 6-literal clause: 3 fresh variables, 4 clauses
  Cnf six;
  six.num_vars = 6;
  six.clauses = {{Lit(1), Lit(2), Lit(3), Lit(4), Lit(5), Lit(6)}};
  ThreeCnfSplit s6(six);
  CHECK(s6.formula().num_vars == 9);
  CHECK(s6.formula().num_clauses() == 4);
  CHECK(s6.split_clauses() == 1);
}

TEST_CASE("positive 1-in-3: the forcing gadget's solutions, by enumeration") {
  // R(p,q,f), R(p,q,g), R(f,g,t) over p,q,f,g,t = vars 0..4
  OneInThreeFormula g;
  g.num_vars = 5;
  g.clauses = {{Lit(1), Lit(2), Lit(3)}, {Lit(1), Lit(2), Lit(4)}, {Lit(3), Lit(4), Lit(5)}};
  std::size_t count = 0;
  for (std::uint64_t m = 0; m < 32; ++m) {
    auto a = bits(m, 5);
    if (!g.satisfied_by(a)) continue;
    ++count;
    CHECK_FALSE(a[Var(2)]);         // f false
    CHECK_FALSE(a[Var(3)]);         // g false
    CHECK(a[Var(4)]);               // t true
    CHECK(a[Var(0)] != a[Var(1)]);  // exactly one of p, q
  }
  CHECK(count == 2);
  // R(f, f, t) with multiplicity: forces f false, t true
  OneInThreeFormula r;
  r.num_vars = 2;
  r.clauses = {{Lit(1), Lit(1), Lit(2)}};
  for (std::uint64_t m = 0; m < 4; ++m) CHECK(r.satisfied_by(bits(m, 2)) == (m == 2));
  // complement clause R(x, x̄, f) with f false: exactly one of x, x̄
  OneInThreeFormula c;
  c.num_vars = 3;
  c.clauses = {{Lit(1), Lit(2), Lit(3)}};
  for (std::uint64_t m = 0; m < 4; ++m) CHECK(c.satisfied_by(bits(m, 3)) == (m == 1 || m == 2));
  // signed positions with multiplicity: R(¬x, y, y) holds iff x false and y false
  OneInThreeFormula s;
  s.num_vars = 2;
  s.clauses = {{Lit(-1), Lit(2), Lit(2)}};
  for (std::uint64_t m = 0; m < 4; ++m) CHECK(s.satisfied_by(bits(m, 2)) == (m == 0));
}

TEST_CASE("positive 1-in-3: satisfiability, lift and decode on random signed formulas") {
  Rng rng(99);
  for (int trial = 0; trial < 600; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(1, 4));
    auto f = random_one_in_three(rng, n, static_cast<std::size_t>(rng.between(0, 3)), false);
    PositiveOneInThree p(f);
    CAPTURE(to_string(f));
    CHECK(p.formula().is_positive());
    for (std::uint64_t m = 0; m < (1ULL << n); ++m) {
      auto a = bits(m, n);
      auto b = p.lift(a);
      CHECK(p.formula().satisfied_by(b) == f.satisfied_by(a));
      CHECK(p.decode(b) == a);
    }
    bool src_sat = false;
    for (std::uint64_t m = 0; m < (1ULL << n); ++m) src_sat = src_sat || f.satisfied_by(bits(m, n));
    std::size_t sols = for_each_one_in_three_solution(p.formula(), [&](const Assignment& b) {
      CHECK(f.satisfied_by(p.decode(b)));
      return true;
    });
    CHECK((sols > 0) == src_sat);
    if (f.is_positive()) CHECK(p.formula().num_clauses() == f.num_clauses());
  }
}

namespace {
/// The whole chain on one CNF: satisfiability preserved, lift of every source
/// assignment satisfies the target iff the source is satisfied, and every
/// target solution decodes to a source solution.
void check_chain(const Cnf& f, bool positive) {
  SatChain chain(f, positive);
  const auto& t = chain.target();
  if (positive) CHECK(t.is_positive());
  bool src_sat = false, lift_ok = true, decode_ok = true;
  for (std::uint64_t m = 0; m < (1ULL << f.num_vars); ++m) {
    auto a = bits(m, f.num_vars);
    const bool s = f.satisfied_by(a);
    src_sat = src_sat || s;
    auto b = chain.lift(a);
    REQUIRE(b.size() == t.num_vars);
    lift_ok = lift_ok && t.satisfied_by(b) == s && chain.decode(b) == a;
  }
  std::size_t sols = for_each_one_in_three_solution(t, [&](const Assignment& b) {
    decode_ok = decode_ok && f.satisfied_by(chain.decode(b));
    return true;
  });
  CHECK(lift_ok);
  CHECK(decode_ok);
  CHECK((sols > 0) == src_sat);
}
}  // namespace

TEST_CASE("chain CNF -> 1-in-3: every formula over <= 4 variables with <= 2 clauses") {
  const auto clauses = all_clauses(4);
  REQUIRE(clauses.size() == 164);
  Cnf f;
  f.num_vars = 4;
  check_chain(f, false);
  std::size_t formulas = 1;
  for (std::size_t i = 0; i < clauses.size(); ++i)
    for (std::size_t j = i; j <= clauses.size(); ++j) {
      f.clauses = {clauses[i]};
      if (j < clauses.size()) f.clauses.push_back(clauses[j]);
      check_chain(f, false);
      ++formulas;
    }
  MESSAGE(formulas << " formulas checked");
}

namespace {
/// A formula of three clauses of <= 3 literals over 4 variables, renamed by
/// `perm`, as a comparable key: each clause becomes its sorted literal codes
/// (2v + sign, 1-based so 0 pads short clauses) in base 9, and the three
/// clause codes are sorted. Equal keys = same formula up to clause and literal order.
std::array<unsigned, 3> renamed_key(const StrongVector<ClauseTag, Clause>& cs,
                                    const std::array<std::uint32_t, 4>& perm) {
  std::array<unsigned, 3> key{};
  for (ClauseId c : index_range<ClauseTag>(3)) {
    std::array<unsigned, 3> lits{0, 0, 0};
    for (std::size_t t = 0; t < cs[c].size(); ++t)
      lits[t] = 1 + 2 * perm[cs[c][t].var().idx()] + (cs[c][t].negated() ? 1U : 0U);
    std::sort(lits.begin(), lits.end());
    key[c.idx()] = (lits[0] * 9 + lits[1]) * 9 + lits[2];
  }
  std::sort(key.begin(), key.end());
  return key;
}
}  // namespace

TEST_CASE("chain CNF -> 1-in-3 and -> positive 1-in-3: every formula over 4 variables with 3 clauses, up to renaming") {
  // The chain treats every variable index alike (fresh variables are numbered
  // after the input's), so one formula per renaming class suffices: the one
  // whose key (renamed_key) is the smallest among its 24 renamings. Formulas
  // over fewer variables are among these (variable 4 unused).
  const auto clauses = all_clauses(4);
  std::vector<std::array<std::uint32_t, 4>> perms;
  std::array<std::uint32_t, 4> p{0, 1, 2, 3};
  do perms.push_back(p);
  while (std::next_permutation(p.begin(), p.end()));
  Cnf f;
  f.num_vars = 4;
  const std::size_t n = clauses.size();
  std::size_t formulas = 0, checked = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j)
      for (std::size_t k = j; k < n; ++k) {
        f.clauses = {clauses[i], clauses[j], clauses[k]};
        ++formulas;
        const auto self = renamed_key(f.clauses, perms[0]);
        bool smallest = true;
        for (std::size_t q = 1; q < perms.size() && smallest; ++q)
          smallest = !(renamed_key(f.clauses, perms[q]) < self);
        if (!smallest) continue;
        check_chain(f, false);
        check_chain(f, true);
        ++checked;
      }
  MESSAGE(formulas << " formulas, " << checked << " renaming classes checked");
  CHECK(formulas == 164 * 165 * 166 / 6);
}

TEST_CASE("chain CNF -> 1-in-3 and -> positive 1-in-3: random formulas with 3 clauses over <= 4 variables") {
  Rng rng(31337);
  for (int trial = 0; trial < 20000; ++trial) {
    Cnf f;
    f.num_vars = static_cast<std::uint32_t>(rng.between(1, 4));
    const auto cl = all_clauses(f.num_vars);
    for (int c = 0; c < 3; ++c) f.clauses.push_back(cl[rng.below(cl.size())]);
    check_chain(f, trial % 2 == 0);
  }
  // longer clauses and the empty clause go through the splitter first
  for (int trial = 0; trial < 1000; ++trial) {
    Cnf f =
        random_cnf(rng, static_cast<std::uint32_t>(rng.between(1, 4)), static_cast<std::size_t>(rng.between(0, 3)), 6);
    if (trial % 50 == 0) f.clauses.push_back({});
    check_chain(f, trial % 2 == 0);
  }
}

TEST_CASE("chain CNF -> positive 1-in-3: every formula over 2 variables with <= 3 clauses") {
  const auto clauses = all_clauses(2);
  Cnf f;
  f.num_vars = 2;
  const std::size_t n = clauses.size();
  std::size_t formulas = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j)
      for (std::size_t k = j; k < n; ++k) {
        f.clauses = {clauses[i], clauses[j], clauses[k]};
        check_chain(f, true);
        ++formulas;
      }
  MESSAGE(formulas << " formulas checked");
}

TEST_CASE("chain from a 1-in-3 source") {
  OneInThreeFormula f;
  f.num_vars = 3;
  f.clauses = {{Lit(1), Lit(-2), Lit(3)}};
  SatChain c(f, true);
  CHECK(c.target().is_positive());
  CHECK_FALSE(c.source_is_cnf());
  for (std::uint64_t m = 0; m < 8; ++m) {
    auto a = bits(m, 3);
    CHECK(c.target().satisfied_by(c.lift(a)) == f.satisfied_by(a));
    CHECK(c.source_satisfied(a) == f.satisfied_by(a));
  }
  auto j = c.sizes();
  CHECK(j["source"]["kind"] == "one_in_three");
  CHECK(j["positive_one_in_three"]["complements"] == 1);
}
