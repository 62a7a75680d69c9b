// G(n, p) with an optional planted clique or dense subgraph (see generators.hpp).
#include <algorithm>
#include <string>

#include "instances/core/rng.hpp"
#include "instances/gen/generators.hpp"

namespace relugap {

namespace {

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
  g.graph = Graph(n);
  // One draw per pair, pairs in lexicographic order (u < v).
  for (Vertex u : g.graph.vertices())
    for (Vertex v : IndexRange<VertexTag>(u.value() + 1, n))
      if (rng.bernoulli(inside[u] && inside[v] ? q_in : p.p)) g.graph.add_new_edge(u, v);
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
