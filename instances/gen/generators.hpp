#pragma once
// Seeded random instance generators. Every random choice comes from one
// relugap::Rng seeded with the given seed, using only Rng's own routines
// (below / bernoulli / shuffle / sample), never std distributions, so the same
// (parameters, seed) gives the same instance, and the same file bytes, on every
// platform. The order in which each generator consumes random numbers is part
// of its contract (documented in docs/manual/gen.md); changing it changes
// the golden files in tests/data/golden.
//
// Parameter errors are reported as Error{id "gen.param", file "gen <kind>",
// line 0, reason naming the command-line flag}.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "instances/core/error.hpp"
#include "instances/core/index.hpp"
#include "instances/problems/cnf.hpp"
#include "instances/problems/graph.hpp"
#include "instances/problems/set_cover.hpp"

namespace relugap {

/// What produced an instance: recorded in every generated file.
struct GeneratorRecord {
  std::string name;  ///< e.g. "planted_3sat"
  std::uint64_t seed = 0;
  nlohmann::json params = nlohmann::json::object();  ///< effective parameters (defaults filled in)
};
/// {"name": ..., "seed": ..., "params": {...}}
nlohmann::json to_json(const GeneratorRecord& g);

// ---- 3SAT -----------------------------------------------------------------
struct Sat3Params {
  std::uint32_t vars = 0;     ///< n >= 3, <= 2^31 - 1 (DIMACS literals are int32)
  std::uint64_t clauses = 0;  ///< m, <= 2^32 - 1
  bool planted = false;       ///< draw a hidden assignment and keep only clauses it satisfies
};
struct GeneratedCnf {
  Cnf formula;
  std::optional<Assignment> planted;  ///< planted[v] = value of variable v
  GeneratorRecord record;
};
/// Random 3SAT: each clause has 3 distinct variables (sorted increasingly) with
/// independent uniform signs. Planted: a uniform hidden assignment is drawn
/// first; each clause's signs are redrawn until the clause is satisfied by it
/// (equivalently: clauses falsified by it are rejected, since exactly 7 of the
/// 8 sign patterns satisfy it whatever the variables).
Result<GeneratedCnf> generate_3sat(const Sat3Params& p, std::uint64_t seed);

// ---- samplers ------------------------------------------------------------------
/// How `gen graph` and `gen setcover` draw "each pair / element with probability p"
/// (docs/manual/gen.md; each is its own stream of draws, so its own file bytes):
///  - kTable: the gaps between successes, by table inversion (instances/gen/gap_table.hpp),
///    one 53-bit draw per success plus one per row / set; the default since session 18,
///    recorded as "sampler": "table";
///  - kCoins: one bernoulli(p) per pair / element, the default of earlier versions for p >= 0.01
///    (and for every p before geometric skipping); not recorded (no "sampler" entry), so its
///    files keep the bytes of earlier versions;
///  - kGeometric: the gaps as ⌊ln(1 − U) / ln(1 − p)⌋ (a log1p per success: bytes depend on
///    the C library's log1p), the default of earlier versions for 0 < p < 0.01, recorded as
///    "sampler": "geometric".
enum class Sampler { kTable, kCoins, kGeometric };
/// "table", "coins", "geometric".
const char* sampler_name(Sampler s);
/// The sampler of that name, or nullopt.
std::optional<Sampler> parse_sampler(const std::string& name);

// ---- graphs -----------------------------------------------------------------
enum class GraphPlant { kNone, kClique, kDense };
struct GnpParams {
  std::uint32_t vertices = 0;  ///< n >= 1
  double p = 0;                ///< edge probability, 0 <= p <= 1
  GraphPlant plant = GraphPlant::kNone;
  std::uint32_t k = 0;  ///< planted set size, 1 <= k <= n (kClique, kDense)
  double q = 1;         ///< kDense: probability inside the planted set, p < q <= 1
  Sampler sampler = Sampler::kTable;
};
/// A generated graph as its sorted edge list (what `gen graph` writes: no Graph is built).
struct GeneratedEdges {
  std::uint32_t vertices = 0;
  std::vector<std::pair<Vertex, Vertex>> edges;  ///< (u, v), u < v, in lexicographic order
  std::optional<std::vector<Vertex>> planted;    ///< the planted set, sorted
  GeneratorRecord record;
};
struct GeneratedGraph {
  Graph graph;
  std::optional<std::vector<Vertex>> planted;  ///< the planted set, sorted
  GeneratorRecord record;
};
/// G(n, p): every pair {u, v} is an edge with probability p. With a planted
/// k-clique (or dense k-subgraph), a uniform k-set S is drawn first and pairs
/// inside S are edges with probability 1 (or q) instead of p.
Result<GeneratedGraph> generate_graph(const GnpParams& p, std::uint64_t seed);
/// The same graph (same draws) as its edge list, without building a Graph.
Result<GeneratedEdges> generate_graph_edges(const GnpParams& p, std::uint64_t seed);

// ---- set cover ----------------------------------------------------------------
struct SetCoverGenParams {
  std::uint32_t elements = 0;         ///< n >= 1
  std::uint32_t sets = 0;             ///< m >= 1
  std::optional<double> p{};          ///< element-in-set probability; default below
  std::uint32_t plant_cover = 0;      ///< t: plant a cover of t sets (0 = none); t <= n, t <= m
  std::int64_t max_cost = 1;          ///< C: costs uniform in [1, C] (1 = unit costs); m * C < 2^63
  Sampler sampler = Sampler::kTable;  ///< how the non-planted sets are drawn (see Sampler)
};
struct PlantedCover {
  std::vector<SetId> sets;  ///< sorted
  std::int64_t cost = 0;    ///< their total cost: an upper bound on the optimum tau
};
struct GeneratedSetCover {
  SetCoverInstance instance;
  std::optional<PlantedCover> planted;
  GeneratorRecord record;
};
/// Default p: 1/t with a planted cover (random sets then have the planted
/// sets' expected size n/t), else min(1, max(0.05, 4/n)).
double default_set_cover_p(const SetCoverGenParams& p);
/// Each non-planted set contains each element independently with probability
/// p; an empty set then gets one uniform element, and an element covered by no
/// set is added to a uniform set. A planted cover is a uniform partition of the
/// elements into t non-empty parts placed at t uniform set positions. Costs
/// (all sets, planted ones included, same distribution) are uniform in [1, C].
Result<GeneratedSetCover> generate_set_cover(const SetCoverGenParams& p, std::uint64_t seed);
/// The same instance (the same draws) as flat arrays: what `gen setcover` writes.
struct GeneratedSetCoverSets {
  SetCoverSets sets;
  std::optional<PlantedCover> planted;
  GeneratorRecord record;
};
Result<GeneratedSetCoverSets> generate_set_cover_sets(const SetCoverGenParams& p, std::uint64_t seed);

// ---- provenance text ----------------------------------------------------------
/// The comment block written into generated DIMACS files, one item per line
/// (without the "c " prefix): "relugap VERSION", "generator NAME", "seed S",
/// "params JSON", and "planted ..." (1-based, as numbered in the file) when
/// there is a planted certificate.
std::string provenance_comment(const GeneratedCnf& g);
std::string provenance_comment(const GeneratedGraph& g);
std::string provenance_comment(const GeneratedEdges& g);
/// The JSON written beside files without comment syntax (OR-Library set
/// cover, graph edge lists): {"relugap_version", "kind", "generator", "planted"}.
nlohmann::json provenance_json(const GeneratedSetCover& g);
nlohmann::json provenance_json(const GeneratedSetCoverSets& g);
nlohmann::json provenance_json(const GeneratedGraph& g);
nlohmann::json provenance_json(const GeneratedEdges& g);

}  // namespace relugap
