// `relugap reduce dks`: output files, sidecar contents (exact bounds,
// certificate, honest status under a time limit, unit-ball figures) and
// clear errors without partial output.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "instances/core/rational.hpp"
#include "instances/io/io.hpp"
#include "instances/problems/loss.hpp"
#include "tests/cli_run.hpp"

using namespace relugap;
using relugap::test::run_cli;
using relugap::test::TempDir;

namespace {

std::string graph(const std::string& name) { return std::string(RELUGAP_DATA) + "/graph/" + name; }

nlohmann::json sidecar(const std::string& data_path) {
  return nlohmann::json::parse(relugap::test::slurp(data_path + ".json"));
}

Rational q(const nlohmann::json& j) { return parse_rational(j.get<std::string>()); }

}  // namespace

TEST_CASE("reduce dks --solve: proved optimum, exact bounds, certificate at the upper bound") {
  TempDir dir;
  const std::string out = dir.file("j.npy");
  auto r = run_cli("reduce dks '" + graph("johnson8-2-4.clq") + "' --kappa 5 --solve -o '" + out + "'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("optimal (branch and bound): 8 edges") != std::string::npos);
  auto j = sidecar(out);
  CHECK(j["source"]["problem"] == "dks");
  CHECK(j["source"]["sha256"].get<std::string>().size() == 64);
  CHECK(j["reduction"]["name"] == "dks");
  CHECK(j["reduction"]["params"]["kappa"] == 5);
  CHECK(j["reduction"]["params"]["exact_in_double"] == true);
  CHECK(j["bounds"]["source_status"] == "optimal (branch and bound)");
  CHECK(j["bounds"]["source_optimum"] == 8.0);
  const auto& ex = j["bounds"]["exact"];
  const Rational K = q(ex["K"]), sigma = q(ex["sigma"]);
  CHECK(q(ex["loss_upper"]) == K + 210 - 8);
  CHECK(q(ex["loss_lower"]) == K + 210 - 8 - sigma);
  CHECK(sigma <= Rational(1, 8));
  CHECK(q(j["reduction"]["params"]["W"]) == 211);
  // the certificate, evaluated exactly on the file as written, sits at the upper bound
  auto loaded = read_training_set(out);
  REQUIRE(loaded.ok());
  auto net = exact_network_from_json(j["certificate"], out + ".json");
  CHECK(exact_loss(to_exact(loaded.value().data), net) == K + 210 - 8);
}

TEST_CASE("reduce dks under a time limit: labelled a lower bound, loss bounds from the proved tau bound") {
  TempDir dir;
  const std::string out = dir.file("c.csv");
  auto r = run_cli("reduce dks '" + graph("C125.9.clq") + "' --kappa 40 --solve --time-limit 0.2 -o '" + out + "'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = sidecar(out);
  CHECK(j["format"] == "csv");
  CHECK(j["bounds"]["source_status"] == "lower bound (heuristic/time limit)");
  const auto& ex = j["bounds"]["exact"];
  const Rational found = q(ex["tau_found"]), ub = q(ex["tau_upper_bound"]);
  CHECK(found < ub);
  const Rational K = q(ex["K"]), sigma = q(ex["sigma"]), m = 6963;
  CHECK(q(ex["loss_upper"]) == K + m - found);       // achieved by the certificate
  CHECK(q(ex["loss_lower"]) == K + m - ub - sigma);  // sound whatever tau is
  CHECK(j["reduction"]["params"]["solver"]["status"] == "feasible");
  CHECK(j["certificate"].is_object());  // written exactly, as "p/q" strings
}

TEST_CASE("reduce dks --unit-ball: exact unit-ball file and its figures") {
  TempDir dir;
  const std::string out = dir.file("u.libsvm");
  auto r = run_cli("reduce dks '" + graph("johnson8-2-4.clq") + "' --kappa 4 --solve --unit-ball -o '" + out + "'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = sidecar(out);
  REQUIRE(j.contains("unit_ball"));
  const auto& u = j["unit_ball"];
  for (const char* key : {"X", "Y", "B", "sum_abs_a", "epsilon", "m"}) CHECK(u.contains(key));
  CHECK(u["m"] == 1 + 2 * 28 + 1 + 210);
  CHECK(u["B"].get<double>() == doctest::Approx(std::sqrt(29.0)));
  CHECK(u["sum_abs_a"] == 1.0);
  const Rational sigma = q(j["bounds"]["exact"]["sigma"]), Y = q(u["exact"]["Y"]);
  CHECK(q(u["exact"]["epsilon"]) == (1 - sigma) / (Rational(268) * Y * Y));
  CHECK(j["reduction"]["params"]["exact_in_double"] == true);
  auto loaded = read_training_set(out);
  REQUIRE(loaded.ok());
  const auto data = to_exact(loaded.value().data);
  Rational max_x = 0, max_y = 0;
  for (std::size_t i = 0; i < data.samples(); ++i) {
    Rational n2 = 0;
    for (const auto& x : data.row_vals(SampleId(static_cast<std::uint32_t>(i)))) n2 += x * x;
    max_x = std::max(max_x, n2);
    max_y = std::max(max_y, Rational(data.y[i] * data.y[i]));
    CHECK(data.c[i] == 1);
  }
  CHECK(max_x == 1);
  CHECK(max_y == 1);
  auto net = exact_network_from_json(j["certificate"], out + ".json");
  CHECK(exact_loss(data, net) == q(j["bounds"]["exact"]["loss_upper"]));
}

TEST_CASE("reduce dks --unweighted: unit weights, same certificate loss") {
  TempDir dir;
  const std::string out = dir.file("w.npy");
  auto r = run_cli("reduce dks '" + graph("johnson8-2-4.clq") + "' --kappa 6 --solve --unweighted -o '" + out + "'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = sidecar(out);
  const Rational W = q(j["reduction"]["params"]["W"]);
  CHECK(W == 225);  // smallest square >= |E| + 1 = 211
  auto loaded = read_training_set(out);
  REQUIRE(loaded.ok());
  const auto data = to_exact(loaded.value().data);
  for (const auto& c : data.c) CHECK(c == 1);
  auto net = exact_network_from_json(j["certificate"], out + ".json");
  CHECK(exact_loss(data, net) == q(j["bounds"]["exact"]["loss_upper"]));
}

TEST_CASE("reduce dks errors: kappa out of range, missing file; nothing written") {
  TempDir dir;
  const std::string out = dir.file("bad.npy");
  for (const std::string k : {"0", "29"}) {
    auto r = run_cli("reduce dks '" + graph("johnson8-2-4.clq") + "' --kappa " + k + " -o '" + out + "'");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("kappa") != std::string::npos);
    CHECK(r.err.find("n = 28") != std::string::npos);
  }
  auto r = run_cli("reduce dks '" + dir.file("missing.clq") + "' --kappa 2 -o '" + out + "'");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("missing.clq") != std::string::npos);
  auto r2 = run_cli("reduce dks '" + graph("johnson8-2-4.clq") + "' -o '" + out + "'");  // no --kappa
  CHECK(r2.exit_code == 2);  // a usage error: --kappa is required
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK_FALSE(std::filesystem::exists(out + ".json"));
}
