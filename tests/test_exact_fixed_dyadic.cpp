// The certificate's fixed-width dyadic fast path (exact_fixed_dyadic.hpp, Certifier::psi_fixed)
// against exact rationals and against the GMP path (Certifier::psi_gmp): the same numbers, or
// kNoFit (then the GMP path runs). Weights spanning 10^0..10^18, multipliers of both signs and
// zero, mirrored pairs, empty and infinite intervals, exponents far apart.
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <cmath>
#include <limits>

#include "instances/core/rng.hpp"
#include "solvers/relu/exact_certify.hpp"
#include "solvers/relu/exact_fixed_dyadic.hpp"

using namespace relugap;
using relugap::exact_detail::Certifier;
using relugap::exact_detail::FixedArith;
using relugap::exact_detail::FixedDyadic;

namespace {

Rational value(const FixedDyadic& a) {
  mpz_class m;
  FixedArith::to_mpz(a, m);
  Rational q(m);
  if (a.e < 0)
    mpq_div_2exp(q.get_mpq_t(), q.get_mpq_t(), static_cast<mp_bitcnt_t>(-a.e));
  else
    mpq_mul_2exp(q.get_mpq_t(), q.get_mpq_t(), static_cast<mp_bitcnt_t>(a.e));
  return q;
}

// A double of either sign with a random 53-bit mantissa and an exponent in [−span, span].
double random_double(Rng& rng, int span) {
  const double f = 0.5 + 0.5 * rng.uniform01();
  const int e = static_cast<int>(rng.below(static_cast<std::uint64_t>(2 * span + 1))) - span;
  return (rng.uniform01() < 0.5 ? -1 : 1) * std::ldexp(f, e);
}

}  // namespace

TEST_CASE("fixed dyadic: set, add, mul, cmp and div_up are exact (or report that they do not fit)") {
  Rng rng(41);
  FixedArith ar;
  FixedDyadic a, b, r, t, q;
  int ok = 0, nofit = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    ar.fail = false;
    const int span = trial % 3 == 0 ? 1000 : 60;
    const double x = trial % 17 == 0 ? 0.0 : random_double(rng, span), y = random_double(rng, span);
    ar.set(a, x);
    ar.set(b, y);
    if (trial % 5 == 0) {  // wider operands: products of three doubles
      ar.set(t, random_double(rng, 30));
      ar.mul(q, a, t);
      FixedArith::copy(a, q);
    }
    REQUIRE(!ar.fail);
    const Rational qa = value(a), qb = value(b);
    CHECK(qa == exact_from_double(x) * (trial % 5 == 0 ? value(t) : Rational(1)));
    const int s = trial % 2 ? 1 : -1;
    ar.add(r, a, b, s);
    if (!ar.fail) {
      CHECK(value(r) == qa + s * qb);
      // The representation of dy_add: the smaller exponent (when both are nonzero).
      if (a.n != 0) CHECK(r.e == std::min(a.e, b.e));
      ++ok;
    } else {
      ++nofit;
      CHECK(std::abs(a.e - b.e) > 64 * (FixedDyadic::kLimbs - 2));
    }
    ar.fail = false;
    const int c = ar.cmp(a, b, t);
    if (!ar.fail) CHECK(c == (qa < qb ? -1 : qa > qb ? 1 : 0));
    ar.fail = false;
    ar.mul(r, a, b);
    REQUIRE(!ar.fail);
    CHECK(value(r) == qa * qb);
    // div_up(μ², 4c): ⌈m_a²·2^s / m_c⌉·2^(2e_a − e_c − s), s = max(0, 120 + bits(m_c) − bits(m_a²)).
    ar.set(b, std::abs(y));
    ar.mul(t, a, a);
    ar.div_up(q, t, b);
    REQUIRE(!ar.fail);
    mpz_class mt, mb, want;
    FixedArith::to_mpz(t, mt);
    FixedArith::to_mpz(b, mb);
    if (sgn(mt) == 0) {
      CHECK(q.n == 0);
      continue;
    }
    const long sh = std::max(0L, 120 + static_cast<long>(mpz_sizeinbase(mb.get_mpz_t(), 2)) -
                                     static_cast<long>(mpz_sizeinbase(mt.get_mpz_t(), 2)));
    mpz_mul_2exp(want.get_mpz_t(), mt.get_mpz_t(), static_cast<mp_bitcnt_t>(sh));
    mpz_cdiv_q(want.get_mpz_t(), want.get_mpz_t(), mb.get_mpz_t());
    mpz_class got;
    FixedArith::to_mpz(q, got);
    CHECK(got == want);
    CHECK(q.e == t.e - b.e - sh);
    CHECK(value(q) >= value(t) / value(b));
  }
  CHECK(ok > 10000);
  CHECK(nofit > 100);
  // Not finite: no dyadic number.
  ar.fail = false;
  ar.set(a, std::numeric_limits<double>::infinity());
  CHECK(ar.fail);
  ar.fail = false;
  ar.set(a, std::numeric_limits<double>::quiet_NaN());
  CHECK(ar.fail);
  // Subnormals as frexp normalises them (53 bits).
  ar.fail = false;
  ar.set(a, std::ldexp(3.0, -1070));
  CHECK(!ar.fail);
  CHECK(FixedArith::bits(a) == 53);
  CHECK(value(a) == exact_from_double(std::ldexp(3.0, -1070)));
}

TEST_CASE("psi_fixed gives psi_gmp's exact sum, or kNoFit (weights 10^0..10^18, pairs, any λ)") {
  Rng rng(43);
  int same = 0, nofit = 0, nofit_gmp = 0, empty = 0, inf_ok = 0;
  for (int trial = 0; trial < 300; ++trial) {
    CAPTURE(trial);
    const std::size_t d = 1 + static_cast<std::size_t>(trial % 4), extra = 3 + static_cast<std::size_t>(trial % 6);
    TrainingSet data(d);
    // Mirrored pairs ±e_j bound the box; random rows with weights 10^0..10^18.
    for (std::uint32_t j = 0; j < d; ++j) data.add_mirrored({{j, 1.0}}, 0.5, std::pow(10.0, rng.below(19)));
    for (std::size_t r = 0; r < extra; ++r) {
      std::vector<std::pair<std::uint32_t, double>> row;
      for (std::uint32_t j = 0; j < d; ++j)
        if (rng.uniform01() < 0.7) row.emplace_back(j, 2 * rng.uniform01() - 1);
      data.add(row, 2 * rng.uniform01() - 0.8, std::pow(10.0, rng.below(19)) * (1 + rng.uniform01()));
    }
    Certifier cert(data, trial % 3 == 2 ? -1 : 1);
    double zero_loss = 0;
    for (std::size_t i = 0; i < data.samples(); ++i) zero_loss += data.c[i] * data.y[i] * data.y[i];
    REQUIRE(cert.set_upper(exact_from_double(2 * zero_loss + 1)));
    const std::size_t m = data.samples();
    for (int rep = 0; rep < 10; ++rep) {
      const int mode = rep % 5;  // 0, 1 plain; 2 exponents far apart; 3 one empty interval; 4 an infinite end
      Eigen::VectorXd lam(static_cast<Eigen::Index>(m));
      std::vector<double> lo(m), hi(m);
      for (std::size_t i = 0; i < m; ++i) {
        const double u = rng.uniform01();
        lam(static_cast<Eigen::Index>(i)) = u < 0.1 ? 0.0 : random_double(rng, mode == 2 ? 400 : 40);
        lo[i] = -std::abs(random_double(rng, mode == 2 ? 300 : 4));
        hi[i] = std::abs(random_double(rng, mode == 2 ? 300 : 4));
        if (rng.uniform01() < 0.3) lo[i] = std::abs(random_double(rng, 3)) / 8;  // positive intervals
        if (lo[i] > hi[i]) std::swap(lo[i], hi[i]);
      }
      bool has_inf = false;
      if (mode == 3) std::swap(lo[m / 2], hi[m / 2]);
      if (mode == 4) {
        (rng.uniform01() < 0.5 ? hi[rng.below(m)] : lo[rng.below(m)]) =
            (rng.uniform01() < 0.5 ? 1 : -1) * std::numeric_limits<double>::infinity();
        has_inf = true;
      }
      Rational fast, slow;
      const auto r = cert.psi_fixed(lam, lo, hi, fast);
      if (r == Certifier::Psi::kNoFit) {
        ++nofit;
        // (The GMP path then gives the sum, or finds an empty domain the fixed one did not
        // reach; it cannot take an infinity it reads.)
        if (!has_inf && cert.psi_gmp(lam, lo, hi, slow)) ++nofit_gmp;
        continue;
      }
      if (has_inf) ++inf_ok;  // the infinite end was never evaluated: the GMP path is safe too
      const bool gok = cert.psi_gmp(lam, lo, hi, slow);
      CHECK(gok == (r == Certifier::Psi::kOk));
      if (!gok) {
        ++empty;
        continue;
      }
      CHECK(fast == slow);
      ++same;
      if (has_inf) continue;  // (bound_on repairs λ first: the new λ may reach the infinity)
      // The whole bound, the fast path on and off.
      Eigen::VectorXd l1 = lam, l2 = lam;
      cert.set_psi_fixed(false);
      const Rational b_gmp = cert.bound_on(l1, lo, hi);
      cert.set_psi_fixed(true);
      const Rational b_fast = cert.bound_on(l2, lo, hi);
      CHECK(b_fast == b_gmp);
    }
  }
  CHECK(same > 1000);
  CHECK(nofit > 50);
  CHECK(nofit_gmp > 20);
  CHECK(empty > 50);
  CHECK(inf_ok > 10);
}
