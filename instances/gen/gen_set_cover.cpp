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

Result<GeneratedSetCoverSets> generate_set_cover_sets(const SetCoverGenParams& p, std::uint64_t seed) {
  return catch_failure([&]() -> GeneratedSetCoverSets {
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
    GeneratedSetCoverSets g;
    g.record.name = t > 0 ? "planted_set_cover" : "random_set_cover";
    g.record.seed = seed;
    g.record.params = {{"elements", n}, {"sets", m}, {"p", pe}, {"plant_cover", t}, {"max_cost", p.max_cost}};
    SetCoverSets& out = g.sets;
    out.num_elements = n;
    out.offsets.assign(1, 0);
    out.offsets.reserve(std::size_t{m} + 1);
    {  // the expected size, plus room for the spread: one allocation in most runs
      const double expect = static_cast<double>(m) * static_cast<double>(n) * pe + static_cast<double>(m) + n;
      out.elements.reserve(static_cast<std::size_t>(std::min(expect * 1.01 + 4096, 1e9)));
    }

    // 1. Planted cover: a uniform permutation gives parts 0..t-1 one element
    //    each (so no part is empty); every other element joins a uniform part.
    //    Part i becomes set positions[i], positions uniform among the m sets.
    //    part_at[i]..part_at[i + 1] in part_elems: part i's elements, increasing.
    constexpr std::uint32_t kNoPart = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> part_of_set(m, kNoPart), part_at, part_elems;
    if (t > 0) {
      std::vector<std::uint32_t> perm(n);
      std::iota(perm.begin(), perm.end(), 0U);
      rng.shuffle(perm);
      std::vector<std::uint32_t> part(n);
      for (std::uint32_t i = 0; i < n; ++i) part[perm[i]] = i < t ? i : static_cast<std::uint32_t>(rng.below(t));
      const std::vector<std::uint32_t> positions = rng.sample(m, t);
      part_at.assign(std::size_t{t} + 1, 0);
      for (std::uint32_t u = 0; u < n; ++u) ++part_at[part[u] + 1];
      for (std::uint32_t i = 0; i < t; ++i) part_at[i + 1] += part_at[i];
      part_elems.resize(n);
      std::vector<std::uint32_t> at(part_at.begin(), part_at.end() - 1);
      for (std::uint32_t u = 0; u < n; ++u) part_elems[at[part[u]]++] = u;  // increasing within a part
      PlantedCover pc;
      for (std::uint32_t i = 0; i < t; ++i) {
        part_of_set[positions[i]] = i;
        pc.sets.emplace_back(positions[i]);
      }
      std::sort(pc.sets.begin(), pc.sets.end());
      g.planted = std::move(pc);
    }
    // 2. Every other set: each element independently with probability p, drawn by the
    //    sampler (generators.hpp, docs/manual/gen.md): the table (default) and geometric
    //    skipping draw the gaps between chosen elements, one draw per incidence plus one per
    //    set, the coins one draw per element and set. Each is its own stream of draws:
    //    recorded ("sampler"), the coins by the absence of the entry as in earlier versions.
    //    A set left empty gets a placeholder, filled in step 3 (after all of step 2's draws).
    if (p.sampler != Sampler::kCoins) g.record.params["sampler"] = sampler_name(p.sampler);
    const GapTable gaps = p.sampler == Sampler::kTable ? GapTable::for_p(pe) : GapTable(1.0);
    const double log_q = p.sampler == Sampler::kGeometric ? std::log1p(-pe) : 0.0;  // < 0 for p > 0
    std::vector<std::size_t> empty_slots;
    auto& el = out.elements;
    for (std::uint32_t j = 0; j < m; ++j) {
      const std::size_t begin = el.size();
      if (part_of_set[j] != kNoPart) {
        const std::uint32_t i = part_of_set[j];
        for (std::uint32_t a = part_at[i]; a < part_at[i + 1]; ++a) el.emplace_back(part_elems[a]);
      } else if (p.sampler == Sampler::kTable) {
        for (std::uint64_t u = gaps.draw(rng); u < n;) {
          el.emplace_back(static_cast<std::uint32_t>(u));
          const std::uint64_t gap = gaps.draw(rng);
          if (gap >= n - u - 1) break;  // past the set's end (or never)
          u += 1 + gap;
        }
      } else if (p.sampler == Sampler::kGeometric) {
        for (std::uint64_t u = 0; pe > 0; ++u) {
          const double gap = std::floor(std::log1p(-rng.uniform01()) / log_q);  // uniform01 < 1: finite
          if (gap >= static_cast<double>(n - u)) break;
          u += static_cast<std::uint64_t>(gap);
          el.emplace_back(static_cast<std::uint32_t>(u));
        }
      } else {
        for (std::uint32_t u = 0; u < n; ++u)
          if (rng.bernoulli(pe)) el.emplace_back(u);
      }
      if (el.size() == begin) {
        empty_slots.push_back(begin);
        el.emplace_back(0U);
      }
      out.offsets.push_back(el.size());
    }
    // 3. No empty set: an empty set gets one uniform element (in the order of the sets).
    for (std::size_t slot : empty_slots) el[slot] = Element(static_cast<std::uint32_t>(rng.below(n)));
    // 4. Every element covered: an uncovered element joins a uniform set.
    std::vector<std::uint8_t> covered(n, 0);
    for (Element u : el) covered[u.idx()] = 1;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> joins;  // (set, element)
    for (std::uint32_t u = 0; u < n; ++u)
      if (!covered[u]) joins.emplace_back(static_cast<std::uint32_t>(rng.below(m)), u);
    if (!joins.empty()) {  // merged into the sets' sorted runs (rare: only sparse instances)
      std::sort(joins.begin(), joins.end());
      std::vector<Element> merged;
      merged.reserve(el.size() + joins.size());
      std::vector<std::uint64_t> offsets{0};
      offsets.reserve(out.offsets.size());
      auto jn = joins.begin();
      for (std::uint32_t j = 0; j < m; ++j) {
        const auto from = el.begin() + static_cast<std::ptrdiff_t>(out.offsets[j]);
        const auto to = el.begin() + static_cast<std::ptrdiff_t>(out.offsets[j + 1]);
        const std::size_t at = merged.size();
        merged.insert(merged.end(), from, to);
        for (; jn != joins.end() && jn->first == j; ++jn) merged.emplace_back(jn->second);
        std::inplace_merge(merged.begin() + static_cast<std::ptrdiff_t>(at),
                           merged.begin() + static_cast<std::ptrdiff_t>(at + static_cast<std::size_t>(to - from)),
                           merged.end());
        offsets.push_back(merged.size());
      }
      el = std::move(merged);
      out.offsets = std::move(offsets);
    }
    // 5. Costs, planted sets included: uniform in [1, C] (no draws for C = 1).
    out.costs.assign(m, 1);
    if (p.max_cost > 1)
      for (auto& c : out.costs) c = rng.between(1, p.max_cost);
    if (g.planted) {
      std::int64_t cost = 0;
      for (SetId j : g.planted->sets) cost += out.costs[j];
      g.planted->cost = cost;
    }
    return g;
  });
}

Result<GeneratedSetCover> generate_set_cover(const SetCoverGenParams& p, std::uint64_t seed) {
  auto r = generate_set_cover_sets(p, seed);
  if (!r.ok()) return r.error();
  GeneratedSetCoverSets& g = r.value();
  return GeneratedSetCover{g.sets.to_instance(), std::move(g.planted), std::move(g.record)};
}

}  // namespace relugap
