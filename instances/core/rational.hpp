#pragma once
// Exact rational arithmetic (GMP) and its text form "p/q".
#include <gmpxx.h>

#include <string>

namespace relugap {

using Rational = mpq_class;

/// "p/q" in lowest terms, or "p" when q = 1.
std::string to_string(const Rational& q);
/// The nearest double with `digits` significant digits (default 12), for messages: "0.333333333333".
std::string approx_string(const Rational& q, int digits = 12);
/// Parses "p", "p/q", or a finite decimal ("-1.25", "3e-2") exactly.
/// Throws Failure (id "rational.parse") on bad text or q = 0.
Rational parse_rational(const std::string& text);
/// Exact rational value of a finite double (every double is a dyadic rational).
Rational exact_from_double(double x);
/// Nearest double.
inline double to_double(const Rational& q) { return q.get_d(); }
/// Smallest perfect square ≥ q (q ≥ 0), as an integer.
mpz_class ceil_square(const Rational& q);
/// Integer square root of a perfect square; contract: n is a perfect square.
mpz_class exact_sqrt(const mpz_class& n);

}  // namespace relugap
