// `relugap info`: kinds and sizes in text and JSON, and error exits.
#include <doctest/doctest.h>

#include "instances/io/atomic_write.hpp"
#include "instances/io/io.hpp"
#include "tests/cli_run.hpp"

using namespace relugap;
using test::run_cli;

namespace {
const std::string kData = RELUGAP_DATA;
std::string q(const std::string& p) { return "'" + p + "'"; }

nlohmann::json info_json(const std::string& path) {
  auto r = run_cli("info --json " + q(path));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return nlohmann::json::parse(r.out);
}
}  // namespace

TEST_CASE("info on benchmark instances (text)") {
  auto r = run_cli("info " + q(kData + "/sat/uf20-01.cnf"));
  CHECK(r.exit_code == 0);
  CHECK(r.out == kData + "/sat/uf20-01.cnf: CNF, 20 variables, 91 clauses, 273 literals\n");
  r = run_cli("info " + q(kData + "/graph/raw/hamming6-2.txt"));
  CHECK(r.out == kData + "/graph/raw/hamming6-2.txt: graph, 64 vertices, 1824 edges\n");
  r = run_cli("info " + q(kData + "/setcover/scp51.txt"));
  CHECK(r.out == kData + "/setcover/scp51.txt: set cover, 200 elements, 2000 sets, 7995 nonzeros\n");
}

TEST_CASE("info --json on instances, training sets, networks and sidecars") {
  nlohmann::json j = info_json(kData + "/sat/uuf50-01.cnf");
  CHECK(j["kind"] == "cnf");
  CHECK(j["vars"] == 50);
  CHECK(j["clauses"] == 218);
  j = info_json(kData + "/graph/keller4.clq");
  CHECK(j["kind"] == "graph");
  CHECK(j["vertices"] == 171);
  CHECK(j["edges"] == 9435);
  j = info_json(kData + "/setcover/scp41.txt");
  CHECK(j["kind"] == "set_cover");
  CHECK(j["elements"] == 200);
  CHECK(j["sets"] == 1000);
  CHECK(j["nnz"] == 4009);

  test::TempDir dir;
  TrainingSet s(3);
  s.add({{0, 1.0}, {2, -2.0}}, 0.5, 4.0);
  s.add({{1, 3.0}}, 1.0, 1.0);
  write_training_set(dir.file("t.libsvm"), s, DataFormat::kLibsvm, make_sidecar());
  j = info_json(dir.file("t.libsvm"));
  CHECK(j["kind"] == "training_set");
  CHECK(j["format"] == "libsvm");
  CHECK(j["samples"] == 2);
  CHECK(j["dim"] == 3);
  CHECK(j["nnz"] == 3);
  CHECK(j["total_weight"] == 5.0);
  CHECK(j["sidecar"] == dir.file("t.libsvm.json"));
  j = info_json(dir.file("t.libsvm.json"));
  CHECK(j["kind"] == "sidecar");
  CHECK(j["samples"] == 2);
  CHECK(j["certificate_units"].is_null());

  write_network(dir.file("net.json"), Network(4, 3));
  j = info_json(dir.file("net.json"));
  CHECK(j["kind"] == "network");
  CHECK(j["units"] == 4);
  CHECK(j["dim"] == 3);
}

TEST_CASE("info errors: FILE:LINE: reason, exit code 1") {
  auto r = run_cli("info " + q(kData + "/sat/nonstandard/aim-50-1_6-no-1.cnf"));
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err == "relugap: error: " + kData +
                     "/sat/nonstandard/aim-50-1_6-no-1.cnf:11: malformed header 'p cnf 50 80 100': expected 'p cnf "
                     "VARIABLES CLAUSES' with exactly 2 numbers, found 3\n");
  r = run_cli("info /nonexistent/relugap.cnf");
  CHECK(r.exit_code == 1);
  CHECK(r.err.starts_with("relugap: error: /nonexistent/relugap.cnf: cannot open file"));
  test::TempDir dir;
  write_bytes_atomic(dir.file("mystery.bin"), "hello world\n");
  r = run_cli("info " + q(dir.file("mystery.bin")));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("mystery.bin: cannot tell what kind of file this is") != std::string::npos);
  r = run_cli("info");
  CHECK(r.exit_code == 2);  // a usage error
}

TEST_CASE("info on a generator's provenance sidecar") {
  test::TempDir dir;
  auto r = run_cli("gen setcover --elements 20 --sets 10 --plant-cover 4 --seed 7 -o " + q(dir.file("sc.txt")));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  nlohmann::json j = info_json(dir.file("sc.txt.json"));
  CHECK(j["kind"] == "provenance");
  CHECK(j["describes"] == "setcover");
  CHECK(j["data_file"] == dir.file("sc.txt"));
  CHECK(j["data_file_exists"] == true);
  CHECK(j["seed"] == 7);
  CHECK(j["params"]["elements"] == 20);
  CHECK(j["planted"] == "cover");
  r = run_cli("info " + q(dir.file("sc.txt.json")));
  CHECK(r.exit_code == 0);
  CHECK(r.out.starts_with(dir.file("sc.txt.json") + ": generator provenance of setcover " + dir.file("sc.txt") +
                          ", generator planted_set_cover, seed 7, planted cover, relugap "));

  r = run_cli("gen graph --vertices 10 --p 0.5 --seed 3 --format edges -o " + q(dir.file("g.edges")));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  std::filesystem::remove(dir.file("g.edges"));
  j = info_json(dir.file("g.edges.json"));
  CHECK(j["describes"] == "graph");
  CHECK(j["data_file_exists"] == false);
  CHECK(j["planted"].is_null());
  r = run_cli("info " + q(dir.file("g.edges.json")));
  CHECK(r.out.find("g.edges (missing), generator gnp, seed 3, planted none") != std::string::npos);
}
