// `relugap gen 3sat | graph | setcover`: seeded random instances (instances/gen/generators.hpp).
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <string>

#include "instances/gen/generators.hpp"
#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "tools/command.hpp"

namespace relugap::cli::cmd_gen {

namespace {

struct Common {
  std::uint64_t seed = 0;
  CLI::Option* seed_opt = nullptr;
  std::string out;
};

void add_common(CLI::App& app, Common& c) {
  c.seed_opt = app.add_option("--seed", c.seed, "random seed (default: drawn from std::random_device and printed)");
  app.add_option("-o,--output", c.out, "output file")->required();
}

/// The seed to use: --seed, or 64 fresh bits from std::random_device.
std::uint64_t effective_seed(const Common& c) {
  if (c.seed_opt->count() > 0) return c.seed;
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ static_cast<std::uint64_t>(rd());
}

/// A decimal number, parsed with std::from_chars (correctly rounded on every
/// platform; CLI11 goes through long double, which can round twice).
double parse_number(const std::string& text, const std::string& flag, const std::string& where) {
  double x = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, x);
  if (text.empty() || ec != std::errc() || ptr != end)
    fail("gen.param", where, 0, flag + " must be a decimal number, got '" + text + "'");
  return x;
}

/// The value of a generator's Result, or its error thrown. Returns a reference:
/// a Graph cannot be moved cheaply (Boost 1.74's adjacency_list copies on move).
template <class T>
const T& checked(const Result<T>& r) {
  if (!r.ok()) throw Failure(r.error());
  return r.value();
}

void write_json(const std::string& path, const nlohmann::json& j) {
  write_file_atomic(path, [&](std::ostream& os) { os << j.dump(2) << '\n'; });
}

/// Writes the data file, then its provenance sidecar; if the sidecar cannot be
/// written, the data file is removed again (no output without provenance).
template <class WriteData>
void write_with_sidecar(const std::string& path, WriteData write_data, const nlohmann::json& provenance) {
  write_data();
  try {
    write_json(sidecar_path(path), provenance);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    throw;
  }
}

/// --sampler for `gen graph` and `gen setcover` (generators.hpp, Sampler); default table.
void add_sampler(CLI::App& app, std::string& sampler) {
  app.add_option("--sampler", sampler,
                 "how 'each with probability p' is drawn: 'table' (the default: the gaps between successes, one "
                 "draw per success), 'coins' (one coin per pair: the bytes of earlier versions for p >= 0.01) or "
                 "'geometric' (gaps through log1p: the bytes of earlier versions for 0 < p < 0.01)")
      ->check(CLI::IsMember({"table", "coins", "geometric"}));
}

void report(const Common& c, const GeneratorRecord& r, const std::string& summary) {
  std::cout << "wrote " << c.out << ": " << summary << " (" << r.name << ", seed " << r.seed << ")\n";
  if (c.seed_opt->count() == 0)
    std::cout << "seed " << r.seed << " was drawn from std::random_device; pass --seed " << r.seed << " to reproduce\n";
}

void setup_3sat(CLI::App& gen) {
  auto* app = gen.add_subcommand("3sat", "generate random 3SAT (optionally planted-satisfiable) as DIMACS CNF");
  auto p = std::make_shared<Sat3Params>();
  auto c = std::make_shared<Common>();
  app->add_option("--vars", p->vars, "number of variables n (>= 3)")->required()->check(at_least("--vars", 3));
  app->add_option("--clauses", p->clauses, "number of clauses m")->required();
  app->add_flag("--planted", p->planted, "plant a hidden satisfying assignment (written as 'c planted ...')");
  add_common(*app, *c);
  app->callback([p, c] {
    guarded([&] {
      const auto r = generate_3sat(*p, effective_seed(*c));
      const auto& g = checked(r);
      write_cnf(c->out, g.formula, provenance_comment(g));
      report(*c, g.record,
             std::to_string(g.formula.num_vars) + " vars, " + std::to_string(g.formula.num_clauses()) + " clauses");
    });
  });
}

void setup_graph(CLI::App& gen) {
  auto* app = gen.add_subcommand("graph", "generate G(n, p), optionally with a planted clique or dense subgraph");
  auto p = std::make_shared<GnpParams>();
  auto c = std::make_shared<Common>();
  auto clique = std::make_shared<std::uint32_t>(0);
  auto dense = std::make_shared<std::uint32_t>(0);
  auto format = std::make_shared<std::string>("dimacs");
  auto p_text = std::make_shared<std::string>();
  auto q_text = std::make_shared<std::string>();
  auto sampler = std::make_shared<std::string>("table");
  app->add_option("--vertices", p->vertices, "number of vertices n")->required()->check(at_least("--vertices", 1));
  app->add_option("--p", *p_text, "edge probability, 0 <= p <= 1")->required();
  auto* oc = app->add_option("--plant-clique", *clique, "plant a clique on K random vertices");
  auto* od = app->add_option("--plant-dense", *dense, "plant a dense subgraph on K random vertices (with --q)");
  auto* oq = app->add_option("--q", *q_text, "edge probability inside the planted dense subgraph, p < q <= 1");
  oc->excludes(od);
  od->needs(oq);
  oq->needs(od);
  app->add_option("--format", *format, "dimacs (with 'c' provenance lines) or edges (with a FILE.json sidecar)")
      ->check(CLI::IsMember({"dimacs", "edges"}));
  add_sampler(*app, *sampler);
  add_common(*app, *c);
  app->callback([p, c, clique, dense, format, oc, od, p_text, q_text, sampler] {
    guarded([&] {
      p->p = parse_number(*p_text, "--p", "gen graph");
      p->sampler = *parse_sampler(*sampler);
      if (oc->count() > 0) {
        p->plant = GraphPlant::kClique;
        p->k = *clique;
      } else if (od->count() > 0) {
        p->plant = GraphPlant::kDense;
        p->k = *dense;
        p->q = parse_number(*q_text, "--q", "gen graph");
      }
      // The edge list straight to the writer: no Graph (adjacency lists) is built for a file.
      const auto r = generate_graph_edges(*p, effective_seed(*c));
      const auto& g = checked(r);
      if (*format == "dimacs")
        write_dimacs_graph(c->out, g.vertices, g.edges, provenance_comment(g));
      else
        write_with_sidecar(
            c->out, [&] { write_edge_list(c->out, g.vertices, g.edges); }, provenance_json(g));
      std::string summary = std::to_string(g.vertices) + " vertices, " + std::to_string(g.edges.size()) + " edges";
      if (g.planted) summary += ", planted set of " + std::to_string(g.planted->size());
      report(*c, g.record, summary);
    });
  });
}

void setup_setcover(CLI::App& gen) {
  auto* app = gen.add_subcommand(
      "setcover", "generate random set cover (optionally with a planted cover) in OR-Library format, plus FILE.json");
  auto p = std::make_shared<SetCoverGenParams>();
  auto c = std::make_shared<Common>();
  auto prob = std::make_shared<std::string>();
  app->add_option("--elements", p->elements, "universe size n")->required()->check(at_least("--elements", 1));
  app->add_option("--sets", p->sets, "number of sets m")->required()->check(at_least("--sets", 1));
  auto* op = app->add_option("--p", *prob,
                             "probability that a set contains an element (default: 1/T with --plant-cover T, "
                             "else min(1, max(0.05, 4/n)))");
  app->add_option("--plant-cover", p->plant_cover, "plant a cover of T sets (a random partition of the elements)");
  app->add_option("--max-cost", p->max_cost, "costs uniform in [1, C] (default 1: unit costs)")
      ->check(at_least("--max-cost", 1));
  auto sampler = std::make_shared<std::string>("table");
  add_sampler(*app, *sampler);
  add_common(*app, *c);
  app->callback([p, c, prob, op, sampler] {
    guarded([&] {
      if (op->count() > 0) p->p = parse_number(*prob, "--p", "gen setcover");
      p->sampler = *parse_sampler(*sampler);
      const auto r = generate_set_cover_sets(*p, effective_seed(*c));
      const auto& g = checked(r);
      write_with_sidecar(
          c->out, [&] { write_set_cover(c->out, g.sets); }, provenance_json(g));
      std::string summary = std::to_string(g.sets.num_elements) + " elements, " + std::to_string(g.sets.num_sets()) +
                            " sets, " + std::to_string(g.sets.nnz()) + " incidences";
      if (g.planted)
        summary += ", planted cover of " + std::to_string(g.planted->sets.size()) + " sets, cost " +
                   std::to_string(g.planted->cost);
      report(*c, g.record, summary);
    });
  });
}

const CommandRegistrar kGenRegistrar([](CLI::App& root) {
  CLI::App& gen = subcommand(root, "gen", "generate seeded random instances (3sat, graph, setcover, maxcut)");
  gen.require_subcommand(1);
  setup_3sat(gen);
  setup_graph(gen);
  setup_setcover(gen);
});

}  // namespace

}  // namespace relugap::cli::cmd_gen
