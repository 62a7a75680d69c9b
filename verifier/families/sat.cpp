// The 3SAT families: sat1 (one ReLU, agnostic), sat2 (two ReLUs, realizable;
// --robust: the V_min bound of reductions/sat/sat2_robust.hpp) and satk (K ReLUs)
// (reductions/sat/sat_to_relu.hpp, docs/reductions/sat.md). τ = 1 if the formula
// is satisfiable, 0 if not; CaDiCaL decides it (a model is checked; UNSAT is
// its word, unproved, unless V_min > 0 is found by enumeration).
#include <cmath>

#include "instances/core/error.hpp"
#include "instances/io/io.hpp"
#include "reductions/sat/sat2_robust.hpp"
#include "reductions/sat/sat_to_relu.hpp"
#include "solvers/source/sat_cadical.hpp"
#include "verifier/families.hpp"

namespace relugap {

namespace {

constexpr double kSatClauseRatio = 5.0;  ///< the generator's m = 5n clauses

class SatFamilyBase : public ReductionFamily {
 public:
  std::vector<std::string> source_kinds() const override { return {"cnf"}; }
  std::string problem(const SourceInstance&) const override { return "3sat"; }
  std::string size_meaning() const override { return "sat*: 3SAT variables"; }

  SourceInstance read_source(const std::string& path) const override { return read_cnf(path).value(); }
  std::string write_source(const std::string& stem, const SourceInstance& src,
                           const std::string& provenance) const override {
    write_cnf(stem + ".cnf", std::get<Cnf>(src), provenance);
    return ".cnf";
  }

  void check(const SourceInstance& src, const FamilyParams&) const override {
    (void)source_as<Cnf>(src, "CNF formula", name());
  }

  std::optional<ExactNetwork> lift(const Reduction& r, const DecodedSolution& sol) const override {
    return lift_solution<SatReduction, Assignment>(r, sol);
  }

  AdversarialFamily adversarial_candidates(const Reduction& r) const override {
    // Assignments of the target 1-in-3 formula (near-solutions the chain's
    // lift never produces), seeded with the lifts of every source assignment.
    const auto* red = dynamic_cast<const SatReduction*>(&r);
    if (red == nullptr) return {};
    const std::uint32_t N = red->N(), n = red->chain().source_vars();
    AdversarialFamily f;
    f.bits = N;
    f.what = "2^" + std::to_string(N) + " assignments of the target 1-in-3 formula, seeded with the lifts of the 2^" +
             std::to_string(n) + " source assignments";
    f.lift = [red](const std::vector<bool>& b) { return red->lift_target(Assignment::from_bools(b)); };
    f.decode = [red](const Network& net) { return DecodedSolution(red->decode(net)); };
    f.seeds = n >= 62 ? (std::uint64_t{1} << 62) : (std::uint64_t{1} << n);
    f.seed = [red, n, N](std::uint64_t i) {
      std::vector<bool> a(n, false);
      for (std::uint32_t v = 0; v < n && v < 64; ++v) a[v] = ((i >> v) & 1U) != 0;
      const Assignment t = red->chain().lift(Assignment::from_bools(a));
      std::vector<bool> b(N, false);
      for (std::uint32_t v = 0; v < N && v < t.size(); ++v) b[v] = t[Var(v)];
      return b;
    };
    return f;
  }

  SourceSolution solve(const SourceInstance& src, const FamilyParams& p, const SolveLimits& lim) const override {
    const Cnf& f = source_as<Cnf>(src, "CNF formula", name());
    SatSolveOptions so;
    if (std::isfinite(lim.time_limit)) so.time_limit_seconds = lim.time_limit;
    so.prove_unsat = p.prove_unsat;
    const SatSolveResult r = solve_sat_cadical(f, so);
    SourceSolution s;
    s.status = r.status;
    s.solver = "cadical";
    s.status_text = r.status_text();
    s.info = {{"problem", "3sat"},   {"vars", f.num_vars},        {"clauses", f.num_clauses()},
              {"solver", "cadical"}, {"status", r.status_text()}, {"detail", r.detail}};
    switch (r.status) {
      case SolveStatus::kOptimal:
      case SolveStatus::kFeasible:
        s.lower = s.upper = s.certificate_value = Rational(1);
        s.certificate = r.assignment;
        s.proved = true;  // the model was checked against the formula
        s.proved_by = ProofKind::kCheckedModel;
        break;
      case SolveStatus::kInfeasible:
        // UNSAT: proved (enumeration for <= 24 variables, else CaDiCaL's DRAT
        // proof checked by solvers/drat_check) makes the NO bounds theorems.
        // Unproved (check out of time, or off), they are stated but flagged, so
        // lower-bound checks are "not checked", never "held".
        s.lower = s.upper = Rational(0);
        s.proved = r.unsat_proved();
        switch (r.proof) {
          case UnsatProof::kNone:
            s.proved_by = ProofKind::kNone;
            break;
          case UnsatProof::kEmptyClause:
            s.proved_by = ProofKind::kEmptyClause;
            break;
          case UnsatProof::kEnumeration:
            s.proved_by = ProofKind::kEnumeration;
            break;
          case UnsatProof::kDrat:
            s.proved_by = ProofKind::kDrat;
            break;
        }
        s.proof_detail = r.proof_detail;
        s.proof_seconds = r.proof_seconds;
        s.info["unsat_proof"] = r.proof_detail;
        s.info["proof_seconds"] = r.proof_seconds;
        break;
      case SolveStatus::kTimeLimit:
      case SolveStatus::kInterrupted:
      case SolveStatus::kError:
        break;
    }
    return s;
  }

  SourceSolution solve_cell(const CellSource& cell, const SolveLimits& lim) const override {
    const auto* a = std::get_if<Assignment>(&cell.planted);
    const Cnf& f = source_as<Cnf>(cell.source, "CNF formula", name());
    if (a == nullptr || !f.satisfied_by(*a)) return solve(cell.source, cell.params, lim);
    SourceSolution s;
    s.status = SolveStatus::kOptimal;
    s.lower = s.upper = s.certificate_value = Rational(1);
    s.certificate = *a;
    s.proved = true;
    s.proved_by = ProofKind::kCheckedModel;
    s.solver = "planted";
    s.status_text = "sat (planted assignment, checked)";
    s.info = {{"problem", "3sat"}, {"vars", f.num_vars}, {"clauses", f.num_clauses()}, {"solver", "planted"}};
    return s;
  }

  std::vector<std::uint32_t> suite_sizes(const std::string& scale) const override {
    if (scale == "small") return {5, 8};
    if (scale == "medium") return {10, 20, 40};
    return {};
  }
  CellSource generate(std::uint32_t size, bool planted, std::uint64_t seed, const FamilyParams& base) const override {
    Sat3Params p;
    p.vars = size;
    p.clauses = static_cast<std::uint64_t>(std::llround(kSatClauseRatio * size));
    p.planted = planted;
    auto g = generate_3sat(p, seed);
    if (!g.ok()) throw Failure(g.error());
    CellSource c;
    c.params = base;
    c.source = g.value().formula;
    c.generator = g.value().record;
    c.threshold = 1;
    c.question = "satisfiable";
    if (planted) c.planted = *g.value().planted;
    return c;
  }
  DecisionThresholds thresholds(const Reduction& red, const CellSource&) const override {
    return optimum_thresholds(red, Rational(1), Rational(0));  // satisfiable (1) or not (0)
  }
  DecisionAnswer answer(const SourceSolution& sol, const CellSource&) const override {
    const auto opt = sol.optimum();
    if (opt && *opt == 1) return {"yes", sol.proved};
    if (opt && *opt == 0) return {"no", sol.proved};
    return {};
  }
};

class Sat1Family final : public SatFamilyBase {
 public:
  std::string name() const override { return "sat1"; }
  std::string guarantee() const override { return "3SAT -> one ReLU, agnostic (YES: OPT = N+R; NO: OPT >= N+R+1/16)"; }
  std::string parameters() const override { return "--anchor-weight R (a perfect square)"; }
  std::unique_ptr<Reduction> build(const SourceInstance& src, const FamilyParams& p) const override {
    return std::make_unique<Sat1Reduction>(source_as<Cnf>(src, "CNF formula", name()), p.anchor_weight);
  }
};

class Sat2Family final : public SatFamilyBase {
 public:
  std::string name() const override { return "sat2"; }
  std::string guarantee() const override {
    return "3SAT -> two ReLUs, realizable (YES: OPT = 0; NO: OPT >= tau^2/18; --robust: tau^2 V_min / max(1, B, "
           "V_min/R))";
  }
  std::string parameters() const override {
    return "--anchor-weight R (a perfect square); --robust (V_min by enumeration up to --robust-max-vars)";
  }
  std::vector<std::string> forms() const override { return {"robust"}; }
  std::unique_ptr<Reduction> build(const SourceInstance& src, const FamilyParams& p) const override {
    return std::make_unique<Sat2Reduction>(source_as<Cnf>(src, "CNF formula", name()), p.anchor_weight);
  }
  /// --robust: on UNSAT, V_min (the fewest violated target clauses) by enumeration
  /// over all 2^N target assignments; V_min > 0 proves UNSAT and gives the robust NO bound.
  SourceSolution solve(const SourceInstance& src, const FamilyParams& p, const SolveLimits& lim) const override {
    SourceSolution s = SatFamilyBase::solve(src, p, lim);
    if (!p.robust || s.status != SolveStatus::kInfeasible) return s;
    const Sat2Reduction red(std::get<Cnf>(src), p.anchor_weight);
    const auto& target = red.chain().target();
    if (target.num_vars > p.robust_max_vars) {
      s.info["robust"] = "not computed: N = " + std::to_string(target.num_vars) + " target variables > " +
                         std::to_string(p.robust_max_vars);
      return s;
    }
    const std::size_t vmin = min_violated_bruteforce(target, p.robust_max_vars);
    s.info["min_violated"] = vmin;
    if (vmin > 0 && !s.proved) {
      s.proved = true;
      s.proved_by = ProofKind::kEnumeration;
      s.proof_detail = "V_min = " + std::to_string(vmin) + " by enumeration of the 1-in-3 target";
    }
    return s;
  }
  LossBounds bounds(const Reduction& r, const SourceSolution& sol) const override {
    LossBounds b = SatFamilyBase::bounds(r, sol);
    const std::size_t vmin = sol.info.value("min_violated", std::size_t{0});
    if (vmin == 0 || !sol.optimum() || *sol.optimum() != 0) return b;
    const Rational robust = sat2_robust_lower_bound(static_cast<const Sat2Reduction&>(r), vmin);
    b.constants["robust_lower"] = robust;
    b.constants["min_violated"] = Rational(static_cast<unsigned long>(vmin));
    if (!b.loss_lower || robust > *b.loss_lower) b.loss_lower = robust;
    return b;
  }
  ExactScale exact_scale(const Reduction& r) const override {
    ExactScale s;
    s.beta = 1 / static_cast<const Sat2Reduction&>(r).tau();
    s.beta.canonicalize();
    return s;
  }
};

class SatKFamily final : public SatFamilyBase {
 public:
  std::string name() const override { return "satk"; }
  std::string guarantee() const override {
    return "3SAT -> K ReLUs via positive 1-in-3-SAT, realizable (YES: OPT = 0; NO: no zero-loss net)";
  }
  std::string parameters() const override { return "--units K >= 2"; }
  std::string no_lower_note() const override { return "no network with <= K units reaches loss 0 (decoding lemma"; }
  bool reads_units() const override { return true; }
  void check(const SourceInstance& src, const FamilyParams& p) const override {
    SatFamilyBase::check(src, p);
    if (p.units < 2) fail("reduce.units", "reduce", 0, "satk needs --units K >= 2, got " + std::to_string(p.units));
  }
  std::unique_ptr<Reduction> build(const SourceInstance& src, const FamilyParams& p) const override {
    check(src, p);
    return std::make_unique<SatKReduction>(std::get<Cnf>(src), p.units);
  }
  std::vector<std::uint32_t> suite_sizes(const std::string& scale) const override {
    if (scale == "small") return {3, 4};
    if (scale == "medium") return {5, 8, 12};
    return {};
  }
  ExactScale exact_scale(const Reduction&) const override { return {Rational(5), Rational(5)}; }
};

}  // namespace

std::unique_ptr<ReductionFamily> make_sat1_family() { return std::make_unique<Sat1Family>(); }
std::unique_ptr<ReductionFamily> make_sat2_family() { return std::make_unique<Sat2Family>(); }
std::unique_ptr<ReductionFamily> make_satk_family() { return std::make_unique<SatKFamily>(); }

}  // namespace relugap
