// The reduction-family registry (verifier/family.hpp): every built-in family is
// listed once, and the one source-solving path gives identical bounds through
// `reduce --solve`, the pipeline (`verify`), a sweep cell and the suite, on the
// same instance and time limit, for every family, YES and NO.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_run.hpp"
#include "experiments/suite.hpp"
#include "experiments/sweep.hpp"
#include "instances/io/io.hpp"
#include "verifier/family.hpp"
#include "verifier/pipeline.hpp"

using namespace relugap;
using nlohmann::json;
using relugap::test::run_cli;
using relugap::test::TempDir;

namespace {

constexpr double kLimit = 60;  ///< the same source time limit everywhere

using Opt = std::optional<Rational>;

struct Bracket {
  Opt lower, upper;
};

std::string q(const std::string& s) { return "'" + s + "'"; }

Opt exact_or_null(const json& j) {
  if (j.is_null()) return std::nullopt;
  if (j.is_string()) return parse_rational(j.get<std::string>());
  return parse_rational(j.at("exact").get<std::string>());
}

/// The family's smallest suite size and its parameters for a file of that cell.
FamilyParams params_for(const CellSource& c) { return c.params; }

/// `reduce NAME FILE --solve` (each family's own subcommand and flags).
Bracket reduce_bounds(const std::string& name, const std::string& file, const FamilyParams& p, const TempDir& t) {
  const std::string out = t.file(name + "_reduced.npy");
  std::string extra;
  if (name == "dks") extra = " --kappa " + std::to_string(p.kappa);
  if (name == "satk") extra = " --units " + std::to_string(p.units);
  const auto r = run_cli("reduce " + name + " " + q(file) + " -o " + q(out) + " --solve --time-limit " +
                         std::to_string(kLimit) + extra);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Sidecar sc = read_sidecar(sidecar_path(out)).value();
  Bracket b;
  if (sc.bounds.exact.count("loss_lower")) b.lower = sc.bounds.exact.at("loss_lower");
  if (sc.bounds.exact.count("loss_upper")) b.upper = sc.bounds.exact.at("loss_upper");
  return b;
}

Bracket pipeline_bounds(const std::string& name, const std::string& file, const FamilyParams& p) {
  PipelineOptions o;
  static_cast<FamilyParams&>(o) = p;
  o.reduction = name;
  o.source_time_limit = kLimit;
  o.trainer_time_limit = 0.5;
  o.gd_starts = 1;
  o.exact_max_samples = 0;
  o.adversarial_max_candidates =
      256;  // a small search: this test compares bounds (test_fault_injection runs the full one)
  o.adversarial_max_lifts = 200;
  o.adversarial_descents = 2;
  const PipelineResult r = run_pipeline_file(file, o);
  CHECK_FALSE(r.report.any_violated());
  return {r.report.bounds.loss_lower, r.report.bounds.loss_upper};
}

void same(const Bracket& a, const Bracket& b, const std::string& what) {
  INFO(what);
  CHECK(a.lower.has_value() == b.lower.has_value());
  CHECK(a.upper.has_value() == b.upper.has_value());
  if (a.lower && b.lower) CHECK(*a.lower == *b.lower);
  if (a.upper && b.upper) CHECK(*a.upper == *b.upper);
}

}  // namespace

TEST_CASE("the registry lists every built-in family once, in order, and refuses unknown names") {
  const auto names = family_names();
  REQUIRE(names.size() >= 6);
  CHECK(std::vector<std::string>(names.begin(), names.begin() + 6) ==
        std::vector<std::string>{"setcover", "dks", "sat1", "sat2", "satk", "maxcut"});
  for (const auto* f : families()) {
    CAPTURE(f->name());
    CHECK_FALSE(f->guarantee().empty());
    CHECK_FALSE(f->source_kinds().empty());
    CHECK(find_family(f->name()) == f);
  }
  CHECK(find_family("nope") == nullptr);
  CHECK_THROWS_WITH_AS(family("nope"), doctest::Contains("setcover, dks, sat1, sat2, satk, maxcut"), relugap::Failure);
  CHECK(to_string(ProofKind::kDrat) == "drat");
}

TEST_CASE("SourceSolution: optimum only when the bracket is closed") {
  SourceSolution s;
  s.lower = Rational(3);
  s.upper = Rational(5);
  s.proved = true;
  CHECK_FALSE(s.optimum().has_value());
  CHECK_FALSE(s.optimum_proved());
  s.upper = Rational(3);
  CHECK(s.optimum() == Rational(3));
  CHECK(s.optimum_proved());
  s.proved = false;
  CHECK_FALSE(s.optimum_proved());
  const json j = s.to_json();
  CHECK(j["lower"] == "3");
  CHECK(j["proved_by"] == "none");
}

TEST_CASE("one source-solving path: reduce --solve, pipeline, sweep and suite agree on every family") {
  for (const std::string name : {"setcover", "dks", "sat1", "sat2", "satk", "maxcut"}) {
    CAPTURE(name);
    const ReductionFamily& fam = family(name);
    auto sizes = fam.suite_sizes("small");
    if (sizes.empty()) sizes = fam.suite_sizes("medium");
    REQUIRE_FALSE(sizes.empty());
    const std::uint32_t n = sizes.front();
    TempDir t;

    // The suite's YES and NO items: its bounds (in the construction's units) vs
    // reduce --solve and the pipeline on the source file it wrote.
    SuiteOptions so;
    so.out_dir = t.file("suite");
    so.seed = 7;
    so.satk_units = 2;
    so.source_time_limit = kLimit;
    std::ostringstream log;
    const json m = write_suite(so, {{name, n, "yes"}, {name, n, "no"}}, log);
    REQUIRE(m["instances"].size() == 2);
    for (const auto& it : m["instances"]) {
      CAPTURE(it["key"].get<std::string>());
      const std::string src = so.out_dir + "/" + it["source"].get<std::string>();
      const Sidecar sc = read_sidecar(so.out_dir + "/" + it["sidecar"].get<std::string>()).value();
      const Rational beta = sc.bounds.exact.at("sample_scale_y");
      const Rational f = beta * beta;
      Bracket suite{exact_or_null(it["opt_lower"]), exact_or_null(it["opt_upper"])};
      if (suite.lower) suite.lower = Rational(*suite.lower / f);
      if (suite.upper) suite.upper = Rational(*suite.upper / f);
      FamilyParams p;
      p.units = 2;
      if (sc.reduction->params.contains("kappa")) p.kappa = sc.reduction->params["kappa"].get<std::uint32_t>();
      const Bracket pipe = pipeline_bounds(name, src, p);
      same(suite, pipe, "suite vs pipeline");
      same(reduce_bounds(name, src, p, t), pipe, "reduce --solve vs pipeline");
    }

    // A sweep cell (its own seeded instance): the row's stated bounds vs the
    // pipeline and reduce --solve on the same instance written to a file.
    for (const std::string kind : {"yes", "no"}) {
      CAPTURE(kind);
      SweepOptions o;
      o.reductions = {name};
      o.sizes = {n};
      o.seeds = {1};
      o.kinds = {kind};
      o.units = 2;
      o.global_seed = 5;
      o.source_time_limit = kLimit;
      o.trainer_time_limit = 0.5;
      o.gd_starts = 1;
      o.exact_max_samples = 0;
      o.out_dir = t.file("sweep");
      const auto grid = sweep_grid(o);
      REQUIRE(grid.size() == 1);
      const json row = run_sweep_cell(grid[0], o);
      CHECK(row["violated"] == 0);
      const Bracket sweep{exact_or_null(row["stated_lower_exact"]), exact_or_null(row["stated_upper_exact"])};
      FamilyParams base;
      base.units = 2;
      const CellSource c = make_cell_source(name, n, kind == "yes", derive_seed(o.global_seed, grid[0].key), base);
      const std::string file = t.file("cell_" + kind) + fam.write_source(t.file("cell_" + kind), c.source, "");
      const Bracket pipe = pipeline_bounds(name, file, params_for(c));
      same(sweep, pipe, "sweep vs pipeline");
      same(reduce_bounds(name, file, params_for(c), t), pipe, "reduce --solve vs pipeline");
    }
  }
}

TEST_CASE("sat2 --robust: V_min by enumeration gives a proved NO bound at least tau^2/18") {
  Cnf no;
  no.num_vars = 2;
  no.clauses = {{Lit(1), Lit(2)}, {Lit(-1)}, {Lit(-2)}};
  PipelineOptions o;
  o.reduction = "sat2";
  o.robust = true;
  o.trainer_time_limit = 1;
  o.gd_starts = 1;
  const PipelineResult r = run_pipeline(SourceInstance(no), o);
  CHECK_FALSE(r.report.any_violated());
  REQUIRE(r.solution.info.contains("min_violated"));
  CHECK(r.solution.info["min_violated"].get<std::size_t>() >= 1);
  CHECK(r.solution.proved);
  const LossBounds plain = r.reduction->bounds(Rational(0));
  REQUIRE(r.report.bounds.loss_lower.has_value());
  REQUIRE(plain.loss_lower.has_value());
  CHECK(*r.report.bounds.loss_lower >= *plain.loss_lower);
  CHECK(r.report.bounds.constants.count("robust_lower") == 1);
}
