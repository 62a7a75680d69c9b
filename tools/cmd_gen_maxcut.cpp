// `relugap gen maxcut --vertices N --degree D (--planted --c C | --random) [--cut] --seed S -o FILE`:
// bounded-degree Max-2Lin(2) instances ("p lin2" format) or, with --cut, Max-Cut graphs
// (DIMACS), for the ε-efficient reduction (instances/gen/gen_maxcut.hpp).
#include <algorithm>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>

#include "instances/core/error.hpp"
#include "instances/gen/gen_maxcut.hpp"
#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "instances/io/text_reader.hpp"
#include "instances/problems/lin2.hpp"
#include "tools/command.hpp"

namespace relugap::cli::cmd_gen_maxcut {

namespace {

struct GenMaxCutOptions {
  std::uint32_t vertices = 0, degree = 0;
  bool planted = false, random = false, cut = false;
  std::string c_text = "1", out;
  std::uint64_t seed = 0;
  CLI::Option* seed_opt = nullptr;
  CLI::Option* c_opt = nullptr;
};

/// The DIMACS file write_dimacs_graph writes for a Graph with these edges (same bytes),
/// straight from the constraint list: no Graph, and no duplicate check per edge (the
/// generator's graph is simple).
void write_cut_graph(const std::string& path, const Lin2Instance& inst, const std::string& comment) {
  std::ostringstream head;
  write_comment_lines(head, comment);
  write_text_atomic(path, [&](TextSink& os) {
    os.put(head.str()).put("p edge ").put_u64(inst.n).put(' ').put_u64(inst.cons.size()).put('\n');
    for (const auto& c : inst.cons) {
      const std::uint64_t u = c.t.value(), v = c.h.value();
      os.put("e ").put_u64(std::min(u, v) + 1).put(' ').put_u64(std::max(u, v) + 1).put('\n');
    }
  });
}

void run(const GenMaxCutOptions& o) {
  const std::string where = "gen maxcut";
  if (o.planted == o.random) fail("gen.param", where, 0, "give exactly one of --planted and --random");
  if (o.random && o.c_opt->count() > 0) fail("gen.param", where, 0, "--c only applies to --planted");
  Lin2GenParams p;
  p.vertices = o.vertices;
  p.degree = o.degree;
  p.planted = o.planted;
  p.cut = o.cut;
  try {
    p.c = parse_rational(o.c_text);
  } catch (const Failure&) {
    fail("gen.param", where, 0, "--c must be a number in [0, 1] (decimal or p/q), got '" + o.c_text + "'");
  }
  std::uint64_t seed = o.seed;
  if (o.seed_opt->count() == 0) {
    std::random_device rd;
    seed = (static_cast<std::uint64_t>(rd()) << 32) ^ static_cast<std::uint64_t>(rd());
    std::cout << "relugap gen maxcut: no --seed given, using seed " << seed << " (from std::random_device)\n";
  }
  auto r = generate_lin2(p, seed);
  if (!r.ok()) throw Failure(r.error());
  const GeneratedLin2& g = r.value();
  const std::string comment = provenance_comment(g);
  if (o.cut) {
    write_cut_graph(o.out, g.inst, comment);
  } else {
    write_lin2(o.out, g.inst, comment);
  }
  std::cout << "wrote " << o.out << ": " << (o.cut ? "Max-Cut graph" : "Max-2Lin(2) instance") << ", n = " << g.inst.n
            << ", " << g.inst.cons.size() << " constraints, degree " << o.degree;
  if (g.planted) std::cout << ", planted assignment satisfies " << g.planted_sat;
  std::cout << " (" << g.record.name << ", seed " << seed << ")\n";
}

const CommandRegistrar kGenMaxcutRegistrar([](CLI::App& root) {
  CLI::App& gen = subcommand(root, "gen", "generate seeded random instances (3sat, graph, setcover, maxcut)");
  auto* app = gen.add_subcommand(
      "maxcut", "generate bounded-degree Max-2Lin(2) ('p lin2') or, with --cut, Max-Cut (DIMACS), planted or random");
  auto o = std::make_shared<GenMaxCutOptions>();
  app->add_option("--vertices", o->vertices, "number of vertices n >= 2")->required()->check(at_least("--vertices", 2));
  app->add_option("--degree", o->degree, "degree D of the random D-regular constraint graph (n*D even)")
      ->required()
      ->check(at_least("--degree", 1));
  app->add_flag("--planted", o->planted, "plant an assignment satisfying >= c*|E| constraints");
  o->c_opt = app->add_option("--c", o->c_text,
                             "planted: fraction of constraints the planted assignment satisfies (default 1)");
  app->add_flag("--random", o->random, "independent uniform signs b_e (with --cut: a random D-regular graph)");
  app->add_flag("--cut", o->cut, "Max-Cut (all b_e = -1), written as a DIMACS graph");
  o->seed_opt = app->add_option("--seed", o->seed, "random seed (default: drawn from std::random_device and printed)");
  app->add_option("-o,--output", o->out, "output file")->required();
  app->callback([o] { guarded([&] { run(*o); }); });
});

}  // namespace

}  // namespace relugap::cli::cmd_gen_maxcut
