#include "verifier/pipeline.hpp"

#include <chrono>
#include <memory>

#include "instances/error.hpp"
#include "instances/io.hpp"
#include "instances/loss.hpp"
#include "reductions/dks_to_relu.hpp"
#include "reductions/sat_to_relu.hpp"
#include "reductions/setcover_to_relu.hpp"
#include "relugap_version.hpp"
#include "solvers/dks_exact.hpp"
#include "solvers/sat_cadical.hpp"
#include "solvers/set_cover_exact.hpp"
#include "solvers/trainer.hpp"
#include "verifier/adversarial.hpp"

namespace relugap {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

/// A built reduction plus what is known about its source.
struct Prepared {
  std::unique_ptr<Reduction> reduction;
  std::optional<Rational> source_optimum;
  bool proved = false;
  std::string status;
  std::optional<ExactNetwork> certificate;
  nlohmann::json info = nlohmann::json::object();
};

template <class T>
const T& source_as(const SourceInstance& s, const char* what, const std::string& red) {
  if (!std::holds_alternative<T>(s))
    throw std::invalid_argument("reduction '" + red + "' needs a " + what + " as its source");
  return std::get<T>(s);
}

Prepared prepare_setcover(const SetCoverInstance& inst, const PipelineOptions& o) {
  Prepared p;
  auto red = std::make_unique<SetCoverReduction>(inst);
  CbcOptions co;
  co.time_limit = o.source_time_limit;
  SetCoverSolution sol = solve_set_cover_cbc(inst, co);
  p.info["source"] = {{"problem", "setcover"},
                      {"elements", inst.num_elements},
                      {"sets", inst.num_sets()},
                      {"solver", sol.solver},
                      {"status", std::string(to_string(sol.status))},
                      {"seconds", sol.seconds}};
  if (sol.has_cover) {
    p.certificate = red->lift(sol.cover);
    p.source_optimum = Rational(static_cast<long>(sol.cost));
    p.proved = sol.status == SolveStatus::kOptimal;
    p.status = p.proved ? "optimal (cbc)" : "upper bound (cbc, " + std::string(to_string(sol.status)) + ")";
    p.info["source"]["optimum"] = sol.cost;
  } else {
    p.status = "not solved (" + std::string(to_string(sol.status)) + ")";
  }
  p.reduction = std::move(red);
  return p;
}

Prepared prepare_dks(const Graph& g, const PipelineOptions& o) {
  if (o.kappa < 1 || o.kappa > g.num_vertices())
    throw std::invalid_argument("dks needs 1 <= --kappa <= n = " + std::to_string(g.num_vertices()) + ", got " +
                                std::to_string(o.kappa));
  Prepared p;
  auto red = std::make_unique<DksReduction>(g, o.kappa);
  DksExactOptions eo;
  eo.time_limit = o.source_time_limit;
  DksResult r = dks_exact(g, o.kappa, eo);
  p.info["source"] = {
      {"problem", "dks"},        {"vertices", g.num_vertices()}, {"edges", g.num_edges()},
      {"kappa", o.kappa},        {"solver", "branch and bound"}, {"status", std::string(to_string(r.status))},
      {"edges_inside", r.edges}, {"upper_bound", r.upper_bound}, {"nodes", r.nodes},
      {"seconds", r.seconds}};
  if (r.status == SolveStatus::kOptimal || r.status == SolveStatus::kFeasible) {
    p.certificate = red->lift(r.set);
    p.source_optimum = Rational(static_cast<unsigned long>(r.edges));
    p.proved = r.status == SolveStatus::kOptimal;
    p.status = p.proved ? "optimal (branch and bound)" : "lower bound (branch and bound, time limit)";
  } else {
    p.status = "not solved (" + std::string(to_string(r.status)) + ")";
  }
  p.reduction = std::move(red);
  return p;
}

Prepared prepare_sat(const Cnf& f, const PipelineOptions& o) {
  Prepared p;
  std::unique_ptr<SatReduction> red;
  if (o.reduction == "sat1") {
    red = std::make_unique<Sat1Reduction>(f);
  } else if (o.reduction == "sat2") {
    red = std::make_unique<Sat2Reduction>(f);
  } else {
    red = std::make_unique<SatKReduction>(f, o.units);
  }
  SatSolveOptions so;
  so.time_limit_seconds = o.source_time_limit;
  so.prove_unsat = o.prove_unsat;
  SatSolveResult r = solve_sat_cadical(f, so);
  p.info["source"] = {{"problem", "3sat"},
                      {"vars", f.num_vars},
                      {"clauses", f.num_clauses()},
                      {"solver", "cadical"},
                      {"status", r.status_text()}};
  if (r.status == SolveStatus::kInfeasible) {
    // How UNSAT is known: proved (enumeration / checked DRAT) or CaDiCaL's word.
    p.info["source"]["unsat_proof"] = r.proof_detail;
    p.info["source"]["proof_seconds"] = r.proof_seconds;
  }
  p.status = r.status_text();
  switch (r.status) {
    case SolveStatus::kOptimal:
      p.source_optimum = Rational(1);
      p.proved = true;  // the model was checked against the formula
      p.certificate = red->lift(r.assignment);
      break;
    case SolveStatus::kInfeasible:
      // UNSAT: proved (enumeration for <= 24 variables, else CaDiCaL's DRAT
      // proof checked by solvers/drat_check) makes the NO bounds theorems.
      // Unproved (check out of time), they are stated but flagged, so
      // lower-bound checks are "not checked", never "held".
      p.source_optimum = Rational(0);
      p.proved = r.unsat_proved();
      break;
    case SolveStatus::kFeasible:
    case SolveStatus::kTimeLimit:
    case SolveStatus::kInterrupted:
    case SolveStatus::kError:
      break;
  }
  p.reduction = std::move(red);
  return p;
}

}  // namespace

PipelineResult run_pipeline(const SourceInstance& source, const PipelineOptions& o) {
  auto t0 = Clock::now();
  Prepared p;
  if (o.reduction == "setcover") {
    p = prepare_setcover(source_as<SetCoverInstance>(source, "set cover instance", o.reduction), o);
  } else if (o.reduction == "dks") {
    p = prepare_dks(source_as<Graph>(source, "graph", o.reduction), o);
  } else if (o.reduction == "sat1" || o.reduction == "sat2" || o.reduction == "satk") {
    p = prepare_sat(source_as<Cnf>(source, "CNF formula", o.reduction), o);
  } else {
    throw std::invalid_argument("unknown reduction '" + o.reduction + "' (setcover, dks, sat1, sat2, satk)");
  }
  const Reduction& red = *p.reduction;
  const ExactTrainingSet& exact = red.data();
  TrainingSet data = to_double(exact);
  nlohmann::json info = p.info;
  info["relugap_version"] = kVersion;
  info["reduction"] = red.name();
  info["seed"] = o.seed;
  info["threads"] = o.threads;
  info["shape"] = {{"samples", data.samples()}, {"dim", data.dim}, {"nnz", data.nnz()}, {"units", red.units()}};
  info["source_status"] = p.status;
  info["build_seconds"] = since(t0);

  VerifyInput in;
  in.reduction = p.reduction.get();
  in.source_optimum = p.source_optimum;
  in.source_optimum_proved = p.proved;
  in.source_status = p.status;
  in.certificate = p.certificate;
  in.witness_dir = o.witness_dir;
  in.source.instance = &source;  // every decoded solution is re-checked against it
  in.source.kappa = o.kappa;

  std::vector<CheckResult> skipped;
  info["trainers"] = nlohmann::json::object();
  auto run = [&](TrainAlgo algo) {
    TrainOptions to;
    to.units = red.units();
    to.time_limit = o.trainer_time_limit;
    to.threads = o.threads;
    to.seed = o.seed;
    to.gd.starts = o.gd_starts;
    to.exact.gd_starts = o.gd_starts;
    to.net.r = o.net_r;
    to.net.eta = o.net_eta;
    std::string name(to_string(algo));
    TrainResult r;
    try {
      r = train(data, algo, to);
    } catch (const std::invalid_argument& e) {  // e.g. a net budget above the candidate cap
      info["trainers"][name] = {{"status", "refused"}, {"message", e.what()}};
      skipped.push_back({"trainer(" + name + ")", Verdict::kNotChecked, std::string("not run: ") + e.what(), ""});
      return;
    }
    info["trainers"][name] = {{"status", std::string(to_string(r.status))},
                              {"loss", r.loss},
                              {"lower_bound", r.lower_bound ? nlohmann::json(*r.lower_bound) : nlohmann::json(nullptr)},
                              {"seconds", r.stats.seconds}};
    if (r.status == SolveStatus::kError || r.net.dim != data.dim) {
      skipped.push_back({"trainer(" + name + ")", Verdict::kNotChecked, "trainer failed: " + r.message, ""});
      return;
    }
    FoundNetwork f{name, r.net, std::nullopt, false, 0};
    if (algo == TrainAlgo::kExact) {
      f.proved_lower = r.lower_bound;
      f.proved_optimal = r.status == SolveStatus::kOptimal;
      // The B&B proves OPT within a relative gap; allow that much slack.
      f.tolerance = 1e-6 * std::max(1.0, std::abs(r.loss));
    }
    in.networks.push_back(std::move(f));
  };
  run(TrainAlgo::kGd);
  if (red.units() == 1 && data.samples() <= o.exact_max_samples) {
    run(TrainAlgo::kExact);
  } else {
    skipped.push_back({"trainer(exact)", Verdict::kNotChecked,
                       red.units() != 1 ? "exact runs here for one-unit reductions only"
                                        : std::to_string(data.samples()) + " samples > exact limit " +
                                              std::to_string(o.exact_max_samples),
                       ""});
  }
  if (o.net_r && o.net_eta) {
    run(TrainAlgo::kNet);
  } else {
    skipped.push_back({"trainer(net)", Verdict::kNotChecked, "net runs when given a budget (--net-budget r,eta)", ""});
  }

  if (o.adversarial) {
    // One generic step over the family's source solutions (verifier/adversarial.hpp).
    AdversarialOptions ao;
    ao.max_enumerated = o.adversarial_max_candidates;
    ao.seed = o.seed;
    ao.keep = 2;  // the network closest to the lower bound and the one closest to the lemma
    const AdversarialFamily fam = adversarial_family(red);
    const AdversarialResult adv = adversarial_search(red, in.source, red.bounds(in.source_optimum).loss_lower, fam, ao);
    auto margin = [](const std::optional<Rational>& m) -> nlohmann::json {
      if (!m) return nullptr;
      return {{"value", m->get_d()}, {"exact", to_string(*m)}};
    };
    info["adversarial"] = {{"candidates", fam.what},
                           {"lifted", adv.lifted},
                           {"exhaustive", adv.exhaustive},
                           {"max_candidates", o.adversarial_max_candidates},
                           {"descents", adv.descents},
                           {"decoded", adv.decoded},
                           {"lower_margin", margin(adv.lower_margin)},
                           {"lower_closest", adv.lower_closest},
                           {"lemma_margin", margin(adv.lemma_margin)},
                           {"lemma_closest", adv.lemma_closest},
                           {"networks", adv.found_by},
                           {"summary", adv.summary()},
                           {"seconds", adv.seconds}};
    for (const auto& f : adv.networks) in.networks.push_back(f);
  }
  PipelineResult out{verify(in), info};
  for (auto& s : skipped) out.report.checks.push_back(std::move(s));
  out.info["seconds"] = since(t0);
  return out;
}

PipelineResult run_pipeline_file(const std::string& path, const PipelineOptions& o) {
  if (o.reduction == "setcover") return run_pipeline(read_set_cover(path).value(), o);
  if (o.reduction == "dks") return run_pipeline(read_graph(path).value(), o);
  if (o.reduction == "sat1" || o.reduction == "sat2" || o.reduction == "satk")
    return run_pipeline(read_cnf(path).value(), o);
  throw std::invalid_argument("unknown reduction '" + o.reduction + "' (setcover, dks, sat1, sat2, satk)");
}

}  // namespace relugap
