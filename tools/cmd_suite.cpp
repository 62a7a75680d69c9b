// `relugap suite -o DIR [--seed S] [--scale small|medium]`: a benchmark of
// reduced instances with known bounds and certificates (experiments/suite.hpp,
// docs/manual/suite.md). Exit codes: 0 written, 1 error (DIR untouched),
// 130 interrupted (DIR untouched).
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "experiments/suite.hpp"
#include "instances/core/interrupt.hpp"
#include "tools/command.hpp"

namespace relugap::cli::cmd_suite {

namespace {

struct Args {
  SuiteOptions opt;
};

void run(const Args& a) {
  install_interrupt_handlers();
  const auto plan = suite_plan(a.opt.scale, a.opt.forms);
  nlohmann::json m;
  try {
    m = write_suite(a.opt, plan, std::cerr);
  } catch (const Failure& f) {
    if (f.error().id == "suite.interrupted") {
      std::cerr << "relugap suite: " << f.error().message() << "\n";
      exit_code() = 130;
      return;
    }
    throw;
  }
  // The source column fits its longest status (maxcut's bounds text runs past 60 characters).
  std::size_t source_width = 36;
  for (const auto& it : m["instances"])
    source_width = std::max(source_width, it["source_status"].get<std::string>().size() + 2);
  const int sw = static_cast<int>(source_width);
  std::cout << std::left << std::setw(20) << "instance" << std::setw(9) << "samples" << std::setw(7) << "dim"
            << std::setw(sw) << "source"
            << "OPT in (exact values in the sidecars)" << (a.opt.net_work > 0 ? "; net: eps, guarantee, decides" : "")
            << "\n";
  for (const auto& it : m["instances"]) {
    auto show = [](const nlohmann::json& q) {
      if (q.is_null()) return std::string("?");
      std::ostringstream os;
      os << std::setprecision(15) << q["value"].get<double>();
      return os.str();
    };
    std::string lo = show(it["opt_lower"]), hi = it["opt_upper"].is_null() ? "inf" : show(it["opt_upper"]);
    // satk NO with UNSAT proved: the loss is >= 0 always, and 0 is unreachable (decoding lemma).
    std::string tail;
    if (it["opt_lower"].is_null() && it.value("kind", std::string()) == "no" && it.value("source_proved", false)) {
      lo = "0";
      tail = " (loss 0 unreachable)";
    }
    std::cout << std::setw(20) << it["name"].get<std::string>() << std::setw(9) << it["samples"].get<std::size_t>()
              << std::setw(7) << it["dim"].get<std::size_t>() << std::setw(sw) << it["source_status"].get<std::string>()
              << "[" << lo << ", " << hi << "]" << tail;
    if (it.contains("net")) {
      const auto& n = it["net"];
      if (n.value("status", std::string()) == "refused" || n.value("status", std::string()) == "skipped") {
        std::cout << "; net: not run (" << n["status"].get<std::string>() << ")";
      } else {
        std::ostringstream os;
        os << std::setprecision(3) << n["epsilon_total"]["value"].get<double>();
        std::cout << "; net: eps " << os.str() << ", " << n["guarantee"].get<std::string>();
        if (n["decides"].is_string())
          std::cout << ", decides " << n["decides"].get<std::string>() << " ("
                    << (n["decides_check"] == "held" ? "agrees" : n["decides_check"].get<std::string>()) << ")";
      }
    }
    std::cout << "\n";
  }
  std::uint64_t bytes = 0;
  for (const auto& f : m["files"]) bytes += f["bytes"].get<std::uint64_t>();
  std::cout << "wrote " << m["instances"].size() << " instances, " << m["files"].size() << " files (" << bytes
            << " bytes) and manifest.json to " << a.opt.out_dir << "\n";
}

const CommandRegistrar kSuiteRegistrar([](CLI::App& root) {
  auto a = std::make_shared<Args>();
  CLI::App* app = root.add_subcommand(
      "suite",
      "write a benchmark of reduced YES/NO instances: NPY sets, sidecars with bounds and certificates, "
      "manifest.json with sha256");
  app->add_option("-o,--output", a->opt.out_dir, "output directory (created; an existing suite there is replaced)")
      ->required();
  app->add_option("--seed", a->opt.seed, "suite seed; every instance seed is derived from it")->capture_default_str();
  app->add_option("--scale", a->opt.scale, "small | medium")->capture_default_str();
  app->add_option("--forms", a->opt.forms,
                  "also the items of these forms, for the families offering them: unit-ball (setcover, dks), "
                  "unweighted (setcover, dks), robust (sat2); files NAME-FORM_nN_KIND")
      ->delimiter(',');
  app->add_option("--units", a->opt.satk_units, "satk: number of ReLUs K (>= 2)")->capture_default_str();
  // Sparse items as .npz and the status file are the default; --dense / --no-status turn them off.
  a->opt.sparse_npz = true;
  a->opt.status_file = true;
  app->add_flag("--dense{false}", a->opt.sparse_npz,
                "write every item as a dense .npy (by default items whose X is under 10% nonzero are CSR .npz, "
                "which scipy.sparse.load_npz reads)");
  app->add_flag("--no-status{false}", a->opt.status_file, "do not write status.solu (one MIPLIB-style line per item)");
  app->add_flag("--no-adversarial{false}", a->opt.adversarial,
                "skip the adversarial search (the manifest's closest_approach is then null)");
  AdversarialOptions& ao = a->opt.adversarial_options;
  app->add_option("--adversarial-max", ao.max_enumerated,
                  "adversarial search: lift every candidate (source solution or near-solution) when there are at "
                  "most this many")
      ->capture_default_str();
  app->add_option("--adversarial-lifts", ao.max_lifts,
                  "adversarial search beyond that: at most this many lifts (samples and tabu walks)")
      ->capture_default_str();
  app->add_option("--adversarial-descents", ao.descents,
                  "adversarial search: local descents from the closest networks (each with its perturbations)")
      ->capture_default_str();
  app->add_option("--net-work", a->opt.net_work,
                  "the net learner on every item: its budget the finest of work (points x samples x r) <= this "
                  "(deterministic); its epsilon, guarantee(net) and decides(net) go into the manifest")
      ->capture_default_str();
  app->add_flag_callback(
      "--no-net", [a] { a->opt.net_work = 0; }, "do not run the net learner");
  app->callback([a] { guarded([&] { run(*a); }); });
});

}  // namespace

}  // namespace relugap::cli::cmd_suite
