// Family forms as variants "NAME:FORM" (verifier/family.hpp find_variant,
// apply_form): the unit-ball forms of setcover and dks and sat2's robust bound
// run in the sweep and the suite through FamilyParams, and maxcut is in every
// suite scale with its certified epsilon in the manifest.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_run.hpp"
#include "experiments/suite.hpp"
#include "experiments/sweep.hpp"
#include "instances/core/error.hpp"
#include "instances/io/io.hpp"
#include "verifier/family.hpp"
#include "verifier/pipeline.hpp"

using namespace relugap;
using nlohmann::json;
using relugap::test::TempDir;

namespace {

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::optional<Rational> exact_of(const json& j) {
  if (j.is_null()) return std::nullopt;
  return parse_rational(j.get<std::string>());
}

}  // namespace

TEST_CASE("variants: NAME:FORM resolves to the family only for a form it offers") {
  const auto v = find_variant("dks:unit-ball");
  REQUIRE(v.has_value());
  CHECK(v->family->name() == "dks");
  CHECK(v->form == "unit-ball");
  REQUIRE(find_variant("sat2").has_value());
  CHECK(find_variant("sat2")->form.empty());
  CHECK(find_variant("sat2:robust").has_value());
  CHECK_FALSE(find_variant("sat1:robust").has_value());  // sat1 has no robust form
  CHECK_FALSE(find_variant("dks:nope").has_value());
  CHECK_FALSE(find_variant("nope:unit-ball").has_value());
  const auto names = variant_names();
  for (const char* n : {"setcover", "setcover:unit-ball", "dks:unit-ball", "dks:unweighted", "sat2:robust", "maxcut"})
    CHECK(has(names, n));
  FamilyParams p;
  apply_form(p, "unit-ball");
  CHECK(p.unit_ball);
  CHECK(p.unweighted);
  FamilyParams r;
  apply_form(r, "robust");
  CHECK(r.robust);
  CHECK_FALSE(r.unit_ball);
  CHECK_THROWS_AS(apply_form(r, "bogus"), Failure);
  // A variant's cells carry the form in their parameters.
  CHECK(make_cell_source("dks:unit-ball", 8, true, 3).params.unit_ball);
  CHECK_FALSE(make_cell_source("dks", 8, true, 3).params.unit_ball);
  CHECK(make_cell_source("sat2:robust", 4, false, 3).params.robust);
  CHECK_THROWS_AS(make_cell_source("sat1:robust", 4, false, 3), Failure);
}

TEST_CASE("sweep: dks:unit-ball and setcover:unit-ball cells state the unit-ball bounds and violate nothing") {
  for (const std::string name : {"dks:unit-ball", "setcover:unit-ball", "sat2:robust"}) {
    CAPTURE(name);
    const auto v = find_variant(name);
    REQUIRE(v.has_value());
    const std::uint32_t n = name == "sat2:robust" ? 3 : 8;
    for (const std::string kind : {"yes", "no"}) {
      CAPTURE(kind);
      TempDir t;
      SweepOptions o;
      o.reductions = parse_name_list(name, "--reductions", sweep_reductions());
      o.sizes = {n};
      o.seeds = {1};
      o.kinds = {kind};
      o.global_seed = 5;
      o.source_time_limit = 60;
      o.trainer_time_limit = 0.5;
      o.gd_starts = 1;
      o.exact_max_samples = 0;
      o.out_dir = t.file("sweep");
      const auto grid = sweep_grid(o);
      REQUIRE(grid.size() == 1);
      CHECK(grid[0].key.rfind(name + "/n=", 0) == 0);
      const json row = run_sweep_cell(grid[0], o);
      CHECK(row["reduction"] == name);
      CHECK(row["violated"] == 0);
      // The row's bounds are the pipeline's on the same instance in that form,
      // and (for the unit-ball forms) not the default form's.
      const CellSource c = make_cell_source(name, n, kind == "yes", derive_seed(o.global_seed, grid[0].key));
      PipelineOptions po;
      static_cast<FamilyParams&>(po) = c.params;
      po.reduction = v->family->name();
      po.source_time_limit = 60;
      po.trainer_time_limit = 0.2;
      po.gd_starts = 1;
      po.exact_max_samples = 0;
      const PipelineResult with_form = run_pipeline(c.source, po);
      CHECK(exact_of(row["stated_upper_exact"]) == with_form.report.bounds.loss_upper);
      CHECK(exact_of(row["stated_lower_exact"]) == with_form.report.bounds.loss_lower);
      if (v->form == "unit-ball") {
        po.unit_ball = false;
        po.unweighted = false;
        const PipelineResult plain = run_pipeline(c.source, po);
        CHECK(plain.reduction->data().total_weight() != with_form.reduction->data().total_weight());
      }
    }
  }
  CHECK_THROWS_WITH_AS(parse_name_list("sat1:robust", "--reductions", sweep_reductions()),
                       doctest::Contains("unknown value 'sat1:robust'"), Failure);
}

TEST_CASE("suite: --forms adds the variants' items; maxcut is in every scale with a certified epsilon") {
  for (const std::string scale : {"small", "medium"}) {
    CAPTURE(scale);
    const auto plain = suite_plan(scale);
    CHECK(std::any_of(plain.begin(), plain.end(), [](const SuiteItem& i) { return i.reduction == "maxcut"; }));
    CHECK(std::none_of(plain.begin(), plain.end(),
                       [](const SuiteItem& i) { return i.reduction.find(':') != std::string::npos; }));
    const auto with = suite_plan(scale, {"unit-ball", "robust"});
    for (const char* v : {"setcover:unit-ball", "dks:unit-ball", "sat2:robust"})
      CHECK(std::any_of(with.begin(), with.end(), [&](const SuiteItem& i) { return i.reduction == v; }));
    CHECK_FALSE(
        std::any_of(with.begin(), with.end(), [](const SuiteItem& i) { return i.reduction == "dks:unweighted"; }));
  }
  CHECK_THROWS_AS(suite_plan("small", {"bogus"}), Failure);

  TempDir t;
  SuiteOptions so;
  so.out_dir = t.file("suite");
  so.seed = 3;
  so.forms = {"unit-ball"};
  std::ostringstream log;
  const json m = write_suite(so,
                             {{"dks:unit-ball", 8, "yes"},
                              {"dks:unit-ball", 8, "no"},
                              {"setcover:unit-ball", 8, "yes"},
                              {"maxcut", 32, "yes"},
                              {"maxcut", 32, "no"}},
                             log);
  REQUIRE(m["instances"].size() == 5);
  CHECK(m["forms"] == json::array({"unit-ball"}));
  for (const auto& it : m["instances"]) {
    const std::string name = it["name"];
    CAPTURE(name);
    const Sidecar sc = read_sidecar(so.out_dir + "/" + it["sidecar"].get<std::string>()).value();
    if (it["reduction"].get<std::string>().find(":unit-ball") != std::string::npos) {
      CHECK(name.find("-unit-ball_n8_") != std::string::npos);
      CHECK(sc.reduction->params["form"] == "unit_ball");
      CHECK(std::filesystem::exists(so.out_dir + "/" + it["data"].get<std::string>()));
    }
    if (it["reduction"] == "maxcut") {
      // The certified epsilon of the promise (SAT* >= M vs <= 4M/5) is in the manifest and positive.
      const json& d = it["decision"];
      REQUIRE(d["epsilon"].is_object());
      CHECK(parse_rational(d["epsilon"]["exact"].get<std::string>()) > 0);
      CHECK(d["answer"] == it["kind"]);
      CHECK(d["answer_proved"] == true);
    }
    // The certificate reaches at most the stated upper bound on the file as written.
    if (!it["certificate_loss"].is_null())
      CHECK(parse_rational(it["certificate_loss"]["exact"].get<std::string>()) <=
            parse_rational(it["opt_upper"]["exact"].get<std::string>()));
  }
}
