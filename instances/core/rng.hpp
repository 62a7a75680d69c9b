#pragma once
// The project's only source of randomness: xoshiro256** seeded by SplitMix64,
// with our own range and shuffle routines (std distributions differ between
// library versions, so they would break byte-reproducibility).
#include <cstdint>
#include <utility>
#include <vector>

namespace relugap {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : seed_(seed) {
    std::uint64_t x = seed;
    for (auto& s : s_) s = splitmix64(x);
  }
  [[nodiscard]] std::uint64_t seed() const { return seed_; }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform in [0, n). Contract: n > 0. Unbiased (Lemire's method with rejection).
  std::uint64_t below(std::uint64_t n) {
    __extension__ typedef unsigned __int128 u128;
    u128 m = static_cast<u128>(next()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t thresh = (0 - n) % n;
      while (low < thresh) {
        m = static_cast<u128>(next()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }
  /// Uniform in [lo, hi]. Contract: lo <= hi.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  /// Uniform double in [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// True with probability p.
  bool bernoulli(double p) { return uniform01() < p; }
  /// Standard normal (Box–Muller on our own uniforms).
  double normal();
  /// Fisher–Yates shuffle.
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }
  /// k distinct values of [0, n), in random order. Contract: k <= n.
  std::vector<std::uint32_t> sample(std::uint32_t n, std::uint32_t k);

  /// A fresh seed derived from this engine (for child streams, e.g. per thread).
  std::uint64_t fork() { return next() ^ 0x9E3779B97F4A7C15ULL; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t seed_;
  std::uint64_t s_[4]{};
};

}  // namespace relugap
