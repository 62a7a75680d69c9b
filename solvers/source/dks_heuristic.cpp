#include "solvers/source/dks_heuristic.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <utility>

namespace relugap {

namespace {

// Greedy growth from `start`: add the vertex outside with most neighbours inside, lowest id
// on ties. Candidates ordered by (−inside, id), so each step is O(deg log n), not O(n).
std::vector<Vertex> greedy_grow(const AdjacencyLists& adj, std::uint32_t kappa, Vertex start) {
  VertexSet in(adj.size(), false);
  StrongVector<VertexTag, std::uint32_t> inside(adj.size(), 0);  // neighbours in the set
  std::set<std::pair<std::int64_t, Vertex>> queue;
  for (Vertex v : adj.indices()) queue.emplace(0, v);
  auto add = [&](Vertex v) {
    in[v] = true;
    queue.erase({-static_cast<std::int64_t>(inside[v]), v});
    for (Vertex u : adj[v])
      if (!in[u]) {
        queue.erase({-static_cast<std::int64_t>(inside[u]), u});
        queue.emplace(-static_cast<std::int64_t>(++inside[u]), u);
      } else {
        ++inside[u];
      }
  };
  add(start);
  for (std::uint32_t size = 1; size < kappa; ++size) add(queue.begin()->second);
  return members(in);
}

}  // namespace

std::vector<Vertex> dks_greedy_peel(const Graph& g, std::uint32_t kappa) {
  check_kappa(g, kappa);
  const std::uint32_t n = g.num_vertices();
  const auto adj = g.adjacency_lists();
  StrongVector<VertexTag, std::uint32_t> deg(n);
  for (Vertex v : g.vertices()) deg[v] = static_cast<std::uint32_t>(adj[v].size());
  // Ordered by (current degree, id): the first is the vertex of least degree, lowest id on
  // ties. O(m log n) (a scan per removal was O(n²): hours at n = 2·10⁵).
  std::set<std::pair<std::uint32_t, Vertex>> queue;
  for (Vertex v : g.vertices()) queue.emplace(deg[v], v);
  VertexSet alive(n, true);
  for (std::uint32_t removed = 0; removed < n - kappa; ++removed) {
    const Vertex best = queue.begin()->second;
    queue.erase(queue.begin());
    alive[best] = false;
    for (Vertex u : adj[best])
      if (alive[u]) {
        queue.erase({deg[u], u});
        queue.emplace(--deg[u], u);
      }
  }
  return members(alive);
}

std::vector<Vertex> dks_greedy_grow(const Graph& g, std::uint32_t kappa, Vertex start) {
  check_kappa(g, kappa);
  return greedy_grow(g.adjacency_lists(), kappa, start);
}

std::vector<Vertex> dks_local_swap(const Graph& g, std::vector<Vertex> set, double time_limit) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::uint32_t n = g.num_vertices();
  const auto adj = g.adjacency_lists();
  VertexSet in = vertex_mask(n, set);
  StrongVector<VertexTag, std::int64_t> inside(n, 0);
  for (Vertex v : g.vertices())
    if (in[v])
      for (Vertex u : adj[v]) ++inside[u];
  auto adjacent = [&](Vertex a, Vertex b) { return std::binary_search(adj[a].begin(), adj[a].end(), b); };
  std::vector<Vertex> ins, outs;
  for (;;) {
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > time_limit) break;
    ins.clear();
    outs.clear();
    for (Vertex v : g.vertices()) (in[v] ? ins : outs).push_back(v);
    // gain(u, v) = inside[v] − inside[u] − [u ~ v] ≤ inside[v] − inside[u]:
    // scan in-vertices by increasing and out-vertices by decreasing `inside`
    // and stop as soon as that upper bound cannot reach the best gain (ties
    // are still scanned so that the lowest (u, v) wins).
    std::stable_sort(ins.begin(), ins.end(), [&](Vertex a, Vertex b) { return inside[a] < inside[b]; });
    std::stable_sort(outs.begin(), outs.end(), [&](Vertex a, Vertex b) { return inside[a] > inside[b]; });
    std::int64_t best_gain = 0;
    Vertex bu(n), bv(n);
    for (Vertex u : ins) {
      const std::int64_t need = std::max<std::int64_t>(best_gain, 1);
      if (outs.empty() || inside[outs.front()] - inside[u] < need) break;
      for (Vertex v : outs) {
        std::int64_t bound = inside[v] - inside[u];
        if (bound < need) break;
        std::int64_t gain = bound - (adjacent(u, v) ? 1 : 0);
        if (gain > best_gain || (gain == best_gain && gain > 0 && std::pair(u, v) < std::pair(bu, bv))) {
          best_gain = gain;
          bu = u;
          bv = v;
        }
      }
    }
    if (best_gain <= 0) break;
    in[bu] = false;
    for (Vertex w : adj[bu]) --inside[w];
    in[bv] = true;
    for (Vertex w : adj[bv]) ++inside[w];
  }
  return members(in);
}

DksResult dks_heuristic(const Graph& g, std::uint32_t kappa, const DksHeuristicOptions& opt) {
  check_kappa(g, kappa);
  auto t0 = std::chrono::steady_clock::now();
  const std::uint32_t n = g.num_vertices();
  std::vector<std::pair<std::uint64_t, std::vector<Vertex>>> pool;
  auto peel = dks_greedy_peel(g, kappa);
  pool.emplace_back(dks_edges_inside(g, peel), std::move(peel));
  std::vector<Vertex> order(g.vertices().begin(), g.vertices().end());
  std::stable_sort(order.begin(), order.end(), [&](Vertex a, Vertex b) { return g.degree(a) > g.degree(b); });
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  const auto adj = g.adjacency_lists();
  for (std::uint32_t i = 0; i < std::min(n, opt.grow_starts); ++i) {
    if (i > 0 && elapsed() > opt.time_limit) break;
    auto s = greedy_grow(adj, kappa, order[i]);
    pool.emplace_back(dks_edges_inside(g, s), std::move(s));
  }
  std::sort(pool.begin(), pool.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  pool.erase(std::unique(pool.begin(), pool.end(), [](const auto& a, const auto& b) { return a.second == b.second; }),
             pool.end());
  DksResult best;
  best.status = SolveStatus::kFeasible;
  best.upper_bound = dks_trivial_upper_bound(g, kappa);
  for (std::size_t i = 0; i < pool.size() && i < std::max<std::uint32_t>(opt.polish, 1); ++i) {
    if (i > 0 && elapsed() > opt.time_limit) break;
    auto s = dks_local_swap(g, pool[i].second, opt.time_limit - elapsed());
    std::uint64_t e = dks_edges_inside(g, s);
    if (best.set.empty() || e > best.edges) {
      best.edges = e;
      best.set = std::move(s);
    }
  }
  if (best.edges >= best.upper_bound) best.status = SolveStatus::kOptimal;
  best.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return best;
}

}  // namespace relugap
