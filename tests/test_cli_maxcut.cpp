// `relugap gen maxcut`, `relugap reduce maxcut` and `relugap epsilon-scaling` end to end:
// files, sidecar contents (bounds, exact certificate, unit_ball block), bad input.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "instances/io/io.hpp"
#include "instances/problems/lin2.hpp"
#include "instances/problems/loss.hpp"

using namespace relugap;
using relugap::test::run_cli;
using relugap::test::slurp;
using relugap::test::TempDir;

TEST_CASE("gen maxcut + reduce maxcut --solve: exact optimum, certificate within the stated bound") {
  TempDir dir;
  const auto inst = dir.file("yes.lin2"), out = dir.file("yes.npy");
  auto g = run_cli("gen maxcut --vertices 16 --degree 9 --planted --c 0.9 --seed 5 -o " + inst);
  REQUIRE(g.exit_code == 0);
  CHECK(g.out.find("planted assignment satisfies") != std::string::npos);
  auto parsed = read_lin2(inst);
  REQUIRE(parsed.ok());
  CHECK(parsed.value().cons.size() == 72);
  // same seed, same bytes
  auto g2 = run_cli("gen maxcut --vertices 16 --degree 9 --planted --c 0.9 --seed 5 -o " + dir.file("again.lin2"));
  REQUIRE(g2.exit_code == 0);
  CHECK(slurp(inst) == slurp(dir.file("again.lin2")));

  auto r = run_cli("reduce maxcut " + inst + " -o " + out + " --solve --c 0.9 --s 0.75");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("optimal (gray-code enumeration)") != std::string::npos);
  auto j = nlohmann::json::parse(slurp(out + ".json"));
  CHECK(j["reduction"]["name"] == "maxcut");
  CHECK(j["reduction"]["params"]["D"] == 9);
  CHECK(j["shape"]["samples"] == 32);
  CHECK(j["shape"]["dim"] == 72);
  const Rational lower = parse_rational(j["bounds"]["exact"]["loss_lower"].get<std::string>());
  const Rational upper = parse_rational(j["bounds"]["exact"]["loss_upper"].get<std::string>());
  const Rational cert = parse_rational(j["bounds"]["exact"]["certificate_loss"].get<std::string>());
  CHECK(lower <= upper);
  CHECK(cert <= upper);
  CHECK(parse_rational(j["bounds"]["exact"]["certificate_norm2"].get<std::string>()) <= 1);
  const auto& ub = j["unit_ball"];
  CHECK(ub["m"] == 32);
  CHECK(ub["d"] == 72);
  CHECK(ub["n"] == 16);
  CHECK(ub["B"] == 1.0);
  REQUIRE(ub["epsilon"].is_number());
  CHECK(parse_rational(ub["exact"]["epsilon"].get<std::string>()) ==
        parse_rational(ub["exact"]["no_lower"].get<std::string>()) -
            parse_rational(ub["exact"]["yes_upper"].get<std::string>()));
  // the exact certificate in the sidecar reaches the recorded loss on the exact set: the file
  // holds doubles of ±1/3, so compare the double evaluation loosely and the exact value exactly.
  auto net = read_network(out + ".json");
  REQUIRE(net.ok());
  auto data = read_training_set(out);
  REQUIRE(data.ok());
  CHECK(loss(data.value().data, to_double(net.value())) == doctest::Approx(cert.get_d()).epsilon(1e-9));
}

TEST_CASE("reduce maxcut on a DIMACS graph (Max-Cut) and without --solve") {
  TempDir dir;
  const auto g = dir.file("g.col");
  REQUIRE(run_cli("gen maxcut --vertices 12 --degree 4 --random --cut --seed 2 -o " + g).exit_code == 0);
  auto r = run_cli("reduce maxcut " + g + " -o " + dir.file("g.csv"));
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(slurp(dir.file("g.csv.json")));
  CHECK(j["source"]["problem"] == "maxcut");
  CHECK(j["bounds"]["loss_lower"].is_null());
  CHECK(j["certificate"].is_null());
  CHECK(j["reduction"]["params"]["exact_in_double"] == true);  // D = 4, entries ±1/2
}

TEST_CASE("reduce/gen maxcut: bad input gives FILE:LINE messages, exit 1, no output") {
  TempDir dir;
  const auto bad = dir.file("bad.lin2");
  {
    std::ofstream f(bad);
    f << "c x\np lin2 3 2\ne 1 2 1\ne 2 3 7\n";
  }
  auto r = run_cli("reduce maxcut " + bad + " -o " + dir.file("o.npy"));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(bad + ":4: sign '7' must be 1 or -1") != std::string::npos);
  CHECK(!std::filesystem::exists(dir.file("o.npy")));
  CHECK(!std::filesystem::exists(dir.file("o.npy.json")));
  auto c = run_cli("reduce maxcut " + bad + " -o " + dir.file("o.npy") + " --c 1.5");
  CHECK(c.exit_code == 1);
  CHECK(c.err.find("--c must be in [0, 1]") != std::string::npos);
  auto g = run_cli("gen maxcut --vertices 5 --degree 3 --random --seed 1 -o " + dir.file("x.lin2"));
  CHECK(g.exit_code == 1);
  CHECK(g.err.find("must be even") != std::string::npos);
  auto both = run_cli("gen maxcut --vertices 6 --degree 3 --random --planted --seed 1 -o " + dir.file("x.lin2"));
  CHECK(both.exit_code == 1);
}

TEST_CASE("epsilon-scaling writes CSV, summary, metadata and the gnuplot script") {
  TempDir dir;
  auto r = run_cli("epsilon-scaling --sizes 16,32 --seeds 2 --no-train --no-plot -o " + dir.file("eps"));
  REQUIRE(r.exit_code == 0);
  const std::string csv = slurp(dir.file("eps/eps_scaling.csv"));
  CHECK(csv.rfind("n,D,M,seed_index", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);  // header + 2 sizes x 2 seeds
  CHECK(csv.find(",exact,") != std::string::npos);       // n = 16: SAT*(NO) by enumeration
  CHECK(csv.find(",eigenvalue bound,") != std::string::npos);
  auto meta = nlohmann::json::parse(slurp(dir.file("eps/eps_scaling.json")));
  CHECK(meta["sizes"].size() == 2);
  CHECK(std::filesystem::exists(dir.file("eps/eps_scaling.gp")));
  CHECK(std::filesystem::exists(dir.file("eps/eps_summary.csv")));
  auto bad = run_cli("epsilon-scaling --sizes 16,x -o " + dir.file("e2"));
  CHECK(bad.exit_code == 1);
}

TEST_CASE("reduce maxcut on a CNF: the 3SAT chain, satisfiable and unsatisfiable") {
  TempDir dir;
  const auto sat = dir.file("s.cnf"), unsat = dir.file("u.cnf");
  {
    std::ofstream f(sat);
    f << "p cnf 4 3\n1 2 3 0\n-1 -2 4 0\n2 -3 -4 0\n";
    std::ofstream g(unsat);
    g << "p cnf 2 4\n1 2 0\n-1 2 0\n1 -2 0\n-1 -2 0\n";
  }
  auto r = run_cli("reduce maxcut " + sat + " -o " + dir.file("s.npy") + " --solve");
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(slurp(dir.file("s.npy.json")));
  CHECK(j["source"]["problem"] == "3sat");
  const auto& chain = j["reduction"]["params"]["chain"];
  const std::uint64_t off = chain["offset"], M3 = chain["cnf3_clauses"];
  CHECK(j["bounds"]["source_optimum"] == static_cast<double>(off + 2 * M3));
  CHECK(parse_rational(j["bounds"]["exact"]["certificate_loss"].get<std::string>()) <=
        parse_rational(j["bounds"]["exact"]["loss_upper"].get<std::string>()));
  CHECK(j["unit_ball"]["params"]["promise"].is_string());
  auto u = run_cli("reduce maxcut " + unsat + " -o " + dir.file("u.npy") + " --solve");
  REQUIRE(u.exit_code == 0);
  auto ju = nlohmann::json::parse(slurp(dir.file("u.npy.json")));
  const std::uint64_t offu = ju["reduction"]["params"]["chain"]["offset"];
  const std::uint64_t M3u = ju["reduction"]["params"]["chain"]["cnf3_clauses"];
  CHECK(ju["reduction"]["params"]["solver"]["sat_upper"] == offu + 2 * (M3u - 1));
  CHECK(ju["bounds"]["loss_lower"].is_number());
}

namespace {
/// FNV-1a over a file's lines that are not comments ('c ...': version and provenance).
std::uint64_t data_hash(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    const std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    if (line.starts_with("c")) continue;
    for (char ch : line) h = (h ^ static_cast<unsigned char>(ch)) * 0x100000001b3ull;
    h = (h ^ static_cast<unsigned char>('\n')) * 0x100000001b3ull;
  }
  return h;
}
}  // namespace

TEST_CASE("gen maxcut: the same seed gives the same bytes as before the flat edge set (golden hashes)") {
  // Hashes of the files written by the generator with a std::unordered_set of edges (main
  // before issue 20's generator work): the flat set and the one-step graph build must not
  // change the stream of draws or the output.
  test::TempDir t;
  REQUIRE(
      run_cli("gen maxcut --vertices 3000 --degree 5 --random --cut --seed 11 -o " + t.file("m1.dimacs")).exit_code ==
      0);
  REQUIRE(
      run_cli("gen maxcut --vertices 3000 --degree 3 --planted --c 0.9 --seed 11 -o " + t.file("m2.lin2")).exit_code ==
      0);
  CHECK(data_hash(slurp(t.file("m1.dimacs"))) == 0x5ba58c92e3373478ull);
  CHECK(data_hash(slurp(t.file("m2.lin2"))) == 0x4b75fc54ff777388ull);
}
