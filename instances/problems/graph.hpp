#pragma once
// A simple undirected graph on vertices 0..n-1, stored as a Boost.Graph
// adjacency list. No self-loops, no parallel edges (add_edge enforces it).
#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "instances/core/index.hpp"
#include "instances/core/strong_vector.hpp"

namespace relugap {

/// A subset of the vertices as a mask indexed by Vertex: s[v] = v is in the set.
using VertexSet = StrongVector<VertexTag, bool>;
/// Neighbour lists indexed by Vertex, each in increasing order.
using AdjacencyLists = StrongVector<VertexTag, std::vector<Vertex>>;

/// The mask of n vertices with exactly `set` chosen. Contract: every vertex < n.
[[nodiscard]] VertexSet vertex_mask(std::uint32_t n, const std::vector<Vertex>& set);
/// The chosen vertices of a mask, increasing.
[[nodiscard]] std::vector<Vertex> members(const VertexSet& s);
/// Number of chosen vertices.
[[nodiscard]] std::size_t set_size(const VertexSet& s);

// Out-edges in vectors, not sets: building a dense graph (millions of edges) through std::set
// insertions took 35 s and 1.4 GB for 4·10⁶ edges. Readers and generators know their edges are
// distinct and use add_new_edge; add_edge checks with a scan of the smaller endpoint's list.
// The edge list (the seventh parameter) is a vector, not Boost's default std::list: one node
// allocation per edge dominated reading a 10⁶-edge DIMACS file (issue 20). No code removes edges,
// the one operation a vector makes linear.
using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                         boost::no_property, boost::no_property, boost::vecS>;

class Graph {
 public:
  Graph() : g_(std::make_unique<BoostGraph>()) {}
  explicit Graph(std::uint32_t n) : g_(std::make_unique<BoostGraph>(n)) {}
  /// The graph on n vertices with exactly these edges, built in one pass: each vertex's
  /// list and the edge list are sized first. Contract: every (u, v) has u ≠ v, both < n,
  /// and no edge is listed twice (in either orientation); readers check this first.
  static Graph from_new_edges(std::uint32_t n, const std::vector<std::pair<Vertex, Vertex>>& edges);
  // The Boost graph lives behind a pointer: Boost 1.74's adjacency_list has no move
  // constructor, and its swap copies, so a Graph returned in a Result was copied edge by
  // edge (a third of reading a 10⁶-edge file). A move now moves the pointer and leaves an
  // empty graph behind.
  Graph(const Graph& o) : g_(std::make_unique<BoostGraph>(*o.g_)) {}
  Graph& operator=(const Graph& o) {
    if (this != &o) *g_ = *o.g_;
    return *this;
  }
  Graph(Graph&& o) : g_(std::exchange(o.g_, std::make_unique<BoostGraph>())) {}
  Graph& operator=(Graph&& o) {
    if (this != &o) g_ = std::exchange(o.g_, std::make_unique<BoostGraph>());
    return *this;
  }
  ~Graph() = default;

  [[nodiscard]] std::uint32_t num_vertices() const { return static_cast<std::uint32_t>(boost::num_vertices(*g_)); }
  [[nodiscard]] std::size_t num_edges() const { return boost::num_edges(*g_); }
  /// Adds {u, v}. Returns false (and adds nothing) for a self-loop or an
  /// existing edge. Contract: u, v < num_vertices().
  bool add_edge(Vertex u, Vertex v);
  /// Adds {u, v} without looking for it first. Contract: u ≠ v, both < num_vertices(),
  /// and {u, v} not yet in the graph (asserted in debug builds).
  void add_new_edge(Vertex u, Vertex v);
  [[nodiscard]] bool has_edge(Vertex u, Vertex v) const;
  [[nodiscard]] std::size_t degree(Vertex v) const { return boost::degree(v.value(), *g_); }
  /// Neighbours of v in increasing order.
  [[nodiscard]] std::vector<Vertex> neighbors(Vertex v) const;
  /// Every edge once, as (u, v) with u < v, sorted.
  [[nodiscard]] std::vector<std::pair<Vertex, Vertex>> edges() const;
  /// Every vertex's neighbours in increasing order (one pass over the edges).
  [[nodiscard]] AdjacencyLists adjacency_lists() const;
  /// Every vertex, Vertex(0) .. Vertex(n - 1).
  [[nodiscard]] IndexRange<VertexTag> vertices() const { return index_range<VertexTag>(num_vertices()); }
  /// Number of edges with both ends in `chosen` (chosen[v] = in the set).
  /// Contract: chosen.size() == num_vertices().
  [[nodiscard]] std::size_t edges_inside(const VertexSet& chosen) const;

  [[nodiscard]] const BoostGraph& boost() const { return *g_; }

 private:
  std::unique_ptr<BoostGraph> g_;  // never null
};

}  // namespace relugap
