// The densest κ-subgraph family: DkS -> one ReLU (reductions/dks/dks_to_relu.hpp,
// docs/reductions/densest-subgraph.md). τ = most edges inside a κ-set; the
// bitset branch and bound solves it, and a search stopped early still gives
// τ in [found, proved upper bound].
#include "instances/core/error.hpp"
#include "instances/core/rational_int.hpp"
#include "instances/io/io.hpp"
#include "reductions/dks/dks_to_relu.hpp"
#include "solvers/source/dks_exact.hpp"
#include "verifier/families.hpp"

namespace relugap {

namespace {

constexpr double kDksEdgeP = 0.3;  ///< the generator's G(n, 0.3)

class DksFamily final : public ReductionFamily {
 public:
  std::string name() const override { return "dks"; }
  std::string guarantee() const override {
    return "Densest kappa-Subgraph -> one ReLU, loss-preserving (K + |E| - tau - sigma <= OPT <= K + |E| - tau)";
  }
  std::vector<std::string> source_kinds() const override { return {"graph"}; }
  std::string parameters() const override {
    return "--kappa (1 <= kappa <= n, required); forms: weighted (default), --unweighted, --unit-ball";
  }
  std::vector<std::string> forms() const override { return {"unweighted", "unit-ball"}; }
  /// The unit-ball form divides the samples by X and Y (rationals): written as (x/2^a, y/2^b).
  ExactScale exact_scale(const Reduction& r) const override { return unit_ball_scale_of<DksReduction>(r); }
  std::string problem(const SourceInstance&) const override { return "dks"; }
  std::string size_meaning() const override { return "dks: vertices"; }

  SourceInstance read_source(const std::string& path) const override { return read_graph(path).value(); }
  std::string write_source(const std::string& stem, const SourceInstance& src,
                           const std::string& provenance) const override {
    write_dimacs_graph(stem + ".col", std::get<Graph>(src), provenance);
    return ".col";
  }

  void check(const SourceInstance& src, const FamilyParams& p) const override {
    const Graph& g = source_as<Graph>(src, "graph", name());
    if (p.kappa < 1 || p.kappa > g.num_vertices())
      fail("reduce.kappa", "reduce", 0,
           "dks needs 1 <= --kappa <= n = " + std::to_string(g.num_vertices()) + ", got " + std::to_string(p.kappa));
  }
  std::unique_ptr<Reduction> build(const SourceInstance& src, const FamilyParams& p) const override {
    check(src, p);
    DksOptions o;
    o.unweighted = p.unweighted || p.unit_ball;
    o.unit_ball = p.unit_ball;
    return std::make_unique<DksReduction>(std::get<Graph>(src), p.kappa, o);
  }

  LossBounds bounds(const Reduction& r, const SourceSolution& sol) const override {
    const auto& red = static_cast<const DksReduction&>(r);
    if (sol.optimum()) return red.bounds(sol.optimum());
    if (!sol.lower) return red.bounds(std::nullopt);
    // τ in [found, ub]: the certificate gives the upper loss bound; the lower
    // loss bound uses the proved ub, not `found`.
    LossBounds b = red.bounds_between(sol.lower, sol.upper);
    b.source_optimum = sol.lower;
    return b;
  }

  std::optional<ExactNetwork> lift(const Reduction& r, const DecodedSolution& sol) const override {
    return lift_solution<DksReduction, std::vector<Vertex>>(r, sol);
  }

  AdversarialFamily adversarial_candidates(const Reduction& r) const override {
    const auto* red = dynamic_cast<const DksReduction*>(&r);
    if (red == nullptr) return {};
    const std::uint32_t n = red->graph().num_vertices();
    AdversarialFamily f;
    f.bits = n;
    f.what = "2^" + std::to_string(n) + " vertex subsets of every size (kappa-sets and near-solutions)";
    // bit v of a candidate = vertex v is in the set
    f.lift = [red](const std::vector<bool>& b) { return red->lift(members(VertexSet(b))); };
    f.decode = [red](const Network& net) { return DecodedSolution(red->decode(net)); };
    return f;
  }

  SourceSolution solve(const SourceInstance& src, const FamilyParams& p, const SolveLimits& lim) const override {
    check(src, p);
    const Graph& g = std::get<Graph>(src);
    DksExactOptions eo;
    eo.time_limit = lim.time_limit;
    const DksResult r = dks_exact(g, p.kappa, eo);
    SourceSolution s;
    s.status = r.status;
    s.solver = "branch and bound";
    s.seconds = r.seconds;
    s.info = {{"problem", "dks"},        {"vertices", g.num_vertices()}, {"edges", g.num_edges()},
              {"kappa", p.kappa},        {"solver", "branch and bound"}, {"status", std::string(to_string(r.status))},
              {"edges_inside", r.edges}, {"upper_bound", r.upper_bound}, {"nodes", r.nodes},
              {"seconds", r.seconds}};
    if (r.search_skipped)
      s.info["search_skipped"] =
          "the graph is too large for the bitset branch and bound: heuristic set and the "
          "trivial upper bound";
    switch (r.status) {
      case SolveStatus::kOptimal:
      case SolveStatus::kFeasible:
      case SolveStatus::kInterrupted:
        s.lower = s.certificate_value = to_rational(static_cast<std::int64_t>(r.edges));
        s.upper = to_rational(static_cast<std::int64_t>(r.upper_bound));
        s.certificate = r.set;
        s.proved = true;  // a checked κ-set below, the search's proved bound above
        s.proved_by = ProofKind::kSolverOptimal;
        s.status_text = r.status == SolveStatus::kOptimal    ? "optimal (branch and bound)"
                        : r.search_skipped                   ? "lower bound (heuristic; graph too large for the search)"
                        : r.status == SolveStatus::kFeasible ? "lower bound (heuristic/time limit)"
                                                             : "lower bound (interrupted)";
        break;
      case SolveStatus::kInfeasible:
      case SolveStatus::kTimeLimit:
      case SolveStatus::kError:
        s.status_text = "not solved (" + std::string(to_string(r.status)) + ")";
        break;
    }
    return s;
  }

  std::vector<std::uint32_t> suite_sizes(const std::string& scale) const override {
    if (scale == "small") return {8, 12};
    if (scale == "medium") return {16, 24, 32};
    return {};
  }
  CellSource generate(std::uint32_t size, bool planted, std::uint64_t seed, const FamilyParams& base) const override {
    const std::uint32_t kappa = (size + 1) / 2;
    GnpParams p;
    p.vertices = size;
    p.p = kDksEdgeP;
    if (planted) {
      p.plant = GraphPlant::kClique;
      p.k = kappa;
    }
    auto g = generate_graph(p, seed);
    if (!g.ok()) throw Failure(g.error());
    CellSource c;
    c.params = base;
    c.params.kappa = kappa;
    c.source = g.value().graph;
    c.generator = g.value().record;
    c.threshold = static_cast<std::int64_t>(kappa) * (kappa - 1) / 2;
    c.question = "tau >= " + std::to_string(c.threshold) + " (a " + std::to_string(kappa) + "-clique)";
    if (planted && g.value().planted) c.planted = *g.value().planted;
    return c;
  }
  DecisionThresholds thresholds(const Reduction& red, const CellSource& cell) const override {
    return optimum_thresholds(red, to_rational(cell.threshold), to_rational(cell.threshold - 1));  // tau >= t
  }
  /// A file's question: tau >= t with t the source optimum when it is proved (answer: yes).
  std::optional<CellSource> file_question(const SourceInstance& src, const FamilyParams& p,
                                          const SourceSolution& sol) const override {
    return proved_optimum_question(src, p, sol, ">=");
  }
  DecisionAnswer answer(const SourceSolution& sol, const CellSource& cell) const override {
    const Rational t = to_rational(cell.threshold);
    if (sol.lower && *sol.lower >= t) return {"yes", true};              // a checked κ-set
    if (sol.proved && sol.upper && *sol.upper < t) return {"no", true};  // the proved upper bound
    return {};
  }
};

}  // namespace

std::unique_ptr<ReductionFamily> make_dks_family() { return std::make_unique<DksFamily>(); }

}  // namespace relugap
