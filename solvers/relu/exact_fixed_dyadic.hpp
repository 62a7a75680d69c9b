#pragma once
// Fixed-capacity dyadic rationals m·2^e for the certificate's fast path (exact_certify.cpp,
// Certifier::psi_fixed): the same numbers, the same operations and the same representation
// (m, e) as the GMP ones (Dyadic, dy_* in exact_certify.cpp), on at most kLimbs 64-bit limbs
// without allocation. An operation whose result does not fit, or an input that is not a
// finite double, sets the arithmetic's `fail` flag instead (its result is then meaningless):
// the caller discards the whole evaluation and runs the GMP path. Nothing here rounds but
// div_up, which rounds up exactly as dy_div_up does.
#include <gmpxx.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace relugap::exact_detail {

/// Sign and magnitude: the magnitude's n limbs, least significant first (l[n − 1] ≠ 0; n = 0
/// is zero).
struct FixedDyadic {
  static constexpr int kLimbs = 8;
  std::uint64_t l[kLimbs]{};
  int n = 0;
  bool neg = false;
  long e = 0;
};

struct FixedArith {
  __extension__ using u128 = unsigned __int128;
  using Num = FixedDyadic;
  static constexpr int L = FixedDyadic::kLimbs;
  bool fail = false;

  static void copy(Num& r, const Num& a) {
    r.n = a.n;
    r.neg = a.neg;
    r.e = a.e;
    for (int k = 0; k < a.n; ++k) r.l[k] = a.l[k];
  }
  static int bits(const Num& a) { return a.n == 0 ? 0 : 64 * (a.n - 1) + (64 - std::countl_zero(a.l[a.n - 1])); }

  /// As dy_set: m = the 53-bit integer frexp(v)·2^53, e = exponent − 53 (0 for v = 0).
  void set(Num& r, double v) {
    r.neg = false;
    if (v == 0) {
      r.n = 0;
      r.e = 0;
      return;
    }
    const auto b = std::bit_cast<std::uint64_t>(v);
    const int ex = static_cast<int>((b >> 52) & 0x7ff);
    if (ex == 0x7ff) {  // ±inf, NaN: not a dyadic number
      fail = true;
      r.n = 0;
      return;
    }
    std::uint64_t mant = 0;
    if (ex != 0) {
      mant = (b & ((std::uint64_t{1} << 52) - 1)) | (std::uint64_t{1} << 52);
      r.e = ex - 1075;
    } else {  // subnormal: frexp normalises the mantissa to 53 bits
      int x = 0;
      const double f = std::frexp(v, &x);
      mant = static_cast<std::uint64_t>(std::abs(static_cast<long>(std::ldexp(f, 53))));
      r.e = x - 53;
    }
    r.l[0] = mant;
    r.n = 1;
    r.neg = v < 0;
  }

  /// out (length returned) = a's magnitude shifted left by sh bits; −1 when it does not fit.
  static int shl(std::uint64_t* out, const Num& a, long sh) {
    if (sh < 0 || sh >= 64L * L) return -1;
    const int w = static_cast<int>(sh / 64), b = static_cast<int>(sh % 64);
    int n = a.n + w;
    if (n > L) return -1;
    for (int k = 0; k < w; ++k) out[k] = 0;
    if (b == 0) {
      for (int k = 0; k < a.n; ++k) out[w + k] = a.l[k];
      return n;
    }
    std::uint64_t carry = 0;
    for (int k = 0; k < a.n; ++k) {
      out[w + k] = (a.l[k] << b) | carry;
      carry = a.l[k] >> (64 - b);
    }
    if (carry != 0) {
      if (n == L) return -1;
      out[n++] = carry;
    }
    return n;
  }
  static int cmp_mag(const std::uint64_t* a, int na, const std::uint64_t* b, int nb) {
    if (na != nb) return na < nb ? -1 : 1;
    for (int k = na - 1; k >= 0; --k)
      if (a[k] != b[k]) return a[k] < b[k] ? -1 : 1;
    return 0;
  }
  /// r = (sa ? −A : A) + (sb ? −B : B) on magnitudes A, B.
  void add_signed(Num& r, const std::uint64_t* A, int na, bool sa, const std::uint64_t* B, int nb, bool sb) {
    if (sa == sb) {
      if (na < nb) {
        std::swap(A, B);
        std::swap(na, nb);
      }
      unsigned char c = 0;
      for (int k = 0; k < na; ++k) {
        const std::uint64_t x = A[k], y = k < nb ? B[k] : 0;
        const std::uint64_t s = x + y;
        const unsigned char c1 = s < x;
        r.l[k] = s + c;
        c = static_cast<unsigned char>(c1 | (r.l[k] < s));
      }
      r.n = na;
      if (c != 0) {
        if (na == L) {
          fail = true;
          r.n = 0;
          return;
        }
        r.l[r.n++] = 1;
      }
      r.neg = sa;
      return;
    }
    const int c = cmp_mag(A, na, B, nb);
    if (c == 0) {
      r.n = 0;
      r.neg = false;
      return;
    }
    if (c < 0) {
      std::swap(A, B);
      std::swap(na, nb);
      sa = sb;
    }
    unsigned char br = 0;
    for (int k = 0; k < na; ++k) {
      const std::uint64_t x = A[k], y = k < nb ? B[k] : 0;
      const std::uint64_t d = x - y;
      const unsigned char b1 = x < y;
      r.l[k] = d - br;
      br = static_cast<unsigned char>(b1 | (d < br));
    }
    int n = na;
    while (n > 0 && r.l[n - 1] == 0) --n;
    r.n = n;
    r.neg = sa;
  }

  /// As dy_add: r = a + s·b (s = ±1) on the smaller exponent; r may not alias a or b.
  void add(Num& r, const Num& a, const Num& b, int s) {
    if (b.n == 0) {
      copy(r, a);
      return;
    }
    if (a.n == 0) {
      copy(r, b);
      if (s < 0) r.neg = !r.neg;
      return;
    }
    std::uint64_t t[L];
    const bool sb = s > 0 ? b.neg : !b.neg;
    if (a.e <= b.e) {
      const int nt = shl(t, b, b.e - a.e);
      if (nt < 0) {
        fail = true;
        r.n = 0;
        return;
      }
      add_signed(r, a.l, a.n, a.neg, t, nt, sb);
      r.e = a.e;
    } else {
      const int nt = shl(t, a, a.e - b.e);
      if (nt < 0) {
        fail = true;
        r.n = 0;
        return;
      }
      add_signed(r, t, nt, a.neg, b.l, b.n, sb);
      r.e = b.e;
    }
    if (r.n == 0) r.neg = false;
  }

  /// As dy_mul; r may not alias a or b.
  void mul(Num& r, const Num& a, const Num& b) {
    r.e = a.e + b.e;
    if (a.n == 0 || b.n == 0) {
      r.n = 0;
      r.neg = false;
      return;
    }
    if (a.n + b.n > L) {
      fail = true;
      r.n = 0;
      return;
    }
    const int n = a.n + b.n;
    for (int k = 0; k < n; ++k) r.l[k] = 0;
    for (int i = 0; i < a.n; ++i) {
      std::uint64_t carry = 0;
      for (int j = 0; j < b.n; ++j) {
        const u128 p = static_cast<u128>(a.l[i]) * b.l[j] + r.l[i + j] + static_cast<u128>(carry);
        r.l[i + j] = static_cast<std::uint64_t>(p);
        carry = static_cast<std::uint64_t>(p >> 64);
      }
      r.l[i + b.n] = carry;
    }
    r.n = r.l[n - 1] != 0 ? n : n - 1;
    r.neg = a.neg != b.neg;
  }

  /// Sign of a − b (as dy_cmp; tmp is the difference).
  int cmp(const Num& a, const Num& b, Num& tmp) {
    // Decided by the signs, or by the positions of the leading bits (|a| ≥ 2^(pa − 1),
    // |a| < 2^pa); else by the difference.
    const int sa = sign(a), sb = sign(b);
    if (sa != sb) return sa < sb ? -1 : 1;
    if (sa == 0) return 0;
    const long pa = a.e + bits(a), pb = b.e + bits(b);
    if (pa != pb) return (pa > pb) == (sa > 0) ? 1 : -1;
    add(tmp, a, b, -1);
    return tmp.n == 0 ? 0 : tmp.neg ? -1 : 1;
  }
  static int sign(const Num& a) { return a.n == 0 ? 0 : a.neg ? -1 : 1; }

  /// As dy_div_up: r ≥ a/b (a ≥ 0, b > 0), ⌈a·2^s / b⌉·2^(a.e − b.e − s) with
  /// s = max(0, 120 + bits(b) − bits(a)). Here b must fit one limb.
  void div_up(Num& r, const Num& a, const Num& b) {
    r.neg = false;
    if (a.n == 0) {
      r.n = 0;
      r.e = 0;
      return;
    }
    if (a.neg || b.neg || b.n != 1) {
      fail = true;
      r.n = 0;
      return;
    }
    const long s = std::max(0L, 120L + bits(b) - bits(a));
    std::uint64_t t[L];
    const int nt = shl(t, a, s);
    if (nt < 0) {
      fail = true;
      r.n = 0;
      return;
    }
    const std::uint64_t d = b.l[0];
    std::uint64_t rem = 0;
    for (int k = nt - 1; k >= 0; --k) {
      const u128 num = (static_cast<u128>(rem) << 64) | t[k];
      r.l[k] = static_cast<std::uint64_t>(num / d);
      rem = static_cast<std::uint64_t>(num % d);
    }
    int n = nt;
    while (n > 0 && r.l[n - 1] == 0) --n;
    r.n = n;
    if (rem != 0) {  // round up: +1 on the magnitude
      int k = 0;
      while (k < r.n && ++r.l[k] == 0) ++k;
      if (k == r.n) {
        if (r.n == L) {
          fail = true;
          r.n = 0;
          return;
        }
        r.l[r.n++] = 1;
      }
    }
    r.e = a.e - b.e - s;
  }

  /// From a GMP dyadic; false when it does not fit.
  static bool from_mpz(Num& r, const mpz_class& m, long e) {
    static_assert(GMP_NUMB_BITS == 64, "64-bit GMP limbs");
    const auto n = static_cast<int>(mpz_size(m.get_mpz_t()));
    if (n > L) return false;
    for (int k = 0; k < n; ++k) r.l[k] = mpz_getlimbn(m.get_mpz_t(), k);
    r.n = n;
    r.neg = sgn(m) < 0;
    r.e = e;
    return true;
  }
  /// To a GMP integer (the magnitude with its sign).
  static void to_mpz(const Num& a, mpz_class& m) {
    mpz_import(m.get_mpz_t(), static_cast<std::size_t>(a.n), -1, sizeof(std::uint64_t), 0, 0, a.l);
    if (a.neg) mpz_neg(m.get_mpz_t(), m.get_mpz_t());
  }
};

}  // namespace relugap::exact_detail
