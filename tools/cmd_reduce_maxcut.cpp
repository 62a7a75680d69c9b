// `relugap reduce maxcut INPUT -o OUT [--solve] [--format F] [--c C --s S] [--degree-bound D]`:
// Max-2Lin(2) / Max-Cut -> one ReLU in the unit ball (reductions/maxcut/maxcut_to_relu.hpp,
// docs/reductions/eps-efficient.md). INPUT: a graph (DIMACS / edge list: Max-Cut) or a
// "p lin2" file (Max-2Lin(2)). A "c planted sigma ..." comment (written by `relugap gen
// maxcut`) becomes the certificate when no better assignment is found.
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "instances/core/error.hpp"
#include "instances/core/rational_int.hpp"
#include "instances/gen/gen_maxcut.hpp"
#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "instances/problems/lin2.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/maxcut/maxcut_to_relu.hpp"
#include "reductions/maxcut/sat3_to_lin2.hpp"
#include "tools/command.hpp"
#include "verifier/family.hpp"

namespace relugap::cli::cmd_reduce_maxcut {

namespace {

struct MaxCutCliOptions {
  std::string input, out, format, c_text, s_text;
  std::optional<std::uint64_t> max_dense_bytes;  ///< --max-dense-bytes
  bool solve = false;
  std::uint32_t degree_bound = 0, d_keep = 0;
  double time_limit = 60;
  std::uint32_t exact_max_n = 24;
  std::uint64_t seed = 1;
};

std::optional<Rational> fraction(const std::string& text, const std::string& flag) {
  if (text.empty()) return std::nullopt;
  Rational q;
  try {
    q = parse_rational(text);
  } catch (const Failure&) {
    fail("reduce.param", "reduce maxcut", 0, flag + " must be a number in [0, 1] (decimal or p/q), got '" + text + "'");
  }
  if (q < 0 || q > 1) fail("reduce.param", "reduce maxcut", 0, flag + " must be in [0, 1], got '" + text + "'");
  return q;
}

bool power_of_two(std::uint32_t k) { return k != 0 && (k & (k - 1)) == 0; }

void run(const MaxCutCliOptions& o) {
  const std::string where = "reduce maxcut";
  const DataFormat format = output_format(o.format, o.out, where);
  const auto c = fraction(o.c_text, "--c");
  const auto s = fraction(o.s_text, "--s");

  const std::string text = read_file(o.input);
  Lin2Instance inst;
  std::string problem;
  std::optional<Sat3ToLin2> chain;
  SourceInstance source;  // what the family's solver reads
  if (detect_kind(o.input) == FileKind::kCnf) {
    Cnf f = take(read_cnf(o.input));
    chain.emplace(f, o.d_keep);
    inst = chain->instance();
    problem = "3sat";
    source = std::move(f);
  } else if (looks_like_lin2(text)) {
    inst = take(parse_lin2(text, o.input));
    problem = inst.is_maxcut() ? "maxcut (lin2 file)" : "max2lin";
    source = inst;
  } else {
    Graph g = take(read_graph(o.input));
    inst = lin2_from_graph(g);
    problem = "maxcut";
    source = std::move(g);
  }
  if (inst.cons.empty()) fail("reduce.empty", o.input, 0, "the instance has no edges/constraints");
  const auto planted = chain ? std::nullopt : read_planted_sigma(text, o.input, inst.n);

  std::optional<std::uint32_t> db;
  if (o.degree_bound > 0) db = o.degree_bound;
  MaxCutReduction red(inst, db);
  check_dense_size(red.data().samples(), red.data().dim, format, o.out, o.max_dense_bytes);  // before solving

  Sidecar sc = make_sidecar();
  sc.source = Sidecar::Source{o.input, sha256_file(o.input), problem};
  nlohmann::json params = red.params();
  params["solve"] = o.solve;
  params["exact_in_double"] = power_of_two(red.k());
  if (!power_of_two(red.k()))
    params["note"] = "entries are +-1/k with k = " + std::to_string(red.k()) +
                     ": the file holds the nearest doubles; the exact set is x_v[e] = +-1/k as described in layout";

  std::optional<VertexSigns> best_sigma;
  std::optional<std::uint64_t> sat_lo, sat_hi;
  std::string status_line = "not solved";
  if (planted) {
    best_sigma = *planted;
    sat_lo = inst.satisfied(*planted);
    params["planted_sat"] = *sat_lo;
  }
  std::optional<Rational> c_eff = c, s_eff = s;
  if (chain) {
    const std::uint64_t M3 = chain->clauses(), off = chain->offset();
    params["chain"] = chain->sizes();
    // promise: satisfiable (SAT* = offset + 2M) vs unsatisfiable (SAT* <= offset + 2M - 2)
    const Rational Mn(static_cast<unsigned long>(inst.cons.size()));
    if (!c_eff) c_eff = Rational(static_cast<unsigned long>(off + 2 * M3)) / Mn;
    if (!s_eff && M3 > 0) s_eff = Rational(static_cast<unsigned long>(off + 2 * M3 - 2)) / Mn;
  }
  LossBounds b = red.bounds_between(std::nullopt, std::nullopt);
  if (o.solve) {
    // The one source-solving path (verifier/family.hpp): the maxcut family's solve
    // (CaDiCaL for a CNF; enumeration, or local search and the certified eigenvalue
    // bound, for a graph or lin2 file) and its bounds.
    const ReductionFamily& fam = family(red.name());
    FamilyParams fp;
    fp.c = c;
    fp.s = s;
    if (db) fp.degree_bound = db;
    fp.d_keep = o.d_keep;
    fp.exact_max_n = o.exact_max_n;
    fp.solver_seed = o.seed;
    SolveLimits lim;
    lim.time_limit = o.time_limit;  // CaDiCaL on a CNF; the local search (and the eigenvalue bound) otherwise
    SourceSolution sol = fam.solve(source, fp, lim);
    if (!sol.lower && !sol.upper) fail("reduce.solver", o.input, 0, "source solver: " + sol.status_text);
    std::string status = sol.status_text;
    // A planted assignment in the file (a "c planted sigma" comment) that beats the
    // solver's is a better lower bound and certificate.
    if (planted && (!sol.lower || to_rational(*sat_lo) > *sol.lower)) {
      sol.lower = sol.certificate_value = to_rational(*sat_lo);
      sol.certificate = *planted;
      status = "bounds: lower from the planted assignment, upper from " + sol.solver;
    }
    b = fam.bounds(red, sol);
    if (const auto* sigma = std::get_if<VertexSigns>(&sol.certificate)) best_sigma = *sigma;
    sat_lo = sol.lower ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(sol.lower->get_d())) : std::nullopt;
    sat_hi = sol.upper ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(sol.upper->get_d())) : std::nullopt;
    sc.bounds.source_status = status;
    nlohmann::json solver = sol.info;
    solver["sat_lower"] = sat_lo ? nlohmann::json(*sat_lo) : nlohmann::json(nullptr);
    solver["sat_upper"] = sat_hi ? nlohmann::json(*sat_hi) : nlohmann::json(nullptr);
    solver["source_solution"] = sol.to_json();
    params["solver"] = solver;
    std::ostringstream line;
    line << status << ": SAT*" << (chain ? "(lin2)" : "") << " in [" << (sat_lo ? std::to_string(*sat_lo) : "?") << ", "
         << (sat_hi ? std::to_string(*sat_hi) : "?") << "] of " << inst.cons.size();
    status_line = line.str();
  } else if (planted) {
    sc.bounds.source_status = "lower bound (planted assignment)";
    status_line = "planted assignment satisfies " + std::to_string(*sat_lo) + " of " + std::to_string(inst.cons.size());
    b = red.bounds_between(to_rational(*sat_lo), std::nullopt);
    b.source_optimum = to_rational(*sat_lo);
  }

  if (best_sigma) {
    const ExactNetwork cert = red.lift(*best_sigma);
    const Rational l = exact_loss(red.data(), cert);
    Rational norm2 = 0;
    for (const auto& x : cert.w) norm2 += x * x;
    if (norm2 > 1 || !b.loss_upper || l > *b.loss_upper)
      fail("reduce.certificate", o.input, 0,
           "internal error: certificate loss " + to_string(l) + " exceeds the stated upper bound");
    const DecodeCheck dc = red.decode_check(cert);
    if (!dc.lemma_holds || dc.source_value < to_rational(*sat_lo))
      fail("reduce.certificate", o.input, 0, "internal error: the certificate does not decode to its assignment");
    sc.certificate_exact = cert;
    sc.certificate = to_double(cert);
    sc.bounds.exact["certificate_loss"] = l;
    sc.bounds.exact["certificate_norm2"] = norm2;
  }
  sc.reduction = Sidecar::Reduction{red.name(), params};
  store_bounds(b, sc);
  UnitBallBlock ub = red.unit_ball(c_eff, s_eff);
  if (chain) ub.params["promise"] = "c: the CNF is satisfiable, s: it is not (SAT*_lin2 = offset + 2*SAT*_3cnf)";
  nlohmann::json ubj = to_json(ub);
  const Rational m2(2 * static_cast<unsigned long>(inst.n));
  ubj["instance"] = {
      {"sat_lower", sat_lo ? nlohmann::json(*sat_lo) : nlohmann::json(nullptr)},
      {"sat_upper", sat_hi ? nlohmann::json(*sat_hi) : nlohmann::json(nullptr)},
      {"mean_loss_upper", b.loss_upper ? nlohmann::json(Rational(*b.loss_upper / m2).get_d()) : nullptr},
      {"mean_loss_lower", b.loss_lower ? nlohmann::json(Rational(*b.loss_lower / m2).get_d()) : nullptr}};
  sc.extra["unit_ball"] = ubj;

  const std::size_t samples = red.data().samples(), dim = red.data().dim;
  // The float64 copy takes the exact set's rows and releases its values as converted.
  write_training_set(o.out, to_double(red.release_data()), format, sc, o.max_dense_bytes);
  std::cout << "wrote " << o.out << " (" << format_name(format) << "): " << problem << ", n = " << inst.n
            << ", constraints = " << inst.cons.size() << ", max degree " << red.max_degree() << ", D = " << red.D()
            << "; m = " << samples << ", d = " << dim << "; source: " << status_line;
  if (b.loss_lower || b.loss_upper)
    std::cout << "; mean OPT in ["
              << (b.loss_lower ? std::to_string(Rational(*b.loss_lower / m2).get_d()) : std::string("?")) << ", "
              << (b.loss_upper ? std::to_string(Rational(*b.loss_upper / m2).get_d()) : std::string("?")) << "]";
  if (ub.epsilon()) std::cout << "; unit ball (c, s) gap: epsilon = " << ub.epsilon()->get_d();
  std::cout << "\n";
}

const CommandRegistrar kReduceMaxcutRegistrar([](CLI::App& root) {
  auto& reduce = subcommand(root, "reduce", "reduce a source instance to a ReLU training set");
  auto* app = reduce.add_subcommand(
      "maxcut", "reduce Max-Cut / Max-2Lin(2) to one ReLU in the unit ball (mean-loss gap ~ 1/sqrt(n))");
  auto o = std::make_shared<MaxCutCliOptions>();
  app->add_option("input", o->input,
                  "graph (DIMACS / edge list: Max-Cut), 'p lin2' file (Max-2Lin(2)), or DIMACS CNF (3SAT chain: "
                  "GJS gadget, reference vertex, hypercube degree reduction)")
      ->required();
  add_output_options(app, o->out, o->format, o->max_dense_bytes);
  app->add_flag("--solve", o->solve,
                "compute SAT*: exactly by Gray-code enumeration for n <= --exact-max-n, else a local-search lower "
                "bound and a certified eigenvalue upper bound; records loss bounds and the certificate");
  app->add_option("--exact-max-n", o->exact_max_n, "largest n solved by enumeration (default 24)");
  app->add_option("--seed", o->seed, "seed of the local search (default 1)");
  app->add_option("--c", o->c_text, "YES threshold: SAT* >= c*M (unit_ball.yes_upper)");
  app->add_option("--s", o->s_text, "NO threshold: SAT* <= s*M (unit_ball.no_lower)");
  app->add_option("--d-keep", o->d_keep,
                  "CNF input: vertices of degree <= this stay whole, others become hypercube clouds (default: auto)");
  app->add_option("--time-limit", o->time_limit,
                  "with --solve: wall seconds for the source solver (CaDiCaL on a CNF, else the local search and the "
                  "eigenvalue bound; default 60)");
  app->add_option("--degree-bound", o->degree_bound,
                  "degree bound D >= max degree (rounded up to a perfect square; default: the max degree)");
  app->callback([o] { guarded([&] { run(*o); }); });
});

}  // namespace

}  // namespace relugap::cli::cmd_reduce_maxcut
