// A new reduction is its own files plus one registration line: a test-only toy
// family, defined and registered here (no file outside tests/ names it),
// appears in the pipeline (`verify`), the sweep and the suite.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_run.hpp"
#include "experiments/suite.hpp"
#include "experiments/sweep.hpp"
#include "instances/io/io.hpp"
#include "instances/problems/loss.hpp"
#include "verifier/family.hpp"
#include "verifier/pipeline.hpp"

using namespace relugap;
using nlohmann::json;
using relugap::test::TempDir;

namespace {

/// The toy reduction: a CNF -> one sample (x = 1, y = 0, c = 1), one ReLU.
/// OPT = 0 whatever the formula (w = 0 fits it); a network decodes to the
/// all-false assignment. It states OPT in [0, 0] and nothing else.
class ToyReduction final : public Reduction {
 public:
  explicit ToyReduction(Cnf f) : f_(std::move(f)), data_(1) { data_.add({{0, Rational(1)}}, Rational(0), Rational(1)); }
  std::string name() const override { return "toy"; }
  std::size_t units() const override { return 1; }
  const ExactTrainingSet& data() const override { return data_; }
  nlohmann::json params() const override { return {{"vars", f_.num_vars}}; }
  LossBounds bounds(const std::optional<Rational>& opt) const override {
    LossBounds b;
    b.source_optimum = opt;
    b.loss_lower = Rational(0);
    b.loss_upper = Rational(0);
    return b;
  }
  DecodeCheck decode_check(const Network& net) const override {
    DecodeCheck d;
    const Assignment a(f_.num_vars, false);
    d.decoded = a;
    d.solution_valid = true;
    d.solution = "the all-false assignment";
    d.source_value = f_.satisfied_by(a) ? 1 : 0;
    d.loss = exact_loss(data_, to_exact(net));
    d.lemma_holds = d.loss >= 0;
    d.inequality = "loss " + to_string(d.loss) + " >= 0";
    return d;
  }
  ExactNetwork certificate() const { return ExactNetwork(1, 1); }  // w = 0, a = 1

 private:
  Cnf f_;
  ExactTrainingSet data_;
};

class ToyFamily final : public ReductionFamily {
 public:
  std::string name() const override { return "toy"; }
  std::string guarantee() const override { return "CNF -> one sample, OPT = 0 (a test of the registry)"; }
  std::vector<std::string> source_kinds() const override { return {"cnf"}; }
  std::string parameters() const override { return "none"; }
  std::string problem(const SourceInstance&) const override { return "3sat"; }
  std::string size_meaning() const override { return "toy: variables"; }
  SourceInstance read_source(const std::string& path) const override { return read_cnf(path).value(); }
  std::string write_source(const std::string& stem, const SourceInstance& src,
                           const std::string& provenance) const override {
    write_cnf(stem + ".cnf", std::get<Cnf>(src), provenance);
    return ".cnf";
  }
  void check(const SourceInstance& src, const FamilyParams&) const override {
    (void)source_as<Cnf>(src, "CNF formula", name());
  }
  std::unique_ptr<Reduction> build(const SourceInstance& src, const FamilyParams&) const override {
    return std::make_unique<ToyReduction>(source_as<Cnf>(src, "CNF formula", name()));
  }
  std::optional<ExactNetwork> lift(const Reduction& r, const DecodedSolution& sol) const override {
    if (!std::holds_alternative<Assignment>(sol)) return std::nullopt;
    return static_cast<const ToyReduction&>(r).certificate();
  }
  /// Enumeration over every assignment (toy sizes only).
  SourceSolution solve(const SourceInstance& src, const FamilyParams&, const SolveLimits&) const override {
    const Cnf& f = std::get<Cnf>(src);
    SourceSolution s;
    s.solver = "toy enumeration";
    s.proved = true;
    s.proved_by = ProofKind::kEnumeration;
    s.lower = s.upper = Rational(0);
    s.status = SolveStatus::kInfeasible;
    s.status_text = "unsat (toy enumeration)";
    for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << f.num_vars); ++mask) {
      Assignment a(f.num_vars);
      for (std::uint32_t v = 0; v < f.num_vars; ++v) a[Var(v)] = ((mask >> v) & 1U) != 0;
      if (f.satisfied_by(a)) {
        s.lower = s.upper = s.certificate_value = Rational(1);
        s.certificate = a;
        s.status = SolveStatus::kOptimal;
        s.status_text = "sat (toy enumeration)";
        break;
      }
    }
    return s;
  }
  std::uint32_t max_size() const override { return 12; }
  std::vector<std::uint32_t> suite_sizes(const std::string& scale) const override {
    return scale == "small" ? std::vector<std::uint32_t>{4} : std::vector<std::uint32_t>{};
  }
  CellSource generate(std::uint32_t size, bool planted, std::uint64_t seed, const FamilyParams& base) const override {
    Sat3Params p;
    p.vars = size;
    p.clauses = 6 * size;
    p.planted = planted;
    auto g = generate_3sat(p, seed).value();
    CellSource c;
    c.params = base;
    c.source = g.formula;
    c.generator = g.record;
    c.threshold = 1;
    c.question = "satisfiable";
    if (g.planted) c.planted = *g.planted;
    return c;
  }
  DecisionThresholds thresholds(const Reduction& red, const CellSource&) const override {
    DecisionThresholds d;
    d.total_weight = red.data().total_weight();
    d.yes = Rational(0);
    return d;
  }
  DecisionAnswer answer(const SourceSolution& sol, const CellSource&) const override {
    if (!sol.optimum()) return {};
    return {*sol.optimum() == 1 ? "yes" : "no", sol.proved};
  }
};

// The one registration line.
const FamilyRegistrar kToyRegistrar(std::make_unique<ToyFamily>());

}  // namespace

TEST_CASE("a family registered from tests/ is listed after the built-in ones") {
  const auto names = family_names();
  CHECK(names.back() == "toy");
  CHECK(names.front() == "setcover");
  CHECK(find_family("toy") != nullptr);
  CHECK(family_list().find(", toy") != std::string::npos);
}

TEST_CASE("the toy family runs through the pipeline (verify)") {
  TempDir t;
  const std::string f = t.file("f.cnf");
  Cnf formula;
  formula.num_vars = 2;
  formula.clauses = {{Lit(1), Lit(2)}, {Lit(-1)}};
  write_cnf(f, formula);
  PipelineOptions o;
  o.reduction = "toy";
  o.trainer_time_limit = 1;
  const PipelineResult r = run_pipeline_file(f, o);
  CHECK(r.report.reduction == "toy");
  CHECK_FALSE(r.report.any_violated());
  CHECK(r.info["source_status"] == "sat (toy enumeration)");
  bool completeness = false, recheck = false;
  for (const auto& c : r.report.checks) {
    if (c.name == "completeness") completeness = c.verdict == Verdict::kHeld;
    if (c.name == "recheck(certificate)") recheck = c.verdict == Verdict::kHeld;
  }
  CHECK(completeness);
  CHECK(recheck);
  CHECK(r.solution.proved_by == ProofKind::kEnumeration);
}

TEST_CASE("the toy family runs through the sweep and the suite") {
  TempDir t;
  SweepOptions o;
  o.reductions = parse_name_list("toy", "--reductions", sweep_reductions());
  o.sizes = {4};
  o.seeds = {1, 2};
  o.trainer_time_limit = 1;
  o.gd_starts = 1;
  o.out_dir = t.file("sweep");
  o.plots = false;
  std::ostringstream progress;
  const SweepSummary s = run_sweep(o, progress);
  CHECK(s.completed == 4);
  CHECK(s.failed == 0);
  CHECK(s.violations == 0);
  for (const auto& row : s.rows) {
    CHECK(row["reduction"] == "toy");
    CHECK(row["answer_proved"] == true);
    if (row["kind"] == "yes") CHECK(row["answer"] == "yes");
  }

  SuiteOptions so;
  so.out_dir = t.file("suite");
  std::vector<SuiteItem> plan;
  for (const auto& it : suite_plan("small"))
    if (it.reduction == "toy") plan.push_back(it);
  REQUIRE(plan.size() == 2);
  std::ostringstream log;
  const json m = write_suite(so, plan, log);
  REQUIRE(m["instances"].size() == 2);
  for (const auto& it : m["instances"]) {
    CHECK(it["reduction"] == "toy");
    CHECK(it["decision"]["answer"] == it["kind"]);
    CHECK(std::filesystem::exists(so.out_dir + "/" + it["source"].get<std::string>()));
  }
}
