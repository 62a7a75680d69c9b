#include "instances/problems/set_cover.hpp"

namespace relugap {

std::size_t SetCoverInstance::nnz() const {
  std::size_t n = 0;
  for (const auto& s : sets) n += s.size();
  return n;
}

std::vector<std::vector<SetId>> SetCoverInstance::sets_of_elements() const {
  std::vector<std::vector<SetId>> out(num_elements);
  for (std::uint32_t j = 0; j < sets.size(); ++j)
    for (Element u : sets[j]) out[u.idx()].emplace_back(j);
  return out;
}

std::vector<Element> SetCoverInstance::uncovered(const std::vector<SetId>& chosen) const {
  std::vector<bool> cov(num_elements, false);
  for (SetId j : chosen)
    for (Element u : sets[j.idx()]) cov[u.idx()] = true;
  std::vector<Element> out;
  for (std::uint32_t u = 0; u < num_elements; ++u)
    if (!cov[u]) out.emplace_back(u);
  return out;
}

bool SetCoverInstance::is_cover(const std::vector<SetId>& chosen) const { return uncovered(chosen).empty(); }

std::int64_t SetCoverInstance::cost(const std::vector<SetId>& chosen) const {
  std::int64_t c = 0;
  for (SetId j : chosen) c += costs[j.idx()];
  return c;
}

}  // namespace relugap
