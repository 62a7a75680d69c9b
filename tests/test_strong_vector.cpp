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
#include "instances/problems/lin2.hpp"
#include "instances/problems/loss.hpp"
#include "instances/problems/network.hpp"
#include "instances/problems/set_cover.hpp"
#include "instances/problems/training_set.hpp"
#include "reductions/dks/dks_to_relu.hpp"
#include "reductions/dks/dks_unit_ball.hpp"
#include "reductions/maxcut/maxcut_to_relu.hpp"
#include "reductions/maxcut/sat3_to_lin2.hpp"
#include "reductions/sat/one_in_three.hpp"
#include "reductions/setcover/setcover_to_relu.hpp"
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

// Max-Cut / Max-2Lin(2) signs are their own type, indexed by Vertex: not a VertexSet, not a
// plain bit string, not indexable by a position or a variable.
static_assert(!std::is_same_v<VertexSigns, VertexSet>);
static_assert(!std::is_convertible_v<VertexSet, VertexSigns> && !std::is_convertible_v<std::vector<bool>, VertexSigns>);
static_assert(ConstIndexableBy<VertexSigns, Vertex> && !ConstIndexableBy<VertexSigns, std::size_t>);
static_assert(!ConstIndexableBy<VertexSigns, Var> && !ConstIndexableBy<VertexSigns, Feature>);
static_assert(std::is_invocable_v<decltype(&Lin2Instance::satisfied), const Lin2Instance&, const VertexSigns&>);
static_assert(!std::is_invocable_v<decltype(&Lin2Instance::satisfied), const Lin2Instance&, const std::vector<bool>&>);
static_assert(!std::is_invocable_v<decltype(&Lin2Instance::satisfied), const Lin2Instance&, const VertexSet&>);
static_assert(std::is_same_v<decltype(std::declval<const MaxCutReduction&>().decode(Network{})), VertexSigns>);
static_assert(std::is_same_v<decltype(std::declval<const Sat3ToLin2&>().lift(Assignment{})), VertexSigns>);

// A unit's weights are indexed by Feature: not by a sample, a unit, a vertex or a position.
using ExactRow = decltype(std::declval<const ExactNetwork&>().row(UnitId(0)));
using Row = decltype(std::declval<Network&>().row(UnitId(0)));
static_assert(std::is_same_v<Row, StrongSpan<FeatureTag, double>>);
static_assert(ConstIndexableBy<ExactRow, Feature> && ConstIndexableBy<Row, Feature>);
static_assert(!ConstIndexableBy<Row, SampleId> && !ConstIndexableBy<Row, UnitId> && !ConstIndexableBy<Row, Vertex>);
static_assert(!ConstIndexableBy<Row, std::size_t> && !ConstIndexableBy<Row, int>);
static_assert(std::is_same_v<decltype(std::declval<const ExactRow&>()[Feature(0)]), const Rational&>);
static_assert(std::is_same_v<decltype(SetCoverReduction::set_coord(SetId(0))), Feature>);
static_assert(std::is_same_v<decltype(DksReduction::vertex_coord(Vertex(0))), Feature>);

// 1-in-3 clauses are indexed by ClauseId.
static_assert(
    std::is_same_v<decltype(std::declval<const OneInThreeFormula&>().clauses[ClauseId(0)]), const OneInThreeClause&>);
static_assert(!ConstIndexableBy<decltype(OneInThreeFormula::clauses), std::size_t>);
static_assert(!ConstIndexableBy<decltype(OneInThreeFormula::clauses), Var>);

// The 3-SAT -> Max-2Lin(2) numbering: reference vertex, variable vertices, clause vertices.
static_assert(std::is_invocable_r_v<Vertex, decltype(&Sat3ToLin2::var_vertex), Var>);
static_assert(!std::is_invocable_v<decltype(&Sat3ToLin2::var_vertex), std::uint32_t>);
static_assert(std::is_invocable_r_v<Vertex, decltype(&Sat3ToLin2::clause_vertex), const Sat3ToLin2&, ClauseId>);
static_assert(!std::is_invocable_v<decltype(&Sat3ToLin2::clause_vertex), const Sat3ToLin2&, Var>);

// The graph reader hands typed edge pairs to Graph::from_new_edges.
static_assert(std::is_invocable_v<decltype(&Graph::from_new_edges), std::uint32_t,
                                  const std::vector<std::pair<Vertex, Vertex>>&>);
static_assert(!std::is_invocable_v<decltype(&Graph::from_new_edges), std::uint32_t,
                                   const std::vector<std::pair<std::uint32_t, std::uint32_t>>&>);

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

TEST_CASE("VertexSigns: a ±1 value per vertex, read with a Vertex") {
  VertexSigns s(3, true);
  s[Vertex(1)] = false;
  CHECK(s.sign(Vertex(0)) == 1);
  CHECK(s.sign(Vertex(1)) == -1);
  CHECK(s.raw() == std::vector<bool>{true, false, true});
  CHECK(VertexSigns(std::vector<bool>{true, false, true}) == s);
  // Max-2Lin(2): σ_0 σ_1 = −1 holds, σ_1 σ_2 = +1 does not, σ_0 σ_2 = +1 holds.
  Lin2Instance inst;
  inst.n = 3;
  inst.cons = {{Vertex(0), Vertex(1), -1}, {Vertex(1), Vertex(2), 1}, {Vertex(0), Vertex(2), 1}};
  CHECK(inst.satisfied(s) == 2);
  CHECK(inst.satisfied(VertexSigns(3, true)) == 2);
}

TEST_CASE("Network rows: one unit's weights indexed by Feature") {
  Network net(2, 3);
  auto r1 = net.row(UnitId(1));
  CHECK(r1.size() == 3);
  r1[Feature(2)] = 5.0;
  CHECK(net.w[1 * 3 + 2] == 5.0);  // row-major: unit 1, coordinate 2
  CHECK(net.weight(UnitId(1), Feature(2)) == 5.0);
  const Network& cnet = net;
  StrongSpan<FeatureTag, const double> c = cnet.row(UnitId(1));
  CHECK(c[Feature(2)] == 5.0);
  double sum = 0;
  for (double x : cnet.row(UnitId(0))) sum += x;
  CHECK(sum == 0.0);
  std::vector<Feature> seen(c.indices().begin(), c.indices().end());
  CHECK(seen == std::vector<Feature>{Feature(0), Feature(1), Feature(2)});
  // predict() reads the row through the sample's Feature columns.
  TrainingSet d(3);
  d.add({{0, 1.0}, {2, 2.0}}, 0.0, 1.0);
  net.a = {1.0, 1.0};
  CHECK(predict(d, SampleId(0), net) == 10.0);  // unit 1: 5·2
}

TEST_CASE("3SAT -> Max-2Lin(2) numbering: r, then variables, then clauses; clouds hold a vertex's copies") {
  Cnf f;
  f.num_vars = 3;
  f.clauses.push_back({Lit(1), Lit(-2), Lit(3)});
  f.clauses.push_back({Lit(-1), Lit(2), Lit(3)});
  const Sat3ToLin2 r(f);
  const std::uint32_t N = r.split().formula().num_vars;
  CHECK(Sat3ToLin2::reference_vertex() == Vertex(0));
  CHECK(Sat3ToLin2::var_vertex(Var(2)) == Vertex(3));
  CHECK(r.clause_vertex(ClauseId(1)) == Vertex(1 + N + 1));
  CHECK(r.intermediate().n == 1 + N + r.clauses());
  // The clouds partition the output vertices in order.
  std::uint32_t next = 0;
  for (Vertex v : index_range<VertexTag>(r.intermediate().n)) {
    CHECK(r.cloud(v, 0) == Vertex(next));
    next += r.cloud_size(v);
  }
  CHECK(next == r.instance().n);
  // lift puts the reference vertex at +1 and a variable's cloud at its value.
  Assignment a(3);
  a[Var(1)] = true;
  const VertexSigns sigma = r.lift(a);
  const Vertex x1 = Sat3ToLin2::var_vertex(Var(1));
  CHECK(sigma[r.cloud(Sat3ToLin2::reference_vertex(), 0)]);
  for (std::uint32_t i = 0; i < r.cloud_size(x1); ++i) CHECK(sigma[r.cloud(x1, i)]);
  CHECK(r.decode(sigma) == a);
}

TEST_CASE("1-in-3 clauses are read with a ClauseId") {
  OneInThreeFormula f;
  f.num_vars = 3;
  const ClauseId c0 = f.clauses.push_back({Lit(1), Lit(2), Lit(3)});
  const ClauseId c1 = f.clauses.push_back({Lit(-1), Lit(2), Lit(3)});
  CHECK(c1 == ClauseId(1));
  CHECK(f.clauses[c0][0] == Lit(1));
  CHECK(to_string(f) == "R(1,2,3) R(-1,2,3)");
  Assignment a(3);
  a[Var(1)] = true;
  CHECK(f.num_violated(a) == 1);  // R(¬1, 2, 3) has two true positions
  CHECK_FALSE(f.satisfied_by(a));
}
