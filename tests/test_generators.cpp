// Seeded generators and the Rng they draw from: determinism (golden bytes and
// golden in-memory hashes), planted certificates, parameter validation.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "instances/core/rng.hpp"
#include "instances/gen/generators.hpp"
#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "relugap_version.hpp"
#include "tests/golden_gen.hpp"

using namespace relugap;
using relugap::test::check_golden;
using relugap::test::TempDir;

namespace {

// ---- canonical in-memory text (independent of the file writers) -------------

std::string canon(const GeneratedCnf& g) {
  std::ostringstream o;
  o << "cnf " << g.formula.num_vars << ' ' << g.formula.num_clauses() << '\n';
  for (const auto& c : g.formula.clauses) {
    for (Lit l : c) o << l.dimacs() << ' ';
    o << "0\n";
  }
  if (g.planted) {
    o << "planted";
    for (bool b : *g.planted) o << ' ' << (b ? 1 : 0);
    o << '\n';
  }
  o << to_json(g.record).dump() << '\n';
  return o.str();
}

std::string canon(const GeneratedGraph& g) {
  std::ostringstream o;
  o << "graph " << g.graph.num_vertices() << ' ' << g.graph.num_edges() << '\n';
  for (auto [u, v] : g.graph.edges()) o << u << ' ' << v << '\n';
  if (g.planted) {
    o << "planted";
    for (Vertex v : *g.planted) o << ' ' << v;
    o << '\n';
  }
  o << to_json(g.record).dump() << '\n';
  return o.str();
}

std::string canon(const GeneratedSetCover& g) {
  std::ostringstream o;
  o << "setcover " << g.instance.num_elements << ' ' << g.instance.num_sets() << '\n';
  for (SetId j : g.instance.sets.indices()) {
    o << g.instance.costs[j] << ':';
    for (Element u : g.instance.sets[j]) o << ' ' << u;
    o << '\n';
  }
  if (g.planted) {
    o << "planted " << g.planted->cost << ':';
    for (SetId s : g.planted->sets) o << ' ' << s;
    o << '\n';
  }
  o << to_json(g.record).dump() << '\n';
  return o.str();
}

template <class G>
std::string sha(const G& g) {
  return sha256_hex(canon(g));
}

// ---- the golden cases (the same parameters as test_cmd_gen's command lines) --

GeneratedCnf sat_random() { return generate_3sat({.vars = 12, .clauses = 40}, 7).value(); }
GeneratedCnf sat_planted() { return generate_3sat({.vars = 12, .clauses = 40, .planted = true}, 7).value(); }
GeneratedGraph gnp() { return generate_graph({.vertices = 12, .p = 0.3}, 7).value(); }
GeneratedGraph gnp_clique() {
  return generate_graph({.vertices = 12, .p = 0.3, .plant = GraphPlant::kClique, .k = 5}, 7).value();
}
GeneratedGraph gnp_dense() {
  return generate_graph({.vertices = 12, .p = 0.2, .plant = GraphPlant::kDense, .k = 5, .q = 0.8}, 7).value();
}
GeneratedSetCover sc_random() { return generate_set_cover({.elements = 10, .sets = 8}, 7).value(); }
GeneratedSetCover sc_planted() {
  return generate_set_cover({.elements = 10, .sets = 8, .plant_cover = 3, .max_cost = 5}, 7).value();
}
// The same with the coins, the default of earlier versions for p >= 0.01: their bytes must not move.
GeneratedGraph gnp_coins() { return generate_graph({.vertices = 12, .p = 0.3, .sampler = Sampler::kCoins}, 7).value(); }
GeneratedGraph gnp_clique_coins() {
  return generate_graph({.vertices = 12, .p = 0.3, .plant = GraphPlant::kClique, .k = 5, .sampler = Sampler::kCoins}, 7)
      .value();
}
GeneratedGraph gnp_dense_coins() {
  return generate_graph(
             {.vertices = 12, .p = 0.2, .plant = GraphPlant::kDense, .k = 5, .q = 0.8, .sampler = Sampler::kCoins}, 7)
      .value();
}
GeneratedSetCover sc_random_coins() {
  return generate_set_cover({.elements = 10, .sets = 8, .sampler = Sampler::kCoins}, 7).value();
}
GeneratedSetCover sc_planted_coins() {
  return generate_set_cover({.elements = 10, .sets = 8, .plant_cover = 3, .max_cost = 5, .sampler = Sampler::kCoins}, 7)
      .value();
}
// Geometric skipping, the default of earlier versions for 0 < p < 0.01 (bytes with glibc's log1p).
GeneratedGraph gnp_geometric() {
  return generate_graph({.vertices = 100, .p = 0.009, .sampler = Sampler::kGeometric}, 7).value();
}
GeneratedSetCover sc_geometric() {
  return generate_set_cover({.elements = 300, .sets = 40, .p = 0.009, .sampler = Sampler::kGeometric}, 7).value();
}

double chi_square(const std::vector<std::uint64_t>& counts, double expected) {
  double x = 0;
  for (auto c : counts) x += (static_cast<double>(c) - expected) * (static_cast<double>(c) - expected) / expected;
  return x;
}

}  // namespace

// ---- Rng -------------------------------------------------------------------

TEST_CASE("Rng(42): pinned first outputs (xoshiro256** seeded by SplitMix64)") {
  // Computed by an independent Python transcription of the reference algorithms.
  Rng r(42);
  CHECK(r.next() == 0x15780b2e0c2ec716ULL);
  CHECK(r.next() == 0x6104d9866d113a7eULL);
  CHECK(r.next() == 0xae17533239e499a1ULL);
  CHECK(r.next() == 0xecb8ad4703b360a1ULL);
  CHECK(r.next() == 0xfde6dc7fe2ec5e64ULL);
  CHECK(Rng(42).seed() == 42);
}

TEST_CASE("Rng::below is in range and roughly uniform") {
  for (std::uint64_t n : {1ULL, 2ULL, 7ULL, 10ULL, 1000ULL}) {
    Rng r(1234 + n);
    const std::uint64_t draws = 20000 * n > 200000 ? 200000 : 20000 * n;
    std::vector<std::uint64_t> counts(n, 0);
    std::uint64_t out_of_range = 0;
    for (std::uint64_t i = 0; i < draws; ++i) {
      const auto x = r.below(n);
      if (x < n)
        ++counts[x];
      else
        ++out_of_range;
    }
    REQUIRE(out_of_range == 0);
    if (n == 1) continue;
    // dof = n - 1; mean dof, sd sqrt(2 dof): 6 sd above the mean is a loose
    // bound that a correct generator with this fixed seed passes and a biased one fails.
    const double dof = static_cast<double>(n - 1);
    CHECK_MESSAGE(
        chi_square(counts, static_cast<double>(draws) / static_cast<double>(n)) < dof + 6 * std::sqrt(2 * dof) + 10,
        "n = " << n);
  }
}

TEST_CASE("Rng::below is unbiased for n close to 2^64 (where naive modulo is not)") {
  // n = 3 * 2^62: naive next() % n would put half of the mass in [0, 2^62).
  const std::uint64_t n = 3ULL << 62;
  Rng r(99);
  std::vector<std::uint64_t> third(3, 0);
  const int draws = 30000;
  for (int i = 0; i < draws; ++i) ++third[r.below(n) >> 62];
  CHECK(chi_square(third, draws / 3.0) < 2 + 6 * 2 + 10);
}

TEST_CASE("Rng::sample returns distinct values in range; shuffle permutes") {
  Rng r(5);
  for (std::uint32_t k : {0U, 1U, 5U, 50U, 100U}) {
    auto s = r.sample(100, k);
    CHECK(s.size() == k);
    std::set<std::uint32_t> distinct(s.begin(), s.end());
    CHECK(distinct.size() == k);
    for (auto x : s) CHECK(x < 100);
  }
  auto all = r.sample(30, 30);
  std::sort(all.begin(), all.end());
  for (std::uint32_t i = 0; i < 30; ++i) CHECK(all[i] == i);
  std::vector<int> v{1, 2, 3, 4, 5, 6, 7, 8};
  r.shuffle(v);
  std::vector<int> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8});
  // The first element of sample(10, 3) is uniform.
  std::vector<std::uint64_t> first(10, 0);
  for (int i = 0; i < 50000; ++i) ++first[r.sample(10, 3)[0]];
  CHECK(chi_square(first, 5000.0) < 9 + 6 * std::sqrt(18.0) + 10);
}

// ---- golden in-memory hashes and golden bytes ----------------------------------

TEST_CASE("golden: in-memory instances at seed 7") {
  // SHA-256 of canon(...) above. If a change to a generator is intended,
  // update these and the golden files (RELUGAP_UPDATE_GOLDEN=1) together.
  CHECK(sha(sat_random()) == "f0d7262390848ca010b1348de637fdb49acdeda5997743b5cae14c7faeb5857e");
  CHECK(sha(sat_planted()) == "125b8f5feb121750a41edf48a1633ce31d47a50e06a8a55a9b8ae560c8cc57ff");
  CHECK(sha(gnp()) == "20c5dd57b01b7e132b55f7877528300bc5540b0dc2f874a8eaab0d68cd107b20");
  CHECK(sha(gnp_clique()) == "1f73a002f0a3d66639e71bb1a24d745d8ce6db0ccd6f5e350f2cf827540d099a");
  CHECK(sha(gnp_dense()) == "b5d2c5e04c75bd578dd5aa0d446f1ff55d53596c74798ad56b811d97636a5636");
  CHECK(sha(sc_random()) == "aed1100eccaffeebe543a4e07cb84846e6c89867b90ada3f43c7e1ffc87129ee");
  CHECK(sha(sc_planted()) == "7a8099f60e45ba8cd38e36ce18b99346359a2678dd00d5330b0ca85e50c278ea");
  // The coins' stream, the default up to session 17: the hashes the defaults had then.
  CHECK(sha(gnp_coins()) == "857841d6709fad1e91feb0f4fbf70beb76cd796fc195241227c342ea93a7cbfb");
  CHECK(sha(gnp_clique_coins()) == "6453131981701ce6664ceea04ab376cdd80badf637dbd07c2e1575e8d7ccfb58");
  CHECK(sha(gnp_dense_coins()) == "7dd67f72ee5e92028b237a3b6ed0e3be5c7de4a6325e70b9b0d9d9eadb4d5489");
  CHECK(sha(sc_random_coins()) == "0d243e5b902f11024bd42e2bc70da4b50cba963459cfbadeb3296d9eb8a9fdb5");
  CHECK(sha(sc_planted_coins()) == "cd502be7e6502991a98fb844d0d2f487c658884aabc013357da99360188fd086");
}

TEST_CASE("golden: file bytes at seed 7 (written as `relugap gen` writes them)") {
  TempDir dir;
  write_cnf(dir.file("a.cnf"), sat_random().formula, provenance_comment(sat_random()));
  check_golden(dir.file("a.cnf"), "3sat_random.cnf");
  write_cnf(dir.file("b.cnf"), sat_planted().formula, provenance_comment(sat_planted()));
  check_golden(dir.file("b.cnf"), "3sat_planted.cnf");
  write_dimacs_graph(dir.file("c.clq"), gnp().graph, provenance_comment(gnp()));
  check_golden(dir.file("c.clq"), "gnp.clq");
  write_dimacs_graph(dir.file("d.clq"), gnp_clique().graph, provenance_comment(gnp_clique()));
  check_golden(dir.file("d.clq"), "gnp_clique.clq");
  write_dimacs_graph(dir.file("e.clq"), gnp_dense().graph, provenance_comment(gnp_dense()));
  check_golden(dir.file("e.clq"), "gnp_dense.clq");
  write_edge_list(dir.file("f.edges"), gnp().graph);
  check_golden(dir.file("f.edges"), "gnp.edges");
  write_file_atomic(dir.file("f.edges.json"), [](std::ostream& o) { o << provenance_json(gnp()).dump(2) << '\n'; });
  check_golden(dir.file("f.edges.json"), "gnp.edges.json");
  write_set_cover(dir.file("g.txt"), sc_random().instance);
  check_golden(dir.file("g.txt"), "setcover_random.txt");
  write_file_atomic(dir.file("g.txt.json"), [](std::ostream& o) { o << provenance_json(sc_random()).dump(2) << '\n'; });
  check_golden(dir.file("g.txt.json"), "setcover_random.txt.json");
  write_set_cover(dir.file("h.txt"), sc_planted().instance);
  check_golden(dir.file("h.txt"), "setcover_planted.txt");
  write_file_atomic(dir.file("h.txt.json"),
                    [](std::ostream& o) { o << provenance_json(sc_planted()).dump(2) << '\n'; });
  check_golden(dir.file("h.txt.json"), "setcover_planted.txt.json");
  // The old samplers' streams (`--sampler coins|geometric`, and `gen setcover --sampler table` of
  // session 17, the default's stream since): files written by earlier versions stay reproducible.
  write_dimacs_graph(dir.file("j.clq"), gnp_coins().graph, provenance_comment(gnp_coins()));
  check_golden(dir.file("j.clq"), "gnp_coins.clq");
  write_dimacs_graph(dir.file("k.clq"), gnp_geometric().graph, provenance_comment(gnp_geometric()));
  check_golden(dir.file("k.clq"), "gnp_geometric.clq");
  write_set_cover(dir.file("l.txt"), sc_random_coins().instance);
  check_golden(dir.file("l.txt"), "setcover_coins.txt");
  write_file_atomic(dir.file("l.txt.json"),
                    [](std::ostream& o) { o << provenance_json(sc_random_coins()).dump(2) << '\n'; });
  check_golden(dir.file("l.txt.json"), "setcover_coins.txt.json");
  write_set_cover(dir.file("m.txt"), sc_geometric().instance);
  check_golden(dir.file("m.txt"), "setcover_geometric.txt");
  write_file_atomic(dir.file("m.txt.json"),
                    [](std::ostream& o) { o << provenance_json(sc_geometric()).dump(2) << '\n'; });
  check_golden(dir.file("m.txt.json"), "setcover_geometric.txt.json");
  const auto t = generate_set_cover({.elements = 10, .sets = 8, .p = 0.3, .sampler = Sampler::kTable}, 7).value();
  write_set_cover(dir.file("i.txt"), t.instance);
  check_golden(dir.file("i.txt"), "setcover_table.txt");
  write_file_atomic(dir.file("i.txt.json"), [&](std::ostream& o) { o << provenance_json(t).dump(2) << '\n'; });
  check_golden(dir.file("i.txt.json"), "setcover_table.txt.json");
}

TEST_CASE("golden files read back as the in-memory instances") {
  if (relugap::test::update_golden()) return;
  auto f = read_cnf(relugap::test::golden_path("3sat_planted.cnf"));
  REQUIRE(f.ok());
  CHECK(f.value().num_vars == 12);
  CHECK(f.value().clauses == sat_planted().formula.clauses);
  auto g = read_graph(relugap::test::golden_path("gnp_clique.clq"));
  REQUIRE(g.ok());
  CHECK(g.value().edges() == gnp_clique().graph.edges());
  auto e = read_graph(relugap::test::golden_path("gnp.edges"));
  REQUIRE(e.ok());
  CHECK(e.value().edges() == gnp().graph.edges());
  auto s = read_set_cover(relugap::test::golden_path("setcover_planted.txt"));
  REQUIRE(s.ok());
  CHECK(s.value().sets == sc_planted().instance.sets);
  CHECK(s.value().costs == sc_planted().instance.costs);
}

TEST_CASE("provenance records generator, seed, version and parameters") {
  const std::string c = provenance_comment(sat_planted());
  CHECK(c.find(std::string("relugap ") + kVersion + "\n") == 0);
  CHECK(c.find("\ngenerator planted_3sat\n") != std::string::npos);
  CHECK(c.find("\nseed 7\n") != std::string::npos);
  CHECK(c.find("\nparams {\"clauses\":40,\"planted\":true,\"vars\":12}\n") != std::string::npos);
  CHECK(c.find("\nplanted assignment ") != std::string::npos);
  CHECK(provenance_comment(sat_random()).find("\nplanted") == std::string::npos);
  CHECK(provenance_comment(gnp_clique()).find("\nplanted clique ") != std::string::npos);
  CHECK(provenance_comment(gnp_dense()).find("\nplanted dense ") != std::string::npos);
  auto j = provenance_json(sc_planted());
  CHECK(j["relugap_version"] == kVersion);
  CHECK(j["kind"] == "setcover");
  CHECK(j["generator"]["name"] == "planted_set_cover");
  CHECK(j["generator"]["seed"] == 7);
  CHECK(j["generator"]["params"]["plant_cover"] == 3);
  CHECK(j["generator"]["params"]["max_cost"] == 5);
  CHECK(j["generator"]["params"]["p"] == 1.0 / 3);
  CHECK(j["planted"]["sets"].size() == 3);
  CHECK(j["planted"]["cost"] == sc_planted().planted->cost);
  CHECK(provenance_json(sc_random())["planted"].is_null());
  CHECK(provenance_json(sc_random())["generator"]["params"]["p"] == 0.4);  // 4 / n for n = 10
}

// ---- determinism ------------------------------------------------------------------

TEST_CASE("same seed gives the same instance, another seed a different one") {
  const Sat3Params sp{.vars = 50, .clauses = 200, .planted = true};
  CHECK(canon(generate_3sat(sp, 1).value()) == canon(generate_3sat(sp, 1).value()));
  CHECK(canon(generate_3sat(sp, 1).value()) != canon(generate_3sat(sp, 2).value()));
  const GnpParams gp{.vertices = 40, .p = 0.5, .plant = GraphPlant::kDense, .k = 10, .q = 0.9};
  CHECK(canon(generate_graph(gp, 1).value()) == canon(generate_graph(gp, 1).value()));
  CHECK(canon(generate_graph(gp, 1).value()) != canon(generate_graph(gp, 2).value()));
  const SetCoverGenParams cp{.elements = 30, .sets = 20, .plant_cover = 4, .max_cost = 9};
  CHECK(canon(generate_set_cover(cp, 1).value()) == canon(generate_set_cover(cp, 1).value()));
  CHECK(canon(generate_set_cover(cp, 1).value()) != canon(generate_set_cover(cp, 2).value()));
  // Seeds far apart in the 64-bit range work too.
  CHECK(canon(generate_3sat(sp, std::numeric_limits<std::uint64_t>::max()).value()) !=
        canon(generate_3sat(sp, 0).value()));
}

// ---- 3SAT ---------------------------------------------------------------------

TEST_CASE("random 3SAT: 3 distinct sorted variables per clause, in range") {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const auto g = generate_3sat({.vars = 3 + static_cast<std::uint32_t>(seed), .clauses = 100}, seed).value();
    CHECK(g.formula.num_clauses() == 100);
    CHECK_FALSE(g.planted.has_value());
    CHECK(g.record.name == "random_3sat");
    for (const auto& c : g.formula.clauses) {
      REQUIRE(c.size() == 3);
      CHECK(c[0].var() < c[1].var());
      CHECK(c[1].var() < c[2].var());
      CHECK(c[2].var().value() < g.formula.num_vars);
    }
  }
}

TEST_CASE("random 3SAT: variable triples and signs are uniform") {
  // n = 5: 10 possible triples, 8 sign patterns.
  const auto g = generate_3sat({.vars = 5, .clauses = 40000}, 11).value();
  std::vector<std::uint64_t> triples(125, 0), signs(8, 0);
  for (const auto& c : g.formula.clauses) {
    ++triples[c[0].var().value() * 25 + c[1].var().value() * 5 + c[2].var().value()];
    ++signs[(c[0].negated() ? 4 : 0) + (c[1].negated() ? 2 : 0) + (c[2].negated() ? 1 : 0)];
  }
  std::vector<std::uint64_t> seen;
  for (auto t : triples)
    if (t > 0) seen.push_back(t);
  REQUIRE(seen.size() == 10);
  CHECK(chi_square(seen, 4000.0) < 9 + 6 * std::sqrt(18.0) + 10);
  CHECK(chi_square(signs, 5000.0) < 7 + 6 * std::sqrt(14.0) + 10);
}

TEST_CASE("planted 3SAT: the planted assignment satisfies the formula") {
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    // Well above the satisfiability threshold (ratio 8): a random formula would be unsatisfiable.
    const auto g = generate_3sat({.vars = 40, .clauses = 320, .planted = true}, seed).value();
    REQUIRE(g.planted.has_value());
    CHECK(g.planted->size() == 40);
    CHECK(g.formula.satisfied_by(*g.planted));
    CHECK(g.record.name == "planted_3sat");
  }
  // Planting redraws only falsified sign patterns: the 7 satisfying ones stay uniform.
  const auto g = generate_3sat({.vars = 5, .clauses = 35000, .planted = true}, 3).value();
  std::vector<std::uint64_t> patterns(8, 0);
  for (const auto& c : g.formula.clauses) {
    int code = 0;
    for (Lit l : c) code = code * 2 + (l.eval(*g.planted) ? 1 : 0);
    ++patterns[static_cast<std::size_t>(code)];
  }
  CHECK(patterns[0] == 0);
  patterns.erase(patterns.begin());
  CHECK(chi_square(patterns, 5000.0) < 6 + 6 * std::sqrt(12.0) + 10);
}

TEST_CASE("3SAT parameter validation") {
  auto bad = [](const Sat3Params& p, const std::string& flag) {
    auto r = generate_3sat(p, 1);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().id == "gen.param");
    CHECK(r.error().file == "gen 3sat");
    CHECK_MESSAGE(r.error().reason.find(flag) != std::string::npos, r.error().message());
  };
  bad({.vars = 2, .clauses = 1}, "--vars");
  bad({.vars = 0, .clauses = 1}, "--vars");
  bad({.vars = 2147483648U, .clauses = 1}, "--vars");
  bad({.vars = 10, .clauses = 1ULL << 40}, "--clauses");
  CHECK(generate_3sat({.vars = 3, .clauses = 0}, 1).ok());
}

// ---- graphs -------------------------------------------------------------------

TEST_CASE("G(n, p): extreme p, edge density, planted clique is a clique") {
  CHECK(generate_graph({.vertices = 20, .p = 0.0}, 1).value().graph.num_edges() == 0);
  CHECK(generate_graph({.vertices = 20, .p = 1.0}, 1).value().graph.num_edges() == 190);
  CHECK(generate_graph({.vertices = 1, .p = 1.0}, 1).value().graph.num_edges() == 0);
  const auto g = generate_graph({.vertices = 200, .p = 0.25}, 3).value();
  const double m = static_cast<double>(g.graph.num_edges());  // mean 4975, sd ~ 30.6
  CHECK(m > 4975 - 200);
  CHECK(m < 4975 + 200);
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const auto c = generate_graph({.vertices = 30, .p = 0.1, .plant = GraphPlant::kClique, .k = 8}, seed).value();
    REQUIRE(c.planted.has_value());
    const auto& s = *c.planted;
    REQUIRE(s.size() == 8);
    CHECK(std::is_sorted(s.begin(), s.end()));
    CHECK(std::adjacent_find(s.begin(), s.end()) == s.end());
    for (std::size_t i = 0; i < s.size(); ++i)
      for (std::size_t j = i + 1; j < s.size(); ++j) CHECK(c.graph.has_edge(s[i], s[j]));
  }
  // k = n: the complete graph.
  CHECK(generate_graph({.vertices = 9, .p = 0, .plant = GraphPlant::kClique, .k = 9}, 1).value().graph.num_edges() ==
        36);
}

TEST_CASE("planted dense subgraph: inside density q, outside density p") {
  const auto g = generate_graph({.vertices = 80, .p = 0.1, .plant = GraphPlant::kDense, .k = 40, .q = 0.9}, 4).value();
  REQUIRE(g.planted.has_value());
  const double inside =
      static_cast<double>(g.graph.edges_inside(vertex_mask(80, *g.planted)));  // 780 pairs: mean 702, sd 8.4
  CHECK(inside > 702 - 60);
  CHECK(inside < 702 + 60);
  const double outside = static_cast<double>(g.graph.num_edges()) - inside;  // 2380 pairs: mean 238, sd 14.6
  CHECK(outside > 238 - 90);
  CHECK(outside < 238 + 90);
}

TEST_CASE("graph parameter validation") {
  auto bad = [](const GnpParams& p, const std::string& flag) {
    auto r = generate_graph(p, 1);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().id == "gen.param");
    CHECK(r.error().file == "gen graph");
    CHECK_MESSAGE(r.error().reason.find(flag) != std::string::npos, r.error().message());
  };
  bad({.vertices = 0, .p = 0.5}, "--vertices");
  bad({.vertices = 5, .p = -0.1}, "--p");
  bad({.vertices = 5, .p = 1.5}, "--p");
  bad({.vertices = 5, .p = std::nan("")}, "--p");
  bad({.vertices = 5, .p = 0.5, .plant = GraphPlant::kClique, .k = 6}, "--plant-clique");
  bad({.vertices = 5, .p = 0.5, .plant = GraphPlant::kClique, .k = 0}, "--plant-clique");
  bad({.vertices = 5, .p = 0.5, .plant = GraphPlant::kDense, .k = 9, .q = 0.9}, "--plant-dense");
  bad({.vertices = 5, .p = 0.5, .plant = GraphPlant::kDense, .k = 3, .q = 0.5}, "--q");
  bad({.vertices = 5, .p = 0.5, .plant = GraphPlant::kDense, .k = 3, .q = 1.1}, "--q");
  CHECK(generate_graph({.vertices = 5, .p = 0.5, .plant = GraphPlant::kClique, .k = 5}, 1).ok());
}

// ---- set cover ----------------------------------------------------------------------

TEST_CASE("random set cover with p < 0.01: geometric skipping and the table, same distribution, recorded") {
  // 4000 sets of 50 000 elements with p = 0.002: 100 per set on average, 400 000 in all
  // (sd 630); about 50000·0.998^4000 = 17 elements in no set get one more each.
  for (const Sampler sampler : {Sampler::kGeometric, Sampler::kTable}) {
    CAPTURE(sampler_name(sampler));
    const SetCoverGenParams gp{.elements = 50000, .sets = 4000, .p = 0.002, .sampler = sampler};
    const auto g = generate_set_cover(gp, 5).value();
    CHECK(g.record.params["sampler"] == sampler_name(sampler));
    const auto& s = g.instance;
    std::size_t low_half = 0, first = 0, last = 0;
    for (const auto& set : s.sets) {
      CHECK(std::is_sorted(set.begin(), set.end()));
      CHECK(std::adjacent_find(set.begin(), set.end()) == set.end());
      CHECK(set.back().value() < 50000);
      for (Element u : set) {
        low_half += u.value() < 25000 ? 1 : 0;
        first += u.value() == 0 ? 1 : 0;
        last += u.value() == 49999 ? 1 : 0;
      }
    }
    CHECK(s.nnz() > 397000);
    CHECK(s.nnz() < 403100);
    // Every element has the same probability: the first and the last (8 expected each), the halves.
    CHECK(first >= 1);
    CHECK(first <= 25);
    CHECK(last >= 1);
    CHECK(last <= 25);
    const double frac = static_cast<double>(low_half) / static_cast<double>(s.nnz());
    CHECK(frac > 0.49);
    CHECK(frac < 0.51);
    // Deterministic, and seed-dependent.
    CHECK(canon(generate_set_cover(gp, 5).value()) == canon(g));
    CHECK(canon(generate_set_cover(gp, 6).value()) != canon(g));
    // A planted cover with p = 1/T < 0.01 keeps its planted sets as drawn, the others skip.
    const auto pl =
        generate_set_cover({.elements = 1000, .sets = 300, .plant_cover = 200, .sampler = sampler}, 3).value();
    CHECK(pl.record.params["sampler"] == sampler_name(sampler));
    REQUIRE(pl.planted.has_value());
    CHECK(pl.instance.is_cover(pl.planted->sets));
  }
  // The coins (and no "sampler" entry) only on request; the table by default, at every p.
  CHECK_FALSE(generate_set_cover({.elements = 50, .sets = 30, .p = 0.005, .sampler = Sampler::kCoins}, 1)
                  .value()
                  .record.params.contains("sampler"));
  for (double p : {0.001, 0.01, 0.5})
    CHECK(generate_set_cover({.elements = 50, .sets = 30, .p = p}, 1).value().record.params["sampler"] == "table");
  // The three samplers are three streams.
  const auto tab = generate_set_cover({.elements = 3000, .sets = 30, .p = 0.005}, 1).value();
  const auto geo = generate_set_cover({.elements = 3000, .sets = 30, .p = 0.005, .sampler = Sampler::kGeometric}, 1);
  const auto coi = generate_set_cover({.elements = 3000, .sets = 30, .p = 0.005, .sampler = Sampler::kCoins}, 1);
  CHECK(tab.instance.sets != geo.value().instance.sets);
  CHECK(tab.instance.sets != coi.value().instance.sets);
  CHECK(geo.value().instance.sets != coi.value().instance.sets);
}

TEST_CASE("random set cover with the table sampler (the default; p >= 0.01): the coins' distribution, another stream") {
  // 2000 sets of 2000 elements with p = 0.05: 4·10⁶ Bernoulli trials, 200 000 incidences expected (sd 436).
  const SetCoverGenParams gp{.elements = 2000, .sets = 2000, .p = 0.05};
  const auto g = generate_set_cover(gp, 5).value();
  CHECK(g.record.params["sampler"] == "table");
  const auto& s = g.instance;
  std::size_t first = 0, last = 0, pairs = 0, low_half = 0;
  for (const auto& set : s.sets) {
    CHECK(std::is_sorted(set.begin(), set.end()));
    CHECK(std::adjacent_find(set.begin(), set.end()) == set.end());
    CHECK(set.back().value() < 2000);
    for (std::size_t i = 0; i < set.size(); ++i) {
      const std::uint32_t u = set[i].value();
      low_half += u < 1000 ? 1 : 0;
      first += u < 10 ? 1 : 0;
      last += u >= 1990 ? 1 : 0;
      pairs += i + 1 < set.size() && set[i + 1].value() == u + 1 ? 1 : 0;  // u and u + 1 both chosen
    }
  }
  CHECK(s.nnz() > 198000);
  CHECK(s.nnz() < 202000);
  // Each element with probability p (the first and the last ten: 1000 expected each, sd 31) ...
  CHECK(first > 870);
  CHECK(first < 1130);
  CHECK(last > 870);
  CHECK(last < 1130);
  const double frac = static_cast<double>(low_half) / static_cast<double>(s.nnz());
  CHECK(frac > 0.49);
  CHECK(frac < 0.51);
  // ... and independently: neighbours both chosen with probability p² (1999·2000·0.0025 = 9995, sd 100).
  CHECK(pairs > 9500);
  CHECK(pairs < 10500);
  // Deterministic, seed-dependent, and not the coins' stream (the default of earlier versions).
  CHECK(canon(generate_set_cover(gp, 5).value()) == canon(g));
  CHECK(canon(generate_set_cover(gp, 6).value()) != canon(g));
  SetCoverGenParams coins = gp;
  coins.sampler = Sampler::kCoins;
  const auto c = generate_set_cover(coins, 5).value();
  CHECK_FALSE(c.record.params.contains("sampler"));
  CHECK(canon(c) != canon(g));
  // p = 1: every element in every set; a large p (many short gaps) and p = 0.01 (a long table) stay exact in range.
  const auto all = generate_set_cover({.elements = 7, .sets = 5, .p = 1.0}, 1).value();
  CHECK(all.instance.nnz() == 35);
  const auto dense = generate_set_cover({.elements = 1000, .sets = 200, .p = 0.9}, 2).value();
  CHECK(dense.instance.nnz() > 178000);
  CHECK(dense.instance.nnz() < 182000);
  const auto sparse = generate_set_cover({.elements = 1000, .sets = 2000, .p = 0.01}, 3).value();
  CHECK(sparse.instance.nnz() > 19300);  // 20 000 expected (sd 141), plus the repairs of empty sets
  CHECK(sparse.instance.nnz() < 20800);
  // p = 0: no element is ever drawn (only the repairs: one element per empty set, then the
  // uncovered elements), so at most 20 + 100 incidences.
  const auto none = generate_set_cover({.elements = 100, .sets = 20, .p = 0.0}, 1).value();
  CHECK(none.record.params["sampler"] == "table");
  CHECK(none.instance.nnz() >= 100);
  CHECK(none.instance.nnz() <= 120);
}

TEST_CASE("random set cover: every element covered, no empty set, sorted sets, unit costs") {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    // p = 0.01 on 50 elements: many sets would be empty and many elements uncovered without the repairs.
    const auto g = generate_set_cover({.elements = 50, .sets = 30, .p = 0.01}, seed).value();
    const auto& s = g.instance;
    CHECK(s.num_elements == 50);
    REQUIRE(s.num_sets() == 30);
    std::vector<SetId> all;
    for (std::uint32_t j = 0; j < 30; ++j) all.emplace_back(j);
    CHECK(s.is_cover(all));
    for (const auto& set : s.sets) {
      CHECK_FALSE(set.empty());
      CHECK(std::is_sorted(set.begin(), set.end()));
      CHECK(std::adjacent_find(set.begin(), set.end()) == set.end());
      CHECK(set.back().value() < 50);
    }
    CHECK(std::all_of(s.costs.begin(), s.costs.end(), [](std::int64_t c) { return c == 1; }));
    CHECK_FALSE(g.planted.has_value());
  }
  // Default p = max(0.05, 4/n): mean set size 10 on 200 elements.
  const auto g = generate_set_cover({.elements = 200, .sets = 500}, 1).value();
  CHECK(g.record.params["p"] == 0.05);
  const double mean = static_cast<double>(g.instance.nnz()) / 500.0;
  CHECK(mean > 9.0);
  CHECK(mean < 11.0);
  CHECK(generate_set_cover({.elements = 10, .sets = 5}, 1).value().record.params["p"] == 0.4);
}

TEST_CASE("planted set cover: the planted sets form a cover of cost <= t * C") {
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    const std::uint32_t t = 1 + static_cast<std::uint32_t>(seed % 7);
    const auto g = generate_set_cover({.elements = 40, .sets = 25, .plant_cover = t, .max_cost = 6}, seed).value();
    REQUIRE(g.planted.has_value());
    const auto& pc = *g.planted;
    CHECK(pc.sets.size() == t);
    CHECK(std::is_sorted(pc.sets.begin(), pc.sets.end()));
    CHECK(std::adjacent_find(pc.sets.begin(), pc.sets.end()) == pc.sets.end());
    CHECK(g.instance.is_cover(pc.sets));
    CHECK(pc.cost == g.instance.cost(pc.sets));
    CHECK(pc.cost <= static_cast<std::int64_t>(t) * 6);
    // The planted sets partition the universe.
    std::size_t total = 0;
    for (SetId j : pc.sets) total += g.instance.sets[j].size();
    CHECK(total == 40);
    for (auto c : g.instance.costs) {
      CHECK(c >= 1);
      CHECK(c <= 6);
    }
  }
  // t = n = m: every set is a singleton.
  const auto g = generate_set_cover({.elements = 6, .sets = 6, .plant_cover = 6}, 2).value();
  for (const auto& s : g.instance.sets) CHECK(s.size() == 1);
  CHECK(g.planted->cost == 6);
  // Costs cover [1, C].
  const auto h = generate_set_cover({.elements = 5, .sets = 2000, .max_cost = 4}, 2).value();
  std::vector<std::uint64_t> counts(4, 0);
  for (auto c : h.instance.costs) ++counts[static_cast<std::size_t>(c - 1)];
  CHECK(chi_square(counts, 500.0) < 3 + 6 * std::sqrt(6.0) + 10);
}

TEST_CASE("set cover parameter validation") {
  auto bad = [](const SetCoverGenParams& p, const std::string& flag) {
    auto r = generate_set_cover(p, 1);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().id == "gen.param");
    CHECK(r.error().file == "gen setcover");
    CHECK_MESSAGE(r.error().reason.find(flag) != std::string::npos, r.error().message());
  };
  bad({.elements = 0, .sets = 5}, "--elements");
  bad({.elements = 5, .sets = 0}, "--sets");
  bad({.elements = 5, .sets = 5, .p = 2.0}, "--p");
  bad({.elements = 5, .sets = 5, .p = std::nan("")}, "--p");
  bad({.elements = 5, .sets = 10, .plant_cover = 6}, "--plant-cover");
  bad({.elements = 10, .sets = 5, .plant_cover = 6}, "--plant-cover");
  bad({.elements = 5, .sets = 5, .max_cost = 0}, "--max-cost");
  bad({.elements = 5, .sets = 4, .max_cost = std::numeric_limits<std::int64_t>::max() / 3}, "--max-cost");
  CHECK(
      generate_set_cover({.elements = 5, .sets = 4, .max_cost = std::numeric_limits<std::int64_t>::max() / 4}, 1).ok());
}

TEST_CASE(
    "G(n, p) below p = 0.01: geometric skipping and the table, the same distribution in time proportional to the "
    "edges") {
  for (const Sampler sampler : {Sampler::kGeometric, Sampler::kTable}) {
    CAPTURE(sampler_name(sampler));
    // 4000 vertices, p = 0.002: 15 996 edges expected (sd 126).
    const GnpParams gp{.vertices = 4000, .p = 0.002, .sampler = sampler};
    const auto g = generate_graph(gp, 5).value();
    CHECK(g.record.params["sampler"] == sampler_name(sampler));
    const auto m = static_cast<double>(g.graph.num_edges());
    CHECK(m > 15996 - 6 * 126);
    CHECK(m < 15996 + 6 * 126);
    // Rows are drawn independently: the lower half of the vertices holds 3/4 of the pairs (u < v, u < n/2).
    std::size_t low = 0;
    for (auto [u, v] : g.graph.edges()) low += u.value() < 2000 ? 1 : 0;
    const double frac = static_cast<double>(low) / m;
    CHECK(frac > 0.73);
    CHECK(frac < 0.77);
    // Deterministic, and seed-dependent.
    CHECK(canon(generate_graph(gp, 5).value()) == canon(g));
    CHECK(canon(generate_graph(gp, 6).value()) != canon(g));
    // A planted clique survives the skipping (its rows toss a coin for each member of the set).
    const auto c =
        generate_graph({.vertices = 3000, .p = 0.001, .plant = GraphPlant::kClique, .k = 30, .sampler = sampler}, 2)
            .value();
    REQUIRE(c.planted.has_value());
    for (std::size_t i = 0; i < c.planted->size(); ++i)
      for (std::size_t j = i + 1; j < c.planted->size(); ++j) CHECK(c.graph.has_edge((*c.planted)[i], (*c.planted)[j]));
  }
  // The coins (and no "sampler" entry) only on request; the table by default, at every p.
  CHECK_FALSE(generate_graph({.vertices = 50, .p = 0.005, .sampler = Sampler::kCoins}, 1)
                  .value()
                  .record.params.contains("sampler"));
  for (double p : {0.001, 0.01, 0.5})
    CHECK(generate_graph({.vertices = 50, .p = p}, 1).value().record.params["sampler"] == "table");
}

TEST_CASE("G(n, p) with the table sampler (the default): the coins' law, planted rows included, as an edge list") {
  // 2000 vertices, p = 0.05, a planted dense set of 200 with q = 0.5: pairs inside 19 900 (9950 edges
  // expected, sd 70), pairs with at most one end inside 1 979 100 (98 955 expected, sd 307).
  const GnpParams gp{.vertices = 2000, .p = 0.05, .plant = GraphPlant::kDense, .k = 200, .q = 0.5};
  const auto e = generate_graph_edges(gp, 9).value();
  CHECK(e.record.params["sampler"] == "table");
  CHECK(e.vertices == 2000);
  REQUIRE(e.planted.has_value());
  CHECK(std::is_sorted(e.edges.begin(), e.edges.end()));
  CHECK(std::adjacent_find(e.edges.begin(), e.edges.end()) == e.edges.end());
  const VertexSet in = vertex_mask(2000, *e.planted);
  std::size_t inside = 0, outside = 0, adjacent = 0;
  for (std::size_t i = 0; i < e.edges.size(); ++i) {
    const auto [u, v] = e.edges[i];
    CHECK(u < v);
    CHECK(v.value() < 2000);
    (in[u] && in[v] ? inside : outside) += 1;
    // (u, v) and (u, v + 1) both edges, all three outside: p² per such pair (independence).
    if (i + 1 < e.edges.size() && e.edges[i + 1].first == u && e.edges[i + 1].second.value() == v.value() + 1 &&
        !in[u] && !in[v] && !in[e.edges[i + 1].second])
      ++adjacent;
  }
  CHECK(inside > 9950 - 6 * 70);
  CHECK(inside < 9950 + 6 * 70);
  CHECK(outside > 98955 - 6 * 307);
  CHECK(outside < 98955 + 6 * 307);
  double triples = 0;                           // (u, v, v + 1), u < v, all three outside the set
  std::vector<std::size_t> out_after(2001, 0);  // out_after[v]: v' >= v with v', v' + 1 both outside
  for (std::uint32_t v = 1999; v-- > 0;)
    out_after[v] = out_after[v + 1] + (!in[Vertex(v)] && !in[Vertex(v + 1)] ? 1 : 0);
  for (std::uint32_t u = 0; u < 2000; ++u)
    if (!in[Vertex(u)]) triples += static_cast<double>(out_after[u + 1]);
  const double want = triples * 0.05 * 0.05;
  CHECK(static_cast<double>(adjacent) > want - 6 * std::sqrt(want));
  CHECK(static_cast<double>(adjacent) < want + 6 * std::sqrt(want));
  // The Graph of generate_graph is the same edge list (the same draws).
  const auto g = generate_graph(gp, 9).value();
  CHECK(g.graph.edges() == e.edges);
  CHECK(g.planted == e.planted);
  CHECK(to_json(g.record) == to_json(e.record));
  // A planted clique: every pair inside, whatever p (p = 0 included: only the coins of the set).
  for (double p : {0.0, 0.003, 0.2}) {
    const auto c = generate_graph_edges({.vertices = 500, .p = p, .plant = GraphPlant::kClique, .k = 40}, 4).value();
    const VertexSet cin = vertex_mask(500, *c.planted);
    std::size_t both = 0;
    for (auto [u, v] : c.edges) both += cin[u] && cin[v] ? 1 : 0;
    CHECK(both == 40 * 39 / 2);
    if (p == 0.0) CHECK(c.edges.size() == both);
  }
}
