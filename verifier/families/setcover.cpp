// The set cover family: Set Cover -> one ReLU (reductions/setcover/setcover_to_relu.hpp,
// docs/reductions/set-cover.md). τ = minimum cover cost; CBC solves it, with
// greedy as the fallback upper bound after a time limit.
#include <algorithm>
#include <cmath>

#include "instances/core/error.hpp"
#include "instances/core/rational_int.hpp"
#include "instances/io/io.hpp"
#include "reductions/setcover/setcover_to_relu.hpp"
#include "solvers/source/set_cover_exact.hpp"
#include "verifier/families.hpp"

namespace relugap {

namespace {

class SetCoverFamily final : public ReductionFamily {
 public:
  std::string name() const override { return "setcover"; }
  std::string guarantee() const override {
    return "Set Cover -> one ReLU, loss-preserving (K + tau - sigma <= OPT <= K + tau, tau = min cover cost)";
  }
  std::vector<std::string> source_kinds() const override { return {"setcover"}; }
  std::string parameters() const override { return "forms: weighted (default), --unweighted, --unit-ball"; }
  std::vector<std::string> forms() const override { return {"unweighted", "unit-ball"}; }
  /// The unit-ball form divides the samples by X and Y (rationals): written as (x/2^a, y/2^b).
  ExactScale exact_scale(const Reduction& r) const override { return unit_ball_scale_of<SetCoverReduction>(r); }
  std::string problem(const SourceInstance&) const override { return "setcover"; }
  std::string size_meaning() const override { return "set cover: elements"; }

  SourceInstance read_source(const std::string& path) const override { return read_set_cover(path).value(); }
  std::string write_source(const std::string& stem, const SourceInstance& src, const std::string&) const override {
    write_set_cover(stem + ".txt", std::get<SetCoverInstance>(src));
    return ".txt";
  }

  void check(const SourceInstance& src, const FamilyParams&) const override {
    (void)source_as<SetCoverInstance>(src, "set cover instance", name());
  }
  std::unique_ptr<Reduction> build(const SourceInstance& src, const FamilyParams& p) const override {
    SetCoverOptions o;
    o.unweighted = p.unweighted || p.unit_ball;
    o.unit_ball = p.unit_ball;
    return std::make_unique<SetCoverReduction>(source_as<SetCoverInstance>(src, "set cover instance", name()), o);
  }

  LossBounds bounds(const Reduction& r, const SourceSolution& sol) const override {
    const auto& red = static_cast<const SetCoverReduction&>(r);
    if (sol.optimum()) return red.bounds(sol.optimum());
    if (!sol.upper) return red.bounds(std::nullopt);
    // Not proved optimal: the best cover known is an upper bound on τ; CBC's
    // proved bound, if any, a lower bound.
    LossBounds b = red.bounds_between(sol.lower, sol.upper);
    b.source_optimum = sol.upper;
    if (sol.lower) b.constants["tau_lower_bound"] = *sol.lower;
    return b;
  }

  std::optional<ExactNetwork> lift(const Reduction& r, const DecodedSolution& sol) const override {
    return lift_solution<SetCoverReduction, std::vector<SetId>>(r, sol);
  }

  AdversarialFamily adversarial_candidates(const Reduction& r) const override {
    const auto* red = dynamic_cast<const SetCoverReduction*>(&r);
    if (red == nullptr) return {};
    const auto m = static_cast<std::uint32_t>(red->instance().num_sets());
    AdversarialFamily f;
    f.bits = m;
    f.what = "2^" + std::to_string(m) + " subsets of the sets (covers and non-covers)";
    auto chosen = [m](const std::vector<bool>& b) {
      std::vector<SetId> c;
      for (std::uint32_t j = 0; j < m; ++j)
        if (b[j]) c.emplace_back(j);
      return c;
    };
    f.lift = [red, chosen](const std::vector<bool>& b) { return red->lift(chosen(b)); };
    f.decode = [red](const Network& net) { return DecodedSolution(red->decode(net)); };
    return f;
  }

  SourceSolution solve(const SourceInstance& src, const FamilyParams&, const SolveLimits& lim) const override {
    const auto& inst = source_as<SetCoverInstance>(src, "set cover instance", name());
    CbcOptions co;
    co.time_limit = std::isfinite(lim.time_limit) ? lim.time_limit : 0;
    const SetCoverSolution cbc = solve_set_cover_cbc(inst, co);
    SourceSolution s;
    s.status = cbc.status;
    s.solver = "cbc";
    s.seconds = cbc.seconds;
    s.info = {{"problem", "setcover"},
              {"elements", inst.num_elements},
              {"sets", inst.num_sets()},
              {"solver", cbc.solver},
              {"status", std::string(to_string(cbc.status))},
              {"seconds", cbc.seconds}};
    if (cbc.lower_bound) s.info["lower_bound"] = *cbc.lower_bound;
    if (!cbc.message.empty()) s.info["message"] = cbc.message;
    switch (cbc.status) {
      case SolveStatus::kOptimal:
        s.lower = s.upper = s.certificate_value = to_rational(cbc.cost);
        s.certificate = cbc.cover;
        s.proved = true;
        s.proved_by = ProofKind::kSolverOptimal;
        s.status_text = "optimal (cbc)";
        s.info["optimum"] = cbc.cost;
        break;
      case SolveStatus::kFeasible:
      case SolveStatus::kTimeLimit:
      case SolveStatus::kInterrupted: {
        // The best cover known (CBC's incumbent or greedy) bounds τ from above;
        // CBC's proved bound, if any, from below.
        const SetCoverSolution greedy = solve_set_cover_greedy(inst);
        if (!greedy.has_cover) {
          s.status_text = "not solved (" + std::string(to_string(cbc.status)) + "; greedy: " + greedy.message + ")";
          break;
        }
        s.info["greedy_cost"] = greedy.cost;
        const bool use_cbc = cbc.has_cover && cbc.cost < greedy.cost;
        const SetCoverSolution& best = use_cbc ? cbc : greedy;
        const std::string why = cbc.status == SolveStatus::kInterrupted ? "interrupted" : "time limit";
        s.status_text = use_cbc ? "upper bound (cbc incumbent, " + why + ")" : "upper bound (greedy)";
        s.upper = s.certificate_value = to_rational(best.cost);
        s.certificate = best.cover;
        if (cbc.lower_bound) s.lower = to_rational(*cbc.lower_bound);
        s.proved = true;  // a checked cover, and CBC's proved bound
        s.proved_by = cbc.lower_bound ? ProofKind::kSolverOptimal : ProofKind::kCheckedModel;
        s.info["cost"] = best.cost;
        break;
      }
      case SolveStatus::kInfeasible:
      case SolveStatus::kError:
        s.status_text = "not solved (" + std::string(to_string(cbc.status)) +
                        (cbc.message.empty() ? std::string() : ": " + cbc.message) + ")";
        break;
    }
    return s;
  }
  bool serial_solver() const override { return true; }

  std::vector<std::uint32_t> suite_sizes(const std::string& scale) const override {
    if (scale == "small") return {8, 16};
    if (scale == "medium") return {16, 32, 64};
    return {};
  }
  CellSource generate(std::uint32_t size, bool planted, std::uint64_t seed, const FamilyParams& base) const override {
    const std::uint32_t t = std::max<std::uint32_t>(2, size / 4);
    SetCoverGenParams p;
    p.elements = size;
    p.sets = size;
    p.p = 1.0 / static_cast<double>(t);
    p.plant_cover = planted ? t : 0;
    auto g = generate_set_cover(p, seed);
    if (!g.ok()) throw Failure(g.error());
    CellSource c;
    c.params = base;
    c.source = g.value().instance;
    c.generator = g.value().record;
    c.threshold = t;
    c.question = "tau <= " + std::to_string(t) + " (a cover of cost <= " + std::to_string(t) + ", unit costs)";
    if (planted) c.planted = g.value().planted->sets;
    return c;
  }
  DecisionThresholds thresholds(const Reduction& red, const CellSource& cell) const override {
    return optimum_thresholds(red, to_rational(cell.threshold), to_rational(cell.threshold + 1));  // tau <= t
  }
  /// A file's question: tau <= t with t the source optimum when it is proved (answer: yes).
  std::optional<CellSource> file_question(const SourceInstance& src, const FamilyParams& p,
                                          const SourceSolution& sol) const override {
    return proved_optimum_question(src, p, sol, "<=");
  }
  DecisionAnswer answer(const SourceSolution& sol, const CellSource& cell) const override {
    const Rational t = to_rational(cell.threshold);
    if (sol.upper && *sol.upper <= t) return {"yes", true};  // a checked cover of cost <= t
    if (sol.proved && sol.lower && *sol.lower > t) return {"no", true};
    return {};
  }
};

}  // namespace

std::unique_ptr<ReductionFamily> make_setcover_family() { return std::make_unique<SetCoverFamily>(); }

}  // namespace relugap
