// `relugap reduce sat1 | sat2 | satk CNF -o OUT`: 3SAT -> ReLU training sets
// (reductions/sat/sat_to_relu.hpp, docs/reductions/sat.md).
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "instances/core/error.hpp"
#include "instances/io/io.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/sat/sat2_robust.hpp"
#include "reductions/sat/sat_to_relu.hpp"
#include "tools/command.hpp"
#include "verifier/family.hpp"

namespace relugap::cli::cmd_reduce_sat {

namespace {

struct SatOptions {
  std::string kind;  // the family (verifier/family.hpp): sat1 | sat2 | satk
  std::string input, out, format;
  std::optional<std::uint64_t> max_dense_bytes;  ///< --max-dense-bytes
  std::size_t units = 2;
  std::string anchor_weight;
  bool solve = false, unweighted = false, unit_ball = false, robust = false;
  std::uint32_t robust_max_vars = 22;
  double time_limit = 0;
};

/// True iff every value of the set is a double exactly.
bool exact_in_double(const ExactTrainingSet& s) {
  auto same = [](const CompactRational& q) { return q.exact_in_double(); };
  for (const auto& v : s.val)
    if (!same(v)) return false;
  for (const auto& v : s.y)
    if (!same(v)) return false;
  for (const auto& v : s.c)
    if (!same(v)) return false;
  return true;
}

void run(const SatOptions& o) {
  const std::string where = "reduce " + o.kind;
  const DataFormat format = output_format(o.format, o.out, where);
  std::optional<mpz_class> anchor;
  if (!o.anchor_weight.empty()) {
    mpz_class r;
    if (r.set_str(o.anchor_weight, 10) != 0 || r < 1 || mpz_perfect_square_p(r.get_mpz_t()) == 0)
      fail("reduce.anchor", where, 0, "--anchor-weight must be a perfect square >= 1, got '" + o.anchor_weight + "'");
    anchor = r;
  }
  // The construction comes from the family (verifier/family.hpp), as in verify, sweep and suite.
  const ReductionFamily& fam = family(o.kind);
  if (fam.reads_units() && o.units < 2) fail("reduce.units", where, 0, "--units must be >= 2");
  FamilyParams fp;
  fp.units = o.units;
  fp.anchor_weight = anchor;
  fp.robust = o.robust;
  fp.robust_max_vars = o.robust_max_vars;

  const Cnf cnf = take(read_cnf(o.input));
  const SourceInstance source(cnf);
  // The solver runs on the source before the set is built: its memory is freed before
  // the set's is taken, and the time limit is not spent after minutes of building.
  std::optional<SourceSolution> solved;
  if (o.solve) {
    // The one source-solving path (verifier/family.hpp): CaDiCaL, model checked.
    SolveLimits lim;
    if (o.time_limit > 0) lim.time_limit = o.time_limit;
    solved = fam.solve(source, fp, lim);
    if (solved->status == SolveStatus::kError)
      fail("reduce.solver", o.input, 0, "SAT solver failed: " + solved->info.value("detail", std::string()));
  }
  const std::unique_ptr<Reduction> built = fam.build(source, fp);
  auto* built_mut = dynamic_cast<SatReduction*>(built.get());
  const SatReduction* red = built_mut;
  if (red == nullptr)
    fail("internal.contract", where, 0, "internal error: family '" + o.kind + "' is not a 3SAT family");

  Sidecar sc = make_sidecar();
  sc.source = Sidecar::Source{o.input, sha256_file(o.input), std::string("3sat")};
  nlohmann::json params = red->params();
  params["unweighted"] = o.unweighted;
  params["anchor_weight_given"] = anchor.has_value();

  std::optional<ExactNetwork> cert;
  std::string status_line = "not solved";
  LossBounds b = red->bounds(std::nullopt);
  if (solved) {
    const SourceSolution& sol = *solved;
    sc.bounds.source_status = sol.status_text;
    status_line = sol.status_text;
    b = fam.bounds(*red, sol);
    if (!sol.optimum() && (sol.status == SolveStatus::kTimeLimit || sol.status == SolveStatus::kInterrupted)) {
      // τ unknown: the bounds that hold whatever τ is. Lower: the smaller of the YES and
      // NO lower bounds (τ ∈ {0, 1}); upper: the zero network's loss Σ c_i y_i² (any
      // network's loss bounds the optimum from above). Trivial, and said so.
      const LossBounds yes = red->bounds(Rational(1)), no = red->bounds(Rational(0));
      // A side without a stated lower bound (satk's NO side) has 0: the square loss is >= 0.
      const Rational y_low = yes.loss_lower.value_or(Rational(0)), n_low = no.loss_lower.value_or(Rational(0));
      b.loss_lower = std::min(y_low, n_low);
      const ExactTrainingSet& d = red->data();
      Rational zero_loss = 0;
      for (std::size_t i = 0; i < d.samples(); ++i) {
        const Rational y = d.y[i];
        zero_loss += Rational(d.c[i]) * y * y;
      }
      b.loss_upper = zero_loss;
      sc.bounds.source_status = sol.status_text + "; tau unknown: trivial loss bounds (lower: min of the YES and NO " +
                                "lower bounds; upper: the zero network's loss)";
      status_line = *sc.bounds.source_status;
    }
    cert = fam.lift(*red, sol.certificate);
    params["solver"] = sol.info.value("detail", std::string());
  }
  sc.reduction = Sidecar::Reduction{red->name(), params};

  store_bounds(b, sc);
  check_dense_size(red->data().samples(), red->data().dim, format, o.out, o.max_dense_bytes);
  if (o.unit_ball) sc.extra["unit_ball"] = to_json(sat_unit_ball(*red, cert));
  if (o.robust) {
    // The robust NO bound needs V_min, the fewest target clauses any assignment
    // violates: computed exactly over all 2^N assignments.
    const auto* sat2p = dynamic_cast<const Sat2Reduction*>(red);
    if (sat2p == nullptr) fail("reduce.robust", where, 0, "--robust applies to sat2 only");
    const auto& sat2 = *sat2p;
    const auto& target = sat2.chain().target();
    if (target.num_vars > o.robust_max_vars)
      fail("reduce.robust", o.input, 0,
           "--robust computes the fewest violated 1-in-3 clauses over all 2^N assignments; N = " +
               std::to_string(target.num_vars) + " target variables > --robust-max-vars " +
               std::to_string(o.robust_max_vars));
    const std::size_t vmin = min_violated_bruteforce(target, o.robust_max_vars);
    nlohmann::json rb = to_json(sat2_unit_ball(sat2, vmin));
    rb["min_violated"] = vmin;
    rb["max_occurrence"] = max_occurrence(target);
    rb["total_loss_lower"] = to_string(sat2_robust_lower_bound(sat2, vmin));
    rb["statement"] =
        "every network with <= 2 units has total loss >= tau^2 * V / max(1, B, V / R), V = clauses its decoded "
        "assignment violates (docs/reductions/eps-efficient.md section 2)";
    sc.extra["robust"] = rb;
  }
  // Everything that reads the reduction's set is done: take it, fold it in
  // place (one exact set at a time, not the weighted and the folded one).
  ExactTrainingSet data = built_mut->release_data();
  if (o.unweighted) fold_weights_in_place(data);
  if (cert) {
    // The certificate must reach the stated loss exactly, and decode back to a solution.
    const Rational l = exact_loss(data, *cert);
    if (!b.loss_upper || l != *b.loss_upper)
      fail("reduce.certificate", o.input, 0,
           "internal error: certificate loss " + to_string(l) + " differs from the stated " +
               (b.loss_upper ? to_string(*b.loss_upper) : std::string("(none)")));
    if (!cnf.satisfied_by(red->decode(*cert)))
      fail("reduce.certificate", o.input, 0, "internal error: the certificate does not decode to a solution");
    sc.certificate_exact = cert;
    sc.certificate = to_double(*cert);
    sc.bounds.exact["certificate_loss"] = l;
  }
  const bool exact = exact_in_double(data);
  sc.reduction->params["exact_in_double"] = exact;
  if (!exact)
    sc.reduction->params["note"] =
        "some coordinates or labels are rationals that are not doubles (e.g. tau = 1/20, t = 1/5); the file "
        "holds the nearest doubles, "
        "the exact set is rebuilt by running this command again";

  const std::size_t samples = data.samples(), dim = data.dim;
  write_training_set(o.out, to_double(std::move(data)), format, sc, o.max_dense_bytes);
  std::cout << "wrote " << o.out << " (" << format_name(format) << "): " << red->name() << ", " << samples
            << " samples, dim " << dim << ", N = " << red->N() << ", M = " << red->M() << "; source: " << status_line;
  if (b.loss_lower || b.loss_upper)
    std::cout << "; OPT in [" << (b.loss_lower ? to_string(*b.loss_lower) : std::string("?")) << ", "
              << (b.loss_upper ? to_string(*b.loss_upper) : std::string("inf")) << "]";
  std::cout << "\n";
}

/// The options only some of the 3SAT subcommands take.
struct SatCliForm {
  bool robust = false;  ///< sat2: --robust, --robust-max-vars
  bool units = false;   ///< satk: --units (else --anchor-weight)
};

void setup_one(CLI::App& reduce, const std::string& kind, const std::string& description, SatCliForm form) {
  auto* app = reduce.add_subcommand(kind, description);
  auto o = std::make_shared<SatOptions>();
  o->kind = kind;
  app->add_option("cnf", o->input, "DIMACS CNF file")->required();
  add_output_options(app, o->out, o->format, o->max_dense_bytes);
  app->add_flag("--solve", o->solve,
                "solve the CNF with CaDiCaL: record the source status, exact loss bounds and, if satisfiable, "
                "the certificate network");
  app->add_option("--time-limit", o->time_limit, "seconds for --solve (default: none)");
  app->add_flag("--unweighted", o->unweighted,
                "fold the (perfect-square) weights into the samples: every weight 1, same loss for every network");
  app->add_flag("--unit-ball", o->unit_ball, "write the unit-ball figures (X, Y, B, epsilon, m) to the sidecar");
  if (form.robust) {
    app->add_flag("--robust", o->robust,
                  "write the robust bound to the sidecar: the fewest violated target clauses V_min (by enumeration), "
                  "the NO lower bound tau^2 V_min / max(1, B, V_min/R) and the unit-ball epsilon");
    app->add_option("--robust-max-vars", o->robust_max_vars, "largest N enumerated by --robust (default 22)");
  }
  if (form.units) {
    app->add_option("--units", o->units, "number of ReLUs K >= 2 (default 2)")->check(at_least("--units", 2));
  } else {
    app->add_option("--anchor-weight", o->anchor_weight,
                    "anchor weight R, a perfect square >= 1 (default: the smallest square >= the number of 1-in-3 "
                    "clauses)");
  }
  app->callback([o] { guarded([&] { run(*o); }); });
}

const CommandRegistrar kReduceSatRegistrar([](CLI::App& root) {
  auto& reduce = subcommand(root, "reduce", "reduce a source instance to a ReLU training set");
  setup_one(reduce, "sat1", "reduce 3SAT to one ReLU, agnostic (YES: OPT = N+R; NO: OPT >= N+R+1/16)", {});
  setup_one(reduce, "sat2", "reduce 3SAT to two ReLUs, realizable (YES: OPT = 0; NO: OPT >= tau^2/18)",
            {.robust = true});
  setup_one(reduce, "satk",
            "reduce 3SAT to K ReLUs via positive 1-in-3-SAT, realizable (YES: OPT = 0; NO: no zero-loss net)",
            {.units = true});
});

}  // namespace

}  // namespace relugap::cli::cmd_reduce_sat
