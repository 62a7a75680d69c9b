// `relugap train DATA --units K --algo net|exact|gd [--budget r,eta | --epsilon E] [--B B]
//  [--time-limit S] [--threads T] --seed S -o NET.json`: trains a depth-2 ReLU network
// with one of the solvers/relu/trainer.hpp algorithms and writes it with its provenance.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>

#include "instances/core/error.hpp"
#include "instances/core/interrupt.hpp"
#include "instances/io/io.hpp"
#include "instances/io/text_reader.hpp"
#include "instances/problems/loss.hpp"
#include "relugap_version.hpp"
#include "solvers/relu/train_net.hpp"
#include "solvers/relu/trainer.hpp"
#include "tools/command.hpp"

namespace relugap::cli::cmd_train {

namespace {

struct TrainCli {
  std::string data, out, algo = "gd", budget, signs, gd_method = "auto";
  std::size_t units = 1;
  std::optional<double> epsilon, B, unit_norm, rel_gap;
  double time_limit = std::numeric_limits<double>::infinity();
  unsigned threads = 1;
  std::uint64_t seed = 0;
  bool agnostic = false, force = false, progress = false, exact_loss = false, json = false, plan = false,
       no_symmetry = false;
  std::optional<std::size_t> starts, iters, max_nodes;
  std::string exact_qp = "native";
};

// "+,-,+" or "1,-1,1" → signs.
std::vector<int> parse_signs(const std::string& s, std::size_t units) {
  std::vector<int> out;
  std::stringstream ss(s);
  std::string tok;
  while (std::getline(ss, tok, ',')) {
    if (tok == "+" || tok == "+1" || tok == "1")
      out.push_back(1);
    else if (tok == "-" || tok == "-1")
      out.push_back(-1);
    else
      fail("train.signs", "train", 0, "--signs expects a comma-separated list of + and -, got '" + s + "'");
  }
  if (out.size() != units)
    fail("train.signs", "train", 0,
         "--signs has " + std::to_string(out.size()) + " entries for " + std::to_string(units) + " units");
  return out;
}

class ProgressBar {
 public:
  explicit ProgressBar(bool on) : on_(on) {}
  void operator()(const TrainProgress& p) {
    if (!on_) return;
    std::ostringstream os;
    os << "\r";
    if (p.fraction >= 0) {
      const int width = 24, filled = static_cast<int>(std::lround(std::min(p.fraction, 1.0) * width));
      os << "[" << std::string(static_cast<std::size_t>(filled), '#')
         << std::string(static_cast<std::size_t>(width - filled), '.') << "] " << std::lround(100 * p.fraction) << "% ";
    }
    os << p.phase << " best " << format_double(p.best_loss);
    if (std::isfinite(p.lower_bound)) os << " lower " << format_double(p.lower_bound);
    if (p.nodes) os << " nodes " << p.nodes;
    if (p.iterations) os << " it " << p.iterations;
    os << " " << std::fixed << std::setprecision(1) << p.seconds << "s   ";
    std::cerr << os.str() << std::flush;
    dirty_ = true;
  }
  void finish() {
    if (on_ && dirty_) std::cerr << "\n";
  }

 private:
  bool on_;
  bool dirty_ = false;
};

void run_train(const TrainCli& c) {
  auto algo = parse_train_algo(c.algo);
  if (!algo) fail("train.algo", "train", 0, "--algo must be gd, exact or net, got '" + c.algo + "'");
  LoadedTrainingSet loaded = read_training_set(c.data).value();
  const TrainingSet& data = loaded.data;

  TrainOptions o;
  o.units = c.units;
  o.seed = c.seed;
  o.threads = c.threads;
  o.time_limit = c.time_limit;
  o.want_exact_loss = c.exact_loss;
  o.constraints.output_l1 = c.B;
  o.constraints.unit_norm = c.unit_norm;
  if (!c.signs.empty()) o.constraints.output_signs = parse_signs(c.signs, c.units);
  if (!c.budget.empty()) {
    auto [r, eta] = parse_budget(c.budget);
    o.net.r = r;
    o.net.eta = eta;
  }
  o.net.epsilon = c.epsilon;
  o.net.agnostic = c.agnostic;
  o.net.force = c.force;
  o.exact.force = c.force;
  if (c.exact_qp == "clp") {
    o.exact.qp = ExactQp::kClp;
  } else if (c.exact_qp != "native") {
    fail("train.param", "train", 0, "--exact-qp must be native or clp, got '" + c.exact_qp + "'");
  }
  if (c.max_nodes) o.exact.max_nodes = *c.max_nodes;
  if (c.rel_gap) o.exact.rel_gap = *c.rel_gap;
  o.exact.break_symmetry = !c.no_symmetry;
  if (c.starts) o.gd.starts = *c.starts;
  if (c.iters) o.gd.max_iters = *c.iters;
  if (c.gd_method == "adam")
    o.gd.method = GdMethod::kAdam;
  else if (c.gd_method == "lbfgs")
    o.gd.method = GdMethod::kLbfgs;
  else if (c.gd_method != "auto")
    fail("train.param", "train", 0, "--gd-method must be auto, adam or lbfgs");
  if (*algo == TrainAlgo::kNet && !o.net.epsilon && !o.net.r) {
    if (!std::isfinite(c.time_limit))
      fail("train.param", "train", 0,
           "--algo net needs --budget r,eta, --epsilon E or --time-limit S (fits the budget)");
    o.net.fit_time_limit = true;  // the finest budget whose run fits the time limit
  }

  if (c.plan) {
    // net's budget and what it guarantees, without running it (no cap refusal).
    if (*algo != TrainAlgo::kNet || o.net.fit_time_limit)
      fail("train.param", "train", 0, "--plan needs --algo net with --budget r,eta or --epsilon E");
    const NetPlan p = plan_net(data, o, false);
    std::cout << nlohmann::json{{"r", p.r},
                                {"eta", p.eta},
                                {"R", p.R},
                                {"B", p.B},
                                {"X", p.X},
                                {"Y", p.Y},
                                {"points", static_cast<double>(p.points)},
                                {"candidates", p.candidates},
                                {"epsilon_realizable", p.eps_realizable},
                                {"epsilon_agnostic", p.eps_agnostic},
                                {"samples", data.samples()},
                                {"dim", data.dim}}
                     .dump()
              << "\n";
    return;
  }
  ProgressBar bar(c.progress || ::isatty(2) != 0);
  o.progress = [&bar](const TrainProgress& p) { bar(p); };
  install_interrupt_handlers();
  TrainResult r = train(data, *algo, o);
  bar.finish();

  nlohmann::json params = {{"units", c.units}, {"seed", c.seed}, {"threads", c.threads}};
  if (std::isfinite(c.time_limit)) params["time_limit"] = c.time_limit;
  if (c.B) params["B"] = *c.B;
  if (c.unit_norm) params["unit_norm"] = *c.unit_norm;
  if (!o.constraints.output_signs.empty()) params["output_signs"] = o.constraints.output_signs;
  switch (*algo) {
    case TrainAlgo::kGd:
      params["gd"] = {{"method", c.gd_method},
                      {"starts", o.gd.starts},
                      {"max_iters", o.gd.max_iters},
                      {"learning_rate", o.gd.learning_rate},
                      {"rel_tol", o.gd.rel_tol}};
      break;
    case TrainAlgo::kExact:
      params["exact"] = {
          {"rel_gap", o.exact.rel_gap}, {"gd_starts", o.exact.gd_starts}, {"break_symmetry", o.exact.break_symmetry}};
      if (c.max_nodes) params["exact"]["max_nodes"] = *c.max_nodes;
      break;
    case TrainAlgo::kNet:
      params["net"] = {{"r", r.stats.net_r.value_or(0)},
                       {"eta", r.stats.net_eta.value_or(0)},
                       {"points", r.stats.net_points.value_or(0)},
                       {"B", o.constraints.output_l1.value_or(o.net.default_B)},
                       {"unit_norm", o.constraints.unit_norm.value_or(1.0)},
                       {"agnostic", c.agnostic}};
      if (c.epsilon) params["net"]["epsilon_target"] = *c.epsilon;
      break;
  }
  const double tw = data.total_weight();
  nlohmann::json meta = {{"algo", std::string(to_string(*algo))},
                         {"seed", c.seed},
                         {"threads", c.threads},
                         {"params", params},
                         {"data", c.data},
                         {"loss", r.loss},
                         {"mean_loss", r.loss / tw},
                         {"upper_bound", r.upper_bound},
                         {"lower_bound", r.lower_bound ? nlohmann::json(*r.lower_bound) : nlohmann::json(nullptr)},
                         {"status", std::string(to_string(r.status))},
                         {"status_text", status_text(r, *algo)},
                         {"certified", r.certified},
                         {"seconds", r.stats.seconds},
                         {"message", r.message},
                         {"stats",
                          {{"iterations", r.stats.iterations},
                           {"nodes", r.stats.nodes},
                           {"candidates", r.stats.candidates},
                           {"starts", r.stats.starts},
                           {"kernel", r.stats.kernel}}},
                         {"relugap_version", kVersion}};
  if (r.exact_loss) meta["loss_exact"] = to_string(*r.exact_loss);
  if (r.stats.exact_qp_iterations) {
    meta["stats"]["qp_iterations"] = *r.stats.exact_qp_iterations;
    meta["stats"]["certificates"] = *r.stats.exact_certificates;
    meta["stats"]["search_seconds"] = *r.stats.exact_search_seconds;
    meta["stats"]["search_cpu_seconds"] = *r.stats.exact_search_cpu_seconds;
  } else if (r.stats.exact_certificates) {
    meta["stats"]["certificates"] = *r.stats.exact_certificates;  // exact, k = 2
  }
  if (r.stats.epsilon_realizable) {
    meta["epsilon_realizable"] = *r.stats.epsilon_realizable;
    meta["epsilon_agnostic"] = *r.stats.epsilon_agnostic;
  }
  write_network(c.out, r.net, meta);

  if (c.json) {
    std::cout << meta.dump() << "\n";
  } else {
    std::cout << "algo " << to_string(*algo) << ", " << c.units << " unit(s), " << data.samples() << " samples, dim "
              << data.dim << "\n"
              << "status:     " << status_text(r, *algo) << " (" << r.message << ")\n"
              << "loss:       " << format_double(r.loss) << " (mean " << format_double(r.loss / tw) << ")\n";
    if (r.exact_loss) std::cout << "exact loss: " << to_string(*r.exact_loss) << "\n";
    if (r.lower_bound) std::cout << "lower bound: " << format_double(*r.lower_bound) << "\n";
    if (r.stats.epsilon_realizable)
      std::cout << "guarantee:  mean loss <= " << format_double(*r.stats.epsilon_realizable)
                << " if realizable, <= OPT + " << format_double(*r.stats.epsilon_agnostic) << " otherwise\n";
    std::cout << "time:       " << format_double(r.stats.seconds) << " s\n"
              << "wrote " << c.out << "\n";
  }
  if (r.status == SolveStatus::kInterrupted) exit_code() = 130;
}

}  // namespace

const CommandRegistrar kTrainRegistrar([](CLI::App& root) {
  auto* app =
      root.add_subcommand("train", "train a depth-2 ReLU network (gd, exact branch and bound, or the net learner)");
  auto c = std::make_shared<TrainCli>();
  app->add_option("DATA", c->data, "training set (.npy, .npz, .libsvm/.svm, .csv)")->required();
  app->add_option("-o,--output", c->out, "network JSON to write")->required();
  app->add_option("--units,-k", c->units, "hidden units k")->required()->check(at_least("--units", 1));
  app->add_option("--algo", c->algo, "gd | exact | net")->required();
  app->add_option("--seed", c->seed, "random seed (recorded in the output)")->required();
  app->add_option("--budget", c->budget, "net: subspace dimension and net spacing, 'r,eta'");
  app->add_option("--epsilon", c->epsilon, "net: target additive mean-loss error (derives the budget)")
      ->check(positive("--epsilon"));
  app->add_flag("--agnostic", c->agnostic, "net: derive the budget from --epsilon for the agnostic guarantee");
  app->add_option("--B", c->B, "bound on the output weights' l1 norm (net default 1)")->check(positive("--B"));
  app->add_option("--unit-norm", c->unit_norm, "bound on every unit's l2 norm (gd, net; net default 1)")
      ->check(positive("--unit-norm"));
  app->add_option("--signs", c->signs, "fixed output signs, e.g. +,-");
  app->add_option("--time-limit", c->time_limit, "seconds (wall clock)")->check(positive("--time-limit"));
  app->add_option("--threads", c->threads, "threads")->check(at_least("--threads", 1));
  app->add_option("--starts", c->starts, "gd: random starts")->check(at_least("--starts", 1));
  app->add_option("--iters", c->iters, "gd: iterations per start")->check(at_least("--iters", 1));
  app->add_option("--gd-method", c->gd_method, "gd: auto | adam | lbfgs");
  app->add_option("--max-nodes", c->max_nodes, "exact: node limit");
  app->add_option("--rel-gap", c->rel_gap,
                  "exact: optimal once upper - lower <= REL_GAP * upper (default 1e-9; the loss includes the "
                  "reduction's constant, so pin small differences with a smaller value)")
      ->check(in_range("--rel-gap", 0, 1));
  app->add_option("--exact-qp", c->exact_qp,
                  "exact, 1 unit: node QP solver, native (certified bounds, default) or clp (the former float path)");
  app->add_flag("--no-symmetry", c->no_symmetry,
                "exact, 2 units: explore both mirror images of every activation pattern (to measure the "
                "symmetry rule)");
  app->add_flag("--force", c->force, "net / exact k=2: run beyond the size caps");
  app->add_flag("--exact-loss", c->exact_loss, "also compute the loss in rational arithmetic");
  app->add_flag("--progress", c->progress, "progress bar on stderr even when it is not a terminal");
  app->add_flag("--json", c->json, "print the run's metadata as one JSON object");
  app->add_flag("--plan", c->plan,
                "net: print the budget (r, eta, points, candidates) and its epsilon as JSON; train nothing");
  app->callback([c] { guarded([&] { run_train(*c); }); });
});

}  // namespace relugap::cli::cmd_train
