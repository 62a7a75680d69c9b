// `relugap verify SOURCE --reduction NAME [...]`: solve the source, build the
// set, lift, train, decode, and report per check held / violated / not checked.
// `relugap verify --demo`: the same on one small built-in instance of every
// reduction (what `make run` shows).
// Exit codes: 0 nothing violated, 1 error, 4 some check violated.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>

#include "instances/core/error.hpp"
#include "instances/core/interrupt.hpp"
#include "instances/gen/generators.hpp"
#include "tools/command.hpp"
#include "verifier/family.hpp"
#include "verifier/pipeline.hpp"

namespace relugap::cli::cmd_verify {

namespace {

struct VerifyArgs {
  std::string source;
  std::string net_budget, anchor_weight, c_text, s_text;
  std::uint32_t degree_bound = 0;
  PipelineOptions opt;
  bool json = false;
  bool demo = false;
  bool no_adversarial = false;
  bool no_net = false;
};

struct DemoCase {
  std::string label;
  SourceInstance source;
  PipelineOptions opt;
};

/// Small seeded instances, one planted (YES) cell per registered family at its
/// smallest suite size, and an unsatisfiable formula for the first family that
/// reads CNF.
std::vector<DemoCase> demo_cases(const PipelineOptions& base) {
  std::vector<DemoCase> out;
  for (const auto* f : families()) {
    const auto sizes = f->suite_sizes("small");
    if (sizes.empty()) continue;
    const std::uint32_t n = *std::min_element(sizes.begin(), sizes.end());
    CellSource c = f->generate(n, true, base.seed, base);
    PipelineOptions o = base;
    static_cast<FamilyParams&>(o) = c.params;
    o.reduction = f->name();
    out.push_back(
        {f->name() + ": " + c.generator.name + ", size " + std::to_string(n) + "; " + c.question, c.source, o});
  }
  for (const auto* f : families()) {
    const auto kinds = f->source_kinds();
    if (std::find(kinds.begin(), kinds.end(), "cnf") == kinds.end()) continue;
    // A NO instance: x, ¬x.
    Cnf no;
    no.num_vars = 1;
    no.clauses = {{Lit(1)}, {Lit(-1)}};
    PipelineOptions o = base;
    o.reduction = f->name();
    out.push_back({f->name() + ": unsatisfiable (x)(¬x)", no, o});
    break;
  }
  return out;
}

void print_report(const std::string& title, const PipelineResult& r) {
  std::cout << "== " << title << "\n";
  const auto& i = r.info;
  std::cout << "   source: " << i.value("source_status", std::string("?")) << "; set: " << i["shape"]["samples"]
            << " samples, dim " << i["shape"]["dim"] << ", " << i["shape"]["units"] << " unit(s)\n";
  if (i.contains("adversarial")) {
    std::cout << "   adversarial search: " << i["adversarial"].value("summary", std::string()) << "\n";
    for (const auto& n : i["adversarial"].value("networks", nlohmann::json::array()))
      std::cout << "   " << n.get<std::string>() << "\n";
  }
  if (i.contains("trainers") && i["trainers"].contains("net") && i["trainers"]["net"].contains("budget")) {
    const auto& b = i["trainers"]["net"]["budget"];
    std::cout << "   net: r = " << b.value("r", 0) << ", eta = " << b.value("eta", 0.0) << ", "
              << b.value("candidates", 0) << " candidates"
              << (b.value("fitted", false) ? " (fitted to the time limit)" : "")
              << "; within the class |w_j| <= " << b.value("R", 0.0) << ", |a|_1 <= " << b.value("B", 0.0)
              << ": L(net) <= OPT_class + " << b.value("epsilon_total", 0.0) << " (mean "
              << b.value("epsilon_mean", 0.0) << ", agnostic"
              << (b.value("complete", false) ? "" : ", NOT proved: stopped") << ")\n";
  }
  std::cout << r.report.table() << "\n";
}

int run_demo(const VerifyArgs& a) {
  auto cases = demo_cases(a.opt);
  nlohmann::json all = nlohmann::json::array();
  std::vector<std::tuple<std::string, std::string, std::size_t, std::size_t, std::size_t>> rows;
  bool violated = false;
  for (auto& c : cases) {
    if (interrupted()) break;
    PipelineResult r = run_pipeline(c.source, c.opt);
    violated = violated || r.report.any_violated();
    if (a.json) {
      all.push_back({{"case", c.label}, {"info", r.info}, {"report", r.report.to_json()}});
    } else {
      print_report(c.label, r);
    }
    rows.emplace_back(c.opt.reduction, r.info.value("source_status", std::string("?")), r.report.count(Verdict::kHeld),
                      r.report.count(Verdict::kViolated), r.report.count(Verdict::kNotChecked));
  }
  if (a.json) {
    std::cout << all.dump(2) << "\n";
  } else {
    // The source column fits its longest status (maxcut's bounds text runs past 36 characters).
    int src_width = 36;
    for (const auto& row : rows) src_width = std::max(src_width, static_cast<int>(std::get<1>(row).size()) + 2);
    std::cout << "== summary\n"
              << std::left << std::setw(10) << "reduction" << std::setw(src_width) << "source" << std::setw(6) << "held"
              << std::setw(10) << "violated"
              << "not checked\n";
    for (auto& [red, src, h, v, n] : rows)
      std::cout << std::setw(10) << red << std::setw(src_width) << src << std::setw(6) << h << std::setw(10) << v << n
                << "\n";
  }
  return violated ? 4 : 0;
}

const CommandRegistrar kVerifyRegistrar([](CLI::App& root) {
  auto a = std::make_shared<VerifyArgs>();
  CLI::App* app = root.add_subcommand("verify", "check that a reduction preserved the optimal loss on an instance");
  app->add_option("source", a->source, "source instance (set cover, graph or CNF file)");
  app->add_option("--reduction,-r", a->opt.reduction, "a registered family: " + family_list());
  app->add_option("--kappa", a->opt.kappa, "dks: size of the dense subgraph");
  app->add_option("--units", a->opt.units, "satk: number of ReLUs K (>= 2)")->capture_default_str();
  app->add_flag("--unweighted", a->opt.unweighted, "setcover, dks: the unweighted form");
  app->add_flag("--unit-ball", a->opt.unit_ball, "setcover, dks: the unit-ball form");
  app->add_flag("--robust", a->opt.robust, "sat2: the robust NO bound (V_min by enumeration)");
  app->add_option("--robust-max-vars", a->opt.robust_max_vars, "sat2 --robust: largest N enumerated")
      ->capture_default_str();
  app->add_option("--anchor-weight", a->anchor_weight, "sat1, sat2: anchor weight R (a perfect square)");
  app->add_option("--c", a->c_text, "maxcut: YES promise SAT* >= c*M (recorded; default from the source)");
  app->add_option("--s", a->s_text, "maxcut: NO promise SAT* <= s*M");
  app->add_option("--degree-bound", a->degree_bound, "maxcut: degree bound D >= max degree");
  app->add_option("--exact-max-n", a->opt.exact_max_n, "maxcut: largest n solved by enumeration")
      ->capture_default_str();
  app->add_option("--source-time-limit", a->opt.source_time_limit, "seconds for the source solver")
      ->capture_default_str();
  app->add_option("--time-limit", a->opt.trainer_time_limit, "seconds for each trainer")->capture_default_str();
  app->add_option("--threads", a->opt.threads, "trainer threads")
      ->capture_default_str()
      ->check(at_least("--threads", 1));
  app->add_option("--seed", a->opt.seed, "seed of the trainers (and of --demo's instances)")->capture_default_str();
  app->add_option("--starts", a->opt.gd_starts, "gd random restarts")
      ->capture_default_str()
      ->check(at_least("--starts", 1));
  app->add_option("--exact-max-samples", a->opt.exact_max_samples, "run the exact trainer up to this many samples")
      ->capture_default_str();
  app->add_option("--witness-dir", a->opt.witness_dir, "save networks that violate a check here");
  app->add_option("--adversarial-max", a->opt.adversarial_max_candidates,
                  "adversarial search: lift every source solution and near-solution up to this many candidates "
                  "(else a seeded sample), then descend locally from the closest")
      ->capture_default_str();
  app->add_flag("--no-adversarial", a->no_adversarial, "skip the adversarial search");
  app->add_option("--net-budget", a->net_budget,
                  "run the net learner with this budget, 'r,eta' (default: the finest budget that fits "
                  "--net-time-limit)");
  app->add_option("--net-time-limit", a->opt.net_time_limit,
                  "net: fit its budget to min(--time-limit, this many seconds) at the measured candidate rate")
      ->capture_default_str()
      ->check(positive("--net-time-limit"));
  app->add_flag("--no-net", a->no_net, "skip the net learner");
  app->add_flag("--json", a->json, "machine-readable report");
  app->add_flag("--demo", a->demo, "verify one small built-in instance of every reduction");
  app->callback([a] {
    guarded([&] {
      install_interrupt_handlers();
      a->opt.adversarial = !a->no_adversarial;
      a->opt.net = !a->no_net;
      if (!a->net_budget.empty()) {
        auto [r, eta] = parse_budget(a->net_budget, "--net-budget");
        a->opt.net_r = r;
        a->opt.net_eta = eta;
      }
      if (!a->anchor_weight.empty()) {
        mpz_class r;
        if (r.set_str(a->anchor_weight, 10) != 0 || r < 1 || mpz_perfect_square_p(r.get_mpz_t()) == 0)
          fail("reduce.anchor", "verify", 0,
               "--anchor-weight must be a perfect square >= 1, got '" + a->anchor_weight + "'");
        a->opt.anchor_weight = r;
      }
      if (!a->c_text.empty()) a->opt.c = parse_rational(a->c_text);
      if (!a->s_text.empty()) a->opt.s = parse_rational(a->s_text);
      if (a->degree_bound > 0) a->opt.degree_bound = a->degree_bound;
      if (a->demo) {
        exit_code() = run_demo(*a);
        return;
      }
      if (a->source.empty()) fail("verify.args", "verify", 0, "give a SOURCE file (or --demo)");
      if (a->opt.reduction.empty()) fail("verify.args", "verify", 0, "--reduction is required");
      PipelineResult r = run_pipeline_file(a->source, a->opt);
      if (a->json) {
        std::cout << nlohmann::json{{"info", r.info}, {"report", r.report.to_json()}}.dump(2) << "\n";
      } else {
        print_report(a->source + " via " + a->opt.reduction, r);
      }
      exit_code() = r.report.any_violated() ? 4 : 0;
    });
  });
});

}  // namespace

}  // namespace relugap::cli::cmd_verify
