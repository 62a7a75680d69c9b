#pragma once
// An exact rational in 16 bytes: num/den in two machine words when both fit
// (den > 0, lowest terms, num != INT64_MIN), else a pointer to an owned GMP
// rational. Most values of the training sets are small (0, ±1, 1/2, small
// integers), so a set of them costs 16 bytes a value instead of ~100 for an
// mpq_class with its two limb allocations (issue 20). No floating point is
// stored: every value is exact, and converts to Rational losslessly.
//
// Invariant: a value is inline whenever it fits, so two values are equal iff
// their representations are (the comparisons rely on it).
#include <cmath>
#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "instances/core/rational.hpp"

namespace relugap {

class CompactRational {
 public:
  CompactRational() noexcept : num_(0), den_(1) {}
  CompactRational(int v) noexcept : num_(v), den_(1) {}  // NOLINT: implicit, as for Rational
  CompactRational(std::int64_t v) : num_(0), den_(1) {   // NOLINT
    if (v == std::numeric_limits<std::int64_t>::min())
      set_big(Rational(mpz_class(std::to_string(v))));
    else
      num_ = v;
  }
  CompactRational(const Rational& q) : num_(0), den_(1) { assign(q); }  // NOLINT: implicit
  CompactRational(const CompactRational& o) : num_(o.num_), den_(o.den_) {
    if (o.den_ == 0) big_ = new Rational(*o.big_);
  }
  CompactRational(CompactRational&& o) noexcept : num_(o.num_), den_(o.den_) {
    o.den_ = 1;
    o.num_ = 0;
  }
  CompactRational& operator=(const CompactRational& o) {
    if (this == &o) return *this;
    if (o.den_ == 0) {
      if (den_ == 0) {
        *big_ = *o.big_;
      } else {
        big_ = new Rational(*o.big_);
        den_ = 0;
      }
      return *this;
    }
    release();
    num_ = o.num_;
    den_ = o.den_;
    return *this;
  }
  CompactRational& operator=(CompactRational&& o) noexcept {
    if (this == &o) return *this;
    release();
    num_ = o.num_;
    den_ = o.den_;
    o.den_ = 1;
    o.num_ = 0;
    return *this;
  }
  CompactRational& operator=(const Rational& q) {
    assign(q);
    return *this;
  }
  ~CompactRational() { release(); }

  /// The value as a GMP rational (canonical).
  [[nodiscard]] Rational q() const {
    if (den_ == 0) return *big_;
    Rational r;
    mpq_set_si(r.get_mpq_t(), static_cast<long>(num_), static_cast<unsigned long>(den_));
    return r;
  }
  operator Rational() const { return q(); }  // NOLINT: implicit, so functions taking const Rational& accept it

  /// The same double as Rational::get_d() (GMP truncates towards zero).
  [[nodiscard]] double get_d() const {
    constexpr std::int64_t k53 = std::int64_t{1} << 53;
    if (den_ == 1 && num_ <= k53 && num_ >= -k53) return static_cast<double>(num_);
    if (den_ > 0 && (den_ & (den_ - 1)) == 0 && num_ <= k53 && num_ >= -k53)
      return static_cast<double>(num_) / static_cast<double>(den_);  // exact: a power-of-two divisor
    return q().get_d();
  }
  /// The value is a finite double exactly (get_d() loses nothing).
  [[nodiscard]] bool exact_in_double() const {
    constexpr std::int64_t k53 = std::int64_t{1} << 53;
    if (den_ > 0 && (den_ & (den_ - 1)) == 0 && num_ <= k53 && num_ >= -k53) return true;
    const double d = get_d();
    return std::abs(d) <= std::numeric_limits<double>::max() && Rational(d) == q();
  }
  /// True iff stored in two words (no GMP).
  [[nodiscard]] bool is_inline() const { return den_ != 0; }
  [[nodiscard]] int sign() const {
    if (den_ == 0) return sgn(*big_);
    return (num_ > 0) - (num_ < 0);
  }

  CompactRational operator-() const {
    if (den_ == 0) return CompactRational(Rational(-*big_));
    CompactRational r;
    r.num_ = -num_;
    r.den_ = den_;
    return r;
  }
  CompactRational& operator+=(const CompactRational& o) {
    if (den_ == 1 && o.den_ == 1) {
      std::int64_t s = 0;
      if (!__builtin_add_overflow(num_, o.num_, &s) && s != std::numeric_limits<std::int64_t>::min()) {
        num_ = s;
        return *this;
      }
    }
    Rational s = q() + o.q();
    assign(s);
    return *this;
  }
  CompactRational& operator-=(const CompactRational& o) { return *this += -o; }
  CompactRational& operator*=(const Rational& o) {
    assign(q() * o);
    return *this;
  }
  CompactRational& operator/=(const Rational& o) {
    assign(q() / o);
    return *this;
  }

  friend bool operator==(const CompactRational& a, const CompactRational& b) {
    if (a.den_ != 0 && b.den_ != 0) return a.num_ == b.num_ && a.den_ == b.den_;
    if (a.den_ == 0 && b.den_ == 0) return *a.big_ == *b.big_;
    return false;  // the invariant: a value that fits is never big
  }
  friend bool operator==(const CompactRational& a, int v) { return a.den_ == 1 && a.num_ == v; }
  friend bool operator==(const CompactRational& a, const Rational& b) {
    return a.den_ == 0 ? *a.big_ == b : a == CompactRational(b);
  }
  friend std::strong_ordering operator<=>(const CompactRational& a, const CompactRational& b) {
    if (a.den_ == 1 && b.den_ == 1) return a.num_ <=> b.num_;
    const int c = cmp(a.q(), b.q());
    return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
  }
  friend std::strong_ordering operator<=>(const CompactRational& a, int v) { return a <=> CompactRational(v); }

 private:
  void release() noexcept {
    if (den_ == 0) delete big_;
    den_ = 1;
    num_ = 0;
  }
  void set_big(const Rational& q) {
    if (den_ == 0) {
      *big_ = q;
    } else {
      big_ = new Rational(q);
      den_ = 0;
    }
    big_->canonicalize();
  }
  void assign(const Rational& q) {
    const mpz_srcptr n = q.get_num_mpz_t(), d = q.get_den_mpz_t();
    if (mpz_fits_slong_p(n) != 0 && mpz_fits_slong_p(d) != 0) {
      auto nn = static_cast<std::int64_t>(mpz_get_si(n));
      auto dd = static_cast<std::int64_t>(mpz_get_si(d));
      if (dd < 0) {
        nn = -nn;
        dd = -dd;
      }
      if (nn != std::numeric_limits<std::int64_t>::min() && dd > 0) {
        // lowest terms (mpq_class(n, d) is not canonical by itself)
        std::uint64_t a = nn < 0 ? static_cast<std::uint64_t>(-nn) : static_cast<std::uint64_t>(nn);
        std::uint64_t b = static_cast<std::uint64_t>(dd);
        while (b != 0) {
          const std::uint64_t t = a % b;
          a = b;
          b = t;
        }
        if (a > 1) {
          nn /= static_cast<std::int64_t>(a);
          dd /= static_cast<std::int64_t>(a);
        }
        if (nn == 0) dd = 1;
        release();
        num_ = nn;
        den_ = dd;
        return;
      }
    }
    Rational c(q);
    c.canonicalize();
    if (mpz_fits_slong_p(c.get_num_mpz_t()) != 0 && mpz_fits_slong_p(c.get_den_mpz_t()) != 0 &&
        mpz_get_si(c.get_num_mpz_t()) != std::numeric_limits<long>::min()) {
      assign(c);  // canonical now, and fits
      return;
    }
    set_big(c);
  }

  union {
    std::int64_t num_;
    Rational* big_;
  };
  std::int64_t den_;  ///< > 0 inline; 0: big_ holds the value
};

static_assert(sizeof(CompactRational) == 16);

// Mixed arithmetic: the result is a Rational (exact computations run in GMP).
inline Rational operator*(const CompactRational& a, const CompactRational& b) { return a.q() * b.q(); }
inline Rational operator*(const CompactRational& a, const Rational& b) { return a.q() * b; }
inline Rational operator*(const Rational& a, const CompactRational& b) { return a * b.q(); }
inline Rational operator+(const CompactRational& a, const Rational& b) { return a.q() + b; }
inline Rational operator+(const Rational& a, const CompactRational& b) { return a + b.q(); }
inline Rational operator-(const CompactRational& a, const Rational& b) { return a.q() - b; }
inline Rational operator-(const Rational& a, const CompactRational& b) { return a - b.q(); }
inline Rational operator/(const CompactRational& a, const Rational& b) { return a.q() / b; }

inline std::string to_string(const CompactRational& q) { return to_string(q.q()); }
inline int sgn(const CompactRational& q) { return q.sign(); }

}  // namespace relugap
