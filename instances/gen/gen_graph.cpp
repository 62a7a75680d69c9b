// G(n, p) with an optional planted clique or dense subgraph (see generators.hpp).
#include <algorithm>
#include <cmath>
#include <string>

#include "instances/core/rng.hpp"
#include "instances/gen/gap_table.hpp"
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

using Edges = std::vector<std::pair<Vertex, Vertex>>;

/// Row u of the table sampler outside the planted set: the gaps between its edges (u, v), v > u.
void table_row(const GapTable& gaps, Rng& rng, std::uint32_t u, std::uint32_t n, Edges& edges) {
  for (std::uint64_t v = u;;) {  // v: the last position decided
    const std::uint64_t gap = gaps.draw(rng);
    if (gap >= n - v - 1) break;  // past the row's end (or never)
    v += 1 + gap;
    edges.emplace_back(Vertex(u), Vertex(static_cast<std::uint32_t>(v)));
  }
}

/// Row u of the table sampler inside the planted set S (sorted; u = S[at]): the gaps count the
/// positions outside S only (probability p each), and each member of S after u gets its own coin
/// (probability q_in), drawn when the walk reaches it. Edges come out in increasing order.
void table_row_inside(const GapTable& gaps, Rng& rng, const std::vector<Vertex>& s, std::size_t at, double q_in,
                      std::uint32_t n, Edges& edges) {
  const std::uint32_t u = s[at].value();
  std::size_t idx = at + 1;                // the next member of S after the walk
  std::uint64_t v = std::uint64_t{u} + 1;  // the first position not yet decided
  std::uint64_t gap = gaps.draw(rng);      // positions outside S to skip before the next edge
  while (true) {
    const std::uint64_t next = idx < s.size() ? s[idx].value() : n;
    if (gap < next - v) {  // the next edge is before the next member of S
      v += gap;
      edges.emplace_back(Vertex(u), Vertex(static_cast<std::uint32_t>(v)));
      ++v;
      gap = gaps.draw(rng);
      continue;
    }
    if (next == n) break;
    gap -= next - v;  // the positions v .. next - 1 are skipped
    if (rng.bernoulli(q_in)) edges.emplace_back(Vertex(u), Vertex(static_cast<std::uint32_t>(next)));
    ++idx;
    v = next + 1;
  }
}

void build(GeneratedEdges& g, const GnpParams& p, std::uint64_t seed) {
  const std::uint32_t n = p.vertices;
  const bool plant = p.plant != GraphPlant::kNone;
  Rng rng(seed);
  g.vertices = n;
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
  // Edges in lexicographic order (u < v).
  Edges& edges = g.edges;
  const double p_out = p.p;
  const double dn = static_cast<double>(n);
  const double expected = p_out * 0.5 * dn * dn + (plant ? q_in * 0.5 * p.k * p.k : 0.0);
  edges.reserve(static_cast<std::size_t>(std::min(1.1 * expected + 16, double{1 << 24})));
  if (p.sampler != Sampler::kCoins) g.record.params["sampler"] = sampler_name(p.sampler);
  if (p.sampler == Sampler::kTable) {
    // The gaps between a row's edges by table inversion (gap_table.hpp): one draw per edge
    // plus one per row; the planted rows skip the positions outside the set and toss a coin
    // for each member of the set.
    const GapTable gaps = GapTable::for_p(p_out);
    std::size_t at = 0;  // the position of u in the planted set
    for (std::uint32_t u = 0; u < n; ++u) {
      if (inside[Vertex(u)])
        table_row_inside(gaps, rng, *g.planted, at++, q_in, n, edges);
      else
        table_row(gaps, rng, u, n, edges);
    }
  } else if (p.sampler == Sampler::kGeometric) {
    // Geometric skipping: in a row u outside the planted set every pair (u, v), v > u, has
    // probability p, and the gaps between its edges are drawn instead of one coin per pair:
    // gap = ⌊ln(1 − U) / ln(1 − p)⌋, one uniform01 per edge plus one per row; time in
    // proportion to the edges instead of n²/2. A row u inside the set keeps one coin per
    // pair (q inside, p outside).
    const double log_q = std::log1p(-p_out);  // < 0 for p > 0
    for (std::uint32_t u = 0; u < n; ++u) {
      if (inside[Vertex(u)]) {
        for (std::uint32_t v = u + 1; v < n; ++v)
          if (rng.bernoulli(inside[Vertex(v)] ? q_in : p_out)) edges.emplace_back(Vertex(u), Vertex(v));
        continue;
      }
      if (!(p_out > 0)) continue;
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
}

}  // namespace

Result<GeneratedEdges> generate_graph_edges(const GnpParams& p, std::uint64_t seed) {
  return catch_failure([&] {
    validate(p);
    GeneratedEdges g;
    build(g, p, seed);
    return g;
  });
}

Result<GeneratedGraph> generate_graph(const GnpParams& p, std::uint64_t seed) {
  auto e = generate_graph_edges(p, seed);
  if (!e.ok()) return e.error();
  // Built in place inside the Result: Boost 1.74's adjacency_list has no move
  // constructor, so every "move" of a Graph copies it edge by edge.
  Result<GeneratedGraph> out{GeneratedGraph{}};
  GeneratedEdges& src = e.value();
  out.value().graph = Graph::from_new_edges(src.vertices, src.edges);
  out.value().planted = std::move(src.planted);
  out.value().record = std::move(src.record);
  return out;
}

}  // namespace relugap
