#pragma once
// GapTable: the gaps between successes of independent coins of probability p (a geometric law,
// P(gap >= k) ≈ q^k with q = 1 - p) drawn by inverting a table: one 53-bit draw and about one
// comparison per gap, no libm, so the bytes do not depend on the C library. The default sampler
// of `gen setcover` and `gen graph` (docs/manual/gen.md, "sampler": "table").
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

namespace relugap {

/// The law, exactly: a draw is x = next() >> 11 (the 53 bits of Rng::uniform01), and
///   count(x) = #{k in 1..K : x < T_k},  T_k = ceil(q^k · 2^53)  (q^k a running product of doubles),
/// so P(gap >= k) = T_k / 2^53 for k = 1..K. The thresholds are products and ceil, fixed by IEEE 754.
/// x < T_K means gap >= K, and then:
///  - K stopped at the first T_k below 2^41 (every p >= about 0.0021, the case of earlier versions'
///    `--sampler table`): the gap is K plus a fresh gap (memoryless: P(gap >= K + j) =
///    T_K / 2^53 · P(gap >= j));
///  - K reached kMaxK = 4096 first (small p, where a fresh gap per K would cost many draws): the gap
///    is K·(1 + B) + r, with B, the number of further whole blocks of K, drawn from the GapTable of
///    ratio Q = T_K / 2^53 (P(B >= j) = T'_j / 2^53 with T'_j = ceil(Q^j · 2^53)), and r = count(y)
///    for y uniform in [T_K, 2^53) (`below`), so P(r >= k) = (T_k - T_K) / (2^53 - T_K).
/// q == 1 (p == 0, or p < 2^-54, where 1 - p rounds to 1): never a success, and no draw at all.
/// A guide table over the top bits of x says where the count starts. Its size follows K:
/// 2^(bit_width(K) + 4) buckets, between 2^10 and 2^16 (uint16 entries, at most 128 KB), so a
/// bucket holds well under one threshold on average and the count is mostly one lookup, while a
/// short table keeps a guide that stays in L1 (bench/bench_gap_table.cpp: at p = 0.0005 a fixed
/// 12-bit guide was 1.5x slower, at p = 0.05 a 16-bit one 1.4x slower). The guide is only an
/// index: the law (K, the thresholds, the 2^41 stop) does not depend on it.
class GapTable {
 public:
  /// No success ever (q == 1): draw returns this without drawing.
  static constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();
  static constexpr std::size_t kMaxK = 4096;
  static_assert(kMaxK < (std::size_t{1} << 16), "the guide's entries are uint16");
  static constexpr unsigned kBits = 12, kShift = 53 - kBits;     ///< the law: K stops at the first T_k < 2^kShift
  static constexpr std::uint64_t kOne = std::uint64_t{1} << 53;  // 2^53

  /// The table of success probability p. Contract: 0 <= p <= 1.
  static GapTable for_p(double p) { return GapTable(1.0 - p); }
  /// The table of ratio q = P(gap >= 1). Contract: 0 <= q <= 1.
  explicit GapTable(double q) {
    if (q >= 1.0) return;  // never
    double qk = 1.0;
    while (th_.size() < kMaxK) {
      qk *= q;
      th_.push_back(static_cast<std::uint64_t>(std::ceil(qk * 0x1.0p53)));  // <= 2^53: exact
      if (th_.back() < (std::uint64_t{1} << kShift)) break;                 // the tail: below one bucket
    }
    const unsigned bits = std::clamp(static_cast<unsigned>(std::bit_width(th_.size())) + 4U, 10U, 16U);
    guide_shift_ = 53 - bits;
    guide_.resize(std::size_t{1} << bits);
    std::size_t g = th_.size();  // guide_[b] = #{k : T_k >= (b + 1) 2^guide_shift_}, non-increasing in b
    for (std::size_t b = 0; b < guide_.size(); ++b) {
      const std::uint64_t bound = static_cast<std::uint64_t>(b + 1) << guide_shift_;
      while (g > 0 && th_[g - 1] < bound) --g;
      guide_[b] = static_cast<std::uint16_t>(g);  // g <= kMaxK < 2^16
    }
    // Truncated at kMaxK: the whole blocks beyond K come from the table of ratio T_K / 2^53 (< 1).
    if (th_.back() >= (std::uint64_t{1} << kShift))
      blocks_ = std::make_shared<const GapTable>(static_cast<double>(th_.back()) * 0x1.0p-53);
  }

  /// True if no success ever happens (q == 1).
  [[nodiscard]] bool never() const { return th_.empty(); }
  /// T_1..T_K (T_k = thresholds()[k - 1]), non-increasing. Empty when never().
  [[nodiscard]] const std::vector<std::uint64_t>& thresholds() const { return th_; }
  /// The table for the whole blocks beyond K, or null (fresh gaps).
  [[nodiscard]] const GapTable* blocks() const { return blocks_.get(); }
  /// count(x) = #{k in 1..K : x < T_k} for a 53-bit x.
  [[nodiscard]] std::uint64_t count(std::uint64_t x) const {
    std::size_t g = guide_[x >> guide_shift_];
    while (g < th_.size() && th_[g] > x) ++g;
    return g;
  }

  /// One gap. G has next() (64 uniform bits) and below(n) (uniform in [0, n)), as Rng.
  template <class G>
  std::uint64_t draw(G& rng) const {
    if (never()) return kNever;
    const std::uint64_t g = count(rng.next() >> 11);  // the 53 bits of uniform01
    if (g < th_.size()) [[likely]]
      return g;
    return draw_beyond(rng);
  }

 private:
  /// The rest of draw() once the first count reached K (out of line: the common path above
  /// stays small enough to inline, with the generator's state in registers).
  template <class G>
  [[gnu::noinline]] std::uint64_t draw_beyond(G& rng) const {
    const std::uint64_t k = th_.size();
    if (blocks_) {
      const std::uint64_t b = blocks_->draw(rng);  // further whole blocks of K
      const std::uint64_t r = count(th_.back() + rng.below(kOne - th_.back()));
      if (b == kNever || b + 1 > (kNever - r) / k) return kNever;  // beyond any range
      return k * (1 + b) + r;
    }
    for (std::uint64_t base = k;; base += k) {  // memoryless: a fresh gap after each K
      const std::uint64_t g = count(rng.next() >> 11);
      if (g < k) return base + g;
    }
  }

  std::vector<std::uint64_t> th_;           // th_[k - 1] = T_k, non-increasing
  std::vector<std::uint16_t> guide_;        // a lower bound of the count for each bucket of x
  unsigned guide_shift_ = 53;               // x >> guide_shift_: x's bucket
  std::shared_ptr<const GapTable> blocks_;  // the law of the whole blocks beyond K (truncated tables)
};

}  // namespace relugap
