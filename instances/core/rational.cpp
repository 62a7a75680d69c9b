#include "instances/core/rational.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "instances/core/assert.hpp"
#include "instances/core/error.hpp"
#include "instances/core/rational_int.hpp"

namespace relugap {

std::string to_string(const Rational& q) {
  Rational c = q;
  c.canonicalize();
  if (c.get_den() == 1) return c.get_num().get_str();
  return c.get_num().get_str() + "/" + c.get_den().get_str();
}

std::string approx_string(const Rational& q, int digits) {
  std::ostringstream os;
  os << std::setprecision(digits) << q.get_d();
  return os.str();
}

namespace {
bool all_digits(const std::string& s, std::size_t from, std::size_t to) {
  if (from >= to) return false;
  for (std::size_t i = from; i < to; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}
[[noreturn]] void bad(const std::string& t) { fail("rational.parse", "", 0, "not a rational number: '" + t + "'"); }
}  // namespace

Rational parse_rational(const std::string& text) {
  const std::string& s = text;
  if (s.empty()) bad(text);
  std::size_t sign = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  auto slash = s.find('/');
  if (slash != std::string::npos) {
    if (!all_digits(s, sign, slash) || !all_digits(s, slash + 1, s.size())) bad(text);
    mpz_class num(s.substr(sign, slash - sign), 10), den(s.substr(slash + 1), 10);
    if (den == 0) fail("rational.parse", "", 0, "zero denominator in '" + text + "'");
    Rational q(num, den);
    q.canonicalize();
    return s[0] == '-' ? Rational(-q) : q;
  }
  // decimal: digits [. digits] [e|E [+-] digits]
  std::size_t i = sign, n = s.size();
  std::string mant;
  long frac_digits = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') mant += s[i++];
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
      mant += s[i++];
      ++frac_digits;
    }
  }
  if (mant.empty()) bad(text);
  long exp10 = 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    if (!all_digits(s, i, n) || n - i > 6) bad(text);
    exp10 = std::stol(s.substr(i));
    // "1e999999" is 8 bytes of text but a million digits: bounded so that a value's size follows its text.
    if (exp10 > 1000) fail("rational.parse", "", 0, "exponent of '" + text + "' is beyond +-1000");
    if (neg) exp10 = -exp10;
    i = n;
  }
  if (i != n) bad(text);
  long e = exp10 - frac_digits;
  mpz_class m(mant, 10), p;
  mpz_ui_pow_ui(p.get_mpz_t(), 10, static_cast<unsigned long>(e < 0 ? -e : e));
  Rational q = e < 0 ? Rational(m, p) : Rational(m * p);
  q.canonicalize();
  return s[0] == '-' ? Rational(-q) : q;
}

Rational exact_from_double(double x) {
  if (!std::isfinite(x)) fail("rational.nonfinite", "", 0, "value is not finite");
  Rational q(x);  // GMP converts doubles exactly
  return q;
}

Rational floor_rational(const Rational& q) {
  mpz_class f;
  mpz_fdiv_q(f.get_mpz_t(), q.get_num_mpz_t(), q.get_den_mpz_t());
  return Rational(f);
}

Rational ceil_rational(const Rational& q) {
  mpz_class f;
  mpz_cdiv_q(f.get_mpz_t(), q.get_num_mpz_t(), q.get_den_mpz_t());
  return Rational(f);
}

mpz_class ceil_square(const Rational& q) {
  mpz_class c = q.get_num() / q.get_den();  // floor for q >= 0
  if (c * q.get_den() < q.get_num()) c += 1;
  mpz_class r;
  mpz_sqrt(r.get_mpz_t(), c.get_mpz_t());
  if (r * r < c) r += 1;
  return r * r;
}

mpz_class exact_sqrt(const mpz_class& n) {
  mpz_class r;
  mpz_sqrt(r.get_mpz_t(), n.get_mpz_t());
  RELUGAP_ASSERT(r * r == n, "exact_sqrt: not a perfect square");
  return r;
}

}  // namespace relugap
