// `relugap sweep --reductions setcover,dks,sat1,sat2,satk --sizes 8,12,16 --seeds 1..5 -o DIR`:
// the verifier pipeline over a grid of seeded instances (verifier/sweep.hpp,
// docs/manual/sweep.md). Rows go to DIR/results.jsonl and DIR/results.csv
// (results.shard-I-of-N.* with --shard I/N); rerunning the same command
// resumes. Exit codes: 0 done, nothing violated; 4 some check violated;
// 1 error (including cells that failed); 130 interrupted (rerun to resume).
#include <unistd.h>

#include <iomanip>
#include <iostream>
#include <map>
#include <memory>

#include "instances/interrupt.hpp"
#include "tools/command.hpp"
#include "verifier/results_log.hpp"
#include "verifier/sweep.hpp"

namespace relugap::cli {

namespace {
namespace sweep_cmd {

struct Args {
  std::string reductions = "setcover,dks,sat1,sat2,satk", sizes = "8,12,16", seeds = "1..3", kinds = "yes,no", shard;
  SweepOptions opt;
  bool no_plots = false, progress = false;
};

std::string fmt_prec(double x, int prec) {
  std::ostringstream os;
  os << std::setprecision(prec) << x;
  return os.str();
}

/// Per (reduction, size): instances, answers, mean ε, mean gd position, violations.
void print_table(const std::vector<nlohmann::json>& rows) {
  struct Agg {
    std::size_t n = 0, yes = 0, no = 0, unknown = 0, violated = 0, rel_yes_n = 0, rel_no_n = 0, eps_n = 0;
    double eps = 0, rel_yes = 0, rel_no = 0;
  };
  std::vector<std::pair<std::string, std::uint32_t>> order;
  std::map<std::pair<std::string, std::uint32_t>, Agg> agg;
  for (const auto& r : rows) {
    const std::pair<std::string, std::uint32_t> k{r.value("reduction", std::string()), r.value("size", 0u)};
    if (!agg.count(k)) order.push_back(k);
    Agg& a = agg[k];
    ++a.n;
    const std::string ans = r.value("answer", std::string());
    (ans == "yes" ? a.yes : ans == "no" ? a.no : a.unknown) += 1;
    a.violated += r.value("violated", std::size_t{0});
    if (r["epsilon"].is_number()) {
      a.eps += r["epsilon"].get<double>();
      ++a.eps_n;
    }
    if (r["gd_rel"].is_number()) {
      if (ans == "yes") {
        a.rel_yes += r["gd_rel"].get<double>();
        ++a.rel_yes_n;
      } else if (ans == "no") {
        a.rel_no += r["gd_rel"].get<double>();
        ++a.rel_no_n;
      }
    }
  }
  std::cout << std::left << std::setw(10) << "reduction" << std::setw(6) << "size" << std::setw(6) << "cells"
            << std::setw(11) << "yes/no/?" << std::setw(13) << "epsilon" << std::setw(16) << "gd rel (yes)"
            << std::setw(15) << "gd rel (no)"
            << "violated\n";
  for (const auto& k : order) {
    const Agg& a = agg[k];
    auto mean = [](double s, std::size_t n, int prec) { return n ? fmt_prec(s / static_cast<double>(n), prec) : "-"; };
    std::cout << std::setw(10) << k.first << std::setw(6) << k.second << std::setw(6) << a.n << std::setw(11)
              << (std::to_string(a.yes) + "/" + std::to_string(a.no) + "/" + std::to_string(a.unknown)) << std::setw(13)
              << mean(a.eps, a.eps_n, 4) << std::setw(16) << mean(a.rel_yes, a.rel_yes_n, 4) << std::setw(15)
              << mean(a.rel_no, a.rel_no_n, 4) << a.violated << "\n";
  }
  std::cout << "(epsilon = (NO threshold - YES threshold) / sum c_i; gd rel = (gd loss - YES)/(NO - YES): "
               "<= 0 reaches the YES threshold, >= 1 is at or above the NO threshold)\n";
}

void run(Args& a) {
  SweepOptions& o = a.opt;
  o.reductions = parse_name_list(a.reductions, "--reductions", sweep_reductions());
  o.sizes = parse_uint_list(a.sizes, "--sizes");
  o.seeds = parse_uint_list(a.seeds, "--seeds");
  o.kinds = parse_name_list(a.kinds, "--kinds", {"yes", "no"});
  if (!a.shard.empty()) o.shard = parse_shard(a.shard);
  o.plots = !a.no_plots;
  const bool tty = ::isatty(2) != 0;
  o.progress = a.progress || tty;
  o.progress_cr = tty;
  install_interrupt_handlers();
  const SweepSummary s = run_sweep(o, std::cerr);

  for (const auto& e : s.errors) std::cerr << "relugap sweep: cell failed: " << e << "\n";
  if (s.interrupted) {
    std::cerr << "relugap sweep: interrupted: " << s.skipped + s.completed << " of " << s.in_shard
              << " cells are recorded in " << s.jsonl << " (" << s.abandoned
              << " running cell(s) abandoned, not recorded).\n"
              << "Resume by running the same command again: recorded cells are skipped.\n";
    exit_code() = 130;
    return;
  }
  if (!s.rows.empty()) print_table(s.rows);
  std::cout << "cells: " << s.in_shard << (o.shard ? " in this shard" : "") << " (" << s.skipped
            << " already recorded, " << s.completed << " run now, " << s.failed << " failed)\n";
  std::cout << "wrote " << s.jsonl << ", " << s.csv;
  for (const auto& f : s.written) std::cout << ", " << f;
  std::cout << "\n";
  if (!s.plot_note.empty()) std::cout << "note: " << s.plot_note << "\n";
  if (s.violations > 0)
    std::cout << s.violations << " check(s) violated: see the \"violations\" field of the rows in " << s.jsonl << "\n";
  if (s.failed > 0) {
    std::cerr << "relugap sweep: " << s.failed << " cell(s) failed (not recorded; rerun to retry them)\n";
    exit_code() = 1;
  } else {
    exit_code() = s.violations > 0 ? 4 : 0;
  }
}

const CommandRegistrar kSweepRegistrar([](CLI::App& root) {
  auto a = std::make_shared<Args>();
  CLI::App* app = root.add_subcommand(
      "sweep", "run the verifier over a grid of seeded YES/NO instances; resumable JSONL + CSV results and plots");
  app->add_option("--reductions", a->reductions, "comma-separated: setcover, dks, sat1, sat2, satk")
      ->capture_default_str();
  app->add_option("--sizes", a->sizes,
                  "sizes: set cover elements, dks vertices, 3SAT variables (list and ranges A..B, each in [3, 10000])")
      ->capture_default_str();
  app->add_option("--seeds", a->seeds, "seed numbers of the grid, e.g. 1..5 or 1,4,9")->capture_default_str();
  app->add_option("--kinds", a->kinds, "yes (planted) and/or no (random)")->capture_default_str();
  app->add_option("--seed", a->opt.global_seed, "global seed; each cell's seed is derived from it and its key")
      ->capture_default_str();
  app->add_option("--threads", a->opt.threads, "cells run in parallel (each pipeline single-threaded)")
      ->capture_default_str();
  app->add_option("--trainer-time-limit", a->opt.trainer_time_limit, "seconds for each trainer in each cell")
      ->capture_default_str();
  app->add_option("--source-time-limit", a->opt.source_time_limit, "seconds for the exact source solver")
      ->capture_default_str();
  app->add_option("--units", a->opt.units, "satk: number of ReLUs K (>= 2)")->capture_default_str();
  app->add_option("--starts", a->opt.gd_starts, "gd random restarts")->capture_default_str();
  app->add_option("--exact-max-samples", a->opt.exact_max_samples,
                  "run the exact trainer on one-unit sets up to this many samples")
      ->capture_default_str();
  app->add_option("-o,--output", a->opt.out_dir, "output directory (results, plots; rerun to resume)")->required();
  app->add_option("--shard", a->shard,
                  "I/N: run only the cells with grid index % N == I; writes results.shard-I-of-N.{jsonl,csv}");
  app->add_flag("--no-plots", a->no_plots, "write the gnuplot scripts and data but do not run gnuplot");
  app->add_flag("--progress", a->progress, "progress line on stderr even when it is not a terminal");
  app->callback([a] { guarded([&] { run(*a); }); });
});

}  // namespace sweep_cmd
}  // namespace

}  // namespace relugap::cli
