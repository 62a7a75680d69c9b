#include <doctest/doctest.h>

#include "instances/core/error.hpp"
#include "instances/core/rational.hpp"

using namespace relugap;

TEST_CASE("rational text round trip") {
  CHECK(to_string(Rational(6, 4)) == "3/2");
  CHECK(to_string(Rational(-5)) == "-5");
  CHECK(parse_rational("3/2") == Rational(3, 2));
  CHECK(parse_rational("-6/4") == Rational(-3, 2));
  CHECK(parse_rational("0.125") == Rational(1, 8));
  CHECK(parse_rational("010/08") == Rational(5, 4));  // decimal, never octal
  CHECK(parse_rational("-1.5e2") == Rational(-150));
  CHECK(parse_rational("25e-3") == Rational(1, 40));
  for (const char* bad : {"", "1/0", "abc", "1/", "/2", "1.2.3", "1e", "--1", "nan", "inf"})
    CHECK_THROWS_AS(parse_rational(bad), Failure);
}

TEST_CASE("doubles convert exactly") {
  CHECK(exact_from_double(0.5) == Rational(1, 2));
  CHECK(exact_from_double(0.1) != Rational(1, 10));  // 0.1 is not representable
  CHECK(exact_from_double(0.1).get_d() == 0.1);
}

TEST_CASE("ceil_square") {
  CHECK(ceil_square(Rational(0)) == 0);
  CHECK(ceil_square(Rational(1)) == 1);
  CHECK(ceil_square(Rational(2)) == 4);
  CHECK(ceil_square(Rational(16)) == 16);
  CHECK(ceil_square(Rational(33, 2)) == 25);
  CHECK(exact_sqrt(mpz_class(144)) == 12);
}
