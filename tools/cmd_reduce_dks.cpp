// `relugap reduce dks GRAPH --kappa K -o OUT`: Densest κ-Subgraph -> one ReLU
// (reductions/dks/dks_to_relu.hpp, docs/reductions/densest-subgraph.md).
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "instances/core/error.hpp"
#include "instances/core/interrupt.hpp"
#include "instances/core/rational_int.hpp"
#include "instances/io/io.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/dks/dks_to_relu.hpp"
#include "tools/command.hpp"
#include "verifier/family.hpp"

namespace relugap::cli::cmd_reduce_dks {

namespace {

struct DksCliOptions {
  std::string input, out, format;
  std::optional<std::uint64_t> max_dense_bytes;  ///< --max-dense-bytes
  std::int64_t kappa = 0;
  bool solve = false, unweighted = false, unit_ball = false;
  double time_limit = 60;
};

constexpr const char* kDksUnitBallNote =
    "x' = x/X, y' = y/Y of the unweighted set (this file); a network (w, a) of the weighted set is (w*X/Y, a) "
    "here and every loss is divided by Y^2. B = ||w'|| of the certificate (sqrt of the exact B2), "
    "epsilon = (1 - sigma)/(m*Y^2): the mean-loss gap between tau >= t edges and tau <= t - 1 edges.";

void run(const DksCliOptions& o) {
  const std::string where = "reduce dks";
  const DataFormat format = output_format(o.format, o.out, where);
  if (o.solve && !(o.time_limit > 0)) fail("reduce.time_limit", where, 0, "--time-limit must be > 0 seconds");

  Graph source = take(read_graph(o.input));
  if (o.kappa < 1 || o.kappa > static_cast<std::int64_t>(source.num_vertices()))
    fail("reduce.kappa", o.input, 0,
         "--kappa " + std::to_string(o.kappa) + " is out of range: the graph has n = " +
             std::to_string(source.num_vertices()) + " vertices and kappa must satisfy 1 <= kappa <= n");
  const auto kappa = static_cast<std::uint32_t>(o.kappa);

  DksOptions ro;
  ro.unweighted = o.unweighted || o.unit_ball;
  ro.unit_ball = o.unit_ball;
  DksReduction red(std::move(source), kappa, ro);  // the reduction keeps the only copy of the graph
  const Graph& g = red.graph();
  check_dense_size(red.data().samples(), red.data().dim, format, o.out, o.max_dense_bytes);  // before solving

  Sidecar sc = make_sidecar();
  sc.source = Sidecar::Source{o.input, sha256_file(o.input), std::string("dks")};
  nlohmann::json params = red.params();
  params["unweighted"] = ro.unweighted;
  params["unit_ball"] = ro.unit_ball;
  params["solve"] = o.solve;

  LossBounds b = red.bounds(std::nullopt);
  std::optional<ExactNetwork> cert;
  std::optional<std::vector<Vertex>> found_set;
  std::uint64_t found_edges = 0;
  std::string status_line = "not solved";
  if (o.solve) {
    // The one source-solving path (verifier/family.hpp): the branch and bound;
    // stopped early, τ lies in [found, proved upper bound].
    const ReductionFamily& fam = family(red.name());
    FamilyParams fp;
    fp.kappa = kappa;
    fp.unweighted = ro.unweighted;
    fp.unit_ball = ro.unit_ball;
    SolveLimits lim;
    lim.time_limit = o.time_limit;
    install_interrupt_handlers();  // Ctrl-C stops the search; the best set and proved bound are kept
    const SourceSolution sol = fam.solve(SourceInstance(g), fp, lim);
    const auto* set = std::get_if<std::vector<Vertex>>(&sol.certificate);
    if (set == nullptr)
      fail("reduce.solver", o.input, 0,
           std::string("DkS solver ended with status ") + std::string(to_string(sol.status)));
    found_set = *set;
    sc.bounds.source_status = sol.status_text;
    b = fam.bounds(red, sol);
    if (sol.lower) b.constants["tau_found"] = *sol.lower;
    if (sol.upper) b.constants["tau_upper_bound"] = *sol.upper;
    found_edges = sol.info.value("edges_inside", std::uint64_t{0});
    const std::uint64_t ub = sol.info.value("upper_bound", std::uint64_t{0});
    cert = red.lift(*found_set);
    std::ostringstream line;
    line << sol.status_text << ": " << found_edges << " edges";
    if (!sol.optimum_proved()) line << " (proved tau <= " << ub << ")";
    line << ", " << sol.info.value("nodes", std::uint64_t{0}) << " nodes, " << std::fixed << std::setprecision(3)
         << sol.seconds << " s";
    status_line = line.str();
    params["solver"] = {{"name", "dks_exact (bitset branch and bound, heuristic incumbent)"},
                        {"status", std::string(to_string(sol.status))},
                        {"tau_found", found_edges},
                        {"tau_upper_bound", ub},
                        {"nodes", sol.info.value("nodes", std::uint64_t{0})},
                        {"seconds", sol.seconds},
                        {"time_limit", o.time_limit},
                        {"source_solution", sol.to_json()}};
    if (!sol.optimum_proved())
      params["solver"]["note"] =
          "not proved optimal: tau lies in [tau_found, tau_upper_bound]; loss_upper comes from the certificate "
          "(tau_found edges), loss_lower from tau_upper_bound, so both bounds are sound but not tight";
  }
  sc.reduction = Sidecar::Reduction{red.name(), params};
  store_bounds(b, sc);

  const ExactTrainingSet& data = red.data();
  if (cert) {
    // The certificate must reach the stated loss exactly and decode back to its set.
    const Rational l = exact_loss(data, *cert);
    const Rational expected =
        (red.constants().K + to_rational(g.num_edges()) - to_rational(found_edges)) * red.loss_scale();
    if (!b.loss_upper || l != *b.loss_upper || l != expected)
      fail("reduce.certificate", o.input, 0,
           "internal error: certificate loss " + to_string(l) + " differs from K + |E| - tau = " + to_string(expected));
    const DecodeCheck dc = red.decode_check(*cert);
    if (!dc.lemma_holds || red.decode(*cert) != *found_set)
      fail("reduce.certificate", o.input, 0, "internal error: the certificate does not decode to its set");
    sc.certificate_exact = cert;
    sc.certificate = to_double(*cert);
    sc.bounds.exact["certificate_loss"] = l;
  }
  if (red.unit_ball()) sc.extra["unit_ball"] = unit_ball_json(*red.unit_ball(), kDksUnitBallNote);
  const bool exact = red.data_exact_in_double();
  sc.reduction->params["exact_in_double"] = exact;
  if (!exact)
    sc.reduction->params["note"] =
        "some values are rationals that are not doubles; the file holds the nearest doubles, the exact set is "
        "rebuilt by running this command again";

  const std::size_t samples = data.samples(), dim = data.dim;
  // The exact set is done with: the float64 copy takes its coordinates and
  // row pointers, and the exact values are released as soon as converted.
  write_training_set(o.out, to_double(red.release_data()), format, sc, o.max_dense_bytes);
  std::cout << "wrote " << o.out << " (" << format_name(format) << "): dks, " << samples << " samples, dim " << dim
            << ", n = " << g.num_vertices() << ", |E| = " << g.num_edges() << ", kappa = " << kappa
            << "; source: " << status_line;
  if (b.loss_lower || b.loss_upper)
    std::cout << "; OPT in [" << (b.loss_lower ? to_string(*b.loss_lower) : std::string("?")) << ", "
              << (b.loss_upper ? to_string(*b.loss_upper) : std::string("?")) << "]";
  if (red.unit_ball()) std::cout << "; unit ball: epsilon = " << red.unit_ball()->epsilon.get_d();
  std::cout << "\n";
  if (interrupted()) exit_code() = 130;  // docs/manual/robustness.md: interrupted, what was finished is saved
}

const CommandRegistrar kReduceDksRegistrar([](CLI::App& root) {
  auto& reduce = subcommand(root, "reduce", "reduce a source instance to a ReLU training set");
  auto* app = reduce.add_subcommand(
      "dks",
      "reduce Densest kappa-Subgraph to one ReLU, loss-preserving (K + |E| - tau - sigma <= OPT <= K + |E| - tau)");
  auto o = std::make_shared<DksCliOptions>();
  app->add_option("graph", o->input, "graph: DIMACS (p edge / e u v) or edge list")->required();
  app->add_option("--kappa", o->kappa, "subgraph size, 1 <= kappa <= n")->required();
  add_output_options(app, o->out, o->format, o->max_dense_bytes);
  app->add_flag("--solve", o->solve,
                "solve densest kappa-subgraph exactly (branch and bound): record tau, exact loss bounds and the "
                "certificate network; after the time limit, the best set and the proved bound (honestly labelled)");
  app->add_option("--time-limit", o->time_limit, "seconds for --solve (default 60)");
  app->add_flag("--unweighted", o->unweighted,
                "every weight a perfect square, folded into the samples: all weights 1, same loss for every network");
  app->add_flag("--unit-ball", o->unit_ball,
                "unweighted and scaled into the unit ball (x/X, y/Y); figures X, Y, B, epsilon, m in the sidecar");
  app->callback([o] { guarded([&] { run(*o); }); });
});

}  // namespace

}  // namespace relugap::cli::cmd_reduce_dks
