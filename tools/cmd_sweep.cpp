// `relugap sweep --reductions setcover,dks,sat1,sat2,satk --sizes 8,12,16 --seeds 1..5 -o DIR`:
// the verifier pipeline over a grid of seeded instances (experiments/sweep.hpp,
// docs/manual/sweep.md). Rows go to DIR/results.jsonl and DIR/results.csv
// (results.shard-I-of-N.* with --shard I/N); rerunning the same command
// resumes. Exit codes: 0 done, nothing violated; 4 some check violated;
// 1 error (including cells that failed); 130 interrupted (rerun to resume).
#include <unistd.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>

#include "experiments/results_log.hpp"
#include "experiments/sweep.hpp"
#include "experiments/sweep_merge.hpp"
#include "experiments/sweep_slurm.hpp"
#include "instances/core/interrupt.hpp"
#include "tools/command.hpp"

namespace relugap::cli::cmd_sweep {

namespace {

struct Args {
  std::string reductions = "setcover,dks,sat1,sat2,satk", sizes = "8,12,16", seeds = "1..3", kinds = "yes,no", shard;
  SweepOptions opt;
  bool no_plots = false, progress = false, no_timing = false;
  std::size_t slurm_tasks = 0;
  bool submit = false, wait = false;
  std::string partition, time_limit;
  std::string merge_dir;
  bool merge_no_plots = false;
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

/// The closing lines of a sweep or a merge: table, counts, files, exit code.
void report_summary(const SweepSummary& s, bool sharded) {
  if (!s.rows.empty()) print_table(s.rows);
  std::cout << "cells: " << s.in_shard << (sharded ? " in this shard" : "") << " (" << s.skipped
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

/// The absolute path of this program (for the Slurm scripts).
std::string self_binary() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) fail("sweep.slurm", "/proc/self/exe", 0, "cannot find the relugap binary: " + ec.message());
  return p.string();
}

void run_slurm(Args& a) {
  SlurmOptions so;
  so.tasks = a.slurm_tasks;
  so.partition = a.partition;
  so.time_limit = a.time_limit;
  so.relugap_binary = self_binary();
  sweep_grid(a.opt);  // validates the grid before anything is written
  const SlurmScripts sc = write_slurm_scripts(a.opt, so);
  std::cout << "wrote " << sc.array_script << " (array of " << so.tasks << " shard tasks), " << sc.merge_script << ", "
            << sc.submit_script << "\n";
  if (!a.submit) {
    std::cout << "submit with: " << shell_quote(sc.submit_script) << " [--wait]\n";
    exit_code() = 0;
    return;
  }
  if (!on_path("sbatch")) fail("sweep.slurm", "sbatch", 0, "sbatch is not on PATH; is this a Slurm login node?");
  std::cout.flush();
  std::vector<std::string> argv = {"bash", sc.submit_script};
  if (a.wait) argv.push_back("--wait");
  const int rc = run_in_dir(sc.folder, argv, false);
  if (rc != 0) {
    std::cerr << "relugap sweep: " << (a.wait ? "the Slurm jobs" : "sbatch") << " failed (exit " << rc
              << "); task logs are in " << sc.folder << "/logs; `relugap sweep merge " << a.opt.out_dir
              << "` lists what is missing\n";
    exit_code() = 1;
    return;
  }
  if (a.wait)
    std::cout << "merged results: " << (std::filesystem::path(a.opt.out_dir) / "results.csv").string() << "\n";
  exit_code() = 0;
}

void run(Args& a) {
  SweepOptions& o = a.opt;
  if (o.out_dir.empty()) fail("sweep.param", "sweep", 0, "-o/--output DIR is required");
  o.reductions = parse_name_list(a.reductions, "--reductions", sweep_reductions());
  o.sizes = parse_uint_list(a.sizes, "--sizes");
  o.seeds = parse_uint_list(a.seeds, "--seeds");
  o.kinds = parse_name_list(a.kinds, "--kinds", {"yes", "no"});
  if (!a.shard.empty()) o.shard = parse_shard(a.shard);
  o.plots = !a.no_plots;
  o.csv_timing = !a.no_timing;
  if (a.slurm_tasks > 0) {
    if (o.shard) fail("sweep.param", "sweep", 0, "--slurm makes the shards itself; leave out --shard");
    run_slurm(a);
    return;
  }
  if (a.submit || a.wait) fail("sweep.param", "sweep", 0, "--submit and --wait go with --slurm N");
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
  report_summary(s, o.shard.has_value());
}

void run_merge(Args& a) {
  const SweepMergeReport r = merge_sweep(a.merge_dir, !a.merge_no_plots);
  if (!r.complete()) {
    std::cerr << "relugap sweep merge: " << r.missing.size() << " of " << r.cells << " cells are missing (" << r.rows
              << " recorded by " << r.shards_found << " of " << r.shards << " shards); nothing written.\n";
    const std::size_t show = std::min<std::size_t>(r.missing.size(), 10);
    for (std::size_t i = 0; i < show; ++i) std::cerr << "  missing: " << r.missing[i] << "\n";
    if (show < r.missing.size()) std::cerr << "  ... and " << r.missing.size() - show << " more\n";
    const std::string list = slurm_array_list(r.incomplete);
    const std::filesystem::path slurm = std::filesystem::path(a.merge_dir) / "slurm";
    std::cerr << "shards with missing cells: " << list << "\n"
              << "rerun them (they resume), e.g. on Slurm:\n"
              << "  jid=$(sbatch --parsable --array=" << list << " " << shell_quote((slurm / "sweep.sbatch").string())
              << ")\n"
              << "  sbatch --dependency=afterok:$jid " << shell_quote((slurm / "merge.sbatch").string()) << "\n"
              << "or with --shard I/" << r.shards << " on any machine, then merge again.\n";
    exit_code() = 1;
    return;
  }
  std::cout << "merged " << r.shards << " shards: " << r.rows << " cells\n";
  report_summary(r.summary, false);
}

const CommandRegistrar kSweepRegistrar([](CLI::App& root) {
  auto a = std::make_shared<Args>();
  CLI::App* app = root.add_subcommand(
      "sweep", "run the verifier over a grid of seeded YES/NO instances; resumable JSONL + CSV results and plots");
  app->add_option("--reductions", a->reductions,
                  "comma-separated: setcover, dks, sat1, sat2, satk, maxcut, or a form NAME:FORM (setcover:unit-ball, "
                  "dks:unit-ball, dks:unweighted, sat2:robust, ...)")
      ->capture_default_str();
  app->add_option("--sizes", a->sizes,
                  "sizes: set cover elements, dks vertices, 3SAT variables (list and ranges A..B, each in [3, 10000])")
      ->capture_default_str();
  app->add_option("--seeds", a->seeds, "seed numbers of the grid, e.g. 1..5 or 1,4,9")->capture_default_str();
  app->add_option("--kinds", a->kinds, "yes (planted) and/or no (random)")->capture_default_str();
  app->add_option("--seed", a->opt.global_seed, "global seed; each cell's seed is derived from it and its key")
      ->capture_default_str();
  app->add_option("--threads", a->opt.threads, "cells run in parallel (each pipeline single-threaded)")
      ->check(in_range("--threads", 1, 256))
      ->capture_default_str();
  app->add_option("--trainer-time-limit", a->opt.trainer_time_limit, "seconds for each trainer in each cell")
      ->capture_default_str();
  app->add_option("--source-time-limit", a->opt.source_time_limit, "seconds for the exact source solver")
      ->capture_default_str();
  app->add_option("--units", a->opt.units, "satk: number of ReLUs K (>= 2)")
      ->capture_default_str()
      ->check(at_least("--units", 2));
  app->add_option("--starts", a->opt.gd_starts, "gd random restarts")
      ->capture_default_str()
      ->check(at_least("--starts", 1));
  app->add_option("--exact-max-samples", a->opt.exact_max_samples,
                  "run the exact trainer on one-unit sets up to this many samples")
      ->capture_default_str();
  app->add_option("--net-work", a->opt.net_work,
                  "net learner: the finest budget whose work (points x samples x r) is at most this; 0 = no net")
      ->capture_default_str();
  app->add_option("-o,--output", a->opt.out_dir, "output directory (results, plots; rerun to resume); required");
  app->add_option("--shard", a->shard,
                  "I/N: run only the cells with grid index % N == I; writes results.shard-I-of-N.{jsonl,csv}");
  app->add_flag("--no-adversarial{false}", a->opt.adversarial,
                "skip the adversarial search in every cell (its closest_* columns are then empty)");
  app->add_option("--adversarial-max", a->opt.adversarial_max,
                  "adversarial search: lift every candidate (source solution or near-solution) when there are at "
                  "most this many")
      ->capture_default_str();
  app->add_option("--adversarial-lifts", a->opt.adversarial_lifts,
                  "adversarial search beyond that: at most this many lifts (samples and tabu walks)")
      ->capture_default_str();
  app->add_option("--adversarial-descents", a->opt.adversarial_descents,
                  "adversarial search: local descents from the closest networks")
      ->capture_default_str();
  app->add_flag("--no-plots", a->no_plots, "write the gnuplot scripts and data but do not run gnuplot");
  app->add_flag("--progress", a->progress, "progress line on stderr even when it is not a terminal");
  app->add_flag("--no-timing", a->no_timing,
                "leave the *_seconds columns out of results.csv (kept in the JSONL): equal grids give equal CSVs");
  app->add_option("--slurm", a->slurm_tasks,
                  "N: write DIR/slurm/ scripts for a Slurm job array of N shard tasks and a merge job")
      ->check(at_least("--slurm", 1));
  app->add_flag("--submit", a->submit, "with --slurm: submit the array and the merge job (sbatch)");
  app->add_flag("--wait", a->wait, "with --submit: wait for the merge job and exit with its status");
  app->add_option("--partition", a->partition, "with --slurm: the Slurm partition");
  app->add_option("--time", a->time_limit, "with --slurm: the time limit of each task, e.g. 02:00:00");
  CLI::App* merge = app->add_subcommand(
      "merge", "merge the shards in DIR into the results, CSV and plots of a one-machine run; list missing cells");
  merge->add_option("dir", a->merge_dir, "the sweep's output folder")->required();
  merge->add_flag("--no-plots", a->merge_no_plots, "write the gnuplot scripts and data but do not run gnuplot");
  merge->callback([a] { guarded([&] { run_merge(*a); }); });
  app->callback([a, merge] {
    if (merge->parsed()) return;
    guarded([&] { run(*a); });
  });
});

}  // namespace

}  // namespace relugap::cli::cmd_sweep
