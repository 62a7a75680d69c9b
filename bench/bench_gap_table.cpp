// GapTable::draw (instances/gen/gap_table.hpp), the default sampler of `gen setcover` and
// `gen graph`, next to the same table indexed by a 12-bit guide (its layout before the 16-bit
// guide), side by side in one run: `make bench`, then
//   build-bench/bench_gap_table --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//  BM_Draw/p       ns per gap, p = 10^-6 · arg (GapTable: its guide has 2^10..2^16 buckets, by K)
//  BM_Draw12/p     the same law and the same draws, counted through a 12-bit guide
// Both return the same gaps (checked once per run: a mismatch stops the benchmark).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "instances/core/rng.hpp"
#include "instances/gen/gap_table.hpp"

namespace {

using relugap::GapTable;
using relugap::Rng;

/// GapTable's count through a guide of `bits` bits (the law and the blocks are GapTable's own).
class GuidedCount {
 public:
  GuidedCount(const GapTable& t, unsigned bits) : t_(t), th_(t.thresholds()), shift_(53 - bits) {
    guide_.resize(std::size_t{1} << bits);
    std::size_t g = th_.size();
    for (std::size_t b = 0; b < guide_.size(); ++b) {
      const std::uint64_t bound = static_cast<std::uint64_t>(b + 1) << shift_;
      while (g > 0 && th_[g - 1] < bound) --g;
      guide_[b] = static_cast<std::uint32_t>(g);
    }
  }
  [[nodiscard]] std::uint64_t count(std::uint64_t x) const {
    std::size_t g = guide_[x >> shift_];
    while (g < th_.size() && th_[g] > x) ++g;
    return g;
  }
  /// GapTable::draw with this count (the same draws, so the same gaps).
  std::uint64_t draw(Rng& rng) const {
    const std::uint64_t k = th_.size();
    for (std::uint64_t base = 0;; base += k) {
      const std::uint64_t g = count(rng.next() >> 11);
      if (g < k) return base + g;
      if (t_.blocks() != nullptr) {
        const std::uint64_t b = t_.blocks()->draw(rng);
        const std::uint64_t r = count(th_.back() + rng.below(GapTable::kOne - th_.back()));
        return base + k * (1 + b) + r;
      }
    }
  }

 private:
  const GapTable& t_;
  std::vector<std::uint64_t> th_;
  unsigned shift_;
  std::vector<std::uint32_t> guide_;
};

double p_of(const benchmark::State& state) { return static_cast<double>(state.range(0)) * 1e-6; }

void BM_Draw(benchmark::State& state) {
  const GapTable t = GapTable::for_p(p_of(state));
  Rng rng(1);
  std::uint64_t sum = 0;
  for (auto _ : state) benchmark::DoNotOptimize(sum += t.draw(rng));
  state.SetItemsProcessed(state.iterations());
}

void BM_Draw12(benchmark::State& state) {
  const GapTable t = GapTable::for_p(p_of(state));
  const GuidedCount c(t, 12);
  Rng a(7), b(7);
  for (int i = 0; i < 100000; ++i)
    if (c.draw(a) != t.draw(b)) {
      state.SkipWithError("the 12-bit guide drew another gap");
      return;
    }
  Rng rng(1);
  std::uint64_t sum = 0;
  for (auto _ : state) benchmark::DoNotOptimize(sum += c.draw(rng));
  state.SetItemsProcessed(state.iterations());
}

// p = 0.0005 (the sparse set cover of bench/gen_vs_reader.sh), 0.005 (its graph), 0.05.
BENCHMARK(BM_Draw)->Arg(500)->Arg(5000)->Arg(50000);
BENCHMARK(BM_Draw12)->Arg(500)->Arg(5000)->Arg(50000);

}  // namespace

BENCHMARK_MAIN();
