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

// ---- graphs -----------------------------------------------------------------
enum class GraphPlant { kNone, kClique, kDense };
struct GnpParams {
  std::uint32_t vertices = 0;  ///< n >= 1
  double p = 0;                ///< edge probability, 0 <= p <= 1
  GraphPlant plant = GraphPlant::kNone;
  std::uint32_t k = 0;  ///< planted set size, 1 <= k <= n (kClique, kDense)
  double q = 1;         ///< kDense: probability inside the planted set, p < q <= 1
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

// ---- set cover ----------------------------------------------------------------
struct SetCoverGenParams {
  std::uint32_t elements = 0;     ///< n >= 1
  std::uint32_t sets = 0;         ///< m >= 1
  std::optional<double> p{};      ///< element-in-set probability; default below
  std::uint32_t plant_cover = 0;  ///< t: plant a cover of t sets (0 = none); t <= n, t <= m
  std::int64_t max_cost = 1;      ///< C: costs uniform in [1, C] (1 = unit costs); m * C < 2^63
  /// p >= 0.01 only: draw the gaps between a set's elements from a table (one draw per
  /// incidence, no libm) instead of one coin per element and set. Another stream of
  /// draws (recorded as "sampler": "table"); the default keeps the coins' bytes.
  bool table_sampler = false;
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

// ---- provenance text ----------------------------------------------------------
/// The comment block written into generated DIMACS files, one item per line
/// (without the "c " prefix): "relugap VERSION", "generator NAME", "seed S",
/// "params JSON", and "planted ..." (1-based, as numbered in the file) when
/// there is a planted certificate.
std::string provenance_comment(const GeneratedCnf& g);
std::string provenance_comment(const GeneratedGraph& g);
/// The JSON written beside files without comment syntax (OR-Library set
/// cover, graph edge lists): {"relugap_version", "kind", "generator", "planted"}.
nlohmann::json provenance_json(const GeneratedSetCover& g);
nlohmann::json provenance_json(const GeneratedGraph& g);

}  // namespace relugap
