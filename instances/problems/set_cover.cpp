#include "instances/problems/set_cover.hpp"

namespace relugap {

SetCoverInstance SetCoverSets::to_instance() const {
  SetCoverInstance inst;
  inst.num_elements = num_elements;
  inst.sets.resize(num_sets());
  for (std::size_t j = 0; j < num_sets(); ++j)
    inst.sets[SetId(static_cast<std::uint32_t>(j))].assign(
        elements.begin() + static_cast<std::ptrdiff_t>(offsets[j]),
        elements.begin() + static_cast<std::ptrdiff_t>(offsets[j + 1]));
  inst.costs = costs;
  return inst;
}

std::size_t SetCoverInstance::nnz() const {
  std::size_t n = 0;
  for (const auto& s : sets) n += s.size();
  return n;
}

StrongVector<ElementTag, std::vector<SetId>> SetCoverInstance::sets_of_elements() const {
  StrongVector<ElementTag, std::vector<SetId>> out(num_elements);
  for (SetId j : sets.indices())
    for (Element u : sets[j]) out[u].push_back(j);
  return out;
}

std::vector<Element> SetCoverInstance::uncovered(const std::vector<SetId>& chosen) const {
  StrongVector<ElementTag, std::uint8_t> cov(num_elements, 0);
  for (SetId j : chosen)
    for (Element u : sets[j]) cov[u] = 1;
  std::vector<Element> out;
  for (Element u : cov.indices())
    if (cov[u] == 0) out.push_back(u);
  return out;
}

bool SetCoverInstance::is_cover(const std::vector<SetId>& chosen) const { return uncovered(chosen).empty(); }

std::int64_t SetCoverInstance::cost(const std::vector<SetId>& chosen) const {
  std::int64_t c = 0;
  for (SetId j : chosen) c += costs[j];
  return c;
}

}  // namespace relugap
