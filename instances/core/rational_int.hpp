#pragma once
// Integers as exact GMP values, and the integer parts of a rational.
#include <gmpxx.h>

#include <concepts>
#include <string>

#include "instances/core/rational.hpp"

namespace relugap {

/// Exact value of any built-in integer (through its decimal text, so a 64-bit value is
/// exact even where GMP's `long` constructors are 32-bit).
template <std::integral T>
mpz_class to_mpz(T x) {
  return mpz_class(std::to_string(x));
}
template <std::integral T>
Rational to_rational(T x) {
  return Rational(to_mpz(x));
}

/// ⌊q⌋ and ⌈q⌉.
Rational floor_rational(const Rational& q);
Rational ceil_rational(const Rational& q);

}  // namespace relugap
