// `relugap epsilon-scaling --reduction maxcut --sizes 16,32,64,128 --seeds 3 -o DIR`:
// the command line of the epsilon-scaling driver (experiments/epsilon_scaling.hpp,
// docs/manual/reduce-maxcut.md): options in, files and the per-size summary out.
#include <iostream>
#include <memory>
#include <string>

#include "experiments/epsilon_scaling.hpp"
#include "instances/core/error.hpp"
#include "tools/command.hpp"

namespace relugap::cli::cmd_epsilon_scaling {

namespace {

struct EpsCliArgs {
  EpsilonScalingOptions opt;
  std::string sizes = "16,32,64,128", c_text = "1";
  bool no_train = false, no_plot = false;
};

void run_eps(const EpsCliArgs& a) {
  EpsilonScalingOptions o = a.opt;
  o.sizes = parse_eps_sizes(a.sizes);
  try {
    o.c = parse_rational(a.c_text);
  } catch (const Failure&) {
    fail("eps.param", "epsilon-scaling", 0, "--c must be a number in (0, 1], got '" + a.c_text + "'");
  }
  if (o.c <= 0 || o.c > 1) fail("eps.param", "epsilon-scaling", 0, "--c must be in (0, 1], got '" + a.c_text + "'");
  o.train = !a.no_train;
  o.plot = !a.no_plot;
  const EpsilonScalingResult r = run_epsilon_scaling(o, std::cout);
  if (!r.plot_note.empty()) std::cerr << "relugap epsilon-scaling: " << r.plot_note << "\n";
  std::cout << "wrote " << r.csv << ", " << r.summary_csv << ", " << r.gp << (o.plot ? " and eps_scaling.png" : "")
            << "\n";
  std::cout << r.summary;
}

const CommandRegistrar kEpsilonScalingRegistrar([](CLI::App& root) {
  auto* app = root.add_subcommand(
      "epsilon-scaling", "measure the unit-ball gap epsilon against n (planted YES vs random NO), CSV and PNG");
  auto a = std::make_shared<EpsCliArgs>();
  app->add_option("--reduction", a->opt.reduction, "reduction (only 'maxcut')");
  app->add_option("--sizes", a->sizes, "comma-separated vertex counts (default 16,32,64,128)");
  app->add_option("--seeds", a->opt.seeds, "instance pairs per size (default 3)")->check(at_least("--seeds", 1));
  app->add_option("--seed", a->opt.seed,
                  "master seed; every instance seed is derived from it and recorded (default 1)");
  app->add_option("--degree", a->opt.degree, "degree D of the constraint graphs (default 9, a perfect square)");
  app->add_option("--c", a->c_text, "planted YES instances satisfy >= c*M constraints (default 1)");
  app->add_option("--exact-max-n", a->opt.exact_max_n, "NO optimum exact by enumeration up to this n (default 24)");
  app->add_option("--train-starts", a->opt.starts, "gd starts per instance (default 8)")
      ->check(at_least("--train-starts", 1));
  app->add_option("--train-iters", a->opt.iters, "gd iterations per start (default 3000)")
      ->check(at_least("--train-iters", 1));
  app->add_option("--threads", a->opt.threads, "trainer threads (default 2)")->check(at_least("--threads", 1));
  app->add_flag("--no-train", a->no_train, "skip the gd runs (certified epsilon only)");
  app->add_flag("--no-plot", a->no_plot, "do not run gnuplot (the script is still written)");
  app->add_option("-o,--output", a->opt.out_dir, "output directory")->required();
  app->callback([a] { guarded([&] { run_eps(*a); }); });
});

}  // namespace

}  // namespace relugap::cli::cmd_epsilon_scaling
