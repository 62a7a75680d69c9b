// solvers/drat_check: CaDiCaL's DRAT proofs (binary and text) of the UNSAT
// SATLIB files and of pigeonhole formulas are verified; proofs with a lemma
// that is neither RUP nor RAT, without the empty clause, using a deleted
// clause, truncated, or garbage are rejected; no proof of a satisfiable
// formula is ever verified.
#include <doctest/doctest.h>

#include <cadical.hpp>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "instances/core/rng.hpp"
#include "instances/io/io.hpp"
#include "sat_test_util.hpp"
#include "solvers/source/drat_check.hpp"

using namespace relugap;
using namespace relugap::test;

namespace {

/// Pigeonhole: `holes` + 1 pigeons, `holes` holes; variable p*holes + h + 1 = pigeon p in hole h.
Cnf pigeonhole(std::uint32_t holes) {
  Cnf f;
  const std::uint32_t pigeons = holes + 1;
  f.num_vars = pigeons * holes;
  auto x = [&](std::uint32_t p, std::uint32_t h) { return Lit(static_cast<std::int32_t>(p * holes + h + 1)); };
  for (std::uint32_t p = 0; p < pigeons; ++p) {
    Clause c;
    for (std::uint32_t h = 0; h < holes; ++h) c.push_back(x(p, h));
    f.clauses.push_back(c);
  }
  for (std::uint32_t h = 0; h < holes; ++h)
    for (std::uint32_t p = 0; p < pigeons; ++p)
      for (std::uint32_t q = p + 1; q < pigeons; ++q) f.clauses.push_back({~x(p, h), ~x(q, h)});
  return f;
}

/// CaDiCaL's answer (10/20) and its DRAT proof.
std::pair<int, std::string> cadical_proof(const Cnf& f, bool binary) {
  char* buf = nullptr;
  std::size_t len = 0;
  FILE* mem = open_memstream(&buf, &len);
  REQUIRE(mem != nullptr);
  int res = 0;
  {
    CaDiCaL::Solver s;
    s.set("quiet", 1);
    s.set("binary", binary ? 1 : 0);
    REQUIRE(s.trace_proof(mem, "<memory>"));
    for (const Clause& c : f.clauses) {
      for (Lit l : c) s.add(l.dimacs());
      s.add(0);
    }
    res = s.solve();
    s.close_proof_trace();
  }
  std::fclose(mem);
  std::string out(buf, len);
  std::free(buf);
  return {res, out};
}

Cnf parse_cnf(std::uint32_t n, std::initializer_list<std::initializer_list<int>> clauses) {
  Cnf f;
  f.num_vars = n;
  for (auto c : clauses) {
    Clause cl;
    for (int l : c) cl.push_back(Lit(l));
    f.clauses.push_back(cl);
  }
  return f;
}

std::string clause_line(const Clause& c, bool deletion) {
  std::string s = deletion ? "d " : "";
  for (Lit l : c) s += std::to_string(l.dimacs()) + " ";
  return s + "0\n";
}

}  // namespace

TEST_CASE("CaDiCaL's proofs of the UNSAT SATLIB files and of pigeonhole formulas are verified (binary and text)") {
  std::vector<std::pair<std::string, Cnf>> cases;
  for (const char* name : {"uuf50-01.cnf", "uuf50-02.cnf", "dubois20.cnf"})
    cases.emplace_back(name, load_data_cnf(name));
  for (std::uint32_t h : {3U, 4U, 5U, 6U}) cases.emplace_back("php" + std::to_string(h), pigeonhole(h));
  for (const auto& [name, f] : cases)
    for (bool binary : {true, false}) {
      CAPTURE(name);
      CAPTURE(binary);
      auto [res, proof] = cadical_proof(f, binary);
      REQUIRE(res == 20);
      const DratCheckResult r = check_drat(f, proof);
      CHECK_MESSAGE(r.verified(), r.detail);
      CHECK(r.binary == binary);
      CHECK(r.checked >= 1);
      CHECK(r.core_original >= 1);
      MESSAGE(name << ": " << r.detail << ", " << r.seconds << " s");
    }
}

TEST_CASE("hand-written proofs: RUP and RAT lemmas accepted, the same steps with a needed clause deleted rejected") {
  // x1, x1 -> x2, not x2: the empty clause by unit propagation.
  const Cnf f = parse_cnf(2, {{1}, {-1, 2}, {-2}});
  CHECK(check_drat(f, "0\n").verified());
  CHECK(check_drat(f, "c a comment\n2 0\n0\n").verified());
  const DratCheckResult del = check_drat(f, "d 1 0\n0\n");
  CHECK(del.verdict == DratVerdict::kRejected);
  CHECK(del.detail.find("empty clause") != std::string::npos);
  // Deleting a clause not in the formula is ignored, not an error.
  const DratCheckResult ign = check_drat(f, "d 1 2 0\n0\n");
  CHECK(ign.verified());
  CHECK(ign.ignored_deletions == 1);

  // A RAT lemma on a fresh variable (extended resolution): 3 <-> (1 and 2)
  // pieces. (-3 1) is RAT on -3: no clause contains 3 yet.
  const Cnf g = parse_cnf(2, {{1, 2}, {-1, 2}, {1, -2}, {-1, -2}});
  const DratCheckResult rat = check_drat(g, "-3 1 0\n-3 2 0\n3 -1 -2 0\n2 0\n0\n");
  CHECK_MESSAGE(rat.verified(), rat.detail);
  // (2) is RUP: assigning -2 propagates 1 and then -1 conflicts.
  CHECK(check_drat(g, "2 0\n0\n").verified());

  // A lemma the refutation needs that is RAT but not RUP (found by brute
  // force): (2) on pivot 2; the empty clause then follows by propagation.
  const Cnf h = parse_cnf(4, {{2, 1, -3}, {-1, 4, -3}, {-4, -1, 2}, {3, -4}, {-4, -2}, {-1, 3}, {1, 4}});
  const DratCheckResult hr = check_drat(h, "2 0\n0\n");
  CHECK_MESSAGE(hr.verified(), hr.detail);
  CHECK(hr.rat == 1);
  CHECK(check_drat(h, "0\n").verdict == DratVerdict::kRejected);  // not refutable by propagation alone
}

TEST_CASE("a core lemma that is neither RUP nor RAT is rejected") {
  // Satisfiable (x1 = x2 = true); the lemma -2 is not implied.
  const Cnf f = parse_cnf(2, {{1, 2}, {-1, 2}, {1, -2}});
  const DratCheckResult r = check_drat(f, "-2 0\n0\n");
  CHECK(r.verdict == DratVerdict::kRejected);
  CHECK(r.detail.find("neither RUP nor RAT") != std::string::npos);

  // A real proof with one original clause of the refutation replaced by a bogus lemma.
  const Cnf php = pigeonhole(4);
  auto [res, proof] = cadical_proof(php, false);
  REQUIRE(res == 20);
  // Drop a clause the refutation needs from the formula and add it back as the first lemma.
  for (ClauseId drop : index_range<ClauseTag>(5)) {  // the "some hole" clauses are all needed
    Cnf weaker = php;
    weaker.clauses.raw().erase(weaker.clauses.begin() + static_cast<std::ptrdiff_t>(drop.value()));
    const std::string bogus = clause_line(php.clauses[drop], false) + proof;
    const DratCheckResult b = check_drat(weaker, bogus);
    CAPTURE(drop);
    CHECK(b.verdict == DratVerdict::kRejected);
    CHECK(b.detail.find("neither RUP nor RAT") != std::string::npos);
  }
}

TEST_CASE("a proof missing the empty clause, truncated, or deleting what it then uses is rejected") {
  const Cnf f = load_data_cnf("uuf50-01.cnf");
  auto [res, text] = cadical_proof(f, false);
  REQUIRE(res == 20);
  REQUIRE(check_drat(f, text).verified());

  // Without its empty clause (the line "0").
  std::istringstream in(text);
  std::string line, no_empty;
  std::size_t removed = 0;
  while (std::getline(in, line)) {
    if (line == "0") {
      ++removed;
      continue;
    }
    no_empty += line + "\n";
  }
  REQUIRE(removed == 1);
  const DratCheckResult ne = check_drat(f, no_empty);
  CHECK(ne.verdict == DratVerdict::kRejected);
  CHECK(ne.detail.find("does not contain the empty clause") != std::string::npos);

  // Every original clause deleted first: nothing is left to derive from.
  std::string del_all;
  for (const Clause& c : f.clauses) del_all += clause_line(c, true);
  CHECK(check_drat(f, del_all + text).verdict == DratVerdict::kRejected);
  // Deleting only the clauses of the refutation's core, then using them.
  {
    // A clause in the core of the original proof: delete each original clause
    // in turn until one deletion breaks the proof (some must).
    bool some_rejected = false;
    for (auto it = f.clauses.indices().begin(); it != f.clauses.indices().end() && !some_rejected; ++it)
      some_rejected = check_drat(f, clause_line(f.clauses[*it], true) + text).verdict == DratVerdict::kRejected;
    CHECK(some_rejected);
  }

  // Binary proof cut short: inside the final empty clause, and at half length.
  auto [res2, bin] = cadical_proof(f, true);
  REQUIRE(res2 == 20);
  REQUIRE(check_drat(f, bin).verified());
  const DratCheckResult t1 = check_drat(f, std::string_view(bin).substr(0, bin.size() - 1));
  CHECK(t1.verdict == DratVerdict::kRejected);
  CHECK(t1.detail.find("truncated") != std::string::npos);
  CHECK(check_drat(f, std::string_view(bin).substr(0, bin.size() / 2)).verdict == DratVerdict::kRejected);
  // Text proof cut inside a clause.
  const DratCheckResult t2 = check_drat(f, "1 2");
  CHECK(t2.verdict == DratVerdict::kRejected);
  CHECK(t2.detail.find("truncated") != std::string::npos);
}

TEST_CASE("garbage is rejected, never verified") {
  const Cnf f = load_data_cnf("uuf50-01.cnf");
  for (std::string_view g :
       {std::string_view(""), std::string_view("hello world\n"), std::string_view("1 x 0\n"), std::string_view("- 0\n"),
        std::string_view("-0\n"), std::string_view("99999999999 0\n0\n"), std::string_view("\x01\x02\x03\x00", 4),
        std::string_view("a\x01\x00", 3), std::string_view("a\xff\xff\xff\xff\xff\xff\x00", 8)}) {
    const DratCheckResult r = check_drat(f, g);
    CAPTURE(std::string(g));
    CHECK(r.verdict == DratVerdict::kRejected);
  }
  Rng rng(7);
  for (int t = 0; t < 200; ++t) {
    std::string bytes(static_cast<std::size_t>(rng.between(1, 64)), '\0');
    for (char& c : bytes) c = static_cast<char>(rng.below(256));
    CHECK(check_drat(f, bytes).verdict == DratVerdict::kRejected);
  }
}

TEST_CASE("soundness: no proof of a satisfiable formula is verified (random lemmas, random deletions)") {
  Rng rng(11);
  int tried = 0;
  while (tried < 300) {
    const Cnf f =
        random_cnf(rng, static_cast<std::uint32_t>(rng.between(2, 6)), static_cast<std::size_t>(rng.between(1, 10)), 3);
    if (!cnf_satisfiable(f)) continue;
    ++tried;
    std::string proof;
    const int steps = static_cast<int>(rng.between(0, 8));
    for (int s = 0; s < steps; ++s) {
      const bool del = rng.bernoulli(0.25) && !f.clauses.empty();
      const Clause c = del ? f.clauses[ClauseId(static_cast<std::uint32_t>(rng.below(f.clauses.size())))]
                           : random_clause(rng, f.num_vars + 1, 3);
      proof += clause_line(c, del);
    }
    proof += "0\n";
    CHECK(check_drat(f, proof).verdict == DratVerdict::kRejected);
  }
}

TEST_CASE("a time limit stops the check without a verdict of verified") {
  const Cnf f = pigeonhole(7);
  auto [res, proof] = cadical_proof(f, true);
  REQUIRE(res == 20);
  DratCheckOptions o;
  o.time_limit_seconds = 0.0;
  const DratCheckResult r = check_drat(f, proof, o);
  CHECK(r.verdict == DratVerdict::kTimeLimit);
  CHECK_FALSE(r.verified());
}
