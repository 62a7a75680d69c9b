#include "instances/problems/graph.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace relugap {

bool Graph::add_edge(Vertex u, Vertex v) {
  if (u == v || has_edge(u, v)) return false;
  boost::add_edge(u.value(), v.value(), *g_);
  return true;
}

void Graph::add_new_edge(Vertex u, Vertex v) {
  assert(u != v && !has_edge(u, v));
  boost::add_edge(u.value(), v.value(), *g_);
}

Graph Graph::from_new_edges(std::uint32_t n, const std::vector<std::pair<Vertex, Vertex>>& edges) {
  StrongVector<VertexTag, std::uint32_t> degree(n, 0);
  for (auto [u, v] : edges) {
    assert(u != v && u.value() < n && v.value() < n);
    ++degree[u];
    ++degree[v];
  }
  Graph g(n);
  g.g_->m_edges.reserve(edges.size());
  for (Vertex v : degree.indices()) g.g_->out_edge_list(v.value()).reserve(degree[v]);
  for (auto [u, v] : edges) boost::add_edge(u.value(), v.value(), *g.g_);
  return g;
}

bool Graph::has_edge(Vertex u, Vertex v) const {
  // Scan the shorter out-edge list (boost::edge would scan u's).
  if (boost::out_degree(v.value(), *g_) < boost::out_degree(u.value(), *g_)) std::swap(u, v);
  return boost::edge(u.value(), v.value(), *g_).second;
}

std::vector<Vertex> Graph::neighbors(Vertex v) const {
  std::vector<Vertex> out;
  for (auto [it, end] = boost::adjacent_vertices(v.value(), *g_); it != end; ++it)
    out.emplace_back(static_cast<std::uint32_t>(*it));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::pair<Vertex, Vertex>> Graph::edges() const {
  std::vector<std::pair<Vertex, Vertex>> out;
  out.reserve(num_edges());
  for (auto [it, end] = boost::edges(*g_); it != end; ++it) {
    auto a = static_cast<std::uint32_t>(boost::source(*it, *g_));
    auto b = static_cast<std::uint32_t>(boost::target(*it, *g_));
    if (a > b) std::swap(a, b);
    out.emplace_back(Vertex(a), Vertex(b));
  }
  std::sort(out.begin(), out.end());
  return out;
}

AdjacencyLists Graph::adjacency_lists() const {
  // From the sorted edge list: vertex x receives its smaller neighbours (edges (a, x), a < x)
  // before its larger ones (edges (x, b)), each group in increasing order.
  AdjacencyLists adj(num_vertices());
  for (auto [u, v] : edges()) {
    adj[u].push_back(v);
    adj[v].push_back(u);
  }
  return adj;
}

std::size_t Graph::edges_inside(const VertexSet& chosen) const {
  std::size_t n = 0;
  for (auto [it, end] = boost::edges(*g_); it != end; ++it)
    if (chosen[Vertex(static_cast<std::uint32_t>(boost::source(*it, *g_)))] &&
        chosen[Vertex(static_cast<std::uint32_t>(boost::target(*it, *g_)))])
      ++n;
  return n;
}

VertexSet vertex_mask(std::uint32_t n, const std::vector<Vertex>& set) {
  VertexSet s(n, false);
  for (Vertex v : set) s[v] = true;
  return s;
}

std::vector<Vertex> members(const VertexSet& s) {
  std::vector<Vertex> out;
  for (Vertex v : s.indices())
    if (s[v]) out.push_back(v);
  return out;
}

std::size_t set_size(const VertexSet& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), true)); }

}  // namespace relugap
