// Graphs: DIMACS and edge-list round trips, the edge-list header rule,
// MatrixMarket and adjacency-matrix input, and the error ids.
#include <doctest/doctest.h>

#include "instances/core/rng.hpp"
#include "instances/io/io.hpp"
#include "tests/cli_run.hpp"

using namespace relugap;

namespace {
Graph parse_ok(const std::string& text) {
  auto r = parse_graph(text, "g");
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
  return r.value();
}
Error parse_err(const std::string& text) {
  auto r = parse_graph(text, "g");
  REQUIRE_FALSE(r.ok());
  return r.error();
}
using Edges = std::vector<std::pair<Vertex, Vertex>>;
Edges edges(std::initializer_list<std::pair<std::uint32_t, std::uint32_t>> e) {
  Edges out;
  for (auto [u, v] : e) out.emplace_back(Vertex(u), Vertex(v));
  return out;
}
}  // namespace

TEST_CASE("graph round trip through DIMACS and edge list (isolated vertices kept)") {
  test::TempDir dir;
  Rng rng(5);
  for (int trial = 0; trial < 10; ++trial) {
    auto n = static_cast<std::uint32_t>(rng.between(1, 30));
    Graph g(n + 2);  // the last two vertices stay isolated
    for (std::uint32_t u = 0; u < n; ++u)
      for (std::uint32_t v = u + 1; v < n; ++v)
        if (rng.bernoulli(0.3)) g.add_edge(Vertex(u), Vertex(v));
    write_dimacs_graph(dir.file("g.clq"), g, "random graph\nseed 5");
    write_edge_list(dir.file("g.txt"), g);
    for (const char* f : {"g.clq", "g.txt"}) {
      auto back = read_graph(dir.file(f));
      REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message()));
      CHECK(back.value().num_vertices() == g.num_vertices());
      CHECK(back.value().edges() == g.edges());
    }
  }
}

TEST_CASE("DIMACS 'p col' and comments anywhere") {
  Graph g = parse_ok("c a\np col 4 2\nc b\ne 1 2\n\ne 4 3\n");
  CHECK(g.num_vertices() == 4);
  CHECK(g.edges() == edges({{0, 1}, {2, 3}}));
}

TEST_CASE("edge list: a two-number first line is a header only if the edges agree with it") {
  // "4 2" then exactly 2 edges within 1..4: a header.
  Graph a = parse_ok("4 2\n1 2\n3 4\n");
  CHECK(a.num_vertices() == 4);
  CHECK(a.num_edges() == 2);
  // "5 1" then 1 edge: header, so vertices 3..5 are isolated.
  Graph b = parse_ok("5 1\n1 2\n");
  CHECK(b.num_vertices() == 5);
  CHECK(b.num_edges() == 1);
  // "1 2" then 2 more edges: 2 lines do follow, but they use vertices > 1, so it is an edge.
  Graph c = parse_ok("1 2\n2 3\n3 4\n");
  CHECK(c.num_vertices() == 4);
  CHECK(c.edges() == edges({{0, 1}, {1, 2}, {2, 3}}));
  // "n n m" header, '#' and '%' comments.
  Graph d = parse_ok("# comment\n6 6 2\n% another\n1 6\n2 5\n");
  CHECK(d.num_vertices() == 6);
  CHECK(d.edges() == edges({{0, 5}, {1, 4}}));
}

TEST_CASE("MatrixMarket coordinate and adjacency-matrix input") {
  Graph m = parse_ok("%%MatrixMarket matrix coordinate real general\n% c\n4 4 3\n2 1 1\n3 1 1.5\n4 3 1\n");
  CHECK(m.num_vertices() == 4);
  CHECK(m.edges() == edges({{0, 1}, {0, 2}, {2, 3}}));
  Graph p = parse_ok("%%MatrixMarket matrix coordinate pattern symmetric\n3 3 1\n3 2\n");
  CHECK(p.edges() == edges({{1, 2}}));
  Graph a = parse_ok("4\n0 1 0 0\n1 0 1 1\n0 1 0 0\n0 1 0 0\n");
  CHECK(a.num_vertices() == 4);
  CHECK(a.edges() == edges({{0, 1}, {1, 2}, {1, 3}}));
}

TEST_CASE("graph errors: self-loops, duplicates, ranges and counts") {
  CHECK(parse_err("p edge 3 1\ne 2 2\n").id == "graph.self_loop");
  Error dup = parse_err("p edge 3 2\ne 1 2\ne 2 1\n");
  CHECK(dup.id == "graph.duplicate_edge");
  CHECK(dup.line == 3);
  CHECK(dup.reason == "duplicate edge 2 1 (the same undirected edge is on line 2)");
  CHECK(parse_err("p edge 3 1\ne 1 4\n").id == "graph.vertex_range");
  CHECK(parse_err("p edge 3 2\ne 1 2\n").id == "graph.edge_count");
  CHECK(parse_err("p edge 3 0\ne 1 2\n").line == 2);
  CHECK(parse_err("p edge 3 1 9\ne 1 2\n").id == "graph.header");
  CHECK(parse_err("1 2\n2 2\n").id == "graph.self_loop");
  CHECK(parse_err("1 2\n2 1\n").id == "graph.duplicate_edge");
}

TEST_CASE("duplicates are found in sorted input and after the order breaks") {
  // Sorted edges take the fast path (no hash); a repeat of an edge from the sorted prefix
  // after the order breaks still names the line of its first occurrence.
  Error late = parse_err("p edge 4 4\ne 1 2\ne 2 3\ne 3 4\ne 2 1\n");
  CHECK(late.id == "graph.duplicate_edge");
  CHECK(late.line == 5);
  CHECK(late.reason == "duplicate edge 2 1 (the same undirected edge is on line 2)");
  Error adjacent = parse_err("p edge 4 2\ne 1 2\ne 1 2\n");
  CHECK(adjacent.line == 3);
  CHECK(adjacent.reason == "duplicate edge 1 2 (the same undirected edge is on line 2)");
  Error after = parse_err("p edge 5 4\ne 1 2\ne 4 5\ne 1 3\ne 5 4\n");
  CHECK(after.line == 5);
  CHECK(after.reason == "duplicate edge 5 4 (the same undirected edge is on line 3)");
  Graph g = parse_ok("p edge 5 4\ne 1 2\ne 4 5\ne 3 1\ne 2 5\n");
  CHECK(g.edges() == edges({{0, 1}, {0, 2}, {1, 4}, {3, 4}}));
  CHECK(g.degree(Vertex(4)) == 2);
  CHECK(g.has_edge(Vertex(2), Vertex(0)));
  CHECK_FALSE(g.has_edge(Vertex(2), Vertex(1)));
}

TEST_CASE("Graph moves leave an empty graph; copies are deep") {
  Graph a = Graph::from_new_edges(4, {{Vertex(0), Vertex(1)}, {Vertex(2), Vertex(1)}, {Vertex(3), Vertex(0)}});
  Graph b = a;
  CHECK(b.add_edge(Vertex(2), Vertex(3)));
  CHECK(a.num_edges() == 3);
  CHECK(b.num_edges() == 4);
  Graph c = std::move(b);
  CHECK(c.num_edges() == 4);
  CHECK(b.num_vertices() == 0);  // NOLINT: the moved-from state is documented
  CHECK(b.num_edges() == 0);     // NOLINT
  b = c;
  CHECK(b.edges() == c.edges());
  a = std::move(c);
  CHECK(a.num_edges() == 4);
  CHECK(a.neighbors(Vertex(3)) == std::vector<Vertex>{Vertex(0), Vertex(2)});
}

TEST_CASE("edge-list vertex beyond the cap is an error, not an allocation") {
  Error e = parse_err("1 2\n2 99999999999\n");
  CHECK(e.id == "graph.vertex_range");
}

TEST_CASE("DIMACS: the in-place fast path and the general tokenizer read the same graph and errors") {
  // "e U V\n" lines take the fast path; any other spacing, CRLF, a last line without a
  // newline or leading zeros must give the same graph, and errors the same ids and lines.
  const Edges want = edges({{0, 1}, {0, 3}, {1, 2}, {2, 3}});
  for (const std::string text :
       {"p edge 4 4\ne 1 2\ne 1 4\ne 2 3\ne 3 4\n", "p edge 4 4\r\ne 1 2\r\ne 1 4\r\ne 2 3\r\ne 3 4\r\n",
        "p edge 4 4\ne 1 2\nc between\n\ne\t1 4\ne  2 3 \ne 3 4", "p edge 4 4\ne 01 002\ne 1 4\n  e 2 3\ne 3 4\r"}) {
    INFO(text);
    CHECK(parse_ok(text).edges() == want);
  }
  Error range = parse_err("p edge 3 2\nc x\ne 1 2\r\ne\t1  4\n");
  CHECK(range.id == "graph.vertex_range");
  CHECK(range.line == 4);
  Error range_fast = parse_err("p edge 3 2\nc x\ne 1 2\ne 1 4\n");
  CHECK(range_fast.id == "graph.vertex_range");
  CHECK(range_fast.line == 4);
  CHECK(parse_err("p edge 3 1\ne 0 1\n").id == "graph.vertex_range");
  Error huge = parse_err("p edge 3 1\ne 1 12345678901234567890123\n");  // beyond the fast path's 18 digits
  CHECK(huge.id == "graph.vertex_range");
  CHECK(huge.line == 2);
  CHECK(parse_err("p edge 3 1\ne 1 2x\n").id == "graph.vertex");
  CHECK(parse_err("p edge 3 1\ne 1 \n").id == "graph.edge");
  CHECK(parse_err("p edge 3 1\ne 1 2 3\n").id == "graph.edge");
  Error more = parse_err("p edge 3 1\ne 1 2\ne 2 3\n");
  CHECK(more.id == "graph.edge_count");
  CHECK(more.line == 3);
  Error dup = parse_err("p edge 3 3\ne 1 2\nc\ne 2 3\ne 2 1\n");
  CHECK(dup.line == 5);
  CHECK(dup.reason == "duplicate edge 2 1 (the same undirected edge is on line 2)");
}
