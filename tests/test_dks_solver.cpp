// Densest κ-Subgraph solvers: exact branch and bound against brute force,
// heuristics against exact, honest status under time / node limits, and the
// DIMACS clique benchmarks (κ = ω must give C(ω,2), proved).
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "instances/core/interrupt.hpp"
#include "instances/core/rng.hpp"
#include "instances/io/io.hpp"
#include "solvers/source/dks_exact.hpp"
#include "solvers/source/dks_heuristic.hpp"
#include "tests/dks_test_util.hpp"

using namespace relugap;
using relugap::test::random_graph;

namespace {

Graph load(const std::string& name) {
  auto r = read_graph(std::string(RELUGAP_DATA) + "/graph/" + name);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message()));
  return std::move(r).value();
}

void check_set(const Graph& g, std::uint32_t kappa, const DksResult& r) {
  REQUIRE(r.set.size() == kappa);
  for (std::size_t i = 0; i < r.set.size(); ++i) {
    CHECK(r.set[i].value() < g.num_vertices());
    if (i > 0) CHECK(r.set[i - 1] < r.set[i]);  // sorted, distinct
  }
  CHECK(dks_edges_inside(g, r.set) == r.edges);
  CHECK(r.upper_bound >= r.edges);
  if (r.status == SolveStatus::kOptimal) CHECK(r.upper_bound == r.edges);
}

std::uint64_t choose2(std::uint64_t k) { return k * (k - 1) / 2; }

}  // namespace

TEST_CASE("exact == brute force on random graphs with n <= 14; heuristic <= exact") {
  Rng rng(31337);
  int heuristic_optimal = 0, runs = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(1, 14));
    Graph g = random_graph(rng, n, rng.uniform01());
    const auto kappa = static_cast<std::uint32_t>(rng.between(1, n));
    const DksResult bf = dks_brute_force(g, kappa);
    check_set(g, kappa, bf);
    DksExactOptions opt;
    opt.use_heuristic = trial % 2 == 0;
    const DksResult ex = dks_exact(g, kappa, opt);
    INFO("trial " << trial << " n=" << n << " m=" << g.num_edges() << " kappa=" << kappa);
    check_set(g, kappa, ex);
    CHECK(ex.status == SolveStatus::kOptimal);
    CHECK(ex.edges == bf.edges);
    const DksResult h = dks_heuristic(g, kappa);
    check_set(g, kappa, h);
    CHECK(h.edges <= ex.edges);
    CHECK(h.upper_bound >= ex.edges);  // the heuristic's (trivial) bound is sound too
    if (h.status == SolveStatus::kOptimal) CHECK(h.edges == ex.edges);
    heuristic_optimal += h.edges == ex.edges ? 1 : 0;
    ++runs;
  }
  MESSAGE("heuristic optimal on " << heuristic_optimal << " of " << runs);
}

TEST_CASE("a graph too large for the bitsets: no search, the incumbent and the trivial bound") {
  Rng rng(7);
  for (int trial = 0; trial < 60; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(2, 14));
    Graph g = random_graph(rng, n, rng.uniform01());
    const auto kappa = static_cast<std::uint32_t>(rng.between(1, n));
    DksExactOptions opt;
    opt.max_search_bytes = 8;  // any graph needs more
    opt.use_heuristic = trial % 2 == 0;
    const DksResult r = dks_exact(g, kappa, opt);
    INFO("trial " << trial);
    check_set(g, kappa, r);
    CHECK(r.search_skipped);
    CHECK(r.nodes == 0);
    CHECK(r.upper_bound == std::max(dks_trivial_upper_bound(g, kappa), r.edges));
    CHECK(r.upper_bound >= dks_brute_force(g, kappa).edges);  // sound
    CHECK(r.status == (r.upper_bound == r.edges ? SolveStatus::kOptimal : SolveStatus::kFeasible));
    CHECK_FALSE(dks_exact(g, kappa).search_skipped);  // the default limit (1 GiB) lets it search
  }
}

TEST_CASE("node and time limits: the proved bound stays sound, kOptimal only when proved") {
  Rng rng(4242);
  int stopped = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(6, 16));
    Graph g = random_graph(rng, n, 0.3 + 0.6 * rng.uniform01());
    const auto kappa = static_cast<std::uint32_t>(rng.between(2, n - 1));
    const std::uint64_t tau = dks_brute_force(g, kappa).edges;
    DksExactOptions opt;
    opt.node_limit = static_cast<std::uint64_t>(rng.between(1, 40));
    opt.use_heuristic = trial % 3 != 0;
    const DksResult r = dks_exact(g, kappa, opt);
    INFO("trial " << trial << " tau=" << tau << " got " << r.edges << " ub " << r.upper_bound);
    check_set(g, kappa, r);
    CHECK(r.edges <= tau);
    CHECK(r.upper_bound >= tau);
    if (r.status == SolveStatus::kOptimal) CHECK(r.edges == tau);
    if (r.status != SolveStatus::kOptimal) {
      CHECK(r.status == SolveStatus::kFeasible);
      ++stopped;
    }
  }
  CHECK(stopped > 20);  // the limits did bite
}

TEST_CASE("greedy peeling, growth and local swap") {
  // a 4-clique {0,1,2,3} with a pendant path 3-4-5 and an isolated vertex 6
  Graph g(7);
  for (std::uint32_t u = 0; u < 4; ++u)
    for (std::uint32_t v = u + 1; v < 4; ++v) g.add_edge(Vertex(u), Vertex(v));
  g.add_edge(Vertex(3), Vertex(4));
  g.add_edge(Vertex(4), Vertex(5));
  CHECK(dks_greedy_peel(g, 4) == std::vector<Vertex>{Vertex(0), Vertex(1), Vertex(2), Vertex(3)});
  // 5 -> 4 -> 3 -> then 0, 1, 2 tie with one neighbour each: the lowest id wins
  CHECK(dks_greedy_grow(g, 4, Vertex(5)) == std::vector<Vertex>{Vertex(0), Vertex(3), Vertex(4), Vertex(5)});
  auto improved = dks_local_swap(g, {Vertex(3), Vertex(4), Vertex(5), Vertex(6)});
  CHECK(improved.size() == 4);
  CHECK(dks_edges_inside(g, improved) == 6);
  DksResult h = dks_heuristic(g, 4);
  CHECK(h.edges == 6);
  CHECK(h.status == SolveStatus::kOptimal);  // a 4-clique meets the trivial bound
  CHECK_THROWS_AS((void)dks_heuristic(g, 0), relugap::Failure);
  CHECK_THROWS_AS((void)dks_exact(g, 8), relugap::Failure);
  CHECK_THROWS_AS((void)dks_brute_force(g, 8), relugap::Failure);
  Rng rng(3);
  for (int trial = 0; trial < 100; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(2, 30));
    Graph r = random_graph(rng, n, rng.uniform01());
    const auto kappa = static_cast<std::uint32_t>(rng.between(1, n));
    auto s = dks_greedy_peel(r, kappa);
    CHECK(s.size() == kappa);
    auto t = dks_local_swap(r, s);
    CHECK(t.size() == kappa);
    CHECK(dks_edges_inside(r, t) >= dks_edges_inside(r, s));
  }
}

TEST_CASE("DIMACS clique benchmarks: kappa = omega gives C(omega, 2), proved") {
  struct Case {
    const char* file;
    std::uint32_t omega;
  };
  for (Case c : {Case{"johnson8-2-4.clq", 4}, Case{"johnson8-4-4.clq", 14}, Case{"hamming6-2.clq", 32},
                 Case{"keller4.clq", 11}, Case{"C125.9.clq", 34}}) {
    Graph g = load(c.file);
    INFO(c.file);
    DksExactOptions opt;
    opt.time_limit = 120;  // generous: the measured times are well under a second
    const DksResult r = dks_exact(g, c.omega, opt);
    check_set(g, c.omega, r);
    CHECK(r.status == SolveStatus::kOptimal);
    CHECK(r.edges == choose2(c.omega));
    // a heuristic clique is recognised at the root: no search
    if (dks_heuristic(g, c.omega).edges == choose2(c.omega)) CHECK(r.nodes <= 1);
    // and omega + 1 vertices cannot form a clique
    CHECK(dks_trivial_upper_bound(g, c.omega + 1) >= dks_heuristic(g, c.omega + 1).edges);
  }
}

TEST_CASE("johnson8-2-4 with kappa = omega + 1, omega + 2: exact == brute force") {
  Graph g = load("johnson8-2-4.clq");
  for (std::uint32_t kappa : {5u, 6u}) {
    const DksResult bf = dks_brute_force(g, kappa);
    const DksResult ex = dks_exact(g, kappa);
    CHECK(ex.status == SolveStatus::kOptimal);
    CHECK(ex.edges == bf.edges);
    CHECK(ex.edges < choose2(kappa));
  }
}

TEST_CASE("a tiny limit on C125.9 with kappa = 40 reports kFeasible and a sound bound") {
  Graph g = load("C125.9.clq");
  for (int variant = 0; variant < 2; ++variant) {
    DksExactOptions opt;
    if (variant == 0) opt.node_limit = 50;
    if (variant == 1) opt.time_limit = 0.05;
    const DksResult r = dks_exact(g, 40, opt);
    check_set(g, 40, r);
    CHECK(r.status == SolveStatus::kFeasible);
    CHECK(r.upper_bound >= r.edges);
    CHECK(r.upper_bound <= choose2(40));
    CHECK(r.edges >= 700);  // the heuristic alone gets 772 (34-clique plus six vertices)
  }
}

TEST_CASE("a spent time limit stops the search at its next node, pruned nodes included") {
  // A ring-like graph (edges {u, u+k}, k = 1..5): most nodes are pruned inside evaluate(),
  // where the clock used to be read only at every 32nd open node, so a 5 s limit on a
  // 7 692-vertex ring ran 36 s. With the limit already spent, the search stops before
  // its first child.
  const std::uint32_t n = 600;
  Graph g(n);
  for (std::uint32_t u = 0; u < n; ++u)
    for (std::uint32_t k = 1; k <= 5 && u + k < n; ++k) g.add_edge(Vertex(u), Vertex(u + k));
  DksExactOptions opt;
  opt.time_limit = 1e-9;
  opt.use_heuristic = false;
  const DksResult r = dks_exact(g, 10, opt);
  check_set(g, 10, r);
  CHECK(r.status == SolveStatus::kFeasible);
  CHECK(r.nodes <= 1);
  CHECK(r.upper_bound >= 35);  // tau = 35 here: 10 consecutive vertices, 9 + 8 + 7 + 6 + 5 edges
  opt.time_limit = std::numeric_limits<double>::infinity();
  opt.node_limit = 200;
  const DksResult more = dks_exact(g, 10, opt);
  CHECK(more.nodes > 1);  // the same search with the clock out of the way goes on
}

TEST_CASE("an interrupt stops the search with kInterrupted, the best set and a sound bound") {
  Graph g = load("C125.9.clq");
  request_interrupt();
  const DksResult r = dks_exact(g, 40);
  clear_interrupt();
  check_set(g, 40, r);
  CHECK(r.status == SolveStatus::kInterrupted);
  CHECK(r.nodes <= 64);  // polled every 32 nodes
  CHECK(r.upper_bound <= choose2(40));
}
