// `relugap gen`: golden bytes through the real binary, seed recording,
// certificates read back from the files, errors without output.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "instances/io/io.hpp"
#include "relugap_version.hpp"
#include "tests/cli_run.hpp"
#include "tests/golden_gen.hpp"

using namespace relugap;
using relugap::test::CliResult;
using relugap::test::run_cli;
using relugap::test::slurp;
using relugap::test::TempDir;

namespace {

/// Runs `relugap gen ARGS -o OUT` and requires success.
void gen_ok(const std::string& args, const std::string& out) {
  const CliResult r = run_cli("gen " + args + " -o '" + out + "'");
  REQUIRE_MESSAGE(r.exit_code == 0, "relugap gen " << args << "\nstdout: " << r.out << "\nstderr: " << r.err);
}

/// The words after "c PREFIX" on the comment line starting with it.
std::vector<std::string> comment_words(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("c " + prefix + " ", 0) == 0) {
      std::istringstream w(line.substr(prefix.size() + 3));
      std::vector<std::string> out;
      for (std::string s; w >> s;) out.push_back(s);
      return out;
    }
  return {};
}

}  // namespace

TEST_CASE("gen: golden bytes through the command line (same parameters as test_generators)") {
  TempDir d;
  struct Case {
    std::string args, golden;
  };
  const Case cases[] = {
      {"3sat --vars 12 --clauses 40 --seed 7", "3sat_random.cnf"},
      {"3sat --vars 12 --clauses 40 --planted --seed 7", "3sat_planted.cnf"},
      {"graph --vertices 12 --p 0.3 --seed 7", "gnp.clq"},
      {"graph --vertices 12 --p 0.3 --plant-clique 5 --seed 7", "gnp_clique.clq"},
      {"graph --vertices 12 --p 0.2 --plant-dense 5 --q 0.8 --seed 7", "gnp_dense.clq"},
      {"graph --vertices 12 --p 0.3 --seed 7 --format edges", "gnp.edges"},
      {"setcover --elements 10 --sets 8 --seed 7", "setcover_random.txt"},
      {"setcover --elements 10 --sets 8 --plant-cover 3 --max-cost 5 --seed 7", "setcover_planted.txt"},
      {"setcover --elements 10 --sets 8 --p 0.3 --sampler table --seed 7", "setcover_table.txt"},
      // The samplers of earlier versions: their files stay reproducible byte for byte.
      {"graph --vertices 12 --p 0.3 --sampler coins --seed 7", "gnp_coins.clq"},
      {"graph --vertices 100 --p 0.009 --sampler geometric --seed 7", "gnp_geometric.clq"},
      {"setcover --elements 10 --sets 8 --sampler coins --seed 7", "setcover_coins.txt"},
      {"setcover --elements 300 --sets 40 --p 0.009 --sampler geometric --seed 7", "setcover_geometric.txt"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    const std::string out = d.file(c.golden);
    gen_ok(c.args, out);
    relugap::test::check_golden(out, c.golden, /*allow_update=*/false);
    if (std::filesystem::exists(relugap::test::golden_path(c.golden + ".json")))
      relugap::test::check_golden(out + ".json", c.golden + ".json", /*allow_update=*/false);
    else
      CHECK_FALSE(std::filesystem::exists(out + ".json"));
  }
}

TEST_CASE("gen: the version line is the current version") {
  TempDir d;
  gen_ok("3sat --vars 5 --clauses 3 --seed 1", d.file("a.cnf"));
  CHECK(slurp(d.file("a.cnf")).rfind(std::string("c relugap ") + kVersion + "\n", 0) == 0);
  gen_ok("setcover --elements 5 --sets 3 --seed 1", d.file("s.txt"));
  CHECK(nlohmann::json::parse(slurp(d.file("s.txt.json")))["relugap_version"] == kVersion);
}

TEST_CASE("gen: same seed same bytes, different seed different bytes") {
  TempDir d;
  for (const std::string args : {"3sat --vars 30 --clauses 100 --planted", "graph --vertices 30 --p 0.4",
                                 "setcover --elements 30 --sets 20 --max-cost 9"}) {
    CAPTURE(args);
    gen_ok(args + " --seed 11", d.file("a"));
    gen_ok(args + " --seed 11", d.file("b"));
    gen_ok(args + " --seed 12", d.file("c"));
    CHECK(slurp(d.file("a")) == slurp(d.file("b")));
    CHECK(slurp(d.file("a")) != slurp(d.file("c")));
  }
}

TEST_CASE("gen without --seed prints and records the drawn seed, which reproduces the file") {
  TempDir d;
  const CliResult r = run_cli("gen 3sat --vars 20 --clauses 50 -o '" + d.file("a.cnf") + "'");
  REQUIRE(r.exit_code == 0);
  // "... seed DIGITS was drawn from std::random_device ..."
  const std::string tail = " was drawn from std::random_device";
  const std::size_t at = r.out.find(tail);
  REQUIRE_MESSAGE(at != std::string::npos, r.out);
  const std::size_t begin = r.out.find_last_not_of("0123456789", at - 1) + 1;
  REQUIRE_MESSAGE(r.out.compare(begin >= 5 ? begin - 5 : 0, 5, "seed ") == 0, r.out);
  const std::string seed = r.out.substr(begin, at - begin);
  REQUIRE(!seed.empty());
  const std::string text = slurp(d.file("a.cnf"));
  CHECK(comment_words(text, "seed") == std::vector<std::string>{seed});
  gen_ok("3sat --vars 20 --clauses 50 --seed " + seed, d.file("b.cnf"));
  CHECK(slurp(d.file("b.cnf")) == text);
  // With --seed nothing is said about random_device.
  const CliResult r2 = run_cli("gen 3sat --vars 20 --clauses 50 --seed 3 -o '" + d.file("c.cnf") + "'");
  CHECK(r2.out.find("random_device") == std::string::npos);
  CHECK(r2.out.find("seed 3") != std::string::npos);
}

TEST_CASE("gen: planted certificates read back from the files are certificates") {
  TempDir d;
  // 3SAT at clause ratio 6 (far above the threshold): the "c planted assignment" line satisfies it.
  gen_ok("3sat --vars 50 --clauses 300 --planted --seed 5", d.file("p.cnf"));
  const auto f = read_cnf(d.file("p.cnf"));
  REQUIRE(f.ok());
  const auto lits = comment_words(slurp(d.file("p.cnf")), "planted assignment");
  REQUIRE(lits.size() == 50);
  Assignment a(50);
  for (std::uint32_t v = 0; v < 50; ++v) {
    const int lit = std::stoi(lits[v]);
    CHECK(std::abs(lit) == static_cast<int>(v) + 1);
    a[Var(v)] = lit > 0;
  }
  CHECK(f.value().satisfied_by(a));

  // Graph: the "c planted clique" vertices are pairwise adjacent.
  gen_ok("graph --vertices 40 --p 0.1 --plant-clique 9 --seed 5", d.file("g.clq"));
  const auto g = read_graph(d.file("g.clq"));
  REQUIRE(g.ok());
  const auto vs = comment_words(slurp(d.file("g.clq")), "planted clique");
  REQUIRE(vs.size() == 9);
  for (std::size_t i = 0; i < vs.size(); ++i)
    for (std::size_t j = i + 1; j < vs.size(); ++j)
      CHECK(g.value().has_edge(Vertex(static_cast<std::uint32_t>(std::stoul(vs[i]) - 1)),
                               Vertex(static_cast<std::uint32_t>(std::stoul(vs[j]) - 1))));

  // Edge list: certificate in the sidecar.
  gen_ok("graph --vertices 40 --p 0.1 --plant-clique 9 --seed 5 --format edges", d.file("g.edges"));
  const auto ge = read_graph(d.file("g.edges"));
  REQUIRE(ge.ok());
  CHECK(ge.value().edges() == g.value().edges());  // same seed, same graph, other format
  const auto gj = nlohmann::json::parse(slurp(d.file("g.edges.json")));
  CHECK(gj["kind"] == "graph");
  CHECK(gj["planted"]["kind"] == "clique");
  CHECK(gj["planted"]["vertices"].size() == 9);
  CHECK(gj["generator"]["seed"] == 5);

  // Set cover: the sidecar's planted sets cover the universe at the stated cost.
  gen_ok("setcover --elements 60 --sets 40 --plant-cover 6 --max-cost 10 --seed 5", d.file("s.txt"));
  const auto s = read_set_cover(d.file("s.txt"));
  REQUIRE(s.ok());
  const auto sj = nlohmann::json::parse(slurp(d.file("s.txt.json")));
  CHECK(sj["kind"] == "setcover");
  CHECK(sj["generator"]["name"] == "planted_set_cover");
  CHECK(sj["generator"]["seed"] == 5);
  CHECK(sj["generator"]["params"]["elements"] == 60);
  std::vector<SetId> chosen;
  for (const auto& j : sj["planted"]["sets"]) chosen.emplace_back(j.get<std::uint32_t>() - 1);
  REQUIRE(chosen.size() == 6);
  CHECK(s.value().is_cover(chosen));
  CHECK(s.value().cost(chosen) == sj["planted"]["cost"].get<std::int64_t>());
}

TEST_CASE("gen: bad parameters fail with a clear message and write nothing") {
  TempDir d;
  struct Case {
    std::string args, message;
  };
  const Case cases[] = {
      {"graph --vertices 5 --p 1.5", "gen graph: --p must be in [0, 1]"},
      {"graph --vertices 5 --p 0.5x", "gen graph: --p must be a decimal number"},
      {"graph --vertices 5 --p 0.5 --plant-clique 6", "gen graph: --plant-clique must be in [1, --vertices = 5]"},
      {"graph --vertices 5 --p 0.5 --plant-dense 3 --q 0.4", "gen graph: --q must satisfy --p < --q <= 1"},
      {"setcover --elements 5 --sets 3 --plant-cover 4", "gen setcover: --plant-cover must be at most"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    const std::string out = d.file("out");
    const CliResult r = run_cli("gen " + c.args + " --seed 1 -o '" + out + "'");
    CHECK(r.exit_code == 1);
    CHECK_MESSAGE(r.err.find(c.message) != std::string::npos, r.err);
    CHECK_FALSE(std::filesystem::exists(out));
    CHECK_FALSE(std::filesystem::exists(out + ".json"));
  }
  // Usage errors (CLI11): non-zero exit, nothing written.
  for (const std::string args :
       {"graph --vertices 5 --p 0.5 --plant-clique 2 --plant-dense 2 --q 0.9", "graph --vertices 5 --p 0.5 --q 0.9",
        "3sat --vars -3 --clauses 5", "3sat --vars 99999999999 --clauses 5", "3sat --vars 5 --clauses 5",
        "graph --vertices 5 --p 0.5 --format gml", "graph --vertices 5 --p 0.5 --sampler dice",
        "setcover --elements 5 --sets 3 --sampler Table"}) {
    CAPTURE(args);
    const std::string out = d.file("usage");
    const CliResult r =
        run_cli("gen " + args + " --seed 1" + (args == "3sat --vars 5 --clauses 5" ? "" : " -o " + out));
    CHECK(r.exit_code != 0);
    CHECK_FALSE(std::filesystem::exists(out));
  }
  // An existing file is left untouched by a failing run.
  { std::ofstream(d.file("keep.cnf")) << "precious\n"; }
  const CliResult r = run_cli("gen 3sat --vars 1 --clauses 5 -o '" + d.file("keep.cnf") + "'");
  CHECK(r.exit_code == 2);  // --vars below 3: a usage error (test_cli_messages checks the sentence)
  CHECK(slurp(d.file("keep.cnf")) == "precious\n");
}
