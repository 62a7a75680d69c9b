#include "verifier/pipeline.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

#include "instances/core/error.hpp"
#include "instances/io/io.hpp"
#include "instances/problems/loss.hpp"
#include "relugap_version.hpp"
#include "solvers/relu/trainer.hpp"
#include "verifier/adversarial.hpp"
#include "verifier/net_check.hpp"

namespace relugap {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

PipelineResult run_pipeline(const SourceInstance& source, const PipelineOptions& o) {
  auto t0 = Clock::now();
  const ReductionFamily& fam = family(o.reduction);  // Failure "reduce.unknown" naming the known ones
  const FamilyParams& params = o;
  fam.check(source, params);
  std::shared_ptr<const Reduction> built = fam.build(source, params);
  SolveLimits lim;
  lim.time_limit = o.source_time_limit;
  SourceSolution sol = fam.solve(source, params, lim);
  const LossBounds bounds = fam.bounds(*built, sol);
  std::optional<ExactNetwork> certificate = fam.lift(*built, sol.certificate);
  const Reduction& red = *built;
  const ExactTrainingSet& exact = red.data();
  TrainingSet data = to_double(exact);
  nlohmann::json info;
  info["source"] = sol.info;
  info["source_solution"] = sol.to_json();
  info["relugap_version"] = kVersion;
  info["reduction"] = red.name();
  info["seed"] = o.seed;
  info["threads"] = o.threads;
  info["shape"] = {{"samples", data.samples()}, {"dim", data.dim}, {"nnz", data.nnz()}, {"units", red.units()}};
  info["source_status"] = sol.status_text;
  info["build_seconds"] = since(t0);

  VerifyInput in;
  in.reduction = built.get();
  in.source_optimum = bounds.source_optimum;
  in.source_optimum_proved = sol.proved;
  in.source_status = sol.status_text;
  in.bounds = bounds;
  in.completeness_at_most = !fam.certificate_reaches_upper();
  in.certificate = certificate;
  in.witness_dir = o.witness_dir;
  in.source.instance = &source;  // every decoded solution is re-checked against it, by the family
  in.source.kappa = o.kappa;
  in.source.checker = [&fam, &source, &params](const DecodedSolution& d) { return fam.recheck(source, params, d); };
  const TrainConstraints constraints = fam.constraints(red);

  std::vector<CheckResult> skipped;
  info["trainers"] = nlohmann::json::object();
  // net's class: the family's where it states one; else the certificate's norms.
  const NetClass ncls = net_class_of(constraints, certificate);
  const TrainConstraints& net_class = ncls.constraints;
  const std::string& class_note = ncls.note;
  const bool class_holds = ncls.holds;
  std::optional<TrainResult> net_result;
  auto run = [&](TrainAlgo algo) {
    TrainOptions to;
    to.units = red.units();
    to.constraints = constraints;
    to.time_limit = o.trainer_time_limit;
    to.threads = o.threads;
    to.seed = o.seed;
    to.gd.starts = o.gd_starts;
    to.exact.gd_starts = o.gd_starts;
    if (certificate) to.exact.incumbents.push_back(to_double(*certificate));  // the lifted source solution
    if (algo == TrainAlgo::kNet) {
      to.constraints = net_class;
      to.net.r = o.net_r;
      to.net.eta = o.net_eta;
      to.net.agnostic = true;
      if (!(o.net_r && o.net_eta)) {
        to.net.fit_time_limit = true;
        to.net.max_work = o.net_max_work;
        if (!o.net_max_work) to.time_limit = std::min(o.trainer_time_limit, o.net_time_limit);
      }
    }
    std::string name(to_string(algo));
    TrainResult r;
    try {
      r = train(data, algo, to);
    } catch (const Failure& e) {  // "train.*": e.g. a net budget above the candidate cap
      if (e.error().id.rfind("train.", 0) != 0) throw;
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
    if (algo == TrainAlgo::kNet) {
      net_result = r;
      info["trainers"][name]["budget"] = {
          {"r", r.stats.net_r.value_or(0)},
          {"eta", r.stats.net_eta.value_or(0)},
          {"points", r.stats.net_points.value_or(0)},
          {"candidates", r.stats.candidates},
          {"R", r.stats.net_R.value_or(0)},
          {"B", r.stats.net_B.value_or(0)},
          {"class", class_note},
          {"fitted", !(o.net_r && o.net_eta)},
          {"complete", r.stats.net_complete},
          {"epsilon_mean", r.stats.epsilon_agnostic.value_or(0)},
          {"epsilon_total", r.stats.epsilon_agnostic.value_or(0) * exact.total_weight().get_d()}};
      info["trainers"][name]["message"] = r.message;
    }
    FoundNetwork f{name, r.net, std::nullopt, false, 0};
    if (algo == TrainAlgo::kExact) {
      info["trainers"][name]["status_text"] = status_text(r, algo);
      if (r.certified) {  // only a rational certificate counts as a proof
        f.proved_lower = r.lower_bound;
        f.proved_optimal = r.status == SolveStatus::kOptimal;
      } else {
        skipped.push_back(
            {"optimum-interval(exact)", Verdict::kNotChecked,
             status_text(r, algo) + ": no certificate, so no proof about OPT (loss " + std::to_string(r.loss) + ")",
             ""});
      }
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
  if (o.net) {
    run(TrainAlgo::kNet);
  } else {
    skipped.push_back({"trainer(net)", Verdict::kNotChecked, "net not run (--no-net)", ""});
  }
  std::vector<CheckResult> net_checks;
  if (net_result) {
    NetGuaranteeInput g;
    g.loss = exact_loss(exact, to_exact(net_result->net));
    g.eps_mean = net_result->stats.epsilon_agnostic.value_or(0);
    g.total_weight = exact.total_weight();
    g.complete = net_result->stats.net_complete;
    g.class_holds = class_holds;
    g.class_note = class_note;
    g.R = net_result->stats.net_R.value_or(1);
    g.B = net_result->stats.net_B.value_or(1);
    g.upper = bounds.loss_upper;
    std::optional<CellSource> own;
    const CellSource* q = o.question;
    if (q == nullptr) {
      own = fam.file_question(source, params, sol);
      if (own) q = &*own;
    }
    if (q != nullptr) {
      const DecisionThresholds th = fam.thresholds(red, *q);
      g.yes = th.yes;
      g.no = th.no;
      g.source_answer = fam.answer(sol, *q).answer;
      info["trainers"]["net"]["question"] = q->question;
    }
    net_checks.push_back(check_net_guarantee(g));
    net_checks.push_back(check_net_decides(g));
    info["trainers"]["net"]["guarantee"] = net_checks[0].detail;
    info["trainers"]["net"]["decides"] = net_checks[1].detail;
  }

  if (o.adversarial) {
    // One generic step over the family's source solutions (verifier/adversarial.hpp).
    AdversarialOptions ao;
    ao.max_enumerated = o.adversarial_max_candidates;
    ao.seed = o.seed;
    ao.keep = 2;  // the network closest to the lower bound and the one closest to the lemma
    const AdversarialFamily afam = adversarial_family(red);
    const AdversarialResult adv = adversarial_search(red, in.source, bounds.loss_lower, afam, ao);
    auto margin = [](const std::optional<Rational>& m) -> nlohmann::json {
      if (!m) return nullptr;
      return {{"value", m->get_d()}, {"exact", to_string(*m)}};
    };
    info["adversarial"] = {{"candidates", afam.what},
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
  PipelineResult out{verify(in), info, std::move(sol), built};
  for (auto& c : net_checks) out.report.checks.push_back(std::move(c));
  for (auto& s : skipped) out.report.checks.push_back(std::move(s));
  out.info["seconds"] = since(t0);
  return out;
}

PipelineResult run_pipeline_file(const std::string& path, const PipelineOptions& o) {
  return run_pipeline(family(o.reduction).read_source(path), o);
}

}  // namespace relugap
