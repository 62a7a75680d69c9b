// The epsilon-scaling driver (experiments/epsilon_scaling.hpp).
#include "experiments/epsilon_scaling.hpp"

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>

#include "experiments/sweep.hpp"
#include "instances/core/error.hpp"
#include "instances/core/rng.hpp"
#include "instances/gen/gen_maxcut.hpp"
#include "instances/io/atomic_write.hpp"
#include "instances/io/text_reader.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/maxcut/maxcut_to_relu.hpp"
#include "relugap_version.hpp"
#include "solvers/relu/trainer.hpp"
#include "solvers/source/max2lin.hpp"
#include "verifier/family.hpp"

namespace relugap {

std::vector<std::uint32_t> parse_eps_sizes(const std::string& text) {
  std::vector<std::uint32_t> out;
  std::stringstream ss(text);
  std::string tok;
  while (std::getline(ss, tok, ',')) {
    auto v = parse_u64(trim(tok));
    if (!v || *v < 4 || *v > 4000)
      fail("eps.param", "epsilon-scaling", 0,
           "--sizes must be a comma-separated list of integers in [4, 4000], got '" + text + "'");
    out.push_back(static_cast<std::uint32_t>(*v));
  }
  if (out.empty()) fail("eps.param", "epsilon-scaling", 0, "--sizes is empty");
  return out;
}

namespace {

std::string num(double x) {
  std::ostringstream os;
  os << std::setprecision(10) << x;
  return os.str();
}

struct Row {
  std::uint32_t n = 0, D = 0, seed_index = 0;
  std::uint64_t yes_seed = 0, no_seed = 0;
  std::size_t M = 0, sat_yes = 0, sat_no_upper = 0, sat_no_lower = 0;
  std::string no_method;
  double yes_upper = 0, no_lower = 0, eps = 0, cert_yes = 0;
  std::optional<double> gd_yes, gd_no;
};

double train_mean(const MaxCutReduction& r, const EpsilonScalingOptions& o, std::uint64_t seed) {
  TrainOptions t;
  t.units = 1;
  t.seed = seed;
  t.threads = o.threads;
  t.constraints.unit_norm = 1.0;
  t.constraints.output_l1 = 1.0;
  t.constraints.output_signs = {1};  // the class has a > 0 (a <= 0 outputs <= 0: loss >= that of w = 0)
  t.gd.starts = o.starts;
  t.gd.max_iters = o.iters;
  const TrainingSet data = to_double(r.data());
  const TrainResult res = train(data, TrainAlgo::kGd, t);
  return mean_loss(data, res.net);
}

}  // namespace

EpsilonScalingResult run_epsilon_scaling(const EpsilonScalingOptions& o, std::ostream& progress) {
  const std::string where = "epsilon-scaling";
  // The family must build the unit-ball Max-2Lin(2) construction (checked on the first pair below).
  const ReductionFamily* fam = find_family(o.reduction);
  if (fam == nullptr)
    fail("eps.param", where, 0, "--reduction: unknown reduction '" + o.reduction + "' (" + family_list() + ")");
  if (o.seeds < 1) fail("eps.param", where, 0, "--seeds must be >= 1");
  if (o.sizes.empty()) fail("eps.param", where, 0, "--sizes is empty");
  const auto& sizes = o.sizes;
  const Rational& c = o.c;
  if (c <= 0 || c > 1) fail("eps.param", where, 0, "--c must be in (0, 1], got '" + to_string(c) + "'");
  auto build = [&](const Lin2Instance& inst) {
    std::unique_ptr<Reduction> r;
    try {
      r = fam->build(SourceInstance(inst), FamilyParams{});
    } catch (const std::exception&) {  // not a source this family reads: refused below
    }
    if (dynamic_cast<const MaxCutReduction*>(r.get()) == nullptr)
      fail("eps.param", where, 0,
           "--reduction: '" + o.reduction + "' does not build the unit-ball Max-2Lin(2) construction (maxcut does)");
    return std::unique_ptr<const MaxCutReduction>(static_cast<const MaxCutReduction*>(r.release()));
  };
  for (auto n : sizes)
    if (o.degree >= n || (std::uint64_t{n} * o.degree) % 2 != 0)
      fail("eps.param", where, 0,
           "size " + std::to_string(n) + " does not fit --degree " + std::to_string(o.degree) +
               " (need D < n and n*D even)");
  std::filesystem::create_directories(o.out_dir);

  std::vector<Row> rows;
  Rng seeder(o.seed);
  for (auto n : sizes)
    for (std::uint32_t s = 0; s < o.seeds; ++s) {
      Row row;
      row.n = n;
      row.seed_index = s;
      row.yes_seed = seeder.fork();
      row.no_seed = seeder.fork();
      Lin2GenParams p;
      p.vertices = n;
      p.degree = o.degree;
      p.planted = true;
      p.c = c;
      auto yes = generate_lin2(p, row.yes_seed);
      p.planted = false;
      auto no = generate_lin2(p, row.no_seed);
      if (!yes.ok()) throw Failure(yes.error());
      if (!no.ok()) throw Failure(no.error());
      const auto ryp = build(yes.value().inst), rnp = build(no.value().inst);
      const MaxCutReduction &ry = *ryp, &rn = *rnp;
      row.D = ry.D();
      row.M = ry.M();
      row.sat_yes = yes.value().planted_sat;
      const Max2LinResult sol = max2lin_solve(no.value().inst, row.no_seed, o.exact_max_n);
      row.sat_no_upper = sol.upper;
      row.sat_no_lower = sol.lower;
      row.no_method = sol.status == SolveStatus::kOptimal ? "exact" : "eigenvalue bound";
      const Rational m2(2 * static_cast<unsigned long>(n));
      const Rational yu = ry.total_upper(Rational(static_cast<unsigned long>(row.sat_yes))) / m2;
      const Rational nl = rn.total_lower(Rational(static_cast<unsigned long>(row.sat_no_upper))) / m2;
      row.yes_upper = yu.get_d();
      row.no_lower = nl.get_d();
      row.eps = Rational(nl - yu).get_d();
      row.cert_yes = Rational(exact_loss(ry.data(), ry.lift(*yes.value().planted)) / m2).get_d();
      if (o.train) {
        row.gd_yes = train_mean(ry, o, row.yes_seed);
        row.gd_no = train_mean(rn, o, row.no_seed);
      }
      progress << "n = " << n << " seed " << s << ": M = " << row.M << ", sat(YES) >= " << row.sat_yes
               << ", SAT*(NO) <= " << row.sat_no_upper << " (" << row.no_method << "), eps = " << num(row.eps)
               << ", eps*sqrt(n) = " << num(row.eps * std::sqrt(static_cast<double>(n)));
      if (row.gd_yes)
        progress << "; gd mean loss YES " << num(*row.gd_yes) << ", NO " << num(*row.gd_no) << ", gap "
                 << num(*row.gd_no - *row.gd_yes);
      progress << "\n";
      rows.push_back(row);
    }

  // Theoretical limit of the certified ε·√n for D-regular graphs (M = nD/2, P_max = 2):
  //   ε·√n = √2(√c − √s) − (2 − 2s)/(2√n),  s_∞ = 1/2 + √(D−1)/D (eigenvalue bound for random D-regular graphs).
  const double cd = c.get_d(), D = o.degree;
  const double s_inf = 0.5 + std::sqrt(D - 1) / D;
  const double limit = std::sqrt(2.0) * (std::sqrt(cd) - std::sqrt(s_inf));
  auto theory = [&](double n) { return limit - (2 - 2 * s_inf) / (2 * std::sqrt(n)); };

  std::ostringstream csv;
  csv << "n,D,M,seed_index,yes_seed,no_seed,sat_yes_lower,sat_no_upper,sat_no_lower,no_method,s_no,yes_upper,"
         "no_lower,epsilon,epsilon_sqrt_n,cert_loss_yes,gd_loss_yes,gd_loss_no,gd_gap,gd_gap_sqrt_n,theory_eps_sqrt_"
         "n\n";
  std::map<std::uint32_t, std::vector<const Row*>> by_n;
  for (const auto& r : rows) {
    const double sq = std::sqrt(static_cast<double>(r.n));
    by_n[r.n].push_back(&r);
    csv << r.n << ',' << r.D << ',' << r.M << ',' << r.seed_index << ',' << r.yes_seed << ',' << r.no_seed << ','
        << r.sat_yes << ',' << r.sat_no_upper << ',' << r.sat_no_lower << ',' << r.no_method << ','
        << num(static_cast<double>(r.sat_no_upper) / static_cast<double>(r.M)) << ',' << num(r.yes_upper) << ','
        << num(r.no_lower) << ',' << num(r.eps) << ',' << num(r.eps * sq) << ',' << num(r.cert_yes) << ','
        << (r.gd_yes ? num(*r.gd_yes) : "") << ',' << (r.gd_no ? num(*r.gd_no) : "") << ','
        << (r.gd_yes ? num(*r.gd_no - *r.gd_yes) : "") << ',' << (r.gd_yes ? num((*r.gd_no - *r.gd_yes) * sq) : "")
        << ',' << num(theory(r.n)) << '\n';
  }
  std::ostringstream sum;
  sum << "n,instances,epsilon_mean,epsilon_sqrt_n_mean,epsilon_sqrt_n_min,gd_gap_sqrt_n_mean,s_no_mean,theory_eps_sqrt_"
         "n,"
         "theory_limit\n";
  for (const auto& [n, rs] : by_n) {
    double e = 0, es = 0, emin = INFINITY, g = 0, sn = 0;
    std::size_t gcount = 0;
    const double sq = std::sqrt(static_cast<double>(n));
    for (const Row* r : rs) {
      e += r->eps;
      es += r->eps * sq;
      emin = std::min(emin, r->eps * sq);
      sn += static_cast<double>(r->sat_no_upper) / static_cast<double>(r->M);
      if (r->gd_yes) {
        g += (*r->gd_no - *r->gd_yes) * sq;
        ++gcount;
      }
    }
    const double k = static_cast<double>(rs.size());
    sum << n << ',' << rs.size() << ',' << num(e / k) << ',' << num(es / k) << ',' << num(emin) << ','
        << (gcount ? num(g / static_cast<double>(gcount)) : "") << ',' << num(sn / k) << ',' << num(theory(n)) << ','
        << num(limit) << '\n';
  }
  const std::filesystem::path dir(o.out_dir);
  const std::string csv_path = (dir / "eps_scaling.csv").string(), sum_path = (dir / "eps_summary.csv").string();
  write_file_atomic(csv_path, [&](std::ostream& os) { os << csv.str(); });
  write_file_atomic(sum_path, [&](std::ostream& os) { os << sum.str(); });
  nlohmann::json meta = {
      {"relugap_version", kVersion},
      {"command", "epsilon-scaling"},
      {"reduction", o.reduction},
      {"sizes", sizes},
      {"seeds", o.seeds},
      {"seed", o.seed},
      {"degree", o.degree},
      {"c", to_string(c)},
      {"exact_max_n", o.exact_max_n},
      {"train", o.train},
      {"gd",
       {{"starts", o.starts}, {"max_iters", o.iters}, {"unit_norm", 1}, {"output_l1", 1}, {"output_signs", "+1"}}},
      {"theory",
       {{"s_inf", s_inf},
        {"limit_eps_sqrt_n", limit},
        {"formula",
         "eps*sqrt(n) = sqrt(2)(sqrt(c) - sqrt(s)) - (2 - 2s)/(2 sqrt(n)), "
         "s_inf = 1/2 + sqrt(D-1)/D"}}},
      {"files", {"eps_scaling.csv", "eps_summary.csv", "eps_scaling.gp", "eps_scaling.png"}}};
  write_file_atomic((dir / "eps_scaling.json").string(), [&](std::ostream& os) { os << meta.dump(2) << '\n'; });

  // gnuplot script: ε·√n per instance, its mean, the gd gap·√n, and the theory curve and limit.
  std::ostringstream gp;
  gp << "set terminal pngcairo size 900,600 noenhanced\n"
     << "set output '" << (dir / "eps_scaling.png").string() << "'\n"
     << "set datafile separator ','\n"
     << "set key center right box opaque\nset logscale x 2\nset grid\n"
     << "set xlabel 'n (vertices)'\nset ylabel 'epsilon * sqrt(n)'\n"
     << "set title 'Max-2Lin(2) -> one ReLU in the unit ball, D = " << o.degree << ", c = " << to_string(c) << "'\n"
     << "limit = " << num(limit) << "\n"
     << "s = " << num(s_inf) << "\n"
     << "f(x) = limit - (2 - 2*s)/(2*sqrt(x))\n"
     << "plot '" << csv_path
     << "' every ::1 using 1:15 with points pt 7 ps 0.8 title 'certified eps*sqrt(n) (each pair)', \\\n"
     << "     '" << sum_path << "' every ::1 using 1:4 with linespoints lw 2 title 'certified, mean', \\\n";
  if (o.train)
    gp << "     '" << sum_path
       << "' every ::1 using 1:6 with linespoints lw 2 dt 2 title 'gd: (L_NO - L_YES)*sqrt(n), mean', \\\n";
  gp << "     [" << sizes.front() << ":" << sizes.back()
     << "] f(x) with lines lw 1 title 'theory (eigenvalue bound s_inf)', \\\n"
     << "     [" << sizes.front() << ":" << sizes.back()
     << "] limit with lines lc rgb 'black' dt 2 lw 1.5 title 'limit sqrt(2)(sqrt(c)-sqrt(s_inf))'\n";
  const std::string gp_path = (dir / "eps_scaling.gp").string();
  write_file_atomic(gp_path, [&](std::ostream& os) { os << gp.str(); });
  EpsilonScalingResult res;
  res.csv = csv_path;
  res.summary_csv = sum_path;
  res.meta = (dir / "eps_scaling.json").string();
  res.gp = gp_path;
  res.summary = sum.str();
  if (o.plot) {
    // The one gnuplot runner (experiments/sweep.hpp: fork + execvp, no shell, no quoting).
    const int rc =
        on_path("gnuplot") ? run_in_dir(std::filesystem::current_path().string(), {"gnuplot", gp_path}) : 127;
    res.plotted = rc == 0;
    if (rc != 0) res.plot_note = "gnuplot failed (exit " + std::to_string(rc) + "); the script is " + gp_path;
  }
  return res;
}

}  // namespace relugap
