#pragma once
// Random tiny set cover instances for the set cover tests (seeded).
#include <algorithm>
#include <cstdint>

#include "instances/core/rng.hpp"
#include "instances/problems/set_cover.hpp"

namespace relugap::test {

/// n elements, m sets, costs in [1, max_cost]; each set takes each element
/// with probability p; an element left in no set joins a random set, so every
/// element is covered.
inline SetCoverInstance random_set_cover(Rng& rng, std::uint32_t n, std::uint32_t m, std::int64_t max_cost,
                                         double p = 0.45) {
  SetCoverInstance s;
  s.num_elements = n;
  s.sets.resize(m);
  for (std::uint32_t j = 0; j < m; ++j) s.costs.push_back(rng.between(1, max_cost));
  for (std::uint32_t u = 0; u < n; ++u) {
    bool any = false;
    for (std::uint32_t j = 0; j < m; ++j)
      if (rng.bernoulli(p)) {
        s.sets[SetId(j)].emplace_back(u);
        any = true;
      }
    if (!any) s.sets[SetId(static_cast<std::uint32_t>(rng.below(m)))].emplace_back(u);
  }
  for (auto& set : s.sets) std::sort(set.begin(), set.end());
  return s;
}

}  // namespace relugap::test
