// G(n, p) with an optional planted clique or dense subgraph (see generators.hpp).
#include <algorithm>
#include <cmath>
#include <string>

#include "instances/core/rng.hpp"
#include "instances/gen/generators.hpp"

namespace relugap {

namespace {

/// Probabilities below this draw a row's edges by geometric skipping (docs/manual/gen.md).
constexpr double kGeometricBelow = 0.01;

bool is_probability(double x) { return x >= 0 && x <= 1; }  // false for NaN

std::string num(double x) { return nlohmann::json(x).dump(); }

void validate(const GnpParams& p) {
  const std::string where = "gen graph";
  const std::uint32_t n = p.vertices;
  if (n < 1) fail("gen.param", where, 0, "--vertices must be at least 1, got 0");
  if (!is_probability(p.p)) fail("gen.param", where, 0, "--p must be in [0, 1], got " + num(p.p));
  const bool plant = p.plant != GraphPlant::kNone;
  const char* flag = p.plant == GraphPlant::kClique ? "--plant-clique" : "--plant-dense";
  if (plant && (p.k < 1 || p.k > n))
    fail("gen.param", where, 0,
         std::string(flag) + " must be in [1, --vertices = " + std::to_string(n) + "], got " + std::to_string(p.k));
  if (p.plant == GraphPlant::kDense && !(p.q > p.p && p.q <= 1))
    fail("gen.param", where, 0, "--q must satisfy --p < --q <= 1 (--p = " + num(p.p) + "), got " + num(p.q));
}

void build(GeneratedGraph& g, const GnpParams& p, std::uint64_t seed) {
  const std::uint32_t n = p.vertices;
  const bool plant = p.plant != GraphPlant::kNone;
  Rng rng(seed);
  g.record.seed = seed;
  g.record.params = {{"vertices", n}, {"p", p.p}};
  switch (p.plant) {
    case GraphPlant::kNone:
      g.record.name = "gnp";
      break;
    case GraphPlant::kClique:
      g.record.name = "gnp_planted_clique";
      g.record.params["plant_clique"] = p.k;
      break;
    case GraphPlant::kDense:
      g.record.name = "gnp_planted_dense";
      g.record.params["plant_dense"] = p.k;
      g.record.params["q"] = p.q;
      break;
  }

  VertexSet inside(n, false);
  if (plant) {
    std::vector<Vertex> s;
    for (std::uint32_t i : rng.sample(n, p.k)) {
      inside[Vertex(i)] = true;
      s.emplace_back(i);
    }
    std::sort(s.begin(), s.end());
    g.planted = std::move(s);
  }
  const double q_in = p.plant == GraphPlant::kClique ? 1.0 : p.plant == GraphPlant::kDense ? p.q : p.p;
  // Edges in lexicographic order (u < v), collected first and built in one step.
  std::vector<std::pair<Vertex, Vertex>> edges;
  const double p_out = p.p;
  if (p_out > 0 && p_out < kGeometricBelow) {
    // Geometric skipping: in a row u outside the planted set every pair (u, v), v > u, has
    // probability p, and the gaps between its edges are drawn instead of one coin per pair:
    // gap = ⌊ln(1 − U) / ln(1 − p)⌋, one uniform01 per edge plus one per row; time in
    // proportion to the edges instead of n²/2. A row u inside the set keeps one coin per
    // pair (q inside, p outside). A different stream from the coins, recorded as "sampler".
    g.record.params["sampler"] = "geometric";
    const double log_q = std::log1p(-p_out);  // < 0
    const double expected = p_out * 0.5 * static_cast<double>(n) * static_cast<double>(n);
    edges.reserve(static_cast<std::size_t>(std::min(1.1 * expected + 16, double{1 << 24})));
    for (std::uint32_t u = 0; u < n; ++u) {
      if (inside[Vertex(u)]) {
        for (std::uint32_t v = u + 1; v < n; ++v)
          if (rng.bernoulli(inside[Vertex(v)] ? q_in : p_out)) edges.emplace_back(Vertex(u), Vertex(v));
        continue;
      }
      std::uint64_t v = std::uint64_t{u} + 1;
      while (true) {
        const double gap = std::floor(std::log1p(-rng.uniform01()) / log_q);  // uniform01 < 1: finite
        if (gap >= static_cast<double>(n - v)) break;                         // past the row's end
        v += static_cast<std::uint64_t>(gap);
        edges.emplace_back(Vertex(u), Vertex(static_cast<std::uint32_t>(v)));
        ++v;
      }
    }
  } else {
    // One draw per pair, pairs in lexicographic order (u < v).
    for (std::uint32_t u = 0; u < n; ++u)
      for (std::uint32_t v = u + 1; v < n; ++v)
        if (rng.bernoulli(inside[Vertex(u)] && inside[Vertex(v)] ? q_in : p_out))
          edges.emplace_back(Vertex(u), Vertex(v));
  }
  g.graph = Graph::from_new_edges(n, edges);
}

}  // namespace

Result<GeneratedGraph> generate_graph(const GnpParams& p, std::uint64_t seed) {
  if (auto v = catch_failure([&] {
        validate(p);
        return true;
      });
      !v.ok())
    return v.error();
  // Built in place inside the Result: Boost 1.74's adjacency_list has no move
  // constructor, so every "move" of a Graph copies it edge by edge.
  Result<GeneratedGraph> out{GeneratedGraph{}};
  build(out.value(), p, seed);
  return out;
}

}  // namespace relugap
