// Every benchmark file in data/ parses to the sizes data/MANIFEST.md states;
// the raw/ graph files give the same graphs as the .clq files; the
// nonstandard aim-50 file (header "p cnf 50 80 100") is rejected.
#include <doctest/doctest.h>

#include "instances/io/io.hpp"

using namespace relugap;

namespace {
const std::string kData = RELUGAP_DATA;

Cnf cnf(const std::string& rel) {
  auto r = read_cnf(kData + "/" + rel);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
  return r.value();
}
Graph graph(const std::string& rel) {
  auto r = read_graph(kData + "/" + rel);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
  return r.value();
}
SetCoverInstance scp(const std::string& rel) {
  auto r = read_set_cover(kData + "/" + rel);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
  return r.value();
}
}  // namespace

TEST_CASE("SAT files: variables and clauses as in MANIFEST.md") {
  struct Want {
    const char* file;
    std::uint32_t vars;
    std::size_t clauses;
  };
  for (Want w : {Want{"sat/uf20-01.cnf", 20, 91}, Want{"sat/uf20-02.cnf", 20, 91}, Want{"sat/uf20-03.cnf", 20, 91},
                 Want{"sat/uf20-04.cnf", 20, 91}, Want{"sat/uf20-05.cnf", 20, 91}, Want{"sat/uuf50-01.cnf", 50, 218},
                 Want{"sat/uuf50-02.cnf", 50, 218}, Want{"sat/dubois20.cnf", 60, 160}}) {
    CAPTURE(w.file);
    Cnf f = cnf(w.file);
    CHECK(f.num_vars == w.vars);
    CHECK(f.num_clauses() == w.clauses);
    for (const auto& c : f.clauses) CHECK(c.size() == 3);  // all of these are 3-CNF
  }
  // uf20-01: first clause " 4 -18 19 0" (the line starts with a space).
  CHECK(cnf("sat/uf20-01.cnf").clauses.front() == Clause{Lit(4), Lit(-18), Lit(19)});
}

TEST_CASE("aim-50-1_6-no-1.cnf is rejected for its three-number header") {
  auto r = read_cnf(kData + "/sat/nonstandard/aim-50-1_6-no-1.cnf");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().id == "cnf.header");
  CHECK(r.error().line == 11);
  CHECK(r.error().reason ==
        "malformed header 'p cnf 50 80 100': expected 'p cnf VARIABLES CLAUSES' with exactly 2 numbers, found 3");
}

TEST_CASE("graph files: vertices and edges as in MANIFEST.md") {
  struct Want {
    const char* file;
    std::uint32_t n;
    std::size_t m;
  };
  for (Want w : {Want{"graph/johnson8-2-4.clq", 28, 210}, Want{"graph/johnson8-4-4.clq", 70, 1855},
                 Want{"graph/hamming6-2.clq", 64, 1824}, Want{"graph/keller4.clq", 171, 9435},
                 Want{"graph/C125.9.clq", 125, 6963}}) {
    CAPTURE(w.file);
    Graph g = graph(w.file);
    CHECK(g.num_vertices() == w.n);
    CHECK(g.num_edges() == w.m);
  }
}

TEST_CASE("raw/ graph files parse to the same graphs as the .clq files") {
  for (auto files : {std::pair{"graph/raw/johnson8-2-4.txt", "graph/johnson8-2-4.clq"},
                     std::pair{"graph/raw/hamming6-2.txt", "graph/hamming6-2.clq"},
                     std::pair{"graph/raw/johnson8-4-4.mtx.txt", "graph/johnson8-4-4.clq"},
                     std::pair{"graph/raw/C125.9.adjmatrix.txt", "graph/C125.9.clq"}}) {
    // Not a structured binding: clang 14 cannot capture those (CAPTURE is a lambda).
    const char* raw = files.first;
    const char* clq = files.second;
    CAPTURE(raw);
    Graph a = graph(raw), b = graph(clq);
    CHECK(a.num_vertices() == b.num_vertices());
    CHECK(a.edges() == b.edges());
  }
}

TEST_CASE("set cover files: rows, columns and nonzeros as in MANIFEST.md") {
  SetCoverInstance s41 = scp("setcover/scp41.txt");
  CHECK(s41.num_elements == 200);
  CHECK(s41.num_sets() == 1000);
  CHECK(s41.nnz() == 4009);
  SetCoverInstance s51 = scp("setcover/scp51.txt");
  CHECK(s51.num_elements == 200);
  CHECK(s51.num_sets() == 2000);
  CHECK(s51.nnz() == 7995);
  for (const auto* s : {&s41, &s51})
    for (auto c : s->costs) CHECK(c >= 1);
}

TEST_CASE("detect_kind on the data/ files") {
  CHECK(detect_kind(kData + "/sat/uf20-01.cnf") == FileKind::kCnf);
  CHECK(detect_kind(kData + "/graph/keller4.clq") == FileKind::kGraph);
  CHECK(detect_kind(kData + "/graph/raw/hamming6-2.txt") == FileKind::kGraph);
  CHECK(detect_kind(kData + "/graph/raw/C125.9.adjmatrix.txt") == FileKind::kGraph);
  CHECK(detect_kind(kData + "/graph/raw/johnson8-4-4.mtx.txt") == FileKind::kGraph);
  CHECK(detect_kind(kData + "/setcover/scp41.txt") == FileKind::kSetCover);
  CHECK(detect_kind(kData + "/setcover/scp51.txt") == FileKind::kSetCover);
}

TEST_CASE("SHA-256 of shared files and of a standard test vector") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_file(kData + "/sat/uf20-01.cnf") == "2f41e8c1290914308eb72d7f9be3e3d4e936e03d46da7433fb4cd494e46e7a3b");
  CHECK(sha256_file(kData + "/setcover/scp41.txt") ==
        "c1b07b2f6061286e3c60f459131a25e2cf67f76a56269f3a33343728cc350a91");
}
