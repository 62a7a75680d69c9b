// `relugap reduce setcover IN -o OUT [--solve] [--format npy|npz|libsvm|csv]
//  [--unweighted] [--unit-ball] [--time-limit S]`: Set Cover -> one ReLU
// (reductions/setcover/setcover_to_relu.hpp, docs/reductions/set-cover.md).
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
#include "reductions/setcover/setcover_to_relu.hpp"
#include "tools/command.hpp"
#include "verifier/family.hpp"

namespace relugap::cli::cmd_reduce_setcover {

namespace {

struct SetCoverCliOptions {
  std::string input, out, format;
  std::optional<std::uint64_t> max_dense_bytes;  ///< --max-dense-bytes
  bool solve = false, unweighted = false, unit_ball = false;
  double time_limit = 60;
};

constexpr const char* kSetCoverUnitBallNote =
    "x' = x/X, y' = y/Y of the unweighted set (this file); a network (w, a) of the weighted set is (w*X/Y, a) "
    "here and every loss is divided by Y^2. B = ||w'|| of every lifted certificate (sqrt of the exact B2), "
    "epsilon = (1 - sigma)/(m*Y^2): the mean-loss gap between cover cost tau + 1 (NO) and tau (YES).";

void run(const SetCoverCliOptions& o) {
  const std::string where = "reduce setcover";
  const DataFormat format = output_format(o.format, o.out, where);
  if (o.solve && !(o.time_limit > 0)) fail("reduce.time_limit", where, 0, "--time-limit must be > 0 seconds");

  SetCoverInstance inst = take(read_set_cover(o.input));
  SetCoverOptions ro;
  ro.unweighted = o.unweighted || o.unit_ball;
  ro.unit_ball = o.unit_ball;
  // The weighted form is built straight into doubles (what the file holds), ~12 bytes
  // per nonzero, also with --solve: the certificate's loss is then evaluated exactly on
  // the samples generated again one at a time (SetCoverReduction::exact_loss_of). The
  // folded forms build their exact set anyway (it is what they write).
  ro.doubles_only = !ro.unweighted;
  std::optional<SetCoverReduction> red_holder;
  try {
    red_holder.emplace(std::move(inst), ro);  // the reduction keeps the only copy
  } catch (const Failure& f) {
    fail(f.error().id, o.input, 0, f.error().reason);  // name the input file
  }
  SetCoverReduction& red = *red_holder;
  TrainingSet out_data = ro.doubles_only ? red.take_double_data() : red.double_data();
  check_dense_size(out_data.samples(), out_data.dim, format, o.out, o.max_dense_bytes);  // before solving

  Sidecar sc = make_sidecar();
  sc.source = Sidecar::Source{o.input, sha256_file(o.input), std::string("setcover")};
  nlohmann::json params = red.params();
  params["unweighted"] = ro.unweighted;
  params["unit_ball"] = ro.unit_ball;
  params["solve"] = o.solve;

  LossBounds b = red.bounds(std::nullopt);
  std::optional<std::vector<SetId>> best_cover;
  std::int64_t best_cost = 0;
  std::string status_line = "not solved";
  if (o.solve) {
    // The one source-solving path (verifier/family.hpp): CBC, then the best
    // cover known (CBC's incumbent or greedy) as an upper bound after a limit.
    const ReductionFamily& fam = family(red.name());
    FamilyParams fp;
    fp.unweighted = ro.unweighted;
    fp.unit_ball = ro.unit_ball;
    SolveLimits lim;
    lim.time_limit = o.time_limit;
    install_interrupt_handlers();  // Ctrl-C stops CBC; its incumbent (or greedy) is kept as an upper bound
    const SourceSolution sol = fam.solve(SourceInstance(red.instance()), fp, lim);
    nlohmann::json solver = {{"name", "cbc (COIN-OR CBC branch and cut)"},
                             {"status", std::string(to_string(sol.status))},
                             {"seconds", sol.seconds},
                             {"time_limit", o.time_limit},
                             {"source_solution", sol.to_json()}};
    for (const char* k : {"lower_bound", "message", "greedy_cost"})
      if (sol.info.contains(k)) solver[k] = sol.info[k];
    const auto* cover = std::get_if<std::vector<SetId>>(&sol.certificate);
    if (cover == nullptr || !sol.certificate_value)
      fail("reduce.solver", o.input, 0, "CBC ended without a cover: " + sol.status_text);
    best_cover = *cover;
    best_cost = std::stoll(sol.certificate_value->get_str());
    solver["cost"] = best_cost;
    sc.bounds.source_status = sol.status_text;
    b = fam.bounds(red, sol);
    if (!sol.optimum_proved())
      solver["note"] =
          "not proved optimal: tau <= source_optimum (a cover of that cost is the certificate), so loss_upper is "
          "sound; loss_lower uses CBC's proved lower bound on tau (null if none)";
    params["solver"] = solver;
    std::ostringstream line;
    line << sol.status_text << ": cost " << best_cost;
    if (!sol.optimum_proved() && sol.lower) line << " (proved tau >= " << to_string(*sol.lower) << ")";
    line << ", " << best_cover->size() << " sets, cbc " << std::fixed << std::setprecision(3) << sol.seconds << " s";
    status_line = line.str();
  }
  sc.reduction = Sidecar::Reduction{red.name(), params};
  store_bounds(b, sc);

  if (best_cover) {
    // The lifted cover must reach K + cost exactly (in data()'s scale) and decode to itself.
    // decode_check evaluates the loss exactly (exact_loss_of: on data(), or on the weighted
    // samples generated again), once for both checks.
    const ExactNetwork cert = red.lift(*best_cover);
    const DecodeCheck dc = red.decode_check(cert);
    const Rational& l = dc.loss;
    const Rational expected = (red.constants().K + to_rational(best_cost)) * red.loss_scale();
    if (!b.loss_upper || l != *b.loss_upper || l != expected)
      fail("reduce.certificate", o.input, 0,
           "internal error: certificate loss " + to_string(l) +
               " differs from (K + tau) * scale = " + to_string(expected));
    if (!dc.lemma_holds || red.decode(cert) != *best_cover)
      fail("reduce.certificate", o.input, 0, "internal error: the certificate does not decode to its cover");
    sc.certificate_exact = cert;
    sc.certificate = to_double(cert);
    sc.bounds.exact["certificate_loss"] = l;
    nlohmann::json cover = nlohmann::json::array();
    for (SetId j : *best_cover) cover.push_back(j.value() + 1);
    sc.extra["cover"] = {{"sets_1based", cover}, {"cost", best_cost}};
  }
  if (red.unit_ball()) sc.extra["unit_ball"] = unit_ball_json(*red.unit_ball(), kSetCoverUnitBallNote);
  if (!sc.reduction->params.value("float64_exact", true))
    sc.reduction->params["note"] =
        "some values are rationals that are not doubles; the file holds the nearest doubles, the exact set is "
        "rebuilt by running this command again";

  write_training_set(o.out, out_data, format, sc, o.max_dense_bytes);
  std::cout << "wrote " << o.out << " (" << format_name(format) << "): setcover, " << out_data.samples()
            << " samples, dim " << out_data.dim << ", " << red.instance().num_elements << " elements, "
            << red.instance().num_sets() << " sets; source: " << status_line << "; K = " << to_string(red.constants().K)
            << ", sigma = " << red.constants().sigma.get_d();
  if (b.loss_lower || b.loss_upper) {
    const std::string scale = red.loss_scale() == 1 ? "" : " (x loss_scale " + to_string(red.loss_scale()) + ")";
    auto num = [](const std::optional<Rational>& q) {
      if (!q) return std::string("?");
      std::ostringstream os;
      os << std::setprecision(17) << q->get_d();
      return os.str();
    };
    std::cout << "; OPT in ";
    if (b.source_optimum && sc.bounds.source_status == std::string("optimal (cbc)"))
      std::cout << "[K + " << to_string(*b.source_optimum) << " - sigma, K + " << to_string(*b.source_optimum) << "]"
                << scale << " = ";
    std::cout << "[" << num(b.loss_lower) << ", " << num(b.loss_upper) << "] (exact values in the sidecar)";
  }
  if (red.unit_ball())
    std::cout << "; unit ball: B = " << red.unit_ball()->B << ", epsilon = " << red.unit_ball()->epsilon.get_d();
  std::cout << "\n";
  if (interrupted()) exit_code() = 130;  // docs/manual/robustness.md: interrupted, what was finished is saved
}

const CommandRegistrar kReduceSetcoverRegistrar([](CLI::App& root) {
  auto& reduce = subcommand(root, "reduce", "reduce a source instance to a ReLU training set");
  auto* app = reduce.add_subcommand(
      "setcover",
      "reduce Set Cover to one ReLU, loss-preserving (K + tau - sigma <= OPT <= K + tau, tau = min cover cost)");
  auto o = std::make_shared<SetCoverCliOptions>();
  app->add_option("input", o->input, "set cover instance, OR-Library scp format")->required();
  add_output_options(app, o->out, o->format, o->max_dense_bytes);
  app->add_flag("--solve", o->solve,
                "solve set cover exactly with CBC: record tau, exact loss bounds and the certificate network; after "
                "the time limit, the best cover known (CBC incumbent or greedy) as an upper bound, honestly labelled");
  app->add_option("--time-limit", o->time_limit, "seconds for --solve (default 60)");
  app->add_flag("--unweighted", o->unweighted,
                "all weights 1: a weight r*q^2 (r squarefree) becomes r copies of (q*x, q*y); same loss for every "
                "network");
  app->add_flag("--unit-ball", o->unit_ball,
                "unweighted and scaled into the unit ball (x/X, y/Y); figures X, Y, B, epsilon, m in the sidecar");
  app->callback([o] { guarded([&] { run(*o); }); });
});

}  // namespace

}  // namespace relugap::cli::cmd_reduce_setcover
