// run_pipeline end to end on tiny instances of every reduction: solve the
// source, build, lift, train (gd, and exact for one-unit sets), decode, check.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "instances/gen/generators.hpp"
#include "verifier/pipeline.hpp"

using namespace relugap;

namespace {

PipelineOptions opts(const std::string& red) {
  PipelineOptions o;
  o.reduction = red;
  o.source_time_limit = 10;
  o.trainer_time_limit = 1;
  o.gd_starts = 2;
  o.seed = 7;
  return o;
}

const CheckResult* find(const VerifyReport& r, const std::string& name) {
  for (const auto& c : r.checks)
    if (c.name == name) return &c;
  return nullptr;
}

Cnf planted_formula(std::uint64_t seed) {
  Sat3Params p;
  p.vars = 4;
  p.clauses = 4;
  p.planted = true;
  return generate_3sat(p, seed).value().formula;
}

/// The report's JSON has the documented fields, consistent with the report.
void check_json(const PipelineResult& r) {
  const nlohmann::json j = r.report.to_json();
  CHECK(j["reduction"] == r.report.reduction);
  REQUIRE(j.contains("bounds"));
  for (const char* k : {"source_optimum", "loss_lower", "loss_upper"}) {
    INFO(k);
    REQUIRE(j["bounds"].contains(k));
    const auto& v = j["bounds"][k];
    CHECK((v.is_null() || (v["value"].is_number() && v["exact"].is_string())));
  }
  REQUIRE(j["checks"].is_array());
  CHECK(j["checks"].size() == r.report.checks.size());
  std::set<std::string> verdicts;
  for (const auto& c : j["checks"]) {
    CHECK(c["name"].is_string());
    CHECK(c["detail"].is_string());
    CHECK((c["witness"].is_null() || c["witness"].is_string()));
    verdicts.insert(c["verdict"].get<std::string>());
  }
  for (const auto& v : verdicts) CHECK((v == "held" || v == "violated" || v == "not checked"));
  CHECK(j["summary"]["held"] == r.report.count(Verdict::kHeld));
  CHECK(j["summary"]["violated"] == r.report.count(Verdict::kViolated));
  CHECK(j["summary"]["not_checked"] == r.report.count(Verdict::kNotChecked));
  CHECK(j["summary"]["held"].get<std::size_t>() + j["summary"]["violated"].get<std::size_t>() +
            j["summary"]["not_checked"].get<std::size_t>() ==
        r.report.checks.size());
  // info: provenance and what ran
  CHECK(!r.info["relugap_version"].get<std::string>().empty());
  CHECK(r.info["reduction"] == r.report.reduction);
  CHECK(r.info["seed"] == 7);
  CHECK(r.info["shape"]["samples"].get<std::size_t>() > 0);
  CHECK(r.info["trainers"].contains("gd"));
}

/// Every network has a decode check and an independent re-check, all held.
void check_decodes(const PipelineResult& r, bool yes) {
  std::vector<std::string> nets{"gd"};
  if (yes) nets.push_back("certificate");
  if (r.info["trainers"].contains("exact")) nets.push_back("exact");
  for (const auto& n : nets) {
    INFO(n);
    const CheckResult* d = find(r.report, "decode(" + n + ")");
    REQUIRE(d);
    CHECK(d->verdict == Verdict::kHeld);
    const CheckResult* rc = find(r.report, "recheck(" + n + ")");
    REQUIRE(rc);
    CHECK(rc->verdict == Verdict::kHeld);
    CHECK(rc->detail.find("re-checked against the source") != std::string::npos);
  }
}

void check_yes(const PipelineResult& r) {
  INFO(r.report.table());
  CHECK_FALSE(r.report.any_violated());
  const CheckResult* c = find(r.report, "completeness");
  REQUIRE(c);
  CHECK(c->verdict == Verdict::kHeld);
  const CheckResult* lb = find(r.report, "lower-bound(gd)");
  REQUIRE(lb);
  CHECK(lb->verdict == Verdict::kHeld);  // every source optimum here is proved
  check_decodes(r, true);
  check_json(r);
}

}  // namespace

TEST_CASE("pipeline: set cover with a planted cover, gd and exact") {
  SetCoverGenParams p;
  p.elements = 5;
  p.sets = 5;
  p.plant_cover = 2;
  p.max_cost = 2;
  auto inst = generate_set_cover(p, 3).value().instance;
  PipelineOptions o = opts("setcover");
  o.exact_max_samples = 40;
  auto r = run_pipeline(inst, o);
  check_yes(r);
  CHECK(r.info["source"]["status"] == "optimal");
  CHECK(r.info["trainers"].contains("exact"));  // 1 + 3·5 + 5 = 21 samples
  CHECK(r.report.to_json()["bounds"]["source_optimum"]["exact"] ==
        std::to_string(r.info["source"]["optimum"].get<long>()));
}

TEST_CASE("pipeline: dks with a planted 4-clique") {
  GnpParams gp;
  gp.vertices = 7;
  gp.p = 0.3;
  gp.plant = GraphPlant::kClique;
  gp.k = 4;
  auto g = generate_graph(gp, 5).value().graph;
  PipelineOptions o = opts("dks");
  o.kappa = 4;
  auto r = run_pipeline(g, o);
  check_yes(r);
  CHECK(r.info["source"]["edges_inside"] == 6);  // the clique is densest
}

TEST_CASE("pipeline: sat1, sat2, satk on a planted formula") {
  const Cnf f = planted_formula(11);
  for (const char* red : {"sat1", "sat2", "satk"}) {
    INFO(red);
    PipelineOptions o = opts(red);
    o.units = 2;
    auto r = run_pipeline(f, o);
    check_yes(r);
    CHECK(r.info["source"]["status"] == "sat (cadical, model checked)");
    CHECK(r.info["shape"]["units"] == (std::string(red) == "sat1" ? 1 : 2));
  }
}

TEST_CASE("pipeline: unsatisfiable sat1 case (x)(not x): UNSAT proved by enumeration, NO bounds held") {
  Cnf no;
  no.num_vars = 1;
  no.clauses = {{Lit(1)}, {Lit(-1)}};
  {
    // Without the proof, the NO bounds are not claimed as held.
    PipelineOptions o = opts("sat1");
    o.prove_unsat = false;
    auto r = run_pipeline(no, o);
    INFO(r.report.table());
    CHECK(r.info["source"]["status"] == "unsat (cadical, no proof)");
    CHECK(find(r.report, "lower-bound(gd)")->verdict == Verdict::kNotChecked);
  }
  auto r = run_pipeline(no, opts("sat1"));
  INFO(r.report.table());
  CHECK(r.info["source"]["status"] == "unsat (proved: enumeration)");
  CHECK(r.info["source"]["proof_seconds"].is_number());
  CHECK_FALSE(r.report.any_violated());
  CHECK(find(r.report, "completeness")->verdict == Verdict::kNotChecked);
  CHECK(find(r.report, "lower-bound(gd)")->verdict == Verdict::kHeld);  // a theorem now
  CHECK(find(r.report, "decode(certificate)") == nullptr);
  check_decodes(r, false);
  // the gd network decodes to a non-satisfying assignment, so its loss is >= N + R + 1/16
  CHECK(find(r.report, "recheck(gd)")->detail.find("lemma floor") != std::string::npos);
  CHECK(r.report.to_json()["bounds"]["source_optimum"]["exact"] == "0");
  CHECK(r.report.to_json()["bounds"]["loss_upper"].is_null());
  check_json(r);
}

TEST_CASE("pipeline: bad options are errors") {
  const Cnf f = planted_formula(1);
  CHECK_THROWS_AS(run_pipeline(f, opts("nope")), relugap::Failure);
  CHECK_THROWS_AS(run_pipeline(f, opts("dks")), relugap::Failure);  // a CNF is not a graph
  Graph g(4);
  PipelineOptions o = opts("dks");
  o.kappa = 5;
  CHECK_THROWS_AS(run_pipeline(g, o), relugap::Failure);
  o.kappa = 0;
  CHECK_THROWS_AS(run_pipeline(g, o), relugap::Failure);
}
