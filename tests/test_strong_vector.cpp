// Typed containers over the strong indices (instances/core/strong_vector.hpp): a
// StrongVector<Tag, T> takes only an Index<Tag>; an Assignment is read with a Var.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "instances/core/error.hpp"
#include "instances/core/strong_vector.hpp"
#include "instances/problems/cnf.hpp"
#include "instances/problems/graph.hpp"
#include "instances/problems/set_cover.hpp"
#include "instances/problems/training_set.hpp"
#include "reductions/dks/dks_to_relu.hpp"
#include "reductions/dks/dks_unit_ball.hpp"
#include "solvers/source/dks_common.hpp"

using namespace relugap;

namespace {

template <class C, class I>
concept IndexableBy = requires(C& c, I i) {
  c[i];
};
template <class C, class I>
concept ConstIndexableBy = requires(const C& c, I i) {
  c[i];
};
template <class C, class I>
concept AtBy = requires(C& c, I i) {
  c.at(i);
};

using VertexInts = StrongVector<VertexTag, int>;

// The typing: a vertex array takes a Vertex, and neither another tag's index nor a raw integer.
static_assert(IndexableBy<VertexInts, Vertex>);
static_assert(ConstIndexableBy<VertexInts, Vertex>);
static_assert(!IndexableBy<VertexInts, ClauseId>);
static_assert(!IndexableBy<VertexInts, Var>);
static_assert(!IndexableBy<VertexInts, std::size_t>);
static_assert(!IndexableBy<VertexInts, std::uint32_t>);
static_assert(!IndexableBy<VertexInts, int>);
static_assert(!ConstIndexableBy<VertexInts, ClauseId>);
static_assert(!ConstIndexableBy<VertexInts, std::size_t>);
static_assert(AtBy<VertexInts, Vertex> && !AtBy<VertexInts, ClauseId> && !AtBy<VertexInts, std::size_t>);
// No conversion from a raw integer or between tags, and no construction of an index from an integer implicitly.
static_assert(!std::is_convertible_v<std::size_t, Vertex>);
static_assert(!std::is_convertible_v<ClauseId, Vertex>);
static_assert(std::is_same_v<decltype(std::declval<VertexInts&>().push_back(1)), Vertex>);
static_assert(std::is_same_v<decltype(*std::declval<VertexInts&>().indices().begin()), Vertex>);
// Zero cost: one std::vector inside.
static_assert(sizeof(VertexInts) == sizeof(std::vector<int>));
static_assert(sizeof(Var) == sizeof(std::uint32_t) && std::is_trivially_copyable_v<Var>);

// An Assignment is read by Var only.
static_assert(ConstIndexableBy<Assignment, Var>);
static_assert(!ConstIndexableBy<Assignment, std::size_t>);
static_assert(!ConstIndexableBy<Assignment, Vertex>);
static_assert(!IndexableBy<Assignment, int>);
static_assert(std::is_same_v<decltype(std::declval<const Assignment&>()[Var(0)]), bool>);

// The problem types' arrays are typed.
static_assert(
    std::is_same_v<decltype(std::declval<const SetCoverInstance&>().sets[SetId(0)]), const std::vector<Element>&>);
static_assert(!ConstIndexableBy<decltype(SetCoverInstance::sets), std::size_t>);
static_assert(!ConstIndexableBy<decltype(SetCoverInstance::sets), Element>);
static_assert(!ConstIndexableBy<decltype(SetCoverInstance::costs), Element>);
static_assert(ConstIndexableBy<decltype(std::declval<const SetCoverInstance&>().sets_of_elements()), Element>);
static_assert(!ConstIndexableBy<decltype(std::declval<const SetCoverInstance&>().sets_of_elements()), SetId>);
static_assert(std::is_same_v<decltype(TrainingSet::col)::value_type, Feature>);
static_assert(
    std::is_same_v<decltype(std::declval<const TrainingSet&>().row_cols(SampleId(0))), std::span<const Feature>>);

// Graphs: vertex masks and neighbour lists are indexed by Vertex only, and the functions that
// take a vertex subset take the typed mask, not a std::vector<bool>.
static_assert(IndexableBy<VertexSet, Vertex> && ConstIndexableBy<VertexSet, Vertex>);
static_assert(!ConstIndexableBy<VertexSet, ClauseId> && !ConstIndexableBy<VertexSet, Var>);
static_assert(!ConstIndexableBy<VertexSet, std::size_t> && !ConstIndexableBy<VertexSet, std::uint32_t>);
static_assert(!ConstIndexableBy<VertexSet, SampleId> && !ConstIndexableBy<VertexSet, Feature>);
static_assert(std::is_same_v<decltype(std::declval<const AdjacencyLists&>()[Vertex(0)]), const std::vector<Vertex>&>);
static_assert(!ConstIndexableBy<AdjacencyLists, std::size_t> && !ConstIndexableBy<AdjacencyLists, Element>);
static_assert(std::is_same_v<decltype(std::declval<const Graph&>().adjacency_lists()), AdjacencyLists>);
static_assert(std::is_invocable_v<decltype(&Graph::edges_inside), const Graph&, const VertexSet&>);
static_assert(!std::is_invocable_v<decltype(&Graph::edges_inside), const Graph&, const std::vector<bool>&>);
static_assert(!std::is_invocable_v<decltype(&Graph::degree), const Graph&, std::size_t>);
static_assert(!std::is_invocable_v<decltype(&Graph::degree), const Graph&, Var>);
static_assert(std::is_invocable_v<decltype(&DksUnitBallReduction::phi), const DksUnitBallReduction&, const VertexSet&>);
static_assert(
    !std::is_invocable_v<decltype(&DksUnitBallReduction::phi), const DksUnitBallReduction&, const std::vector<bool>&>);
static_assert(
    std::is_same_v<decltype(std::declval<const DksUnitBallReduction&>().decode_set(ExactNetwork{})), VertexSet>);
static_assert(std::is_same_v<decltype(DksResult::set)::value_type, Vertex>);
static_assert(std::is_same_v<decltype(std::declval<const DksReduction&>().decode(Network{})), std::vector<Vertex>>);
static_assert(sizeof(VertexSet) == sizeof(std::vector<bool>));

// CNF clauses are indexed by ClauseId: not by a position, a variable or a vertex.
static_assert(std::is_same_v<decltype(std::declval<const Cnf&>().clauses[ClauseId(0)]), const Clause&>);
static_assert(!ConstIndexableBy<decltype(Cnf::clauses), std::size_t>);
static_assert(!ConstIndexableBy<decltype(Cnf::clauses), Var> && !ConstIndexableBy<decltype(Cnf::clauses), Vertex>);
static_assert(std::is_same_v<decltype(*std::declval<const Cnf&>().clauses.indices().begin()), ClauseId>);

}  // namespace

TEST_CASE("StrongVector stores, indexes and iterates like the vector inside") {
  VertexInts deg;
  CHECK(deg.empty());
  CHECK(deg.next_index() == Vertex(0));
  const Vertex a = deg.push_back(3);
  const Vertex b = deg.emplace_back(5);
  CHECK(a == Vertex(0));
  CHECK(b == Vertex(1));
  CHECK(deg.size() == 2);
  CHECK(deg[a] == 3);
  deg[b] += 1;
  CHECK(deg[b] == 6);
  CHECK(deg.contains(b));
  CHECK_FALSE(deg.contains(Vertex(2)));

  std::vector<Vertex> seen;
  for (Vertex v : deg.indices()) seen.push_back(v);
  CHECK(seen == std::vector<Vertex>{Vertex(0), Vertex(1)});
  int sum = 0;
  for (int x : deg) sum += x;
  CHECK(sum == 9);
  CHECK(deg.data()[1] == 6);
  CHECK(deg.raw() == std::vector<int>{3, 6});

  VertexInts filled(4, 7);
  CHECK(filled.size() == 4);
  CHECK(filled[Vertex(3)] == 7);
  CHECK(VertexInts(std::vector<int>{3, 6}) == deg);
  CHECK(VertexInts{3, 6} == deg);

  std::size_t n = 0;
  for (Var v : index_range<VarTag>(3)) CHECK(v == Var(static_cast<std::uint32_t>(n++)));
  CHECK(n == 3);
  CHECK(index_range<VarTag>(0).empty());
}

#if RELUGAP_CONTRACTS
TEST_CASE("at() is bounds-checked by a contract") {
  VertexInts deg(2, 0);
  CHECK(deg.at(Vertex(1)) == 0);
  try {
    (void)deg.at(Vertex(2));
    FAIL("no contract violation");
  } catch (const Failure& e) {
    CHECK(e.error().id == "internal.contract");
    CHECK(e.error().reason.find("index 2 out of range (size 2)") != std::string::npos);
  }
#if RELUGAP_BOUNDS_CHECKS
  CHECK_THROWS_AS((void)deg[Vertex(5)], Failure);
#endif
}
#endif

TEST_CASE("Assignment: one byte per variable, read and written with a Var") {
  Assignment a(3);
  CHECK(a.size() == 3);
  CHECK_FALSE(a[Var(1)]);
  a[Var(1)] = true;
  a.set(Var(2), true);
  a.flip(Var(2));
  CHECK(a[Var(1)]);
  CHECK_FALSE(a[Var(2)]);
  CHECK(a.count() == 1);
  CHECK(a.to_bools() == std::vector<bool>{false, true, false});
  CHECK(Assignment::from_bools({false, true, false}) == a);
  CHECK(a.prefix(2) == Assignment{false, true});
  CHECK(Assignment(2, true).count() == 2);

  // A literal and a formula read the assignment.
  Cnf f;
  f.num_vars = 3;
  const ClauseId c0 = f.clauses.push_back({Lit(2), Lit(-3)});
  const ClauseId c1 = f.clauses.push_back({Lit(1)});
  CHECK(c0 == ClauseId(0));
  CHECK(c1 == ClauseId(1));
  CHECK(f.clauses[c1] == Clause{Lit(1)});
  CHECK(Lit(2).eval(a));
  CHECK_FALSE(Lit(-2).eval(a));
  CHECK_FALSE(f.satisfied_by(a));
  CHECK(f.first_violated(a) == 1);
  a[Var(0)] = true;
  CHECK(f.satisfied_by(a));
}

TEST_CASE("VertexSet and AdjacencyLists: a mask and neighbour lists indexed by Vertex") {
  // The path 0-1-2-3 plus the chord 0-2.
  Graph g(4);
  g.add_edge(Vertex(2), Vertex(3));
  g.add_edge(Vertex(0), Vertex(2));
  g.add_edge(Vertex(1), Vertex(2));
  g.add_edge(Vertex(0), Vertex(1));
  const AdjacencyLists adj = g.adjacency_lists();
  REQUIRE(adj.size() == 4);
  for (Vertex v : g.vertices()) CHECK(adj[v] == g.neighbors(v));  // increasing, as neighbors()
  CHECK(adj[Vertex(2)] == std::vector<Vertex>{Vertex(0), Vertex(1), Vertex(3)});

  const VertexSet s = vertex_mask(4, {Vertex(2), Vertex(0), Vertex(1)});
  CHECK(s.size() == 4);
  CHECK(s[Vertex(0)]);
  CHECK_FALSE(s[Vertex(3)]);
  CHECK(set_size(s) == 3);
  CHECK(members(s) == std::vector<Vertex>{Vertex(0), Vertex(1), Vertex(2)});
  CHECK(g.edges_inside(s) == 3);
  CHECK(g.edges_inside(vertex_mask(4, {Vertex(1), Vertex(3)})) == 0);
  CHECK(g.edges_inside(VertexSet(4, true)) == g.num_edges());
  CHECK(dks_edges_inside(g, {Vertex(2), Vertex(3)}) == 1);
  std::vector<Vertex> all(g.vertices().begin(), g.vertices().end());
  CHECK(all == std::vector<Vertex>{Vertex(0), Vertex(1), Vertex(2), Vertex(3)});
}
