// `relugap reduce sat1 | sat2 | satk`: files, sidecars, exact certificates, errors.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_run.hpp"
#include "instances/io/io.hpp"
#include "instances/problems/loss.hpp"
#include "reductions/sat/sat2_robust.hpp"
#include "reductions/sat/sat_to_relu.hpp"

using namespace relugap;
using namespace relugap::test;
using nlohmann::json;

namespace {
std::string data(const std::string& name) { return std::string(RELUGAP_DATA) + "/sat/" + name; }
std::string q(const std::string& s) { return "'" + s + "'"; }
json sidecar(const std::string& out) { return json::parse(slurp(out + ".json")); }
Cnf load(const std::string& path) {
  auto r = read_cnf(path);
  REQUIRE(r.ok());
  return r.value();
}
}  // namespace

TEST_CASE("reduce sat2 --solve on uf20-01: certificate with exact loss 0, sidecar provenance") {
  TempDir t;
  const std::string out = t.file("uf20-01.npy");
  auto r = run_cli("reduce sat2 " + q(data("uf20-01.cnf")) + " -o " + q(out) + " --solve");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("sat (cadical, model checked)") != std::string::npos);
  json j = sidecar(out);
  CHECK(j["source"]["problem"] == "3sat");
  CHECK(j["source"]["sha256"].get<std::string>().size() == 64);
  CHECK(j["reduction"]["name"] == "sat2");
  CHECK(j["reduction"]["params"]["units"] == 2);
  CHECK(j["reduction"]["params"]["formulas"]["source"]["clauses"] == 91);
  CHECK(j["reduction"]["params"]["formulas"]["one_in_three"]["clauses"] == 273);
  CHECK(j["reduction"]["params"]["tau"] == "1/20");
  CHECK(j["bounds"]["source_optimum"] == 1.0);
  CHECK(j["bounds"]["source_status"] == "sat (cadical, model checked)");
  CHECK(j["bounds"]["exact"]["loss_upper"] == "0");
  CHECK(j["bounds"]["exact"]["certificate_loss"] == "0");
  CHECK(!j["relugap_version"].get<std::string>().empty());
  REQUIRE(!j["certificate"].is_null());
  // the certificate, read back exactly, fits the exactly rebuilt set with loss 0 and decodes to a solution
  ExactNetwork cert = exact_network_from_json(j["certificate"], out + ".json");
  const Cnf f = load(data("uf20-01.cnf"));
  Sat2Reduction red(f);
  CHECK(exact_loss(red.data(), cert) == 0);
  CHECK(f.satisfied_by(red.decode(cert)));
  // the written file has the reduction's shape
  auto loaded = read_training_set(out);
  REQUIRE(loaded.ok());
  CHECK(loaded.value().data.samples() == red.data().samples());
  CHECK(loaded.value().data.dim == red.data().dim);
  CHECK(loss(loaded.value().data, to_double(cert)) < 1e-20);
}

TEST_CASE("reduce satk --units 3 --solve, unweighted csv, unit ball") {
  TempDir t;
  const std::string out = t.file("k3.csv");
  auto r = run_cli("reduce satk " + q(data("uf20-02.cnf")) + " --units 3 -o " + q(out) +
                   " --solve --unweighted --unit-ball");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = sidecar(out);
  CHECK(j["format"] == "csv");
  CHECK(j["reduction"]["params"]["K"] == 3);
  CHECK(j["reduction"]["params"]["Q"] == 10);
  CHECK(j["reduction"]["params"]["exact_in_double"] == false);  // t = i + 1/5
  CHECK(j["bounds"]["exact"]["certificate_loss"] == "0");
  CHECK(j["unit_ball"]["epsilon"].is_null());  // no robust bound for satk
  CHECK(j["unit_ball"]["B_source"] == "certificate");
  CHECK(j["unit_ball"]["sum_abs_a"] == 3.0);
  const Cnf f = load(data("uf20-02.cnf"));
  SatKReduction red(f, 3);
  ExactNetwork cert = exact_network_from_json(j["certificate"], out);
  CHECK(exact_loss(red.data(), cert) == 0);
  CHECK(f.satisfied_by(red.decode(cert)));
  auto loaded = read_training_set(out);
  REQUIRE(loaded.ok());
  for (double c : loaded.value().data.c) CHECK(c == 1.0);
}

TEST_CASE("reduce sat1 --solve on an UNSAT instance: lower bound N+R+1/16, no certificate") {
  TempDir t;
  const std::string out = t.file("uuf.libsvm");
  auto r = run_cli("reduce sat1 " + q(data("uuf50-01.cnf")) + " -o " + q(out) + " --solve --unit-ball");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = sidecar(out);
  CHECK(j["format"] == "libsvm");
  CHECK(j["bounds"]["source_optimum"] == 0.0);
  CHECK(j["bounds"]["source_status"] == "unsat (proved: DRAT checked)");
  CHECK(j["certificate"].is_null());
  const Cnf f = load(data("uuf50-01.cnf"));
  Sat1Reduction red(f);
  CHECK(j["bounds"]["exact"]["loss_lower"] == to_string(red.no_threshold()));
  CHECK(j["bounds"]["loss_upper"].is_null());
  CHECK(j["reduction"]["params"]["R"] == red.R().get_str());
  // ε = (1/16)/(m·Y²) with Y = √R (folded anchor label)
  const auto m = static_cast<double>(red.data().samples());
  CHECK(j["unit_ball"]["epsilon"].get<double>() == doctest::Approx(1.0 / (16.0 * m * red.R().get_d())).epsilon(1e-12));
  CHECK(j["unit_ball"]["B_source"] != "certificate");
}

TEST_CASE("reduce without --solve: no bounds, no certificate; --anchor-weight") {
  TempDir t;
  const std::string out = t.file("a.npy");
  auto r = run_cli("reduce sat1 " + q(data("uf20-03.cnf")) + " -o " + q(out) + " --anchor-weight 4");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = sidecar(out);
  CHECK(j["bounds"]["source_optimum"].is_null());
  CHECK(j["bounds"]["source_status"].is_null());
  CHECK(j["certificate"].is_null());
  CHECK(j["reduction"]["params"]["R"] == "4");
  CHECK(j["bounds"]["exact"]["R"] == "4");
}

TEST_CASE("reduce sat: bad input and bad options fail cleanly without output") {
  TempDir t;
  const std::string out = t.file("bad.npy");
  auto r = run_cli("reduce sat1 " + q(std::string(RELUGAP_TEST_DATA) + "/malformed/cnf/literal_range.cnf") + " -o " +
                   q(out));
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("literal_range.cnf:3:") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK_FALSE(std::filesystem::exists(out + ".json"));

  auto u = run_cli("reduce satk " + q(data("uf20-01.cnf")) + " --units 1 -o " + q(out));
  CHECK(u.exit_code != 0);
  CHECK(u.err.find("--units") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out));

  auto a = run_cli("reduce sat2 " + q(data("uf20-01.cnf")) + " --anchor-weight 5 -o " + q(out));
  CHECK(a.exit_code != 0);
  CHECK(a.err.find("perfect square") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out));

  auto f = run_cli("reduce sat2 " + q(data("uf20-01.cnf")) + " --format xml -o " + q(out));
  CHECK(f.exit_code != 0);
  CHECK_FALSE(std::filesystem::exists(out));

  auto missing = run_cli("reduce sat2 " + q(t.file("nope.cnf")) + " -o " + q(out));
  CHECK(missing.exit_code != 0);
  CHECK(missing.err.find("nope.cnf") != std::string::npos);
}

TEST_CASE("reduce sat2 --robust: V_min by enumeration and the robust NO bound reach the sidecar") {
  TempDir t;
  // (x1 v x2)(x1 v -x2)(-x1 v x2)(-x1 v -x2) is unsatisfiable; without its last clause it is satisfiable.
  const std::string unsat = t.file("unsat.cnf"), sat = t.file("sat.cnf");
  std::ofstream(unsat) << "p cnf 2 4\n1 2 0\n1 -2 0\n-1 2 0\n-1 -2 0\n";
  std::ofstream(sat) << "p cnf 2 3\n1 2 0\n1 -2 0\n-1 2 0\n";
  for (const std::string& path : {unsat, sat}) {
    CAPTURE(path);
    const Cnf f = load(path);
    const Sat2Reduction red(f);
    REQUIRE(red.N() <= 22);
    const std::size_t vmin = min_violated_bruteforce(red.chain().target());
    CHECK((path == unsat ? vmin >= 1 : vmin == 0));  // the chain preserves satisfiability
    const std::string out = path + ".npy";
    auto r = run_cli("reduce sat2 " + q(path) + " -o " + q(out) + " --robust");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json rb = sidecar(out)["robust"];
    CHECK(rb["min_violated"] == vmin);
    CHECK(rb["total_loss_lower"] == to_string(sat2_robust_lower_bound(red, vmin)));
    CHECK(rb["max_occurrence"] == max_occurrence(red.chain().target()));
    if (path == unsat) {
      CHECK(sat2_robust_lower_bound(red, vmin) > 0);
      CHECK(rb["epsilon"].get<double>() > 0);
    } else {
      CHECK(sat2_robust_lower_bound(red, vmin) == 0);
    }
  }
  // Too many target variables to enumerate: a clear error, nothing written.
  const std::string out = t.file("big.npy");
  auto r = run_cli("reduce sat2 " + q(data("uf20-01.cnf")) + " -o " + q(out) + " --robust");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("--robust-max-vars") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("reduce sat1 --solve stopped by its time limit states the bounds that hold whatever tau is") {
  // Random 3SAT at the threshold ratio, 600 variables: CaDiCaL does not decide it in 0.2 s.
  TempDir t;
  const std::string cnf = t.file("hard.cnf"), out = t.file("hard.libsvm");
  REQUIRE(run_cli("gen 3sat --vars 600 --clauses 2556 --seed 3 -o " + q(cnf)).exit_code == 0);
  auto r = run_cli("reduce sat1 " + q(cnf) + " -o " + q(out) + " --solve --time-limit 0.2");
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const json j = sidecar(out);
  const std::string status = j["bounds"]["source_status"];
  REQUIRE(status.find("limit reached") != std::string::npos);
  CHECK(status.find("tau unknown: trivial loss bounds") != std::string::npos);
  CHECK(r.out.find("trivial loss bounds") != std::string::npos);
  CHECK(j["bounds"]["source_optimum"].is_null());
  // Lower: the YES loss N + R (below the NO threshold); upper: the zero network's loss.
  const Cnf f = load(cnf);
  Sat1Reduction red(f);
  CHECK(j["bounds"]["exact"]["loss_lower"] == to_string(red.yes_loss()));
  CHECK(j["bounds"]["exact"]["loss_upper"] == to_string(exact_loss(red.data(), ExactNetwork(1, red.data().dim))));
  CHECK(j["certificate"].is_null());
}
