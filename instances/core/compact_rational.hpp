#pragma once
// An exact rational in one 8-byte word: num/den inline when both fit
// (|num| < 2^31, 1 <= den < 2^31, lowest terms), else a pointer to a shared,
// reference-counted GMP rational. Most values of the training sets are small
// (0, ±1, 1/2, small integers), so a set of them costs 8 bytes a value instead
// of ~100 for an mpq_class with its two limb allocations (issue 20). No
// floating point is stored: every value is exact, and converts to Rational
// losslessly.
//
// Invariant: a value is inline whenever it fits, so two values are equal iff
// their representations are (the comparisons rely on it).
#include <array>
#include <atomic>
#include <cstddef>
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
  CompactRational() noexcept : w_(pack(0, 1)) {}
  CompactRational(int v) : w_(pack(0, 1)) { set_int(v); }             // NOLINT: implicit, as for Rational
  CompactRational(std::int64_t v) : w_(pack(0, 1)) { set_int(v); }    // NOLINT
  CompactRational(const Rational& q) : w_(pack(0, 1)) { assign(q); }  // NOLINT: implicit
  CompactRational(const CompactRational& o) noexcept : w_(o.w_) {
    if (!o.is_inline()) o.node()->refs.fetch_add(1, std::memory_order_relaxed);
  }
  CompactRational(CompactRational&& o) noexcept : w_(o.w_) { o.w_ = pack(0, 1); }
  CompactRational& operator=(const CompactRational& o) noexcept {
    if (this == &o) return *this;
    if (!o.is_inline()) o.node()->refs.fetch_add(1, std::memory_order_relaxed);
    release();
    w_ = o.w_;
    return *this;
  }
  CompactRational& operator=(CompactRational&& o) noexcept {
    if (this == &o) return *this;
    release();
    w_ = o.w_;
    o.w_ = pack(0, 1);
    return *this;
  }
  CompactRational& operator=(const Rational& q) {
    assign(q);
    return *this;
  }
  ~CompactRational() { release(); }

  /// The value as a GMP rational (canonical).
  [[nodiscard]] Rational q() const {
    if (!is_inline()) return node()->q;
    Rational r;
    mpq_set_si(r.get_mpq_t(), num(), static_cast<unsigned long>(den()));
    return r;
  }
  operator Rational() const { return q(); }  // NOLINT: implicit, so functions taking const Rational& accept it

  /// The same double as Rational::get_d() (GMP truncates towards zero).
  [[nodiscard]] double get_d() const {
    if (is_inline() && (den() & (den() - 1)) == 0)
      return static_cast<double>(num()) / static_cast<double>(den());  // exact: |num| < 2^31, den a power of two
    return q().get_d();
  }
  /// The value is a finite double exactly (get_d() loses nothing).
  [[nodiscard]] bool exact_in_double() const {
    if (is_inline() && (den() & (den() - 1)) == 0) return true;
    const double d = get_d();
    return std::abs(d) <= std::numeric_limits<double>::max() && Rational(d) == q();
  }
  /// Both hold the same shared GMP node (a copy, or interned).
  [[nodiscard]] bool shares_node(const CompactRational& o) const { return !is_inline() && w_ == o.w_; }
  /// True iff stored in the word itself (no GMP).
  [[nodiscard]] bool is_inline() const { return (w_ & 1U) != 0; }
  [[nodiscard]] int sign() const {
    if (!is_inline()) return sgn(node()->q);
    return (num() > 0) - (num() < 0);
  }

  CompactRational operator-() const {
    if (!is_inline()) return CompactRational(Rational(-node()->q));
    CompactRational r;
    r.w_ = pack(-num(), den());  // num() > INT32_MIN by the invariant
    return r;
  }
  CompactRational& operator+=(const CompactRational& o) {
    if (is_inline() && o.is_inline() && den() == 1 && o.den() == 1) {
      set_int(std::int64_t{num()} + o.num());
      return *this;
    }
    assign(q() + o.q());
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
    if (a.w_ == b.w_) return true;
    if (!a.is_inline() && !b.is_inline()) return a.node()->q == b.node()->q;
    return false;  // the invariant: a value that fits is never big
  }
  friend bool operator==(const CompactRational& a, int v) { return a == CompactRational(v); }
  friend bool operator==(const CompactRational& a, const Rational& b) {
    return a.is_inline() ? a == CompactRational(b) : a.node()->q == b;
  }
  friend std::strong_ordering operator<=>(const CompactRational& a, const CompactRational& b) {
    if (a.is_inline() && b.is_inline() && a.den() == 1 && b.den() == 1) return a.num() <=> b.num();
    const int c = cmp(a.q(), b.q());
    return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
  }
  friend std::strong_ordering operator<=>(const CompactRational& a, int v) { return a <=> CompactRational(v); }

 private:
  // Inline word: bit 0 = 1, bits 1..31 the denominator (1 <= den < 2^31),
  // bits 32..63 the numerator (int32, never INT32_MIN). Otherwise the word is
  // a pointer to a shared, immutable, reference-counted node (copies share it:
  // a repeated large weight costs one node).
  struct Node {
    std::atomic<std::uint32_t> refs{1};
    Rational q;
  };
  static constexpr std::int64_t kNumMax = std::numeric_limits<std::int32_t>::max();
  static constexpr std::int64_t kDenMax = (std::int64_t{1} << 31) - 1;
  static std::uint64_t pack(std::int64_t n, std::int64_t d) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(static_cast<std::int32_t>(n))) << 32) |
           (static_cast<std::uint64_t>(d) << 1) | 1U;
  }
  [[nodiscard]] std::int32_t num() const { return static_cast<std::int32_t>(static_cast<std::uint32_t>(w_ >> 32)); }
  [[nodiscard]] std::int64_t den() const { return static_cast<std::int64_t>((w_ >> 1) & 0x7fffffffU); }
  [[nodiscard]] Node* node() const { return reinterpret_cast<Node*>(static_cast<std::uintptr_t>(w_)); }
  void release() noexcept {
    if (!is_inline() && node()->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete node();
    w_ = pack(0, 1);
  }
  void set_big(Rational q) {
    q.canonicalize();
    auto* nd = new Node;
    nd->q = std::move(q);
    release();
    w_ = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(nd));
  }
  void set_int(std::int64_t v) {
    if (v >= -kNumMax && v <= kNumMax) {
      release();
      w_ = pack(v, 1);
    } else {
      set_big(Rational(mpz_class(std::to_string(v))));
    }
  }
  void assign(const Rational& q) {
    const mpz_srcptr n = q.get_num_mpz_t(), d = q.get_den_mpz_t();
    if (mpz_fits_slong_p(n) != 0 && mpz_fits_slong_p(d) != 0) {
      std::int64_t nn = mpz_get_si(n), dd = mpz_get_si(d);
      if (nn > -kNumMax * 4 && nn < kNumMax * 4 && dd != 0 && dd > -kDenMax * 4 && dd < kDenMax * 4) {
        if (dd < 0) {
          nn = -nn;
          dd = -dd;
        }
        // lowest terms (mpq_class(n, d) is not canonical by itself)
        std::int64_t a = nn < 0 ? -nn : nn, b = dd;
        while (b != 0) {
          const std::int64_t t = a % b;
          a = b;
          b = t;
        }
        if (a > 1) {
          nn /= a;
          dd /= a;
        }
        if (nn == 0) dd = 1;
        if (nn >= -kNumMax && nn <= kNumMax && dd <= kDenMax) {
          release();
          w_ = pack(nn, dd);
          return;
        }
      }
    }
    Rational c(q);
    c.canonicalize();
    if (mpz_cmpabs(c.get_num_mpz_t(), n) != 0 || mpz_cmp(c.get_den_mpz_t(), d) != 0) {
      assign(c);  // was not in lowest terms: it may fit now
      return;
    }
    set_big(std::move(c));
  }

  std::uint64_t w_;
};

static_assert(sizeof(CompactRational) == 8);

/// Shares equal large values: a value equal to one of the last few large
/// values seen is returned as a copy of it (one GMP node for all). A
/// construction repeats few large values (weights A, λ; 1/X in the unit ball),
/// so a set holds a handful of nodes instead of one per value.
class CompactInterner {
 public:
  CompactRational operator()(CompactRational v) {
    if (v.is_inline()) return v;
    const std::size_t last = (next_ + ring_.size() - 1) % ring_.size();
    for (std::size_t k = 0; k < ring_.size(); ++k)
      if (ring_[k] == v) {
        std::swap(ring_[k], ring_[last]);  // a hit moves to the newest slot: hot values are not evicted
        return ring_[last];
      }
    ring_[next_] = v;
    next_ = (next_ + 1) % ring_.size();
    return v;
  }

 private:
  std::array<CompactRational, 8> ring_{};
  std::size_t next_ = 0;
};

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
