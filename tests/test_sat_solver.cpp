// CaDiCaL through solvers/sat_cadical: SATLIB answers, checked models, edge cases.
#include <doctest/doctest.h>

#include <string>

#include "instances/io/io.hpp"
#include "sat_test_util.hpp"
#include "solvers/source/sat_cadical.hpp"

using namespace relugap;
using namespace relugap::test;

namespace {}  // namespace

TEST_CASE("SATLIB: uf20 satisfiable with a checked model; uuf50-01/02 and dubois20 unsatisfiable") {
  for (int i = 1; i <= 5; ++i) {
    const std::string name = "uf20-0" + std::to_string(i) + ".cnf";
    Cnf f = load_data_cnf(name);
    auto r = solve_sat_cadical(f);
    CAPTURE(name);
    CHECK(r.status == SolveStatus::kOptimal);
    CHECK(r.assignment.size() == f.num_vars);
    CHECK(f.satisfied_by(r.assignment));
    CHECK(r.status_text() == "sat (cadical, model checked)");
  }
  for (const char* name : {"uuf50-01.cnf", "uuf50-02.cnf", "dubois20.cnf"}) {
    Cnf f = load_data_cnf(name);
    auto r = solve_sat_cadical(f);
    CAPTURE(name);
    CHECK(r.status == SolveStatus::kInfeasible);
    CHECK(r.assignment.empty());
    // 50 variables (> 24): CaDiCaL's DRAT proof, checked by solvers/drat_check.
    CHECK(r.unsat_proved());
    CHECK(r.proof == UnsatProof::kDrat);
    CHECK(r.status_text() == "unsat (proved: DRAT checked)");
    CHECK(r.proof_detail.find("DRAT verified") != std::string::npos);
    CHECK(r.proof_seconds >= 0);
  }
}

TEST_CASE("proved UNSAT: enumeration up to 24 variables, no proof when disabled or out of time") {
  const Cnf xnx = [] {
    Cnf f;
    f.num_vars = 1;
    f.clauses = {{Lit(1)}, {Lit(-1)}};
    return f;
  }();
  auto r = solve_sat_cadical(xnx);
  CHECK(r.status == SolveStatus::kInfeasible);
  CHECK(r.proof == UnsatProof::kEnumeration);
  CHECK(r.status_text() == "unsat (proved: enumeration)");

  SatSolveOptions off;
  off.prove_unsat = false;
  r = solve_sat_cadical(xnx, off);
  CHECK(r.status == SolveStatus::kInfeasible);
  CHECK_FALSE(r.unsat_proved());
  CHECK(r.status_text() == "unsat (cadical, no proof)");

  // uuf50-01 with no time for the check: CaDiCaL's answer stays unproved.
  SatSolveOptions quick;
  quick.proof_time_limit_seconds = 0.0;
  r = solve_sat_cadical(load_data_cnf("uuf50-01.cnf"), quick);
  CHECK(r.status == SolveStatus::kInfeasible);
  if (!r.unsat_proved()) {  // a check shorter than one poll interval may still finish
    CHECK(r.status_text() == "unsat (cadical, no proof)");
    CHECK(r.proof_detail.find("not checked") != std::string::npos);
  }
}

TEST_CASE("enumeration agrees with brute force, finds checked models, covers 2^n") {
  Rng rng(5);
  for (int trial = 0; trial < 400; ++trial) {
    const auto n = static_cast<std::uint32_t>(rng.between(0, 9));
    Cnf f = random_cnf(rng, n == 0 ? 1 : n, static_cast<std::size_t>(rng.between(0, 40)), 3);
    const auto e = enumerate_sat(f);
    REQUIRE(e);
    CHECK(e->satisfiable == cnf_satisfiable(f));
    if (e->satisfiable) {
      CHECK(f.satisfied_by(e->assignment));
    } else {
      CHECK(e->assignments == (std::uint64_t{1} << f.num_vars));
    }
  }
  // 24 variables (the limit): x1 xor ... constraints forcing a contradiction only on the last variable.
  Cnf big;
  big.num_vars = 24;
  for (std::int32_t v = 1; v < 24; ++v) big.clauses.push_back({Lit(-v), Lit(v + 1)});  // x_v -> x_{v+1}
  big.clauses.push_back({Lit(1)});
  auto e = enumerate_sat(big);
  REQUIRE(e);
  CHECK(e->satisfiable);
  big.clauses.push_back({Lit(-24)});
  e = enumerate_sat(big);
  REQUIRE(e);
  CHECK_FALSE(e->satisfiable);
  CHECK(e->assignments == (std::uint64_t{1} << 24));
  auto r = solve_sat_cadical(big);
  CHECK(r.status_text() == "unsat (proved: enumeration)");
}

TEST_CASE("cadical agrees with brute force on random small formulas") {
  Rng rng(1);
  for (int trial = 0; trial < 300; ++trial) {
    Cnf f =
        random_cnf(rng, static_cast<std::uint32_t>(rng.between(1, 6)), static_cast<std::size_t>(rng.between(0, 12)), 3);
    auto r = solve_sat_cadical(f);
    const bool sat = cnf_satisfiable(f);
    CHECK(r.status == (sat ? SolveStatus::kOptimal : SolveStatus::kInfeasible));
    if (sat) CHECK(f.satisfied_by(r.assignment));
  }
}

TEST_CASE("edge cases: empty formula, empty clause, unused variables, bad literal, conflict limit") {
  Cnf empty;
  empty.num_vars = 3;  // no clauses: satisfiable, every variable unused
  auto r = solve_sat_cadical(empty);
  CHECK(r.status == SolveStatus::kOptimal);
  CHECK(r.assignment.size() == 3);

  Cnf none;
  CHECK(solve_sat_cadical(none).status == SolveStatus::kOptimal);

  Cnf ec;
  ec.num_vars = 2;
  ec.clauses = {{Lit(1), Lit(2)}, {}};
  CHECK(solve_sat_cadical(ec).status == SolveStatus::kInfeasible);

  Cnf bad;
  bad.num_vars = 1;
  bad.clauses = {{Lit(5)}};
  auto b = solve_sat_cadical(bad);
  CHECK(b.status == SolveStatus::kError);
  CHECK(b.detail.find("out of range") != std::string::npos);

  // a tiny conflict limit on a hard-ish UNSAT instance stops early or answers correctly
  Cnf d = load_data_cnf("dubois20.cnf");
  SatSolveOptions o;
  o.conflict_limit = 1;
  auto lim = solve_sat_cadical(d, o);
  CHECK((lim.status == SolveStatus::kTimeLimit || lim.status == SolveStatus::kInfeasible));
  CHECK_FALSE(cadical_version().empty());
}
