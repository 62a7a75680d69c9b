// `relugap verify SOURCE --reduction R`: readable table, --json, exit codes, errors.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "instances/gen/generators.hpp"
#include "instances/io/io.hpp"
#include "tests/cli_run.hpp"

using namespace relugap;
using namespace relugap::test;
using nlohmann::json;

namespace {

std::string q(const std::string& s) { return "'" + s + "'"; }
const std::string kFast = " --time-limit 1 --source-time-limit 10 --starts 2 --seed 3";

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

/// A planted 3SAT formula (4 variables, 4 clauses) written as DIMACS CNF.
std::string planted_cnf(const TempDir& t) {
  Sat3Params p;
  p.vars = 4;
  p.clauses = 4;
  p.planted = true;
  const std::string path = t.file("planted.cnf");
  write_cnf(path, generate_3sat(p, 2).value().formula);
  return path;
}

/// A set cover (5 elements, 5 sets, planted cover of 2) in OR-Library format.
std::string tiny_set_cover(const TempDir& t) {
  SetCoverGenParams sp;
  sp.elements = 5;
  sp.sets = 5;
  sp.plant_cover = 2;
  const std::string path = t.file("tiny.scp");
  write_set_cover(path, generate_set_cover(sp, 4).value().instance);
  return path;
}

bool has(const std::string& s, const std::string& what) { return s.find(what) != std::string::npos; }

/// Every check of a --json report; none violated.
void check_report_json(const json& j, const std::string& red) {
  REQUIRE(j.contains("report"));
  REQUIRE(j.contains("info"));
  const json& rep = j["report"];
  CHECK(rep["reduction"] == red);
  CHECK(rep["summary"]["violated"] == 0);
  CHECK(rep["summary"]["held"].get<int>() > 0);
  bool completeness = false, recheck = false;
  for (const auto& c : rep["checks"]) {
    CHECK(c["verdict"] != "violated");
    if (c["name"] == "completeness") completeness = c["verdict"] == "held";
    if (c["name"] == "recheck(gd)") recheck = c["verdict"] == "held";
  }
  CHECK(completeness);
  CHECK(recheck);
  CHECK(rep["bounds"]["loss_upper"]["exact"].is_string());
  CHECK(j["info"]["reduction"] == red);
  CHECK(j["info"]["seed"] == 3);
  CHECK(!j["info"]["relugap_version"].get<std::string>().empty());
}

}  // namespace

TEST_CASE("verify a CNF with sat1: readable table, exit 0") {
  TempDir t;
  const std::string cnf = planted_cnf(t);
  auto r = run_cli("verify " + q(cnf) + " --reduction sat1" + kFast);
  INFO(r.err);
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CHECK(has(r.out, "via sat1"));
  CHECK(has(r.out, "sat (cadical, model checked)"));
  for (const char* col : {"check", "verdict", "detail"}) CHECK(has(r.out, col));
  for (const char* name :
       {"completeness", "decode(certificate)", "recheck(certificate)", "decode(gd)", "recheck(gd)", "lower-bound(gd)"})
    CHECK(has(r.out, name));
  CHECK(has(r.out, "held"));
  CHECK_FALSE(has(r.out, "violated "));
  CHECK(r.err.empty());
}

TEST_CASE("verify --json parses, for every reduction") {
  TempDir t;
  const std::string cnf = planted_cnf(t);
  for (const char* red : {"sat1", "sat2", "satk"}) {
    INFO(red);
    auto r = run_cli("verify " + q(cnf) + " -r " + red + " --units 2 --json" + kFast);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    json j = json::parse(r.out);
    check_report_json(j, red);
  }
  // set cover (OR-Library format) with a planted cover
  const std::string sc = tiny_set_cover(t);
  auto r = run_cli("verify " + q(sc) + " --reduction setcover --json" + kFast);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  check_report_json(j, "setcover");
  CHECK(j["info"]["source"]["status"] == "optimal");
  // a DIMACS graph with a planted 3-clique, kappa 3
  GnpParams gp;
  gp.vertices = 6;
  gp.p = 0.3;
  gp.plant = GraphPlant::kClique;
  gp.k = 3;
  const std::string g = t.file("tiny.clq");
  write_dimacs_graph(g, generate_graph(gp, 4).value().graph);
  r = run_cli("verify " + q(g) + " --reduction dks --kappa 3 --json" + kFast);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  j = json::parse(r.out);
  check_report_json(j, "dks");
  CHECK(j["report"]["bounds"]["source_optimum"]["exact"] == "3");
}

TEST_CASE("verify: an unsatisfiable CNF is not a violation") {
  TempDir t;
  const std::string cnf = t.file("no.cnf");
  write_text(cnf, "p cnf 1 2\n1 0\n-1 0\n");
  auto r = run_cli("verify " + q(cnf) + " --reduction sat1 --json" + kFast);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  CHECK(j["report"]["summary"]["violated"] == 0);
  CHECK(j["info"]["source_status"] == "unsat (proved: enumeration)");
}

TEST_CASE("verify: errors are clear, non-zero, and print no report") {
  TempDir t;
  SUBCASE("missing file") {
    auto r = run_cli("verify " + q(t.file("nope.cnf")) + " --reduction sat1");
    CHECK(r.exit_code == 1);
    CHECK(has(r.err, "nope.cnf"));
    CHECK(r.out.empty());
  }
  SUBCASE("unknown reduction name") {
    const std::string cnf = planted_cnf(t);
    auto r = run_cli("verify " + q(cnf) + " --reduction sat9");
    CHECK(r.exit_code != 0);
    CHECK(has(r.err, "sat9"));
    CHECK(has(r.err, "setcover, dks, sat1, sat2, satk"));
    CHECK(r.out.empty());
  }
  SUBCASE("no --reduction") {
    const std::string cnf = planted_cnf(t);
    auto r = run_cli("verify " + q(cnf));
    CHECK(r.exit_code != 0);
    CHECK(has(r.err, "--reduction"));
  }
  SUBCASE("no source") {
    auto r = run_cli("verify --reduction sat1");
    CHECK(r.exit_code != 0);
    CHECK(has(r.err, "SOURCE"));
  }
  SUBCASE("malformed CNF names FILE:LINE") {
    const std::string cnf = t.file("bad.cnf");
    write_text(cnf, "p cnf 3 2\n1 2 3 0\n1 x 0\n");
    auto r = run_cli("verify " + q(cnf) + " --reduction sat2");
    CHECK(r.exit_code == 1);
    INFO(r.err);
    CHECK(has(r.err, cnf + ":3:"));
    CHECK(r.out.empty());
  }
  SUBCASE("malformed set cover names FILE:LINE") {
    const std::string sc = t.file("bad.scp");
    write_text(sc, "2 2\n1 1\n1 1\n1 7\n");
    auto r = run_cli("verify " + q(sc) + " --reduction setcover");
    CHECK(r.exit_code == 1);
    INFO(r.err);
    CHECK(has(r.err, sc + ":4:"));
    CHECK(r.out.empty());
  }
  SUBCASE("a CNF given to dks is a parse error of the graph file") {
    const std::string cnf = planted_cnf(t);
    auto r = run_cli("verify " + q(cnf) + " --reduction dks --kappa 2");
    CHECK(r.exit_code == 1);
    INFO(r.err);
    CHECK(has(r.err, cnf + ":"));
    CHECK(r.out.empty());
  }
  SUBCASE("dks kappa out of range") {
    const std::string g = t.file("g.clq");
    write_text(g, "p edge 3 1\ne 1 2\n");
    auto r = run_cli("verify " + q(g) + " --reduction dks --kappa 9");
    CHECK(r.exit_code == 1);
    CHECK(has(r.err, "kappa"));
    CHECK(r.out.empty());
  }
}

TEST_CASE("verify --net-budget runs the net learner and checks its network") {
  TempDir t;
  const std::string sc = tiny_set_cover(t);
  auto r = run_cli("verify " + q(sc) + " --reduction setcover --net-budget 2,0.3 --exact-max-samples 0 --json" + kFast);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  check_report_json(j, "setcover");
  CHECK(j["info"]["trainers"]["net"]["status"] == "feasible");
  CHECK(j["info"]["trainers"]["net"]["loss"].get<double>() > 0);
  int net_checks = 0;
  for (const auto& c : j["report"]["checks"])
    if (c["name"] == "decode(net)" || c["name"] == "recheck(net)" || c["name"] == "lower-bound(net)")
      net_checks += c["verdict"] == "held";
  CHECK(net_checks == 3);

  // Without a budget net runs with one fitted to --net-time-limit, and its guarantee is checked.
  r = run_cli("verify " + q(sc) + " --reduction setcover --exact-max-samples 0 --net-time-limit 0.3 --json" + kFast);
  REQUIRE(r.exit_code == 0);
  j = json::parse(r.out);
  CHECK(j["info"]["trainers"]["net"]["budget"]["fitted"] == true);
  bool guarantee = false;
  for (const auto& c : j["report"]["checks"])
    if (c["name"] == "guarantee(net)") guarantee = c["verdict"] == "held" && has(c["detail"], "OPT_class");
  CHECK(guarantee);
  // --no-net: listed as not run.
  r = run_cli("verify " + q(sc) + " --reduction setcover --exact-max-samples 0 --no-net --json" + kFast);
  REQUIRE(r.exit_code == 0);
  j = json::parse(r.out);
  bool listed = false;
  for (const auto& c : j["report"]["checks"])
    if (c["name"] == "trainer(net)") listed = c["verdict"] == "not checked" && has(c["detail"], "--no-net");
  CHECK(listed);

  // A budget beyond the candidate cap: reported, not a crash and not a violation.
  r = run_cli("verify " + q(sc) + " --reduction setcover --net-budget 6,0.001 --exact-max-samples 0 --json" + kFast);
  REQUIRE(r.exit_code == 0);
  j = json::parse(r.out);
  CHECK(j["info"]["trainers"]["net"]["status"] == "refused");

  r = run_cli("verify " + q(sc) + " --reduction setcover --net-budget 2");
  CHECK(r.exit_code == 1);
  CHECK(has(r.err, "--net-budget: expects r,eta"));
}
