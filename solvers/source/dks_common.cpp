#include "solvers/source/dks_common.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <string>

#include "instances/core/error.hpp"

namespace relugap {

void check_kappa(const Graph& g, std::uint32_t kappa) {
  if (kappa < 1 || kappa > g.num_vertices())
    fail("reduce.kappa", "dks", 0,
         "kappa must satisfy 1 <= kappa <= n = " + std::to_string(g.num_vertices()) + " (got " + std::to_string(kappa) +
             ")");
}

std::uint64_t dks_edges_inside(const Graph& g, const std::vector<Vertex>& set) {
  return g.edges_inside(vertex_mask(g.num_vertices(), set));
}

std::uint64_t dks_trivial_upper_bound(const Graph& g, std::uint32_t kappa) {
  const std::uint64_t k = kappa;
  std::vector<std::uint64_t> capped;
  capped.reserve(g.num_vertices());
  for (Vertex v : g.vertices()) capped.push_back(std::min<std::uint64_t>(g.degree(v), k - 1));
  std::nth_element(capped.begin(), capped.begin() + static_cast<std::ptrdiff_t>(k - 1), capped.end(), std::greater<>());
  std::uint64_t sum = 0;
  for (std::uint64_t i = 0; i < k; ++i) sum += capped[i];
  return std::min({k * (k - 1) / 2, static_cast<std::uint64_t>(g.num_edges()), sum / 2});
}

}  // namespace relugap
