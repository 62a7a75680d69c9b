// GapTable (instances/gen/gap_table.hpp), the default sampler of `gen graph` and `gen setcover`:
// its law exactly on the thresholds (P(gap >= k) = T_k / 2^53), the tail beyond K (a fresh gap,
// or whole blocks from the nested table and a remainder), and the geometric law in distribution.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <deque>
#include <vector>

#include "instances/core/rng.hpp"
#include "instances/gen/gap_table.hpp"

using namespace relugap;

namespace {

constexpr std::uint64_t kOne = std::uint64_t{1} << 53;

/// A generator that returns scripted values: next() gives x << 11 (so the draw is x), below(n)
/// gives the scripted value (checked < n). Running out of values fails the test.
struct Scripted {
  std::deque<std::uint64_t> xs, belows;
  std::uint64_t next() {
    REQUIRE_FALSE(xs.empty());
    const std::uint64_t x = xs.front();
    xs.pop_front();
    return x << 11;
  }
  std::uint64_t below(std::uint64_t n) {
    REQUIRE_FALSE(belows.empty());
    const std::uint64_t b = belows.front();
    belows.pop_front();
    REQUIRE(b < n);
    return b;
  }
};

/// The brute-force count #{k : x < T_k}.
std::uint64_t brute_count(const GapTable& t, std::uint64_t x) {
  std::uint64_t c = 0;
  for (std::uint64_t th : t.thresholds()) c += x < th ? 1 : 0;
  return c;
}

}  // namespace

TEST_CASE("GapTable: P(gap >= k) = T_k / 2^53 exactly on the thresholds, T_k = ceil(q^k 2^53)") {
  for (double p : {1.0, 0.9, 0.3, 0.05, 0.01, 0.005, 0.0005, 1e-6, 1e-12}) {
    CAPTURE(p);
    const GapTable t = GapTable::for_p(p);
    const auto& th = t.thresholds();
    REQUIRE_FALSE(th.empty());
    const double q = 1.0 - p;
    CHECK(th[0] == static_cast<std::uint64_t>(std::ceil(q * 0x1.0p53)));
    // The stopping rule: the first T_k below 2^41, or K = 4096 with a nested table for the blocks.
    for (std::size_t k = 0; k + 1 < th.size(); ++k) CHECK(th[k] >= (std::uint64_t{1} << 41));
    if (th.back() < (std::uint64_t{1} << 41)) {
      CHECK(t.blocks() == nullptr);
    } else {
      CHECK(th.size() == GapTable::kMaxK);
      REQUIRE(t.blocks() != nullptr);
      CHECK(t.blocks()->thresholds()[0] == th.back());  // ratio T_K / 2^53, exactly
    }
    for (std::size_t k = 1; k <= th.size(); ++k) {
      CAPTURE(k);
      const std::uint64_t tk = th[k - 1];
      if (k > 1) CHECK(tk <= th[k - 2]);
      // q^k within k rounding errors of the running product (relative), and the ceil.
      const long double exact = std::pow(static_cast<long double>(q), static_cast<long double>(k)) * 0x1.0p53L;
      CHECK(std::fabs(static_cast<long double>(tk) - exact) <= 1.0L + exact * 0x1.0p-52L * static_cast<long double>(k));
      // count(x) >= k exactly for x < T_k: P(gap >= k) = T_k / 2^53 for a uniform 53-bit x.
      if (tk > 0) CHECK(t.count(tk - 1) >= k);
      if (tk < kOne) CHECK(t.count(tk) < k);
    }
    // The guide table never skips a threshold: count agrees with the brute count everywhere.
    Rng rng(11);
    for (int i = 0; i < 2000; ++i) {
      const std::uint64_t x = rng.next() >> 11;
      CHECK(t.count(x) == brute_count(t, x));
    }
    for (std::uint64_t x : {std::uint64_t{0}, kOne - 1, th.back(), th.back() - (th.back() > 0 ? 1 : 0)})
      CHECK(t.count(x) == brute_count(t, x));
  }
}

TEST_CASE("GapTable: no success for p = 0 (or 1 - p rounding to 1), no draw; p = 1: gap 0") {
  Scripted none;  // any draw would fail
  CHECK(GapTable::for_p(0.0).never());
  CHECK(GapTable::for_p(0.0).draw(none) == GapTable::kNever);
  CHECK(GapTable::for_p(1e-17).never());
  CHECK(GapTable::for_p(1e-17).draw(none) == GapTable::kNever);
  CHECK_FALSE(GapTable::for_p(1e-15).never());
  Scripted s{{0, kOne - 1, 12345}, {}};
  const GapTable all = GapTable::for_p(1.0);
  for (int i = 0; i < 3; ++i) CHECK(all.draw(s) == 0);
}

TEST_CASE("GapTable: beyond K, a fresh gap (memoryless) when the table reaches 2^41") {
  const GapTable t = GapTable::for_p(0.05);
  REQUIRE(t.blocks() == nullptr);
  const auto& th = t.thresholds();
  const std::uint64_t k = th.size();
  // x = 0 < T_K: gap >= K, then a fresh draw: T_1 gives 0 more, T_2 gives 1 more.
  Scripted a{{0, th[0]}, {}};
  CHECK(t.draw(a) == k);
  Scripted b{{0, 0, th[1]}, {}};
  CHECK(t.draw(b) == 2 * k + 1);
  Scripted c{{th[2]}, {}};
  CHECK(t.draw(c) == 2);
}

TEST_CASE("GapTable: beyond K = 4096, whole blocks from the nested table and a remainder in [T_K, 2^53)") {
  const GapTable t = GapTable::for_p(0.0005);  // q^4096 = 0.13: truncated
  REQUIRE(t.blocks() != nullptr);
  const auto& th = t.thresholds();
  const std::uint64_t k = th.size(), tk = th.back();
  const auto& bt = t.blocks()->thresholds();
  // Tail, then B = 0 (the nested draw at T'_1), then the remainder y = T_K + 0 ...
  Scripted a{{0, bt[0]}, {0}};
  CHECK(t.draw(a) == k + t.count(tk));
  // ... B = 1 (the nested draw just below T'_1: count 1 in a nested table of ratio 0.13, K' = 5),
  // and the remainder at the top, y = 2^53 - 1: count 0. The gap is 2K.
  REQUIRE(bt.size() >= 2);
  REQUIRE(bt[1] < bt[0]);
  CHECK(t.blocks()->blocks() == nullptr);
  Scripted b{{0, bt[0] - 1}, {kOne - tk - 1}};
  CHECK(t.draw(b) == 2 * k);
  CHECK(b.xs.empty());
  CHECK(b.belows.empty());
  // The remainder is a gap below K: for every y in [T_K, 2^53), count(y) < K.
  CHECK(t.count(tk) < k);
  CHECK(t.count(kOne - 1) == 0);
}

TEST_CASE("GapTable: the geometric law in distribution (chi-square over 20 equiprobable bins, and the mean)") {
  // p from the dense end to 3 levels of nested tables.
  struct Case {
    double p;
    int n;
  };
  for (const Case c :
       {Case{0.3, 100000}, Case{0.05, 100000}, Case{0.0005, 100000}, Case{1e-5, 50000}, Case{1e-9, 20000}}) {
    CAPTURE(c.p);
    const GapTable t = GapTable::for_p(c.p);
    Rng rng(3);
    const double q = 1.0 - c.p;
    const double lq = std::log1p(-c.p);
    // Bin edges e_i = ceil(ln(1 - i/B) / ln q): P(gap >= e) = q^e.
    constexpr int kBins = 20;
    std::vector<double> edge(kBins + 1, 0);
    for (int i = 1; i < kBins; ++i) edge[i] = std::ceil(std::log1p(-static_cast<double>(i) / kBins) / lq);
    edge[kBins] = INFINITY;
    std::vector<double> prob(kBins);
    for (int i = 0; i < kBins; ++i)
      prob[i] = std::exp(edge[i] * lq) - (i + 1 < kBins ? std::exp(edge[i + 1] * lq) : 0.0);
    std::vector<std::uint64_t> count(kBins, 0);
    double sum = 0;
    for (int d = 0; d < c.n; ++d) {
      const auto g = static_cast<double>(t.draw(rng));
      sum += g;
      int b = 0;
      while (b + 1 < kBins && g >= edge[b + 1]) ++b;
      ++count[b];
    }
    double chi = 0;
    int bins = 0;
    for (int i = 0; i < kBins; ++i) {
      const double e = prob[i] * c.n;
      if (e <= 0) continue;
      chi += (static_cast<double>(count[i]) - e) * (static_cast<double>(count[i]) - e) / e;
      ++bins;
    }
    // bins - 1 degrees of freedom: mean bins - 1, sd sqrt(2 (bins - 1)); 6 sd above.
    CHECK(bins >= 4);
    CHECK(chi < (bins - 1) + 6 * std::sqrt(2.0 * (bins - 1)));
    // The mean gap q / p, sd sqrt(q) / p per draw.
    const double mean = sum / c.n, want = q / c.p, sd = std::sqrt(q) / c.p / std::sqrt(static_cast<double>(c.n));
    CHECK(std::fabs(mean - want) < 6 * sd + 1e-9);
  }
}
