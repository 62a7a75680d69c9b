// DIMACS CNF: round trips, the SATLIB quirks that must be accepted, and the
// header / literal / count errors with their ids and lines.
#include <doctest/doctest.h>

#include "instances/core/rng.hpp"
#include "instances/io/io.hpp"
#include "tests/cli_run.hpp"

using namespace relugap;

namespace {
Error error_of(const std::string& text) {
  auto r = parse_cnf(text, "t.cnf");
  REQUIRE_FALSE(r.ok());
  return r.error();
}
}  // namespace

TEST_CASE("CNF write/read round trip keeps every clause and literal in order") {
  test::TempDir dir;
  Rng rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    Cnf f;
    f.num_vars = static_cast<std::uint32_t>(rng.between(1, 40));
    const auto m = rng.between(0, 60);
    for (std::int64_t i = 0; i < m; ++i) {
      Clause c;
      const auto k = rng.between(1, 5);
      for (std::int64_t t = 0; t < k; ++t) {
        auto v = static_cast<std::int32_t>(rng.between(1, f.num_vars));
        c.emplace_back(rng.bernoulli(0.5) ? v : -v);
      }
      f.clauses.push_back(c);
    }
    const std::string p = dir.file("f.cnf");
    write_cnf(p, f, "relugap test\nsecond comment line");
    auto back = read_cnf(p);
    REQUIRE(back.ok());
    CHECK(back.value().num_vars == f.num_vars);
    CHECK(back.value().clauses == f.clauses);
    CHECK(test::slurp(p).starts_with("c relugap test\nc second comment line\np cnf "));
  }
}

TEST_CASE("CNF reader accepts SATLIB layout quirks") {
  // Leading blank lines, comments between clauses, a clause over three lines,
  // tabs, CRLF, the "%" / "0" trailer and trailing blank lines.
  const std::string text =
      "\n\n\nc header comment\r\np cnf 4  3 \r\n 1 -2\n3 0\nc mid comment\n-1\n\n4\t-3 0 2 0\n%\n0\n\n\n";
  auto r = parse_cnf(text, "satlib.cnf");
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
  const Cnf& f = r.value();
  CHECK(f.num_vars == 4);
  REQUIRE(f.num_clauses() == 3);
  CHECK(f.clauses[ClauseId(0)] == Clause{Lit(1), Lit(-2), Lit(3)});
  CHECK(f.clauses[ClauseId(1)] == Clause{Lit(-1), Lit(4), Lit(-3)});
  CHECK(f.clauses[ClauseId(2)] == Clause{Lit(2)});
}

TEST_CASE("CNF reader keeps tautologies and repeated literals verbatim") {
  auto r = parse_cnf("p cnf 3 2\n1 -1 2 0\n3 3 0\n", "t.cnf");
  REQUIRE(r.ok());
  CHECK(r.value().clauses[ClauseId(0)] == Clause{Lit(1), Lit(-1), Lit(2)});
  CHECK(r.value().clauses[ClauseId(1)] == Clause{Lit(3), Lit(3)});
}

TEST_CASE("CNF with no clauses") {
  auto r = parse_cnf("p cnf 0 0\n", "t.cnf");
  REQUIRE(r.ok());
  CHECK(r.value().num_clauses() == 0);
}

TEST_CASE("CNF header with three numbers is rejected (the aim-50 case)") {
  Error e = error_of("c x\np cnf 50 80 100\n1 2 0\n");
  CHECK(e.id == "cnf.header");
  CHECK(e.line == 2);
  CHECK(e.message() ==
        "t.cnf:2: malformed header 'p cnf 50 80 100': expected 'p cnf VARIABLES CLAUSES' with exactly 2 numbers, "
        "found 3");
}

TEST_CASE("CNF literal and count errors carry the right id and line") {
  CHECK(error_of("p cnf 3 1\n1 4 0\n").id == "cnf.literal_range");
  CHECK(error_of("p cnf 3 1\n1 4 0\n").line == 2);
  CHECK(error_of("p cnf 3 1\n1 -4 0\n").reason == "literal -4 out of range: the header declares 3 variables");
  CHECK(error_of("p cnf 3 1\n1 two 0\n").id == "cnf.literal");
  CHECK(error_of("p cnf 3 2\n1 0\n").id == "cnf.clause_count");
  CHECK(error_of("p cnf 3 2\n1 0\n").line == 1);
  CHECK(error_of("p cnf 3 1\n1 0\n2 0\n").line == 3);
  CHECK(error_of("p cnf 3 1\n1 2").id == "cnf.unterminated");
  CHECK(error_of("p cnf 3 1\n0\n").id == "cnf.empty_clause");
  CHECK(error_of("1 2 0\n").id == "cnf.no_header");
  // The smallest int64 must not overflow the magnitude computation.
  CHECK(error_of("p cnf 3 1\n-9223372036854775808 0\n").id == "cnf.literal_range");
}

TEST_CASE("CNF: a missing file is an io.open error without a line") {
  auto r = read_cnf("/nonexistent/relugap/x.cnf");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().id == "io.open");
  CHECK(r.error().line == 0);
  CHECK(r.error().message().starts_with("/nonexistent/relugap/x.cnf: cannot open file"));
}
