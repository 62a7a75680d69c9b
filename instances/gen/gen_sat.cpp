// Random and planted-satisfiable 3SAT (see generators.hpp).
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>

#include "instances/core/rng.hpp"
#include "instances/gen/generators.hpp"

namespace relugap {

namespace {

/// Three distinct uniform variables of [0, n), drawn with exactly three calls
/// to below() (no rejection), returned sorted. Contract: n >= 3.
std::array<std::uint32_t, 3> three_distinct(Rng& rng, std::uint32_t n) {
  auto a = static_cast<std::uint32_t>(rng.below(n));
  auto b = static_cast<std::uint32_t>(rng.below(n - 1));
  if (b >= a) ++b;
  auto c = static_cast<std::uint32_t>(rng.below(n - 2));
  const std::uint32_t lo = std::min(a, b), hi = std::max(a, b);
  if (c >= lo) ++c;  // skip lo, then hi, in increasing order: c lands uniformly outside {a, b}
  if (c >= hi) ++c;
  std::array<std::uint32_t, 3> v{a, b, c};
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

Result<GeneratedCnf> generate_3sat(const Sat3Params& p, std::uint64_t seed) {
  return catch_failure([&]() -> GeneratedCnf {
    const std::string where = "gen 3sat";
    if (p.vars < 3)
      fail("gen.param", where, 0,
           "--vars must be at least 3 (a clause has 3 distinct variables), got " + std::to_string(p.vars));
    if (p.vars > static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max()))
      fail("gen.param", where, 0,
           "--vars must be at most 2147483647 (DIMACS literals are 32-bit), got " + std::to_string(p.vars));
    if (p.clauses > std::numeric_limits<std::uint32_t>::max())
      fail("gen.param", where, 0, "--clauses must be at most 4294967295, got " + std::to_string(p.clauses));

    Rng rng(seed);
    GeneratedCnf g;
    g.record.name = p.planted ? "planted_3sat" : "random_3sat";
    g.record.seed = seed;
    g.record.params = {{"vars", p.vars}, {"clauses", p.clauses}, {"planted", p.planted}};
    g.formula.num_vars = p.vars;

    Assignment hidden;
    if (p.planted) {
      hidden.resize(p.vars);
      for (std::uint32_t v = 0; v < p.vars; ++v) hidden[Var(v)] = rng.below(2) == 1;
    }
    g.formula.clauses.reserve(static_cast<std::size_t>(p.clauses));
    for (std::uint64_t i = 0; i < p.clauses; ++i) {
      const auto vs = three_distinct(rng, p.vars);
      // One draw per sign (1: negated), all three drawn in each round. Planted: the signs of
      // a clause the hidden assignment falsifies are redrawn; literal k is true iff
      // hidden[v_k] != its sign bit. No branch per literal (the signs are coin flips).
      const bool h0 = p.planted && hidden[Var(vs[0])], h1 = p.planted && hidden[Var(vs[1])],
                 h2 = p.planted && hidden[Var(vs[2])];
      bool s0, s1, s2;
      do {
        s0 = rng.below(2) == 1;
        s1 = rng.below(2) == 1;
        s2 = rng.below(2) == 1;
      } while (p.planted && ((h0 != s0) | (h1 != s1) | (h2 != s2)) == 0);
      auto lit = [](std::uint32_t v, bool neg) { return neg ? Lit::negative(Var(v)) : Lit::positive(Var(v)); };
      g.formula.clauses.push_back(Clause{lit(vs[0], s0), lit(vs[1], s1), lit(vs[2], s2)});
    }
    if (p.planted) g.planted = std::move(hidden);
    return g;
  });
}

}  // namespace relugap
