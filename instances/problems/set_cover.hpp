#pragma once
// Weighted set cover: universe 0..num_elements-1, sets with integer costs >= 1.
#include <cstdint>
#include <vector>

#include "instances/core/index.hpp"
#include "instances/core/strong_vector.hpp"

namespace relugap {

struct SetCoverInstance {
  std::uint32_t num_elements = 0;
  StrongVector<SetTag, std::vector<Element>> sets;  ///< sets[j] sorted, no duplicates
  StrongVector<SetTag, std::int64_t> costs;         ///< costs[j] >= 1

  [[nodiscard]] std::size_t num_sets() const { return sets.size(); }
  /// Total number of (element, set) incidences.
  [[nodiscard]] std::size_t nnz() const;
  /// For each element, the sets containing it (sorted).
  [[nodiscard]] StrongVector<ElementTag, std::vector<SetId>> sets_of_elements() const;
  /// True iff every element lies in some chosen set.
  [[nodiscard]] bool is_cover(const std::vector<SetId>& chosen) const;
  /// Elements covered by no chosen set.
  [[nodiscard]] std::vector<Element> uncovered(const std::vector<SetId>& chosen) const;
  [[nodiscard]] std::int64_t cost(const std::vector<SetId>& chosen) const;
};

/// The same instance as flat arrays, sets in order (what `gen setcover` builds and writes:
/// two allocations instead of one per set).
struct SetCoverSets {
  std::uint32_t num_elements = 0;
  std::vector<std::uint64_t> offsets{0};  ///< set j: elements[offsets[j] .. offsets[j + 1]); m + 1 entries
  std::vector<Element> elements;          ///< each set's run sorted, no duplicates
  StrongVector<SetTag, std::int64_t> costs;

  [[nodiscard]] std::size_t num_sets() const { return offsets.size() - 1; }
  [[nodiscard]] std::size_t nnz() const { return elements.size(); }
  /// As a SetCoverInstance (one vector per set).
  [[nodiscard]] SetCoverInstance to_instance() const;
};

}  // namespace relugap
