// Random set cover with an optional planted cover (see generators.hpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "instances/core/rng.hpp"
#include "instances/gen/generators.hpp"

namespace relugap {

namespace {
/// Probabilities below this draw set members by geometric skipping (see step 2).
constexpr double kGeometricBelow = 0.01;

/// The gap before the next chosen element (the number of elements skipped), geometric with
/// P(gap >= k) = q^k, q = 1 - p, drawn by inverting a table: one 53-bit draw x per gap, and
/// gap = #{k in 1..K : x < T_k} with T_k = ceil(q^k * 2^53) (so P(gap >= k) = T_k / 2^53,
/// as `bernoulli` compares a 53-bit uniform with p). x < T_K means gap >= K: K plus a fresh
/// gap (the geometric law is memoryless). q^k is a running product of doubles and the
/// thresholds are exact conversions (products and ceil, fixed by IEEE 754): unlike log1p, no function
/// whose last bit the C library chooses, so the bytes do not depend on it.
/// A guide table over the top 12 bits of x gives where the count starts: on average at most
/// about one comparison more (K <= 4096 thresholds over 4096 buckets).
class GapTable {
 public:
  explicit GapTable(double p) {
    const double q = 1.0 - p;
    double qk = 1.0;
    while (th_.size() < kMaxK) {
      qk *= q;
      th_.push_back(static_cast<std::uint64_t>(std::ceil(qk * 0x1.0p53)));  // <= 2^53: exact
      if (th_.back() < (std::uint64_t{1} << kShift)) break;                 // the tail: below one bucket
    }
    guide_.resize(std::size_t{1} << kBits);
    std::size_t g = th_.size();  // guide_[b] = #{k : T_k >= (b + 1) 2^kShift}, non-increasing in b
    for (std::size_t b = 0; b < guide_.size(); ++b) {
      const std::uint64_t bound = static_cast<std::uint64_t>(b + 1) << kShift;
      while (g > 0 && th_[g - 1] < bound) --g;
      guide_[b] = static_cast<std::uint32_t>(g);
    }
  }
  std::uint64_t draw(Rng& rng) const {
    for (std::uint64_t base = 0;; base += th_.size()) {
      const std::uint64_t x = rng.next() >> 11;  // the 53 bits of uniform01
      std::size_t g = guide_[x >> kShift];
      while (g < th_.size() && th_[g] > x) ++g;
      if (g < th_.size()) return base + g;
    }
  }

 private:
  static constexpr unsigned kBits = 12, kShift = 53 - kBits;
  static constexpr std::size_t kMaxK = 4096;
  std::vector<std::uint64_t> th_;     // th_[k - 1] = T_k, decreasing
  std::vector<std::uint32_t> guide_;  // a lower bound of the count for each bucket of x
};
}  // namespace

double default_set_cover_p(const SetCoverGenParams& p) {
  if (p.plant_cover > 0) return 1.0 / static_cast<double>(p.plant_cover);
  if (p.elements == 0) return 1.0;
  return std::min(1.0, std::max(0.05, 4.0 / static_cast<double>(p.elements)));
}

Result<GeneratedSetCover> generate_set_cover(const SetCoverGenParams& p, std::uint64_t seed) {
  return catch_failure([&]() -> GeneratedSetCover {
    const std::string where = "gen setcover";
    const std::uint32_t n = p.elements, m = p.sets, t = p.plant_cover;
    if (n < 1) fail("gen.param", where, 0, "--elements must be at least 1, got 0");
    if (m < 1) fail("gen.param", where, 0, "--sets must be at least 1, got 0");
    if (p.p && !(*p.p >= 0 && *p.p <= 1))
      fail("gen.param", where, 0, "--p must be in [0, 1], got " + nlohmann::json(*p.p).dump());
    if (t > n || t > m)
      fail("gen.param", where, 0,
           "--plant-cover must be at most --elements (" + std::to_string(n) + ") and --sets (" + std::to_string(m) +
               "), got " + std::to_string(t));
    if (p.max_cost < 1) fail("gen.param", where, 0, "--max-cost must be at least 1, got " + std::to_string(p.max_cost));
    if (p.max_cost > std::numeric_limits<std::int64_t>::max() / m)
      fail("gen.param", where, 0,
           "--max-cost times --sets must stay below 2^63 (total cost overflows), got " + std::to_string(p.max_cost) +
               " * " + std::to_string(m));
    const double pe = p.p ? *p.p : default_set_cover_p(p);

    Rng rng(seed);
    GeneratedSetCover g;
    g.record.name = t > 0 ? "planted_set_cover" : "random_set_cover";
    g.record.seed = seed;
    g.record.params = {{"elements", n}, {"sets", m}, {"p", pe}, {"plant_cover", t}, {"max_cost", p.max_cost}};
    auto& inst = g.instance;
    inst.num_elements = n;
    inst.sets.assign(m, {});

    // 1. Planted cover: a uniform permutation gives parts 0..t-1 one element
    //    each (so no part is empty); every other element joins a uniform part.
    //    Part i becomes set positions[i], positions uniform among the m sets.
    std::vector<bool> planted(m, false);
    if (t > 0) {
      std::vector<std::uint32_t> perm(n);
      std::iota(perm.begin(), perm.end(), 0U);
      rng.shuffle(perm);
      std::vector<std::uint32_t> part(n);
      for (std::uint32_t i = 0; i < n; ++i) part[perm[i]] = i < t ? i : static_cast<std::uint32_t>(rng.below(t));
      const std::vector<std::uint32_t> positions = rng.sample(m, t);
      for (std::uint32_t u = 0; u < n; ++u) inst.sets[SetId(positions[part[u]])].emplace_back(u);  // increasing: sorted
      PlantedCover pc;
      for (std::uint32_t j : positions) {
        planted[j] = true;
        pc.sets.emplace_back(j);
      }
      std::sort(pc.sets.begin(), pc.sets.end());
      g.planted = std::move(pc);
    }
    // 2. Every other set: each element independently with probability p. Below
    //    kGeometricBelow the gaps between chosen elements are drawn instead of a coin
    //    per element (geometric skipping: gap = ⌊ln(1 − U) / ln(1 − p)⌋, one draw per
    //    incidence plus one per set): the same distribution in O(incidences), not O(n·m).
    //    That stream differs from the coin flips, so it is recorded ("sampler").
    const bool geometric = pe > 0 && pe < kGeometricBelow;
    if (!geometric && p.table_sampler && pe > 0) {
      // The table sampler (p >= kGeometricBelow, on request): the same distribution,
      // one draw per incidence plus one per set, no log1p.
      g.record.params["sampler"] = "table";
      const GapTable gaps(pe);
      for (std::uint32_t j = 0; j < m; ++j) {
        if (planted[j]) continue;
        auto& set = inst.sets[SetId(j)];
        for (std::uint64_t u = gaps.draw(rng); u < n; u += 1 + gaps.draw(rng))
          set.emplace_back(static_cast<std::uint32_t>(u));
      }
    } else if (geometric) {
      g.record.params["sampler"] = "geometric";
      const double log_q = std::log1p(-pe);  // < 0
      for (std::uint32_t j = 0; j < m; ++j) {
        if (planted[j]) continue;
        auto& set = inst.sets[SetId(j)];
        for (std::uint64_t u = 0;; ++u) {
          const double gap = std::floor(std::log1p(-rng.uniform01()) / log_q);  // uniform01 < 1: finite
          if (gap >= static_cast<double>(n - u)) break;
          u += static_cast<std::uint64_t>(gap);
          set.emplace_back(static_cast<std::uint32_t>(u));
        }
      }
    } else {
      for (std::uint32_t j = 0; j < m; ++j)
        if (!planted[j])
          for (std::uint32_t u = 0; u < n; ++u)
            if (rng.bernoulli(pe)) inst.sets[SetId(j)].emplace_back(u);
    }
    // 3. No empty set: an empty set gets one uniform element.
    for (auto& s : inst.sets)
      if (s.empty()) s.emplace_back(static_cast<std::uint32_t>(rng.below(n)));
    // 4. Every element covered: an uncovered element joins a uniform set.
    StrongVector<ElementTag, bool> covered(n, false);
    for (const auto& s : inst.sets)
      for (Element u : s) covered[u] = true;
    for (Element u : covered.indices())
      if (!covered[u]) {
        auto& s = inst.sets[SetId(static_cast<std::uint32_t>(rng.below(m)))];
        s.insert(std::lower_bound(s.begin(), s.end(), u), u);
      }
    // 5. Costs, planted sets included: uniform in [1, C] (no draws for C = 1).
    inst.costs.assign(m, 1);
    if (p.max_cost > 1)
      for (auto& c : inst.costs) c = rng.between(1, p.max_cost);
    if (g.planted) g.planted->cost = inst.cost(g.planted->sets);
    return g;
  });
}

}  // namespace relugap
