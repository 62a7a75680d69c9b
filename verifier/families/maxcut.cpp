// The ε-efficient family: Max-Cut / Max-2Lin(2) -> one ReLU in the unit ball
// (reductions/maxcut/maxcut_to_relu.hpp, docs/reductions/eps-efficient.md). Sources:
// a graph (Max-Cut), a "p lin2" file (Max-2Lin(2)) or a CNF (the 3SAT chain of
// reductions/maxcut/sat3_to_lin2.hpp). τ = SAT*, the most constraints an assignment
// satisfies: exact by Gray-code enumeration for n <= exact_max_n, else a
// local-search lower bound and the certified eigenvalue upper bound; for a CNF,
// CaDiCaL decides it (SAT* = offset + 2M if satisfiable, <= offset + 2M - 2 if not).
// The class is ‖w‖ <= 1, one unit with output weight in [0, 1].
#include <algorithm>
#include <cmath>

#include "instances/core/error.hpp"
#include "instances/core/rational_int.hpp"
#include "instances/gen/gen_maxcut.hpp"
#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "instances/io/text_reader.hpp"
#include "instances/problems/lin2.hpp"
#include "reductions/maxcut/maxcut_to_relu.hpp"
#include "reductions/maxcut/sat3_to_lin2.hpp"
#include "solvers/source/max2lin.hpp"
#include "solvers/source/sat_cadical.hpp"
#include "verifier/families.hpp"

namespace relugap {

namespace {

constexpr std::uint32_t kGenDegree = 16;  ///< D-regular cells: D = 16 = 4², so every entry ±1/4 is a double

/// The promise of a generated cell: SAT* >= c·M (YES), SAT* <= s·M (NO).
const Rational& default_c() {
  static const Rational c(1);
  return c;
}
const Rational& default_s() {
  static const Rational s(4, 5);
  return s;
}

class MaxCutFamily final : public ReductionFamily {
 public:
  std::string name() const override { return "maxcut"; }
  std::string guarantee() const override {
    return "Max-Cut / Max-2Lin(2) -> one ReLU in the unit ball (mean-loss gap ~ 1/sqrt(n) between SAT* >= cM and "
           "SAT* <= sM)";
  }
  std::vector<std::string> source_kinds() const override { return {"graph", "lin2", "cnf"}; }
  std::string parameters() const override {
    return "--c, --s (promise), --degree-bound D, --exact-max-n, --d-keep (CNF input)";
  }
  std::string problem(const SourceInstance& src) const override {
    if (std::holds_alternative<Cnf>(src)) return "3sat";
    if (const auto* l = std::get_if<Lin2Instance>(&src)) return l->is_maxcut() ? "maxcut (lin2 file)" : "max2lin";
    return "maxcut";
  }
  std::string size_meaning() const override { return "maxcut: vertices"; }

  SourceInstance read_source(const std::string& path) const override {
    if (detect_kind(path) == FileKind::kCnf) return read_cnf(path).value();
    const std::string text = read_file(path);
    if (looks_like_lin2(text)) return parse_lin2(text, path).value();
    return read_graph(path).value();
  }
  std::string write_source(const std::string& stem, const SourceInstance& src,
                           const std::string& provenance) const override {
    if (const auto* g = std::get_if<Graph>(&src)) {
      write_dimacs_graph(stem + ".col", *g, provenance);
      return ".col";
    }
    if (const auto* f = std::get_if<Cnf>(&src)) {
      write_cnf(stem + ".cnf", *f, provenance);
      return ".cnf";
    }
    write_lin2(stem + ".lin2", std::get<Lin2Instance>(src), provenance);
    return ".lin2";
  }

  /// The Max-2Lin(2) instance the construction encodes.
  static Lin2Instance instance_of(const SourceInstance& src, const FamilyParams& p) {
    if (const auto* g = std::get_if<Graph>(&src)) return lin2_from_graph(*g);
    if (const auto* l = std::get_if<Lin2Instance>(&src)) return *l;
    if (const auto* f = std::get_if<Cnf>(&src)) return Sat3ToLin2(*f, p.d_keep).instance();
    fail("reduce.source", "reduce", 0,
         "reduction 'maxcut' needs a graph, a lin2 instance or a CNF formula as its source");
  }

  void check(const SourceInstance& src, const FamilyParams& p) const override {
    if (std::holds_alternative<SetCoverInstance>(src))
      fail("reduce.source", "reduce", 0,
           "reduction 'maxcut' needs a graph, a lin2 instance or a CNF formula as its source");
    for (const auto* q : {&p.c, &p.s})
      if (*q && (**q < 0 || **q > 1)) fail("reduce.param", "maxcut", 0, "--c and --s must be in [0, 1]");
  }
  std::unique_ptr<Reduction> build(const SourceInstance& src, const FamilyParams& p) const override {
    check(src, p);
    Lin2Instance inst = instance_of(src, p);
    if (inst.cons.empty()) fail("maxcut.empty", "maxcut", 0, "the instance has no edges/constraints");
    return std::make_unique<MaxCutReduction>(std::move(inst), p.degree_bound);
  }

  LossBounds bounds(const Reduction& r, const SourceSolution& sol) const override {
    const auto& red = static_cast<const MaxCutReduction&>(r);
    if (sol.optimum()) return red.bounds(sol.optimum());
    LossBounds b = red.bounds_between(sol.lower, sol.upper);
    if (sol.lower) b.source_optimum = sol.lower;
    return b;
  }
  bool certificate_reaches_upper() const override { return false; }

  AdversarialFamily adversarial_candidates(const Reduction& r) const override {
    const auto* red = dynamic_cast<const MaxCutReduction*>(&r);
    if (red == nullptr) return {};
    const std::uint32_t n = red->instance().n;
    AdversarialFamily f;
    f.bits = n;
    f.what = "2^" + std::to_string(n) + " assignments sigma of the Max-2Lin(2) variables";
    f.lift = [red](const std::vector<bool>& b) { return red->lift(VertexSigns(b)); };
    f.decode = [red](const Network& net) { return DecodedSolution(red->decode(net)); };
    return f;
  }

  std::optional<ExactNetwork> lift(const Reduction& r, const DecodedSolution& sol) const override {
    return lift_solution<MaxCutReduction, VertexSigns>(r, sol);
  }

  SourceCheck recheck(const SourceInstance& src, const FamilyParams& p, const DecodedSolution& sol) const override {
    SourceCheck c;
    const auto* sigma = std::get_if<VertexSigns>(&sol);
    if (sigma == nullptr) {
      c.detail = "decode gave no assignment";
      return c;
    }
    c.provided = true;
    std::uint64_t sat = 0, total = 0;
    if (const auto* g = std::get_if<Graph>(&src)) {
      // Max-Cut: the edges σ cuts, counted from the graph itself.
      if (sigma->size() != g->num_vertices()) {
        c.detail = "assignment of " + std::to_string(sigma->size()) + " vertices, the graph has " +
                   std::to_string(g->num_vertices());
        return c;
      }
      for (auto [u, v] : g->edges()) sat += (*sigma)[u] != (*sigma)[v] ? 1 : 0;
      total = g->num_edges();
    } else {
      const Lin2Instance inst = instance_of(src, p);
      if (sigma->size() != inst.n) {
        c.detail =
            "assignment of " + std::to_string(sigma->size()) + " vertices, the instance has " + std::to_string(inst.n);
        return c;
      }
      for (const auto& e : inst.cons) sat += sigma->sign(e.t) * sigma->sign(e.h) == e.b ? 1 : 0;
      total = inst.cons.size();
    }
    c.valid = true;
    c.value = to_rational(sat);
    c.detail = "assignment satisfying " + std::to_string(sat) + "/" + std::to_string(total) + " constraints";
    return c;
  }

  TrainConstraints constraints(const Reduction&) const override {
    TrainConstraints t;
    t.unit_norm = 1.0;
    t.output_l1 = 1.0;
    t.output_signs = {1};  // a <= 0 outputs <= 0: loss >= that of w = 0
    return t;
  }

  nlohmann::json extra(const Reduction& r, const SourceSolution&, const FamilyParams& p) const override {
    const auto& red = static_cast<const MaxCutReduction&>(r);
    return to_json(red.unit_ball(p.c ? p.c : std::optional<Rational>(default_c()),
                                 p.s ? p.s : std::optional<Rational>(default_s())));
  }

  SourceSolution solve(const SourceInstance& src, const FamilyParams& p, const SolveLimits& lim) const override {
    check(src, p);
    SourceSolution s;
    if (const auto* f = std::get_if<Cnf>(&src)) {
      const Sat3ToLin2 chain(*f, p.d_keep);
      const Lin2Instance& inst = chain.instance();
      const std::uint64_t M3 = chain.clauses(), off = chain.offset();
      SatSolveOptions so;
      if (std::isfinite(lim.time_limit)) so.time_limit_seconds = lim.time_limit;
      const SatSolveResult r = solve_sat_cadical(*f, so);
      s.status = r.status;
      s.solver = "cadical";
      s.status_text = r.status_text();
      s.info = {{"problem", "3sat"},
                {"solver", "cadical"},
                {"status", r.status_text()},
                {"detail", r.detail},
                {"chain", chain.sizes()}};
      if (r.status == SolveStatus::kOptimal) {
        const auto sigma = chain.lift(r.assignment);
        s.lower = s.upper = s.certificate_value = to_rational(off + 2 * M3);
        s.certificate = sigma;
        s.proved = true;
        s.proved_by = ProofKind::kCheckedModel;
      } else if (r.status == SolveStatus::kInfeasible) {
        // The lift of the best assignment a local search finds; the upper side is CaDiCaL's word.
        const Max2LinResult ls = max2lin_local_search(inst, p.solver_seed, 64, lim.time_limit);
        s.lower = s.certificate_value = to_rational(ls.lower);
        s.certificate = ls.sigma;
        if (M3 > 0) s.upper = to_rational(off + 2 * (M3 - 1));
        s.proved = false;
      }
      return s;
    }
    const Lin2Instance inst = instance_of(src, p);
    const Max2LinResult r = max2lin_solve(inst, p.solver_seed, p.exact_max_n, lim.time_limit);
    s.status = r.status;
    s.solver = r.method;
    s.seconds = r.seconds;
    s.lower = s.certificate_value = to_rational(r.lower);
    s.upper = to_rational(r.upper);
    s.certificate = r.sigma;
    s.proved = true;  // a found σ below; enumeration or the certified eigenvalue bound above
    s.proved_by = inst.n <= p.exact_max_n ? ProofKind::kEnumeration : ProofKind::kSpectral;
    s.status_text = r.status == SolveStatus::kOptimal ? "optimal (" + r.method + ")"
                    : r.method.find("time limit") != std::string::npos
                        ? "bounds (time limit reached): " + r.method
                        : "bounds: lower from local search, upper from the certified eigenvalue bound";
    s.info = {{"problem", problem(src)},
              {"vertices", inst.n},
              {"constraints", inst.cons.size()},
              {"method", r.method},
              {"status", std::string(to_string(r.status))},
              {"sat_lower", r.lower},
              {"sat_upper", r.upper},
              {"seconds", r.seconds},
              {"seed", p.solver_seed},
              {"exact_max_n", p.exact_max_n}};
    return s;
  }

  std::uint32_t min_size() const override { return kGenDegree + 2; }
  std::uint32_t max_size() const override { return 4000; }
  std::vector<std::uint32_t> suite_sizes(const std::string& scale) const override {
    // Every scale: D = 16-regular cells need n >= 18; the certified ε is in each item's decision block.
    if (scale == "small") return {32};
    if (scale == "medium") return {64, 256, 1024};
    return {};
  }
  CellSource generate(std::uint32_t size, bool planted, std::uint64_t seed, const FamilyParams& base) const override {
    Lin2GenParams gp;
    gp.vertices = size;
    gp.degree = kGenDegree;
    gp.planted = planted;
    gp.c = base.c ? *base.c : default_c();
    auto g = generate_lin2(gp, seed);
    if (!g.ok()) fail("sweep.param", "maxcut", 0, g.error().reason);
    CellSource c;
    c.params = base;
    if (!c.params.c) c.params.c = default_c();
    if (!c.params.s) c.params.s = default_s();
    const Rational M = to_rational(g.value().inst.cons.size());
    c.threshold = static_cast<std::int64_t>(ceil_rational(*c.params.c * M).get_d());
    const std::int64_t t_no = static_cast<std::int64_t>(floor_rational(*c.params.s * M).get_d());
    c.source = g.value().inst;
    c.generator = g.value().record;
    c.question = "SAT* >= " + std::to_string(c.threshold) + " (yes) or SAT* <= " + std::to_string(t_no) +
                 " (no), of M = " + to_string(M) + " constraints";
    if (planted && g.value().planted) c.planted = *g.value().planted;
    return c;
  }
  /// A file's question: SAT* >= ⌈cM⌉ (yes) or SAT* <= ⌊sM⌋ (no), c and s as given or the defaults.
  std::optional<CellSource> file_question(const SourceInstance& src, const FamilyParams& p,
                                          const SourceSolution&) const override {
    if (std::holds_alternative<Cnf>(src)) return std::nullopt;  // the CNF chain: SAT* is not the question
    CellSource c;
    c.params = p;
    if (!c.params.c) c.params.c = default_c();
    if (!c.params.s) c.params.s = default_s();
    const Lin2Instance inst = instance_of(src, p);
    const Rational M = to_rational(inst.cons.size());
    c.threshold = static_cast<std::int64_t>(ceil_rational(*c.params.c * M).get_d());
    c.source = inst;
    c.question = "SAT* >= " + std::to_string(c.threshold) +
                 " (yes) or SAT* <= " + to_string(floor_rational(*c.params.s * M)) + " (no), of M = " + to_string(M) +
                 " constraints";
    return c;
  }
  /// yes = the OPT bound when SAT* >= ⌈cM⌉, no = when SAT* <= ⌊sM⌋.
  DecisionThresholds thresholds(const Reduction& r, const CellSource& cell) const override {
    const auto& red = static_cast<const MaxCutReduction&>(r);
    DecisionThresholds d;
    d.total_weight = red.data().total_weight();
    const Rational M = to_rational(red.M());
    const Rational c = cell.params.c ? *cell.params.c : default_c();
    const Rational s = cell.params.s ? *cell.params.s : default_s();
    d.yes = red.total_upper(ceil_rational(c * M));
    d.no = red.total_lower(floor_rational(s * M));
    return d;
  }
  DecisionAnswer answer(const SourceSolution& sol, const CellSource& cell) const override {
    const Lin2Instance* inst = std::get_if<Lin2Instance>(&cell.source);
    const Rational M = inst ? to_rational(inst->cons.size()) : Rational(0);
    const Rational s = cell.params.s ? *cell.params.s : default_s();
    if (sol.lower && *sol.lower >= to_rational(cell.threshold)) return {"yes", true};  // a found σ
    if (inst && sol.proved && sol.upper && *sol.upper <= floor_rational(s * M)) return {"no", true};
    return {};
  }
};

}  // namespace

std::unique_ptr<ReductionFamily> make_maxcut_family() { return std::make_unique<MaxCutFamily>(); }

}  // namespace relugap
