#pragma once
// Strong index types: a vertex id is never a clause id. Zero-cost wrappers
// around a 0-based std::uint32_t.
#include <compare>
#include <cstdint>
#include <functional>
#include <ostream>

namespace relugap {

template <class Tag>
class Index {
 public:
  using value_type = std::uint32_t;
  constexpr Index() = default;
  constexpr explicit Index(value_type v) : v_(v) {}
  /// The raw 0-based value, for indexing into containers.
  [[nodiscard]] constexpr value_type value() const { return v_; }
  [[nodiscard]] constexpr std::size_t idx() const { return v_; }
  constexpr auto operator<=>(const Index&) const = default;
  constexpr Index& operator++() {
    ++v_;
    return *this;
  }
  friend std::ostream& operator<<(std::ostream& os, Index i) { return os << i.v_; }

 private:
  value_type v_ = 0;
};

struct VarTag {};
struct ClauseTag {};
struct VertexTag {};
struct ElementTag {};
struct SetTag {};
struct SampleTag {};
struct UnitTag {};
struct FeatureTag {};

using Var = Index<VarTag>;          ///< a CNF variable, 0-based (DIMACS v is Var(v-1))
using ClauseId = Index<ClauseTag>;  ///< a clause of a CNF formula
using Vertex = Index<VertexTag>;    ///< a graph vertex, 0-based (DIMACS v is Vertex(v-1))
using Element = Index<ElementTag>;  ///< a set-cover universe element (row), 0-based
using SetId = Index<SetTag>;        ///< a set-cover set (column), 0-based
using SampleId = Index<SampleTag>;  ///< a training sample (row of X)
using UnitId = Index<UnitTag>;      ///< a hidden ReLU unit
using Feature = Index<FeatureTag>;  ///< a coordinate of the input space (0 = anchor)

}  // namespace relugap

template <class Tag>
struct std::hash<relugap::Index<Tag>> {
  std::size_t operator()(relugap::Index<Tag> i) const noexcept { return i.value(); }
};
