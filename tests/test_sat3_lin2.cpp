// 3SAT -> bounded-degree Max-2Lin(2) (reductions/maxcut/sat3_to_lin2.hpp): hypercube edge
// expansion, the exact lift identity, majority fixing, the decoding inequality, the
// upper side of SAT* = offset + 2·SAT*_3cnf, and the degree bound.
#include <doctest/doctest.h>

#include "instances/core/rng.hpp"
#include "reductions/maxcut/maxcut_to_relu.hpp"
#include "reductions/maxcut/sat3_to_lin2.hpp"
#include "solvers/source/max2lin.hpp"

using namespace relugap;

namespace {

Cnf random_cnf(Rng& rng, std::uint32_t n, std::uint32_t m, bool mixed_lengths) {
  Cnf f;
  f.num_vars = n;
  for (std::uint32_t i = 0; i < m; ++i) {
    std::uint32_t len = mixed_lengths ? 1 + static_cast<std::uint32_t>(rng.below(5)) : 3;
    Clause c;
    for (std::uint32_t k = 0; k < len; ++k) {
      const Var v(static_cast<std::uint32_t>(rng.below(n)));  // repeats and tautologies allowed
      c.push_back(rng.bernoulli(0.5) ? Lit::positive(v) : Lit::negative(v));
    }
    f.clauses.push_back(c);
  }
  return f;
}

std::size_t max_sat_bruteforce(const Sat3ToLin2& r) {
  const std::uint32_t N = r.split().formula().num_vars;
  std::size_t best = 0;
  Assignment b(N);
  for (std::uint64_t code = 0; code < (std::uint64_t{1} << N); ++code) {
    for (std::uint32_t x = 0; x < N; ++x) b[Var(x)] = (code >> x) & 1U;
    best = std::max(best, r.sat_3cnf(b));
  }
  return best;
}

}  // namespace

TEST_CASE("hypercube clouds have edge expansion >= 1 (brute force, k <= 4)") {
  for (std::uint32_t k = 1; k <= 4; ++k) {
    const std::uint32_t size = 1U << k;
    for (std::uint32_t S = 1; S < (1U << size); ++S) {
      const auto s = static_cast<std::uint32_t>(__builtin_popcount(S));
      if (2 * s > size) continue;
      std::uint32_t boundary = 0;
      for (std::uint32_t i = 0; i < size; ++i)
        for (std::uint32_t bit = 0; bit < k; ++bit) {
          const std::uint32_t j = i ^ (1U << bit);
          if (i < j && (((S >> i) & 1U) != ((S >> j) & 1U))) ++boundary;
        }
      CHECK(boundary >= s);
    }
  }
}

TEST_CASE("lift: sat = offset + 2 sat_3cnf exactly, for every source assignment") {
  Rng rng(31);
  for (int rep = 0; rep < 6; ++rep) {
    const Cnf f = random_cnf(rng, 5, 6, rep % 2 == 1);
    Sat3ToLin2 r(f, rep % 3 == 0 ? 4U : 0U);
    std::uint32_t lg = 0;
    while ((1U << lg) < r.intermediate().max_degree()) ++lg;
    // auto d_keep bounds every degree; a forced one bounds kept vertices, clouds have degree <= log2 + 1
    CHECK(r.instance().max_degree() <= (rep % 3 == 0 ? std::max(r.d_keep(), lg + 1) : r.d_keep()));
    CHECK(r.instance().max_degree() > 0);
    CHECK(r.offset() == 12 * r.clauses() + r.hypercube_edges());
    for (std::uint64_t code = 0; code < 32; ++code) {
      Assignment a(5);
      for (std::uint32_t x = 0; x < 5; ++x) a[Var(x)] = (code >> x) & 1U;
      const auto sigma = r.lift(a);
      const std::size_t s3 = r.sat_3cnf(r.split().lift(a));
      CHECK(r.instance().satisfied(sigma) == r.offset() + 2 * s3);
      CHECK(r.decode(sigma) == a);
    }
  }
}

TEST_CASE("majority fixing never lowers sat; decoding inequality; SAT* upper side") {
  Rng rng(32);
  for (int rep = 0; rep < 6; ++rep) {
    const Cnf f = random_cnf(rng, 6, 9, rep % 2 == 0);
    Sat3ToLin2 r(f);
    const auto& inst = r.instance();
    const std::size_t best3 = max_sat_bruteforce(r);
    for (int k = 0; k < 30; ++k) {
      VertexSigns sigma(inst.n);
      for (Vertex v : sigma.indices()) sigma[v] = rng.bernoulli(0.5);
      const std::size_t s = inst.satisfied(sigma);
      CHECK(inst.satisfied(r.majority_fix(sigma)) >= s);
      const std::size_t s3 = r.sat_3cnf(r.decode_3cnf(sigma));
      CHECK(2 * s3 + r.offset() >= s);
    }
    // a strong local optimum never beats offset + 2·SAT*_3cnf
    auto ls = max2lin_local_search(inst, static_cast<std::uint64_t>(rep), 16);
    CHECK(ls.lower <= r.offset() + 2 * best3);
    CHECK(2 * r.sat_3cnf(r.decode_3cnf(ls.sigma)) + r.offset() >= ls.lower);
  }
}

TEST_CASE("the chain feeds the unit-ball ReLU reduction: certificate and decoding back to the CNF") {
  Rng rng(33);
  const Cnf f = random_cnf(rng, 6, 8, false);
  Sat3ToLin2 chain(f);
  MaxCutReduction red(chain.instance());
  CHECK(red.D() >= chain.instance().max_degree());
  Assignment a(6, true);
  const auto sigma = chain.lift(a);
  const auto cert = red.lift(sigma);
  auto dc = red.decode_check(cert);
  CHECK(dc.lemma_holds);
  // the certificate decodes to an assignment at least as good as a's
  const auto back = chain.decode(red.decode(cert));
  CHECK(chain.sat_3cnf(chain.split().lift(back)) >= chain.sat_3cnf(chain.split().lift(a)));
}
