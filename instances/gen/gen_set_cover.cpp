// Random set cover with an optional planted cover (see generators.hpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "instances/core/rng.hpp"
#include "instances/gen/gap_table.hpp"
#include "instances/gen/generators.hpp"

namespace relugap {

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
    // 2. Every other set: each element independently with probability p, drawn by the
    //    sampler (generators.hpp, docs/manual/gen.md): the table (default) and geometric
    //    skipping draw the gaps between chosen elements, one draw per incidence plus one per
    //    set, the coins one draw per element and set. Each is its own stream of draws:
    //    recorded ("sampler"), the coins by the absence of the entry as in earlier versions.
    if (p.sampler != Sampler::kCoins) g.record.params["sampler"] = sampler_name(p.sampler);
    if (p.sampler == Sampler::kTable) {
      const GapTable gaps = GapTable::for_p(pe);
      std::vector<Element> drawn;  // one set's elements, then copied at their size (one allocation)
      for (std::uint32_t j = 0; j < m; ++j) {
        if (planted[j]) continue;
        drawn.clear();
        for (std::uint64_t u = gaps.draw(rng); u < n;) {
          drawn.emplace_back(static_cast<std::uint32_t>(u));
          const std::uint64_t gap = gaps.draw(rng);
          if (gap >= n - u - 1) break;  // past the set's end (or never)
          u += 1 + gap;
        }
        inst.sets[SetId(j)].assign(drawn.begin(), drawn.end());
      }
    } else if (p.sampler == Sampler::kGeometric) {
      const double log_q = std::log1p(-pe);  // < 0 for p > 0
      for (std::uint32_t j = 0; j < m && pe > 0; ++j) {
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
